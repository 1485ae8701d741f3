/**
 * A domain repository's `contract:lint` (the build's first step) applies the rules its synth
 * applies: the same governance policy file, the same consumer principals, the same check. A
 * contract the synth refuses fails the lint with the same message, at its line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DomainApp, SdlfDomainProjectOptions } from '../../src';
import { renderMeshIndex } from '../../src/contract/mesh-index';
import { CommandFailedError, exec } from '../../src/util/exec';
import { domainProject, newProjectDir } from '../support/domain-project';
import { meshIndex } from '../support/mesh-index';
import { activeContract } from '../support/sample-contract';
import { assertCompiled, SDLF_MESH_CLI } from '../support/sdlf-mesh-cli';
import { synthesize } from '../support/synth';

jest.setTimeout(120_000);

const POLICY = 'governance/policy.yaml';

/** A domain repository with these options whose one contract, orders, grants to `consumer`. */
function repository(options: Partial<SdlfDomainProjectOptions>, consumer: string): string {
  const outdir = newProjectDir();
  synthesize(domainProject(options, outdir));
  const consumers = `    value:\n      - ${consumer}\n        access: select`;
  fs.writeFileSync(path.join(outdir, 'dataproducts', 'orders.yaml'), activeContract('sales', 'sales-data@example.com', 'orders').replace('    value: []', consumers));
  return outdir;
}

/** Runs the repository's `contract:lint` task as `npx projen contract:lint` would, with this build of `sdlf-mesh`. */
async function lintTask(outdir: string): Promise<{ exitCode: number; output: string }> {
  assertCompiled();
  const [step] = JSON.parse(fs.readFileSync(path.join(outdir, '.projen', 'tasks.json'), 'utf8')).tasks['contract:lint'].steps;
  const command = (step.exec as string).replace(/^sdlf-mesh /, `"${process.execPath}" "${SDLF_MESH_CLI}" `);
  try {
    return { exitCode: 0, output: (await exec('sh', ['-c', command], { cwd: outdir })).stdout };
  } catch (error) {
    if (!(error instanceof CommandFailedError)) {
      throw error;
    }
    return { exitCode: error.exitCode ?? -1, output: error.output };
  }
}

/** The synth of the repository's app, as `src/main.ts` makes it from the same options. */
function synth(outdir: string, options: Partial<SdlfDomainProjectOptions>): () => DomainApp {
  return () => new DomainApp({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-')),
    domain: 'sales',
    owner: 'sales-data@example.com',
    environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }],
    dataProductsDir: path.join(outdir, 'dataproducts'),
    consumerPrincipals: options.consumerPrincipals ?? {},
    ...(options.governancePolicyFile ? { governancePolicyFile: path.join(outdir, options.governancePolicyFile) } : {}),
  });
}

test('an account the governance policy does not allow fails the lint task as it fails the synth', async () => {
  const options = { governancePolicyFile: POLICY, consumerPrincipals: { marketing: '333333333333' } };
  const outdir = repository(options, 'account: "222222222222"');
  fs.mkdirSync(path.join(outdir, 'governance'));
  fs.writeFileSync(path.join(outdir, POLICY), 'allowedConsumers:\n  domains: [marketing]\n  accounts: ["444444444444"]\n');
  const refusal = 'account "222222222222" is not a consumer the platform\'s governance policy allows (allowedConsumers.accounts: 444444444444)';

  const lint = await lintTask(outdir);
  expect(lint.exitCode).toBe(1);
  expect(lint.output).toMatch(new RegExp(`^dataproducts/orders\\.yaml:\\d+:\\d+: .*${escape(refusal)}`, 'm'));
  expect(synth(outdir, options)).toThrow(refusal);

  // Allowed by the platform: both accept it.
  fs.writeFileSync(path.join(outdir, POLICY), 'allowedConsumers:\n  accounts: ["222222222222"]\n');
  expect(await lintTask(outdir)).toMatchObject({ exitCode: 0, output: expect.stringContaining('dataproducts/orders.yaml: valid') });
  expect(synth(outdir, options)).not.toThrow();
});

test('a consumer domain without a principal fails the lint task as it fails the synth, with the same fix', async () => {
  const outdir = repository({}, 'domain: finance');
  const fix = 'name it in consumerPrincipals of .projenrc.ts';
  const lint = await lintTask(outdir);
  expect(lint.exitCode).toBe(1);
  expect(lint.output).toContain('consumer domain "finance" has no Lake Formation principal');
  expect(lint.output).toContain(fix);
  expect(synth(outdir, {})).toThrow(fix);

  // Named in .projenrc.ts: the task of the next synth passes it on.
  synthesize(domainProject({ consumerPrincipals: { finance: 'arn:aws:iam::555555555555:role/finance-analysts' } }, outdir));
  expect(await lintTask(outdir)).toMatchObject({ exitCode: 0, output: expect.stringContaining('domain finance (select) sees orders:') });
});

test('a policy file that is missing fails the lint task as it fails the synth, naming where it should be', async () => {
  const outdir = repository({ governancePolicyFile: POLICY }, 'domain: marketing');
  const lint = await lintTask(outdir);
  expect(lint.exitCode).toBe(1);
  expect(lint.output.trim()).toBe(`Invalid option "--policy": ${POLICY} is missing: restore the platform's governance policy there (the platform repository holds it)`);
});

test("with the meshIndex option, the lint task checks each input against the repository's copy of the index", async () => {
  const outdir = newProjectDir();
  fs.writeFileSync(path.join(outdir, 'catalog.json'), renderMeshIndex(meshIndex()));
  const finance = { name: 'finance', domain: 'finance', owner: 'controller@example.com' };
  synthesize(domainProject({ ...finance, meshIndex: 'catalog.json' }, outdir));
  const contract = activeContract('finance', 'controller@example.com', 'orders').replace(
    /(    value: 365\n)/,
    '$1  - property: sdlfInputs\n    value:\n      - product: sales/orders\n        tables: [{ name: orders, columns: [order_id, customer_email, currency] }]\n',
  );
  fs.writeFileSync(path.join(outdir, 'dataproducts', 'orders.yaml'), contract);

  const lint = await lintTask(outdir);
  expect(lint.exitCode).toBe(1);
  expect(lint.output.trim()).toBe(
    'dataproducts/orders.yaml:82:18: customProperties[3].value[0].product: "sales/orders" grants domain "finance" less than it reads: not column orders.customer_email ' +
      '(ask domain sales for it: sdlf-mesh access request sales/orders --for finance)',
  );
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
