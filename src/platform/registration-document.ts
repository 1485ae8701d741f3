import * as YAML from 'yaml';
import { DomainRegistration } from '../domain/domain-registration';
import { DomainSettings } from '../domain/domain-settings';
import { githubDeploySubject, GitHubRepositoryIds } from '../domain/github-oidc';
import { deployRoleArn, permissionsBoundaryArn, permissionsBoundaryName, registrationFile } from '../domain/names';
import { renderBlueprint } from '../util/blueprint';
import { InvalidOptionError } from '../util/invalid-option-error';

/**
 * The registration of a domain whose repository is `repository` (`owner/name`), from its settings,
 * with the repository's GitHub IDs when they are known (not for a local remote).
 * Every environment needs an account and a region: the platform creates the deploy role there.
 * Throws an {@link InvalidOptionError} naming the environment and the fix otherwise, before
 * anything is written.
 */
export function domainRegistration(settings: DomainSettings, repository: string, ids?: GitHubRepositoryIds): DomainRegistration {
  const environments = settings.environments.map((environment, index) => {
    if (!environment.account || !environment.region) {
      throw new InvalidOptionError(
        `environments[${index}]`,
        `environment "${environment.name}" has no ${environment.account ? 'region' : 'account'}; the platform registers each environment ` +
          `with the account and region it creates the deploy role in: give e.g. --environments ${environment.name}:${environment.account ?? '111111111111'}:${environment.region ?? 'eu-west-1'}`,
      );
    }
    return { name: environment.name, account: environment.account, region: environment.region };
  });
  return { domain: settings.domain, repository, ...ids, owner: settings.owner, costCenter: settings.costCenter, environments };
}

/**
 * `domains/<domain>.yaml` of the platform repository: the registration as YAML, under a comment
 * that tells the reviewer of the pull request what merging it grants (the roles, who may assume
 * them, where).
 */
export function renderDomainRegistration(registration: DomainRegistration): string {
  const { domain, repository, repositoryId, repositoryOwnerId, owner, costCenter, environments } = registration;
  // A data bucket stays as the platform team added it (YAML leaves it out where there is none).
  const listed = environments.map(({ name, account, region, dataBucket }) => ({ name, account, region, dataBucket }));
  // The IDs only when known (YAML leaves out what is undefined): a local registration has none.
  const body = YAML.stringify({ domain, repository, repositoryId, repositoryOwnerId, owner, costCenter, environments: listed });
  const text = renderBlueprint('sdlf-platform/registration/domain.yaml.hbs', { domain, repository, roles: registeredRoles(registration), body });
  return text.replace(/\n+$/, '\n');
}

/**
 * The body of the pull request that adds the registration to the platform repository: what
 * merging it creates, for whom, where.
 *
 * @param repositoryUrl the domain repository's web page
 */
export function renderRegistrationRequest(registration: DomainRegistration, repositoryUrl: string): string {
  return renderBlueprint('sdlf-platform/registration/pull-request.md.hbs', {
    ...registration,
    repositoryUrl,
    file: registrationFile(registration.domain),
    roles: registeredRoles(registration),
    ids: registrationIds(registration) ?? null,
    boundaryName: permissionsBoundaryName(registration.domain, '<environment>'),
  });
}

/** The title of that pull request. */
export function registrationRequestTitle(registration: DomainRegistration): string {
  return `Register domain ${registration.domain} (${registration.repository})`;
}

/** The commit message of the registration. */
export function registrationCommitMessage(registration: DomainRegistration): string {
  return `feat(domains): register domain ${registration.domain} (${registration.repository})`;
}

/**
 * What the platform creates for each environment of a registration; `subject` is the OIDC subject
 * its deploy role trusts, `null` without the repository's IDs (no deploy role then).
 */
function registeredRoles(registration: DomainRegistration) {
  const ids = registrationIds(registration);
  return registration.environments.map(({ name, account, region }) => ({
    environment: name,
    account,
    region,
    deployRoleArn: deployRoleArn(registration.domain, name, account),
    boundaryArn: permissionsBoundaryArn(registration.domain, name, account),
    subject: ids ? githubDeploySubject(ids, name) : null,
  }));
}

/** The repository's IDs of a registration, when it has both. */
export function registrationIds(registration: DomainRegistration): GitHubRepositoryIds | undefined {
  const { repositoryId, repositoryOwnerId } = registration;
  return repositoryId !== undefined && repositoryOwnerId !== undefined ? { repositoryId, repositoryOwnerId } : undefined;
}
