import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DomainNpmConfig } from './domain-npm-config';
import { allowedEnvironment } from '../util/allowed-environment';
import { exec, ExecResult } from '../util/exec';

// When this process is root, each repository of a run gets a user ID of its own from this range:
// a run takes a slot of UIDS_PER_RUN IDs that no process uses (starting from its process ID's),
// so runs side by side on one machine get different IDs, and never gives an ID twice.
const SANDBOX_UID_BASE = 0x4000_0000;
const UIDS_PER_RUN = 0x1_0000;
const RUN_SLOTS = 0x3fff;

/**
 * The most processes and threads one repository's user may have at once (`RLIMIT_NPROC`, which
 * counts threads): a fork bomb stops there, while npm, projen, tsc, jest and esbuild, each with
 * their threads, stay far below. Only with a user of its own: the limit counts every process of
 * the user, and a shared user has the platform's and the person's own.
 */
const SANDBOX_MAX_TASKS = 2048;

/**
 * The most memory one process of a repository may allocate (`RLIMIT_DATA`: its heap and private
 * writable mappings): a compiler or a synth of a large app stays below it; a process that
 * allocates without end fails there instead of taking the machine. Not `RLIMIT_AS`: Node reserves
 * far more address space than it uses, and fails to start under a limit of it.
 */
const SANDBOX_MAX_DATA_BYTES = 4 * 1024 * 1024 * 1024;

/**
 * How a repository's code is kept from the platform's process (its token) and from the other
 * repositories:
 * - `user`: the platform runs as root, and each repository runs as a user ID of its own;
 * - `namespace`: an ordinary user, and each repository runs in a user and process namespace of
 *   its own (bubblewrap), which sees no process of the platform, the file system read-only but
 *   for its folder, and neither the platform user's home, nor the run's other repositories; it
 *   runs as the user who owns the run's files, so the run's shared packages reach it as copies of
 *   its own (see {@link SharedPackages});
 * - `shared`: none, the code runs as the platform's user (only with `--allow-shared-user`, for a
 *   fleet whose code is trusted): it can read the platform's process, and its token.
 */
export type SandboxIsolation = 'user' | 'namespace' | 'shared';

/**
 * How a repository gets the run's shared packages (the template store):
 * - `link`: hard links, the store's very files, where its code cannot write them (as a user of
 *   its own, it owns neither the files nor the store), or where copies would protect nothing
 *   (without isolation, `shared`, it can reach the store itself);
 * - `copy`: copies of its own, where its code runs as the user who owns the store's files (a
 *   namespace): that owner may make a read-only file writable again, and a file written through
 *   a link would change what every other repository of the run loads. Its copy is its own to
 *   change; the store stays out of its reach (hidden, or read-only, in its namespace).
 */
export type SharedPackages = 'link' | 'copy';

/**
 * The repositories' code of a fleet upgrade cannot be isolated on this machine, and the user did
 * not accept running it as the platform's own user.
 */
export class IsolationUnavailableError extends Error {
  constructor(why: string) {
    super(
      `The repositories' code cannot be isolated from this upgrade here: ${why}. ` +
        'Their install scripts and .projenrc.ts would run as you, and could read this process\'s token (/proc/<pid>/environ). ' +
        'Run the upgrade in the platform\'s GitHub Actions workflow, or as root (a CI job, a container: each repository then runs as a user of its own); ' +
        'installing bubblewrap (bwrap) lets an ordinary user isolate them too. ' +
        'For a fleet whose code you trust, --allow-shared-user runs it as you.',
    );
    this.name = 'IsolationUnavailableError';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * The strongest isolation this machine gives a repository's code: a user of its own as root,
 * else a namespace of its own through bubblewrap when it works here, else the shared user if
 * `allowSharedUser`; else it throws an {@link IsolationUnavailableError}, before anything runs.
 */
export function chooseIsolation(options: { allowSharedUser?: boolean } = {}): SandboxIsolation {
  if (process.getuid?.() === 0) {
    return 'user';
  }
  const bwrap = bwrapProblem();
  if (bwrap === undefined) {
    return 'namespace';
  }
  if (options.allowSharedUser) {
    return 'shared';
  }
  throw new IsolationUnavailableError(`it runs as an ordinary user (uid ${process.getuid?.()}), and ${bwrap}`);
}

/** Why bubblewrap cannot isolate a command here, or `undefined` when it can (it is tried). */
function bwrapProblem(): string | undefined {
  const tried = spawnSync('bwrap', ['--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '--unshare-all', '--die-with-parent', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (tried.error) {
    return (tried.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'bubblewrap (bwrap) is not installed' : `bubblewrap (bwrap) cannot run: ${tried.error.message}`;
  }
  return tried.status === 0 ? undefined : `bubblewrap (bwrap) cannot make a namespace here: ${tried.stderr.trim() || `exit code ${tried.status}`}`;
}

/** Whether `prlimit` (util-linux) is there to limit a repository's processes and memory. */
function hasPrlimit(): boolean {
  return spawnSync('prlimit', ['--version'], { timeout: 10_000 }).status === 0;
}

/** How a domain's command is run. */
export interface SandboxRunOptions {
  /** Variables the command needs besides the allow-listed ones (never a secret). */
  readonly env?: Record<string, string | undefined>;
  /** @default - the sandbox's time limit for a step */
  readonly timeoutMs?: number;
}

/**
 * Where the code of one domain repository runs during a fleet upgrade: its `npm install` (with
 * the install scripts of its dependencies), its `.projenrc.ts` and its build. That code is the
 * domain team's, so it runs without the platform's power:
 *
 * - with an allow-listed environment ({@link DOMAIN_ENV_ALLOW_LIST}) and a home, a temporary
 *   folder and an npm cache of its own, so it finds no token in its variables, in `~/.npmrc` or
 *   in git's configuration; its npm reads the run's configuration ({@link DomainNpmConfig}: the
 *   registry, certificate authorities and read-only token the platform gives domain installs),
 *   copied into that home;
 * - when the platform runs as root (a CI runner, a container), as a user of its own that owns
 *   only its working tree: it can neither read the platform's process (and the token in its
 *   environment) nor write the run's shared packages, the git folder the platform pushes from,
 *   or another repository's tree; as an ordinary user, in a namespace of its own through
 *   bubblewrap, where the machine has it ({@link SandboxIsolation}), with copies of the shared
 *   packages of its own, since it runs as their owner ({@link SharedPackages});
 * - with limits on its processes and their memory ({@link Limits}), and with everything it
 *   started ended when each of its commands ends.
 *
 * Without either, the run is refused ({@link chooseIsolation}), unless the platform team accepts
 * running the code as its own user (`shared`, for a trusted fleet).
 */
export class DomainSandbox {
  /**
   * Sandboxes for the repositories of a run whose scratch space is `scratch`, whose npm reads
   * `npm` (by default npm's defaults alone), isolated as `isolation` says (by default the
   * strongest this machine gives, see {@link chooseIsolation}: it throws when there is none).
   * `readable`: files outside the scratch space the repositories' code reads (the target's
   * tarball), which a namespace would otherwise hide.
   */
  public static forRun(
    scratch: string,
    options: { stepTimeoutMs: number; npm?: DomainNpmConfig; isolation?: SandboxIsolation; readable?: string[] },
  ): DomainSandbox {
    const isolation = options.isolation ?? chooseIsolation();
    const limits: Limits = hasPrlimit() ? { processes: isolation === 'user' ? SANDBOX_MAX_TASKS : undefined, dataBytes: SANDBOX_MAX_DATA_BYTES } : {};
    return new DomainSandbox(scratch, isolation, options.stepTimeoutMs, options.npm ?? DomainNpmConfig.none(), limits, options.readable ?? []);
  }

  private next = 0;
  private readonly firstId: number | undefined;

  private constructor(
    private readonly scratch: string,
    /** How each repository's code is isolated. */
    public readonly isolation: SandboxIsolation,
    /** How long one step of a repository may take. */
    public readonly stepTimeoutMs: number,
    private readonly npm: DomainNpmConfig,
    /** The limits each of a repository's processes runs with. */
    public readonly limits: Limits,
    private readonly readable: string[],
  ) {
    if (isolation === 'user') {
      // Each repository's user must reach its own folder below the scratch space, and list nothing.
      fs.chmodSync(scratch, 0o711);
      this.firstId = freeSlot();
    }
  }

  /** Whether each repository runs as a user of its own (this process is root). */
  public get isolatedByUser(): boolean {
    return this.isolation === 'user';
  }

  /**
   * A sandbox for one repository, working in `dir` (a new folder of the scratch space), with a
   * user ID no other repository of the run had: a process an earlier repository left could
   * otherwise reach this one's files.
   */
  public forRepository(dir: string): RepositorySandbox {
    let id: number | undefined;
    if (this.firstId !== undefined) {
      if (this.next >= UIDS_PER_RUN) {
        throw new Error(`a run isolates at most ${UIDS_PER_RUN} repositories, each as a user of its own: upgrade the fleet in several runs (--repos)`);
      }
      id = this.firstId + this.next++;
    }
    const namespace = this.isolation === 'namespace' ? { hidden: [this.scratch], readable: this.readable } : undefined;
    return new RepositorySandbox(dir, id, this.stepTimeoutMs, this.scratch, this.npm, this.limits, namespace);
  }
}

/** The limits of each process of a repository (absent: none, the machine has no `prlimit`). */
export interface Limits {
  /** Processes and threads its user may have (`RLIMIT_NPROC`). */
  readonly processes?: number;
  /** Memory a process may allocate (`RLIMIT_DATA`). */
  readonly dataBytes?: number;
}

/** What a namespace hides from a repository's code, and what it lets it read of that. */
interface Namespace {
  readonly hidden: string[];
  readonly readable: string[];
}

/**
 * The first user ID of a slot no process uses: the one this process's ID points at, else the
 * next. A slot a process uses is another run's (or what a killed run left).
 */
function freeSlot(): number {
  const start = process.pid % RUN_SLOTS;
  for (let i = 0; i < RUN_SLOTS; i++) {
    const first = SANDBOX_UID_BASE + ((start + i) % RUN_SLOTS) * UIDS_PER_RUN;
    if (!processesOfUserRange(first, first + UIDS_PER_RUN)) {
      return first;
    }
  }
  throw new Error('every user ID range of sandboxes is in use by a process: end the fleet upgrades that run, or the processes they left');
}

function processesOfUserRange(from: number, to: number): boolean {
  for (const entry of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const uid = fs.statSync(`/proc/${entry}`).uid;
      if (uid >= from && uid < to) {
        return true;
      }
    } catch {
      // Gone meanwhile.
    }
  }
  return false;
}

/**
 * One repository's sandbox: its working tree `work/`, and `home/` with its temporary folder, npm
 * cache and npm configuration (with copies of the certificate authorities it names), all owned by
 * its user; see {@link DomainSandbox}.
 */
export class RepositorySandbox {
  /** The working tree the domain's code runs in. */
  public readonly workTree: string;
  /** The home of the domain's code: its own, so what it writes there is read as untrusted. */
  public readonly home: string;
  /** The variables that point npm at the run's configuration, copied into the home. */
  private readonly npmEnvironment: Record<string, string>;
  /** How it gets the run's shared packages: copies in a namespace, where its code owns their files. */
  public readonly sharedPackages: SharedPackages;

  constructor(
    dir: string,
    /** The user (and group) ID it runs as, when the platform runs as root. */
    public readonly id: number | undefined,
    private readonly stepTimeoutMs: number,
    scratch: string,
    npm: DomainNpmConfig = DomainNpmConfig.none(),
    private readonly limits: Limits = {},
    private readonly namespace?: Namespace,
  ) {
    this.workTree = path.join(dir, 'work');
    this.home = path.join(dir, 'home');
    this.sharedPackages = namespace === undefined ? 'link' : 'copy';
    if (!dir.startsWith(scratch)) {
      throw new Error(`${dir} is not in the run's scratch space`);
    }
    fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
    for (const folder of [this.home, path.join(this.home, 'tmp'), path.join(this.home, 'npm-cache')]) {
      fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
      this.own(folder);
    }
    // Copies its user can read: the platform's CA files may be readable by the platform alone.
    this.npmEnvironment = npm.install(path.join(this.home, 'npm'), this.owner);
  }

  /** The owner that {@link handOver} gives files, when there is one. */
  public get owner(): { uid: number; gid: number } | undefined {
    return this.id === undefined ? undefined : { uid: this.id, gid: this.id };
  }

  /**
   * Gives the working tree to the repository's user, all but `except` (the `.git` link to the
   * platform's git folder): its code may change every file of it, and nothing else.
   */
  public handOver(except: string[] = ['.git']): void {
    if (this.id === undefined) {
      return;
    }
    this.own(this.workTree);
    // Its own user only: another repository's code must not read or change it.
    fs.chmodSync(this.workTree, 0o700);
    for (const entry of fs.readdirSync(this.workTree)) {
      if (!except.includes(entry)) {
        chownTree(path.join(this.workTree, entry), this.id);
      }
    }
  }

  /**
   * Runs a command of the domain's in its working tree, as its user (or in its namespace), with
   * the allow-listed environment and the limits. Its output is a log: its last part is kept.
   * Everything it started is ended when it ends: its process group, and as its own user, every
   * process of that user.
   */
  public run(program: string, args: string[], options: SandboxRunOptions = {}): Promise<ExecResult> {
    const [command, ...rest] = [...this.namespaced(), ...this.limited(), program, ...args];
    return exec(command, rest, {
      cwd: this.workTree,
      inheritEnv: false,
      env: { ...this.environment(), ...options.env },
      uid: this.id,
      gid: this.id,
      ownsUser: this.id !== undefined,
      stdout: 'log',
      timeoutMs: options.timeoutMs ?? this.stepTimeoutMs,
    });
  }

  /** `prlimit` with the limits, before the command, when there are any. */
  private limited(): string[] {
    const { processes, dataBytes } = this.limits;
    if (processes === undefined && dataBytes === undefined) {
      return [];
    }
    return ['prlimit', ...(processes === undefined ? [] : [`--nproc=${processes}`]), ...(dataBytes === undefined ? [] : [`--data=${dataBytes}`]), '--'];
  }

  /**
   * bubblewrap, before the command, in a namespace: users, processes (it sees none of the
   * platform's: /proc is its own), IPC, host name and cgroups of its own, the network shared (npm
   * needs it); the file system read-only, with the platform user's home, the run's scratch space
   * and the user's runtime folder (agent sockets) hidden, but for its own folder (writable) and
   * what it must read; a session of its own (no terminal to type into), ended with the platform.
   */
  private namespaced(): string[] {
    if (this.namespace === undefined) {
      return [];
    }
    const dir = path.dirname(this.workTree);
    const runtime = `/run/user/${process.getuid?.()}`;
    const hidden = [os.homedir(), ...this.namespace.hidden, ...(fs.existsSync(runtime) ? [runtime] : [])].filter((folder) => folder !== '/');
    // Node and npm may be installed in the home (nvm): their folder stays readable.
    const readable = [path.dirname(path.dirname(process.execPath)), ...this.namespace.readable].filter((file) => fs.existsSync(file));
    return [
      'bwrap', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc',
      ...hidden.flatMap((folder) => ['--tmpfs', folder]),
      ...readable.flatMap((file) => ['--ro-bind', file, file]),
      '--bind', dir, dir,
      '--chdir', this.workTree,
      '--unshare-all', '--share-net', '--die-with-parent', '--new-session', '--',
    ];
  }

  /** The environment a domain's command gets. */
  public environment(): Record<string, string> {
    return {
      ...allowedEnvironment(),
      HOME: this.home,
      TMPDIR: path.join(this.home, 'tmp'),
      npm_config_cache: path.join(this.home, 'npm-cache'),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      ...this.npmEnvironment,
      // Not CI: projen would install with `npm ci`, which the upgrade's changed lock file fails.
      GIT_TERMINAL_PROMPT: '0',
    };
  }

  private own(file: string): void {
    if (this.id !== undefined) {
      fs.lchownSync(file, this.id, this.id);
    }
  }
}

/** Gives a folder and everything in it (links themselves, never what they point at) to `id`. */
function chownTree(file: string, id: number): void {
  fs.lchownSync(file, id, id);
  if (fs.lstatSync(file).isDirectory()) {
    for (const entry of fs.readdirSync(file)) {
      chownTree(path.join(file, entry), id);
    }
  }
}
