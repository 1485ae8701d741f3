import * as fs from 'fs';
import * as path from 'path';
import { TEMPLATE_PACKAGE } from './domain-settings';
import { InvalidOptionError } from '../config/invalid-option-error';

/** What `projen new --from` writes into the folder before it creates the project. */
const INSTALLED_ENTRIES = ['node_modules', 'package.json', 'package-lock.json'];

/**
 * `projen new --from sdlf-mesh` installs projen and the template into the folder (a
 * `package.json` and `node_modules`) before the project's constructor checks the options. When
 * the constructor refuses them, this removes that install, so the folder is as empty as it was and
 * `projen new` can be run again in it. It removes nothing unless the folder holds only that
 * install, with the `package.json` npm writes for it (the two development dependencies and no
 * other field): a folder that held files or a `package.json` of its own before is left as it is.
 *
 * @param dir the folder `projen new` runs in
 */
export function removeAbandonedProjenNewInstall(dir: string): void {
  // Set by `projen new` while it creates the project; a synth of an existing project is left alone.
  if (process.env.PROJEN_CREATE_PROJECT !== 'true' || !fs.existsSync(dir)) {
    return;
  }
  const entries = fs.readdirSync(dir);
  if (!entries.includes('package.json') || !entries.every((entry) => INSTALLED_ENTRIES.includes(entry))) {
    return;
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return;
  }
  if (!isInstallManifest(manifest)) {
    return;
  }
  for (const entry of entries) {
    fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
}

/** `{ "devDependencies": { "projen": ..., "sdlf-mesh": ... } }`, as `npm install --save-dev` writes it in an empty folder. */
function isInstallManifest(manifest: unknown): boolean {
  if (typeof manifest !== 'object' || manifest === null || Object.keys(manifest).join() !== 'devDependencies') {
    return false;
  }
  const devDependencies = (manifest as { devDependencies: unknown }).devDependencies;
  return (
    typeof devDependencies === 'object' &&
    devDependencies !== null &&
    Object.keys(devDependencies).every((name) => name === 'projen' || name === TEMPLATE_PACKAGE)
  );
}

/**
 * Runs the checks of a project's options; when they refuse one, takes back what `projen new`
 * installed in the folder (see {@link removeAbandonedProjenNewInstall}) before the refusal goes on.
 *
 * @param dir the folder `projen new` runs in
 */
export function checkOptionsBeforeProjenNew<T>(dir: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidOptionError) {
      removeAbandonedProjenNewInstall(dir);
    }
    throw error;
  }
}
