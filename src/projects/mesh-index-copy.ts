import * as fs from 'fs';
import * as path from 'path';
import { Component, Project, TextFile } from 'projen';
import { loadMeshIndex, MeshIndexUnreachableError } from '../contract/load-mesh-index';
import { MESH_INDEX_COPY, MeshIndex, MeshIndexError, parseMeshIndex, renderMeshIndex } from '../contract/mesh-index';
import { InvalidOptionError } from '../util/invalid-option-error';

/**
 * A domain repository's copy of the mesh index (`.sdlf/mesh-index.json`): `npx projen` reads the
 * index the `meshIndex` option names (the catalog's `catalog.json`, a path or an https URL) and
 * writes what a domain needs of it, so that `contract:lint` and the synth read the same index,
 * offline, and a change of the mesh shows in the pull request that brings it.
 *
 * When the URL cannot be reached and a copy exists, the copy is kept and `npx projen` warns: a
 * catalog that is down for a moment does not stop a domain's work. In CI (`CI` set, as GitHub
 * Actions sets it) a copy that differs from the index is kept too, with a warning: a build
 * synthesizes what its commit holds, and a change of the mesh comes in a commit of its own. An index that is not one, or a
 * path that does not exist, stops `npx projen` with an error that names the option.
 */
export class MeshIndexCopy extends Component {
  /** @internal the index, as the copy holds it */
  public readonly _index: MeshIndex;

  /** The file of the copy, relative to the project. */
  public readonly path = MESH_INDEX_COPY;

  /**
   * @param location the `meshIndex` option: an https URL, or a path relative to the project
   */
  constructor(project: Project, location: string) {
    super(project);
    this._index = readOrKeep(project, location);
    const file = new TextFile(project, MESH_INDEX_COPY, { readonly: true, marker: false });
    // The last, empty line ends the file with a newline, as renderMeshIndex does.
    for (const line of renderMeshIndex(this._index).split('\n')) {
      file.addLine(line);
    }
  }
}

/**
 * The mesh index the domain's contracts are read with, as `contract:lint` reads it: the copy the
 * `meshIndex` option keeps, else a copy in the repository (`.sdlf/mesh-index.json`) read by the
 * same loader; undefined when there is none, or it cannot be read (lint says why).
 */
export function domainMeshIndex(project: Project, copy: MeshIndexCopy | undefined): MeshIndex | undefined {
  if (copy !== undefined) {
    return copy._index;
  }
  if (!fs.existsSync(path.join(project.outdir, MESH_INDEX_COPY))) {
    return undefined;
  }
  try {
    return loadMeshIndex(MESH_INDEX_COPY, project.outdir);
  } catch (error) {
    if (error instanceof MeshIndexError) {
      return undefined;
    }
    throw error;
  }
}

function readOrKeep(project: Project, location: string): MeshIndex {
  try {
    const index = loadMeshIndex(location, project.outdir);
    const copy = process.env.CI ? existingCopy(project) : undefined;
    // A build in CI takes the mesh as the commit holds it: a pull request is not failed, nor a
    // deploy changed, by a change of the mesh made elsewhere since (another domain's grant, say).
    // Whoever runs npx projen next takes the change, in a commit of its own.
    if (copy !== undefined && renderMeshIndex(copy) !== renderMeshIndex(index)) {
      project.logger.warn(`the mesh index ${location} changed since ${MESH_INDEX_COPY} was written; this build in CI keeps the copy: run npx projen and commit ${MESH_INDEX_COPY} to take the change`);
      return copy;
    }
    return index;
  } catch (error) {
    if (!(error instanceof MeshIndexError)) {
      throw error;
    }
    const kept = error instanceof MeshIndexUnreachableError ? existingCopy(project) : undefined;
    if (kept === undefined) {
      throw new InvalidOptionError('meshIndex', error.message);
    }
    project.logger.warn(`${error.message}; the copy in ${MESH_INDEX_COPY} is kept until it can be read again`);
    return kept;
  }
}

/** The copy an earlier `npx projen` wrote, when there is one and it is still a mesh index. */
function existingCopy(project: Project): MeshIndex | undefined {
  const file = path.join(project.outdir, MESH_INDEX_COPY);
  if (!fs.existsSync(file)) {
    return undefined;
  }
  try {
    return parseMeshIndex(fs.readFileSync(file, 'utf8'), MESH_INDEX_COPY);
  } catch {
    return undefined;
  }
}
