import * as fs from 'fs';
import * as path from 'path';
import { parseFlags } from './command-line';
import { buildCatalog, CATALOG_FILE, CatalogSource, localSources, notYetActiveOf, readRegisteredRepositories, readSourceList, serveSite } from '../catalog';
import { readGovernancePolicyFile } from '../domain/governance-policy-file';
import { domainRepositorySelection } from '../github/domain-repositories';
import { ApiRequestCounts } from '../github/github-api';
import { DEFAULT_GITHUB_API_URL, githubApiUrl } from '../github/github-client';
import { findGitHubToken } from '../github/github-token';
import { InvalidOptionError } from '../util/invalid-option-error';

export const CATALOG_BUILD_USAGE = `Usage: sdlf-mesh catalog build [<repository folders...> | --repos <file> | --org <org> [--topic sdlf-domain | --property name=value]]
                              --out <folder> [--registry <platform repository>] [--environment prod] [--history N]
                              [--token-file <file>] [--policy <file>] [--json]

Writes a static, searchable site of the mesh's data products (and catalog.json) from the
contracts of domain repositories: working trees, or bare git repositories (*.git, read at main;
a folder of them stands for each). --repos lists them one a line. A repository speaks for the
domain the platform's registry (--registry: domains/<domain>.yaml with domain and repository)
names it for, else for its custom property domain (GitHub), else for its name. Contracts that
are not valid, not safe to read or for another domain, two repositories speaking for one domain,
and repositories that cannot be read are listed on the site's problems page.
GitHub (a token in GITHUB_TOKEN, GH_TOKEN or --token-file; API at GITHUB_API_URL, default
${DEFAULT_GITHUB_API_URL}): --org reads the default branch of the organization's repositories
with the topic (default sdlf-domain) or the custom property through the API, without cloning;
--history N reads the last N versions of each contract too (default 0: none).
--policy: the platform's governance policy; grants to consumers it does not allow are not shown.

Examples:
  sdlf-mesh catalog build ../sales ../finance --out site
  sdlf-mesh catalog build --org acme --registry ../data-platform --out site`;

export const CATALOG_SERVE_USAGE = `Usage: sdlf-mesh catalog serve [--dir <folder>] [--port <n>]

Serves a built catalog on this machine (default: site/ on port 8080; --port 0 picks one).

Examples:
  sdlf-mesh catalog serve
  sdlf-mesh catalog serve --dir site --port 9000`;

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
  'json': { type: 'boolean' },
  'policy': { type: 'string' },
} as const;

const SERVE_OPTIONS = { dir: { type: 'string' }, port: { type: 'string' } } as const;

/** `sdlf-mesh catalog build|serve ...` */
export async function catalogCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'build') {
    const { values, positionals } = parseFlags(rest, BUILD_OPTIONS, true);
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
  if (verb === 'serve') {
    const { values } = parseFlags(rest, SERVE_OPTIONS, false);
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
  console.log(`${CATALOG_BUILD_USAGE}\n\n${CATALOG_SERVE_USAGE}`);
  return 2;
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
