import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DomainApp, PlatformApp } from '../../src';
import { domainProject } from '../support/domain-project';
import { CONSUMER_PRINCIPALS, domainRepository } from '../support/domain-repository';
import { platformProject } from '../support/platform-project';
import { synthesize } from '../support/synth';

/*
 * What a release generates and synthesizes, file by file, as the previous release made it: a
 * refactor that changes none of it keeps every snapshot; a change a user sees updates them on
 * purpose (`npx projen test -u`) and the review reads the diff. Generated in-process, without an
 * install, so it runs in the unit suite.
 */

/** Every file of a folder, by path relative to it, but the installed packages and git's own. */
function filesOf(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) files[path.relative(root, file)] = fs.readFileSync(file, 'utf8');
    }
  };
  walk(root);
  return files;
}

/** The CloudFormation templates of an app's cloud assembly, by stack. */
function templatesOf(app: DomainApp | PlatformApp): Record<string, unknown> {
  return Object.fromEntries(app.synth().stacksRecursively.map((stack) => [stack.hierarchicalId, stack.template]));
}

describe('a generated domain repository, file by file', () => {
  const project = domainProject();
  synthesize(project);
  for (const [file, text] of Object.entries(filesOf(project.outdir))) {
    test(file, () => expect(text).toMatchSnapshot());
  }
});

describe('a generated platform repository, file by file', () => {
  const project = platformProject();
  synthesize(project);
  for (const [file, text] of Object.entries(filesOf(project.outdir))) {
    test(file, () => expect(text).toMatchSnapshot());
  }
});

describe('the templates of a domain with a grant, a Lambda pipeline and a Lambda-then-Glue pipeline', () => {
  const root = domainRepository();
  const app = new DomainApp({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-')),
    domain: 'sales',
    owner: 'sales-data@example.com',
    costCenter: 'cc-1234',
    environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }],
    dataProductsDir: path.join(root, 'dataproducts'),
    stagesDir: path.join(root, 'src', 'stages'),
    consumerPrincipals: CONSUMER_PRINCIPALS,
  });
  for (const [stack, template] of Object.entries(templatesOf(app))) {
    test(stack, () => expect(template).toMatchSnapshot());
  }
});

describe('the templates of a platform with two registered domains', () => {
  const domains = fs.mkdtempSync(path.join(os.tmpdir(), 'domains-'));
  for (const [domain, account, repositoryId] of [['sales', '111111111111', 812345678], ['marketing', '222222222222', 812345679]]) {
    fs.writeFileSync(
      path.join(domains, `${domain}.yaml`),
      `domain: ${domain}\nrepository: acme/${domain}-data\nrepositoryId: ${repositoryId}\nrepositoryOwnerId: 9876543\nowner: ${domain}@example.com\ncostCenter: cc-1\n` +
        `environments:\n  - name: dev\n    account: "${account}"\n    region: eu-west-1\n`,
    );
  }
  const app = new PlatformApp({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-')),
    owner: 'platform@example.com',
    environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }, { name: 'prod', account: '222222222222', region: 'eu-west-1' }],
    domainsDir: domains,
  });
  for (const [stack, template] of Object.entries(templatesOf(app))) {
    test(stack, () => expect(template).toMatchSnapshot());
  }
});
