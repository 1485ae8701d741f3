import * as fs from 'fs';
import * as path from 'path';
import { DomainNpmConfig } from './domain-npm-config';
import { allowedEnvironment } from '../util/allowed-environment';
import { exec, ExecResult } from '../util/exec';

// When this process is root, each repository of a run gets a user ID of its own from this range:
// the run's share of it comes from its process ID, so runs side by side on one machine get
// different IDs (but for process IDs 16,383 apart).
const SANDBOX_UID_BASE = 0x4000_0000;
const UIDS_PER_RUN = 0x1_0000;
const RUN_SLOTS = 0x3fff;

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
 *   or another repository's tree.
 *
 * As an ordinary user the platform cannot switch users: the code then runs as that user, with
 * the environment above, and {@link isolatedByUser} says so.
 */
export class DomainSandbox {
  /**
   * Sandboxes for the repositories of a run whose scratch space is `scratch`, whose npm reads
   * `npm` (by default npm's defaults alone).
   */
  public static forRun(scratch: string, options: { stepTimeoutMs: number; npm?: DomainNpmConfig }): DomainSandbox {
    const root = process.getuid?.() === 0;
    return new DomainSandbox(scratch, root, options.stepTimeoutMs, options.npm ?? DomainNpmConfig.none());
  }

  private next = 0;

  private constructor(
    private readonly scratch: string,
    /** Whether each repository runs as a user of its own (this process is root). */
    public readonly isolatedByUser: boolean,
    /** How long one step of a repository may take. */
    public readonly stepTimeoutMs: number,
    private readonly npm: DomainNpmConfig,
  ) {
    if (isolatedByUser) {
      // Each repository's user must reach its own folder below the scratch space, and list nothing.
      fs.chmodSync(scratch, 0o711);
    }
  }

  /** A sandbox for one repository, working in `dir` (a new folder of the scratch space). */
  public forRepository(dir: string): RepositorySandbox {
    const slot = (process.pid % RUN_SLOTS) * UIDS_PER_RUN;
    const id = this.isolatedByUser ? SANDBOX_UID_BASE + slot + (this.next++ % UIDS_PER_RUN) : undefined;
    return new RepositorySandbox(dir, id, this.stepTimeoutMs, this.scratch, this.npm);
  }
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

  constructor(
    dir: string,
    /** The user (and group) ID it runs as, when the platform runs as root. */
    public readonly id: number | undefined,
    private readonly stepTimeoutMs: number,
    scratch: string,
    npm: DomainNpmConfig = DomainNpmConfig.none(),
  ) {
    this.workTree = path.join(dir, 'work');
    this.home = path.join(dir, 'home');
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

  /** Runs a command of the domain's in its working tree, as its user, with the allow-listed environment. */
  public run(program: string, args: string[], options: SandboxRunOptions = {}): Promise<ExecResult> {
    return exec(program, args, {
      cwd: this.workTree,
      inheritEnv: false,
      env: { ...this.environment(), ...options.env },
      uid: this.id,
      gid: this.id,
      timeoutMs: options.timeoutMs ?? this.stepTimeoutMs,
    });
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
