import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SdlfPlatformProject, SdlfPlatformProjectOptions } from '../../src';

/** The platform project `data-platform` with two environments, as `projen new` creates it, in `outdir` (not synthesized). */
export function platformProject(options: Partial<SdlfPlatformProjectOptions> = {}, outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-platform-'))) {
  return new SdlfPlatformProject({
    name: 'data-platform',
    defaultReleaseBranch: 'main',
    cdkVersion: '2.200.0',
    owner: '@acme/data-platform',
    environments: ['dev:111111111111:eu-west-1', 'prod:222222222222:eu-west-1'],
    lakeAdmins: ['arn:aws:iam::111111111111:role/platform-admin'],
    outdir,
    ...options,
  });
}
