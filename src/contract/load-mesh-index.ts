import * as fs from 'fs';
import * as path from 'path';
import { MeshIndex, MeshIndexError, parseMeshIndex } from './mesh-index';
import { HttpsGetError, httpsGetSync } from '../util/https-get-sync';

/** Largest mesh index read: a catalog of thousands of data products, with their history, fits. */
export const MAX_MESH_INDEX_BYTES = 64 * 1024 * 1024;

/** The mesh index could not be fetched (the address did not answer); what it holds was not judged. */
export class MeshIndexUnreachableError extends MeshIndexError {
  constructor(source: string, problem: string) {
    super(source, problem);
    this.name = 'MeshIndexUnreachableError';
  }
}

/** Whether the mesh index is given by an address rather than a file. */
export function isMeshIndexAddress(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location);
}

/**
 * The mesh index at `location`: an `https://` address (the catalog's `catalog.json` as the
 * platform publishes it) or a file, relative to `baseDir`. Throws a {@link MeshIndexError} that
 * names the location: a {@link MeshIndexUnreachableError} when the address did not answer, so a
 * caller can fall back on a copy it has.
 */
export function loadMeshIndex(location: string, baseDir: string = process.cwd()): MeshIndex {
  if (isMeshIndexAddress(location)) {
    if (!location.toLowerCase().startsWith('https://')) {
      throw new MeshIndexError(location, 'is not an HTTPS address or a file; give https://... or a path, e.g. ../platform/site/catalog.json');
    }
    let body: Buffer;
    try {
      body = httpsGetSync(location, MAX_MESH_INDEX_BYTES);
    } catch (error) {
      if (error instanceof HttpsGetError) {
        throw new MeshIndexUnreachableError(location, error.reason);
      }
      throw error;
    }
    return parseMeshIndex(body.toString('utf8'), location);
  }
  const file = path.resolve(baseDir, location);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new MeshIndexError(location, "does not exist; give the catalog's catalog.json (sdlf-mesh catalog build writes it), as a path or an https:// address");
  }
  if (size > MAX_MESH_INDEX_BYTES) {
    throw new MeshIndexError(location, `is larger than ${MAX_MESH_INDEX_BYTES} bytes, more than any mesh index`);
  }
  return parseMeshIndex(fs.readFileSync(file, 'utf8'), location);
}
