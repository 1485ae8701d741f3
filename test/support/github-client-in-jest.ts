import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { PACKAGE_ROOT } from './packed-template';
import type { createGitHubClient as CreateGitHubClient } from '../../src/github/github-client';

let loaded: typeof CreateGitHubClient | undefined;

/**
 * The real `createGitHubClient` (Octokit with the retry and throttling plugins), loadable in a
 * Jest test. Octokit is ESM-only and the client loads it with `import()`, which Jest's CommonJS
 * module system cannot run; esbuild bundles `src/github/github-client.ts` with Octokit into one
 * CommonJS file instead (it resolves the static `import()` calls into the bundle), so the steps
 * run in the test's process against the stand-in, with the same client code as the command.
 */
export function createGitHubClientInJest(): typeof CreateGitHubClient {
  if (!loaded) {
    const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'github-client-')), 'github-client.js');
    buildSync({
      entryPoints: [path.join(PACKAGE_ROOT, 'src', 'github', 'github-client.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      logLevel: 'error',
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = (require(outfile) as { createGitHubClient: typeof CreateGitHubClient }).createGitHubClient;
  }
  return loaded;
}
