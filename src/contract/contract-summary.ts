import * as fs from 'fs';
import { formatProblem } from './contract-problem';
import { ContractRuleOptions } from './contract-rules';
import { contractFiles, lintContract } from './lint-contract';

/**
 * What the infrastructure needs to know of one data-product contract.
 */
export interface ContractSummary {
  /** The contract file. */
  readonly file: string;
  /** The data product's name. */
  readonly dataProduct: string;
  /** The contract's version. */
  readonly version: string;
}

/**
 * Reads the data-product contracts (`*.yaml`, `*.yml`) of a folder, in file-name order, and
 * throws with every problem of every contract when one is invalid: infrastructure is never built
 * from a contract that does not lint. A folder that does not exist holds no contracts.
 */
export function readContractSummaries(dir: string, options: ContractRuleOptions = {}): ContractSummary[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  const reports = contractFiles([dir]).map((file) => lintContract(file, options));
  const problems = reports.flatMap((report) => report.problems);
  if (problems.length > 0) {
    throw new Error(`invalid data-product contracts (run: sdlf-mesh contract lint):\n${problems.map(formatProblem).join('\n')}`);
  }
  return reports.map((report) => ({ file: report.file, dataProduct: String(report.contract.dataProduct), version: String(report.contract.version) }));
}
