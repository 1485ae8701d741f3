/**
 * Reading the mesh index from where the `meshIndex` option or `--mesh-index` says: a file, or an
 * HTTPS address read while the caller waits (a projen synth cannot await).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadMeshIndex, MeshIndexUnreachableError } from '../../src/contract/load-mesh-index';
import { MeshIndexError, renderMeshIndex } from '../../src/contract/mesh-index';
import { HttpsFileServer, startHttpsFileServer } from '../support/https-file-server';
import { meshIndex } from '../support/mesh-index';

jest.setTimeout(60_000);

const INDEX = renderMeshIndex(meshIndex());

test('a file, relative to the folder given', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-index-'));
  fs.writeFileSync(path.join(dir, 'catalog.json'), INDEX);
  expect(loadMeshIndex('catalog.json', dir)).toEqual(meshIndex());
  expect(() => loadMeshIndex('missing.json', dir)).toThrow(
    "the mesh index missing.json does not exist; give the catalog's catalog.json (sdlf-mesh catalog build writes it), as a path or an https:// address",
  );
});

test('plain HTTP is refused: anyone on the way could change the grants lint believes in', () => {
  expect(() => loadMeshIndex('http://catalog.example.com/catalog.json')).toThrow(
    'the mesh index http://catalog.example.com/catalog.json is not an HTTPS address or a file; give https://... or a path, e.g. ../platform/site/catalog.json',
  );
});

describe('an HTTPS address', () => {
  let server: HttpsFileServer;
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;

  beforeAll(async () => {
    server = await startHttpsFileServer({ '/catalog.json': INDEX, '/moved': 'redirect:/catalog.json', '/insecure': 'redirect:http://127.0.0.1:1/catalog.json', '/page': '<html></html>' });
  });
  afterAll(() => server.close());
  afterEach(() => {
    if (extraCa === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
    else process.env.NODE_EXTRA_CA_CERTS = extraCa;
  });

  test('is read, following redirects on HTTPS, with the certificates the machine trusts', () => {
    process.env.NODE_EXTRA_CA_CERTS = server.certificates.caFile;
    expect(loadMeshIndex(`${server.url}/catalog.json`)).toEqual(meshIndex());
    expect(loadMeshIndex(`${server.url}/moved`)).toEqual(meshIndex());
  });

  test('that does not answer with an index says why, in one line that names it', () => {
    process.env.NODE_EXTRA_CA_CERTS = server.certificates.caFile;
    const failure = (location: string) => {
      try {
        loadMeshIndex(location);
      } catch (error) {
        return error as MeshIndexError;
      }
      throw new Error(`${location} was read`);
    };
    expect(failure(`${server.url}/missing`)).toEqual(new MeshIndexUnreachableError(`${server.url}/missing`, 'answered 404 Not Found'));
    expect(failure(`${server.url}/insecure`).message).toBe(`the mesh index ${server.url}/insecure redirects to http://127.0.0.1:1/catalog.json, which is not HTTPS`);
    expect(failure(`${server.url}/page`)).not.toBeInstanceOf(MeshIndexUnreachableError);
    expect(failure(`${server.url}/page`).message).toMatch(/^the mesh index https:\/\/127\.0\.0\.1:\d+\/page is not JSON/);
    delete process.env.NODE_EXTRA_CA_CERTS;
    expect(failure(`${server.url}/catalog.json`).message).toMatch(/^the mesh index https:\/\/127\.0\.0\.1:\d+\/catalog\.json could not be reached \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)$/);
  });
});
