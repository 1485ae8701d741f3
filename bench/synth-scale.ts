/**
 * Synthesizes a domain with 1, 10, 50, 100 and 200 data products (the sample contract under other
 * names) in one environment and prints, for each: synth time, the process's peak memory so far,
 * stacks, the largest stack's resource count and template size, and the fixed monthly cost of the
 * domain's resources that cost money before any data (KMS keys, dashboards, alarms).
 *
 * Run: npx projen bench
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DomainApp } from '../src';
import { sampleContract } from '../test/support/sample-contract';

// Public list prices (us-east-1): a KMS key, a CloudWatch dashboard, a standard-resolution alarm.
const MONTHLY_USD: Record<string, number> = { 'AWS::KMS::Key': 1, 'AWS::CloudWatch::Dashboard': 3, 'AWS::CloudWatch::Alarm': 0.1 };

function synthesize(dataProducts: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-contracts-'));
  for (let i = 0; i < dataProducts; i++) {
    const name = `product_${String(i).padStart(3, '0')}`;
    fs.writeFileSync(path.join(dir, `${name}.yaml`), sampleContract(name));
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cdk.out-'));
  const start = process.hrtime.bigint();
  const app = new DomainApp({
    outdir,
    domain: 'sales',
    owner: 'sales-data@example.com',
    environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }],
    dataProductsDir: dir,
  });
  const assembly = app.synth();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const stacks = assembly.nestedAssemblies.flatMap((nested) => nested.nestedAssembly.stacks);
  let largest = 0;
  let largestBytes = 0;
  let fixedUsd = 0;
  for (const stack of stacks) {
    const resources = Object.values<any>(stack.template.Resources ?? {});
    largest = Math.max(largest, resources.length);
    largestBytes = Math.max(largestBytes, fs.statSync(path.join(stack.assembly.directory, stack.templateFile)).size);
    fixedUsd += resources.reduce((sum, resource) => sum + (MONTHLY_USD[resource.Type] ?? 0), 0);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(outdir, { recursive: true, force: true });
  return { seconds, stacks: stacks.length, largest, largestBytes, fixedUsd };
}

console.log('sdlf-mesh bench: synth a domain (1 environment) by number of data products');
console.log('products   synth s   peak RSS MiB   stacks   largest stack (resources / KiB)   fixed $/month');
for (const count of [1, 10, 50, 100, 200]) {
  const result = synthesize(count);
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(
    `${String(count).padStart(8)}   ${result.seconds.toFixed(2).padStart(7)}   ${peak.toFixed(0).padStart(12)}   ${String(result.stacks).padStart(6)}   ` +
      `${String(result.largest).padStart(15)} / ${(result.largestBytes / 1024).toFixed(0).padStart(4)}              ${result.fixedUsd.toFixed(2).padStart(6)}`,
  );
}
