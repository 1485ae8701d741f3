import * as fs from 'fs';
import * as path from 'path';
import { InvalidOptionError } from '../config/invalid-option-error';
import { DomainOptionValues, resolveDomainSettings, TEMPLATE_PACKAGE } from '../projects/domain-settings';
import { exec } from '../util/exec';

/** What {@link scaffoldDomain} generates: the project-type options, and where and from what. */
export interface ScaffoldDomainOptions extends DomainOptionValues {
  /** Folder to generate the repository in; it must not exist or be empty. */
  readonly dir: string;
  /**
   * The template: an npm spec (`sdlf-mesh@1.2.0`) or the path of a tarball made by `npm pack`.
   */
  readonly from: string;
  /** Pass the output of `projen new` through to this process. */
  readonly verbose?: boolean;
}

/** A generated domain repository. */
export interface ScaffoldedDomain {
  /** Absolute path of the repository. */
  readonly dir: string;
  /** The dependency spec `projen new` was given for the template. */
  readonly templateSpec: string;
}

/**
 * Generates a domain repository with the real `projen new --from <template> sdlf-domain`: it
 * installs the template, writes the files, installs the dependencies and makes the first commit.
 *
 * Every option is checked first, and the folder must be new or empty, so a bad input writes
 * nothing and nothing a user wrote is overwritten.
 */
export async function scaffoldDomain(options: ScaffoldDomainOptions): Promise<ScaffoldedDomain> {
  resolveDomainSettings(options);
  const dir = path.resolve(options.dir);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw new InvalidOptionError('dir', `${dir} exists and is not empty; give a new or empty folder`);
  }
  const templateSpec = templateSpecFrom(options.from);

  fs.mkdirSync(dir, { recursive: true });
  const args = ['new', '--from', templateSpec, 'sdlf-domain', '--domain', options.domain, '--owner', options.owner];
  const flags: Array<[string, string | undefined]> = [
    ['--cost-center', options.costCenter],
    ['--github-org', options.githubOrg],
    ['--platform-team', options.platformTeam],
    ['--template-version', options.templateVersion],
  ];
  for (const [flag, value] of flags) {
    if (value !== undefined) {
      args.push(flag, value);
    }
  }
  for (const environment of options.environments ?? []) {
    args.push('--environments', environment);
  }
  // `projen new` installs with `npm ci` when CI is set, which fails before there is a lockfile.
  const env = { CI: undefined, ...(await fallbackGitIdentity(dir)) };
  await exec(process.execPath, [projenCli(), ...args], { cwd: dir, env, inherit: options.verbose });
  return { dir, templateSpec };
}

/**
 * The package spec `projen new --from` needs: a tarball path becomes `sdlf-mesh@file:<absolute path>`
 * (a bare path would be taken for a package name); anything else is an npm spec already.
 */
export function templateSpecFrom(from: string): string {
  if (from.endsWith('.tgz') || from.startsWith('.') || path.isAbsolute(from)) {
    const tarball = path.resolve(from);
    if (!fs.existsSync(tarball)) {
      throw new InvalidOptionError('from', `${tarball} does not exist; give an npm spec such as ${TEMPLATE_PACKAGE}@1.0.0 or the path of a tarball made by npm pack`);
    }
    return `${TEMPLATE_PACKAGE}@file:${tarball}`;
  }
  return from;
}

/**
 * `projen new` makes the first commit; on a machine where git has no identity yet, the commit is
 * made in the name of sdlf-mesh instead of failing.
 */
async function fallbackGitIdentity(cwd: string): Promise<Record<string, string>> {
  try {
    await exec('git', ['config', 'user.email'], { cwd });
    return {};
  } catch {
    const name = 'sdlf-mesh';
    const email = 'sdlf-mesh@users.noreply.github.com';
    return { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email };
  }
}

/** The projen CLI this package depends on: the real `projen new` code path. */
function projenCli(): string {
  return require.resolve('projen/bin/projen');
}
