import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RUN_FIXTURES_ENV } from './run-fixtures';

/** Jest's global setup: a folder for the fixtures the suites of this run share (see `runFixture`). */
export default function globalSetup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-mesh-test-run-'));
  fs.chmodSync(dir, 0o755);
  process.env[RUN_FIXTURES_ENV] = dir;
}
