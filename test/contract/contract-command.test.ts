import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { contractDiffCommand, contractLintCommand } from '../../src/cli/contract-command';
import { MESH_INDEX_COPY, renderMeshIndex } from '../../src/contract/mesh-index';
import { git, repositoryWith } from '../support/git';
import { meshIndex } from '../support/mesh-index';
import { activeContract, sampleContract } from '../support/sample-contract';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

/** Runs `sdlf-mesh contract lint|diff ...` in this process and returns its exit code and what it printed. */
async function cli(verb: 'lint' | 'diff', ...args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line) => void out.push(String(line)));
  try {
    return { code: await (verb === 'lint' ? contractLintCommand : contractDiffCommand)(args), out: out.join('\n') };
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
  expect(JSON.parse(json.out)).toEqual([{ file, problems: [], warnings: [], notes: [], grants: [explanation] }]);
});

describe("lint of a consumer's inputs", () => {
  /** A finance repository whose revenue reads more of sales/orders than sales grants finance. */
  function financeRepository(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finance-'));
    const contract = activeContract('finance', 'controller@example.com', 'revenue').replace(
      /(    value: 365\n)/,
      '$1  - property: sdlfInputs\n    value:\n      - product: sales/orders\n        tables: [{ name: orders, columns: [order_id, customer_email] }]\n',
    );
    fs.mkdirSync(path.join(dir, 'dataproducts'));
    fs.writeFileSync(path.join(dir, 'dataproducts', 'revenue.yaml'), contract);
    return dir;
  }

  test('against the index --mesh-index names, a narrower grant is one line with the missing column and the fix', async () => {
    const dir = financeRepository();
    const index = path.join(dir, 'catalog-index.json');
    fs.writeFileSync(index, renderMeshIndex(meshIndex()));
    expect(await cli('lint', path.join(dir, 'dataproducts'), '--domain', 'finance', '--mesh-index', index)).toEqual({
      code: 1,
      out: `${path.join(dir, 'dataproducts', 'revenue.yaml')}:82:18: customProperties[3].value[0].product: "sales/orders" grants domain "finance" less than it reads: ` +
        'not column orders.customer_email (ask domain sales for it: sdlf-mesh access request sales/orders --for finance)',
    });
  });

  test("the repository's copy of the index is read when there is one; without it, a note names the option", async () => {
    const dir = financeRepository();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const unchecked = await cli('lint', '--domain', 'finance');
      expect(unchecked.code).toBe(0);
      expect(unchecked.out).toContain('dataproducts/revenue.yaml:82:7: note: customProperties[3].value: the input was not checked against the mesh: there is no mesh index (set meshIndex in .projenrc.ts');
      fs.mkdirSync('.sdlf');
      fs.writeFileSync(MESH_INDEX_COPY, renderMeshIndex(meshIndex()));
      expect((await cli('lint', '--domain', 'finance')).code).toBe(1);
      fs.writeFileSync(MESH_INDEX_COPY, '{}');
      await expect(cli('lint', '--domain', 'finance')).rejects.toThrow(/^Invalid option "meshIndex": the mesh index .sdlf\/mesh-index.json is not a catalog.json of sdlf-mesh: /);
    } finally {
      process.chdir(cwd);
    }
  });
});

test('lint refuses consumer principals that are not a JSON object of principals, naming the flag, before reading a file', async () => {
  await expect(cli('lint', 'missing-folder', '--consumer-principals', 'marketing=222222222222')).rejects.toThrow(
    'Invalid option "--consumer-principals": "marketing=222222222222" is not JSON: give each consumer domain\'s principal as a JSON object, e.g. \'{"marketing":"arn:aws:iam::123456789012:role/marketing-analysts"}\'',
  );
  await expect(cli('lint', 'missing-folder', '--consumer-principals', '{"marketing":"marketing-analysts"}')).rejects.toThrow(/^Invalid option "consumerPrincipals\.marketing": "marketing-analysts" is not a Lake Formation principal/);
});

test('each command takes its own flags: lint refuses diff\'s --summary, naming the flags it takes', async () => {
  await expect(cli('lint', 'dataproducts', '--summary', 'summary.md')).rejects.toThrow(
    /^Invalid option "--summary": .*; the options are --domain, --policy, --consumer-principals, --json, --mesh-index, --help$/,
  );
});

describe('sdlf-mesh contract diff, run as a user runs it', () => {
  /** A git repository on `main` whose dataproducts/orders.yaml is the sample, with no remote. */
  async function repository(): Promise<string> {
    return repositoryWith({ 'dataproducts/orders.yaml': sampleContract() });
  }

  test('two files of different names are compared by their contents, as before a pull request exists', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-diff-'));
    fs.writeFileSync(path.join(dir, 'old.yaml'), sampleContract());
    fs.writeFileSync(path.join(dir, 'added.yaml'), sampleContract().replace('version: 1.0.0', 'version: 1.0.1').replace('Identifier of the order.', 'Order identifier.'));
    const run = await runSdlfMesh(['contract', 'diff', 'old.yaml', 'added.yaml'], {}, dir);
    expect(run).toMatchObject({ exitCode: 0 });
    expect(run.output.split('\n')).toEqual(['added.yaml: 1.0.0 -> 1.0.1', '  change    orders.order_id: description of "order_id" changed', '']);
  });

  test('a folder still keeps the rule that a file is named after its data product, against a git ref', async () => {
    const dir = await repository();
    fs.renameSync(path.join(dir, 'dataproducts', 'orders.yaml'), path.join(dir, 'dataproducts', 'added.yaml'));
    const run = await runSdlfMesh(['contract', 'diff', 'main', 'dataproducts'], {}, dir);
    expect(run.exitCode).toBe(1);
    expect(run.output).toContain('dataproducts/added.yaml: invalid\n');
    expect(run.output).toContain('the data product "orders" is in the file added.yaml');
  });

  test('without an origin remote: one line saying the ref is missing and how to get it, no git message, no stack trace', async () => {
    const dir = await repository();
    const run = await runSdlfMesh(['contract', 'diff', 'origin/main', 'dataproducts'], {}, dir);
    expect(run.exitCode).toBe(1);
    expect(run.stderr.trim()).toMatch(/^sdlf-mesh: the base "origin\/main" is not a file, and this repository has no remote "origin": .*git fetch origin main.*, or name a local ref such as main$/);
  });

  test('a ref of the remote never fetched: one line with the git fetch that gets it', async () => {
    const dir = await repository();
    await git(dir, 'remote', 'add', 'origin', path.join(dir, 'nowhere.git'));
    const run = await runSdlfMesh(['contract', 'diff', 'origin/main', 'dataproducts/orders.yaml'], {}, dir);
    expect(run.exitCode).toBe(1);
    expect(run.stderr.trim()).toMatch(/^sdlf-mesh: the base "origin\/main" is not a file, nor a ref fetched from remote "origin": fetch it \(git fetch origin main\), or name a ref that exists [^\n]*$/);
  });

  test('an unknown ref is named, with how to name one that exists', async () => {
    const dir = await repository();
    const run = await runSdlfMesh(['contract', 'diff', 'mian', 'dataproducts'], {}, dir);
    expect(run.exitCode).toBe(1);
    expect(run.stderr.trim()).toMatch(/^sdlf-mesh: the base "mian" is neither a file nor a git ref of this repository: name a ref that exists \(git branch -a lists them.*\), or a contract file$/);
  });
});
