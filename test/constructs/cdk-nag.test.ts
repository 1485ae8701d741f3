/**
 * cdk-nag's AWS Solutions rules on a domain (storage, domain resources, a data product with a
 * consumer grant) and on the platform foundations.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DomainApp, PlatformApp } from '../../src';
import { nagFindings } from '../support/nag';
import { sampleContract } from '../support/sample-contract';

const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-'));

test('a domain with a data product passes the AWS Solutions rules', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataproducts-'));
  const withConsumer = sampleContract().replace('    value: []', '    value:\n      - account: "222222222222"\n        access: select');
  fs.writeFileSync(path.join(dir, 'orders.yaml'), withConsumer);
  const app = new DomainApp({
    outdir: outdir(),
    domain: 'sales',
    owner: 'sales-data@example.com',
    environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }],
    dataProductsDir: dir,
    // An account outside the mesh is a consumer only where the platform's policy allows it.
    governancePolicy: { allowedConsumers: { accounts: ['222222222222'] } },
  });
  expect(nagFindings(app)).toEqual([]);
});

test('the platform foundations and a domain\'s identity pass the AWS Solutions rules; the boundary acknowledges its wildcards with the reason', () => {
  const domains = fs.mkdtempSync(path.join(os.tmpdir(), 'domains-'));
  fs.writeFileSync(
    path.join(domains, 'sales.yaml'),
    'domain: sales\nrepository: acme/sales-data\nowner: sales-data@example.com\ncostCenter: cc-1\nenvironments:\n  - name: dev\n    account: "111111111111"\n    region: eu-west-1\n',
  );
  const app = new PlatformApp({
    outdir: outdir(),
    owner: 'platform@example.com',
    environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }],
    lakeAdmins: ['arn:aws:iam::111111111111:role/platform-admin'],
    domainsDir: domains,
  });
  expect(nagFindings(app)).toEqual([]);
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
  const acknowledged = report.pluginReports
    .flatMap((plugin: any) => plugin.suppressedViolations ?? [])
    .filter((v: any) => v.ruleName?.startsWith('AwsSolutions-IAM5') && v.violatingConstructs?.some((c: any) => c.constructPath?.includes('PermissionsBoundary')));
  expect(acknowledged.length).toBeGreaterThan(0);
  for (const violation of acknowledged) {
    expect(violation.reason).toMatch(/^a permissions boundary caps what the domain roles may do/);
  }
});
