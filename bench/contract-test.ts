/**
 * Tests a million rows of the sample contract's table, as CSV and as Parquet, with
 * `testContractData` (what `sdlf-mesh contract test` runs) and prints, for each, the time, the rows
 * per second and the peak resident memory of the process that tested them: what a domain team's
 * check of a delivery costs on a laptop or a CI runner.
 *
 * Each format is tested in a process of its own (the compiled package), so that each peak is its own.
 *
 * Run: npx projen bench (needs `npx projen compile`)
 *      npx ts-node --project test/tsconfig.json bench/contract-test.ts [--rows 1000000]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { writeOrdersRows } from './orders-rows';
import { exec } from '../src/util/exec';
import { PACKAGE_ROOT } from '../test/support/packed-template';
import { sampleContract } from '../test/support/sample-contract';

/** Run in the child: tests the files and prints the figures as JSON. */
const CHILD = `
const { testContractData } = require(${JSON.stringify(path.join(PACKAGE_ROOT, 'lib', 'contract'))});
const [contract, data] = process.argv.slice(1);
const started = process.hrtime.bigint();
testContractData({ contract, data: [data] }).then((test) => {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ seconds, rows: test.rows, passed: test.passed, checks: test.results.length, peakMiB: process.resourceUsage().maxRSS / 1024 }));
});`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' } } });
  const rows = Number(values.rows);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-contract-test-'));
  try {
    const contract = path.join(dir, 'orders.yaml');
    fs.writeFileSync(contract, sampleContract());
    const files = { CSV: path.join(dir, 'orders.csv'), Parquet: path.join(dir, 'orders.parquet') };
    await writeOrdersRows(rows, { CSV: files.CSV, PARQUET: files.Parquet });

    console.log(`sdlf-mesh bench: contract test of ${rows.toLocaleString('en-US')} rows of the sample table (node ${process.version}, ${os.cpus().length} cores)`);
    console.log('format     file MiB   checks   seconds   rows/second   peak RSS MiB');
    for (const [format, file] of Object.entries(files)) {
      const { stdout } = await exec(process.execPath, ['-e', CHILD, contract, file], { cwd: dir });
      const figures = JSON.parse(stdout);
      if (!figures.passed || figures.rows !== rows) {
        throw new Error(`the ${format} file did not pass: ${stdout}`);
      }
      console.log(
        `${format.padEnd(9)}  ${(fs.statSync(file).size / 1024 / 1024).toFixed(0).padStart(8)}   ${String(figures.checks).padStart(6)}   ${figures.seconds.toFixed(2).padStart(7)}   ` +
          `${Math.round(rows / figures.seconds).toLocaleString('en-US').padStart(11)}   ${figures.peakMiB.toFixed(0).padStart(12)}`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
