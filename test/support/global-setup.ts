import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RUN_FIXTURES_ENV } from './run-fixtures';
import { STORE_CACHE_ENV } from '../../src/fleet/template-store-cache';

/**
 * Jest's global setup: a folder for the fixtures the suites of this run share (see `runFixture`),
 * and the fleet runs' template stores kept in it (see `TemplateStoreCache`): a run starts
 * with none, as on a fresh machine, and its fleet suites share them as one user's runs do.
 */
export default function globalSetup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-mesh-test-run-'));
  fs.chmodSync(dir, 0o755);
  process.env[RUN_FIXTURES_ENV] = dir;
  process.env[STORE_CACHE_ENV] = path.join(dir, 'template-stores');
}
