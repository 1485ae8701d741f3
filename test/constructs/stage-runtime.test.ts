/**
 * The day aws-cdk-lib adds a Node.js runtime, before Lambda has it in every region, cdk-nag's
 * AwsSolutions-L1 demands it: a domain's build must not start failing that day. This suite plays
 * that day by teaching the installed aws-cdk-lib one more Node.js runtime, as a newer release
 * would (its own file, so no other suite sees the extra runtime).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { domainAppOf } from '../support/domain-app';
import { contractOfKind, domainRepository } from '../support/domain-repository';
import { nagFindings } from '../support/nag';

const SAMPLE_STAGES = '      stages:\n        - name: light-transform\n          type: lambda\n';

test('with an aws-cdk-lib that knows a newer Node.js runtime, the functions keep NODEJS_LATEST and pass the AWS Solutions rules, acknowledged with the reason', () => {
  const newer = new lambda.Runtime(`nodejs${Number(/\d+/.exec(lambda.Runtime.NODEJS_LATEST.name)![0]) + 2}.x`, lambda.RuntimeFamily.NODEJS);
  const glueOnly = contractOfKind('lambda', 'returns').replace(
    SAMPLE_STAGES,
    '      stages:\n        - name: heavy-transform\n          type: glue\n',
  );
  const root = domainRepository({ orders: contractOfKind('lambda-glue', 'orders'), returns: glueOnly });
  const app = domainAppOf(root);
  expect(nagFindings(app)).toEqual([]);

  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
  const acknowledged = report.pluginReports
    .flatMap((plugin: any) => plugin.suppressedViolations ?? [])
    .filter((violation: any) => violation.ruleName === 'AwsSolutions-L1');
  const functions = acknowledged.flatMap((violation: any) => violation.violatingConstructs.map((c: any) => c.constructPath)).sort();
  // The transform of the Lambda stage and the intake router of every stage, the Glue-only pipeline's included.
  expect(functions).toEqual([
    'sales-dev/dp-orders/orders/Pipeline/heavy-transform/Intake/Router/Resource',
    'sales-dev/dp-orders/orders/Pipeline/light-transform-Transform/Resource',
    'sales-dev/dp-orders/orders/Pipeline/light-transform/Intake/Router/Resource',
    'sales-dev/dp-returns/returns/Pipeline/heavy-transform/Intake/Router/Resource',
  ]);
  for (const violation of acknowledged) {
    expect(violation.reason).toContain(`the runtime is ${lambda.Runtime.NODEJS_LATEST.name}, aws-cdk-lib's NODEJS_LATEST`);
    expect(violation.reason).toContain(`${newer.name}, the newest aws-cdk-lib knows, is not yet in every region`);
  }
  const templates = fs.readdirSync(app.outdir).filter((file) => file.endsWith('.template.json'));
  const runtimes = templates.flatMap((file) => Object.values<any>(JSON.parse(fs.readFileSync(path.join(app.outdir, file), 'utf8')).Resources))
    .filter((resource) => resource.Type === 'AWS::Lambda::Function')
    .map((resource) => resource.Properties.Runtime);
  expect(runtimes).toHaveLength(4);
  expect(new Set(runtimes)).toEqual(new Set([lambda.Runtime.NODEJS_LATEST.name]));
});
