import { AccessCheckOptions, checkAccessChange } from '../../src/contract/access-check';
import { renderAccessCheckMarkdown, renderAccessCheckText } from '../../src/contract/access-check-report';
import { ChangedContract, ChangedPage, ContractChangeSet } from '../../src/contract/changed-contracts';
import { applyConsumerGrant, planConsumerGrant } from '../../src/contract/consumer-request';
import { renderDataProductPage } from '../../src/contract/data-product-page';
import { lintContractText } from '../../src/contract/lint-contract';
import { AccessAutoApproval } from '../../src/domain/access-request-policy';
import { GovernancePolicyProps } from '../../src/domain/governance-policy-props';
import { sampleContract } from '../support/sample-contract';

/**
 * The sample contract of `sales/orders` (table `orders`: order_id, customer_email [restricted,
 * pii], order_total, currency, ordered_at) with the consumers given.
 */
function contractText(consumers = '    value: []'): string {
  return sampleContract().replace('  - property: sdlfConsumers\n    value: []', `  - property: sdlfConsumers\n${consumers}`);
}

const FILE = 'dataproducts/orders.yaml';
const POLICY: GovernancePolicyProps = { accessRequests: { autoApprove: AccessAutoApproval.NON_SENSITIVE }, allowedConsumers: { domains: ['finance', 'marketing'] } };
const OPTIONS: AccessCheckOptions = { domain: 'sales', policy: POLICY };
const MARKETING = '    value:\n      - domain: marketing\n        access: select\n        columns: [orders.order_id]\n';

/** A change of the repository: the contracts' texts at the base and after (undefined: no such file), and other files. */
function changeSet(
  contracts: Record<string, [string | undefined, string | undefined]>,
  otherFiles: string[] = [],
  pages: Record<string, [string | undefined, string | undefined]> = {},
): ContractChangeSet {
  const version = (text: string | undefined) => (text === undefined ? {} : { bytes: Buffer.from(text) });
  return {
    base: '0123456789abcdef0123456789abcdef01234567',
    contracts: Object.entries(contracts).map(([file, [before, after]]): ChangedContract => ({
      file,
      ...(before === undefined ? {} : { base: version(before) }),
      ...(after === undefined ? {} : { head: version(after) }),
    })),
    pages: Object.entries(pages).map(([file, [before, after]]): ChangedPage => ({
      file,
      dataProduct: /([^/]+)\.md$/.exec(file)![1],
      ...(before === undefined ? {} : { base: version(before) }),
      ...(after === undefined ? {} : { head: version(after) }),
    })),
    otherFiles,
    problems: [],
  };
}

/** The check of one contract changed from `before` to `after`. */
function check(before: string, after: string, options: AccessCheckOptions = OPTIONS) {
  return checkAccessChange(changeSet({ [FILE]: [before, after] }), options);
}

/** What `sdlf-mesh access request` writes for `consumer`, asking for `columns`. */
function requested(text: string, consumer: string, columns?: string[]): string {
  const contract = lintContractText(FILE, text, { domain: 'sales' }).contract!;
  return applyConsumerGrant(text, consumer, planConsumerGrant(contract, { consumer, columns })!);
}

test('a consumer domain added with its non-sensitive columns, as an access request writes it, is approved by policy', () => {
  const before = contractText();
  const result = check(before, requested(before, 'finance'));
  expect(result).toEqual({
    approved: true,
    reasons: [],
    files: [{ file: FILE, dataProduct: 'orders', reasons: [], grants: [{ consumer: 'finance', added: ['orders.order_id', 'orders.order_total', 'orders.currency', 'orders.ordered_at'], sensitive: [] }] }],
  });
  expect(renderAccessCheckText(result, 'sales')).toBe([
    `${FILE}: approved by policy: grants domain finance select on orders.order_id, orders.order_total, orders.currency, orders.ordered_at`,
    'Approved by policy: the change only grants consumer domains the governance policy allows columns that are not sensitive (accessRequests.autoApprove: non-sensitive).',
  ].join('\n'));
});

test('a widened entry that gains only non-sensitive columns is approved; one that gains a sensitive column is not', () => {
  const before = contractText(MARKETING);
  const widened = requested(before, 'marketing', ['orders.currency']);
  expect(widened).toContain('columns: [orders.order_id, orders.currency]');
  expect(check(before, widened)).toMatchObject({ approved: true, files: [{ grants: [{ consumer: 'marketing', added: ['orders.currency'], sensitive: [] }], reasons: [] }] });

  const sensitive = check(before, requested(before, 'marketing', ['orders.customer_email']));
  expect(sensitive.approved).toBe(false);
  expect(sensitive.files[0].reasons).toEqual([
    'grants domain marketing the sensitive column orders.customer_email (classified restricted or tagged pii): the producer decides on each sensitive column',
  ]);
});

test('a sensitive column among the columns added needs the producer, and is named', () => {
  const before = contractText();
  const result = check(before, requested(before, 'finance', ['orders.order_id', 'orders.customer_email']));
  expect(result.approved).toBe(false);
  expect(result.files[0].grants).toEqual([{ consumer: 'finance', added: ['orders.order_id', 'orders.customer_email'], sensitive: ['orders.customer_email'] }]);
  expect(result.files[0].reasons).toEqual([expect.stringContaining('the sensitive column orders.customer_email')]);
  expect(renderAccessCheckText(result, 'sales')).toMatch(/^dataproducts\/orders\.yaml: needs review: grants domain finance select on orders\.order_id, orders\.customer_email\n {2}- grants domain finance the sensitive column orders\.customer_email .*\nNot approved by policy: 1 of 1 changed file needs the sales team's review, for the reasons above\.$/);
});

test('a consumer domain the policy does not allow needs the producer', () => {
  const before = contractText();
  const result = check(before, requested(before, 'legal'));
  expect(result.approved).toBe(false);
  expect(result.files[0].reasons).toEqual(['domain "legal" is not a consumer the platform\'s governance policy allows (allowedConsumers.domains: finance, marketing)']);
});

test('without autoApprove non-sensitive, or without a policy, nothing is approved by policy', () => {
  const before = contractText();
  const after = requested(before, 'finance');
  const none = check(before, after, { domain: 'sales', policy: { accessRequests: { autoApprove: AccessAutoApproval.NONE } } });
  expect(none.approved).toBe(false);
  expect(none.files[0].reasons).toEqual(['the governance policy approves no grant without a person (accessRequests.autoApprove: none; non-sensitive approves non-sensitive columns)']);
  expect(check(before, after, { domain: 'sales', policy: {} }).files[0].reasons).toEqual([expect.stringContaining('accessRequests.autoApprove: none')]);
  expect(check(before, after, { domain: 'sales' }).files[0].reasons).toEqual(['no governance policy was given, and without one every grant needs the producer\'s review']);
});

test('a schema change mixed into a grant needs the producer: a column declassified and granted stays sensitive, as the base classifies it', () => {
  const before = contractText();
  const declassified = requested(before, 'finance', ['orders.order_id', 'orders.customer_email'])
    .replace("        classification: restricted\n        tags: ['pii']\n", '        classification: internal\n');
  const result = check(before, declassified);
  expect(result.approved).toBe(false);
  expect(result.files[0].reasons).toEqual([
    expect.stringMatching(/^changes more than sdlfConsumers: schema \(orders\.customer_email: .*classification/),
    expect.stringContaining('the sensitive column orders.customer_email'),
  ]);

  const versioned = check(before, requested(before, 'finance').replace('version: 1.0.0', 'version: 1.1.0'));
  expect(versioned.files[0].reasons).toEqual(['changes more than sdlfConsumers: version']);
  const pipeline = check(before, requested(before, 'finance').replace('type: lambda', 'type: glue\n          trigger: batch\n          schedule: cron(0 2 * * ? *)'));
  expect(pipeline.files[0].reasons).toEqual(['changes more than sdlfConsumers: customProperties.sdlfPipeline']);
});

test('a consumer removed, narrowed or turned into another principal needs the producer', () => {
  const before = contractText(`${MARKETING}      - domain: legal\n        access: select\n`);
  const removed = check(before, requested(contractText(MARKETING), 'finance'));
  expect(removed.approved).toBe(false);
  expect(removed.files[0].reasons).toEqual(['removes the grant of domain legal (select)']);

  const narrowed = check(contractText('    value:\n      - domain: marketing\n        access: select\n'), contractText(MARKETING));
  expect(narrowed.files[0].reasons).toEqual(['narrows the grant of domain marketing (select): it loses orders.order_total, orders.currency, orders.ordered_at']);

  // Entries are matched by principal, wherever they are in the list: one replaced by another is a removal.
  const other = check(contractText(MARKETING), contractText(MARKETING.replace('domain: marketing', 'domain: finance')));
  expect(other.files[0]).toMatchObject({ reasons: ['removes the grant of domain marketing (select)'], grants: [{ consumer: 'finance', added: ['orders.order_id'] }] });
  const describe = check(contractText(MARKETING.replace('select', 'describe')), contractText(MARKETING));
  expect(describe.files[0].reasons).toEqual(['changes the access of domain marketing (describe) to select']);
  const account = '    value:\n      - account: \'123456789012\'\n        access: select\n        columns: [orders.order_id]\n';
  const widenedAccount = check(contractText(account), contractText(account.replace('[orders.order_id]', '[orders.order_id, orders.currency]')));
  expect(widenedAccount.files[0].reasons).toEqual(['changes the grant of account 123456789012 (select): the policy approves select grants to domains only']);
});

test('grants to accounts or roles, and a second entry for a domain, need the producer', () => {
  const before = contractText(MARKETING);
  const account = check(before, contractText(`${MARKETING}      - account: '123456789012'\n        access: select\n`));
  expect(account.files[0].reasons).toEqual(['adds a grant of account 123456789012 (select): the policy approves select grants to domains only']);
  const second = check(before, contractText(`${MARKETING}      - domain: marketing\n        access: select\n        columns: [orders.currency]\n`));
  expect(second.files[0].reasons).toEqual(['adds a second select entry for domain marketing: a request widens the one it has']);
});

test('a change that grants nothing, a new or removed contract, and any other file need the producer', () => {
  const before = contractText();
  expect(check(before, `${before}# a comment\n`).files[0].reasons).toEqual(['changes the contract without granting a consumer anything more']);
  const files = checkAccessChange(changeSet({ 'dataproducts/new.yaml': [undefined, before], [FILE]: [before, undefined] }, ['dataproducts/notes.md', 'src/main.ts']), OPTIONS);
  expect(files.approved).toBe(false);
  expect(files.files.map((file) => [file.file, file.reasons])).toEqual([
    ['dataproducts/new.yaml', ['adds a data product: a new contract is for the producer to review']],
    ['dataproducts/notes.md', [expect.stringMatching(/^changes a file that is not a contract/)]],
    [FILE, ['removes the contract: a removed data product is for the producer to review']],
    ['src/main.ts', [expect.stringMatching(/^changes a file that is not a contract/)]],
  ]);
  const nothing = checkAccessChange(changeSet({}), OPTIONS);
  expect(nothing).toEqual({ approved: false, files: [], reasons: ['changes nothing against 0123456789ab: there is no grant to approve'] });
  expect(renderAccessCheckText(nothing)).toBe([
    'the change as a whole: needs review',
    '  - changes nothing against 0123456789ab: there is no grant to approve',
    'Not approved by policy: the change as a whole needs the producer\'s review, for the reasons above.',
  ].join('\n'));
});

test('a grant next to any other change is not approved: every file must be a grant the policy approves', () => {
  const before = contractText();
  const result = checkAccessChange(changeSet({ [FILE]: [before, requested(before, 'finance')] }, ['.github/workflows/build.yml']), OPTIONS);
  expect(result.approved).toBe(false);
  expect(result.files.map((file) => file.reasons.length)).toEqual([1, 0]);
  expect(renderAccessCheckMarkdown(result, 'sales')).toContain('❌ Not approved by policy: 1 of 2 changed files needs the sales team\'s review.');
});

test('a contract that cannot be read or is not valid needs the producer, with why', () => {
  const before = contractText();
  const unreadable: ContractChangeSet = {
    ...changeSet({}),
    contracts: [{ file: FILE, base: { unreadable: 'is a symbolic link, which is not followed: commit the file itself' }, head: { bytes: Buffer.from(before) } }],
  };
  expect(checkAccessChange(unreadable, OPTIONS).files[0].reasons).toEqual(['at the base is a symbolic link, which is not followed: commit the file itself; it cannot be compared']);
  const invalid = check(before, requested(before, 'finance').replace('status: active', 'status: shipped'));
  expect(invalid.files[0].reasons).toEqual([expect.stringMatching(/^is not a valid contract: dataproducts\/orders\.yaml:\d+:\d+: .*status/)]);
  const otherDomain = check(before, requested(before, 'finance'), { ...OPTIONS, domain: 'finance' });
  expect(otherDomain.approved).toBe(false);
  expect(otherDomain.files[0].reasons).toEqual([expect.stringMatching(/^is not a valid contract: .*domain/)]);
});

describe('the data product\'s docs page, which the synth renders from the contract and lists its consumers on', () => {
  const PAGE = 'docs/dataproducts/orders.md';
  const MARKER = '~~ Generated by projen. To modify, edit .projenrc.ts and run "npx projen".';
  const pageOf = (text: string) => renderDataProductPage(lintContractText(FILE, text, { domain: 'sales' }).contract!, { marker: MARKER, domain: 'sales' });
  const before = contractText();
  const after = requested(before, 'finance');

  test('rendered again with the granting contract, as the synth writes it, comes with the grant: approved by policy', () => {
    expect(pageOf(after)).not.toBe(pageOf(before));
    const result = checkAccessChange(changeSet({ [FILE]: [before, after] }, [], { [PAGE]: [pageOf(before), pageOf(after)] }), OPTIONS);
    expect(result.approved).toBe(true);
    expect(result.files.map((file) => [file.file, file.reasons])).toEqual([[FILE, []], [PAGE, []]]);
  });

  test('a page that differs from the rendering by one word, or changed without its contract, needs the producer', () => {
    const edited = pageOf(after).replace('# orders', '# orders (approved: see the wiki)');
    const result = checkAccessChange(changeSet({ [FILE]: [before, after] }, [], { [PAGE]: [pageOf(before), edited] }), OPTIONS);
    expect(result.approved).toBe(false);
    expect(result.files.find((file) => file.file === PAGE)?.reasons).toEqual([
      'is not the page the synth renders from the changed contract: run npx projen on the branch and commit what it writes, or leave the page out',
    ]);
    const alone = checkAccessChange(changeSet({}, [], { [PAGE]: [pageOf(before), pageOf(after)] }), OPTIONS);
    expect(alone.approved).toBe(false);
    expect(alone.files[0].reasons).toEqual(['changes the docs page of orders without a valid change of its contract: the synth renders the page from the contract']);
  });

  test('a page the base did not have is for the producer\'s synth to write', () => {
    const result = checkAccessChange(changeSet({ [FILE]: [before, after] }, [], { [PAGE]: [undefined, pageOf(after)] }), OPTIONS);
    expect(result.approved).toBe(false);
    expect(result.files.find((file) => file.file === PAGE)?.reasons).toEqual(['adds a docs page the base did not have from the synth: the producer\'s synth writes it']);
  });
});
