import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { GovernanceTags, PlatformApp } from '../../src';

const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-'));

test('one foundations stack per environment, tagged and within the policy', () => {
  const app = new PlatformApp({
    outdir: outdir(),
    owner: 'platform@example.com',
    environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }, { name: 'prod' }],
  });
  expect(app.foundationsStacks.map((stack) => stack.stackName)).toEqual(['platform-dev-foundations', 'platform-prod-foundations']);
  for (const stack of app.foundationsStacks) {
    expect(GovernanceTags.untaggedResources(stack)).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('sdlf-policy'))).toEqual([]);
  }
  Template.fromStack(app.foundationsStacks[0]).hasResourceProperties('AWS::SSM::Parameter', { Name: '/sdlf/dev/bucket/raw' });
});

test('the policy file of the platform is applied to its stacks', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
  fs.writeFileSync(path.join(dir, 'governance-policy.yaml'), 'allowedRegions: [eu-central-1]\n');
  const app = new PlatformApp({
    outdir: outdir(),
    owner: 'platform@example.com',
    environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }],
    governancePolicyFile: path.join(dir, 'governance-policy.yaml'),
  });
  expect(Annotations.fromStack(app.foundationsStacks[0]).findError('*', Match.stringLikeRegexp('sdlf-policy')).map((m) => m.entry.data)).toEqual([
    '[sdlf-policy:allowed-regions] platform-dev/foundations: region eu-west-1 is not allowed; allowed: eu-central-1',
  ]);
});

test('a registry naming an account the platform does not deploy to, or a domain twice, stops synth with every problem', () => {
  const domains = fs.mkdtempSync(path.join(os.tmpdir(), 'domains-'));
  const registration = (domain: string, account: string) =>
    `domain: sales\nrepository: acme/${domain}-data\nowner: sales-data@example.com\ncostCenter: cc-1\nenvironments:\n  - name: dev\n    account: "${account}"\n    region: eu-west-1\n`;
  fs.writeFileSync(path.join(domains, 'sales.yaml'), registration('sales', '999999999999'));
  fs.writeFileSync(path.join(domains, 'sales.yml'), registration('other', '111111111111'));
  const synth = () =>
    new PlatformApp({
      outdir: outdir(),
      owner: 'platform@example.com',
      environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }],
      domainsDir: domains,
    });
  expect(synth).toThrow(/the domain registry is invalid \(2 problems\)/);
  expect(synth).toThrow(/sales\.yaml:7:14: environments\[0\]\.account: account 999999999999 in eu-west-1 is not one the platform deploys to/);
  expect(synth).toThrow(/sales\.yml:1:9: domain: domain "sales" is already registered in/);
});
