import { Component, Project } from 'projen';
import { Contract } from '../contract/contract';
import { ContractDocument } from '../contract/contract-document';
import { lintContractSet } from '../contract/lint-contract';

/**
 * The data-product contracts of a domain repository, parsed and linted once a synth: the docs
 * pages and the stage skeletons are made of the valid ones, while the managed files of an invalid
 * one stay as its last valid version made them; `npx projen contract:lint` (which the build runs
 * first) says what is wrong with it.
 */
export class DomainContracts extends Component {
  /** The files of the valid contracts, relative to the project. */
  public readonly files: string[];

  /** The data products of the valid contracts. */
  public readonly dataProducts: string[];

  /** The files of the contracts that are not valid. */
  public readonly invalidFiles: string[];

  /** @internal the valid contracts, typed */
  public readonly _contracts: Contract[];

  /**
   * @param domain the repository's domain: every contract must belong to it
   * @param texts the contract files' text by path, relative to the project
   */
  constructor(project: Project, domain: string, texts: Record<string, string>) {
    super(project);
    const reports = lintContractSet(Object.entries(texts).map(([file, text]) => ContractDocument.parse(file, text)), { domain });
    this._contracts = reports.flatMap((report) => report.contract ?? []);
    this.files = this._contracts.map((contract) => contract.file);
    this.dataProducts = this._contracts.map((contract) => contract.dataProduct);
    this.invalidFiles = reports.filter((report) => !report.contract).map((report) => report.file);
    for (const file of this.invalidFiles) {
      project.logger.warn(`${file}: the contract is invalid, so its docs page and stage tests stay as its last valid version made them, and no new stage skeleton is written, until it is valid (npx projen contract:lint)`);
    }
  }
}
