import * as fs from 'fs';
import * as path from 'path';
import { consumerGrants, explainGrant } from './consumer-grants';
import { ContractDocument } from './contract-document';
import { ContractProblem } from './contract-problem';
import { ContractRuleOptions, ruleProblems } from './contract-rules';
import { schemaProblems } from './contract-schemas';

/** What linting one contract found. */
export interface ContractReport {
  readonly file: string;
  /** The contract, when it could be read. */
  readonly contract?: any;
  /** Every problem, in file order: empty when the contract is valid. */
  readonly problems: ContractProblem[];
  /** What each consumer will see, one line each (empty when the contract is not valid). */
  readonly grants: string[];
}

/**
 * Lints one contract: YAML first, then the ODCS and SDLF schemas, then the semantic rules. All
 * problems of the file come back at once; nothing is thrown for bad input. A valid contract's
 * report says what each consumer will see.
 */
export function lintContract(file: string, options: ContractRuleOptions = {}): ContractReport {
  const document = ContractDocument.read(file);
  return lintDocument(document, options);
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
    return { file: document.file, problems: document.problems, grants: [] };
  }
  const problems = schemaProblems(document);
  // The rules assume the shapes the schema guarantees.
  if (problems.length === 0) {
    problems.push(...ruleProblems(document, options));
  }
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  const grants = problems.length === 0 ? consumerGrants(document.data).map(explainGrant) : [];
  return { file: document.file, contract: document.data, problems, grants };
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
