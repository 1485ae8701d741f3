/**
 * One thing wrong with a data-product contract, located so an editor or a CI log can point at it.
 */
export interface ContractProblem {
  /** The contract file. */
  readonly file: string;
  /** 1-based line of the offending node (1 when unknown). */
  readonly line: number;
  /** 1-based column of the offending node (1 when unknown). */
  readonly column: number;
  /** Path of the offending field in the contract, e.g. `schema[0].properties[2].logicalType` (empty for the whole file). */
  readonly path: string;
  /** What is wrong and what was expected. */
  readonly message: string;
  /** The likely fix, when there is one. */
  readonly suggestion?: string;
  /**
   * `warning` for what does not make the contract invalid but deserves a look (a deprecated
   * field, a quality rule nothing enforces); `note` for what lint could not check and why (the
   * inputs, without a mesh index).
   *
   * @default - an error: the contract is invalid
   */
  readonly severity?: 'warning' | 'note';

  /**
   * The id of the SDLF rule that found it (see `SDLF_RULES` and the README's table of rules).
   *
   * @default - none: the YAML or the contract schema found it
   */
  readonly rule?: string;
}

/** `file:line:column: path: message (fix)` — the form compilers use, so editors and CI logs link to it. */
export function formatProblem(problem: ContractProblem): string {
  const where = problem.path ? `${problem.path}: ` : '';
  const fix = problem.suggestion ? ` (${problem.suggestion})` : '';
  const severity = problem.severity ? `${problem.severity}: ` : '';
  return `${problem.file}:${problem.line}:${problem.column}: ${severity}${where}${problem.message}${fix}`;
}

/** Renders a path of keys and indexes the way people read it: `schema[0].properties[2].name`. */
export function renderPath(segments: ReadonlyArray<string | number>): string {
  return segments.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}
