/**
 * A domain app built with its stage code: the contract's Lambda stage becomes a transform
 * function (bundled with esbuild from the repository's TypeScript) and a LambdaStage.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DomainApp } from '../../src';
import { renderBlueprint } from '../../src/projects/blueprint';
import { nagFindings } from '../support/nag';
import { PACKAGE_ROOT } from '../support/packed-template';
import { sampleContract } from '../support/sample-contract';

/** A domain repository's folders: the sample contract, its stage handler, a lockfile. */
function repository(withHandler = true): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'domain-repo-'));
  fs.writeFileSync(path.join(root, 'package-lock.json'), '{}');
  // The repository's own install provides esbuild, as projen's does in a generated one.
  fs.symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  fs.mkdirSync(path.join(root, 'dataproducts'));
  fs.writeFileSync(path.join(root, 'dataproducts', 'orders.yaml'), sampleContract());
  if (withHandler) {
    fs.mkdirSync(path.join(root, 'src', 'stages', 'orders'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'src', 'stages', 'orders', 'light-transform.ts'),
      renderBlueprint('sdlf-domain/samples/lambda-stage.ts.hbs', { dataProduct: 'orders', stage: 'light-transform' }),
    );
  }
  return root;
}

function domainApp(root: string): DomainApp {
  return new DomainApp({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-')),
    domain: 'sales',
    owner: 'sales-data@example.com',
    environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }],
    dataProductsDir: path.join(root, 'dataproducts'),
    stagesDir: path.join(root, 'src', 'stages'),
  });
}

test('the Lambda stage of the contract is built from the repository code, reading raw/ and writing stage/ only', () => {
  const app = domainApp(repository());
  const [product] = app.stages[0].dataProducts;
  expect(product.lambdaStages.map((stage) => stage.stateMachine.node.path)).toEqual([expect.stringMatching(/Stage-light-transform\/StateMachine$/)]);
  const template = Template.fromStack(Stack.of(product));
  template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'sdlf-sales-dev-orders-light-transform' });
  const transform = Object.values(template.findResources('AWS::Lambda::Function')).find((f: any) => f.Properties.Description === 'Stage light-transform of data product orders') as any;
  expect(transform.Properties.Handler).toBe('index.handler');
  const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
  expect(policies).toContain('/raw/orders/*');
  expect(policies).toContain('/stage/orders/*');
  // The domain bucket sends its events to EventBridge, where the stage's rule listens.
  Template.fromStack(app.stages[0].domainStack).hasResourceProperties('AWS::S3::Bucket', {
    NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
  });
});

test('the domain with its pipeline: AWS Solutions rules find only the transform\'s object prefixes', () => {
  const findings = nagFindings(domainApp(repository()));
  // The transform may read raw/orders/* and write stage/orders/* of the domain bucket. The bucket
  // is in the domain stack, so cdk-nag names these grants by the export CDK makes, which is only
  // known at synthesis: acknowledging them is left to work that passes the bucket by a named export.
  expect(findings.sort()).toEqual([
    expect.stringMatching(/^AwsSolutions-IAM5\[Resource::sales-dev-domain:ExportsOutput.*\/raw\/orders\/\*\] sales-dev\/data-products-\d+\/orders\/Stage-light-transform-Role\/DefaultPolicy\/Resource$/),
    expect.stringMatching(/^AwsSolutions-IAM5\[Resource::sales-dev-domain:ExportsOutput.*\/stage\/orders\/\*\] sales-dev\/data-products-\d+\/orders\/Stage-light-transform-Role\/DefaultPolicy\/Resource$/),
  ]);
});

test('a stage whose code is missing says what to run', () => {
  expect(() => domainApp(repository(false))).toThrow(/light-transform\.ts: the code of stage "light-transform" of data product "orders" is missing; run npx projen to write its skeleton/);
});
