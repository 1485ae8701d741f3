import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONSUMER_PRINCIPALS } from './domain-repository';
import { DomainApp } from '../../src';
import { MESH_INDEX_COPY, MeshIndex } from '../../src/contract/mesh-index';

/** What a test's domain app differs in from the default: domain `sales` in 111111111111, eu-west-1, environment `dev`. */
export interface DomainAppOptions {
  /** The domain, whose owner is `<domain>-data@example.com`. */
  readonly domain?: string;
  /** The account and region of its one environment, `dev`. */
  readonly where?: { readonly account: string; readonly region: string };
  /** Its consumer domains' principals (default: {@link CONSUMER_PRINCIPALS}). */
  readonly consumerPrincipals?: { [domain: string]: string };
  /** The platform's governance policy file. */
  readonly governancePolicyFile?: string;
  /** The mesh index, written to the repository's `.sdlf/mesh-index.json` as `npx projen` writes it (text as is). */
  readonly meshIndex?: MeshIndex | string;
}

/** The domain app of a domain repository made by `domainRepository`, in one environment `dev`. */
export function domainAppOf(root: string, options: DomainAppOptions = {}): DomainApp {
  const domain = options.domain ?? 'sales';
  let meshIndexFile: string | undefined;
  if (options.meshIndex !== undefined) {
    meshIndexFile = path.join(root, MESH_INDEX_COPY);
    fs.mkdirSync(path.dirname(meshIndexFile), { recursive: true });
    fs.writeFileSync(meshIndexFile, typeof options.meshIndex === 'string' ? options.meshIndex : JSON.stringify(options.meshIndex));
  }
  return new DomainApp({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-')),
    domain,
    owner: `${domain}-data@example.com`,
    environments: [{ name: 'dev', ...(options.where ?? { account: '111111111111', region: 'eu-west-1' }) }],
    dataProductsDir: path.join(root, 'dataproducts'),
    stagesDir: path.join(root, 'src', 'stages'),
    consumerPrincipals: 'consumerPrincipals' in options ? options.consumerPrincipals : CONSUMER_PRINCIPALS,
    governancePolicyFile: options.governancePolicyFile,
    meshIndexFile,
  });
}
