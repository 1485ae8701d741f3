/**
 * Synthesizes a domain with 1, 10, 50, 100 and 200 data products in one environment, without
 * pipelines (the sample contract under other names) and with them (a third each: no pipeline, a
 * Lambda stage, a Lambda and a Glue stage, their code bundled as in a domain repository), and
 * prints, for each: synth time, the process's peak memory so far, stacks, the largest stack's
 * resource count and template size, and the fixed monthly cost of the resources that cost money
 * before any data (KMS keys, dashboards, alarms).
 *
 * Run: npx projen bench
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DomainApp } from '../src';
import { CONSUMER_PRINCIPALS, ContractKind, contractOfKind, domainRepository } from '../test/support/domain-repository';
import { sampleContract } from '../test/support/sample-contract';

// Public list prices (us-east-1): a KMS key, a CloudWatch dashboard, a standard-resolution alarm.
const MONTHLY_USD: Record<string, number> = { 'AWS::KMS::Key': 1, 'AWS::CloudWatch::Dashboard': 3, 'AWS::CloudWatch::Alarm': 0.1 };

const KINDS: ContractKind[] = ['grant', 'lambda', 'lambda-glue'];

function synthesize(dataProducts: number, withPipelines: boolean) {
  const contracts: Record<string, string> = {};
  for (let i = 0; i < dataProducts; i++) {
    const name = `product_${String(i).padStart(3, '0')}`;
    contracts[name] = withPipelines ? contractOfKind(KINDS[i % KINDS.length], name) : sampleContract(name);
  }
  const root = domainRepository(contracts, { withStageCode: withPipelines });
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cdk.out-'));
  const start = process.hrtime.bigint();
  const app = new DomainApp({
    outdir,
    domain: 'sales',
    owner: 'sales-data@example.com',
    environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }],
    dataProductsDir: path.join(root, 'dataproducts'),
    stagesDir: withPipelines ? path.join(root, 'src', 'stages') : undefined,
    consumerPrincipals: CONSUMER_PRINCIPALS,
  });
  const assembly = app.synth();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const stacks = assembly.stacks;
  let largest = 0;
  let largestBytes = 0;
  let fixedUsd = 0;
  for (const stack of stacks) {
    const resources = Object.values<any>(stack.template.Resources ?? {});
    largest = Math.max(largest, resources.length);
    largestBytes = Math.max(largestBytes, fs.statSync(path.join(stack.assembly.directory, stack.templateFile)).size);
    fixedUsd += resources.reduce((sum, resource) => sum + (MONTHLY_USD[resource.Type] ?? 0), 0);
  }
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outdir, { recursive: true, force: true });
  return { seconds, stacks: stacks.length, largest, largestBytes, fixedUsd };
}

console.log('sdlf-mesh bench: synth a domain (1 environment) by number of data products');
console.log('pipelines  products   synth s   peak RSS MiB   stacks   largest stack (resources / KiB)   fixed $/month');
for (const [withPipelines, count] of [false, true].flatMap((pipelines) => [1, 10, 50, 100, 200].map((n) => [pipelines, n] as const))) {
  const result = synthesize(count, withPipelines);
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(
    `${(withPipelines ? 'yes' : 'no').padEnd(9)}  ${String(count).padStart(8)}   ${result.seconds.toFixed(2).padStart(7)}   ${peak.toFixed(0).padStart(12)}   ${String(result.stacks).padStart(6)}   ` +
      `${String(result.largest).padStart(15)} / ${(result.largestBytes / 1024).toFixed(0).padStart(4)}              ${result.fixedUsd.toFixed(2).padStart(6)}`,
  );
}
