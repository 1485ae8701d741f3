import { parseArgs } from 'util';
import { closest } from '../contract/closest';
import { InvalidOptionError } from '../util/invalid-option-error';

/** A command of `sdlf-mesh`, e.g. `contract lint`. */
export interface CliCommand {
  /** Its words, e.g. `contract lint`. */
  readonly name: string;
  /** What it does, in one line, for the list of commands. */
  readonly summary: string;
  /** Its usage, options and examples, printed by `--help`. */
  readonly usage: string;
  /** Runs it with the arguments after its name; resolves with the exit code. */
  readonly run: (args: string[]) => Promise<number>;
}

/** What to do with the command line: run a command, print a help text, or refuse it. */
export type CommandLineAction =
  | { readonly kind: 'run'; readonly command: CliCommand; readonly args: string[] }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'unknown'; readonly message: string };

/** Whether the arguments ask for help: `--help` or `-h` before a `--` that ends the options. */
export function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Finds the command the arguments name. `--help` (or `-h`) anywhere after a command prints its
 * usage instead of running it; `--version` (or `-v`) in place of a command asks for the version; a
 * word that names no command is refused with the closest one.
 */
export function resolveCommandLine(argv: readonly string[], commands: readonly CliCommand[], overview: string): CommandLineAction {
  const [first, second] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    return { kind: 'help', text: overview };
  }
  if (first === '--version' || first === '-v') {
    return { kind: 'version' };
  }
  for (const command of commands) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word)) {
      const args = argv.slice(words.length);
      return asksForHelp(args) ? { kind: 'help', text: command.usage } : { kind: 'run', command, args };
    }
  }
  const group = commands.filter((command) => command.name.startsWith(`${first} `));
  if (group.length > 0) {
    if (second === '--help' || second === '-h') {
      return { kind: 'help', text: group.map((command) => command.usage).join('\n\n') };
    }
    const verbs = group.map((command) => command.name.split(' ')[1]);
    return { kind: 'unknown', message: unknownMessage(second === undefined ? undefined : `${first} ${second}`, second === undefined ? undefined : closest(second, verbs), group, first) };
  }
  const firstWords = [...new Set(commands.map((command) => command.name.split(' ')[0]))];
  const near = closest(first, firstWords);
  const suggestion = near === undefined ? undefined : commands.filter((command) => command.name.split(' ')[0] === near).map((command) => command.name).join('" or "');
  return { kind: 'unknown', message: unknownMessage(first, suggestion, commands) };
}

function unknownMessage(given: string | undefined, suggestion: string | undefined, known: readonly CliCommand[], group?: string): string {
  const what = given === undefined ? `"${group}" needs a command` : `unknown command "${given}"`;
  const hint = suggestion === undefined ? '' : `; did you mean "${group === undefined ? suggestion : `${group} ${suggestion}`}"?`;
  return `sdlf-mesh: ${what}${hint}\nThe commands are: ${known.map((command) => command.name).join(', ')}. Run sdlf-mesh <command> --help for one's options.`;
}

/** A flag of a command, as `parseArgs` takes it. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
}

/** What {@link parseFlags} returns for the flags `T`. */
export type ParsedFlags<T extends Record<string, FlagSpec>> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>
>;

/**
 * `parseArgs` (strict), with an unknown flag or a missing value refused as an
 * {@link InvalidOptionError} that names the flag, the closest known one and all of them.
 */
export function parseFlags<T extends Record<string, FlagSpec>>(args: string[], options: T, allowPositionals: boolean): ParsedFlags<T> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const flag = /'(-[^'\s]+)/.exec(message)?.[1] ?? 'arguments';
    const names = Object.keys(options).map((name) => `--${name}`);
    const near = flag.startsWith('-') ? closest(flag, names) : undefined;
    const hint = near === undefined || near === flag ? '' : ` (did you mean ${near}?)`;
    throw new InvalidOptionError(flag, `${message.split(/\.(\s|$)/)[0]}${hint}; the options are ${names.join(', ')}, --help`);
  }
}
