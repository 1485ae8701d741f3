import { CatalogSource, SourceIdentity } from './catalog-source';
import { RegisteredRepositories, sameRepository } from './registered-repositories';

/** A source's identity, or why it has none. */
export interface IdentityResult {
  readonly identity?: SourceIdentity;
  /** Why the source speaks for no domain, or what disagrees with its identity. */
  readonly problem?: string;
}

/**
 * The domain a source speaks for, from where its contracts live, never from what they say.
 *
 * With the platform's registry, the registry alone decides: the domain whose `repository` is the
 * source (`owner/name` on GitHub; a local folder or bare repository by its name). A source the
 * registry does not name speaks for no domain. A custom property that says otherwise is reported,
 * and the registry counts.
 *
 * Without a registry: the repository's `domain` custom property (GitHub; the platform sets it,
 * and an organization decides who may change it), else the repository's name (`sales` for
 * `acme/sales`, `../sales` or `remotes/sales.git`).
 */
export function identityOf(source: CatalogSource, registry?: RegisteredRepositories): IdentityResult {
  if (registry) {
    const qualified = source.repository.includes('/');
    const matches = registry.entries.filter((entry) =>
      qualified ? sameRepository(entry.repository, source.repository) : nameOf(entry.repository).toLowerCase() === source.repository.toLowerCase(),
    );
    if (matches.length === 0) {
      return { problem: `not in the domain registry ${registry.registry}: no domains/<domain>.yaml names ${source.repository} as its repository, so it speaks for no domain and none of its contracts are published` };
    }
    if (matches.length > 1) {
      return {
        problem: `the domain registry names ${matches.map((entry) => entry.repository).join(' and ')}, and the folder ${source.repository} could be either; none of its contracts are published (name the folder so it is one of them only, or read them from GitHub)`,
      };
    }
    const identity: SourceIdentity = { domain: matches[0].domain, from: 'registry' };
    if (source.declaredDomain !== undefined && source.declaredDomain !== identity.domain) {
      return { identity, problem: `its custom property domain is "${source.declaredDomain}", but the domain registry registers it for "${identity.domain}"; the registry counts (correct the property)` };
    }
    return { identity };
  }
  if (source.declaredDomain !== undefined) {
    return { identity: { domain: source.declaredDomain, from: 'custom property' } };
  }
  return { identity: { domain: nameOf(source.repository), from: 'repository name' } };
}

function nameOf(repository: string): string {
  return repository.split('/').pop()!;
}
