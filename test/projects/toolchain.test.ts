/**
 * A generated repository builds with the toolchain the template was tested with, whatever the
 * registry serves the day it is generated: the exact versions of this package's lock file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'projen';
import * as semver from 'semver';
import { SdlfDomainProject, SdlfDomainProjectOptions, SdlfPlatformProject } from '../../src';
import { TESTED_CDK_FEATURE_FLAGS, TESTED_VERSIONS } from '../../src/projects/tested-toolchain';

const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tested-toolchain-'));

function domainManifest(options: Partial<SdlfDomainProjectOptions> = {}): any {
  const project = new SdlfDomainProject({
    name: 'sales',
    defaultReleaseBranch: 'main',
    cdkVersion: '2.189.1',
    domain: 'sales',
    owner: 'sales-data@example.com',
    outdir: outdir(),
    ...options,
  });
  return Testing.synth(project)['package.json'];
}

const dependenciesOf = (manifest: any): Record<string, string> => ({ ...manifest.dependencies, ...manifest.devDependencies });

test('the tested versions are the ones this package is built and tested with', () => {
  for (const [name, version] of Object.entries(TESTED_VERSIONS)) {
    // Read from the folder: a package whose exports map leaves out ./package.json cannot be resolved to it.
    const installed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'node_modules', name, 'package.json'), 'utf8')).version;
    expect(`${name}@${installed}`).toBe(`${name}@${version}`);
  }
  // The whole toolchain a repository builds and synthesizes with.
  expect(Object.keys(TESTED_VERSIONS).sort()).toEqual([
    '@aws-sdk/client-s3', '@duckdb/node-api', '@smithy/util-stream', 'aws-cdk', 'aws-cdk-lib', 'aws-local-stepfunctions', 'aws-sdk-client-mock', 'cdk-nag', 'constructs',
    'csv-parse', 'esbuild', 'hyparquet', 'hyparquet-writer', 'projen', 'tsx',
  ]);
  // The stages' tests read Parquet with the reader the writer itself depends on, at the version it pins: one copy installed.
  const writer = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'node_modules', 'hyparquet-writer', 'package.json'), 'utf8'));
  expect(writer.dependencies.hyparquet).toBe(TESTED_VERSIONS.hyparquet);
});

test('cdk.json states every feature flag the CDK CLI would call unconfigured, at the behaviour of the tested aws-cdk-lib without it', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cxapi = require('aws-cdk-lib/cx-api');
  const project = new SdlfDomainProject({ name: 'sales', defaultReleaseBranch: 'main', cdkVersion: '2.189.1', domain: 'sales', owner: 'sales-data@example.com', outdir: outdir() });
  const context = Testing.synth(project)['cdk.json'].context;
  const unconfigured = Object.keys(cxapi.CURRENTLY_RECOMMENDED_FLAGS).filter((flag) => context[flag] === undefined);
  expect(unconfigured).toEqual([]);
  for (const [flag, value] of Object.entries(TESTED_CDK_FEATURE_FLAGS)) {
    if (typeof value === 'boolean') {
      expect(`${flag}=${context[flag]}`).toBe(`${flag}=${cxapi.futureFlagDefault(flag)}`);
    }
  }
  // The one the app chooses itself.
  expect(context['@aws-cdk/core:defaultCrossStackReferences']).toBe('strong');
});

test('a domain repository depends on exactly the tested toolchain, and on Node.js 22 or newer', () => {
  const manifest = domainManifest();
  const dependencies = dependenciesOf(manifest);
  for (const [name, version] of Object.entries(TESTED_VERSIONS)) {
    expect(`${name}@${dependencies[name]}`).toBe(`${name}@${version}`);
  }
  expect(manifest.engines.node).toBe('>= 22.0.0');
  expect(semver.minVersion(dependencies['@types/node'])!.major).toBe(22);
});

test('the platform repository depends on exactly the tested CDK, cdk-nag and projen', () => {
  const project = new SdlfPlatformProject({ name: 'platform', defaultReleaseBranch: 'main', cdkVersion: '2.189.1', owner: 'platform@example.com', outdir: outdir() });
  const dependencies = dependenciesOf(Testing.synth(project)['package.json']);
  for (const name of ['aws-cdk-lib', 'aws-cdk', 'constructs', 'cdk-nag', 'projen', 'tsx']) {
    expect(`${name}@${dependencies[name]}`).toBe(`${name}@${TESTED_VERSIONS[name]}`);
  }
});

test('a cdkVersion newer than the tested aws-cdk-lib is the team\'s choice, and is kept', () => {
  const newer = semver.inc(TESTED_VERSIONS['aws-cdk-lib'], 'minor')!;
  expect(dependenciesOf(domainManifest({ cdkVersion: newer }))['aws-cdk-lib']).toBe(newer);
});

test('the toolchain\'s own install scripts are allowed, pinned or not', () => {
  for (const pinTestedVersions of [true, false]) {
    expect(domainManifest({ pinTestedVersions }).allowScripts).toEqual({ 'esbuild': true, '@parcel/watcher': true });
  }
});

test('pinTestedVersions: false floats the toolchain within the template\'s ranges', () => {
  const dependencies = dependenciesOf(domainManifest({ pinTestedVersions: false }));
  expect(dependencies['aws-cdk-lib']).toMatch(/^\^2\./);
  expect(dependencies['cdk-nag']).toBe('^3.0.0');
  expect(dependencies['@aws-sdk/client-s3']).toBe('^3');
});
