import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exec } from '../../src/util/exec';

/**
 * This package packed as a given version, from a tarball of it: `edit` may change the packed
 * files (e.g. a blueprint) to stand for what a release changed. Returns the new tarball's path.
 */
export async function templateAsVersion(tarball: string, version: string, edit?: (packageDir: string) => void): Promise<string> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `sdlf-mesh-${version}-`));
  await exec('tar', ['-xzf', tarball, '-C', work], { cwd: work });
  const packageDir = path.join(work, 'package');
  const manifestFile = path.join(packageDir, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, version }, null, 2));
  // The .jsii manifest carries the version too; projen new reads it.
  const jsiiFile = path.join(packageDir, '.jsii');
  if (fs.existsSync(jsiiFile)) {
    fs.writeFileSync(jsiiFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(jsiiFile, 'utf8')), version }));
  }
  edit?.(packageDir);
  const out = path.join(work, `sdlf-mesh-${version}.tgz`);
  await exec('tar', ['-czf', out, '-C', work, 'package'], { cwd: work });
  return out;
}
