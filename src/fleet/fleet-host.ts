/** A domain repository of the fleet, as its host lists it. */
export interface FleetRepository {
  /** Its name on the host, e.g. `acme/sales-data` or `sales`. */
  readonly name: string;
  /** What `git clone` takes. */
  readonly cloneUrl: string;
  /** Archived repositories are listed, and skipped. */
  readonly archived: boolean;
  /** The branch upgrades go to. */
  readonly defaultBranch: string;
  /** Whether it is a fork of another repository (GitHub): a fork speaks for no domain. */
  readonly fork?: boolean;
  /** The repository it is a fork of (`owner/name`), when the host says. */
  readonly parent?: string;
  /** The domain its `domain` custom property names (GitHub), if any. */
  readonly declaredDomain?: string;
}

/** The request for review an upgrade opens: a pull request on GitHub. */
export interface UpgradeRequest {
  /** Where a person reviews it. */
  readonly url: string;
  /** Whether it was opened now (false: an open one for the branch was updated). */
  readonly created: boolean;
}

/** What an upgrade asks a reviewer to merge. */
export interface UpgradeRequestContent {
  readonly branch: string;
  readonly title: string;
  readonly body: string;
  readonly draft?: boolean;
  readonly labels?: string[];
  /** Labels to take off an open request that has them (a statement no longer true). */
  readonly removeLabels?: string[];
}

/** An upgrade request that is open for a branch. */
export interface OpenUpgradeRequest {
  readonly url: string;
  readonly branch: string;
  /** `open`, or `draft`. */
  readonly state: string;
}

/**
 * Where the domain repositories live: GitHub, or bare git repositories on this machine (the
 * default without a token). The upgrade uses git for content and the host only for what git
 * cannot do: listing repositories and opening one request for review a repository.
 */
export interface FleetHost {
  /** Says where the repositories are, for messages. */
  readonly description: string;
  /** The domain repositories, archived ones included. */
  listRepositories(): Promise<FleetRepository[]>;
  /** Environment for git commands against this host (credentials without putting them on disk). */
  gitEnvironment(): Record<string, string>;
  /** The open upgrade request of a branch, if any. */
  findUpgradeRequest(repository: FleetRepository, branch: string): Promise<OpenUpgradeRequest | undefined>;
  /** The open upgrade requests of a repository, whatever their target version (for `fleet status`). */
  listUpgradeRequests(repository: FleetRepository): Promise<OpenUpgradeRequest[]>;
  /** A file of a branch, read without a clone; `undefined` when the branch has no such file. */
  readFile(repository: FleetRepository, branch: string, file: string): Promise<string | undefined>;
  /** Opens the upgrade request of a branch, or updates the open one: never a second. */
  openOrUpdateUpgradeRequest(repository: FleetRepository, content: UpgradeRequestContent): Promise<UpgradeRequest>;
}
