import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';
import { TEMPLATE_PACKAGE } from '../domain/domain-settings';
import { ProjenrcFile } from '../projects/projenrc-file';
import { exec } from '../util/exec';
import { InvalidOptionError } from '../util/invalid-option-error';
import { readUntrustedFile } from '../util/untrusted-file';

/** The template version an upgrade moves domain repositories to. */
export interface UpgradeTarget {
  /** The version, e.g. `1.4.0`. */
  readonly version: string;
  /**
   * What goes into `.projenrc.ts` as `templateVersion`: the version, or `file:<tarball>` for a
   * template that is not published yet.
   */
  readonly templateVersion: string;
  /** The spec npm installs: `sdlf-mesh@1.4.0` or `sdlf-mesh@file:/abs/sdlf-mesh-1.4.0.tgz`. */
  readonly installSpec: string;
}

/**
 * The target of `--to`: a semantic version of the published template, or the path of a tarball
 * that `npm pack` made of it (its version is read from the tarball). Refused with the fix before
 * any repository is touched.
 */
export async function resolveUpgradeTarget(to: string): Promise<UpgradeTarget> {
  if (to.endsWith('.tgz')) {
    const tarball = path.resolve(to);
    if (!fs.existsSync(tarball)) {
      throw new InvalidOptionError('--to', `${to} does not exist; give a version (--to 1.4.0) or a tarball made by npm pack`);
    }
    assertReadableByAll(tarball);
    const { stdout } = await exec('tar', ['-xzOf', tarball, 'package/package.json'], { cwd: path.dirname(tarball) });
    const manifest = JSON.parse(stdout);
    if (manifest.name !== TEMPLATE_PACKAGE) {
      throw new InvalidOptionError('--to', `${to} is a tarball of ${manifest.name}, not of ${TEMPLATE_PACKAGE}`);
    }
    return { version: manifest.version, templateVersion: `file:${tarball}`, installSpec: `${TEMPLATE_PACKAGE}@file:${tarball}` };
  }
  if (!semver.valid(to)) {
    throw new InvalidOptionError('--to', `"${to}" is not a version; give one such as --to 1.4.0, or a tarball made by npm pack`);
  }
  return { version: to, templateVersion: to, installSpec: `${TEMPLATE_PACKAGE}@${to}` };
}

/**
 * As root, the upgrade installs each repository as a user of its own (see `DomainSandbox`), who
 * must be able to read the tarball: every folder on its path must let others in, and the file
 * let them read it.
 */
function assertReadableByAll(tarball: string): void {
  if (process.getuid?.() !== 0) {
    return;
  }
  // Others may read the file (o+r) and enter each folder (o+x).
  const closed = [tarball, ...ancestors(tarball)].filter((file, index) => (fs.statSync(file).mode & (index === 0 ? 0o004 : 0o001)) === 0); // eslint-disable-line no-bitwise
  if (closed.length > 0) {
    throw new InvalidOptionError(
      '--to',
      `${tarball} must be readable by every user (each repository installs it as a user of its own): ` +
        `run chmod o+r on the file and o+x on ${closed.filter((file) => file !== tarball).join(', ') || 'its folders'}, or copy it to a shared folder such as /tmp`,
    );
  }
}

function ancestors(file: string): string[] {
  const parent = path.dirname(file);
  return parent === file ? [] : [parent, ...ancestors(parent)];
}

/**
 * The template version a domain repository is at: the version of `sdlf-mesh` its install holds
 * when there is one, else what its package.json asks for (see {@link templateVersionInManifest}).
 */
export function currentTemplateVersion(repoDir: string): string | undefined {
  // The repository's files are the domain's: read without following links, within a size.
  const installed = readUntrustedFile(repoDir, path.join('node_modules', TEMPLATE_PACKAGE, 'package.json'));
  if (installed !== undefined) {
    return JSON.parse(installed).version;
  }
  const manifestText = readUntrustedFile(repoDir, 'package.json');
  return manifestText === undefined ? undefined : templateVersionInManifest(manifestText);
}

/**
 * The template version a package.json asks for: a version, a range's lowest version, or the
 * version in a tarball's name; undefined when it does not depend on the template.
 */
export function templateVersionInManifest(manifestText: string): string | undefined {
  const manifest = JSON.parse(manifestText);
  const spec: string | undefined = manifest.dependencies?.[TEMPLATE_PACKAGE] ?? manifest.devDependencies?.[TEMPLATE_PACKAGE];
  if (spec === undefined) {
    return undefined;
  }
  const tarball = /sdlf-mesh-(\d+\.\d+\.\d+[^/]*)\.tgz$/.exec(spec);
  if (tarball) {
    return tarball[1];
  }
  return semver.valid(spec) ?? semver.minVersion(spec)?.version ?? undefined;
}

/**
 * `.projenrc.ts` with the `templateVersion` option set: the option's value is replaced (or its
 * commented-out line, as `projen new` writes it, uncommented), else the option is added to the
 * `SdlfDomainProject`'s options (see `ProjenrcFile.withTemplateVersion`). Nothing else of the
 * file changes: it is the domain team's.
 */
export function setTemplateVersion(projenrc: string, templateVersion: string): string {
  return ProjenrcFile.parse(projenrc).withTemplateVersion(templateVersion);
}
