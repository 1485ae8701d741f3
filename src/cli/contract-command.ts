import * as fs from 'fs';
import { parseArgs } from 'util';
import { InvalidOptionError } from '../config/invalid-option-error';
import { contractFiles, diffContractFiles, formatProblem, lintContracts, renderDiffMarkdown, renderDiffText } from '../contract';

export const CONTRACT_USAGE = `sdlf-mesh contract lint [paths...] [--domain <name>] [--json]
  Validates data-product contracts (default: dataproducts/) against ODCS v3.1 and the SDLF rules,
  and says what each consumer will see. Exits 1 when a contract has a problem; warnings (deprecated
  fields, quality rules nothing enforces) are printed and do not fail.

sdlf-mesh contract diff <base-ref|base-file> <file|folder> [--domain <name>] [--json] [--summary <file>]
  Classifies every change against the base (a git ref such as origin/main, or a file) as breaking
  or not. Exits 1 when a breaking change comes without a major version bump, or a contract is
  invalid. --summary appends a Markdown report to the file (e.g. $GITHUB_STEP_SUMMARY).`;

/** `sdlf-mesh contract lint|diff ...` */
export async function contractCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { domain: { type: 'string' }, json: { type: 'boolean' }, summary: { type: 'string' } },
  });
  if (verb === 'lint') {
    const reports = lintContracts(contractFiles(positionals.length ? positionals : ['dataproducts']), { domain: values.domain });
    if (values.json) {
      console.log(JSON.stringify(reports.map(({ file, problems, warnings, grants }) => ({ file, problems, warnings, grants })), null, 2));
    } else {
      for (const report of reports) {
        const warnings = report.warnings.map(formatProblem);
        console.log(report.problems.length ? [...report.problems.map(formatProblem), ...warnings].join('\n') : [`${report.file}: valid`, ...warnings, ...report.grants.map((grant) => `  ${grant}`)].join('\n'));
      }
    }
    return reports.some((report) => report.problems.length > 0) ? 1 : 0;
  }
  if (verb === 'diff') {
    const [base, target] = positionals;
    if (!base || !target) {
      throw new InvalidOptionError('diff', 'give the base and the contract: sdlf-mesh contract diff origin/main dataproducts');
    }
    const diffs = await diffContractFiles(base, target, { domain: values.domain });
    console.log(values.json ? JSON.stringify(diffs, null, 2) : renderDiffText(diffs));
    if (values.summary) {
      fs.appendFileSync(values.summary, `${renderDiffMarkdown(diffs)}\n`);
    }
    return diffs.every((diff) => diff.ok) ? 0 : 1;
  }
  console.log(CONTRACT_USAGE);
  return 2;
}
