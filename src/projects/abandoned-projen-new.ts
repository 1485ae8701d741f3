import * as fs from 'fs';
import * as path from 'path';
import { TEMPLATE_PACKAGE } from '../domain/domain-settings';
import { InvalidOptionError } from '../util/invalid-option-error';

/** What `projen new --from` writes into the folder before it creates the project. */
const INSTALLED_ENTRIES = ['node_modules', 'package.json', 'package-lock.json'];

/**
 * `projen new --from sdlf-mesh` installs projen and the template into the folder (a
 * `package.json` and `node_modules`) before the project's constructor checks the options. When
 * the constructor refuses them, this removes that install, so the folder is as it was and
 * `projen new` can be run again in it. It acts only when `package.json` is the one npm writes for
 * that install (the two development dependencies and no other field), and removes only what that
 * install created: `package.json`, `package-lock.json` and `node_modules` made since `projen new`
 * started. Whatever else the folder holds (`.git`, a README, a `node_modules` of its own) stays.
 * Where the file system records no creation time, it removes the install only from a folder
 * that holds nothing else.
 *
 * @param dir the folder `projen new` runs in
 * @param since when `projen new` started, in epoch milliseconds: what is older was there before
 * (default: when this process started, as `projen new` runs the constructor in its own process)
 */
export function removeAbandonedProjenNewInstall(dir: string, since: number = performance.timeOrigin): void {
  // Set by `projen new` while it creates the project; a synth of an existing project is left alone.
  if (process.env.PROJEN_CREATE_PROJECT !== 'true' || !fs.existsSync(dir)) {
    return;
  }
  const entries = fs.readdirSync(dir);
  if (!entries.includes('package.json')) {
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
  const onlyTheInstall = entries.every((entry) => INSTALLED_ENTRIES.includes(entry));
  for (const entry of entries.filter((name) => INSTALLED_ENTRIES.includes(name))) {
    const created = createdSince(path.join(dir, entry), since);
    if (created === true || (created === undefined && onlyTheInstall)) {
      fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    }
  }
}

/** Whether the file was created at or after `since`; undefined where the file system does not say. */
function createdSince(file: string, since: number): boolean | undefined {
  const { birthtimeMs } = fs.lstatSync(file);
  return birthtimeMs > 0 ? birthtimeMs >= since : undefined;
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
  let checked: T;
  try {
    checked = check();
  } catch (error) {
    if (error instanceof InvalidOptionError) {
      removeAbandonedProjenNewInstall(dir);
    }
    throw error;
  }
  recordTemplateAsDependency(dir);
  return checked;
}

/**
 * `projen new` installs the template as a development dependency, and the project depends on it
 * at run time: recorded as the project records it, before projen reads the file, so that projen
 * does not warn of "unmanaged dependencies" it removes. Only the `package.json` npm wrote for that
 * install is rewritten.
 */
function recordTemplateAsDependency(dir: string): void {
  const file = path.join(dir, 'package.json');
  if (process.env.PROJEN_CREATE_PROJECT !== 'true' || !fs.existsSync(file)) {
    return;
  }
  let manifest: { devDependencies: Record<string, string> };
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return;
  }
  const template = manifest.devDependencies?.[TEMPLATE_PACKAGE];
  if (!isInstallManifest(manifest) || template === undefined) {
    return;
  }
  const devDependencies = { ...manifest.devDependencies };
  delete devDependencies[TEMPLATE_PACKAGE];
  fs.writeFileSync(file, `${JSON.stringify({ dependencies: { [TEMPLATE_PACKAGE]: template }, devDependencies }, undefined, 2)}\n`);
}
