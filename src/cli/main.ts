#!/usr/bin/env node
// The `sdlf-mesh` command: it only parses arguments, calls the library and prints.
import { parseArgs } from 'util';
import { InvalidOptionError } from '../config/invalid-option-error';
import { readTemplateVersion } from '../projects/domain-settings';
import { scaffoldDomain } from '../scaffold/scaffold-domain';

const USAGE = `Usage: sdlf-mesh new domain <name> --owner <owner> [options]

Generates a domain repository with projen (sdlf-domain project type), installs it and commits.

Options:
  --owner <owner>            accountable owner: mailbox, @user or @org/team (required)
  --cost-center <id>         cost center for the sdlf:cost-center tag
  --environments <spec>      name[:account[:region]], repeat for each (default: dev, test, prod)
  --github-org <org>         GitHub organization of the repository
  --platform-team <slug>     GitHub team of the platform team (co-owns generated files)
  --template-version <v>     sdlf-mesh version the repository depends on
  --from <spec|tarball>      template to generate from (default: this sdlf-mesh version)
  --dir <folder>             where to generate (default: ./<name>)
  --verbose                  show the output of projen
  -h, --help                 show this help`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
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
      'verbose': { type: 'boolean' },
      'help': { type: 'boolean', short: 'h' },
    },
  });
  const [command, kind, name] = positionals;
  if (values.help || command !== 'new' || kind !== 'domain' || !name) {
    console.log(USAGE);
    return values.help ? 0 : 2;
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
    verbose: values.verbose,
  });
  console.log(`Domain repository "${name}" generated in ${result.dir} (template ${result.templateSpec}).`);
  console.log(`Next: cd ${result.dir} && npx projen build && npx cdk synth`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(error instanceof InvalidOptionError ? error.message : `sdlf-mesh: ${error.message}`);
    process.exitCode = 1;
  },
);
