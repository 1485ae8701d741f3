import * as fs from 'fs';
import * as path from 'path';
import { ContractDocument } from '../contract/contract-document';
import { ContractProblem, formatProblem, renderPath } from '../contract/contract-problem';
import { domainNameProblem, suggestDomainName } from '../domain/domain-name';
import { DomainRegistration, RegisteredEnvironment } from '../domain/domain-registration';
import { assertOwner } from '../domain/domain-settings';
import { checkEnvironment } from '../domain/environment-spec';
import { GitHubRepositoryIds } from '../domain/github-oidc';
import { domainStackPrefix, registrationFile } from '../domain/names';
import { assertTagValue } from '../domain/tag-value';
import { InvalidOptionError } from '../util/invalid-option-error';
import { isS3BucketName } from '../util/s3-bucket-name';

/** Largest registry file read: a registration names a domain and its accounts, nothing more. */
const MAX_REGISTRATION_BYTES = 64 * 1024;

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
/**
 * Names whose prefixes are the platform's own (`platform-<environment>-*` stacks, `sdlf-*` roles,
 * the `cdk-*` bootstrap): a domain named so would have its policies reach them.
 */
const RESERVED_DOMAINS = ['platform', 'sdlf', 'cdk', 'aws'];

const FIELDS = ['domain', 'repository', 'repositoryId', 'repositoryOwnerId', 'owner', 'costCenter', 'environments'];
/** The repository's IDs: what its deploy role trusts (the OIDC subject of its jobs is made of them). */
const ID_FIELDS = ['repositoryId', 'repositoryOwnerId'] as const;
const ENVIRONMENT_FIELDS = ['name', 'account', 'region'];
/** What an environment may add, once the domain has deployed there. */
const OPTIONAL_ENVIRONMENT_FIELDS = ['dataBucket'];

/** Where the platform can create a domain's identity: an account and region it deploys to. */
export interface PlatformTarget {
  /** The 12-digit account ID. */
  readonly account: string;
  /** The region. */
  readonly region: string;
}

/** What reading the registry found: the registrations that are valid, and every problem. */
export interface DomainRegistryReading {
  /** The valid registrations, in file-name order. */
  readonly registrations: DomainRegistration[];
  /** Every problem of every file, in file order. */
  readonly problems: ContractProblem[];
}

/**
 * The registry of domains is invalid: the message lists every problem as `file:line:column`, each
 * with its fix, so the platform engineer corrects them in one pass.
 */
export class DomainRegistryError extends Error {
  constructor(public readonly problems: ContractProblem[]) {
    super(`the domain registry is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'DomainRegistryError';
    // The problems say all there is to say; a stack trace of the reader would only bury them.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * Reads `domains/*.yaml` (one file a domain, see {@link DomainRegistration}) and checks every file
 * and the registry as a whole: required fields and their forms, the file named after its domain,
 * no domain or repository registered twice, no domain name that another domain's resource names
 * could reach (`sales` in `dev` names its resources `sales-dev-*`, so a domain `sales-dev` could
 * not be kept apart), and, when `targets` are given, only the accounts and regions the platform
 * deploys to. A missing folder is an empty registry.
 */
export function readDomainRegistry(dir: string, targets?: PlatformTarget[]): DomainRegistryReading {
  if (!fs.existsSync(dir)) {
    return { registrations: [], problems: [] };
  }
  const files = fs.readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
  const problems: ContractProblem[] = [];
  const readings = files.map((name) => readRegistration(path.join(dir, name), targets));
  problems.push(...readings.flatMap((reading) => reading.problems));
  // Between files, whatever else is wrong in them: a duplicate is worth knowing in the same pass.
  problems.push(...registryProblems(readings));
  const invalid = new Set(problems.map((problem) => problem.file));
  const registrations = readings.filter((reading) => !invalid.has(reading.document.file)).map((reading) => reading.registration!);
  return { registrations, problems };
}

/**
 * {@link readDomainRegistry}, throwing a {@link DomainRegistryError} with every problem when there
 * is one: a registry that is partly wrong must not deploy the part that is right.
 */
export function loadDomainRegistry(dir: string, targets?: PlatformTarget[]): DomainRegistration[] {
  const reading = readDomainRegistry(dir, targets);
  if (reading.problems.length > 0) {
    throw new DomainRegistryError(reading.problems);
  }
  return reading.registrations;
}

interface RegistrationReading {
  readonly registration?: DomainRegistration;
  /** What the file says, read as far as it goes, for the checks between files. */
  readonly fields: RegistrationFields;
  readonly document: ContractDocument;
  readonly problems: ContractProblem[];
}

interface RegistrationFields {
  readonly domain?: string;
  readonly repository?: string;
  readonly repositoryId?: unknown;
  readonly environments: string[];
}

function readRegistration(file: string, targets?: PlatformTarget[]): RegistrationReading {
  const stat = fs.lstatSync(file);
  const expected = {
    message: 'a registration is a YAML mapping of domain, repository, owner, costCenter and environments',
    suggestion: 'register domains with sdlf-mesh new domain --platform-repo, or copy another file of domains/',
  };
  if (stat.isSymbolicLink() || stat.size > MAX_REGISTRATION_BYTES) {
    const document = ContractDocument.parse(file, '', expected);
    const message = stat.isSymbolicLink() ? 'a registration is a file of its own, not a symbolic link' : `the file is ${stat.size} bytes; a registration is at most ${MAX_REGISTRATION_BYTES}`;
    return { document, fields: { environments: [] }, problems: [{ file, line: 1, column: 1, path: '', message, suggestion: 'write the registration in the file itself' }] };
  }
  const document = ContractDocument.parse(file, fs.readFileSync(file, 'utf8'), expected);
  if (document.problems.length > 0) {
    return { document, fields: { environments: [] }, problems: [...document.problems] };
  }
  const data = document.data as Record<string, unknown>;
  const fields: RegistrationFields = {
    domain: typeof data.domain === 'string' ? data.domain : undefined,
    repository: typeof data.repository === 'string' ? data.repository : undefined,
    repositoryId: data.repositoryId,
    environments: Array.isArray(data.environments) ? data.environments.map((entry: any) => entry?.name).filter((name): name is string => typeof name === 'string') : [],
  };
  const problems: ContractProblem[] = [];
  const problem = (at: Array<string | number>, message: string, suggestion?: string, key?: string) => {
    const position = document.positionOf(at, key);
    problems.push({ file, ...position, path: renderPath(key === undefined ? at : [...at, key]), message, suggestion });
  };
  const text = (field: string): string | undefined => {
    const value = data[field];
    if (value === undefined || value === null) {
      problem([], `${field} is missing`, `add ${field}: ${example(field)}`, undefined);
      return undefined;
    }
    if (typeof value !== 'string') {
      problem([field], `${field} must be a string`, `write it as ${field}: ${example(field)}`);
      return undefined;
    }
    return value;
  };
  for (const key of Object.keys(data).filter((field) => !FIELDS.includes(field))) {
    problem([], `unknown field ${key}`, `the fields are ${FIELDS.join(', ')}`, key);
  }

  const domain = text('domain');
  const stem = path.basename(file).replace(/\.ya?ml$/, '');
  if (domain !== undefined) {
    const invalid = domainNameProblem(domain);
    const reserved = RESERVED_DOMAINS.find((name) => domain === name || domain.startsWith(`${name}-`));
    if (invalid) {
      problem(['domain'], `"${domain}" cannot name a domain: ${invalid}`, `for example "${suggestDomainName(domain)}"`);
    } else if (reserved) {
      problem(['domain'], `"${domain}" cannot name a domain: names starting with "${reserved}" are the platform's own, and the domain's policies would reach its resources`, 'choose another name');
    } else if (domain !== stem) {
      problem(['domain'], `the file of domain "${domain}" is named ${path.basename(file)}`, `rename it to ${registrationFile(domain)}`);
    }
  }
  const repository = text('repository');
  if (repository !== undefined && !REPOSITORY.test(repository)) {
    problem(['repository'], `"${repository}" is not a GitHub repository`, 'give it as owner/name, e.g. acme/sales-data');
  }
  const ids = readRepositoryIds(data, problem, repository);
  const owner = text('owner');
  if (owner !== undefined) {
    checked(() => assertOwner(owner), (reason) => problem(['owner'], reason));
  }
  const costCenter = text('costCenter');
  if (costCenter !== undefined) {
    checked(() => assertTagValue(costCenter, 'costCenter'), (reason) => problem(['costCenter'], reason));
  }
  const environments = readEnvironments(data.environments, problem, targets, domain);
  if (problems.length > 0 || !domain || !repository || !owner || !costCenter || !environments) {
    return { document, fields, problems };
  }
  return { document, fields, problems, registration: { domain, repository, ...ids, owner, costCenter, environments } };
}

/**
 * The repository's IDs, both or neither: each a positive integer, as GitHub's API gives `id` and
 * `owner.id`. Without them the registration is valid, and the platform creates no deploy role for
 * it (a role trusted by the repository's name would pass to whoever takes the name next).
 */
function readRepositoryIds(data: Record<string, unknown>, problem: Report, repository: string | undefined): Partial<GitHubRepositoryIds> {
  const lookup = `gh api repos/${repository && REPOSITORY.test(repository) ? repository : '<owner>/<name>'} --jq '.id, .owner.id'`;
  const ids: Partial<Record<(typeof ID_FIELDS)[number], number>> = {};
  for (const field of ID_FIELDS) {
    const value = data[field];
    if (value === undefined || value === null) {
      continue;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      const quoted = typeof value === 'string' && /^[1-9]\d*$/.test(value);
      problem(
        [field],
        `${field} must be a positive integer, GitHub's numeric ID ${field === 'repositoryId' ? 'of the repository' : 'of its owner'}; it is ${JSON.stringify(value)}`,
        quoted ? `write it without quotes: ${field}: ${value}` : `write e.g. ${field}: 123456789, the ${field === 'repositoryId' ? '.id' : '.owner.id'} of ${lookup}`,
      );
      continue;
    }
    ids[field] = value;
  }
  const given = ID_FIELDS.filter((field) => data[field] !== undefined && data[field] !== null);
  if (given.length === 1) {
    const missing = ID_FIELDS.find((field) => !given.includes(field))!;
    problem([], `${given[0]} is given without ${missing}; the deploy role trusts the two together`, `add ${missing}: the ${missing === 'repositoryId' ? '.id' : '.owner.id'} of ${lookup}`);
  }
  return ids;
}

type Report = (at: Array<string | number>, message: string, suggestion?: string, key?: string) => void;

function readEnvironments(value: unknown, problem: Report, targets?: PlatformTarget[], domain?: string): RegisteredEnvironment[] | undefined {
  const form = 'environments:\n  - name: dev\n    account: "111111111111"\n    region: eu-west-1';
  if (value === undefined || value === null) {
    problem([], 'environments is missing', `add ${form}`);
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0) {
    problem(['environments'], 'environments must be a list of at least one environment', `write ${form}`);
    return undefined;
  }
  const environments: RegisteredEnvironment[] = [];
  const seen = new Set<string>();
  value.forEach((entry: any, index) => {
    const at = ['environments', index];
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      problem(at, 'an environment is a mapping of name, account and region', `write ${form}`);
      return;
    }
    for (const key of Object.keys(entry).filter((field) => ![...ENVIRONMENT_FIELDS, ...OPTIONAL_ENVIRONMENT_FIELDS].includes(field))) {
      problem(at, `unknown field ${key}`, `an environment has ${ENVIRONMENT_FIELDS.join(', ')} and, once the domain deployed there, ${OPTIONAL_ENVIRONMENT_FIELDS.join(', ')}`, key);
    }
    const missing = ENVIRONMENT_FIELDS.filter((field) => typeof entry[field] !== 'string');
    if (missing.length > 0) {
      // An account of digits only is read as a number by YAML: say to quote it.
      const hint = typeof entry.account === 'number' ? 'quote the account ID: account: "111111111111"' : `every environment needs name, account and region as strings, e.g. ${form}`;
      problem(at, `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing or not a string`, hint);
      return;
    }
    const environment: RegisteredEnvironment = { name: entry.name, account: entry.account, region: entry.region };
    let valid = true;
    checked(() => checkEnvironment(environment), (reason) => {
      problem(at, reason);
      valid = false;
    });
    if (!valid) {
      return;
    }
    if (seen.has(environment.name)) {
      problem([...at, 'name'], `environment "${environment.name}" is given twice`, 'give each environment once');
      return;
    }
    seen.add(environment.name);
    const dataBucket = readDataBucket(entry.dataBucket, [...at, 'dataBucket'], problem, domain, environment.name);
    if (dataBucket === null) {
      return;
    }
    if (targets && !targets.some((target) => target.account === environment.account && target.region === environment.region)) {
      const known = targets.map((target) => `${target.account}/${target.region}`).join(', ') || 'none with an account and region';
      problem(
        [...at, 'account'],
        `account ${environment.account} in ${environment.region} is not one the platform deploys to (it deploys to ${known})`,
        'fix the account or region, or add the environment to the platform\'s .projenrc.ts first',
      );
      return;
    }
    environments.push(dataBucket === undefined ? environment : { ...environment, dataBucket });
  });
  return environments.length === value.length ? environments : undefined;
}

/** Problems between files: a domain or repository registered twice, names one domain's prefixes reach. */
function registryProblems(readings: RegistrationReading[]): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const at = (document: ContractDocument, field: string, message: string, suggestion: string) =>
    problems.push({ file: document.file, ...document.positionOf([field]), path: field, message, suggestion });
  readings.forEach(({ fields, document }, index) => {
    const earlier = readings.slice(0, index);
    const sameDomain = fields.domain !== undefined && earlier.find((other) => other.fields.domain === fields.domain);
    if (sameDomain) {
      at(document, 'domain', `domain "${fields.domain}" is already registered in ${sameDomain.document.file}`, 'register each domain once');
    }
    const sameId = typeof fields.repositoryId === 'number' && earlier.find((other) => other.fields.repositoryId === fields.repositoryId);
    if (sameId) {
      at(
        document,
        'repositoryId',
        `repository ID ${fields.repositoryId} already deploys domain "${sameId.fields.domain}"`,
        'give each domain its own repository, and the ID of this one (its .id in the GitHub API)',
      );
    }
    const repository = fields.repository?.toLowerCase();
    const sameRepository = repository !== undefined && earlier.find((other) => other.fields.repository?.toLowerCase() === repository);
    if (sameRepository) {
      at(
        document,
        'repository',
        `repository ${fields.repository} already deploys domain "${sameRepository.fields.domain}"`,
        'give each domain its own repository: a repository trusted for two domains could deploy either',
      );
    }
    for (const other of readings) {
      const otherDomain = other.fields.domain;
      const reaching = otherDomain === undefined ? undefined : other.fields.environments.find((environment) => fields.domain !== undefined && `${fields.domain}-`.startsWith(domainStackPrefix(otherDomain, environment)));
      if (other !== readings[index] && other.fields.domain !== undefined && reaching) {
        at(
          document,
          'domain',
          `domain "${fields.domain}" begins with "${other.fields.domain}-${reaching}", the prefix of domain "${other.fields.domain}"'s resources in ${reaching}, which could then reach its resources`,
          'choose a domain name that does not begin with another domain\'s name and environment',
        );
      } else if (other !== readings[index] && beginsWith(fields.domain, other.fields.domain)) {
        // A domain's lake location is `<lake bucket>/<domain>/`. Lake Formation and IAM document
        // S3 locations as prefixes and never say that a location ends at its `/`: a grant on
        // `<lake>/sales/` is not proven to stop before `<lake>/salesforce/`. Refused, not assumed.
        at(
          document,
          'domain',
          `domain "${fields.domain}" begins with domain "${other.fields.domain}": their lake locations (<lake>/${other.fields.domain}/, <lake>/${fields.domain}/) would be S3 prefixes of one another`,
          `choose a domain name that does not begin with "${other.fields.domain}"`,
        );
      }
    }
  });
  return problems;
}

/** Whether `name` begins with another domain's name `other` (not the same name: that is registered twice). */
function beginsWith(name: string | undefined, other: string | undefined): boolean {
  return name !== undefined && other !== undefined && name !== other && name.startsWith(other);
}

function checked(check: () => void, report: (reason: string) => void): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) {
      throw error;
    }
    report(error.problem);
  }
}

function example(field: string): string {
  switch (field) {
    case 'domain':
      return 'sales';
    case 'repository':
      return 'acme/sales-data';
    case 'owner':
      return 'sales-data@example.com';
    default:
      return 'cc-1234';
  }
}

/**
 * The environment's data bucket, when given: a bucket name of the domain's own in that
 * environment (`<domain>-<environment>-*`, the names CloudFormation gives its domain stack's
 * buckets), since the role the platform registers it with reads those only. `null` when it is wrong.
 */
function readDataBucket(
  value: unknown,
  at: Array<string | number>,
  problem: Report,
  domain: string | undefined,
  environment: string,
): string | undefined | null {
  if (value === undefined) {
    return undefined;
  }
  const prefix = domain === undefined ? undefined : domainStackPrefix(domain, environment);
  const fix = `give the output DataBucketName of the domain's stack ${prefix ?? '<domain>-<environment>-'}domain (aws cloudformation describe-stacks --stack-name ${prefix ?? '<domain>-<environment>-'}domain --query "Stacks[0].Outputs")`;
  if (!isS3BucketName(value)) {
    problem(at, `dataBucket ${JSON.stringify(value)} is not an S3 bucket name`, fix);
    return null;
  }
  if (prefix !== undefined && !value.startsWith(prefix)) {
    problem(at, `dataBucket "${value}" is not a bucket of domain ${domain} in ${environment}, whose buckets are named ${prefix}*`, fix);
    return null;
  }
  return value;
}
