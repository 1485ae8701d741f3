/**
 * `sdlf-mesh access check`, run as the producer's repository runs it, in real git repositories:
 * the request is the branch `sdlf-mesh access request` pushed (the label it claims is not read),
 * checked from a clone of the producer's repository with `--head`, and changes of the working
 * tree checked without it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderDataProductPage } from '../../src/contract/data-product-page';
import { lintContractText } from '../../src/contract/lint-contract';
import { renderMeshIndex } from '../../src/contract/mesh-index';
import { git, repositoryWith } from '../support/git';
import { meshIndex } from '../support/mesh-index';
import { sampleContract } from '../support/sample-contract';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

const BRANCH = 'sdlf-mesh/access/finance/orders';
const CONTRACT = 'dataproducts/orders.yaml';
const POLICY = 'accessRequests:\n  autoApprove: non-sensitive\nallowedConsumers:\n  domains: [finance, marketing]\n';

let root: string;
let remotes: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'access-check-'));
  remotes = path.join(root, 'remotes');
  fs.mkdirSync(remotes);
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** The producer `sales`: a bare remote holding the contract and the policy, and a clone of it to work in. */
async function salesRepository(files: Record<string, string> = {}): Promise<{ bare: string; clone: string }> {
  const work = await repositoryWith({ [CONTRACT]: sampleContract(), 'governance-policy.yaml': POLICY, 'README.md': '# sales\n', ...files });
  const bare = path.join(remotes, 'sales.git');
  await git(remotes, 'init', '-q', '--bare', '-b', 'main', bare);
  await git(work, 'push', '-q', bare, 'main');
  fs.rmSync(work, { recursive: true, force: true });
  const clone = path.join(root, 'sales');
  await git(root, 'clone', '-q', bare, clone);
  return { bare, clone };
}

/** `sdlf-mesh access request sales/orders --for finance ...` against the local remotes, with the policy. */
async function requestAccess(...args: string[]) {
  fs.writeFileSync(path.join(root, 'policy.yaml'), POLICY);
  const run = await runSdlfMesh(['access', 'request', 'sales/orders', '--for', 'finance', '--policy', path.join(root, 'policy.yaml'), '--remotes-dir', remotes, ...args], {}, root);
  expect(run.exitCode).toBe(0);
  return run;
}

/** `sdlf-mesh access check` in the producer's clone, with its domain and policy. */
const check = (clone: string, ...args: string[]) => runSdlfMesh(['access', 'check', '--domain', 'sales', '--policy', 'governance-policy.yaml', ...args], {}, clone);

/** Commits a change of the contract on the branch `request` (made from the request's branch the first time), as a requester could push one. */
async function commitOnBranch(clone: string, change: (text: string) => string, message: string): Promise<void> {
  const exists = (await git(clone, 'branch', '--list', 'request')) !== '';
  await git(clone, 'checkout', '-q', ...(exists ? ['request'] : ['-b', 'request', `origin/${BRANCH}`]));
  fs.writeFileSync(path.join(clone, CONTRACT), change(fs.readFileSync(path.join(clone, CONTRACT), 'utf8')));
  await git(clone, 'commit', '-q', '-am', message);
  await git(clone, 'checkout', '-q', 'main');
}

test('the request `access request` opens for non-sensitive columns is approved by policy; one that also adds a sensitive column or changes the schema is not', async () => {
  const { clone } = await salesRepository();
  expect((await requestAccess()).output).toContain('approved by policy');
  await git(clone, 'fetch', '-q', 'origin');

  const approved = await check(clone, '--base', 'origin/main', '--head', `origin/${BRANCH}`);
  expect(approved.exitCode).toBe(0);
  expect(approved.output).toBe([
    `${CONTRACT}: approved by policy: grants domain finance select on orders.order_id, orders.order_total, orders.currency, orders.ordered_at`,
    'Approved by policy: the change only grants consumer domains the governance policy allows columns that are not sensitive (accessRequests.autoApprove: non-sensitive).',
    '',
  ].join('\n'));

  // The branch still says approved by policy; the commit on top of it also grants the sensitive column.
  await commitOnBranch(clone, (text) => text.replace('        access: select\n', '        access: select\n        columns: [orders, orders.customer_email]\n'), 'also the e-mail');
  const sensitive = await check(clone, '--base', 'origin/main', '--head', 'request');
  expect(sensitive.exitCode).toBe(1);
  expect(sensitive.output).toContain(`${CONTRACT}: needs review: grants domain finance select on orders.order_id, orders.customer_email, orders.order_total, orders.currency, orders.ordered_at\n`);
  expect(sensitive.output).toContain('  - grants domain finance the sensitive column orders.customer_email (classified restricted or tagged pii): the producer decides on each sensitive column\n');
  expect(sensitive.output).toContain('Not approved by policy: 1 of 1 changed file needs the sales team\'s review, for the reasons above.\n');

  await commitOnBranch(clone, (text) => text.replace("        classification: restricted\n        tags: ['pii']\n", '        classification: internal\n'), 'not personal after all');
  const declassified = await check(clone, '--base', 'origin/main', '--head', 'request');
  expect(declassified.exitCode).toBe(1);
  expect(declassified.output).toMatch(/ {2}- changes more than sdlfConsumers: schema \(orders\.customer_email: [^\n]*classification/);
  // Sensitive as the base classifies it: the change does not declassify its own grant.
  expect(declassified.output).toContain('the sensitive column orders.customer_email');
}, 120_000);

test('the docs page the producer\'s synth renders comes with the request, rendered again from the granting contract: approved; a page the requester wrote is not', async () => {
  // The page as the domain's synth writes it, with its mesh index copy: the build fails on a page that is not regenerated.
  const PAGE = 'docs/dataproducts/orders.md';
  const MARKER = '~~ Generated by projen. To modify, edit .projenrc.ts and run "npx projen".';
  const index = meshIndex();
  const pageOf = (text: string) => renderDataProductPage(lintContractText(CONTRACT, text, { domain: 'sales' }).contract!, { marker: MARKER, domain: 'sales', meshIndex: index });
  const { clone } = await salesRepository({ [PAGE]: pageOf(sampleContract()), '.sdlf/mesh-index.json': renderMeshIndex(index) });
  await requestAccess();
  await git(clone, 'fetch', '-q', 'origin');
  const granted = await git(clone, 'show', `origin/${BRANCH}:${CONTRACT}`);
  expect(granted).toContain('- domain: finance');
  // The request's page lists finance among the consumers, as the producer's next synth would write it.
  expect(`${await git(clone, 'show', `origin/${BRANCH}:${PAGE}`)}\n`).toBe(pageOf(`${granted}\n`));
  expect(pageOf(`${granted}\n`)).not.toBe(pageOf(sampleContract()));

  const approved = await check(clone, '--base', 'origin/main', '--head', `origin/${BRANCH}`);
  expect(approved.exitCode).toBe(0);
  expect(approved.output).toContain(`${PAGE}: approved by policy\n`);

  // A line of the requester's own in the page is not the template's.
  await git(clone, 'checkout', '-q', '-b', 'request', `origin/${BRANCH}`);
  fs.appendFileSync(path.join(clone, PAGE), '\nApproved by the platform team, see the wiki.\n');
  await git(clone, 'commit', '-q', '-am', 'a note');
  await git(clone, 'checkout', '-q', 'main');
  const edited = await check(clone, '--base', 'origin/main', '--head', 'request');
  expect(edited.exitCode).toBe(1);
  expect(edited.output).toContain(`${PAGE}: needs review\n  - is not the page the synth renders from the changed contract`);
}, 120_000);

test('the change is what merging the branch gives: a base that moved on is no reason, a conflict is', async () => {
  const { clone } = await salesRepository();
  await requestAccess('--columns', 'orders.order_id');
  // The producer changes the README, then the contract's description, after the request was opened.
  fs.writeFileSync(path.join(clone, 'README.md'), '# sales\n\nOrders and customers.\n');
  await git(clone, 'commit', '-q', '-am', 'docs');
  await git(clone, 'push', '-q', 'origin', 'main');
  await git(clone, 'fetch', '-q', 'origin');
  const behind = await check(clone, '--base', 'origin/main', '--head', `origin/${BRANCH}`);
  expect(behind).toMatchObject({ exitCode: 0 });
  expect(behind.output).toContain(`${CONTRACT}: approved by policy: grants domain finance select on orders.order_id\n`);

  const text = fs.readFileSync(path.join(clone, CONTRACT), 'utf8');
  fs.writeFileSync(path.join(clone, CONTRACT), text.replace('  - property: sdlfConsumers\n    value: []', '  - property: sdlfConsumers\n    value:\n      - domain: marketing\n        access: select'));
  await git(clone, 'commit', '-q', '-am', 'marketing reads orders');
  const conflict = await check(clone, '--base', 'main', '--head', `origin/${BRANCH}`);
  expect(conflict.exitCode).toBe(1);
  expect(conflict.output).toContain(`  - origin/${BRANCH} does not merge cleanly into main: its branch needs the base merged in and the conflicts resolved\n`);
}, 120_000);

test('without --head the working tree is the change: a consumer added is approved, any other file changed is not', async () => {
  const { clone } = await salesRepository();
  const text = fs.readFileSync(path.join(clone, CONTRACT), 'utf8');
  fs.writeFileSync(path.join(clone, CONTRACT), text.replace('    value: []', '    value:\n      - domain: marketing\n        access: select\n        columns: [orders.currency]'));
  const summary = path.join(root, 'summary.md');
  const approved = await check(clone, '--base', 'origin/main', '--summary', summary);
  expect(approved.exitCode).toBe(0);
  expect(approved.output).toContain(`${CONTRACT}: approved by policy: grants domain marketing select on orders.currency\n`);
  expect(fs.readFileSync(summary, 'utf8')).toContain('✅ Approved by policy');

  // A policy that now approves everything is a change of a file that is not a contract: the change cannot approve itself.
  fs.writeFileSync(path.join(clone, 'governance-policy.yaml'), `${POLICY.replace('[finance, marketing]', '[finance, marketing, legal]')}`);
  const json = await check(clone, '--base', 'origin/main', '--json');
  expect(json.exitCode).toBe(1);
  expect(JSON.parse(json.output)).toMatchObject({
    approved: false,
    files: [
      { file: CONTRACT, reasons: [], grants: [{ consumer: 'marketing', added: ['orders.currency'], sensitive: [] }] },
      { file: 'governance-policy.yaml', reasons: [expect.stringMatching(/^changes a file that is not a contract/)] },
    ],
  });

  // A working tree behind the base would show the base's own changes as the change's: said so.
  await git(clone, 'checkout', '-q', '--', '.');
  await git(clone, 'checkout', '-q', 'HEAD~1');
  const behind = await check(clone, '--base', 'origin/main');
  expect(behind.exitCode).toBe(1);
  expect(behind.output).toContain('the change as a whole: needs review\n  - the working tree\'s commit (HEAD) is not on top of origin/main, so what differs is not only the change: merge it first (git merge origin/main)\n');
}, 120_000);

test('a symbolic link or an oversized contract at the base is refused in a line, without a stack trace', async () => {
  const padding = `# ${'x'.repeat(100)}\n`.repeat(11_000);
  const { clone } = await salesRepository({ 'dataproducts/customers.yaml': `${sampleContract('customers')}${padding}` });
  // The base's orders contract becomes a symbolic link to a file outside dataproducts/.
  fs.renameSync(path.join(clone, CONTRACT), path.join(clone, 'orders.yaml'));
  fs.symlinkSync('../orders.yaml', path.join(clone, CONTRACT));
  await git(clone, 'add', '-A');
  await git(clone, 'commit', '-q', '-m', 'link');
  await git(clone, 'push', '-q', 'origin', 'main');

  // The change replaces the link with the file and grants finance; it trims the large contract and grants finance there too.
  fs.rmSync(path.join(clone, CONTRACT));
  const grant = (text: string) => text.replace('    value: []', '    value:\n      - domain: finance\n        access: select');
  fs.writeFileSync(path.join(clone, CONTRACT), grant(fs.readFileSync(path.join(clone, 'orders.yaml'), 'utf8')));
  fs.writeFileSync(path.join(clone, 'dataproducts/customers.yaml'), grant(sampleContract('customers')));
  const run = await check(clone, '--base', 'origin/main');
  expect(run.exitCode).toBe(1);
  expect(run.output).toContain('dataproducts/customers.yaml: needs review\n  - at the base is 1.1 MiB; the limit is 1 MiB; it cannot be compared\n');
  expect(run.output).toContain(`${CONTRACT}: needs review\n  - at the base is a symbolic link, which is not followed: commit the file itself; it cannot be compared\n`);
  expect(run.output).not.toMatch(/\n\s+at /);

  // Once the base holds the files, a link in the change is refused the same way, from the working tree and from a commit.
  await git(clone, 'commit', '-q', '-am', 'files');
  await git(clone, 'push', '-q', 'origin', 'main');
  fs.rmSync(path.join(clone, 'dataproducts/customers.yaml'));
  fs.symlinkSync('/dev/zero', path.join(clone, 'dataproducts/customers.yaml'));
  const linked = await check(clone, '--base', 'origin/main');
  expect(linked.exitCode).toBe(1);
  expect(linked.output).toContain('dataproducts/customers.yaml: needs review\n  - is a symbolic link, which is not followed: commit the file itself; it cannot be compared\n');
  await git(clone, 'add', '-A');
  await git(clone, 'commit', '-q', '-m', 'links');
  const committed = await check(clone, '--base', 'origin/main', '--head', 'HEAD');
  expect(committed.output).toContain('dataproducts/customers.yaml: needs review\n  - is a symbolic link, which is not followed: commit the file itself; it cannot be compared\n');
}, 120_000);

test.each([
  [[], 'Invalid option "--base": give the revision the change is compared with, e.g. --base origin/main'],
  [['--base', 'origin/release'], 'Invalid option "--base": the base "origin/release" is not a ref fetched from remote "origin": fetch it (git fetch origin release)'],
  [['--base', 'origin/main', '--head', 'finance-request'], 'Invalid option "--head": "finance-request" is not a commit of this repository'],
  [['--base', 'origin/main', '--policy', 'policy.yaml'], 'Invalid option "--policy": policy.yaml is missing'],
  [['--base', 'origin/main', '--domain', 'Sales'], 'Invalid option "--domain": "Sales"'],
  [['origin/main'], 'Invalid option "arguments": Unexpected argument \'origin/main\''],
])('%j is refused in one line with exit code 2', async (args, message) => {
  const { clone } = await salesRepository();
  const run = await runSdlfMesh(['access', 'check', ...args], {}, clone);
  expect(run.exitCode).toBe(2);
  expect(run.output).toContain(message);
  expect(run.output.trim().split('\n')).toHaveLength(1);
}, 60_000);
