import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { contractCommand } from '../../src/cli/contract-command';
import { sampleContract } from '../support/sample-contract';

/** Runs `sdlf-mesh contract ...` in this process and returns its exit code and what it printed. */
async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line) => void out.push(String(line)));
  try {
    return { code: await contractCommand(args), out: out.join('\n') };
  } finally {
    log.mockRestore();
  }
}

test('lint says what each consumer of a valid contract will see, in text and in JSON', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataproducts-'));
  const file = path.join(dir, 'orders.yaml');
  fs.writeFileSync(file, sampleContract().replace('    value: []', '    value:\n      - domain: marketing\n        access: describe'));
  const explanation = 'domain marketing (describe) sees the definition of orders, no data';

  expect(await cli('lint', dir, '--domain', 'sales')).toEqual({ code: 0, out: `${file}: valid\n  ${explanation}` });
  const json = await cli('lint', dir, '--json');
  expect(JSON.parse(json.out)).toEqual([{ file, problems: [], warnings: [], grants: [explanation] }]);
});
