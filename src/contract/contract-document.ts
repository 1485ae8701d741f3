import * as fs from 'fs';
import { Document, isMap, isPair, isScalar, LineCounter, Node, parseDocument } from 'yaml';
import { ContractProblem } from './contract-problem';

/** Largest contract file read: a contract describes a data product, it does not hold data. */
export const MAX_CONTRACT_BYTES = 1024 * 1024;

/** What a YAML document's top level must be, said when it is not a mapping. */
export interface ExpectedMapping {
  /** What is wrong, e.g. `a contract is a YAML mapping of fields (...)`. */
  readonly message: string;
  /** Where to start from. */
  readonly suggestion: string;
}

const CONTRACT_MAPPING: ExpectedMapping = {
  message: 'a contract is a YAML mapping of fields (apiVersion, kind, id, version, status, ...)',
  suggestion: 'start from dataproducts/orders.yaml of a new domain repository',
};

/**
 * A contract file parsed with the positions of its nodes, so every problem found later can name
 * its line and column.
 */
export class ContractDocument {
  /**
   * Reads and parses a contract file. YAML errors (syntax, duplicate keys, tabs) and files over
   * {@link MAX_CONTRACT_BYTES} come back as problems, never as exceptions.
   */
  public static read(file: string): ContractDocument {
    const size = fs.statSync(file).size;
    if (size > MAX_CONTRACT_BYTES) {
      return new ContractDocument(file, '', [
        {
          file,
          line: 1,
          column: 1,
          path: '',
          message: `the file is ${(size / 1024 / 1024).toFixed(1)} MiB; a contract is at most ${MAX_CONTRACT_BYTES / 1024 / 1024} MiB`,
          suggestion: 'describe the data in the contract; keep the data itself out of it',
        },
      ]);
    }
    return ContractDocument.parse(file, fs.readFileSync(file, 'utf8'));
  }

  /**
   * Parses contract text; `file` names it in problems. Other YAML documents of the mesh (the
   * platform's domain registry) are parsed the same way: `expected` then says what their top level
   * must be and where to start from.
   */
  public static parse(file: string, text: string, expected: ExpectedMapping = CONTRACT_MAPPING): ContractDocument {
    return new ContractDocument(file, text, undefined, expected);
  }

  /** The contract as plain data (undefined when the YAML could not be read). */
  public readonly data: unknown;

  /** Problems of the YAML itself. */
  public readonly problems: ContractProblem[];

  private readonly document?: Document;
  private readonly lineCounter = new LineCounter();

  private constructor(
    public readonly file: string,
    text: string,
    problems?: ContractProblem[],
    expected: ExpectedMapping = CONTRACT_MAPPING,
  ) {
    if (problems) {
      this.problems = problems;
      return;
    }
    this.document = parseDocument(text, { lineCounter: this.lineCounter, uniqueKeys: true, prettyErrors: false });
    const lines = text.split('\n');
    this.problems = this.document.errors.map((error) => {
      const position = this.lineCounter.linePos(error.pos[0]);
      // A tab in the indentation confuses the parser into other errors; say what the cause is.
      const tabIndented = /^\s*\t/.test(lines[position.line - 1] ?? '');
      return {
        file,
        line: position.line,
        column: position.col,
        path: '',
        message: yamlMessage(tabIndented ? 'TAB_AS_INDENT' : error.code, error.message),
      };
    });
    if (this.problems.length === 0) {
      const data = this.document.toJS({ maxAliasCount: 100 });
      if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        this.problems.push({
          file,
          line: 1,
          column: 1,
          path: '',
          message: expected.message,
          suggestion: expected.suggestion,
        });
      } else {
        this.data = data;
      }
    }
  }

  /**
   * Line and column of the node at `path`; with `key`, of that key in the mapping at `path`
   * (for a field that should not be there). Falls back to the nearest existing parent.
   */
  public positionOf(path: ReadonlyArray<string | number>, key?: string): { line: number; column: number } {
    if (!this.document) {
      return { line: 1, column: 1 };
    }
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.document.getIn(path.slice(0, depth), true) as Node | undefined;
      if (!node) {
        continue;
      }
      let range = node.range;
      if (key !== undefined && depth === path.length && isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
        range = (pair?.key as Node | undefined)?.range ?? range;
      }
      if (range) {
        const position = this.lineCounter.linePos(range[0]);
        return { line: position.line, column: position.col };
      }
    }
    return { line: 1, column: 1 };
  }
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY':
      return `not valid YAML: ${first} (each field may appear once in a mapping)`;
    case 'TAB_AS_INDENT':
      return `not valid YAML: ${first} (indent with spaces, not tabs)`;
    default:
      return `not valid YAML: ${first}`;
  }
}
