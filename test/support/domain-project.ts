import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SdlfDomainProject, SdlfDomainProjectOptions } from '../../src';

/** A new, empty folder for a project. */
export function newProjectDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-domain-'));
}

/** The domain project `sales` with two environments, as `projen new` creates it, in `outdir` (not synthesized). */
export function domainProject(options: Partial<SdlfDomainProjectOptions> = {}, outdir = newProjectDir()): SdlfDomainProject {
  return new SdlfDomainProject({
    name: 'sales',
    defaultReleaseBranch: 'main',
    cdkVersion: '2.200.0',
    // As projen new writes it.
    projenrcTs: true,
    domain: 'sales',
    owner: 'sales-data@example.com',
    costCenter: 'cc-1234',
    environments: ['dev:111111111111:eu-west-1', 'prod:222222222222:eu-west-1'],
    outdir,
    ...options,
  });
}
