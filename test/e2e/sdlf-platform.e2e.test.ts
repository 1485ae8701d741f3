/**
 * End to end: `projen new --from <tarball> sdlf-platform`, then `npx projen build` (tests and
 * synth) in the generated platform repository.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exec } from '../../src/util/exec';
import { actionlint } from '../support/actionlint';
import { GIT_ENV } from '../support/git';
import { packTemplate, PROJEN_CLI } from '../support/packed-template';
import { workflowNodePath } from '../support/workflow-node';

jest.setTimeout(15 * 60_000);

const ENV: Record<string, string | undefined> = { CI: undefined, ...GIT_ENV };

test('a platform repository is generated, builds, tests and synthesizes the foundations of each environment', async () => {
  // On the Node.js the generated workflows use.
  ENV.PATH = await workflowNodePath();
  const tarball = await packTemplate();
  const repo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-platform-')), 'data-platform');
  fs.mkdirSync(repo);
  await exec('node', [PROJEN_CLI, 'new', '--from', tarball, 'sdlf-platform', '--owner', '@acme/data-platform',
    '--environments', 'dev:111111111111:eu-west-1', '--lake-admins', 'arn:aws:iam::111111111111:role/platform-admin'], { cwd: repo, env: ENV });

  const { stdout, stderr } = await exec('npx', ['projen', 'build'], { cwd: repo, env: ENV });
  expect(`${stdout}\n${stderr}`).toMatch(/Tests:\s+\d+ passed, \d+ total/);
  expect((await exec('git', ['status', '--porcelain'], { cwd: repo })).stdout).toBe('');

  // The stacks are the app's own: the CDK CLI lists them, and selects an environment's as the deploy workflow does.
  const listed = await exec('npx', ['cdk', 'list', '--app', 'cdk.out', 'platform-dev/*'], { cwd: repo, env: ENV });
  expect(listed.stdout.trim().split('\n').sort()).toEqual(['platform-dev/foundations (platform-dev-foundations)', 'platform-dev/identity (platform-dev-identity)']);
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'cdk.out', 'manifest.json'), 'utf8'));
  const foundations = Object.values<any>(manifest.artifacts).find((artifact) => artifact.properties?.stackName === 'platform-dev-foundations');
  const template = JSON.parse(fs.readFileSync(path.join(repo, 'cdk.out', foundations.properties.templateFile), 'utf8'));
  const types = Object.values<any>(template.Resources).map((resource) => resource.Type);
  expect(types).toEqual(expect.arrayContaining(['AWS::KMS::Key', 'AWS::DynamoDB::Table', 'AWS::CloudTrail::Trail', 'AWS::LakeFormation::DataLakeSettings', 'AWS::SSM::Parameter']));
  expect(await actionlint(repo)).toEqual([]);
});
