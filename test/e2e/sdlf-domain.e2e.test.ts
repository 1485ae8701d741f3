/**
 * End to end, as a user runs it: pack this package, `projen new --from <tarball> sdlf-domain`
 * with the real projen CLI, then the steps the generated README gives a team (make the example
 * contract its own, add a Glue stage and two more data products, lint, build, synth, diff), and
 * check what they produce. One build serves every test: a domain build takes minutes. All of it
 * runs on the Node.js the generated workflows use, with the toolchain the template pins.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WORKFLOW_NODE_VERSION } from '../../src/projects/action-pins';
import { TESTED_VERSIONS } from '../../src/projects/tested-toolchain';
import { CommandFailedError, exec } from '../../src/util/exec';
import { actionlint } from '../support/actionlint';
import { CONSUMER_PRINCIPALS, contractOfKind, threeContracts } from '../support/domain-repository';
import { packTemplate, PROJEN_CLI } from '../support/packed-template';
import { workflowNodePath } from '../support/workflow-node';

jest.setTimeout(15 * 60_000);

// `projen new` installs with `npm ci` when CI is set, which fails before there is a lockfile; its
// first commit needs a git identity, which a fresh machine lacks. PATH puts the workflows' Node.js first.
const ENV: Record<string, string | undefined> = {
  CI: undefined,
  GIT_AUTHOR_NAME: 'e2e',
  GIT_AUTHOR_EMAIL: 'e2e@example.com',
  GIT_COMMITTER_NAME: 'e2e',
  GIT_COMMITTER_EMAIL: 'e2e@example.com',
};
const run = (cwd: string, program: string, ...args: string[]) => exec(program, args, { cwd, env: ENV });
const git = (cwd: string, ...args: string[]) => run(cwd, 'git', ...args);

let tarball: string;
let repo: string;
let projenNewOutput: string;
/** What the one build of the README's path printed: its three data products are checked by later tests too. */
let buildOutput: string;

beforeAll(async () => {
  ENV.PATH = await workflowNodePath();
  tarball = await packTemplate();
  repo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-')), 'sales');
  fs.mkdirSync(repo);
  // The tarball's bare path, as the README shows it.
  const created = await run(repo, 'node', PROJEN_CLI, 'new', '--from', tarball, 'sdlf-domain',
    '--domain', 'sales', '--owner', 'sales-data@example.com', '--cost-center', 'cc-1234',
    '--environments', 'dev:111111111111:eu-west-1', '--environments', 'prod:222222222222:eu-west-1');
  projenNewOutput = `${created.stdout}\n${created.stderr}`;
});

test('projen new commits a repository with the domain files, depending on the tarball', async () => {
  const { stdout } = await git(repo, 'ls-files');
  expect(stdout.split('\n')).toEqual(
    expect.arrayContaining([
      '.projenrc.ts',
      'src/main.ts',
      'dataproducts/orders.yaml',
      'docs/dataproducts/orders.md',
      'src/stages/orders/light-transform.ts',
      'src/stages/orders/tables.generated.ts',
      'src/stages/stage-records.generated.ts',
      'test/stages/orders/light-transform.test.ts',
      'test/data/orders/orders.csv',
      'test/esm-to-commonjs.js',
      // The contract schema editors read, offline.
      '.sdlf/odcs-json-schema-v3.1.0.json',
      'test/governance.test.ts',
      '.github/workflows/build.yml',
      '.github/workflows/deploy.yml',
      '.github/CODEOWNERS',
      'README.md',
      'cdk.json',
      'package-lock.json',
    ]),
  );
  expect((await git(repo, 'status', '--porcelain')).stdout).toBe('');
  // Nothing a user should act on: the template it installed is the project's own dependency.
  expect(projenNewOutput).not.toMatch(/unmanaged dependencies/);
  expect(fs.readFileSync(path.join(repo, '.projenrc.ts'), 'utf8')).toMatch(/new SdlfDomainProject\(\{[\s\S]*domain: 'sales'/);
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  expect(manifest.dependencies['sdlf-mesh']).toBe(`file:${tarball}`);
  // Node.js 22 at least, and the toolchain the template was tested with, installed as such.
  expect(manifest.engines.node).toBe('>= 22.0.0');
  expect((await run(repo, 'node', '--version')).stdout).toMatch(new RegExp(`^v${WORKFLOW_NODE_VERSION}\\.`));
  const locked = JSON.parse(fs.readFileSync(path.join(repo, 'package-lock.json'), 'utf8')).packages;
  for (const [name, version] of Object.entries(TESTED_VERSIONS)) {
    expect(`${name}@${locked[`node_modules/${name}`]?.version}`).toBe(`${name}@${version}`);
  }
});

test('the README\'s path: the team makes the example its own, with a Glue stage, adds two more data products, lints, builds and synthesizes them; the pull request\'s diff passes', async () => {
  // What the pull request will be compared with: main as pushed.
  await git(repo, 'update-ref', 'refs/remotes/origin/main', 'main');
  await git(repo, 'checkout', '-q', '-b', 'first-data-product');
  // 1. Rename the example, set id and name, describe it (here: a Glue stage after the Lambda stage), set status: active.
  const example = fs.readFileSync(path.join(repo, 'dataproducts/orders.yaml'), 'utf8');
  expect(example).toContain('status: draft');
  fs.rmSync(path.join(repo, 'dataproducts/orders.yaml'));
  fs.writeFileSync(path.join(repo, 'dataproducts/purchases.yaml'), example
    .replace('id: sales-orders', 'id: sales-purchases')
    .replace('name: orders\n', 'name: purchases\n')
    .replace('status: draft', 'status: active')
    .replace('          type: lambda\n', '          type: lambda\n        - name: heavy-transform\n          type: glue\n'));
  //    Adding a data product is adding a contract (one build serves all three): customers (PII with a consumer
  //    grant, a Lambda stage alone) and shipments (a Lambda and a Glue stage, in batches).
  const { shipments } = threeContracts();
  const customers = contractOfKind('lambda', 'customers').replace('    value: []', '    value:\n      - domain: marketing\n        access: select');
  expect(customers).toContain('domain: marketing');
  //    The customers contract grants to the domain marketing: its principal comes from .projenrc.ts.
  const projenrc = path.join(repo, '.projenrc.ts');
  const options = fs.readFileSync(projenrc, 'utf8');
  expect(options).toMatch(/^ *domain: 'sales',$/m);
  fs.writeFileSync(projenrc, options.replace(/^( *)domain: 'sales',$/m, `$1domain: 'sales',\n$1consumerPrincipals: { marketing: '${CONSUMER_PRINCIPALS.marketing}' },`));
  fs.writeFileSync(path.join(repo, 'dataproducts/customers.yaml'), customers);
  //    A quality rule Glue Data Quality cannot run: lint warns, and the synth's annotation names it in every stage.
  const tableRule = '        description: A delivery is never empty.\n';
  expect(shipments).toContain(tableRule);
  const sqlRule = '      - type: sql\n        name: no-future-shipments\n        query: SELECT COUNT(*) FROM shipments WHERE ordered_at > current_timestamp\n        mustBe: 0\n';
  fs.writeFileSync(path.join(repo, 'dataproducts/shipments.yaml'), shipments.replace(tableRule, `${tableRule}${sqlRule}`));
  //    `npx projen` writes the stage code of the new name; the example's goes. Its install says nothing of the toolchain's install scripts.
  const projen = await run(repo, 'npx', 'projen');
  expect(`${projen.stdout}\n${projen.stderr}`).not.toMatch(/allowScripts|install-scripts/);
  for (const folder of ['src/stages/orders', 'test/stages/orders', 'test/data/orders']) {
    fs.rmSync(path.join(repo, folder), { recursive: true });
  }
  // With its sample delivery, made from the contract: the example's table keeps its name, orders.
  for (const file of ['src/stages/purchases/light-transform.ts', 'src/stages/purchases/heavy-transform.py', 'test/stages/purchases/test_heavy_transform.py', 'docs/dataproducts/purchases.md', 'test/data/purchases/orders.csv']) {
    expect(fs.existsSync(path.join(repo, file))).toBe(true);
  }
  expect(fs.existsSync(path.join(repo, 'docs/dataproducts/orders.md'))).toBe(false);
  //    The new data products are documented, with their stage code.
  expect(fs.readFileSync(path.join(repo, 'docs/dataproducts/customers.md'), 'utf8')).toContain('# customers');
  for (const file of ['src/stages/shipments/light-transform.ts', 'test/stages/shipments/light-transform.test.ts', 'src/stages/shipments/heavy-transform.py']) {
    expect(fs.existsSync(path.join(repo, file))).toBe(true);
  }
  //    The PySpark script is valid Python (parsed, not run: Glue's libraries are not here).
  await run(repo, 'python3', '-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', 'src/stages/shipments/heavy-transform.py');
  // 2. Lint.
  const lint = await run(repo, 'npx', 'projen', 'contract:lint');
  expect(`${lint.stdout}\n${lint.stderr}`).toMatch(/dataproducts\/purchases\.yaml: valid/);
  // 3. Build: lint, compile, the stage tests (jest and Python), the governance tests, synth with cdk-nag.
  const build = await run(repo, 'npx', 'projen', 'build');
  const output = `${build.stdout}\n${build.stderr}`;
  buildOutput = output;
  expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
  expect(output).toContain('PASS test/stages/purchases/light-transform.test.ts');
  expect(output).not.toMatch(/FAIL test\//);
  // The Glue stages' pure functions are tested with Python, without Spark or Glue: one run for each data product's Glue stage.
  expect(output.match(/Ran \d+ tests? in [\d.]+s\s+OK/g)).toEqual([expect.stringMatching(/^Ran 4 tests/), expect.stringMatching(/^Ran 4 tests/)]);
  // The data test: the sample through the Lambda then the Glue stage, the table tested against the contract.
  expect(output).toMatch(/^PASS  test\/data\/purchases\/orders\.csv → sales-dev\/dp-purchases, 2 execution\(s\)$/m);
  expect(output).toMatch(/^  pass  purchases\.orders: 3 row\(s\), \d+ check\(s\) passed$/m);
  expect(output).toMatch(/^Data test passed: 3 of 3 sample\(s\) passed\.$/m);
  expect(output).not.toMatch(/\n\s+at /);
  // Nothing of the stage tests is left behind (no cache, nothing ignored): only the stage code npx projen wrote.
  const stageFiles = (await git(repo, 'status', '--porcelain', '--ignored', '--untracked-files=all', 'src/stages', 'test/stages')).stdout;
  expect(stageFiles.split('\n').filter(Boolean).sort()).toEqual([
    ' D src/stages/orders/light-transform.ts',
    ' D src/stages/orders/tables.generated.ts',
    ' D test/stages/orders/light-transform.test.ts',
    ...['customers', 'purchases', 'shipments'].flatMap((product) => [
      ...(product === 'customers' ? [] : [`?? src/stages/${product}/heavy-transform.py`]),
      `?? src/stages/${product}/light-transform.ts`,
      `?? src/stages/${product}/tables.generated.ts`,
    ]),
    ...['customers', 'purchases', 'shipments'].flatMap((product) => [
      `?? test/stages/${product}/light-transform.test.ts`,
      ...(product === 'customers' ? [] : [`?? test/stages/${product}/test_heavy_transform.py`]),
    ]),
  ].sort());
  // The build changed no file of the repository: only the team's own changes are there to commit.
  expect((await git(repo, 'status', '--porcelain')).stdout.split('\n').filter(Boolean).sort()).toEqual([
    ' D dataproducts/orders.yaml',
    ' D docs/dataproducts/orders.md',
    ' D src/stages/orders/light-transform.ts',
    ' D src/stages/orders/tables.generated.ts',
    ' D test/data/orders/orders.csv',
    ' D test/stages/orders/light-transform.test.ts',
    ' M .gitattributes',
    ' M .gitignore',
    ' M .projen/files.json',
    ' M .projen/sdlf-samples.json',
    ' M .projen/tasks.json',
    ' M .projenrc.ts',
    ' M package.json',
    // The consumer principals of .projenrc.ts reach the app.
    ' M src/main.ts',
    ...['customers', 'purchases', 'shipments'].flatMap((product) => [
      `?? dataproducts/${product}.yaml`,
      `?? docs/dataproducts/${product}.md`,
      `?? src/stages/${product}/`,
      `?? test/data/${product}/`,
      `?? test/stages/${product}/`,
    ]),
  ].sort());
  expect(Object.keys(stageTemplates('dev')).sort()).toEqual(['sales-dev-domain', 'sales-dev-dp-customers', 'sales-dev-dp-purchases', 'sales-dev-dp-shipments']);
  // 4. The pull request: committed, nothing left over, and the contract diff passes (the example was never deployed).
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', 'purchases, customers, shipments: our first data products');
  expect((await git(repo, 'status', '--porcelain')).stdout).toBe('');
  const diff = await run(repo, 'npx', 'projen', 'contract:diff');
  expect(`${diff.stdout}\n${diff.stderr}`).toMatch(/dataproducts\/purchases\.yaml: \(new\) -> 1\.0\.0/);
  await git(repo, 'checkout', '-q', 'main');
  await git(repo, 'merge', '-q', '--ff-only', 'first-data-product');
  await git(repo, 'update-ref', 'refs/remotes/origin/main', 'main');
});

test('npx projen pipeline:run runs the Lambda then the Glue stage on a file, offline: the table holds Parquet a consumer queries, the contract\'s rules are evaluated', async () => {
  const sample = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'delivery-')), 'purchases.csv');
  fs.writeFileSync(sample, [
    'order_id,customer_email,order_total,currency,ordered_at',
    'p-1,ann@example.com,12.50,EUR,2024-05-01 10:00:00',
    'p-2,bob@example.com,7.00,USD,2024-05-01 11:30:00',
  ].join('\n') + '\n');
  // The app the build synthesized.
  const { stdout } = await run(repo, 'npx', 'projen', 'pipeline:run', 'purchases', sample, '--app', 'cdk.out');
  expect(stdout).toMatch(/^\s+Process\s+Task\s+\d+ ms\s+ok$/m);
  expect(stdout).toMatch(/^\s+RunJob\s+Task\s+\d+ ms\s+ok$/m);
  // The example's table keeps its name, orders.
  expect(stdout).toMatch(/^  pass  sales_dev_purchases\.orders: IsComplete "order_id"/m);
  expect(stdout).toMatch(/DuckDB over \d+ Parquet file\(s\) of .*: 2 row\(s\)/);
  // The customer's e-mail, a sensitive column, is masked.
  expect(stdout).toMatch(/p-1 +\| \*\*\* +\| 12\.50 +\| EUR/);
  expect(stdout).not.toContain('ann@example.com');
  expect(stdout).toMatch(/Pipeline run of purchases \(.*\) succeeded: 2 execution\(s\)\./);
  // What the run wrote is kept out of git.
  expect((await git(repo, 'status', '--porcelain')).stdout).toBe('');
});

test('a transform that breaks the contract fails the data test, naming each check and its counts; the app is synthesized again first', async () => {
  const stage = path.join(repo, 'src/stages/purchases/light-transform.ts');
  const code = fs.readFileSync(stage, 'utf8');
  const transform = 'export function transform(record: StageRecord): StageRecord | undefined {\n';
  expect(code).toContain(transform);
  try {
    // It loses the total of every order, a required column, and the key of one.
    fs.writeFileSync(stage, code.replace(transform, `${transform}  const { order_total: _lost, ...kept } = record;\n  record = { ...kept, order_id: record.order_id === 'order_id-2' ? null : record.order_id };\n`));
    const failure = await run(repo, 'npx', 'projen', 'test:data').then(() => '', (error: CommandFailedError) => error.output);
    expect(failure).toMatch(/Synthesizing the app/);
    expect(failure).toMatch(/^FAIL  test\/data\/purchases\/orders\.csv → sales-dev\/dp-purchases, 2 execution\(s\)$/m);
    expect(failure).toMatch(/^ {4}FAIL  orders\.order_total\.required +3 failing rows \(must be 0 rows\)$/m);
    expect(failure).toMatch(/^ {4}FAIL  orders\.order_id\.nullValues +1 failing row \(must be 0 rows\)$/m);
    // The other data products' samples still pass.
    expect(failure).toMatch(/^PASS  test\/data\/customers\/customers\.csv → /m);
    expect(failure).toMatch(/^Data test FAILED: 2 of 3 sample\(s\) passed\.$/m);
    expect(failure).not.toMatch(/\n\s+at /);
  } finally {
    fs.writeFileSync(stage, code);
  }
  expect((await git(repo, 'status', '--porcelain')).stdout).toBe('');
});

test('.projenrc.ts imports the project types from sdlf-mesh/projects, whose type check reads no aws-cdk-lib', async () => {
  expect(fs.readFileSync(path.join(repo, '.projenrc.ts'), 'utf8')).toContain("import { SdlfDomainProject } from 'sdlf-mesh/projects';");
  const { stdout } = await run(repo, 'npx', 'tsc', '--noEmit', '-p', 'projenrc/tsconfig.json', '--listFilesOnly');
  const files = stdout.split('\n').filter(Boolean);
  expect(files).toEqual(expect.arrayContaining([expect.stringMatching(/node_modules\/sdlf-mesh\/lib\/projects\/sdlf-domain-project\.d\.ts$/)]));
  expect(files.filter((file) => file.includes('/aws-cdk-lib/'))).toEqual([]);
});

test('an option the template does not have: npx projen runs without a type check, the build fails naming the option', async () => {
  const projenrc = path.join(repo, '.projenrc.ts');
  const original = fs.readFileSync(projenrc, 'utf8');
  try {
    // A misspelt option, as an option the template renamed or removed would be.
    fs.writeFileSync(projenrc, original.replace("  domain: 'sales',\n", "  domain: 'sales',\n  costCentre: 'cc-9999',\n"));
    await run(repo, 'npx', 'projen');
    expect((await git(repo, 'status', '--porcelain')).stdout.trim()).toBe('M .projenrc.ts');
    await expect(run(repo, 'npx', 'projen', 'build')).rejects.toThrow(/\.projenrc\.ts\(\d+,\d+\): error TS2561: .*'costCentre' does not exist in type 'SdlfDomainProjectOptions'\. Did you mean to write 'costCenter'\?/);
  } finally {
    fs.writeFileSync(projenrc, original);
  }
  expect((await git(repo, 'status', '--porcelain')).stdout).toBe('');
});

/** The CloudFormation templates of one environment's stacks (`sales-<environment>/*`), by stack name. */
function stageTemplates(environment: string): Record<string, any> {
  const assembly = path.join(repo, 'cdk.out');
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly, 'manifest.json'), 'utf8'));
  const stacks = Object.values<any>(manifest.artifacts).filter((artifact) => artifact.type === 'aws:cloudformation:stack' && artifact.displayName.startsWith(`sales-${environment}/`));
  return Object.fromEntries(
    stacks.map((stack) => [stack.properties.stackName, { ...JSON.parse(fs.readFileSync(path.join(assembly, stack.properties.templateFile), 'utf8')), environment: stack.environment }]),
  );
}

test('npx cdk synth writes the stacks of each environment: the domain stack and a stack for each data product', async () => {
  // Without arguments, as a user first runs it: the CDK CLI names every stack and how to show one,
  // and shows the annotations of every stack (here a warning, as a construct adds one).
  const main = path.join(repo, 'src/main.ts');
  const app = fs.readFileSync(main, 'utf8');
  const synth = '    app.synth();\n';
  expect(app).toContain(synth);
  let output: string;
  try {
    fs.chmodSync(main, 0o644);
    fs.writeFileSync(main, app.replace(synth, `    Annotations.of(app.stages[app.stages.length - 1].domainStack).addWarning('a grant was skipped');\n${synth}`)
      .replace("import { Validations } from 'aws-cdk-lib';", "import { Annotations, Validations } from 'aws-cdk-lib';"));
    const { stdout, stderr } = await run(repo, 'npx', 'cdk', 'synth');
    output = `${stdout}\n${stderr}`;
  } finally {
    fs.writeFileSync(main, app);
  }
  expect(output).toMatch(/WARNING a grant was skipped.*\n\s+sales-prod\/domain\n/);
  // Every feature flag is stated: the CLI has nothing to say about them.
  expect(output).not.toMatch(/feature flags are not configured/);
  const listed = /Supply a stack id \((.*)\) to display its template/.exec(output);
  expect(listed?.[1].split(', ').sort()).toEqual(['dev', 'prod'].flatMap((environment) => ['domain', 'dp-customers', 'dp-purchases', 'dp-shipments'].map((stack) => `sales-${environment}/${stack}`)));
  const shown = await run(repo, 'npx', 'cdk', 'synth', '--app', 'cdk.out', 'sales-dev/dp-purchases');
  expect(shown.stdout).toMatch(/^Resources:/m);
  // The deploy workflow's selection of one environment.
  const selected = await run(repo, 'npx', 'cdk', 'list', '--app', 'cdk.out', 'sales-prod/*');
  expect(selected.stdout.trim().split('\n').sort()).toEqual(['domain', 'dp-customers', 'dp-purchases', 'dp-shipments'].map((stack) => `sales-prod/${stack} (sales-prod-${stack})`));
  for (const [environment, account] of [['dev', '111111111111'], ['prod', '222222222222']]) {
    const templates = stageTemplates(environment);
    expect(Object.keys(templates).sort()).toEqual(['domain', 'dp-customers', 'dp-purchases', 'dp-shipments'].map((stack) => `sales-${environment}-${stack}`));
    for (const template of Object.values<any>(templates)) {
      expect(template.environment).toBe(`aws://${account}/eu-west-1`);
    }
    expect(templates[`sales-${environment}-domain`].Description).toBe(`sdlf-mesh domain sales (${environment}), data products: customers, purchases, shipments`);

    const resources = Object.values<any>(templates).flatMap((template) => Object.values<any>(template.Resources));
    const types = resources.map((resource) => resource.Type);
    expect(types).toEqual(
      expect.arrayContaining([
        'AWS::KMS::Key',
        'AWS::S3::Bucket',
        'AWS::S3::BucketPolicy',
        'AWS::Athena::WorkGroup',
        'AWS::Budgets::Budget',
        'AWS::SNS::Topic',
        // The data products' catalog and governance.
        'AWS::Glue::Database',
        'AWS::Glue::Table',
        'AWS::LakeFormation::TagAssociation',
        'AWS::Glue::DataQualityRuleset',
        // The Lambda stages, bundled from src/stages/<data product>/light-transform.ts, and the Glue stages.
        'AWS::StepFunctions::StateMachine',
        'AWS::SQS::Queue',
        'AWS::Lambda::Function',
        'AWS::Glue::Job',
      ]),
    );
    for (const resource of resources.filter((r) => ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::SNS::Topic'].includes(r.Type))) {
      expect(resource.Properties.Tags).toEqual(
        expect.arrayContaining([
          { Key: 'sdlf:domain', Value: 'sales' },
          { Key: 'sdlf:owner', Value: 'sales-data@example.com' },
          { Key: 'sdlf:cost-center', Value: 'cc-1234' },
          { Key: 'sdlf:environment', Value: environment },
          { Key: 'sdlf:managed-by', Value: 'sdlf-mesh' },
        ]),
      );
    }
  }
});

test('the three data products (PII with a consumer grant; Lambda and Glue stages, on events and in batches) synthesize with cdk-nag, every resource tagged', async () => {
  // The README's path built them (customers: a consumer grant, a Lambda stage alone; shipments: a
  // Lambda and a Glue stage, in batches): the build ran the stage tests and the governance tests,
  // and synthesized with cdk-nag.
  const output = buildOutput;
  expect(output).toMatch(/dataproducts\/shipments\.yaml:\d+:\d+: warning: schema\[0\]\.quality\[1\]: this quality rule is documented but not enforced: a sql rule/);
  for (const environment of ['dev', 'prod']) {
    expect(output).toMatch(new RegExp(`INFO quality rule left out of Glue Data Quality: shipments: no-future-shipments: a sql rule is not a metric Glue Data Quality evaluates.*\\n\\s+sales-${environment}/dp-shipments/shipments\\n`));
  }
  for (const suite of ['test/stages/purchases/light-transform.test.ts', 'test/stages/shipments/light-transform.test.ts', 'test/governance.test.ts']) {
    expect(output).toContain(`PASS ${suite}`);
  }
  // The Glue stage's pure functions are tested with Python, without Spark or Glue, and pass.
  expect(output).toMatch(/test_values_are_trimmed_and_an_empty_value_becomes_null \(test_heavy_transform\.TransformTest[^)]*\) \.\.\. ok/);
  // The data test ran each active data product's sample (the new ones' made from their contracts):
  // customers through a Lambda stage alone, which writes its table's Parquet itself.
  expect(output).toMatch(/^PASS  test\/data\/customers\/customers\.csv → sales-dev\/dp-customers, 1 execution\(s\)$/m);
  expect(output).toMatch(/^  pass  customers\.customers: 3 row\(s\), \d+ check\(s\) passed$/m);
  expect(output).toMatch(/^PASS  test\/data\/purchases\/orders\.csv → /m);
  expect(output).toMatch(/^PASS  test\/data\/shipments\/shipments\.csv → sales-dev\/dp-shipments, 2 execution\(s\)$/m);
  expect(output).toMatch(/^Data test passed: 3 of 3 sample\(s\) passed\.$/m);
  // The Lambda stage alone, run by hand: the Parquet it wrote is what DuckDB queries, with the contract's columns.
  const alone = await run(repo, 'npx', 'projen', 'pipeline:run', 'customers', 'test/data/customers/customers.csv', '--app', 'cdk.out');
  expect(alone.stdout).toMatch(/^\s+Process\s+Task\s+\d+ ms\s+ok$/m);
  expect(alone.stdout).not.toMatch(/RunJob/);
  expect(alone.stdout).toMatch(/SELECT order_id, customer_email, order_total, currency, ordered_at FROM sales_dev_customers\.customers LIMIT 5/);
  expect(alone.stdout).toMatch(/DuckDB over 1 Parquet file\(s\) of .*: 3 row\(s\)/);
  expect(alone.stdout).toMatch(/order_id-1 +\| \*\*\* +\| 10\.50 +\| EUR/);
  const resources = Object.values<any>(stageTemplates('dev')).flatMap((template) => Object.values<any>(template.Resources));
  const types = resources.map((resource) => resource.Type);
  // Batches run on EventBridge Scheduler, events on S3's event rules; the Glue security configuration is the platform's.
  expect(types).toEqual(expect.arrayContaining(['AWS::Glue::Job', 'AWS::Glue::Crawler', 'AWS::Scheduler::Schedule', 'AWS::Events::Rule']));
  expect(types).not.toContain('AWS::Glue::SecurityConfiguration');
  const databases = resources.filter((resource) => resource.Type === 'AWS::Glue::Database');
  expect(databases.map((database) => database.Properties.DatabaseInput.Name).sort()).toEqual(['sales_dev_customers', 'sales_dev_purchases', 'sales_dev_shipments']);
  const grants = resources.filter((resource) => resource.Type === 'AWS::LakeFormation::PrincipalPermissions');
  expect(grants.map((grant) => grant.Properties.Principal.DataLakePrincipalIdentifier)).toContain('222222222222');
  const tagged = resources.filter((resource) => resource.Properties?.Tags !== undefined);
  expect(tagged.length).toBeGreaterThan(50);
  for (const resource of tagged) {
    const tags = resource.Properties.Tags;
    const keys = Array.isArray(tags) ? tags.map((tag: any) => tag.Key) : Object.keys(tags);
    expect(keys).toEqual(expect.arrayContaining(['sdlf:domain', 'sdlf:owner', 'sdlf:cost-center', 'sdlf:environment', 'sdlf:managed-by']));
  }

  // A finding cdk-nag cannot excuse fails the synth: here, a queue without TLS enforcement.
  const main = path.join(repo, 'src/main.ts');
  const app = fs.readFileSync(main, 'utf8');
  try {
    fs.chmodSync(main, 0o644);
    const checked = '    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));\n';
    expect(app).toContain(checked);
    fs.writeFileSync(main, app.replace(checked, `${checked}    new (require('aws-cdk-lib/aws-sqs').Queue)(app.stages[0].domainStack, 'Loose');\n`));
    const refused = await run(repo, 'npx', 'cdk', 'synth', '--quiet').then(() => '', (error: Error) => error.message);
    // The rule and the resource, and no stack trace.
    expect(refused).toMatch(/sales-dev\/domain\/Loose\/Resource[\s\S]*AwsSolutions-SQS4/);
    expect(refused).not.toMatch(/\n\s+at |ValidationFailed|node:internal/);
  } finally {
    fs.writeFileSync(main, app);
  }
});

test('the generated workflows pass actionlint', async () => {
  expect(await actionlint(repo)).toEqual([]);
});

test('npx projen again changes nothing, and keeps what the domain team edited', async () => {
  await run(repo, 'npx', 'projen');
  expect((await git(repo, 'status', '--porcelain')).stdout).toBe('');

  const handler = path.join(repo, 'src/stages/purchases/light-transform.ts');
  const edited = fs.readFileSync(handler, 'utf8').replace('const s3 = new S3Client({});', 'const s3 = new S3Client({ maxAttempts: 5 });');
  expect(edited).toContain('maxAttempts: 5');
  fs.writeFileSync(handler, edited);
  fs.appendFileSync(path.join(repo, 'README.md'), '\nOur notes.\n');
  await run(repo, 'npx', 'projen');
  expect(fs.readFileSync(handler, 'utf8')).toBe(edited);
  expect((await git(repo, 'status', '--porcelain')).stdout.split('\n').filter(Boolean).sort()).toEqual([
    ' M README.md',
    ' M src/stages/purchases/light-transform.ts',
  ]);
});

test('a change that removes a column of the v1 contract fails the contract diff, naming the column', async () => {
  await git(repo, 'checkout', '-q', '-b', 'drop-currency');
  const contract = path.join(repo, 'dataproducts/purchases.yaml');
  const text = fs.readFileSync(contract, 'utf8');
  fs.writeFileSync(contract, text.replace(/      - name: currency\n(        .*\n)+?(?=      - name: ordered_at)/, ''));
  await run(repo, 'npx', 'projen', 'contract:lint');

  // As the pull-request workflow runs it, locally: against the base branch as last fetched.
  await git(repo, 'update-ref', 'refs/remotes/origin/main', 'main');
  const local = run(repo, 'npx', 'projen', 'contract:diff');
  await expect(local).rejects.toThrow(/BREAKING {2}orders\.currency: column "currency" removed[\s\S]*set version to 2\.0\.0/);
  const summary = path.join(repo, '..', 'summary.md');
  const failure = run(repo, 'npx', 'sdlf-mesh', 'contract', 'diff', 'main', 'dataproducts', '--domain', 'sales', '--summary', summary);
  await expect(failure).rejects.toThrow(/BREAKING {2}orders\.currency: column "currency" removed/);
  expect(fs.readFileSync(summary, 'utf8')).toContain('| **breaking** | `orders.currency` | column "currency" removed |');

  fs.writeFileSync(contract, fs.readFileSync(contract, 'utf8').replace('version: 1.0.0', 'version: 2.0.0'));
  const { stdout } = await run(repo, 'npx', 'sdlf-mesh', 'contract', 'diff', 'main', 'dataproducts', '--domain', 'sales');
  expect(stdout).toContain('dataproducts/purchases.yaml: 1.0.0 -> 2.0.0');
  await git(repo, 'checkout', '-q', '--', '.');
  await git(repo, 'checkout', '-q', 'main');
});

test('an invalid contract fails npx projen build with the lint output before anything is compiled or synthesized', async () => {
  const contract = path.join(repo, 'dataproducts/purchases.yaml');
  const original = fs.readFileSync(contract, 'utf8');
  try {
    fs.writeFileSync(contract, original.replace('physicalType: decimal(12,2)', 'physicalType: money'));
    const failure = await run(repo, 'npx', 'projen', 'build').then(() => undefined, (error: Error) => error.message);
    expect(failure).toMatch(/dataproducts\/purchases\.yaml:\d+:\d+: schema\[0\]\.properties\[2\]\.physicalType: "money" is not a Glue type/);
    // Lint stops the build: no type check, no synth, no stack trace.
    expect(failure).not.toMatch(/tsc --noEmit|cdk synth|\n\s+at /);
    // cdk synth on its own refuses the contract the same way: the problem at its line, no stack trace.
    const synth = await run(repo, 'npx', 'cdk', 'synth', '--quiet').then(() => '', (error: Error) => error.message);
    expect(synth).toMatch(/dataproducts\/purchases\.yaml:\d+:\d+: schema\[0\]\.properties\[2\]\.physicalType: "money" is not a Glue type/);
    expect(synth).not.toMatch(/\n\s+at |node:internal/);
  } finally {
    fs.writeFileSync(contract, original);
  }
  await run(repo, 'npx', 'projen');
  expect((await git(repo, 'status', '--porcelain')).stdout).toBe('');
});
