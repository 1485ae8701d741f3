import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PACKAGE_ROOT } from './packed-template';
import { sampleContract } from './sample-contract';
import { stageSkeletonFiles } from '../../src/projects/stage-skeletons';

const SAMPLE_STAGES = '      stages:\n        - name: light-transform\n          type: lambda\n';

/**
 * The three contracts of the domain `sales` that show every part of a domain:
 * - `customers`: PII columns and a consumer grant to another account, no pipeline;
 * - `orders`: the sample, with a Lambda stage;
 * - `shipments`: a Lambda stage chained to a Glue stage that runs in batches on a schedule.
 */
export function threeContracts(): Record<string, string> {
  const customers = sampleContract('customers')
    .replace(/  - property: sdlfPipeline\n    value:\n(.*\n){3}/, '')
    .replace('    value: []', '    value:\n      - account: "222222222222"\n        access: select');
  const shipments = sampleContract('shipments').replace(
    SAMPLE_STAGES,
    SAMPLE_STAGES + '        - name: heavy-transform\n          type: glue\n          trigger: batch\n          schedule: cron(0 2 * * ? *)\n',
  );
  return { customers, orders: sampleContract('orders'), shipments };
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
    Object.assign(files, stageSkeletonFiles('sales', files));
  }
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}
