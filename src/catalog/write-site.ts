import * as fs from 'fs';
import * as path from 'path';
import { Catalog } from './catalog-model';
import { SitePages } from './render-site';
import { InvalidOptionError } from '../util/invalid-option-error';

/** The catalog's data, at the root of the site; it also lists the files the catalog wrote. */
export const CATALOG_FILE = 'catalog.json';

/**
 * Checks that `out` can take the site, writing nothing: a folder that does not exist yet, an
 * empty folder, or the folder of an earlier catalog (it holds `catalog.json`). Anything else (a
 * file, a folder of other files) is refused, so building a catalog never overwrites other work.
 */
export function checkSiteDir(out: string): void {
  let existing = path.resolve(out);
  while (!fs.existsSync(existing)) {
    existing = path.dirname(existing);
  }
  if (!fs.statSync(existing).isDirectory()) {
    const what = existing === path.resolve(out) ? `${out} is a file` : `${existing} is a file, so ${out} cannot be created`;
    throw new InvalidOptionError('--out', `${what}; give a folder for the site (created when missing), e.g. --out site`);
  }
  if (existing !== path.resolve(out) || fs.readdirSync(out).length === 0) {
    return;
  }
  if (previousFiles(out) === undefined) {
    throw new InvalidOptionError(
      '--out',
      `${out} is not empty and holds no catalog (no ${CATALOG_FILE} written by sdlf-mesh); give a new or empty folder, or the folder of an earlier catalog`,
    );
  }
}

/**
 * Writes the site into `out` (see {@link checkSiteDir}) with `catalog.json`, and removes the
 * files an earlier catalog wrote there that this one no longer has (a data product that is
 * gone). Nothing else in the folder is touched. Returns the files written, relative to `out`.
 */
export function writeSite(out: string, catalog: Catalog, pages: SitePages): string[] {
  checkSiteDir(out);
  const before = fs.existsSync(out) ? previousFiles(out) ?? [] : [];
  const files = [...pages.keys(), CATALOG_FILE].sort();
  for (const [file, content] of pages) {
    const target = path.join(out, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  fs.writeFileSync(path.join(out, CATALOG_FILE), `${JSON.stringify({ ...catalog, files }, null, 2)}\n`);

  const kept = new Set(files);
  for (const file of before.filter((name) => !kept.has(name))) {
    const target = path.join(out, file);
    if (fs.existsSync(target) && fs.statSync(target).isFile()) {
      fs.rmSync(target);
      const folder = path.dirname(target);
      if (folder !== path.resolve(out) && fs.readdirSync(folder).length === 0) {
        fs.rmdirSync(folder);
      }
    }
  }
  return files;
}

/**
 * The files an earlier catalog in `out` wrote, from its `catalog.json`; undefined when the
 * folder holds no catalog. Only plain relative paths inside `out` count.
 */
function previousFiles(out: string): string[] | undefined {
  const file = path.join(out, CATALOG_FILE);
  if (!fs.existsSync(file)) {
    return undefined;
  }
  let data: any;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof data?.format !== 'number' || !Array.isArray(data.files)) {
    return undefined;
  }
  return data.files.filter(
    (name: unknown): name is string =>
      typeof name === 'string' && !path.isAbsolute(name) && !name.split(/[\\/]/).some((part) => part === '..' || part === '') && path.resolve(out, name).startsWith(path.resolve(out) + path.sep),
  );
}
