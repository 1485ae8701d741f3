import { ChildProcess, spawn } from 'child_process';
import { StringDecoder } from 'string_decoder';

/** How to run a command. */
export interface ExecOptions {
  /** Working directory. */
  readonly cwd: string;
  /**
   * Environment variables to set; `undefined` removes one. They are added to this process's
   * environment unless `inheritEnv` is false.
   */
  readonly env?: Record<string, string | undefined>;
  /**
   * Start from this process's environment. False for code that must not see it (a domain
   * repository's install and synth run with an allow-listed environment, never with a token).
   * @default true
   */
  readonly inheritEnv?: boolean;
  /** Pass the command's output through to this process's output instead of capturing it. */
  readonly inherit?: boolean;
  /**
   * Called with each chunk of output (standard output and error) as it comes, for progress;
   * the output is captured all the same. Not called with `inherit`.
   */
  readonly onOutput?: (text: string) => void;
  /** Run as this user and group (numeric IDs; only root may give them). @default - this process's */
  readonly uid?: number;
  readonly gid?: number;
  /**
   * Kill the command, and every process it started, after this many milliseconds; it then
   * fails with a {@link CommandTimedOutError}.
   * @default - no limit
   */
  readonly timeoutMs?: number;
}

/** What a finished command printed. */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** A command that exited with a non-zero status, with what it printed. */
export class CommandFailedError extends Error {
  constructor(
    public readonly command: string,
    public readonly exitCode: number | null,
    public readonly output: string,
  ) {
    super(`${command} failed (exit code ${exitCode}):\n${output.trim().split('\n').slice(-30).join('\n')}`);
    this.name = 'CommandFailedError';
  }
}

/** A command that ran past its time limit and was killed, with what it printed until then. */
export class CommandTimedOutError extends CommandFailedError {
  constructor(command: string, timeoutMs: number, output: string) {
    super(command, null, output);
    this.message = `${command} was stopped after ${Math.round(timeoutMs / 1000)} s, its time limit:\n${output.trim().split('\n').slice(-30).join('\n')}`;
    this.name = 'CommandTimedOutError';
  }
}

// Commands with a time limit run in a process group of their own, so that the limit stops what
// they started too (npx starts node, which starts npm...). Such groups do not get the terminal's
// Ctrl-C, so they are ended when this process exits, or is told to stop.
const runningGroups = new Set<number>();
let cleanupInstalled = false;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function installGroupCleanup(): void {
  if (cleanupInstalled) {
    return;
  }
  cleanupInstalled = true;
  process.on('exit', () => runningGroups.forEach(killGroup));
  // Without a listener these signals end the process without its 'exit' event.
  const signals: Array<[NodeJS.Signals, number]> = [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]];
  for (const [signal, number] of signals) {
    process.once(signal, () => process.exit(128 + number));
  }
}

/**
 * Runs a program without a shell (arguments are never parsed, so no quoting bugs) and resolves
 * with its output, or rejects with a {@link CommandFailedError} that carries the last lines it printed.
 */
export async function exec(program: string, args: string[], options: ExecOptions): Promise<ExecResult> {
  const { stdout, stderr } = await run(program, args, options);
  return { stdout: stdout.toString('utf8'), stderr };
}

/**
 * Like {@link exec}, with the output as bytes: for files whose encoding the caller checks itself
 * (a contract that is not UTF-8 must be reported, not silently repaired).
 */
export async function execBytes(program: string, args: string[], options: ExecOptions): Promise<{ stdout: Buffer; stderr: string }> {
  return run(program, args, options);
}

function run(program: string, args: string[], options: ExecOptions): Promise<{ stdout: Buffer; stderr: string }> {
  const env: Record<string, string | undefined> = { ...(options.inheritEnv === false ? {} : process.env), ...options.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) {
      delete env[key];
    }
  }
  const limited = options.timeoutMs !== undefined;
  const command = [program, ...args].join(' ');
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(program, args, {
        cwd: options.cwd,
        env: env as NodeJS.ProcessEnv,
        stdio: options.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
        uid: options.uid,
        gid: options.gid,
        detached: limited,
      });
    } catch (error) {
      reject(error);
      return;
    }
    // Chunks are joined before decoding, so a character split between two chunks stays whole.
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    if (limited && child.pid !== undefined) {
      installGroupCleanup();
      const pid = child.pid;
      runningGroups.add(pid);
      timer = setTimeout(() => {
        timedOut = true;
        killGroup(pid);
      }, options.timeoutMs);
    }
    const settle = () => {
      clearTimeout(timer);
      if (child.pid !== undefined) {
        runningGroups.delete(child.pid);
      }
    };
    // A decoder a stream keeps a character split between two chunks whole for onOutput too.
    const [outText, errText] = [new StringDecoder('utf8'), new StringDecoder('utf8')];
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      options.onOutput?.(outText.write(chunk));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      options.onOutput?.(errText.write(chunk));
    });
    child.on('error', (error) => {
      settle();
      reject(error);
    });
    child.on('close', (code) => {
      settle();
      const out = Buffer.concat(stdout);
      const err = Buffer.concat(stderr).toString('utf8');
      const output = `${out.toString('utf8')}\n${err}`;
      if (timedOut) {
        reject(new CommandTimedOutError(command, options.timeoutMs!, output));
      } else if (code === 0) {
        resolve({ stdout: out, stderr: err });
      } else {
        reject(new CommandFailedError(command, code, output));
      }
    });
  });
}
