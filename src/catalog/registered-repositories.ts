import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { CatalogProblem } from './catalog-model';
import { InvalidOptionError } from '../util/invalid-option-error';
import { readRegularFile } from '../util/read-regular-file';
import { isS3BucketName } from '../util/s3-bucket-name';

/** A domain of the platform's registry and the repository it trusts to speak for it. */
export interface RegisteredRepository {
  /** The domain, e.g. `sales`. */
  readonly domain: string;
  /** The repository, `owner/name`. */
  readonly repository: string;
  /**
   * Where the domain deploys, by environment: the account and region its data products are in
   * (consumers read them there). Entries that are not an environment are left out.
   */
  readonly environments?: Array<{
    readonly name: string;
    readonly account: string;
    readonly region: string;
    /** The domain's data bucket there, once the platform registers it with Lake Formation. */
    readonly dataBucket?: string;
  }>;
}

/** What {@link readRegisteredRepositories} found. */
export interface RegisteredRepositories {
  /** The registry's folder, as given. */
  readonly registry: string;
  readonly entries: RegisteredRepository[];
  /** Registration files that could not be used (they register nothing). */
  readonly problems: CatalogProblem[];
}

/** A registration is a few fields: anything larger is not one. */
const MAX_REGISTRATION_BYTES = 64 * 1024;
const DOMAIN = /^[a-z][a-z0-9-]*$/;
const OWNER_AND_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;

/**
 * The catalog's reader of the platform's domain registry: of each `domains/<domain>.yaml` only
 * the two fields the catalog needs, `domain` and `repository` (the platform's own parser checks
 * the rest). `dir` is the platform repository (its `domains/` folder, registrations or not) or a
 * folder of registrations. A file that is not a registration (wrong fields, a symbolic link, too
 * large, not UTF-8), or a repository registered for two domains, is a problem; the other
 * registrations still count.
 */
export function readRegisteredRepositories(dir: string): RegisteredRepositories {
  const isFolder = (candidate: string) => fs.existsSync(candidate) && fs.statSync(candidate).isDirectory();
  // A platform repository's domains/ folder is the registry even before the first domain registers
  // (the catalog is then empty, not refused); any other folder must hold registrations.
  const registryFolder = path.join(dir, 'domains');
  const folder = isFolder(registryFolder) ? registryFolder : isFolder(dir) && yamlFiles(dir).length > 0 ? dir : undefined;
  if (!folder) {
    throw new InvalidOptionError('--registry', `${dir} holds no domain registrations (domains/<domain>.yaml); give the platform repository or its domains/ folder`);
  }
  const problems: CatalogProblem[] = [];
  const problem = (file: string, message: string) => problems.push({ kind: 'registry', source: dir, file, line: 1, column: 1, message, text: `${file}:1:1: ${message}` });
  const found: RegisteredRepository[] = [];
  for (const name of yamlFiles(folder)) {
    const file = path.join(folder, name);
    const content = readRegularFile(file, MAX_REGISTRATION_BYTES);
    if (!content.bytes) {
      problem(file, `the registration ${content.unreadable}`);
      continue;
    }
    let data: any;
    try {
      data = parse(new TextDecoder('utf-8', { fatal: true }).decode(content.bytes), { maxAliasCount: 0 });
    } catch (error) {
      problem(file, `not a domain registration: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    const domain = name.replace(/\.ya?ml$/, '');
    if (!DOMAIN.test(domain) || data?.domain !== domain) {
      problem(file, `domain: a registration names its own domain, as its file name does: domain: ${domain}`);
      continue;
    }
    if (typeof data.repository !== 'string' || !OWNER_AND_NAME.test(data.repository)) {
      problem(file, 'repository: give the GitHub repository that speaks for the domain, as owner/name (e.g. repository: acme/sales-data)');
      continue;
    }
    found.push({ domain, repository: data.repository, environments: environmentsOf(data.environments) });
  }
  // A repository registered twice would speak for two domains: neither registration counts.
  const entries = found.filter((entry) => {
    const others = found.filter((other) => other !== entry && sameRepository(other.repository, entry.repository));
    if (others.length > 0) {
      problem(path.join(folder, `${entry.domain}.yaml`), `repository: ${entry.repository} is registered for ${others.map((other) => `"${other.domain}"`).join(', ')} too; a repository speaks for one domain`);
    }
    return others.length === 0;
  });
  return { registry: dir, entries, problems };
}

/** The environments of a registration that are one (a name, a 12-digit account, a region); the platform's own parser checks the rest. */
function environmentsOf(value: unknown): RegisteredRepository['environments'] {
  if (!Array.isArray(value)) {
    return undefined;
  }
  return value.flatMap((entry: any) =>
    typeof entry?.name === 'string' && /^\d{12}$/.test(String(entry.account)) && typeof entry.region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d$/.test(entry.region)
      ? [{
        name: entry.name,
        account: String(entry.account),
        region: entry.region,
        ...(isS3BucketName(entry.dataBucket) ? { dataBucket: entry.dataBucket } : {}),
      }]
      : [],
  );
}

/** Whether two `owner/name` name the same repository (GitHub ignores their case). */
export function sameRepository(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function yamlFiles(folder: string): string[] {
  return fs
    .readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
}
