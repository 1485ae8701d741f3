import * as fs from 'fs';
import { ConsumerAllowList } from './consumer-allow-list';
import { formatProblem } from '../contract/contract-problem';
import { contractFiles, lintContract } from '../contract/lint-contract';

/**
 * Options of {@link DataContract.fromFile}.
 */
export interface DataContractOptions {
  /**
   * The domain the contract must belong to.
   *
   * @default - any domain
   */
  readonly domain?: string;

  /**
   * Principals (account ID or role ARN) of the consumer domains the contracts grant to. Given
   * this or `allowedConsumers`, every consumer must be allowed and a domain must have a principal,
   * or the contract is refused.
   *
   * @default - consumers are not checked here (the data product checks them at synthesis)
   */
  readonly consumerPrincipals?: { [domain: string]: string };

  /**
   * The consumers the platform's governance policy allows (see `consumerPrincipals`).
   *
   * @default - the baseline when consumers are checked: any domain, no account, no role
   */
  readonly allowedConsumers?: ConsumerAllowList;
}

/**
 * A data-product contract (`dataproducts/<name>.yaml`, Open Data Contract Standard v3.1) that
 * passed lint: the source everything of a data product is built from.
 *
 * @example
 * const contract = DataContract.fromFile('dataproducts/orders.yaml', { domain: 'sales' });
 */
export class DataContract {
  /**
   * Reads and lints a contract; throws with every problem of the file when it is invalid, so no
   * infrastructure is built from a contract that does not lint.
   */
  public static fromFile(file: string, options: DataContractOptions = {}): DataContract {
    return DataContract.fromFiles([file], options)[0];
  }

  /**
   * The contracts (`*.yaml`, `*.yml`) of a folder in file-name order; none when the folder does
   * not exist. Throws with every problem of every invalid contract.
   */
  public static fromFolder(dir: string, options: DataContractOptions = {}): DataContract[] {
    return fs.existsSync(dir) ? DataContract.fromFiles(contractFiles([dir]), options) : [];
  }

  private static fromFiles(files: string[], options: DataContractOptions): DataContract[] {
    const checkConsumers = options.consumerPrincipals !== undefined || options.allowedConsumers !== undefined;
    const consumers = checkConsumers ? { principals: options.consumerPrincipals, allowed: options.allowedConsumers } : undefined;
    const reports = files.map((file) => lintContract(file, { domain: options.domain, consumers }));
    const problems = reports.flatMap((report) => report.problems);
    if (problems.length > 0) {
      throw new Error(`invalid data-product contracts (run: sdlf-mesh contract lint):\n${problems.map(formatProblem).join('\n')}`);
    }
    return reports.map((report) => new DataContract(report.file, report.contract));
  }

  /** The data product's name (`dataProduct`). */
  public readonly dataProduct: string;

  /** The contract's semantic version. */
  public readonly version: string;

  /** The domain the data product belongs to. */
  public readonly domain: string;

  /** The lifecycle status (`active`, `deprecated`, ...). */
  public readonly status: string;

  private constructor(
    /** The contract file. */
    public readonly file: string,
    /** @internal the linted contract document */
    public readonly _document: any,
  ) {
    this.dataProduct = String(_document.dataProduct);
    this.version = String(_document.version);
    this.domain = String(_document.domain ?? '');
    this.status = String(_document.status);
  }
}
