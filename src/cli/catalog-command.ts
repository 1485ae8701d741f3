import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { buildCatalog, CATALOG_FILE, localSources, readSourceList, serveSite } from '../catalog';
import { InvalidOptionError } from '../config/invalid-option-error';

export const CATALOG_USAGE = `sdlf-mesh catalog build [<repository folders...> | --repos <file>] --out <folder> [--environment prod] [--json]
  Writes a static, searchable site of the mesh's data products (and catalog.json) from the
  contracts of domain repositories: working trees, or bare git repositories (*.git, read at main;
  a folder of them stands for each). --repos lists them one a line. Contracts that are not valid
  and repositories that cannot be read are listed on the site's problems page.

sdlf-mesh catalog serve [--dir <folder>] [--port <n>]
  Serves a built catalog on this machine (default: site/ on port 8080; --port 0 picks one).`;

const BUILD_OPTIONS = {
  out: { type: 'string' },
  repos: { type: 'string' },
  environment: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const SERVE_OPTIONS = { dir: { type: 'string' }, port: { type: 'string' } } as const;

/** `sdlf-mesh catalog build|serve ...` */
export async function catalogCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'build') {
    const { values, positionals } = parse(rest, BUILD_OPTIONS, true);
    if (!values.out) {
      throw new InvalidOptionError('--out', 'say where the site goes, e.g. --out site');
    }
    if (values.repos !== undefined && positionals.length > 0) {
      throw new InvalidOptionError('--repos', 'give the repositories either as arguments or in a --repos file, not both');
    }
    if (values.repos !== undefined && !fs.existsSync(values.repos)) {
      throw new InvalidOptionError('--repos', `${values.repos} does not exist; give a file that lists one repository folder a line`);
    }
    const paths = values.repos !== undefined ? readSourceList(values.repos) : positionals;
    const { catalog, files } = await buildCatalog({ sources: localSources(paths), out: values.out, environment: values.environment });
    if (values.json) {
      const summary = {
        out: values.out,
        products: catalog.products.map((product) => product.id),
        domains: catalog.domains.map((domain) => domain.name),
        edges: catalog.edges.length,
        problems: catalog.problems,
        files,
      };
      console.log(JSON.stringify(summary, null, 2));
    } else {
      for (const problem of catalog.problems) {
        console.error(problem.text);
      }
      const domains = catalog.domains.filter((domain) => domain.inCatalog).length;
      const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
      console.log(
        `catalog: ${count(catalog.products.length, 'data product')} of ${count(domains, 'domain')}, ${count(catalog.edges.length, 'grant')}, ${count(catalog.problems.length, 'problem')}` +
          ` -> ${path.join(values.out, 'index.html')} (data: ${path.join(values.out, CATALOG_FILE)})`,
      );
    }
    return 0;
  }
  if (verb === 'serve') {
    const { values } = parse(rest, SERVE_OPTIONS, false);
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
  console.log(CATALOG_USAGE);
  return verb === undefined || verb === '--help' || verb === '-h' ? 0 : 2;
}

/** parseArgs, with an unknown flag or a missing value as an {@link InvalidOptionError} naming it. */
function parse<T extends Record<string, { type: 'string' | 'boolean' }>>(args: string[], options: T, allowPositionals: boolean) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const flag = /'(-[^'\s]+)/.exec(message)?.[1] ?? 'arguments';
    const known = Object.keys(options).map((name) => `--${name}`).join(', ');
    throw new InvalidOptionError(flag, `${message.split(/\.(\s|$)/)[0]}; the options are ${known}`);
  }
}
