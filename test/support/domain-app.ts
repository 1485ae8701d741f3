import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONSUMER_PRINCIPALS } from './domain-repository';
import { DomainApp } from '../../src';

/** The domain app of a domain repository made by `domainRepository`: domain `sales`, one environment `dev`. */
export function domainAppOf(root: string): DomainApp {
  return new DomainApp({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-')),
    domain: 'sales',
    owner: 'sales-data@example.com',
    environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }],
    dataProductsDir: path.join(root, 'dataproducts'),
    stagesDir: path.join(root, 'src', 'stages'),
    consumerPrincipals: CONSUMER_PRINCIPALS,
  });
}
