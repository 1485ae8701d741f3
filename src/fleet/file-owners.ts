import * as path from 'path';
import { readUntrustedFile } from '../util/untrusted-file';

// Projen writes these on every synth without listing them in `.projen/files.json`, which holds
// only its read-only files: package.json stays writable so that `npm install <name>` works (and
// projen then takes the dependencies back from `.projenrc.ts`), and the package manager writes
// the lock file.
const WRITABLE_PROJEN_FILES = ['package.json', 'package-lock.json'];

// Projen writes sample files only when they are missing, so the domain team's files survive the
// synth; the only domain file the upgrade edits is the template version in .projenrc.ts.
const DOMAIN_FILES_THE_UPGRADE_EDITS = ['.projenrc.ts'];

/** The files an upgrade changed, by who owns them. */
export interface ChangedFilesByOwner {
  /** Files projen regenerates from the template: the reviewer checks them, nobody edits them. */
  readonly managed: string[];
  /** Files of the domain team that the upgrade itself edits (the template version in `.projenrc.ts`). */
  readonly domain: string[];
  /** Files that changed although neither projen nor the upgrade owns them: a person checks them. */
  readonly unowned: string[];
}

/**
 * Sorts the files an upgrade changed in the repository `repoDir` (after its synth) by owner: what
 * projen manages (`.projen/files.json` and the files projen writes but keeps writable), what the
 * upgrade edits, and the rest.
 */
export function changedFilesByOwner(repoDir: string, changed: string[]): ChangedFilesByOwner {
  const managed = new Set<string>([...readManagedFiles(repoDir), ...WRITABLE_PROJEN_FILES]);
  const domain = (file: string) => !managed.has(file) && DOMAIN_FILES_THE_UPGRADE_EDITS.includes(file);
  return {
    managed: changed.filter((file) => managed.has(file)),
    domain: changed.filter(domain),
    unowned: changed.filter((file) => !managed.has(file) && !domain(file)),
  };
}

/** The read-only files projen manages in a repository, as it lists them in `.projen/files.json`. */
function readManagedFiles(dir: string): string[] {
  const text = readUntrustedFile(dir, path.join('.projen', 'files.json'));
  return text === undefined ? [] : [...JSON.parse(text).files, '.projen/files.json'];
}
