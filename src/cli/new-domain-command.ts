import * as os from 'os';
import * as path from 'path';
import { parseFlags } from './command-line';
import { assertDomainName } from '../domain/domain-name';
import { readTemplateVersion } from '../domain/domain-settings';
import { DEFAULT_GITHUB_API_URL, githubApiUrl } from '../github/github-client';
import { GitHubSetupError } from '../github/github-setup-error';
import { findGitHubToken } from '../github/github-token';
import { LocalRegistrationResult } from '../github/local-registration';
import { GitHubSetupResult } from '../github/setup-step';
import { scaffoldDomain, ScaffoldedDomain } from '../scaffold/scaffold-domain';
import { InvalidOptionError } from '../util/invalid-option-error';
import { StepEvent } from '../util/steps';

export const NEW_DOMAIN_USAGE = `Usage: sdlf-mesh new domain <name> --owner <owner> [options]

Generates a domain repository with projen (sdlf-domain project type), installs it and commits,
then creates it on GitHub (with a token and --github) or pushes it to a local bare repository.

  --owner <owner>            accountable owner: mailbox, @user or @org/team (required)
  --cost-center <id>         cost center for the sdlf:cost-center tag
  --environments <spec>      name[:account[:region]], repeat for each (default: dev, test, prod)
  --github-org <org>         GitHub organization of the repository
  --platform-team <slug>     GitHub team of the platform team (co-owns generated files)
  --template-version <v>     sdlf-mesh version the repository depends on
  --from <spec|tarball>      template to generate from (default: this sdlf-mesh version)
  --dir <folder>             where to generate (default: ./<name>)
  --remotes-dir <folder>     local bare repositories to push to, the stand-in for GitHub
                             (default: ~/.sdlf-mesh/remotes); without a token, the registration
                             goes to <folder>/<platform repo name>.git when it exists
  --platform-dir <folder>    without a token: the platform repository on this machine (a clone
                             or a bare repository); the registration is committed there on
                             branch sdlf-mesh/register-<name>, for the platform team to merge
  --verbose                  show the output of projen

GitHub (with a token in GITHUB_TOKEN, GH_TOKEN or --token-file; API at GITHUB_API_URL,
default ${DEFAULT_GITHUB_API_URL}, or https://<host>/api/v3 for GitHub Enterprise Server):
  --github <owner>/<repo>    create the repository there, push main with git, then set topics,
                             custom properties, branch protection, environments and team access
  --visibility <v>           private (default), internal or public
  --team <slug>:<permission> give a team pull, triage, push, maintain or admin; repeat for each
  --reviewers <who>          required reviewers of the last environment: @login or @org/team,
                             repeat for each (default: the owner when it is a GitHub user or team)
  --adopt                    set up an existing repository that holds other history (its main
                             stays; the generated commit goes to branch sdlf-mesh/scaffold)
  --platform-repo <owner>/<repo>
                             register the domain in the platform team's repository: one pull
                             request adding domains/<name>.yaml (every environment then needs
                             an account and a region); the environments get the variables
                             AWS_DEPLOY_ROLE_ARN and AWS_REGION either way
  --token-file <file>        read the token from a file
  --dry-run                  print every API request and git operation it would make; change nothing
  --json                     print the result as JSON

Run it again to complete a run that failed half-way: every step looks before it writes. The steps
and their times are printed on standard error, the result on standard output.
projen new installs with your npm settings: the registry, token and cafile of ~/.npmrc or the
global npmrc, npm_config_* variables but tokens, and NODE_EXTRA_CA_CERTS, SSL_CERT_FILE,
HTTPS_PROXY, NO_PROXY (no token variable: the install scripts it runs are third-party code).

Examples:
  sdlf-mesh new domain sales --owner sales-data@example.com --environments dev:111111111111:eu-west-1
  sdlf-mesh new domain sales --owner @acme/sales --github acme/sales-data --dry-run`;

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
