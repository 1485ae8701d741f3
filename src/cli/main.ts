#!/usr/bin/env node
// The `sdlf-mesh` command: it only parses arguments, calls the library and prints.
import { CATALOG_USAGE, catalogCommand } from './catalog-command';
import { CONTRACT_USAGE, contractCommand } from './contract-command';
import { NEW_DOMAIN_USAGE, newDomainCommand } from './new-domain-command';
import { fleetCommand, UPGRADE_USAGE, upgradeCommand } from './upgrade-command';
import { InvalidOptionError } from '../config/invalid-option-error';

const USAGE = `Usage:\n\n${NEW_DOMAIN_USAGE}\n\n${CONTRACT_USAGE}\n\n${UPGRADE_USAGE}\n\n${CATALOG_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'new' && rest[0] === 'domain') {
    return newDomainCommand(rest.slice(1));
  }
  if (command === 'contract') {
    return contractCommand(rest);
  }
  if (command === 'upgrade') {
    return upgradeCommand(rest);
  }
  if (command === 'fleet') {
    return fleetCommand(rest);
  }
  if (command === 'catalog') {
    return catalogCommand(rest);
  }
  console.log(USAGE);
  return command === undefined || command === '--help' || command === '-h' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(error instanceof InvalidOptionError ? error.message : `sdlf-mesh: ${error.message}`);
    process.exitCode = 1;
  },
);
