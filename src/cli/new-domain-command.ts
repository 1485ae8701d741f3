import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { InvalidOptionError } from '../config/invalid-option-error';
import { readTemplateVersion } from '../projects/domain-settings';
import { scaffoldDomain } from '../scaffold/scaffold-domain';

export const NEW_DOMAIN_USAGE = `sdlf-mesh new domain <name> --owner <owner> [options]

Generates a domain repository with projen (sdlf-domain project type), installs it and commits.

  --owner <owner>            accountable owner: mailbox, @user or @org/team (required)
  --cost-center <id>         cost center for the sdlf:cost-center tag
  --environments <spec>      name[:account[:region]], repeat for each (default: dev, test, prod)
  --github-org <org>         GitHub organization of the repository
  --platform-team <slug>     GitHub team of the platform team (co-owns generated files)
  --template-version <v>     sdlf-mesh version the repository depends on
  --from <spec|tarball>      template to generate from (default: this sdlf-mesh version)
  --dir <folder>             where to generate (default: ./<name>)
  --remotes-dir <folder>     local bare repositories to push to, the stand-in for GitHub
                             (default: ~/.sdlf-mesh/remotes)
  --verbose                  show the output of projen

Run it again to complete a run that failed after generating: the repository is kept and pushed.`;

/** `sdlf-mesh new domain <name> ...` */
export async function newDomainCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
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
    },
  });
  const [name] = positionals;
  if (!name) {
    throw new InvalidOptionError('name', 'give the domain name: sdlf-mesh new domain <name> --owner <owner>');
  }
  if (!values.owner) {
    throw new InvalidOptionError('owner', 'give the accountable owner, e.g. --owner sales-data@example.com');
  }
  const result = await scaffoldDomain({
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
  });
  console.log(`Domain repository "${name}" ${result.generated ? 'generated' : 'found'} in ${result.dir} (template ${result.templateSpec}).`);
  if (result.remote) {
    const state = result.remote.pushed ? 'pushed to' : 'already on';
    console.log(`main (${result.remote.commit.slice(0, 12)}) ${state} ${result.remote.url}${result.remote.created ? ' (created)' : ''}.`);
  }
  console.log('Without a GitHub token the local remote stands in for GitHub, where the repository would get:');
  for (const { step, detail } of result.githubPlan) {
    console.log(`  - ${step}: ${detail}`);
  }
  console.log(`Next: cd ${result.dir} && npx projen build && npx cdk synth`);
  return 0;
}
