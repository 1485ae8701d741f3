import * as os from 'os';
import * as path from 'path';
import { parseFlags } from './command-line';
import { assertDomainName } from '../domain/domain-name';
import { readTemplateVersion } from '../domain/domain-settings';
import { githubApiUrl } from '../github/github-client';
import { GitHubSetupError } from '../github/github-setup-error';
import { findGitHubToken } from '../github/github-token';
import { LocalRegistrationResult } from '../github/local-registration';
import { GitHubSetupResult } from '../github/setup-step';
import { scaffoldDomain, ScaffoldedDomain } from '../scaffold/scaffold-domain';
import { InvalidOptionError } from '../util/invalid-option-error';
import { StepEvent } from '../util/steps';


const NEW_DOMAIN_OPTIONS = {
  'owner': { type: 'string' },
  'cost-center': { type: 'string' },
  'environments': { type: 'string', multiple: true },
  'github-org': { type: 'string' },
  'platform-team': { type: 'string' },
  'template-version': { type: 'string' },
  'from': { type: 'string' },
  'dir': { type: 'string' },
  'remotes-dir': { type: 'string' },
  'verbose': { type: 'boolean' },
  'github': { type: 'string' },
  'visibility': { type: 'string' },
  'team': { type: 'string', multiple: true },
  'reviewers': { type: 'string', multiple: true },
  'adopt': { type: 'boolean' },
  'platform-repo': { type: 'string' },
  'platform-dir': { type: 'string' },
  'token-file': { type: 'string' },
  'dry-run': { type: 'boolean' },
  'json': { type: 'boolean' },
} as const;

/** `sdlf-mesh new domain <name> ...` */
export async function newDomainCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, NEW_DOMAIN_OPTIONS, true);
  const [name] = positionals;
  if (!name) {
    throw new InvalidOptionError('name', 'give the domain name: sdlf-mesh new domain <name> --owner <owner>');
  }
  // The name first: it is the one argument given without a flag, so the likeliest to be wrong.
  assertDomainName(name);
  if (!values.owner) {
    throw new InvalidOptionError('owner', 'give the accountable owner, e.g. --owner sales-data@example.com');
  }
  const githubOnly = (['visibility', 'team', 'reviewers', 'adopt', 'token-file', 'platform-repo'] as const).find((flag) => values[flag] !== undefined);
  if (githubOnly && !values.github) {
    throw new InvalidOptionError(githubOnly, `--${githubOnly} is for the GitHub repository: give --github <owner>/<repository> too`);
  }
  const token = values.github ? findGitHubToken(values['token-file']) : undefined;
  const log = (message: string) => console.error(message);
  const options = {
    domain: name,
    owner: values.owner,
    costCenter: values['cost-center'],
    environments: values.environments,
    githubOrg: values['github-org'],
    platformTeam: values['platform-team'],
    templateVersion: values['template-version'],
    from: values.from ?? `sdlf-mesh@${readTemplateVersion()}`,
    dir: values.dir ?? name,
    remotesDir: values['remotes-dir'] ?? path.join(os.homedir(), '.sdlf-mesh', 'remotes'),
    verbose: values.verbose,
    progress: printStep,
    dryRun: values['dry-run'],
    platformDir: values['platform-dir'],
    github: values.github
      ? {
        repository: values.github,
        visibility: values.visibility,
        teams: values.team,
        reviewers: values.reviewers,
        adopt: values.adopt,
        platformRepository: values['platform-repo'],
        token,
        apiUrl: githubApiUrl(),
        log,
      }
      : undefined,
  };

  let result: ScaffoldedDomain;
  try {
    result = await scaffoldDomain(options);
  } catch (error) {
    if (!(error instanceof GitHubSetupError)) {
      throw error;
    }
    if (values.json) {
      console.log(JSON.stringify({ error: error.message, github: error.result }, null, 2));
    } else {
      printGitHubResult(error.result, false);
      console.error(`sdlf-mesh: ${error.message}`);
    }
    return 1;
  }
  if (values.json) {
    console.log(JSON.stringify({ domain: name, ...result, githubPlan: result.github ? undefined : result.githubPlan }, null, 2));
    return 0;
  }
  printResult(name, result, { dryRun: values['dry-run'] ?? false, verbose: values.verbose ?? false, wantedGitHub: values.github !== undefined });
  return 0;
}

/**
 * A step as it starts and ends, one whole line each on standard error: it reads the same on a
 * terminal, in a CI log and in a file, and stays apart from the result on standard output.
 */
function printStep(event: StepEvent): void {
  const seconds = `${(event.elapsedMs / 1000).toFixed(1)} s`;
  const line = { started: `→ ${event.step} ...`, done: `✓ ${event.step} (${seconds})`, failed: `✗ ${event.step} failed after ${seconds}` }[event.state];
  process.stderr.write(`${line}\n`);
}

function printResult(name: string, result: ScaffoldedDomain, flags: { dryRun: boolean; verbose: boolean; wantedGitHub: boolean }): void {
  if (flags.dryRun) {
    console.log('Dry run: nothing was changed.');
  }
  if (result.plannedGeneration) {
    console.log(`Domain repository "${name}" would be generated in ${result.dir}: ${result.plannedGeneration}`);
  } else {
    console.log(`Domain repository "${name}" ${result.generated ? 'generated' : 'found'} in ${result.dir} (template ${result.templateSpec}).`);
  }
  if (result.github) {
    printGitHubResult(result.github, flags.dryRun || flags.verbose);
  } else {
    if (result.remote) {
      const state = result.remote.pushed ? 'pushed to' : 'already on';
      console.log(`main (${result.remote.commit.slice(0, 12)}) ${state} ${result.remote.url}${result.remote.created ? ' (created)' : ''}.`);
    }
    console.log(
      flags.wantedGitHub
        ? 'No GitHub token (GITHUB_TOKEN, GH_TOKEN or --token-file): the local remote stands in for GitHub, where the repository would get:'
        : 'Without a GitHub token the local remote stands in for GitHub, where the repository would get:',
    );
    for (const { step, detail } of result.githubPlan) {
      console.log(`  - ${step}: ${detail}`);
    }
  }
  if (result.registration) {
    printLocalRegistration(result.registration);
  }
  if (!flags.dryRun) {
    console.log(`Next: cd ${result.dir} && npx projen build && npx cdk synth`);
  }
}

function printLocalRegistration(registration: LocalRegistrationResult): void {
  const { file, branch, baseBranch, dir, commit } = registration;
  const where = `${dir} (branch ${branch}, ${commit.slice(0, 12)})`;
  const lines: Record<LocalRegistrationResult['state'], string> = {
    'merged': `Platform registration: ${file} is on ${baseBranch} of ${dir}.`,
    'on-branch': `Platform registration: ${file} already committed in ${where}; merge it into ${baseBranch}.`,
    'committed': `Platform registration: ${file} committed in ${where}; the platform team merges it into ${baseBranch} (git merge ${branch}).`,
    'planned': `Platform registration: ${file} would be committed in ${dir} on branch ${branch}.`,
  };
  console.log(lines[registration.state]);
}

/** The steps, one a line; with `operations`, every request and git operation too. */
function printGitHubResult(github: GitHubSetupResult, operations: boolean): void {
  console.log(`GitHub repository ${github.repository}${github.url ? ` (${github.url})` : ''}:`);
  const width = Math.max(...github.steps.map((report) => report.step.length));
  for (const report of github.steps) {
    console.log(`  ${report.status.padEnd(9)} ${report.step.padEnd(width)}  ${report.detail}`.trimEnd());
  }
  if (operations) {
    console.log(github.dryRun ? 'Requests made (reads) and planned (would):' : 'Requests:');
    for (const operation of github.operations) {
      const body = operation.body !== undefined ? ` ${JSON.stringify(operation.body)}` : '';
      const outcome = operation.performed ? (operation.status !== undefined ? ` → ${operation.status}` : '') : ' (would)';
      console.log(`  ${operation.kind === 'git' ? '' : 'API '}${operation.request}${body}${outcome}`);
    }
  }
  console.log(`${github.requests.total} API requests sent, ${github.requests.contentCreating} of them content-creating.`);
}
