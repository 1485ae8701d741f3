import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatProblem } from '../../src/contract/contract-problem';
import { DomainRegistryError, loadDomainRegistry, readDomainRegistry } from '../../src/platform/domain-registry';

const TARGETS = [
  { account: '111111111111', region: 'eu-west-1' },
  { account: '222222222222', region: 'eu-west-1' },
];

function registry(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'domains-'));
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function registration(domain: string, repository = `acme/${domain}-data`, environments = '  - name: dev\n    account: "111111111111"\n    region: eu-west-1\n'): string {
  return `domain: ${domain}\nrepository: ${repository}\nowner: ${domain}-data@example.com\ncostCenter: cc-${domain}\nenvironments:\n${environments}`;
}

test('valid registrations are read in file order, with their environments', () => {
  const dir = registry({ 'sales.yaml': registration('sales'), 'finance.yaml': registration('finance', 'acme/finance-data', '  - name: dev\n    account: "111111111111"\n    region: eu-west-1\n  - name: prod\n    account: "222222222222"\n    region: eu-west-1\n') });
  expect(loadDomainRegistry(dir, TARGETS)).toEqual([
    {
      domain: 'finance',
      repository: 'acme/finance-data',
      owner: 'finance-data@example.com',
      costCenter: 'cc-finance',
      environments: [
        { name: 'dev', account: '111111111111', region: 'eu-west-1' },
        { name: 'prod', account: '222222222222', region: 'eu-west-1' },
      ],
    },
    { domain: 'sales', repository: 'acme/sales-data', owner: 'sales-data@example.com', costCenter: 'cc-sales', environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }] },
  ]);
});

test('the repository\'s GitHub IDs are read with the registration: what its deploy role trusts', () => {
  const dir = registry({ 'sales.yaml': registration('sales').replace('owner:', 'repositoryId: 812345678\nrepositoryOwnerId: 9876543\nowner:') });
  expect(loadDomainRegistry(dir, TARGETS)).toEqual([expect.objectContaining({ domain: 'sales', repository: 'acme/sales-data', repositoryId: 812345678, repositoryOwnerId: 9876543 })]);
});

test('a repository ID that is not a positive integer, or one without the other, is refused at its line with the fix', () => {
  const dir = registry({
    'sales.yaml': registration('sales').replace('owner:', 'repositoryId: "812345678"\nrepositoryOwnerId: -4\nowner:'),
    'finance.yaml': registration('finance').replace('owner:', 'repositoryId: 12.5\nowner:'),
    'hr.yaml': registration('hr').replace('owner:', 'repositoryOwnerId: 9876543\nowner:'),
  });
  const { problems, registrations } = readDomainRegistry(dir, TARGETS);
  expect(registrations).toEqual([]);
  expect(problems.map(formatProblem).map((line) => line.slice(dir.length + 1))).toEqual([
    'finance.yaml:3:15: repositoryId: repositoryId must be a positive integer, GitHub\'s numeric ID of the repository; it is 12.5 ' +
      '(write e.g. repositoryId: 123456789, the .id of gh api repos/acme/finance-data --jq \'.id, .owner.id\')',
    'finance.yaml:1:1: repositoryId is given without repositoryOwnerId; the deploy role trusts the two together ' +
      '(add repositoryOwnerId: the .owner.id of gh api repos/acme/finance-data --jq \'.id, .owner.id\')',
    'hr.yaml:1:1: repositoryOwnerId is given without repositoryId; the deploy role trusts the two together (add repositoryId: the .id of gh api repos/acme/hr-data --jq \'.id, .owner.id\')',
    'sales.yaml:3:15: repositoryId: repositoryId must be a positive integer, GitHub\'s numeric ID of the repository; it is "812345678" (write it without quotes: repositoryId: 812345678)',
    'sales.yaml:4:20: repositoryOwnerId: repositoryOwnerId must be a positive integer, GitHub\'s numeric ID of its owner; it is -4 ' +
      '(write e.g. repositoryOwnerId: 123456789, the .owner.id of gh api repos/acme/sales-data --jq \'.id, .owner.id\')',
  ]);
});

test('an environment\'s data bucket, once the domain deployed there, is read with it; another domain\'s bucket or no bucket name is refused at its line', () => {
  const withBucket = (bucket: string) => '  - name: dev\n    account: "111111111111"\n    region: eu-west-1\n    dataBucket: ' + bucket + '\n';
  const valid = registry({ 'sales.yaml': registration('sales', 'acme/sales-data', withBucket('sales-dev-domain-domainstoragedata1a2b3c-4d5e6f')) });
  expect(loadDomainRegistry(valid, TARGETS)[0].environments).toEqual([{ name: 'dev', account: '111111111111', region: 'eu-west-1', dataBucket: 'sales-dev-domain-domainstoragedata1a2b3c-4d5e6f' }]);

  const dir = registry({
    'sales.yaml': registration('sales', 'acme/sales-data', withBucket('finance-dev-domain-domainstoragedata1a2b3c-4d5e6f')),
    'finance.yaml': registration('finance', 'acme/finance-data', withBucket('Finance_Dev')),
  });
  const { problems, registrations } = readDomainRegistry(dir, TARGETS);
  expect(registrations).toEqual([]);
  const fix = (domain: string) => `(give the output DataBucketName of the domain's stack ${domain}-dev-domain (aws cloudformation describe-stacks --stack-name ${domain}-dev-domain --query "Stacks[0].Outputs"))`;
  expect(problems.map(formatProblem).map((line) => line.slice(dir.length + 1))).toEqual([
    `finance.yaml:9:17: environments[0].dataBucket: dataBucket "Finance_Dev" is not an S3 bucket name ${fix('finance')}`,
    `sales.yaml:9:17: environments[0].dataBucket: dataBucket "finance-dev-domain-domainstoragedata1a2b3c-4d5e6f" is not a bucket of domain sales in dev, whose buckets are named sales-dev-* ${fix('sales')}`,
  ]);
});

test('a missing folder is an empty registry', () => {
  expect(loadDomainRegistry(path.join(os.tmpdir(), 'no-such-registry-folder'))).toEqual([]);
});

test('every problem of every file is reported at once, at its line and column, with its fix', () => {
  const dir = registry({
    'sales.yaml': 'domain: sales\nrepository: not a repo\nowner: nobody\ncostCenter: cc-1\nregion: eu-west-1\nenvironments:\n  - name: dev\n    account: 111111111111\n    region: eu-west-1\n',
    'finance.yaml': registration('finance', 'acme/finance-data', '  - name: dev\n    account: "333333333333"\n    region: eu-west-1\n  - name: Prod\n    account: "111111111111"\n    region: eu-west-1\n'),
    'broken.yaml': 'domain: [unclosed\n',
  });
  const { problems, registrations } = readDomainRegistry(dir, TARGETS);
  expect(registrations).toEqual([]);
  const lines = problems.map(formatProblem).map((line) => line.slice(dir.length + 1));
  expect(lines).toEqual([
    expect.stringMatching(/^broken\.yaml:\d+:\d+: not valid YAML/),
    'finance.yaml:7:14: environments[0].account: account 333333333333 in eu-west-1 is not one the platform deploys to (it deploys to 111111111111/eu-west-1, 222222222222/eu-west-1) (fix the account or region, or add the environment to the platform\'s .projenrc.ts first)',
    expect.stringMatching(/^finance\.yaml:9:5: environments\[1\]: environment name "Prod" must be 1 to 10 lowercase letters/),
    'sales.yaml:5:1: region: unknown field region (the fields are domain, repository, repositoryId, repositoryOwnerId, owner, costCenter, environments)',
    'sales.yaml:2:13: repository: "not a repo" is not a GitHub repository (give it as owner/name, e.g. acme/sales-data)',
    expect.stringMatching(/^sales\.yaml:3:8: owner: "nobody" is not an owner: give a team mailbox/),
    'sales.yaml:7:5: environments[0]: account is missing or not a string (quote the account ID: account: "111111111111")',
  ]);
});

test('an unknown account stops the load with an error listing the problems', () => {
  const dir = registry({ 'sales.yaml': registration('sales', 'acme/sales-data', '  - name: dev\n    account: "999999999999"\n    region: eu-west-1\n') });
  expect(() => loadDomainRegistry(dir, TARGETS)).toThrow(DomainRegistryError);
  expect(() => loadDomainRegistry(dir, TARGETS)).toThrow(/sales\.yaml:7:14: environments\[0\]\.account: account 999999999999 in eu-west-1 is not one the platform deploys to/);
});

test('a domain registered twice, or a repository trusted for two domains, is refused', () => {
  const dir = registry({
    'sales.yaml': registration('sales'),
    'sales.yml': registration('sales', 'acme/other'),
    'finance.yaml': registration('finance', 'ACME/sales-data'),
  });
  const messages = readDomainRegistry(dir, TARGETS).problems.map((problem) => `${path.basename(problem.file)} ${problem.path}: ${problem.message}`);
  expect(messages).toEqual([
    expect.stringMatching(/^sales\.yaml repository: repository acme\/sales-data already deploys domain "finance"/),
    expect.stringMatching(/^sales\.yml domain: domain "sales" is already registered in .*sales\.yaml$/),
  ]);
});

test('a repository ID registered for two domains is refused, whatever the names say', () => {
  const ids = 'repositoryId: 812345678\nrepositoryOwnerId: 9876543\nowner:';
  const dir = registry({ 'sales.yaml': registration('sales').replace('owner:', ids), 'finance.yaml': registration('finance').replace('owner:', ids) });
  const messages = readDomainRegistry(dir, TARGETS).problems.map((problem) => `${path.basename(problem.file)} ${problem.path}: ${problem.message}`);
  expect(messages).toEqual(['sales.yaml repositoryId: repository ID 812345678 already deploys domain "finance"']);
});

test('a domain named after another domain and environment, whose resource prefix would reach it, is refused', () => {
  const dir = registry({ 'sales.yaml': registration('sales'), 'sales-dev.yaml': registration('sales-dev') });
  expect(() => loadDomainRegistry(dir, TARGETS)).toThrow(/sales-dev\.yaml:1:9: domain: domain "sales-dev" begins with "sales-dev", the prefix of domain "sales"'s resources in dev/);
});

test('a domain whose name begins with another domain\'s, whose lake locations would be prefixes of one another, is refused', () => {
  // The lake location of `sales` is `<lake>/sales/`: nothing in Lake Formation's or IAM's documentation
  // says that an S3 location ends at its `/`, so `<lake>/salesforce/` is kept apart by the registry.
  const dir = registry({ 'sales.yaml': registration('sales'), 'salesforce.yaml': registration('salesforce') });
  expect(() => loadDomainRegistry(dir, TARGETS)).toThrow(
    /salesforce\.yaml:1:9: domain: domain "salesforce" begins with domain "sales": their lake locations \(<lake>\/sales\/, <lake>\/salesforce\/\) would be S3 prefixes of one another \(choose a domain name that does not begin with "sales"\)/,
  );
  // Neither begins with the other: both are registered.
  expect(loadDomainRegistry(registry({ 'sales.yaml': registration('sales'), 'resales.yaml': registration('resales') }), TARGETS).map((r) => r.domain)).toEqual(['resales', 'sales']);
});

test('a file named after another domain than the one it registers is refused', () => {
  const dir = registry({ 'sales.yaml': registration('finance') });
  expect(() => loadDomainRegistry(dir, TARGETS)).toThrow(/sales\.yaml:1:9: domain: the file of domain "finance" is named sales\.yaml \(rename it to domains\/finance\.yaml\)/);
});

test('a symbolic link is not read', () => {
  const dir = registry({});
  const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'outside-')), 'sales.yaml');
  fs.writeFileSync(outside, registration('sales'));
  fs.symlinkSync(outside, path.join(dir, 'sales.yaml'));
  expect(() => loadDomainRegistry(dir, TARGETS)).toThrow(/not a symbolic link/);
});

test.each(['platform', 'sdlf', 'cdk-tools'])('a domain named like the platform\'s own resources (%s) is refused', (domain) => {
  const dir = registry({ [`${domain}.yaml`]: registration(domain) });
  expect(() => loadDomainRegistry(dir, TARGETS)).toThrow(/names starting with "\w+" are the platform's own/);
});
