import * as fs from 'fs';
import * as path from 'path';
import { consumerGrants, explainGrant } from './consumer-grants';
import { Contract, toContract } from './contract';
import { ContractDocument } from './contract-document';
import { ContractProblem } from './contract-problem';
import { schemaProblems } from './contract-schemas';
import { ContractDocumentData } from './odcs-definitions';
import { ContractRuleOptions, RepositoryContract, repositoryProblems, ruleProblems } from './rules';

/** What linting one contract found. */
export interface ContractReport {
  readonly file: string;
  /** The contract, typed, when it is valid. */
  readonly contract?: Contract;
  /** Every error, in file order: empty when the contract is valid. */
  readonly problems: ContractProblem[];
  /** What deserves a look without making the contract invalid (deprecated fields, unenforced quality rules). */
  readonly warnings: ContractProblem[];
  /** What lint could not check, and how it could (the inputs, without a mesh index). */
  readonly notes: ContractProblem[];
  /** What each consumer will see, one line each (empty when the contract is not valid). */
  readonly grants: string[];
}

/**
 * Lints one contract: YAML first, then the contract schema (the standard and the SDLF
 * extensions), then the SDLF rules. All problems of the file come back at once; nothing is thrown
 * for bad input. A valid contract's report says what each consumer will see.
 */
export function lintContract(file: string, options: ContractRuleOptions = {}): ContractReport {
  return lintDocument(ContractDocument.read(file), options);
}

/** Lints contract text that is not a file of its own (e.g. the version of a base branch). */
export function lintContractText(file: string, text: string, options: ContractRuleOptions = {}): ContractReport {
  return lintDocument(ContractDocument.parse(file, text), options);
}

/**
 * Lints a contract's bytes as a source read them (a repository's blob, a file of the contents
 * API): not UTF-8 or over the size limit is a problem like any other.
 */
export function lintContractBytes(file: string, bytes: Uint8Array, options: ContractRuleOptions = {}): ContractReport {
  return lintDocument(ContractDocument.decode(file, bytes), options);
}

/** Lints a parsed contract document (one that a source could not read holds only that problem). */
export function lintDocument(document: ContractDocument, options: ContractRuleOptions = {}): ContractReport {
  if (document.problems.length > 0) {
    return { file: document.file, problems: document.problems, warnings: [], notes: [], grants: [] };
  }
  const found = schemaProblems(document);
  // The rules assume the shapes the schema guarantees.
  if (found.length === 0) {
    found.push(...ruleProblems(document, options));
  }
  found.sort((a, b) => a.line - b.line || a.column - b.column);
  const problems = found.filter((problem) => problem.severity === undefined);
  const warnings = found.filter((problem) => problem.severity === 'warning');
  const notes = found.filter((problem) => problem.severity === 'note');
  if (problems.length > 0) {
    return { file: document.file, problems, warnings, notes, grants: [] };
  }
  const contract = toContract(document.file, document.data as ContractDocumentData);
  return { file: document.file, contract, problems, warnings, notes, grants: consumerGrants(contract).map(explainGrant) };
}

/** A base version of a contract, to compare a change with. */
export interface BaseContract {
  readonly contract?: Contract;
  /** Why the base cannot be compared with: it does not fit the contract schema. */
  readonly problems: ContractProblem[];
}

/**
 * The base version of a contract, checked against the contract schema only: the SDLF rules may
 * have grown since it was merged, and a diff needs only its shapes.
 */
export function baseContract(document: ContractDocument): BaseContract {
  const problems = document.problems.length > 0 ? document.problems : schemaProblems(document);
  if (problems.length > 0) {
    return { problems: problems.map((problem) => ({ ...problem, message: `the base version: ${problem.message}` })) };
  }
  return { contract: toContract(document.file, document.data as ContractDocumentData), problems: [] };
}

/**
 * Lints the contracts of one repository together: each on its own, then with the rules only the
 * set can break, that no two files are the same data product or carry the same `id` (their docs
 * pages, stacks and databases would collide). The later file of such a pair is the invalid one.
 */
export function lintContractSet(documents: ContractDocument[], options: ContractRuleOptions = {}): ContractReport[] {
  const earlier: RepositoryContract[] = [];
  return documents.map((document) => {
    const report = lintDocument(document, options);
    if (!report.contract) {
      return report;
    }
    const current = { file: report.file, contract: report.contract };
    const duplicates = repositoryProblems(document, current, earlier);
    earlier.push(current);
    return duplicates.length === 0 ? report : { ...report, contract: undefined, problems: duplicates, grants: [] };
  });
}

/** Lints contract files together: see {@link lintContractSet}. */
export function lintContracts(files: string[], options: ContractRuleOptions = {}): ContractReport[] {
  return lintContractSet(files.map((file) => ContractDocument.read(file)), options);
}

/**
 * The contract files of the given paths: files as they are, folders by their `*.yaml` / `*.yml`
 * files, in name order. A path that does not exist is an error that names it.
 */
export function contractFiles(paths: string[]): string[] {
  return paths.flatMap((given) => {
    if (!fs.existsSync(given)) {
      throw new Error(`${given}: no such file or folder`);
    }
    if (fs.statSync(given).isDirectory()) {
      return fs
        .readdirSync(given)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) => path.join(given, name));
    }
    return [given];
  });
}
