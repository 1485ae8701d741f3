import type { ConsumerResolution } from '../consumer-grants';
import type { Contract } from '../contract';
import type { MeshIndex } from '../mesh-index';
import type { ContractDocumentData } from '../odcs-definitions';

/** What the SDLF rules need to know beyond the contract. */
export interface ContractRuleOptions {
  /** The domain of the repository the contract lives in: the contract's `domain` must match it. */
  readonly domain?: string;

  /**
   * Who may be a consumer and the principals of consumer domains: every consumer must be allowed
   * and resolve to a principal, as at synthesis.
   *
   * @default - consumers are not checked against a policy (e.g. a catalog of other domains)
   */
  readonly consumers?: ConsumerResolution;

  /**
   * Whether the file must be named after its data product (`<name>.yaml`), as in a repository,
   * where the docs page, stacks and database are named after it. Off for a file compared with
   * another outside any repository: its name says nothing there.
   *
   * @default true
   */
  readonly checkFileName?: boolean;

  /**
   * The data products of the mesh (the catalog's `catalog.json`, or a domain repository's copy,
   * `.sdlf/mesh-index.json`): each input (`sdlfInputs`) must be one of them, served, and granted
   * to the contract's domain.
   *
   * @default - inputs are not checked against the mesh, and lint says so
   */
  readonly meshIndex?: MeshIndex;
}

/** A field of the contract, as keys and indexes: `['schema', 0, 'properties', 2, 'name']`. */
export type FieldPath = ReadonlyArray<string | number>;

/** Reports one problem of a rule at a field (the whole contract for `[]`), with the likely fix. */
export type ReportProblem = (field: FieldPath, message: string, suggestion?: string) => void;

/** What a rule of one contract is given. */
export interface ContractRuleContext {
  /** The contract, as the contract schema checked it: the shapes are known. */
  readonly contract: ContractDocumentData;
  /** The file the contract must be named after, when it must (see `checkFileName`). */
  readonly namedFile?: string;
  readonly options: ContractRuleOptions;
  readonly report: ReportProblem;
}

/** A valid contract of a repository, for the rules that compare a repository's contracts. */
export interface RepositoryContract {
  readonly file: string;
  readonly contract: Contract;
}

/** What a rule of a repository's contracts is given. */
export interface RepositoryRuleContext {
  /** The contract checked. */
  readonly current: RepositoryContract;
  /** The valid contracts of the repository before it, in file order. */
  readonly earlier: readonly RepositoryContract[];
  /** Reports a problem of the contract checked. */
  readonly report: ReportProblem;
}

/** What every rule says of itself: the docs page and the README's table list these. */
interface RuleDescription {
  /** Its id, kebab-case, as `contract lint --json` names it on each problem. */
  readonly id: string;
  /**
   * An error makes the contract invalid; a warning deserves a look and fails nothing; a note
   * says what could not be checked, and how it could be.
   */
  readonly severity: 'error' | 'warning' | 'note';
  /** What it asks of a contract, in one line. */
  readonly description: string;
}

/** An SDLF rule of one contract: what a JSON Schema cannot say. */
export interface ContractRule extends RuleDescription {
  readonly scope: 'contract';
  /** Reports every place the contract breaks the rule. */
  check(context: ContractRuleContext): void;
}

/** An SDLF rule that only the contracts of a repository together can break. */
export interface RepositoryRule extends RuleDescription {
  readonly scope: 'repository';
  /** Reports what the current contract breaks of the rule, given the earlier ones. */
  check(context: RepositoryRuleContext): void;
}

/** A rule of the contracts, of one or of a repository's. */
export type SdlfRule = ContractRule | RepositoryRule;
