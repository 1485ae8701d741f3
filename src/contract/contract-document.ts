import { Document, isMap, isPair, isScalar, LineCounter, Node, parseDocument } from 'yaml';
import { ContractProblem } from './contract-problem';
import { readRegularFile, tooLarge } from '../util/read-regular-file';

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
 * Most alias nodes a contract may expand (YAML `*anchor` uses, counted as the `yaml` package
 * counts them): enough for shared column definitions, far too few for an alias bomb, whose few
 * lines would otherwise expand into gigabytes.
 */
export const MAX_CONTRACT_ALIASES = 100;

/**
 * A contract file parsed with the positions of its nodes, so every problem found later can name
 * its line and column.
 *
 * A contract comes from a domain repository, which the platform does not trust: whatever its
 * bytes are (a symbolic link, a device, a huge file, an alias bomb, bytes that are not UTF-8,
 * nesting deep enough to overflow the parser's stack), it becomes a problem of the document,
 * never an exception, and never costs more than {@link MAX_CONTRACT_BYTES} of input.
 */
export class ContractDocument {
  /**
   * Reads and parses a contract file. A symbolic link is not followed and anything but a regular
   * file is not read; YAML errors (syntax, duplicate keys, tabs) and files over
   * {@link MAX_CONTRACT_BYTES} come back as problems, never as exceptions.
   */
  public static read(file: string): ContractDocument {
    const content = readRegularFile(file, MAX_CONTRACT_BYTES);
    if (content.bytes === undefined) {
      return ContractDocument.unreadable(file, `the file ${content.unreadable}`, content.size === undefined ? undefined : TOO_LARGE_FIX);
    }
    return ContractDocument.decode(file, content.bytes);
  }

  /**
   * Parses a contract's bytes, as a source read them: more than {@link MAX_CONTRACT_BYTES}, or
   * bytes that are not UTF-8, are a problem (decoding never replaces what it cannot read).
   */
  public static decode(file: string, bytes: Uint8Array): ContractDocument {
    if (bytes.length > MAX_CONTRACT_BYTES) {
      return ContractDocument.unreadable(file, `the file ${tooLarge(bytes.length, MAX_CONTRACT_BYTES)}`, TOO_LARGE_FIX);
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      const offset = firstInvalidByte(bytes);
      const line = bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length + 1;
      return new ContractDocument(file, '', [
        { file, line, column: 1, path: '', message: `the file is not UTF-8 text: byte ${offset + 1} is not valid UTF-8`, suggestion: 'save the contract as UTF-8' },
      ]);
    }
    return ContractDocument.parse(file, text);
  }

  /**
   * Parses contract text; `file` names it in problems. Other YAML documents of the mesh (the
   * platform's domain registry) are parsed the same way: `expected` then says what their top level
   * must be and where to start from.
   */
  public static parse(file: string, text: string, expected: ExpectedMapping = CONTRACT_MAPPING): ContractDocument {
    const size = Buffer.byteLength(text, 'utf8');
    if (size > MAX_CONTRACT_BYTES) {
      return ContractDocument.unreadable(file, `the file ${tooLarge(size, MAX_CONTRACT_BYTES)}`, TOO_LARGE_FIX);
    }
    return new ContractDocument(file, text, undefined, expected);
  }

  /** A contract that a source could not read (a symbolic link, too large...): only its problem. */
  public static unreadable(file: string, message: string, suggestion?: string): ContractDocument {
    return new ContractDocument(file, '', [{ file, line: 1, column: 1, path: '', message, suggestion }]);
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
    try {
      this.document = parseDocument(text, { lineCounter: this.lineCounter, uniqueKeys: true, prettyErrors: false });
    } catch (error) {
      // The parser recurses: nesting a few hundred thousand levels deep overflows its stack.
      this.problems = [{ file, line: 1, column: 1, path: '', message: `not valid YAML: ${(error as Error).message}`, suggestion: 'write the contract as plain YAML mappings and lists' }];
      return;
    }
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
      let data: unknown;
      try {
        data = this.document.toJS({ maxAliasCount: MAX_CONTRACT_ALIASES });
      } catch (error) {
        this.problems.push({
          file,
          line: 1,
          column: 1,
          path: '',
          message: error instanceof ReferenceError && /alias/i.test(error.message)
            ? `not valid YAML: its aliases expand to too much data (more than ${MAX_CONTRACT_ALIASES} alias nodes), as an alias bomb does`
            : `not valid YAML: ${(error as Error).message}`,
          suggestion: 'write the repeated parts out instead of using anchors and aliases',
        });
        return;
      }
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

  /** The text of the scalar at `path` as written (`1.0` where the data holds the number 1). */
  public sourceOf(path: ReadonlyArray<string | number>): string | undefined {
    const node = this.document?.getIn(path, true);
    return isScalar(node) ? node.source : undefined;
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

const TOO_LARGE_FIX = 'describe the data in the contract; keep the data itself out of it';

/** The offset of the first byte that is not valid UTF-8 (the decoder says only that there is one). */
function firstInvalidByte(bytes: Uint8Array): number {
  // The longest prefix that decodes, found by halving; `stream` lets a prefix end inside a character.
  let valid = 0;
  let invalid = bytes.length;
  while (invalid - valid > 1) {
    const middle = Math.floor((valid + invalid) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, middle), { stream: true });
      valid = middle;
    } catch {
      invalid = middle;
    }
  }
  // A lead byte whose sequence the next byte breaks decodes as the start of a character: the
  // byte to blame is that lead byte.
  for (let index = valid - 1; index >= Math.max(0, valid - 3); index--) {
    if (bytes[index] >= 0xc0) {
      const length = bytes[index] >= 0xf0 ? 4 : bytes[index] >= 0xe0 ? 3 : 2;
      return index + length > valid ? index : valid;
    }
    if (bytes[index] < 0x80) {
      break;
    }
  }
  return valid;
}
