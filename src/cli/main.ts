#!/usr/bin/env node
// The `sdlf-mesh` command: it only parses arguments, calls the library and prints.
import { resolveCommandLine } from './command-line';
import { COMMANDS } from './commands';
import { readTemplateVersion } from '../domain/domain-settings';
import { InvalidOptionError } from '../util/invalid-option-error';

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
