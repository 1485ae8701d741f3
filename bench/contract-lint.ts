/**
 * Lints and diffs 200 contracts (the sample under other names) and prints the time per contract:
 * what a domain's pull-request build spends on its contracts.
 *
 * Run: npx projen bench
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diffContracts, lintContract } from '../src/contract';
import { sampleContract } from '../test/support/sample-contract';

const COUNT = 200;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-lint-'));
const files = Array.from({ length: COUNT }, (_, i) => {
  const file = path.join(dir, `product_${i}.yaml`);
  fs.writeFileSync(file, sampleContract(`product_${i}`));
  return file;
});

let start = process.hrtime.bigint();
const reports = files.map((file) => lintContract(file, { domain: 'sales' }));
const lintMs = Number(process.hrtime.bigint() - start) / 1e6;
if (reports.some((report) => report.problems.length > 0)) {
  throw new Error('a sample contract did not lint');
}
start = process.hrtime.bigint();
for (const report of reports) {
  diffContracts(report.contract, { ...report.contract!, version: '1.1.0' });
}
const diffMs = Number(process.hrtime.bigint() - start) / 1e6;
fs.rmSync(dir, { recursive: true, force: true });

console.log(`sdlf-mesh bench: ${COUNT} contracts`);
console.log(`lint (YAML, ODCS v3.1 schema, SDLF rules)   ${lintMs.toFixed(0).padStart(6)} ms total   ${(lintMs / COUNT).toFixed(2).padStart(6)} ms/contract`);
console.log(`diff                                         ${diffMs.toFixed(0).padStart(6)} ms total   ${(diffMs / COUNT).toFixed(3).padStart(6)} ms/contract`);
