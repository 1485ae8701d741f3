import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { commitOf, fallbackIdentity, fileAt, gitText } from '../util/git';

/** The branch of the platform repository that carries a domain's registration until it is merged. */
export function registrationBranch(domain: string): string {
  return `sdlf-mesh/register-${domain}`;
}

/** What {@link commitRegistration} writes where. */
export interface RegistrationChange {
  /** The file in the platform repository, e.g. `domains/sales.yaml`. */
  readonly file: string;
  /** Its content. */
  readonly content: string;
  /** Other files the same commit writes, each with its content. @default - none */
  readonly alongside?: ReadonlyArray<{ readonly file: string; readonly content: string }>;
  /** The platform repository's default branch, where the registration takes effect once merged. */
  readonly baseBranch: string;
  /** The branch the registration is committed on. */
  readonly branch: string;
  /** The commit message. */
  readonly message: string;
  /** Only look: report `planned` where a commit is needed, and write nothing. */
  readonly dryRun?: boolean;
}

/**
 * Where a registration stands in a repository: `merged` (the base branch holds the file as
 * wanted), `on-branch` (the registration branch does), `committed` (this call committed it on
 * the registration branch) or `planned` (a dry run would have).
 */
export interface RegistrationCommitResult {
  readonly state: 'merged' | 'on-branch' | 'committed' | 'planned';
  /** The commit of the registration branch (of the base branch when `merged`; its parent-to-be when `planned`). */
  readonly commit: string;
}

/**
 * Commits the registration file (and the files `alongside` it) on the registration branch of a git repository, bare or not,
 * with git's plumbing: no working tree, index or checked-out branch is touched, so a platform
 * team's clone with work in progress is safe. It looks first: nothing is committed when the base
 * branch or the registration branch already holds the file as wanted. A registration branch that
 * exists gets the commit on top (never rewritten); otherwise the branch starts from the base branch.
 */
export async function commitRegistration(gitDir: string, change: RegistrationChange): Promise<RegistrationCommitResult> {
  const git = (args: string[], env: Record<string, string> = {}) => gitText({ cwd: gitDir, env }, ...args);
  const base = await commitOf(gitDir, `refs/heads/${change.baseBranch}`);
  if (base === undefined) {
    throw new Error(`${gitDir} has no branch ${change.baseBranch}`);
  }
  const wanted = [{ file: change.file, content: change.content }, ...(change.alongside ?? [])];
  const holds = async (commit: string, { file, content }: { file: string; content: string }) => (await fileAt(gitDir, commit, file)) === content;
  const holdsAll = async (commit: string) => (await Promise.all(wanted.map((one) => holds(commit, one)))).every(Boolean);
  if (await holdsAll(base)) {
    return { state: 'merged', commit: base };
  }
  const existing = await commitOf(gitDir, `refs/heads/${change.branch}`);
  if (existing !== undefined && (await holdsAll(existing))) {
    return { state: 'on-branch', commit: existing };
  }
  const parent = existing ?? base;
  if (change.dryRun) {
    return { state: 'planned', commit: parent };
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-registration-'));
  try {
    // A throw-away index: the repository's own index and working tree stay as they are.
    const index = { GIT_INDEX_FILE: path.join(scratch, 'index') };
    await git(['read-tree', parent], index);
    for (const [at, { file, content }] of wanted.entries()) {
      const contentFile = path.join(scratch, `content-${at}`);
      fs.writeFileSync(contentFile, content);
      const blob = await git(['hash-object', '-w', contentFile]);
      await git(['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`], index);
    }
    const tree = await git(['write-tree'], index);
    const commit = await git(['commit-tree', tree, '-p', parent, '-m', change.message], await fallbackIdentity(gitDir));
    // Only moves the branch from where it was read: a concurrent change makes this fail, not vanish.
    await git(['update-ref', `refs/heads/${change.branch}`, commit, existing ?? '0'.repeat(40)]);
    return { state: 'committed', commit };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
