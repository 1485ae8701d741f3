import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';
import { InvalidOptionError } from '../config/invalid-option-error';
import { TEMPLATE_PACKAGE } from '../projects/domain-settings';
import { exec } from '../util/exec';

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
 * The template version a domain repository is at: the version of `sdlf-mesh` its install holds
 * when there is one, else what its package.json asks for (a version, a range's lowest version,
 * or the version in a tarball's name).
 */
export function currentTemplateVersion(repoDir: string): string | undefined {
  const installed = path.join(repoDir, 'node_modules', TEMPLATE_PACKAGE, 'package.json');
  if (fs.existsSync(installed)) {
    return JSON.parse(fs.readFileSync(installed, 'utf8')).version;
  }
  const manifestFile = path.join(repoDir, 'package.json');
  if (!fs.existsSync(manifestFile)) {
    return undefined;
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
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

const TEMPLATE_VERSION_LINE = /^(\s*)(\/\/\s*)?templateVersion:\s*[^,\n]*,?[^\n]*$/m;

/**
 * `.projenrc.ts` with the `templateVersion` option set: the option's line is replaced (or
 * uncommented, as `projen new` writes it commented out), else added as the first option of the
 * `SdlfDomainProject`. Nothing else of the file changes: it is the domain team's.
 */
export function setTemplateVersion(projenrc: string, templateVersion: string): string {
  const quoted = `'${templateVersion.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const line = (indent: string) => `${indent}templateVersion: ${quoted},`;
  if (TEMPLATE_VERSION_LINE.test(projenrc)) {
    return projenrc.replace(TEMPLATE_VERSION_LINE, (_match, indent: string) => line(indent));
  }
  const opening = /new SdlfDomainProject\(\{\n/.exec(projenrc);
  if (!opening) {
    throw new Error('.projenrc.ts does not create an SdlfDomainProject with an options object: set templateVersion in it by hand');
  }
  const at = opening.index + opening[0].length;
  return `${projenrc.slice(0, at)}${line('  ')}\n${projenrc.slice(at)}`;
}
