import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DataProductStack, DomainApp, DomainAppProps, GovernanceTags } from '../../src';
import { sampleContract } from '../support/sample-contract';

function contractsDir(...products: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataproducts-'));
  for (const product of products) {
    const contract = sampleContract(product);
    fs.writeFileSync(path.join(dir, `${product}.yaml`), contract);
  }
  return dir;
}

function domainApp(props: Partial<DomainAppProps> = {}): DomainApp {
  return new DomainApp({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-')),
    domain: 'sales',
    owner: 'sales-data@example.com',
    costCenter: 'cc-1234',
    environments: [
      { name: 'dev', account: '111111111111', region: 'eu-west-1' },
      { name: 'prod', account: '222222222222', region: 'eu-west-1' },
    ],
    dataProductsDir: contractsDir('orders', 'customers'),
    ...props,
  });
}

describe('a domain app', () => {
  const app = domainApp();
  const template = Template.fromStack(app.stages[0].domainStack);

  test('has one stage per environment, its stacks in the account and region given', () => {
    const stacks = app.stages.flatMap((stage) =>
      [stage.domainStack, ...stage.dataProductStacks].map((stack) => [stage.stageName, stack.stackName, stack.account, stack.region]),
    );
    expect(stacks).toEqual([
      ['sales-dev', 'sales-dev-domain', '111111111111', 'eu-west-1'],
      ['sales-dev', 'sales-dev-dp-customers', '111111111111', 'eu-west-1'],
      ['sales-dev', 'sales-dev-dp-orders', '111111111111', 'eu-west-1'],
      ['sales-prod', 'sales-prod-domain', '222222222222', 'eu-west-1'],
      ['sales-prod', 'sales-prod-dp-customers', '222222222222', 'eu-west-1'],
      ['sales-prod', 'sales-prod-dp-orders', '222222222222', 'eu-west-1'],
    ]);
  });

  test('its stacks are the app\'s own, as the CDK CLI lists and selects them (`cdk deploy \'sales-dev/*\'`)', () => {
    // The CLI lists the stacks of the top-level assembly only: nothing may be in a nested one.
    const assembly = app.synth();
    expect(assembly.nestedAssemblies).toEqual([]);
    expect(assembly.stacks.map((stack) => stack.hierarchicalId).sort()).toEqual([
      'sales-dev/domain',
      'sales-dev/dp-customers',
      'sales-dev/dp-orders',
      'sales-prod/domain',
      'sales-prod/dp-customers',
      'sales-prod/dp-orders',
    ]);
  });

  test('reads its data products from the contracts', () => {
    expect(app.dataProducts).toEqual(['customers', 'orders']);
    expect(template.toJSON().Description).toBe('sdlf-mesh domain sales (dev), data products: customers, orders');
  });

  test('encrypts the data bucket with its own rotating key, with bucket keys', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/sdlf/sales/dev' });
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
          },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('StorageAccessLogs') }, LogFilePrefix: 'data/' },
    });
  });

  test('keeps the data when the stack goes', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.DeletionPolicy).toBe('Retain');
      }
    }
  });

  test('blocks public access and plain HTTP on every bucket', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(2);
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  test('puts each data product in its own stack, deployed after the domain stack', () => {
    const stage = app.stages[0];
    expect(stage.dataProducts.map((product) => product.node.id)).toEqual(['customers', 'orders']);
    for (const product of stage.dataProducts) {
      const stack = Stack.of(product);
      expect(stack.stackName).toBe(`sales-dev-dp-${product.node.id}`);
      expect(stack.dependencies).toEqual([stage.domainStack]);
    }
  });

  test('names a data product\'s stack apart from one whose name differs by _ and -, which stack names cannot hold', () => {
    expect(DataProductStack.idOf('order-items')).toBe('dp-order-items');
    expect(DataProductStack.idOf('order_items')).toMatch(/^dp-order-items-[0-9a-f]{6}$/);
  });

  test('tags every taggable resource of every stack with the governance tags of its environment', () => {
    for (const stage of app.stages) {
      const resources: any[] = [];
      for (const stack of [stage.domainStack, ...stage.dataProductStacks]) {
        expect(GovernanceTags.untaggedResources(stack)).toEqual([]);
        resources.push(...Object.values(Template.fromStack(stack).toJSON().Resources));
      }
      // Most resources list their tags; some (Glue Data Quality rulesets) map them.
      const tagsOf = (resource: any) =>
        Array.isArray(resource.Properties.Tags)
          ? Object.fromEntries(resource.Properties.Tags.map((tag: any) => [tag.Key, tag.Value]))
          : resource.Properties.Tags;
      const tagged = resources.filter((resource) => resource.Properties?.Tags);
      expect(tagged.map((resource) => resource.Type).sort()).toEqual([
        'AWS::Athena::WorkGroup',
        'AWS::CloudWatch::Alarm',
        'AWS::CloudWatch::Dashboard',
        'AWS::DynamoDB::Table',
        'AWS::Glue::DataQualityRuleset',
        'AWS::Glue::DataQualityRuleset',
        'AWS::KMS::Key',
        'AWS::S3::Bucket',
        'AWS::S3::Bucket',
        'AWS::SNS::Topic',
      ]);
      for (const resource of tagged) {
        expect(tagsOf(resource)).toMatchObject({
          'sdlf:domain': 'sales',
          'sdlf:owner': 'sales-data@example.com',
          'sdlf:cost-center': 'cc-1234',
          'sdlf:environment': stage.stageName.replace('sales-', ''),
          'sdlf:managed-by': 'sdlf-mesh',
        });
      }
      const rulesets = tagged.filter((resource) => resource.Type === 'AWS::Glue::DataQualityRuleset');
      expect(rulesets.map((resource) => tagsOf(resource)['sdlf:data-product']).sort()).toEqual(['customers', 'orders']);
      expect(rulesets.map((resource) => tagsOf(resource)['sdlf:classification'])).toEqual(['restricted', 'restricted']);
    }
  });
});

test('a governance tag wins over a tag set elsewhere with the same key', () => {
  const app = domainApp();
  Tags.of(app.stages[0]).add('sdlf:owner', 'someone-else');
  Template.fromStack(app.stages[0].domainStack).hasResourceProperties('AWS::KMS::Key', {
    Tags: Match.arrayWith([{ Key: 'sdlf:owner', Value: 'sales-data@example.com' }]),
  });
});

test('a stack outside the domain stages is reported as untagged', () => {
  const app = domainApp();
  const stray = new Stack(app, 'stray');
  new sqs.Queue(stray, 'Queue');
  expect(GovernanceTags.untaggedResources(stray)).toEqual([
    expect.stringMatching(/^Queue\w+ \(AWS::SQS::Queue\): missing sdlf:domain, sdlf:owner, sdlf:cost-center, sdlf:environment, sdlf:managed-by$/),
  ]);
});

test('a folder without contracts gives a domain with no data products', () => {
  expect(domainApp({ dataProductsDir: path.join(os.tmpdir(), 'no-such-folder') }).dataProducts).toEqual([]);
});

test.each([
  [{ domain: 'Sales' }, /Invalid option "domain"/],
  [{ owner: 'owner<script>' }, /Invalid option "owner": "owner<script>" cannot be an AWS tag value/],
  [{ environments: [] }, /Invalid option "environments": give at least one environment/],
  [{ environments: [{ name: 'dev', region: 'mars-1' }] }, /Invalid option "environments\[0\]": region "mars-1"/],
  [{ environments: [{ name: 'dev' }, { name: 'dev' }] }, /Invalid option "environments\[1\]": environment "dev" is given twice/],
])('bad props %j are refused with the prop and the fix', (props, message) => {
  expect(() => domainApp(props)).toThrow(message);
});

test('the platform policy file applies to every stack of the domain: a region it does not allow fails the synth', () => {
  const policy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'policy-')), 'governance-policy.yaml');
  fs.writeFileSync(policy, 'allowedRegions: [eu-central-1]\n');
  const app = domainApp({ governancePolicyFile: policy, environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }] });
  const breaches = app.stages[0].node.findAll().filter(Stack.isStack).map((stack) =>
    Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('allowed-regions')).length);
  expect(breaches.every((count) => count > 0)).toBe(true);

  fs.writeFileSync(policy, 'allowedRegions: [eu-west-1]\n');
  const allowed = domainApp({ governancePolicyFile: policy, environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }] });
  expect(Annotations.fromStack(allowed.stages[0].domainStack).findError('*', Match.stringLikeRegexp('sdlf-policy'))).toEqual([]);
});

test('a missing platform policy file is an error, not a policy switched off', () => {
  expect(() => domainApp({ governancePolicyFile: path.join(os.tmpdir(), 'no-such-policy.yaml') })).toThrow(
    /Invalid option "governancePolicyFile": .*no-such-policy\.yaml is missing: restore the platform's governance policy there/,
  );
});

test('an invalid contract stops the synth with its problems', () => {
  const dir = contractsDir('orders');
  fs.writeFileSync(path.join(dir, 'broken.yaml'), 'name: [unclosed\n');
  expect(() => domainApp({ dataProductsDir: dir })).toThrow(/invalid data-product contracts \(run: sdlf-mesh contract lint\):\n.*broken\.yaml:\d+:\d+: not valid YAML/);
});

test('a contract of another domain stops the synth', () => {
  expect(() => domainApp({ domain: 'finance', dataProductsDir: contractsDir('orders') })).toThrow(/the contract is for domain "sales" but lives in the repository of domain "finance"/);
});

describe('consumers of the contracts', () => {
  const role = 'arn:aws:iam::333333333333:role/marketing-analysts';
  const withConsumers = (...consumers: string[]) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataproducts-'));
    fs.writeFileSync(path.join(dir, 'orders.yaml'), sampleContract().replace('    value: []', `    value:\n${consumers.join('\n')}`));
    return dir;
  };

  test('a consumer domain without a principal stops the synth at its line, with the fix', () => {
    expect(() => domainApp({ dataProductsDir: withConsumers('      - domain: marketing', '        access: select') })).toThrow(
      /orders\.yaml:\d+:\d+: customProperties\[1\]\.value\[0\]\.domain: consumer domain "marketing" has no Lake Formation principal.*\(name it in consumerPrincipals of \.projenrc\.ts/,
    );
  });

  test('an account the platform\'s policy file does not allow stops the synth; one it allows is granted without the PII column', () => {
    const policy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'policy-')), 'governance-policy.yaml');
    fs.writeFileSync(policy, "allowedConsumers:\n  accounts: ['444444444444']\n");
    const dataProductsDir = withConsumers('      - account: "555555555555"', '        access: select');
    expect(() => domainApp({ dataProductsDir, governancePolicyFile: policy })).toThrow(
      /value\[0\]\.account: account "555555555555" is not a consumer the platform's governance policy allows \(allowedConsumers\.accounts: 444444444444\)/,
    );
    const app = domainApp({
      dataProductsDir: withConsumers('      - account: "444444444444"', '        access: select', '      - domain: marketing', '        access: select'),
      governancePolicyFile: policy,
      consumerPrincipals: { marketing: role },
    });
    const grants = Template.fromStack(app.stages[0].dataProductStacks[0]).findResources('AWS::LakeFormation::PrincipalPermissions');
    const covered = Object.values(grants).map(({ Properties: grant }: any) => [
      grant.Principal.DataLakePrincipalIdentifier,
      grant.Resource.TableWithColumns.ColumnNames,
    ]);
    expect(covered).toEqual([
      ['444444444444', ['order_id', 'order_total', 'currency', 'ordered_at']],
      [role, ['order_id', 'order_total', 'currency', 'ordered_at']],
    ]);
  });

  test('a principal that is not an account or a role is refused before anything is built', () => {
    expect(() => domainApp({ consumerPrincipals: { marketing: 'arn:aws:iam::333333333333:user/bob' } })).toThrow(
      /Invalid option "consumerPrincipals\.marketing": "arn:aws:iam::333333333333:user\/bob" is not a Lake Formation principal/,
    );
  });
});

test('a domain of 200 data products synthesizes, a stack each, far from the 500-resource limit', () => {
  const names = Array.from({ length: 200 }, (_, i) => `product_${String(i).padStart(3, '0')}`);
  const app = domainApp({ environments: [{ name: 'dev' }], dataProductsDir: contractsDir(...names) });
  const assembly = app.synth();
  const stacks = assembly.stacks;
  expect(stacks.length).toBe(201);
  const sizes = stacks.map((stack) => Object.keys(stack.template.Resources).length);
  expect(Math.max(...sizes)).toBeLessThan(100);
  expect(stacks.find((stack) => stack.stackName === 'sales-dev-domain')!.template.Description).toBe('sdlf-mesh domain sales (dev), 200 data products');
  expect(app.stages[0].dataProducts).toHaveLength(200);
});

test('the longest domain, environment and data-product names give resource names within AWS limits', () => {
  const domain = 'customer-experience-emea'; // 24 characters, the longest domain name
  const product = 'a'.repeat(40); // the longest data-product name
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataproducts-'));
  fs.writeFileSync(path.join(dir, `${product}.yaml`), sampleContract(product).replace(/domain: sales/g, `domain: ${domain}`).replace('name: sales\n', `name: ${domain}\n`));
  const app = domainApp({ domain, environments: [{ name: 'production', account: '111111111111', region: 'ap-southeast-2' }], dataProductsDir: dir });
  const stage = app.stages[0];
  const templates = [stage.domainStack, ...stage.dataProductStacks].map((stack) => Template.fromStack(stack).toJSON());
  const names = (type: string, pick: (properties: any) => string) =>
    templates.flatMap((template) => Object.values<any>(template.Resources).filter((r) => r.Type === type).map((r) => pick(r.Properties)));
  const limits: Array<[string, (properties: any) => string, number]> = [
    ['AWS::Glue::Database', (p) => p.DatabaseInput.Name, 255],
    ['AWS::Glue::Table', (p) => p.TableInput.Name, 255],
    ['AWS::Glue::DataQualityRuleset', (p) => p.Name, 255],
    ['AWS::Athena::WorkGroup', (p) => p.Name, 128],
    ['AWS::Budgets::Budget', (p) => p.Budget.BudgetName, 100],
    ['AWS::CloudWatch::Dashboard', (p) => p.DashboardName, 255],
    ['AWS::KMS::Alias', (p) => p.AliasName, 256],
  ];
  for (const [type, pick, limit] of limits) {
    const found = names(type, pick);
    expect(found.length).toBeGreaterThan(0);
    for (const name of found) {
      expect(name.length).toBeLessThanOrEqual(limit);
    }
  }
  expect(stage.dataProductStacks.every((stack) => stack.stackName.length <= 128)).toBe(true);
  expect(names('AWS::Glue::Database', (p) => p.DatabaseInput.Name)).toEqual([`customer_experience_emea_production_${product}`]);
});
