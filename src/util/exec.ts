import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
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
  /**
   * What the caller does with standard output. `data`: reads it (a file git shows, a listing),
   * so it is kept whole, up to {@link STDOUT_DATA_LIMIT_BYTES}; a command that prints more is
   * stopped and fails with a {@link CommandOutputTooLargeError} (a cut listing would be wrong,
   * not short). `log`: a person reads it when the command fails, so only its last
   * {@link OUTPUT_TAIL_BYTES} are kept, as of standard error always.
   * @default 'data'
   */
  readonly stdout?: 'data' | 'log';
  /**
   * The user `uid` names is this command's alone (a sandbox user of one repository): when the
   * command ends, or is stopped, every process of that user is killed too, so that one the
   * command started in a session and process group of its own (`setsid`) does not outlive it.
   * @default false
   */
  readonly ownsUser?: boolean;
}

/** What a finished command printed. */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /**
   * How many bytes of its log were not kept ({@link OUTPUT_TAIL_BYTES}); the kept text then
   * starts with a line that says so. Absent when everything was kept.
   */
  readonly droppedBytes?: number;
}

/**
 * The last part of each stream of a child's log that is kept: the lines that say why a command
 * failed are its last ones, and a domain's install script that prints gigabytes must not grow
 * the platform by as much (300 MB of one `postinstall`'s output once grew it by 1.2 GB).
 */
export const OUTPUT_TAIL_BYTES = 1024 * 1024;

/**
 * The most standard output a caller may read as data: more than any file or listing the platform
 * reads from a repository (its files are refused far below this), and a bound on what a
 * repository crafted to make git print more can cost the platform, per command.
 */
export const STDOUT_DATA_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * After a command has exited, how long the platform waits for the rest of its output: a process
 * it started that escaped every kill (as one user, without isolation, a daemon in its own
 * session) may hold the pipes open, and must not hold the step with them.
 */
const OUTPUT_GRACE_MS = 2_000;

/** A command that exited with a non-zero status, with what it printed. */
export class CommandFailedError extends Error {
  constructor(
    public readonly command: string,
    public readonly exitCode: number | null,
    public readonly output: string,
    /** How many bytes of its output were not kept (see {@link OUTPUT_TAIL_BYTES}). */
    public readonly droppedBytes = 0,
  ) {
    super(`${command} failed (exit code ${exitCode}):\n${lastLines(output, droppedBytes)}`);
    this.name = 'CommandFailedError';
  }
}

/** A command that ran past its time limit and was killed, with what it printed until then. */
export class CommandTimedOutError extends CommandFailedError {
  constructor(command: string, timeoutMs: number, output: string, droppedBytes = 0) {
    super(command, null, output, droppedBytes);
    this.message = `${command} was stopped after ${Math.round(timeoutMs / 1000)} s, its time limit:\n${lastLines(output, droppedBytes)}`;
    this.name = 'CommandTimedOutError';
  }
}

/** A command that printed more than its caller can read as data, and was stopped. */
export class CommandOutputTooLargeError extends CommandFailedError {
  constructor(command: string, output: string) {
    super(command, null, output);
    this.message = `${command} was stopped: it printed more than ${byteSize(STDOUT_DATA_LIMIT_BYTES)}, more than is read from a command:\n${lastLines(output, 0)}`;
    this.name = 'CommandOutputTooLargeError';
  }
}

/** The last lines of a command's output for a message, after what says how much was dropped. */
function lastLines(output: string, droppedBytes: number): string {
  const lines = output.trim().split('\n').filter((line) => !line.startsWith(DROPPED_MARK)).slice(-30);
  return [...(droppedBytes > 0 ? [droppedLine(droppedBytes)] : []), ...lines].join('\n');
}

const DROPPED_MARK = '… ';

function droppedLine(bytes: number): string {
  return `${DROPPED_MARK}${byteSize(bytes)} of output dropped`;
}

/** A size as people read it: `1.2 GiB`, `300 MiB`, `12 KiB`, `80 B`. */
export function byteSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 || value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`;
}

/**
 * The last `limit` bytes of a stream, with how many came before them: memory stays near the
 * limit however much the stream carries.
 */
class StreamTail {
  private readonly chunks: Buffer[] = [];
  private held = 0;
  /** Every byte the stream carried. */
  public received = 0;

  constructor(private readonly limit: number) {}

  public push(chunk: Buffer): void {
    this.received += chunk.length;
    this.chunks.push(chunk);
    this.held += chunk.length;
    while (this.chunks.length > 1 && this.held - this.chunks[0].length >= this.limit) {
      this.held -= this.chunks.shift()!.length;
    }
  }

  /** The bytes not kept. */
  public get dropped(): number {
    return Math.max(0, this.received - this.limit);
  }

  /** The kept bytes: all of them, or the last `limit` from the first whole character on. */
  public bytes(): Buffer {
    const all = Buffer.concat(this.chunks);
    if (this.dropped === 0) {
      return all;
    }
    let start = all.length - this.limit;
    // UTF-8 continuation bytes (0x80 to 0xbf) are the rest of a character cut in two.
    for (let i = 0; i < 3 && all[start] >= 0x80 && all[start] < 0xc0; i++) {
      start++;
    }
    return all.subarray(start);
  }

  /** The kept text, after a line that says how much was dropped when some was. */
  public text(): string {
    const text = this.bytes().toString('utf8');
    return this.dropped > 0 ? `${droppedLine(this.dropped)}\n${text}` : text;
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

/**
 * Kills every process of user `uid` (by real, effective, saved or file-system user ID), again
 * until none is left: a process that forks as fast as it can is outrun, one killed process at a
 * time. Only for a user that is one command's alone (see {@link ExecOptions.ownsUser}).
 */
export function killUserProcesses(uid: number): void {
  for (let round = 0; round < 100; round++) {
    const found = processesOfUser(uid);
    if (found.length === 0) {
      return;
    }
    for (const pid of found) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
  }
}

/** The live processes (not zombies, which are already dead) of user `uid`, from /proc. */
export function processesOfUser(uid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    let status: string;
    try {
      status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
    } catch {
      continue; // Gone meanwhile.
    }
    const uids = /^Uid:\s+(.*)$/m.exec(status)?.[1].split(/\s+/).map(Number) ?? [];
    const state = /^State:\s+(\S)/m.exec(status)?.[1];
    if (uids.includes(uid) && state !== 'Z' && state !== 'X') {
      found.push(Number(entry));
    }
  }
  return found;
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
  const { stdout, stderr, droppedBytes } = await run(program, args, options);
  return droppedBytes > 0 ? { stdout: stdout.text(), stderr, droppedBytes } : { stdout: stdout.text(), stderr };
}

/**
 * Like {@link exec}, with the output as bytes: for files whose encoding the caller checks itself
 * (a contract that is not UTF-8 must be reported, not silently repaired).
 */
export async function execBytes(program: string, args: string[], options: ExecOptions): Promise<{ stdout: Buffer; stderr: string }> {
  const { stdout, stderr } = await run(program, args, options);
  return { stdout: stdout.bytes(), stderr };
}

/** The environment of a command: `base` with `changes` set on it (`undefined` removes a variable). */
function environmentOf(base: Record<string, string | undefined>, changes: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = { ...base, ...changes };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) {
      delete env[key];
    }
  }
  return env as Record<string, string>;
}

interface Finished {
  readonly stdout: StreamTail;
  readonly stderr: string;
  /** The bytes of both streams that were not kept. */
  readonly droppedBytes: number;
}

function run(program: string, args: string[], options: ExecOptions): Promise<Finished> {
  const env = environmentOf(options.inheritEnv === false ? {} : process.env, options.env);
  const limited = options.timeoutMs !== undefined;
  const ownUser = options.ownsUser && options.uid !== undefined ? options.uid : undefined;
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
    const data = options.stdout !== 'log';
    const stdout = new StreamTail(data ? STDOUT_DATA_LIMIT_BYTES + 1 : OUTPUT_TAIL_BYTES);
    const stderr = new StreamTail(OUTPUT_TAIL_BYTES);
    let timedOut = false;
    let tooLarge = false;
    let timer: NodeJS.Timeout | undefined;
    let grace: NodeJS.Timeout | undefined;
    /** Ends what the command started: its process group, and its user's processes when the user is its alone. */
    const endAll = () => {
      if (limited && child.pid !== undefined) {
        killGroup(child.pid);
      }
      if (ownUser !== undefined) {
        killUserProcesses(ownUser);
      }
    };
    if (limited && child.pid !== undefined) {
      installGroupCleanup();
      const pid = child.pid;
      runningGroups.add(pid);
      timer = setTimeout(() => {
        timedOut = true;
        endAll();
      }, options.timeoutMs);
    }
    const settle = () => {
      clearTimeout(timer);
      clearTimeout(grace);
      if (child.pid !== undefined) {
        runningGroups.delete(child.pid);
      }
    };
    // A decoder a stream keeps a character split between two chunks whole for onOutput too.
    const [outText, errText] = [new StringDecoder('utf8'), new StringDecoder('utf8')];
    let lastOutput = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      lastOutput = Date.now();
      if (tooLarge) {
        return;
      }
      stdout.push(chunk);
      if (data && stdout.received > STDOUT_DATA_LIMIT_BYTES) {
        tooLarge = true;
        endAll();
        child.kill('SIGKILL');
        return;
      }
      options.onOutput?.(outText.write(chunk));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      lastOutput = Date.now();
      stderr.push(chunk);
      options.onOutput?.(errText.write(chunk));
    });
    child.on('error', (error) => {
      settle();
      reject(error);
    });
    child.on('exit', () => {
      // What it started goes with it; the output's pipes then close, unless a process that
      // escaped holds them: its output is not waited for once they have been quiet a while.
      endAll();
      const exitedAt = Date.now();
      const closeIfQuiet = () => {
        // After the pending reads (setImmediate runs after the loop's poll phase): a loop that was
        // busy when the timer expired still takes what the command wrote before it exited.
        setImmediate(() => {
          // A process that escaped and keeps writing does not hold the step longer than ten graces.
          if (Date.now() - lastOutput < OUTPUT_GRACE_MS && Date.now() - exitedAt < 10 * OUTPUT_GRACE_MS) {
            grace = setTimeout(closeIfQuiet, OUTPUT_GRACE_MS);
            return;
          }
          child.stdout?.destroy();
          child.stderr?.destroy();
        });
      };
      grace = setTimeout(closeIfQuiet, OUTPUT_GRACE_MS);
    });
    child.on('close', (code) => {
      settle();
      const err = stderr.text();
      const droppedBytes = (data ? 0 : stdout.dropped) + stderr.dropped;
      const output = `${data ? stdout.bytes().toString('utf8') : stdout.text()}\n${err}`;
      if (tooLarge) {
        reject(new CommandOutputTooLargeError(command, err));
      } else if (timedOut) {
        reject(new CommandTimedOutError(command, options.timeoutMs!, output, droppedBytes));
      } else if (code === 0) {
        resolve({ stdout, stderr: err, droppedBytes });
      } else {
        reject(new CommandFailedError(command, code, output, droppedBytes));
      }
    });
  });
}

/** How to run a command that must finish before its caller goes on. */
export interface ExecSyncOptions {
  /** Kill the command after this many milliseconds; it then fails with a {@link CommandTimedOutError}. */
  readonly timeoutMs: number;
  /** The most standard output read; a command that prints more is stopped and fails with a {@link CommandOutputTooLargeError}. */
  readonly maxOutputBytes: number;
  /** Environment variables to set on top of this process's; `undefined` removes one. */
  readonly env?: Record<string, string | undefined>;
}

/**
 * Runs a program without a shell and blocks until it ends, for the few callers that cannot wait
 * otherwise (a projen synth is synchronous, so what it reads from the network it reads this way).
 * Resolves to its standard output; throws a {@link CommandFailedError} that carries what it printed
 * on standard error.
 */
export function execSync(program: string, args: string[], options: ExecSyncOptions): Buffer {
  const command = [program, ...args.map((arg) => (arg.length > 80 ? `${arg.slice(0, 77)}...` : arg))].join(' ');
  const result = spawnSync(program, args, {
    // This process's environment as it is now (a CA file set in NODE_EXTRA_CA_CERTS included).
    env: environmentOf(process.env, options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: options.maxOutputBytes,
  });
  const stderr = result.stderr?.toString('utf8') ?? '';
  const code = (result.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT') {
    throw new CommandTimedOutError(command, options.timeoutMs, stderr);
  }
  if (code === 'ENOBUFS') {
    throw new CommandOutputTooLargeError(command, stderr);
  }
  if (result.error) {
    throw result.error;
  }
  if (result.status !== 0) {
    throw new CommandFailedError(command, result.status, stderr);
  }
  return result.stdout;
}
