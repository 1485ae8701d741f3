import { Catalog } from './catalog-model';
import { CatalogSource } from './catalog-source';
import { collectCatalog, CollectCatalogOptions } from './collect-catalog';
import { renderSite } from './render-site';
import { checkSiteDir, writeSite } from './write-site';
import { InvalidOptionError } from '../util/invalid-option-error';

/** How to build a catalog site. */
export interface BuildCatalogOptions extends CollectCatalogOptions {
  /** The domain repositories. */
  readonly sources: readonly CatalogSource[];
  /** The site's folder: new, empty, or that of an earlier catalog. */
  readonly out: string;
}

/** What building the catalog did. */
export interface BuildCatalogResult {
  readonly catalog: Catalog;
  /** The files written, relative to the site's folder. */
  readonly files: string[];
}

/**
 * Builds the catalog site of a mesh: reads every source, validates the contracts, and writes
 * the pages and `catalog.json` into `out`. The options are checked before anything is read or
 * written; a repository or contract that fails is a problem in the catalog, not an error.
 */
export async function buildCatalog(options: BuildCatalogOptions): Promise<BuildCatalogResult> {
  if (options.sources.length === 0) {
    throw new InvalidOptionError('sources', 'no domain repository given; name their folders (sdlf-mesh catalog build ../sales ../finance --out site) or list them in a file (--repos repos.txt)');
  }
  if (options.environment !== undefined && !/^[a-z][a-z0-9]{0,9}$/.test(options.environment)) {
    throw new InvalidOptionError('--environment', `"${options.environment}" is not an environment name; use 1 to 10 lowercase letters and digits, starting with a letter, e.g. --environment prod`);
  }
  checkSiteDir(options.out);
  const catalog = await collectCatalog(options.sources, options);
  const files = writeSite(options.out, catalog, renderSite(catalog));
  return { catalog, files };
}
