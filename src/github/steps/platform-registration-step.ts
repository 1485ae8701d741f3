import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DomainRegistration } from '../../domain/domain-registration';
import { registrationFile } from '../../domain/names';
import { commitRegistration, registrationBranch } from '../../platform/registration-commit';
import {
  registrationCommitMessage,
  registrationRequestTitle,
  renderDomainRegistration,
  renderRegistrationRequest,
} from '../../platform/registration-document';
import { git } from '../../util/git';
import { InvalidOptionError } from '../../util/invalid-option-error';
import { changed, StepOutcome, unchanged } from '../../util/steps';
import { fetchBranches, GitRemoteAccess, listRemoteBranches, pushBranch } from '../git-over-https';
import { RepositoryName } from '../github-target';
import { isStatus, RepositoryData, SetupContext } from '../setup-context';
import { SetupStep } from '../setup-step';

/** The fields of a pull request the step reads. */
interface PullRequestData {
  readonly number: number;
  readonly html_url: string;
  readonly title: string;
  readonly body: string | null;
}

/**
 * Finds the platform repository (once a run), or refuses with the flag to fix: called before
 * anything is created, so a mistyped `--platform-repo` stops the run at once.
 */
export async function findPlatformRepository(context: SetupContext, platform: RepositoryName): Promise<RepositoryData> {
  const found = await context.once(`platform ${platform.owner}/${platform.name}`, () =>
    context.read<RepositoryData>('GET /repos/{owner}/{repo}', { owner: platform.owner, repo: platform.name }),
  );
  if (!found) {
    throw new InvalidOptionError(
      'platform-repo',
      `${platform.owner}/${platform.name} does not exist or the token cannot see it; give the platform team's repository, e.g. --platform-repo ${platform.owner}/data-platform, ` +
        'and a token that may push to it and open pull requests there (contents=write, pull_requests=write)',
    );
  }
  return found;
}

/**
 * Registers the domain in the platform repository, with the domain repository's GitHub IDs (which
 * the deploy role trusts): commits `domains/<domain>.yaml` on the branch
 * `sdlf-mesh/register-<domain>` and pushes it with git, then opens one pull request from it, or
 * updates the open one; it is the only content-creating API request of the step. Nothing is
 * written when the default branch already holds the registration, and neither the branch nor the
 * pull request is written again when they already say what they should.
 */
export function platformRegistrationStep(platform: RepositoryName, registration: DomainRegistration): SetupStep {
  return {
    name: 'platform registration',
    permission: 'contents=write, pull_requests=write',
    honoursDryRun: true,
    plan: () => `pull request on ${platform.owner}/${platform.name} adding ${registrationFile(registration.domain)}`,
    run: (context) => register(context, platform, registration),
  };
}

async function register(context: SetupContext, platform: RepositoryName, settings: DomainRegistration): Promise<StepOutcome> {
  const registration = withRepositoryIds(settings, context.repository?.data);
  const repository = await findPlatformRepository(context, platform);
  const fullName = `${platform.owner}/${platform.name}`;
  const file = registrationFile(registration.domain);
  const base = repository.default_branch;
  const branch = registrationBranch(registration.domain);
  const access: GitRemoteAccess = { url: repository.clone_url, token: context.token };

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-platform-'));
  let pushed: boolean;
  try {
    await git(scratch, 'init', '--quiet', '--bare', scratch);
    context.logGit(`git ls-remote --heads ${repository.clone_url}`, { readOnly: true });
    const branches = await listRemoteBranches(scratch, access);
    const fetched = [base, ...(branches.has(branch) ? [branch] : [])];
    context.logGit(`git fetch --depth 1 ${repository.clone_url} ${fetched.join(' ')}`, { readOnly: true });
    await fetchBranches(scratch, access, fetched);
    const result = await commitRegistration(scratch, {
      file,
      content: renderDomainRegistration(registration),
      baseBranch: base,
      branch,
      message: registrationCommitMessage(registration),
    });
    if (result.state === 'merged') {
      return unchanged(`${file} is on ${base} of ${fullName}`);
    }
    pushed = result.state === 'committed';
    if (pushed) {
      context.logGit(`git push ${repository.clone_url} ${branch}:${branch}`);
      if (!context.dryRun) {
        await pushBranch(scratch, access, { remote: repository.clone_url, source: branch, target: branch, setUpstream: false });
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  const pull = await openOrUpdatePullRequest(context, platform, registration, base, branch);
  const done = [...(pushed ? [`${file} committed on ${branch}`] : []), ...(pull.change ? [pull.change] : [])];
  const summary = `${file} in ${pull.url ?? `a pull request from ${branch} to ${base} of ${fullName}`}`;
  return done.length > 0 ? changed(context, `${summary} (${done.join(', ')})`) : unchanged(summary);
}

/**
 * The registration with the domain repository's IDs, as the repository step found them (`id`,
 * `owner.id`): the deploy role trusts them. A dry run that would create the repository knows none yet.
 */
function withRepositoryIds(registration: DomainRegistration, repository: RepositoryData | undefined): DomainRegistration {
  return repository ? { ...registration, repositoryId: repository.id, repositoryOwnerId: repository.owner.id } : registration;
}

/** Opens the registration's pull request, or brings the open one's title and body up to date. */
async function openOrUpdatePullRequest(
  context: SetupContext,
  platform: RepositoryName,
  registration: DomainRegistration,
  base: string,
  branch: string,
): Promise<{ url?: string; change?: string }> {
  const repo = { owner: platform.owner, repo: platform.name };
  const title = registrationRequestTitle(registration);
  const body = renderRegistrationRequest(registration, context.repository?.htmlUrl ?? `https://github.com/${registration.repository}`);
  const findOpen = async () =>
    (await context.read<PullRequestData[]>('GET /repos/{owner}/{repo}/pulls', { ...repo, head: `${platform.owner}:${branch}`, base, state: 'open', per_page: 10 }))?.[0];
  let open = await findOpen();
  if (!open) {
    try {
      const created = await context.write<PullRequestData>('POST /repos/{owner}/{repo}/pulls', { ...repo, title, head: branch, base, body });
      return { url: created?.html_url, change: 'pull request opened' };
    } catch (error) {
      // Opened by a request whose answer was lost (the client sent it again): update that one.
      if (!isStatus(error, 422) || !(open = await findOpen())) {
        throw error;
      }
    }
  }
  if (open.title === title && (open.body ?? '') === body) {
    return { url: open.html_url };
  }
  await context.write('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { ...repo, pull_number: open.number, title, body });
  return { url: open.html_url, change: `pull request #${open.number} updated` };
}
