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
export function exec(program: string, args: string[], options: ExecOptions): Promise<ExecResult> {
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
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        resolve({ stdout, stderr });
      } else {
        reject(new CommandFailedError([program, ...args].join(' '), code, `${stdout}\n${stderr}`));
      }
    });
  });
}
