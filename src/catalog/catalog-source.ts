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
  /** The contract file's content at that commit (undefined when the commit deleted it). */
  readonly content?: ContractContent;
}

/**
 * A contract file's content as a source read it: its bytes, or why they were not read. A source
 * never follows a symbolic link and never reads more than the size limit of a contract; the
 * catalog checks the encoding and parses with limits.
 */
export interface ContractContent {
  /** The bytes, when the file is a regular file within the size limit. */
  readonly bytes?: Uint8Array;
  /** Why the file was not read, e.g. `is a symbolic link, which is not followed`. */
  readonly unreadable?: string;
  /** Whether it was not read for its size (the fix is then to make it smaller). */
  readonly tooLarge?: boolean;
}

/** A contract file as a source read it. */
export interface SourceContract {
  /** Path in the repository, with `/`, e.g. `dataproducts/orders.yaml`. */
  readonly path: string;
  /** The file's content. */
  readonly content: ContractContent;
  /** Its versions, newest first, when the source has history (a git repository). */
  readonly history?: ContractVersion[];
}

/** What a source holds: the contracts of one domain repository. */
export interface SourceSnapshot {
  /** The commit read, when the source is a git repository. */
  readonly commit?: string;
  /** The contract files, in path order. */
  readonly contracts: SourceContract[];
}

/**
 * Where a source's domain comes from, strongest first: the platform's domain registry, the
 * repository's `domain` custom property (set by the platform on GitHub), the repository's name
 * (a folder's or a bare repository's name, a GitHub repository's name). Never from the contracts
 * or the `.projenrc.ts` of the repository: those are the domain team's to write.
 */
export type IdentityOrigin = 'registry' | 'custom property' | 'repository name';

/** The domain a source speaks for, from where its contracts live. */
export interface SourceIdentity {
  readonly domain: string;
  readonly from: IdentityOrigin;
}

/**
 * A domain repository the catalog reads its contracts from: a local working tree, a local bare
 * git repository, or a repository read through a hosting API. `read()` rejects with an error a
 * person can act on when the repository cannot be read; the catalog then reports it as a problem
 * of that source and goes on with the others. A contract file that is hostile (a symbolic link,
 * too large) is no error of the source: it comes back as {@link ContractContent.unreadable}.
 */
export interface CatalogSource {
  /** How the source is named in the catalog and its problems (a path, or `owner/name`). */
  readonly name: string;
  /** The name the platform's domain registry knows the repository by: `owner/name`, or only the name for a local folder. */
  readonly repository: string;
  /** The domain the repository itself says it is (a custom property the platform set), if any. */
  readonly declaredDomain?: string;
  /** Reads the repository's contracts (`dataproducts/*.yaml`) and their history when there is one. */
  read(): Promise<SourceSnapshot>;
}

/** Where contracts live in a domain repository. */
export const CONTRACTS_DIR = 'dataproducts';

/** Whether a repository path is a contract file (`dataproducts/<name>.yaml` or `.yml`). */
export function isContractPath(file: string): boolean {
  return new RegExp(`^${CONTRACTS_DIR}/[^/]+\\.ya?ml$`).test(file);
}

