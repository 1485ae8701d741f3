/**
 * One version of a contract file in its repository's history, newest first in
 * {@link SourceContract.history}.
 */
export interface ContractVersion {
  /** The commit (full hash). */
  readonly commit: string;
  /** When it was committed, ISO 8601. */
  readonly date: string;
  /** Who committed it. */
  readonly author: string;
  /** The commit message's first line. */
  readonly subject: string;
  /** The contract file's text at that commit (undefined when it could not be read). */
  readonly text?: string;
}

/** A contract file as a source read it. */
export interface SourceContract {
  /** Path in the repository, with `/`, e.g. `dataproducts/orders.yaml`. */
  readonly path: string;
  /** The file's text. */
  readonly text: string;
  /** Its versions, newest first, when the source has history (a git repository). */
  readonly history?: ContractVersion[];
}

/** What a source holds: the contracts of one domain repository. */
export interface SourceSnapshot {
  /** The domain the repository declares (its `.projenrc.ts`), when it says. */
  readonly domain?: string;
  /** The commit read, when the source is a git repository. */
  readonly commit?: string;
  /** The contract files, in path order. */
  readonly contracts: SourceContract[];
}

/**
 * A domain repository the catalog reads its contracts from: a local working tree, a local bare
 * git repository, or (later) a repository read through a hosting API. `read()` rejects with an
 * error a person can act on when the repository cannot be read; the catalog then reports it as a
 * problem of that source and goes on with the others.
 */
export interface CatalogSource {
  /** How the source is named in the catalog and its problems (a path, or `owner/name`). */
  readonly name: string;
  /** A short guess at the domain when the repository does not declare one (e.g. the folder name). */
  readonly fallbackDomain: string;
  /** Reads the repository's contracts (`dataproducts/*.yaml`) and their history when there is one. */
  read(): Promise<SourceSnapshot>;
}

/** Where contracts live in a domain repository. */
export const CONTRACTS_DIR = 'dataproducts';

/** Whether a repository path is a contract file (`dataproducts/<name>.yaml` or `.yml`). */
export function isContractPath(file: string): boolean {
  return new RegExp(`^${CONTRACTS_DIR}/[^/]+\\.ya?ml$`).test(file);
}

/**
 * The domain a `.projenrc.ts` declares: `new SdlfDomainProject({ domain: 'sales', ... })`.
 * Undefined when it declares none (a repository that is not a projen domain project).
 */
export function domainOfProjenrc(text: string): string | undefined {
  return /SdlfDomainProject\(\s*\{[\s\S]*?\bdomain:\s*['"`]([a-z][a-z0-9-]*)['"`]/.exec(text)?.[1];
}
