import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'projen';
import * as semver from 'semver';
import { SdlfDomainProject } from '../../src';
import { PACKAGE_ROOT } from '../support/packed-template';

/** The aws-cdk-lib range the package's constructs are published for. */
const PEER_RANGE: string = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).peerDependencies['aws-cdk-lib'];

/** The `cdkVersion` `projen new` gives when the user gives none: the default in projen's manifest. */
function projenDefaultCdkVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('projen/package.json')), '.jsii'), 'utf8'));
  const property = manifest.types['projen.awscdk.AwsCdkDepsCommonOptions'].properties.find((p: { name: string }) => p.name === 'cdkVersion');
  return JSON.parse(property.docs.default);
}

function domainDependencies(cdkVersion: string, options: { pinTestedVersions?: boolean } = {}): Record<string, string> {
  const project = new SdlfDomainProject({
    name: 'sales',
    defaultReleaseBranch: 'main',
    cdkVersion,
    domain: 'sales',
    owner: 'sales-data@example.com',
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-version-')),
    ...options,
  });
  return Testing.synth(project)['package.json'].dependencies;
}

test.each([
  ['projen\'s default', projenDefaultCdkVersion()],
  ['an older version a repository generated before carries', '2.100.0'],
])('with %s, the domain repository depends on an aws-cdk-lib the peer range accepts', (_case, cdkVersion) => {
  const range = domainDependencies(cdkVersion)['aws-cdk-lib'];
  expect(semver.satisfies(semver.minVersion(range)!, PEER_RANGE)).toBe(true);
});

test('a newer version than the peer range\'s lowest is kept when the toolchain floats', () => {
  const newer = semver.inc(semver.minVersion(PEER_RANGE)!, 'minor')!;
  expect(domainDependencies(newer, { pinTestedVersions: false })['aws-cdk-lib']).toBe(`^${newer}`);
});
