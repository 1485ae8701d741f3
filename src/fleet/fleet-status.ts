import { FleetHost } from './fleet-host';
import { TEMPLATE_PACKAGE } from '../domain/domain-settings';

/** A domain repository's template version and open upgrade request. */
export interface FleetStatusRow {
  readonly repository: string;
  readonly archived: boolean;
  /** The template its default branch depends on. */
  readonly templateVersion?: string;
  /** Where its open upgrade request is. */
  readonly request?: string;
}

/**
 * The template version each domain repository's default branch depends on and its open upgrade
 * requests, read through the host without a clone (git for local remotes, the contents and pull
 * request APIs on GitHub: two read requests a repository).
 */
export async function fleetStatus(host: FleetHost): Promise<FleetStatusRow[]> {
  const repositories = await host.listRepositories();
  return Promise.all(
    repositories.map(async (repository) => {
      const [manifest, requests] = await Promise.all([
        host.readFile(repository, repository.defaultBranch, 'package.json'),
        host.listUpgradeRequests(repository),
      ]);
      return {
        repository: repository.name,
        archived: repository.archived,
        templateVersion: manifest === undefined ? undefined : JSON.parse(manifest).dependencies?.[TEMPLATE_PACKAGE],
        request: requests.map((request) => `${request.branch} (${request.state}) ${request.url}`).join(', ') || undefined,
      };
    }),
  );
}
