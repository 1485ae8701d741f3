import * as fs from 'fs';
import * as path from 'path';
import { DomainRegistration } from '../domain/domain-registration';
import { registrationFile } from '../domain/names';
import { commitRegistration, registrationBranch, RegistrationCommitResult } from '../platform/registration-commit';
import { registrationCommitMessage, renderDomainRegistration } from '../platform/registration-document';
import { commitOf, gitSucceeds } from '../util/git';
import { InvalidOptionError } from '../util/invalid-option-error';

/** What {@link registerInLocalPlatform} did. */
export interface LocalRegistrationResult extends RegistrationCommitResult {
  /** The platform repository (a working tree or a bare repository). */
  readonly dir: string;
  /** The registration file, e.g. `domains/sales.yaml`. */
  readonly file: string;
  /** The branch that carries it until it is merged. */
  readonly branch: string;
  /** The branch it is merged into. */
  readonly baseBranch: string;
}

/**
 * Throws an {@link InvalidOptionError} unless `dir` is a git repository with the branch
 * `baseBranch`; called before anything is generated or pushed.
 */
export async function assertLocalPlatform(dir: string, baseBranch = 'main'): Promise<void> {
  const isRepository = fs.existsSync(dir) && (await gitSucceeds(dir, 'rev-parse', '--git-dir'));
  if (!isRepository) {
    throw new InvalidOptionError('platform-dir', `${dir} is not a git repository; give the platform repository's folder (a clone, or a bare repository)`);
  }
  const hasBase = (await commitOf(dir, `refs/heads/${baseBranch}`)) !== undefined;
  if (!hasBase) {
    throw new InvalidOptionError('platform-dir', `${dir} has no branch ${baseBranch}; give the platform repository, whose ${baseBranch} holds its domains/ folder`);
  }
}

/**
 * Registers a domain in a platform repository on this machine, the stand-in for the pull request
 * on GitHub when there is no token: the same file on the same branch, as one commit, which the
 * platform team reviews and merges (`git merge sdlf-mesh/register-<domain>`). The repository can
 * be the platform team's clone (its working tree, index and checked-out branch are not touched)
 * or a bare repository. A re-run commits nothing; a dry run only looks.
 */
export async function registerInLocalPlatform(
  platformDir: string,
  registration: DomainRegistration,
  options: { readonly baseBranch?: string; readonly dryRun?: boolean } = {},
): Promise<LocalRegistrationResult> {
  const dir = path.resolve(platformDir);
  const baseBranch = options.baseBranch ?? 'main';
  await assertLocalPlatform(dir, baseBranch);
  const file = registrationFile(registration.domain);
  const branch = registrationBranch(registration.domain);
  const result = await commitRegistration(dir, {
    file,
    content: renderDomainRegistration(registration),
    baseBranch,
    branch,
    message: registrationCommitMessage(registration),
    dryRun: options.dryRun,
  });
  return { ...result, dir, file, branch, baseBranch };
}
