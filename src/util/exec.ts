import { spawn } from 'child_process';

/** How to run a command. */
export interface ExecOptions {
  /** Working directory. */
  readonly cwd: string;
  /** Environment variables to set; `undefined` removes one. */
  readonly env?: Record<string, string | undefined>;
  /** Pass the command's output through to this process's output instead of capturing it. */
  readonly inherit?: boolean;
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
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) {
      delete env[key];
    }
  }
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: options.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    });
    // Chunks are joined before decoding, so a character split between two chunks stays whole.
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const out = Buffer.concat(stdout);
      const err = Buffer.concat(stderr).toString('utf8');
      if (code === 0) {
        resolve({ stdout: out, stderr: err });
      } else {
        reject(new CommandFailedError([program, ...args].join(' '), code, `${out.toString('utf8')}\n${err}`));
      }
    });
  });
}
