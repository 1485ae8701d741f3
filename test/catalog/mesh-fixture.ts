import * as fs from 'fs';
import * as path from 'path';
import { git } from '../support/git';
import { activeContract } from '../support/sample-contract';

/** What {@link createMesh} made. */
export interface MeshFixture {
  /** The folder everything is in. */
  readonly root: string;
  /** The sources, as `catalog build` takes them: working trees, bare repositories, a missing folder. */
  readonly sources: string[];
  /** The folder of the bare repositories (`finance.git`, `marketing.git`, `empty.git`). */
  readonly remotes: string;
  /** The data products that are valid, as `<domain>/<data product>`. */
  readonly products: string[];
}

const PROJENRC = (domain: string) =>
  `import { SdlfDomainProject } from 'sdlf-mesh';\n\nconst project = new SdlfDomainProject({\n  defaultReleaseBranch: 'main',\n  name: '${domain}',\n  domain: '${domain}',\n});\nproject.synth();\n`;

/** The sample contract of a domain, changed by the given edits. */
function contract(domain: string, owner: string, dataProduct: string, edits: Partial<Record<'purpose' | 'status' | 'consumers' | 'tags', string>> & { replace?: Array<[string | RegExp, string]> } = {}): string {
  let text = activeContract(domain, owner, dataProduct);
  if (edits.purpose) text = text.replace(/  purpose: .*\n/, `  purpose: ${edits.purpose}\n`);
  if (edits.status) text = text.replace('status: active', `status: ${edits.status}`);
  if (edits.tags) text = text.replace(/^(domain: .*\n)/m, `$1tags: ${edits.tags}\n`);
  if (edits.consumers) text = text.replace('    value: []', `    value:\n${edits.consumers}`);
  for (const [from, to] of edits.replace ?? []) {
    text = text.replace(from, to);
  }
  return text;
}

const grant = (key: string, value: string, access = 'select') => `      - ${key}: ${JSON.stringify(value)}\n        access: ${access}\n`;
const NO_PII: Array<[string, string]> = [
  ['        classification: restricted\n', '        classification: internal\n'],
  ["        tags: ['pii']\n", ''],
];
const NO_OWNER: Array<[RegExp, string]> = [[/team:\n  name: (.*)\n  members:\n(.*\n){2}/, 'team:\n  name: $1\n']];

function write(dir: string, files: Record<string, string>) {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
}

async function commitAll(dir: string, message: string) {
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', message);
}

/** A bare repository `<remotes>/<name>.git` whose main has one commit per file set given. */
async function bareRemote(root: string, remotes: string, name: string, commits: Array<[string, Record<string, string>]>) {
  const work = path.join(root, 'work', name);
  fs.mkdirSync(work, { recursive: true });
  await git(work, 'init', '-q', '-b', 'main');
  for (const [message, files] of commits) {
    write(work, files);
    await commitAll(work, message);
  }
  await git(root, 'init', '-q', '--bare', '-b', 'main', path.join(remotes, `${name}.git`));
  await git(work, 'push', '-q', path.join(remotes, `${name}.git`), 'main');
}

/**
 * A mesh of five domains in `root`, each in the form a platform engineer meets it:
 * - `sales`: a git working tree with `.projenrc.ts`: orders (PII, granted to finance and
 *   marketing) and customers (tagged, granted to an AWS account);
 * - `finance`: a bare remote whose `invoices` has two versions (1.0.0, then 2.0.0 without a
 *   column), and `ledger` (draft, no PII), granted to an IAM role;
 * - `marketing`: a bare remote; `campaigns` has no owner member (ask the domain) and is granted
 *   back to sales;
 * - `logistics`: a folder that is not under git: `shipments` (deprecated, Glue stage) and a
 *   broken contract;
 * - `hr`: a working tree without `.projenrc.ts`: `employees`, whose text tries markup, granted to
 *   a domain that is not in the catalog;
 * plus a folder that does not exist and a bare repository without `main`.
 */
export async function createMesh(root: string): Promise<MeshFixture> {
  const remotes = path.join(root, 'remotes');
  fs.mkdirSync(remotes, { recursive: true });

  const sales = path.join(root, 'sales');
  fs.mkdirSync(sales);
  await git(sales, 'init', '-q', '-b', 'main');
  write(sales, {
    '.projenrc.ts': PROJENRC('sales'),
    'dataproducts/orders.yaml': contract('sales', '@acme/sales-data', 'orders', { consumers: grant('domain', 'finance') + grant('domain', 'marketing', 'describe'), tags: '[revenue]' }),
    'dataproducts/customers.yaml': contract('sales', '@acme/sales-data', 'customers', {
      purpose: 'Customers with their loyalty tier, one row per customer.',
      tags: '[customer, gold]',
      consumers: grant('account', '222222222222'),
    }),
  });
  await commitAll(sales, 'sales contracts');

  const invoicesV1 = contract('finance', 'controller@example.com', 'invoices', {
    purpose: 'Invoices sent to customers, for receivables and revenue recognition.',
    consumers: grant('role', 'arn:aws:iam::333333333333:role/audit/auditor'),
  });
  const invoicesV2 = invoicesV1
    .replace('version: 1.0.0', 'version: 2.0.0')
    .replace(/      - name: currency\n(        .*\n)+?(?=      - name: ordered_at)/, '');
  await bareRemote(root, remotes, 'finance', [
    ['invoices 1.0.0', { '.projenrc.ts': PROJENRC('finance'), 'dataproducts/invoices.yaml': invoicesV1 }],
    [
      'invoices 2.0.0: no currency column',
      {
        'dataproducts/invoices.yaml': invoicesV2,
        'dataproducts/ledger.yaml': contract('finance', 'controller@example.com', 'ledger', { purpose: 'General ledger entries.', status: 'retired', tags: '[accounting]', replace: NO_PII }),
      },
    ],
  ]);
  await bareRemote(root, remotes, 'marketing', [
    [
      'campaigns',
      {
        '.projenrc.ts': PROJENRC('marketing'),
        'dataproducts/campaigns.yml': contract('marketing', 'cmo@example.com', 'campaigns', {
          purpose: 'Marketing campaigns and their spend.',
          consumers: grant('domain', 'sales'),
          replace: [...NO_PII, ...NO_OWNER],
        }),
      },
    ],
  ]);
  await git(root, 'init', '-q', '--bare', '-b', 'main', path.join(remotes, 'empty.git'));

  const logistics = path.join(root, 'logistics');
  write(logistics, {
    '.projenrc.ts': PROJENRC('logistics'),
    'dataproducts/shipments.yaml': contract('logistics', '@acme/logistics', 'shipments', {
      purpose: 'Shipments leaving the warehouses.',
      status: 'deprecated',
      replace: [
        ['        classification: restricted\n', '        classification: confidential\n'],
        ["        tags: ['pii']\n", ''],
        ['          type: lambda\n', '          type: lambda\n        - name: heavy-transform\n          type: glue\n          trigger: batch\n          schedule: cron(0 2 * * ? *)\n'],
      ],
    }),
    'dataproducts/broken.yaml': contract('logistics', '@acme/logistics', 'broken', { status: 'actve', replace: [['        classification: restricted\n', '        classification: secret\n']] }),
    'dataproducts/README.md': 'not a contract\n',
  });

  const hr = path.join(root, 'hr');
  fs.mkdirSync(hr);
  await git(hr, 'init', '-q', '-b', 'main');
  write(hr, {
    'dataproducts/employees.yaml': contract('hr', '@acme/people', 'employees', {
      purpose: '"Employees <script>alert(1)</script> & contracts"',
      tags: '[people]',
      consumers: grant('domain', 'payroll'),
    }),
  });
  await commitAll(hr, 'employees');

  return {
    root,
    remotes,
    sources: [sales, path.join(remotes, 'finance.git'), path.join(remotes, 'marketing.git'), logistics, hr, path.join(root, 'gone'), path.join(remotes, 'empty.git')],
    products: ['finance/invoices', 'finance/ledger', 'hr/employees', 'logistics/shipments', 'marketing/campaigns', 'sales/customers', 'sales/orders'],
  };
}
