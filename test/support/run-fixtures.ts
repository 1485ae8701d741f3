import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The variable that names the folder a test run shares its costly fixtures in (the packed
 * template, its release pair, a generated domain repository). Jest's global setup sets it, so
 * suites in any worker make each fixture once a run; without it (a single file run on its own)
 * each suite makes its own.
 */
export const RUN_FIXTURES_ENV = 'SDLF_MESH_TEST_FIXTURES';

const POLL_MS = 250;

/**
 * The fixture `name` of this test run: made by the first suite that asks (`make` writes it into
 * the folder it is given and returns its path), and waited for by the others. A fixture whose
 * making failed is made again by the next suite that asks.
 */
export async function runFixture(name: string, make: (dir: string) => Promise<string>): Promise<string> {
  const root = process.env[RUN_FIXTURES_ENV];
  if (!root) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fixture-${name}-`));
    fs.chmodSync(dir, 0o755);
    return make(dir);
  }
  const dir = path.join(root, name);
  const done = path.join(root, `${name}.done`);
  for (;;) {
    if (fs.existsSync(done)) {
      return fs.readFileSync(done, 'utf8');
    }
    try {
      // mkdir is atomic: the suite that creates the folder makes the fixture. Readable by all:
      // an upgrade run as root installs a packed template as the repositories' own users.
      fs.mkdirSync(dir);
      fs.chmodSync(dir, 0o755);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      continue;
    }
    try {
      const made = await make(dir);
      fs.writeFileSync(done, made);
      return made;
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
}
