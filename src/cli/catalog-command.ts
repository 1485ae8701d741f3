import * as fs from 'fs';
import * as path from 'path';
import { parseFlags } from './command-line';
import { buildCatalog, CATALOG_FILE, CatalogSource, localSources, notYetActiveOf, readRegisteredRepositories, readSourceList, serveSite } from '../catalog';
import { readGovernancePolicyFile } from '../domain/governance-policy-file';
import { domainRepositorySelection } from '../github/domain-repositories';
import { ApiRequestCounts } from '../github/github-api';
import { githubApiUrl } from '../github/github-client';
import { findGitHubToken } from '../github/github-token';
import { InvalidOptionError } from '../util/invalid-option-error';


const BUILD_OPTIONS = {
  'out': { type: 'string' },
  'repos': { type: 'string' },
  'org': { type: 'string' },
  'topic': { type: 'string' },
  'property': { type: 'string' },
  'history': { type: 'string' },
  'token-file': { type: 'string' },
  'environment': { type: 'string' },
  'registry': { type: 'string' },
  'without-registry': { type: 'boolean' },
  'json': { type: 'boolean' },
  'policy': { type: 'string' },
} as const;

const SERVE_OPTIONS = { dir: { type: 'string' }, port: { type: 'string' } } as const;

/** `sdlf-mesh catalog build ...` */
export async function catalogBuildCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, BUILD_OPTIONS, true);
  if (!values.out) {
    throw new InvalidOptionError('--out', 'say where the site goes, e.g. --out site');
  }
  if (values.repos !== undefined && positionals.length > 0) {
    throw new InvalidOptionError('--repos', 'give the repositories either as arguments or in a --repos file, not both');
  }
  if (values.repos !== undefined && !fs.existsSync(values.repos)) {
    throw new InvalidOptionError('--repos', `${values.repos} does not exist; give a file that lists one repository folder a line`);
  }
  if (values.org !== undefined && (values.repos !== undefined || positionals.length > 0)) {
    throw new InvalidOptionError('--org', 'give the repositories either with --org or as folders (arguments or --repos), not both');
  }
  if (values.org !== undefined && values.registry === undefined && !values['without-registry']) {
    // A name or a custom property is whatever whoever made the repository chose.
    throw new InvalidOptionError(
      '--org',
      "needs the platform's registry to say which repository speaks for which domain: give --registry <platform repository>, or --without-registry to let each repository's domain property or name decide",
    );
  }
  if (values.registry !== undefined && values['without-registry']) {
    throw new InvalidOptionError('--without-registry', 'give --registry or --without-registry, not both');
  }
  if (values.policy !== undefined && !fs.existsSync(values.policy)) {
    throw new InvalidOptionError('--policy', `${values.policy} does not exist; give the platform's governance policy file, e.g. --policy governance-policy.yaml`);
  }
  const allowedConsumers = values.policy === undefined ? undefined : readGovernancePolicyFile(values.policy).allowedConsumers ?? {};
  const registry = values.registry === undefined ? undefined : readRegisteredRepositories(values.registry);
  const github = await githubSources(values);
  const sources = github?.sources ?? localSources(values.repos !== undefined ? readSourceList(values.repos) : positionals);
  const { catalog, files } = await buildCatalog({ sources, out: values.out, environment: values.environment, allowedConsumers, registry });
  if (values.json) {
    const summary = {
      out: values.out,
      products: catalog.products.map((product) => product.id),
      notYetActive: notYetActiveOf(catalog),
      domains: catalog.domains.map((domain) => domain.name),
      edges: catalog.edges.length,
      problems: catalog.problems,
      files,
    };
    console.log(JSON.stringify(github ? { ...summary, apiRequests: github.requests } : summary, null, 2));
  } else {
    for (const problem of catalog.problems) {
      console.error(problem.text);
    }
    const domains = catalog.domains.filter((domain) => domain.inCatalog).length;
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const notYetActive = notYetActiveOf(catalog);
    console.log(
      `catalog: ${count(catalog.products.length, 'data product')} of ${count(domains, 'domain')}, ${count(catalog.edges.length, 'grant')}, ${count(catalog.problems.length, 'problem')}` +
        `${notYetActive > 0 ? ` (${notYetActive} proposed or draft, not listed)` : ''}` +
        ` -> ${path.join(values.out, 'index.html')} (data: ${path.join(values.out, CATALOG_FILE)})`,
    );
    if (github) {
      console.log(`${github.requests.total} API requests sent, ${github.requests.contentCreating} of them content-creating.`);
    }
  }
  return 0;
}

/** `sdlf-mesh catalog serve ...` */
export async function catalogServeCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, SERVE_OPTIONS, false);
  const dir = values.dir ?? 'site';
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidOptionError('--port', `"${values.port}" is not a port; give 0 to 65535, e.g. --port 8080`);
  }
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new InvalidOptionError('--dir', `${dir} holds no catalog site (no index.html); build one first: sdlf-mesh catalog build ... --out ${dir}`);
  }
  const site = await serveSite({ dir, port });
  console.log(`Serving ${dir} at ${site.url} (Ctrl+C stops)`);
  await new Promise<void>((resolve) => site.server.once('close', () => resolve()));
  return 0;
}

/**
 * The sources of the domain repositories on GitHub when `--org` says so; the GitHub code is
 * loaded only then, with a real dynamic `import()` (Octokit is ESM only).
 */
async function githubSources(values: { 'org'?: string; 'topic'?: string; 'property'?: string; 'history'?: string; 'token-file'?: string }): Promise<
{ sources: CatalogSource[]; requests: ApiRequestCounts } | undefined
> {
  const selection = domainRepositorySelection({ org: values.org, topic: values.topic, property: values.property });
  const historyDepth = values.history === undefined ? 0 : Number(values.history);
  if (!Number.isInteger(historyDepth) || historyDepth < 0 || historyDepth > 100) {
    throw new InvalidOptionError('--history', `"${values.history}" is not a number of versions; give 0 to 100, e.g. --history 10`);
  }
  if (!selection) {
    const githubOnly = (['history', 'token-file'] as const).find((flag) => values[flag] !== undefined);
    if (githubOnly) {
      throw new InvalidOptionError(`--${githubOnly}`, 'is for domain repositories on GitHub: give --org <org> too, or leave it out');
    }
    return undefined;
  }
  const token = findGitHubToken(values['token-file']);
  if (token === undefined) {
    throw new InvalidOptionError('--org', 'the repositories are on GitHub, which needs a token: set GITHUB_TOKEN or GH_TOKEN, or give --token-file <file>');
  }
  const { githubCatalogSources } = await import('../catalog/github-source.js');
  return githubCatalogSources({ token, apiUrl: githubApiUrl(), selection, historyDepth, log: (message) => console.error(message) });
}
