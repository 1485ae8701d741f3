/**
 * The `meshIndex` option: `npx projen` keeps a copy of the mesh index in the repository
 * (`.sdlf/mesh-index.json`), so that lint and synth read the same index offline.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Logger } from 'projen';
import { MESH_INDEX_COPY, renderMeshIndex } from '../../src/contract/mesh-index';
import { domainProject, newProjectDir } from '../support/domain-project';
import { HttpsFileServer, startHttpsFileServer } from '../support/https-file-server';
import { meshIndex } from '../support/mesh-index';
import { synthesize } from '../support/synth';

jest.setTimeout(120_000);

const INDEX = renderMeshIndex(meshIndex());

test('a path: the copy holds the index, is read-only, and git keeps it', () => {
  const outdir = newProjectDir();
  fs.writeFileSync(path.join(outdir, 'catalog.json'), INDEX);
  const read = synthesize(domainProject({ meshIndex: 'catalog.json' }, outdir));
  expect(read(MESH_INDEX_COPY)).toBe(INDEX);
  // No write permission for anyone (no 2, 3, 6 or 7 in the octal mode): projen's managed file.
  expect(fs.statSync(path.join(outdir, MESH_INDEX_COPY)).mode.toString(8)).toMatch(/[0145]{3}$/);
  expect(read('.gitignore').split('\n')).not.toContain('/.sdlf/');
  expect(read('.gitignore').split('\n')).toContain('/.sdlf/pipeline-run/');
});

test('in CI, a mesh that changed since the copy was committed keeps the copy, with a warning: the build synthesizes what its commit holds', () => {
  const outdir = newProjectDir();
  fs.writeFileSync(path.join(outdir, 'catalog.json'), INDEX);
  synthesize(domainProject({ meshIndex: 'catalog.json' }, outdir));
  // Another domain's change reaches the catalog after the copy was committed.
  const changed = meshIndex();
  changed.products = changed.products.filter((product) => product.dataProduct !== 'customers');
  fs.writeFileSync(path.join(outdir, 'catalog.json'), renderMeshIndex(changed));
  const ci = process.env.CI;
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  try {
    process.env.CI = 'true';
    expect(synthesize(domainProject({ meshIndex: 'catalog.json' }, outdir))(MESH_INDEX_COPY)).toBe(INDEX);
    expect(warn).toHaveBeenCalledWith('the mesh index catalog.json changed since .sdlf/mesh-index.json was written; this build in CI keeps the copy: run npx projen and commit .sdlf/mesh-index.json to take the change');
    // Outside CI, npx projen takes the change.
    delete process.env.CI;
    expect(synthesize(domainProject({ meshIndex: 'catalog.json' }, outdir))(MESH_INDEX_COPY)).toBe(renderMeshIndex(changed));
  } finally {
    warn.mockRestore();
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
  }
});

test('a location that cannot be an index is refused before anything is written, naming the option', () => {
  expect(() => domainProject({ meshIndex: 'http://catalog.example.com/catalog.json' })).toThrow(
    'Invalid option "meshIndex": "http://catalog.example.com/catalog.json" is not an https address or a path; give the catalog\'s catalog.json, ' +
      "e.g. 'https://catalog.example.com/catalog.json' or '../platform/site/catalog.json'",
  );
  expect(() => domainProject({ meshIndex: 'missing.json' })).toThrow(/^Invalid option "meshIndex": the mesh index missing.json does not exist;/);
  const outdir = newProjectDir();
  fs.writeFileSync(path.join(outdir, 'catalog.json'), '{"products": 3}');
  expect(() => domainProject({ meshIndex: 'catalog.json' }, outdir)).toThrow(/^Invalid option "meshIndex": the mesh index catalog.json is not a catalog.json of sdlf-mesh: /);
});

describe('an https URL', () => {
  let server: HttpsFileServer;
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;

  beforeAll(async () => {
    server = await startHttpsFileServer({ '/catalog.json': INDEX });
    process.env.NODE_EXTRA_CA_CERTS = server.certificates.caFile;
  });
  afterAll(() => {
    server.close();
    if (extraCa === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
    else process.env.NODE_EXTRA_CA_CERTS = extraCa;
  });

  test('is read at synth; when it cannot be reached, the copy is kept with a warning, and without a copy it is an error', () => {
    const outdir = newProjectDir();
    expect(synthesize(domainProject({ meshIndex: `${server.url}/catalog.json` }, outdir))(MESH_INDEX_COPY)).toBe(INDEX);

    const missing = `${server.url}/gone.json`;
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      expect(synthesize(domainProject({ meshIndex: missing }, outdir))(MESH_INDEX_COPY)).toBe(INDEX);
      expect(warn).toHaveBeenCalledWith(`the mesh index ${missing} answered 404 Not Found; the copy in .sdlf/mesh-index.json is kept until it can be read again`);
    } finally {
      warn.mockRestore();
    }
    expect(() => domainProject({ meshIndex: missing })).toThrow(`Invalid option "meshIndex": the mesh index ${missing} answered 404 Not Found`);
  });
});
