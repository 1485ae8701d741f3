import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';

/**
 * What the infrastructure needs to know of one data-product contract.
 */
export interface ContractSummary {
  /** The contract file. */
  readonly file: string;
  /** The data product's name (`dataProduct`, else `name`, else the file name). */
  readonly dataProduct: string;
  /** The contract's version. */
  readonly version?: string;
}

/**
 * Reads the data-product contracts (`*.yaml`, `*.yml`) of a folder, in file-name order.
 * A folder that does not exist holds no contracts.
 */
export function readContractSummaries(dir: string): ContractSummary[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => readContractSummary(path.join(dir, name)));
}

function readContractSummary(file: string): ContractSummary {
  const document = parseDocument(fs.readFileSync(file, 'utf8'), { uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new Error(`${file}: not valid YAML: ${document.errors[0].message}`);
  }
  const contract = document.toJS() ?? {};
  if (typeof contract !== 'object' || Array.isArray(contract)) {
    throw new Error(`${file}: a data-product contract is a YAML mapping (apiVersion, kind, id, name, ...)`);
  }
  const dataProduct = contract.dataProduct ?? contract.name ?? path.basename(file).replace(/\.ya?ml$/, '');
  return { file, dataProduct: String(dataProduct), version: contract.version === undefined ? undefined : String(contract.version) };
}
