import * as fs from 'fs';
import * as path from 'path';
import { linkTree } from '../util/link-tree';

// npm rewrites its record of the installed tree in place: each repository gets its own copy.
const REWRITTEN_IN_PLACE = new Set(['.package-lock.json']);

/**
 * The dependencies of a fleet run, installed once. Repositories of one template version depend on
 * the same packages, so the first repository to reach its install step installs them (from the
 * npm cache) and keeps its `node_modules` as the run's; each later repository starts from hard
 * links to it, and its `npm install` only reconciles what its own package.json and lock file ask
 * for differently (a domain's own dependencies, say). npm checks the tree it finds against the
 * lock file, so the result is what a clean install gives, in seconds instead of half a minute.
 */
export class SharedInstall {
  private installed?: string;
  private installing?: Promise<void>;

  /** @param dir where the run's `node_modules` is kept (a folder of the run's scratch space) */
  constructor(private readonly dir: string) {}

  /**
   * Runs `install` in the repository at `repoDir`, from the run's `node_modules` when there is
   * one. Repositories that reach this step while the first install is running wait for it, so
   * the packages are installed once; if it fails, the next repository installs them.
   */
  public async install(repoDir: string, install: () => Promise<void>): Promise<void> {
    while (this.installing) {
      await this.installing;
    }
    const modules = path.join(repoDir, 'node_modules');
    if (this.installed) {
      linkTree(this.installed, modules, REWRITTEN_IN_PLACE);
      await install();
      return;
    }
    let finished!: () => void;
    this.installing = new Promise((resolve) => (finished = resolve));
    try {
      await install();
      const kept = path.join(this.dir, 'node_modules');
      fs.rmSync(kept, { recursive: true, force: true });
      linkTree(modules, kept, REWRITTEN_IN_PLACE);
      this.installed = kept;
    } finally {
      this.installing = undefined;
      finished();
    }
  }
}
