/**
 * The logical IDs of repeated children say what each child is (a grant: its principal, its
 * permission, the columns it names; a lake location: its bucket), never when it was made or where
 * it sits in a list. Reordering or removing grants, in code or in the contract's consumers, or lake
 * buckets, leaves every other logical ID and its properties as they were: CloudFormation replaces
 * nothing that did not change (a Lake Formation grant replaced under another logical ID is granted
 * again and then revoked with the old one, and the consumer loses access).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataContract, DataProduct, DomainIdentity, GitHubOidcProvider } from '../../src';
import { sampleContract } from '../support/sample-contract';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const MARKETING = 'arn:aws:iam::333333333333:role/marketing-analysts';
const FRAUD = 'arn:aws:iam::444444444444:role/risk/fraud-analysts';

type Resources = Record<string, { Type: string; Properties?: any; DependsOn?: string[]; Metadata?: any }>;

/**
 * The resources of a stack, with the statements of each IAM policy in a fixed order: two grants to
 * one role add their statements in the order they were made, which changes nothing deployed.
 */
function resourcesOf(stack: Stack): Resources {
  const resources: Resources = Template.fromStack(stack).toJSON().Resources;
  for (const resource of Object.values(resources)) {
    const document = resource.Type === 'AWS::IAM::Policy' ? resource.Properties.PolicyDocument : undefined;
    document?.Statement.sort((a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return resources;
}

const ofType = (resources: Resources, type: string) => Object.fromEntries(Object.entries(resources).filter(([, resource]) => resource.Type === type));
const lakeGrants = (resources: Resources) => ofType(resources, 'AWS::LakeFormation::PrincipalPermissions');

/**
 * What removing one grant may change: its own Lake Formation grants go, and the grantee's identity
 * policy loses its statements; every other resource keeps its logical ID and properties.
 */
function expectOnlyRemoved(before: Resources, after: Resources, removedGrants: number) {
  const gone = Object.keys(before).filter((id) => !(id in after));
  expect(Object.keys(after).filter((id) => !(id in before))).toEqual([]);
  expect(gone.filter((id) => before[id].Type === 'AWS::LakeFormation::PrincipalPermissions')).toHaveLength(removedGrants);
  expect(gone.filter((id) => !['AWS::LakeFormation::PrincipalPermissions', 'AWS::IAM::Policy'].includes(before[id].Type))).toEqual([]);
  for (const [id, resource] of Object.entries(after)) {
    if (resource.Type !== 'AWS::IAM::Policy') {
      expect({ [id]: resource }).toEqual({ [id]: before[id] });
    }
  }
}

/** A logical ID as CloudFormation takes it: letters and digits, at most 255. */
const LOGICAL_ID = /^[A-Za-z][A-Za-z0-9]{0,254}$/;

function contractFile(text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stable-ids-')), 'orders.yaml');
  fs.writeFileSync(file, text);
  return file;
}

describe('grants made in code', () => {
  type Grantees = ReturnType<typeof grantees>;

  /** Who is granted: roles of the stack, a role imported by a token ARN, principals without a construct. */
  function grantees(stack: Stack) {
    const role = (id: string) => new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal() });
    return {
      analysts: role('Analysts'),
      auditors: role('Auditors'),
      partner: iam.Role.fromRoleArn(stack, 'Partner', Fn.importValue('partner-role-arn')),
      imported: new iam.ArnPrincipal(Fn.importValue('reporting-role-arn')),
      account: new iam.AccountPrincipal('222222222222'),
    };
  }

  /** The grants, each made by one call; the same principal twice with other permissions or columns. */
  const CALLS: Record<string, (product: DataProduct, to: Grantees) => void> = {
    'read': (product, to) => product.grantRead(to.analysts),
    'describe, same principal': (product, to) => product.grantDescribe(to.analysts),
    'read of named columns, same principal': (product, to) => product.grantRead(to.analysts, ['orders.customer_email', 'orders.order_id']),
    'read of other columns, same principal': (product, to) => product.grantRead(to.analysts, ['orders.order_id']),
    'read, another role': (product, to) => product.grantRead(to.auditors),
    'read, an imported role': (product, to) => product.grantRead(to.partner),
    'read, a token principal': (product, to) => product.grantRead(to.imported),
    'describe, an account': (product, to) => product.grantDescribe(to.account),
  };

  function synth(calls: string[]): Resources {
    const stack = new Stack(new App(), 'sales-dev', { env: ENV });
    const product = new DataProduct(stack, 'orders', {
      contract: DataContract.fromFile(contractFile(sampleContract()), { domain: 'sales' }),
      environment: 'dev',
      owner: 'sales-data@example.com',
      bucket: new s3.Bucket(stack, 'Bucket'),
    });
    const to = grantees(stack);
    for (const call of calls) {
      CALLS[call](product, to);
    }
    return resourcesOf(stack);
  }

  const names = Object.keys(CALLS);
  const all = synth(names);

  test('each grant has a logical ID of its own, valid, and readable where its principal is', () => {
    const ids = Object.keys(lakeGrants(all));
    expect(ids).toHaveLength(names.length);
    for (const id of ids) {
      expect(id).toMatch(LOGICAL_ID);
    }
    expect(ids.filter((id) => id.startsWith('ordersReadAnalysts'))).toHaveLength(3);
    expect(ids.filter((id) => id.startsWith('ordersDescribeAnalysts'))).toHaveLength(1);
    expect(ids.filter((id) => id.startsWith('ordersDescribeaccount222222222222orders'))).toHaveLength(1);
  });

  test('in any order, every logical ID and every resource are the same', () => {
    expect(synth([...names].reverse())).toEqual(all);
    expect(synth([...names.slice(3), ...names.slice(0, 3)])).toEqual(all);
  });

  test.each(names)('without the grant "%s", no other logical ID or resource changes', (removed) => {
    expectOnlyRemoved(all, synth(names.filter((name) => name !== removed)), 1);
  });

  test('a grant made twice is one grant', () => {
    expect(synth([...names, 'read', 'describe, an account', 'read of named columns, same principal'])).toEqual(all);
  });
});

describe('grants to the consumers of the contract', () => {
  /** The consumers, each as its fields separated by `; `: one domain with three grants, an account, a role. */
  const CONSUMERS = [
    'domain: marketing; access: select',
    'domain: marketing; access: describe',
    'domain: marketing; access: select; columns: [orders.order_id, orders.customer_email]',
    'account: "222222222222"; access: describe',
    `role: ${FRAUD}; access: select; columns: [orders]`,
  ];

  function synth(consumers: string[]): Resources {
    const listed = consumers.map((consumer) => `      - ${consumer.replace(/; /g, '\n        ')}`).join('\n');
    const stack = new Stack(new App(), 'sales-dev', { env: ENV });
    new DataProduct(stack, 'orders', {
      contract: DataContract.fromFile(contractFile(sampleContract().replace('    value: []', `    value:\n${listed}`)), { domain: 'sales' }),
      environment: 'dev',
      owner: 'sales-data@example.com',
      bucket: new s3.Bucket(stack, 'Bucket'),
      consumerPrincipals: { marketing: MARKETING },
      allowedConsumers: { accounts: ['222222222222'], roles: [FRAUD] },
    });
    return resourcesOf(stack);
  }

  const all = synth(CONSUMERS);

  test('each consumer\'s grant is named after the consumer and its access', () => {
    const ids = Object.keys(lakeGrants(all)).sort();
    expect(ids).toHaveLength(CONSUMERS.length);
    // CDK ends each with a hash of the path; the columns a consumer names are a short hash too.
    expect(ids.map((id) => id.replace(/[0-9A-F]{8}$/, '').replace(/[0-9a-f]{8}(?=orders$)/, '<columns>'))).toEqual([
      'ordersGrantaccount222222222222describeorders',
      'ordersGrantdomainmarketingdescribeorders',
      'ordersGrantdomainmarketingselect<columns>orders',
      'ordersGrantdomainmarketingselectorders',
      'ordersGrantrole444444444444fraudanalystsselect<columns>orders',
    ]);
  });

  test('in any order of sdlfConsumers, every logical ID and every resource are the same', () => {
    expect(synth([...CONSUMERS].reverse())).toEqual(all);
    expect(synth([...CONSUMERS.slice(2), ...CONSUMERS.slice(0, 2)])).toEqual(all);
  });

  test.each(CONSUMERS)('without the consumer "%s", no other logical ID or resource changes', (removed) => {
    expectOnlyRemoved(all, synth(CONSUMERS.filter((consumer) => consumer !== removed)), 1);
  });
});

test('the lake locations of a domain identity are named after their buckets: a bucket reordered or removed moves no other', () => {
  function synth(buckets: string[]): Resources {
    const stack = new Stack(new App(), 'platform-dev-identity', { env: ENV });
    const lake = Object.fromEntries(['Raw', 'Stage', 'Analytics'].map((name) => [name, s3.Bucket.fromBucketName(stack, name, `platform-dev-${name.toLowerCase()}`)]));
    new DomainIdentity(stack, 'sales-dev', {
      domain: 'sales',
      environment: 'dev',
      repository: 'acme/sales-data',
      oidcProvider: new GitHubOidcProvider(stack, 'GitHub'),
      lakeBuckets: buckets.map((name) => lake[name]),
    });
    return resourcesOf(stack);
  }
  const all = synth(['Raw', 'Stage', 'Analytics']);
  expect(Object.keys(lakeGrants(all)).filter((id) => id.includes('LakeLocation')).map((id) => id.replace(/[0-9a-f]{8}[0-9A-F]{8}$/, ''))).toEqual([
    'salesdevLakeLocationRaw',
    'salesdevLakeLocationStage',
    'salesdevLakeLocationAnalytics',
  ]);
  expect(synth(['Analytics', 'Raw', 'Stage'])).toEqual(all);
  expectOnlyRemoved(all, synth(['Stage', 'Analytics']), 1);
});
