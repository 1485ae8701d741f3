import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';
import { checkConsumerPrincipals } from './consumer-principals';
import { DomainEnvironment } from './domain-environment';
import { assertDomainName } from './domain-name';
import { DEFAULT_ENVIRONMENTS, parseEnvironmentSpecs } from './environment-spec';
import { assertTagValue } from './tag-value';
import { InvalidOptionError } from '../util/invalid-option-error';

/** The npm name of this package: the template every domain repository depends on. */
export const TEMPLATE_PACKAGE = 'sdlf-mesh';

const OWNER = /^([^@\s]+@[^@\s]+\.[^@\s]+|@[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?)$/;
const GITHUB_ORG = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const GITHUB_TEAM = /^[a-z0-9][a-z0-9._-]*$/;
const POLICY_FILE = /^[\w.-][\w./-]*\.(ya?ml|json)$/;

/**
 * The options of a domain project that everything else is generated from, checked and with
 * their defaults applied.
 */
export interface DomainSettings {
  readonly domain: string;
  readonly owner: string;
  readonly costCenter: string;
  readonly environments: DomainEnvironment[];
  readonly githubOrg?: string;
  readonly platformTeam?: string;
  /** The dependency spec of the template, e.g. `sdlf-mesh@^1.2.0` or `sdlf-mesh@file:/path/x.tgz`. */
  readonly templateSpec: string;
  /** The version of the template package that runs this synth. */
  readonly templateVersion: string;
  /** The platform's governance policy, a file of the repository. */
  readonly governancePolicyFile?: string;
  /** The Lake Formation principal of each consumer domain, by domain. */
  readonly consumerPrincipals: { readonly [domain: string]: string };
  /** Where the mesh index (the catalog's `catalog.json`) is read from: a path or an https URL. */
  readonly meshIndex?: string;
}

/** The domain options a user gives, as flags or in `.projenrc.ts` (see `SdlfDomainProjectOptions`). */
export interface DomainOptionValues {
  readonly domain: string;
  readonly owner: string;
  readonly costCenter?: string;
  readonly environments?: string[];
  readonly githubOrg?: string;
  readonly platformTeam?: string;
  readonly templateVersion?: string;
  readonly governancePolicyFile?: string;
  readonly consumerPrincipals?: { readonly [domain: string]: string };
  readonly meshIndex?: string;
}

/** The options {@link resolveDomainSettings} reads. */
export interface DomainSettingsOptions extends DomainOptionValues {
  readonly deps?: string[];
  readonly devDeps?: string[];
}

/**
 * Checks the domain options and applies their defaults. Throws an {@link InvalidOptionError}
 * naming the first bad option and its fix; it writes nothing, so it can run before any file is.
 */
export function resolveDomainSettings(options: DomainSettingsOptions): DomainSettings {
  assertDomainName(options.domain);
  assertOwner(options.owner);
  const costCenter = options.costCenter ?? 'unassigned';
  assertTagValue(costCenter, 'costCenter');
  const environments = parseEnvironmentSpecs(options.environments ?? DEFAULT_ENVIRONMENTS);
  if (options.githubOrg !== undefined && !GITHUB_ORG.test(options.githubOrg)) {
    throw new InvalidOptionError('githubOrg', `"${options.githubOrg}" is not a GitHub organization name (letters, digits and hyphens, at most 39)`);
  }
  if (options.platformTeam !== undefined) {
    if (!options.githubOrg) {
      throw new InvalidOptionError('platformTeam', 'a team belongs to an organization: give githubOrg too');
    }
    if (!GITHUB_TEAM.test(options.platformTeam)) {
      throw new InvalidOptionError('platformTeam', `"${options.platformTeam}" is not a GitHub team slug (lowercase letters, digits, ., _ and -)`);
    }
  }
  const policyFile = options.governancePolicyFile;
  if (policyFile !== undefined && (!POLICY_FILE.test(policyFile) || policyFile.split('/').includes('..'))) {
    throw new InvalidOptionError('governancePolicyFile', `"${policyFile}" is not a YAML or JSON file inside the repository; give a relative path such as governance-policy.yaml`);
  }
  checkConsumerPrincipals(options.consumerPrincipals);
  assertMeshIndexLocation(options.meshIndex);
  const templateVersion = readTemplateVersion();
  return {
    domain: options.domain,
    owner: options.owner,
    costCenter,
    environments,
    githubOrg: options.githubOrg,
    platformTeam: options.platformTeam,
    templateSpec: resolveTemplateSpec(options, templateVersion),
    templateVersion,
    governancePolicyFile: policyFile,
    consumerPrincipals: { ...options.consumerPrincipals },
    meshIndex: options.meshIndex,
  };
}

/**
 * Throws an {@link InvalidOptionError} unless the mesh index is given as an https address or a
 * path: over plain HTTP, anyone on the way could change which grants the lint believes in.
 */
function assertMeshIndexLocation(location: string | undefined): void {
  if (location === undefined) {
    return;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1];
  if (location.trim() === '' || (scheme !== undefined && scheme.toLowerCase() !== 'https')) {
    throw new InvalidOptionError(
      'meshIndex',
      `"${location}" is not an https address or a path; give the catalog's catalog.json, e.g. 'https://catalog.example.com/catalog.json' or '../platform/site/catalog.json'`,
    );
  }
}

/**
 * Throws an {@link InvalidOptionError} unless `owner` is a team mailbox, a GitHub user or a GitHub
 * team that can also be an AWS tag value.
 */
export function assertOwner(owner: string | undefined): void {
  if (!OWNER.test(owner ?? '')) {
    throw new InvalidOptionError(
      'owner',
      `"${owner ?? ''}" is not an owner: give a team mailbox (sales-data@example.com), a GitHub user (@name) or a GitHub team (@org/team)`,
    );
  }
  assertTagValue(owner!, 'owner');
}

/**
 * Whether a dependency spec names the template package: `sdlf-mesh`, `sdlf-mesh@<version or file:>`
 * or the bare path of a tarball `npm pack` made of it, as `projen new --from <path>` records it.
 */
export function isTemplateSpec(spec: string): boolean {
  return spec === TEMPLATE_PACKAGE || spec.startsWith(`${TEMPLATE_PACKAGE}@`) || isTemplateTarballPath(spec);
}

/**
 * The template spec as npm takes it: a bare tarball path becomes `sdlf-mesh@file:<path>` (npm
 * would otherwise record the path itself as a package name); anything else stays as it is.
 */
export function normalizeTemplateSpec(spec: string): string {
  return isTemplateTarballPath(spec) ? `${TEMPLATE_PACKAGE}@file:${spec}` : spec;
}

function isTemplateTarballPath(spec: string): boolean {
  return spec.endsWith('.tgz') && path.basename(spec).startsWith(`${TEMPLATE_PACKAGE}-`) && !spec.includes('@');
}

/**
 * The template dependency: the version the options pin, else the spec `projen new --from` put in
 * the dependencies (a registry version or a tarball), else the running version.
 */
export function resolveTemplateSpec(options: Pick<DomainSettingsOptions, 'templateVersion' | 'deps' | 'devDeps'>, runningVersion: string): string {
  if (options.templateVersion) {
    return `${TEMPLATE_PACKAGE}@${options.templateVersion}`;
  }
  const given = [...(options.deps ?? []), ...(options.devDeps ?? [])].find(isTemplateSpec);
  if (given) {
    return normalizeTemplateSpec(given);
  }
  // A development build (0.0.0) is not on the registry: let the package manager pick the version.
  return runningVersion === '0.0.0' ? TEMPLATE_PACKAGE : `${TEMPLATE_PACKAGE}@^${runningVersion}`;
}

/** The version of the sdlf-mesh package this code belongs to. */
export function readTemplateVersion(): string {
  return readTemplateManifest().version;
}

/**
 * The aws-cdk-lib version a repository of the template depends on at least: the lowest of the
 * template's peer dependency range, which its constructs need.
 */
export function templateCdkVersion(): string {
  const range = readTemplateManifest().peerDependencies?.['aws-cdk-lib'];
  const lowest = range === undefined ? null : semver.minVersion(range);
  if (!lowest) {
    throw new Error(`the ${TEMPLATE_PACKAGE} package.json has no aws-cdk-lib peer dependency range`);
  }
  return lowest.version;
}

/**
 * `cdkVersion` raised to {@link templateCdkVersion} when it is older: projen's default (and the
 * value repositories generated before carry) is older than the template's constructs need.
 */
export function atLeastTemplateCdkVersion(cdkVersion: string): string {
  const lowest = templateCdkVersion();
  return semver.valid(cdkVersion) && semver.lt(cdkVersion, lowest) ? lowest : cdkVersion;
}

function readTemplateManifest(): { version: string; peerDependencies?: Record<string, string> } {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
}
