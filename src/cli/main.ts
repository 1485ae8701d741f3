#!/usr/bin/env node
// The `sdlf-mesh` command: it only parses arguments, calls the library and prints.
import { CATALOG_BUILD_USAGE, CATALOG_SERVE_USAGE, catalogCommand } from './catalog-command';
import { CliCommand, resolveCommandLine } from './command-line';
import { CONTRACT_DIFF_USAGE, CONTRACT_LINT_USAGE, contractDiffCommand, contractLintCommand } from './contract-command';
import { NEW_DOMAIN_USAGE, newDomainCommand } from './new-domain-command';
import { FLEET_STATUS_USAGE, fleetCommand, UPGRADE_USAGE, upgradeCommand } from './upgrade-command';
import { readTemplateVersion } from '../domain/domain-settings';
import { InvalidOptionError } from '../util/invalid-option-error';

const COMMANDS: CliCommand[] = [
  { name: 'new domain', summary: 'generate a domain repository and publish it', usage: NEW_DOMAIN_USAGE, run: newDomainCommand },
  { name: 'contract lint', summary: 'validate data-product contracts', usage: CONTRACT_LINT_USAGE, run: contractLintCommand },
  { name: 'contract diff', summary: 'find breaking changes of contracts against a base', usage: CONTRACT_DIFF_USAGE, run: contractDiffCommand },
  { name: 'upgrade', summary: 'upgrade every domain repository to a template version', usage: UPGRADE_USAGE, run: upgradeCommand },
  { name: 'fleet status', summary: 'list the domain repositories and their template versions', usage: FLEET_STATUS_USAGE, run: (args) => fleetCommand(['status', ...args]) },
  { name: 'catalog build', summary: 'write the searchable catalog site of the mesh', usage: CATALOG_BUILD_USAGE, run: (args) => catalogCommand(['build', ...args]) },
  { name: 'catalog serve', summary: 'serve a built catalog site on this machine', usage: CATALOG_SERVE_USAGE, run: (args) => catalogCommand(['serve', ...args]) },
];

const width = Math.max(...COMMANDS.map((command) => command.name.length));
const OVERVIEW = [
  'Usage: sdlf-mesh <command> [options]',
  '',
  'Commands:',
  ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
  '',
  'Options:',
  '  --version, -v  print the version of sdlf-mesh',
  '',
  'Run sdlf-mesh <command> --help for its options and examples, e.g. sdlf-mesh new domain --help.',
].join('\n');

async function main(argv: string[]): Promise<number> {
  const action = resolveCommandLine(argv, COMMANDS, OVERVIEW);
  switch (action.kind) {
    case 'help':
      console.log(action.text);
      return 0;
    case 'version':
      console.log(readTemplateVersion());
      return 0;
    case 'unknown':
      console.error(action.message);
      return 2;
    case 'run':
      return action.command.run(action.args);
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(error instanceof InvalidOptionError ? error.message : `sdlf-mesh: ${error.message}`);
    process.exitCode = 1;
  },
);
