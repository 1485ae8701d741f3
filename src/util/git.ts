import * as os from 'os';
import { exec, execBytes, ExecResult } from './exec';

/**
 * Where and how a git command runs. A folder alone (a string) is the common case: the command
 * runs there, on the repository git finds from it.
 */
export type GitPlace = string | GitOptions;

/** Where and how a git command runs. */
export interface GitOptions {
  /** The folder git runs in. */
  readonly cwd: string;
  /** The git folder, when it is apart from the working tree (`--git-dir`). @default - the one git finds from `cwd` */
  readonly gitDir?: string;
  /** The working tree of {@link gitDir} (`--work-tree`). @default - the one git finds */
  readonly workTree?: string;
  /**
   * A folder git works in although another user owns it (`safe.directory`): a working tree
   * handed over to a domain's own user.
   * @default - only folders of this process's user, as git decides
   */
  readonly safeDirectory?: string;
  /**
   * Variables to set (or, `undefined`, remove), added to this process's environment: an index of
   * its own (`GIT_INDEX_FILE`), credentials given as configuration (`GIT_CONFIG_COUNT`,
   * `GIT_CONFIG_KEY_n`, `GIT_CONFIG_VALUE_n`: kept, and the entries below added after them).
   */
  readonly env?: Record<string, string | undefined>;
  /** Stop git after this many milliseconds. @default - no limit */
  readonly timeoutMs?: number;
}

/**
 * The configuration every git command gets, over what the repository's own configuration says.
 * A domain repository is hostile input, and so is its `.git/config` wherever the domain wrote it:
 * git runs no program the repository names.
 */
const SAFE_CONFIG: ReadonlyArray<readonly [string, string]> = [
  // No hook runs: a path that is no folder holds none (the hooks a remote runs on its side stay the remote's).
  ['core.hooksPath', os.devNull],
  // No file-system monitor, whose value may be a command.
  ['core.fsmonitor', 'false'],
  // No transport that runs the command its URL names.
  ['protocol.ext.allow', 'never'],
];

/**
 * At most this many git processes run at once in this process, whatever asks for them (a fleet's
 * workers, a catalog reading many repositories): more wait for a free slot.
 */
export const GIT_PROCESSES = 8;

/**
 * A limit on work running at once: {@link run} starts the work when fewer than `limit` run,
 * else when one of them ends, in the order they asked.
 */
export class ProcessLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(public readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new Error(`a limit of ${limit} processes lets none run; give 1 or more`);
    }
  }

  /** How many run now. */
  public get active(): number {
    return this.running;
  }

  /** How many wait for a slot. */
  public get queued(): number {
    return this.waiting.length;
  }

  public async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) {
      this.running++;
    } else {
      // The work that ends hands its slot over.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next();
      } else {
        this.running--;
      }
    }
  }
}

/** The limiter every git process of this process goes through. */
export const GIT_LIMITER = new ProcessLimiter(GIT_PROCESSES);

/**
 * Runs git with the safe configuration, within {@link GIT_LIMITER}, and resolves with its output
 * (or rejects with a `CommandFailedError` whose command is `git <args>`, as given).
 */
export async function git(place: GitPlace, ...args: string[]): Promise<ExecResult> {
  const { cwd, argv, env, timeoutMs } = invocation(place, args);
  return GIT_LIMITER.run(() => exec('git', argv, { cwd, env, timeoutMs }));
}

/** Like {@link git}, with standard output as bytes: for contents whose encoding the caller checks. */
export async function gitBytes(place: GitPlace, ...args: string[]): Promise<Buffer> {
  const { cwd, argv, env, timeoutMs } = invocation(place, args);
  return (await GIT_LIMITER.run(() => execBytes('git', argv, { cwd, env, timeoutMs }))).stdout;
}

/** What git printed on standard output, trimmed. */
export async function gitText(place: GitPlace, ...args: string[]): Promise<string> {
  return (await git(place, ...args)).stdout.trim();
}

/** Whether git exits with 0 (`merge-base --is-ancestor`, `rev-parse --verify` answer that way). */
export async function gitSucceeds(place: GitPlace, ...args: string[]): Promise<boolean> {
  return git(place, ...args).then(
    () => true,
    () => false,
  );
}

/** The commit `ref` names; `undefined` when it names none (no such branch, an empty repository). */
export async function commitOf(place: GitPlace, ref: string): Promise<string | undefined> {
  return gitText(place, 'rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`).then(
    (commit) => commit || undefined,
    () => undefined,
  );
}

/** Whether `ancestor` is in the history of `commit` (false when the repository does not have it). */
export async function isAncestor(place: GitPlace, ancestor: string, commit: string): Promise<boolean> {
  return gitSucceeds(place, 'merge-base', '--is-ancestor', ancestor, commit);
}

/** The content of `file` at `commit` (a commit or a branch); `undefined` when it has no such file. */
export async function fileAt(place: GitPlace, commit: string, file: string): Promise<string | undefined> {
  return git(place, 'cat-file', 'blob', `${commit}:${file}`).then(
    ({ stdout }) => stdout,
    () => undefined,
  );
}

/** An entry of a commit's tree, as `git ls-tree -l` gives it. */
export interface GitTreeEntry {
  /** `100644`, `100755`, `120000` (a symbolic link), `040000` (a folder), `160000` (a submodule). */
  readonly mode: string;
  /** `blob`, `tree` or `commit`. */
  readonly type: string;
  readonly object: string;
  /** Bytes of a blob; 0 for anything else. */
  readonly size: number;
  readonly path: string;
}

/**
 * The entries of a commit's tree under `paths` (a file, or a folder ending in `/` for what it
 * holds), read from the tree alone: a symbolic link is never resolved, a blob never read.
 */
export async function treeEntries(place: GitPlace, commit: string, ...paths: string[]): Promise<GitTreeEntry[]> {
  const listed = (await gitBytes(place, 'ls-tree', '-l', '-z', commit, '--', ...paths)).toString('utf8');
  return listed.split('\0').flatMap((line) => {
    const match = /^(\d+) (\w+) ([0-9a-f]+) +(\d+|-)\t([\s\S]*)$/.exec(line);
    return match ? [{ mode: match[1], type: match[2], object: match[3], size: Number(match[4]) || 0, path: match[5] }] : [];
  });
}

/** The URL of a remote; `undefined` when there is no such remote. */
export async function remoteUrl(place: GitPlace, remote: string): Promise<string | undefined> {
  return gitText(place, 'remote', 'get-url', remote).catch(() => undefined);
}

/**
 * The branches of a remote (a name, a URL or a path): name → commit, only those matching
 * `patterns` when given (`git ls-remote --heads`). An empty repository has none.
 */
export async function remoteBranches(place: GitPlace, remote: string, ...patterns: string[]): Promise<Map<string, string>> {
  const { stdout } = await git(place, 'ls-remote', '--heads', remote, ...patterns);
  const branches = new Map<string, string>();
  for (const line of stdout.split('\n').filter(Boolean)) {
    const [commit, ref] = line.split(/\s+/);
    branches.set(ref.replace(/^refs\/heads\//, ''), commit);
  }
  return branches;
}

/** A value of git's configuration as the repository sees it; `undefined` when it is not set. */
export async function configValue(place: GitPlace, key: string): Promise<string | undefined> {
  return gitText(place, 'config', '--get', key).catch(() => undefined);
}

/** The identity a commit is made in when git has none: sdlf-mesh's. */
export const FALLBACK_IDENTITY = { name: 'sdlf-mesh', email: 'sdlf-mesh@users.noreply.github.com' };

/**
 * The environment that gives a commit an identity on a machine where git has none yet (a fresh
 * CI runner), so the commit is made in the name of sdlf-mesh instead of failing: for git itself,
 * or for a program that commits (`projen new`). Empty when git has a `user.email`; an identity
 * this process's environment gives (`GIT_AUTHOR_EMAIL`...) is kept over the fallback.
 */
export async function fallbackIdentity(place: GitPlace): Promise<Record<string, string>> {
  if ((await configValue(place, 'user.email')) !== undefined) {
    return {};
  }
  const { name, email } = FALLBACK_IDENTITY;
  const env = process.env;
  return {
    GIT_AUTHOR_NAME: env.GIT_AUTHOR_NAME ?? name,
    GIT_AUTHOR_EMAIL: env.GIT_AUTHOR_EMAIL ?? email,
    GIT_COMMITTER_NAME: env.GIT_COMMITTER_NAME ?? name,
    GIT_COMMITTER_EMAIL: env.GIT_COMMITTER_EMAIL ?? email,
  };
}

/**
 * The command line and environment of a git command. The safe configuration goes through the
 * environment (`GIT_CONFIG_COUNT`, which overrides every configuration file), not `-c`: the
 * command a failure names stays the one the caller gave, and a token given the same way stays
 * off the command line.
 */
function invocation(place: GitPlace, args: string[]) {
  const options: GitOptions = typeof place === 'string' ? { cwd: place } : place;
  const given = { ...process.env, ...options.env };
  const entries: Array<readonly [string, string]> = [
    ...configEntries(given),
    ...SAFE_CONFIG,
    ...(options.safeDirectory === undefined ? [] : [['safe.directory', options.safeDirectory] as const]),
  ];
  const env: Record<string, string | undefined> = { ...options.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  const location = [...(options.gitDir ? [`--git-dir=${options.gitDir}`] : []), ...(options.workTree ? [`--work-tree=${options.workTree}`] : [])];
  return { cwd: options.cwd, argv: [...location, ...args], env, timeoutMs: options.timeoutMs };
}

/** The configuration entries an environment gives git (`GIT_CONFIG_COUNT` of them). */
function configEntries(env: Record<string, string | undefined>): Array<readonly [string, string]> {
  const count = Number(env.GIT_CONFIG_COUNT ?? 0);
  const entries: Array<readonly [string, string]> = [];
  for (let index = 0; Number.isInteger(count) && index < count; index++) {
    const key = env[`GIT_CONFIG_KEY_${index}`];
    if (key !== undefined) {
      entries.push([key, env[`GIT_CONFIG_VALUE_${index}`] ?? '']);
    }
  }
  return entries;
}
