import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GIT_ENV } from './git';
import { packTemplate, PROJEN_CLI } from './packed-template';
import { runFixture } from './run-fixtures';
import { exec } from '../../src/util/exec';

/**
 * This package packed as a given version, from a tarball of it: `edit` may change the packed
 * files (e.g. a blueprint) to stand for what a release changed. Returns the new tarball's path.
 */
export async function templateAsVersion(tarball: string, version: string, edit?: (packageDir: string) => void): Promise<string> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `sdlf-mesh-${version}-`));
  // An upgrade run as root installs it as the repositories' own users.
  fs.chmodSync(work, 0o755);
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

/** The changelog of release 0.2.0 of {@link upgradeScenario}. */
export const CHANGELOG_0_2_0 = '# Changelog\n\n## [0.2.0]\n\n- Governance tests check more.\n\n## [0.1.0]\n\n- First release.\n';
/** The line release 0.2.0 adds to a managed file, `test/governance.test.ts`. */
export const MANAGED_CHANGE_0_2_0 = '// Checked by template 0.2.0.';
/** The line release 0.2.0 adds to a sample, `README.md`, which an upgrade shows and never applies. */
export const SAMPLE_CHANGE_0_2_0 = 'New in template 0.2.0.';

/** A devDependency that 0.1.0 (this build, through projen's CDK app) adds and release 0.2.0 no longer does. */
export const DEV_DEPENDENCY_DROPPED_IN_0_2_0 = 'ts-node';

/** Two releases of the template, as tarballs, for the upgrade tests and benchmark. */
export interface UpgradeScenario {
  /** 0.1.0: this build as it is. */
  readonly old: string;
  /** 0.2.0: a changelog, a changed managed file, a changed sample and a devDependency less. */
  readonly target: string;
}

/** Packs this build as 0.1.0 and as 0.2.0, a release that changes a managed file, a sample, the changelog and its devDependencies (once a test run). */
export async function upgradeScenario(): Promise<UpgradeScenario> {
  const tarball = await packTemplate();
  const old = await runFixture('template-0.1.0', async () => templateAsVersion(tarball, '0.1.0'));
  const target = await runFixture('template-0.2.0', async () =>
    templateAsVersion(tarball, '0.2.0', (dir) => {
      fs.writeFileSync(path.join(dir, 'CHANGELOG.md'), CHANGELOG_0_2_0);
      fs.appendFileSync(path.join(dir, 'blueprints/sdlf-domain/managed/governance.test.ts.hbs'), `${MANAGED_CHANGE_0_2_0}\n`);
      fs.appendFileSync(path.join(dir, 'blueprints/sdlf-domain/samples/README.md.hbs'), `\n${SAMPLE_CHANGE_0_2_0}\n`);
      // The project type of 0.2.0 drops the devDependency (the package's exports are looked up when used).
      fs.appendFileSync(
        path.join(dir, 'lib/projects/sdlf-domain-project.js'),
        `\nexports.SdlfDomainProject = class extends exports.SdlfDomainProject { constructor(options) { super(options); this.deps.removeDependency('${DEV_DEPENDENCY_DROPPED_IN_0_2_0}'); } };\n`,
      );
    }),
  );
  return { old, target };
}

/**
 * The repository the real `projen new` generates for a domain at a template tarball, in a new
 * folder named for the domain: a clone of its commit (the generation is made once a test run, so
 * suites may change their clone freely). It has no `node_modules`.
 */
export async function generateDomain(template: string, domain: string): Promise<string> {
  const generated = await runFixture(`generated-${domain}-${path.basename(template, '.tgz')}`, async (fixtureDir) => {
    const dir = path.join(fixtureDir, domain);
    fs.mkdirSync(dir);
    await exec(process.execPath, [PROJEN_CLI, 'new', '--from', `sdlf-mesh@file:${template}`, 'sdlf-domain', '--domain', domain, '--owner', `${domain}-data@example.com`], {
      cwd: dir,
      env: { ...GIT_ENV, CI: undefined },
    });
    return dir;
  });
  const clone = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'generated-')), domain);
  await exec('git', ['clone', '--quiet', generated, clone], { cwd: path.dirname(clone), env: GIT_ENV });
  await exec('git', ['remote', 'remove', 'origin'], { cwd: clone });
  return clone;
}
