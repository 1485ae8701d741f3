import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PACKAGE_ROOT } from './packed-template';
import { sampleContract } from './sample-contract';
import { lintContractText } from '../../src/contract/lint-contract';
import { stageSkeletonFiles } from '../../src/projects/stage-skeletons';

const SAMPLE_STAGES = '      stages:\n        - name: light-transform\n          type: lambda\n';

/** The kinds of data product {@link contractOfKind} writes. */
export type ContractKind = 'grant' | 'lambda' | 'lambda-glue';

/** The consumer domain of the `grant` contracts, and the principal the domain app resolves it to. */
export const CONSUMER_PRINCIPALS = { marketing: '222222222222' };

/**
 * A contract of domain `sales` of one kind: `grant` has PII columns and a consumer grant to the
 * domain `marketing` (see {@link CONSUMER_PRINCIPALS}) and no pipeline; `lambda` is the sample, with a Lambda stage; `lambda-glue` chains a
 * Lambda stage to a Glue stage that runs in batches on a schedule.
 */
export function contractOfKind(kind: ContractKind, dataProduct: string): string {
  const sample = sampleContract(dataProduct);
  switch (kind) {
    case 'grant':
      return sample
        .replace(/  - property: sdlfPipeline\n    value:\n(.*\n){3}/, '')
        .replace('    value: []', '    value:\n      - domain: marketing\n        access: select');
    case 'lambda':
      return sample;
    case 'lambda-glue':
      return sample.replace(
        SAMPLE_STAGES,
        SAMPLE_STAGES + '        - name: heavy-transform\n          type: glue\n          trigger: batch\n          schedule: cron(0 2 * * ? *)\n',
      );
  }
}

/** The three contracts that show every part of a domain: `customers` (grant), `orders` (lambda), `shipments` (lambda-glue). */
export function threeContracts(): Record<string, string> {
  return { customers: contractOfKind('grant', 'customers'), orders: contractOfKind('lambda', 'orders'), shipments: contractOfKind('lambda-glue', 'shipments') };
}

/**
 * A domain repository's folders in a temporary directory: the contracts under `dataproducts/`,
 * the stage skeletons `npx projen` would write for them, and a lockfile. Its `node_modules` is
 * this package's, for esbuild, as a generated repository's own install provides it.
 */
export function domainRepository(contracts: Record<string, string> = threeContracts(), options: { withStageCode?: boolean } = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'domain-repo-'));
  fs.writeFileSync(path.join(root, 'package-lock.json'), '{}');
  fs.symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  const files: Record<string, string> = Object.fromEntries(Object.entries(contracts).map(([name, text]) => [`dataproducts/${name}.yaml`, text]));
  if (options.withStageCode ?? true) {
    Object.assign(files, stageSkeletonFiles(Object.entries(files).map(([file, text]) => lintContractText(file, text, { domain: 'sales' }).contract!)));
  }
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}
