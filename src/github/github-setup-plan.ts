import { deployVariables } from './steps/environment-variables-step';
import { DomainEnvironment } from '../domain/domain-environment';
import { DomainSettings } from '../domain/domain-settings';
import { BUILD_CHECK, DEPLOY_ROLE_VARIABLE, registrationFile } from '../domain/names';

/** What the protection of the default branch requires, as the plan and the step say it. */
export const BRANCH_PROTECTION_SUMMARY = `pull request with code-owner review of the latest push, required check "${BUILD_CHECK}", admins included, no force push, no deletion`;

/** One step of setting up a domain repository on GitHub. */
export interface GitHubSetupStep {
  /** What the step is, e.g. `topics`. */
  readonly step: string;
  /** What it sets. */
  readonly detail: string;
}

/**
 * What a domain repository gets on GitHub besides its content, in the order it is applied:
 * the repository and its merge settings, topics and custom properties for discovery, protection
 * of the default branch, and the deployment environments. Printed when there is no token (the
 * local remote stands in for GitHub).
 */
export function githubSetupPlan(
  settings: DomainSettings,
  repository: string,
  options: { readonly platformRepository?: string; readonly branch?: string } = {},
): GitHubSetupStep[] {
  const branch = options.branch ?? 'main';
  const properties = [
    `domain=${settings.domain}`,
    `owner=${settings.owner}`,
    `cost-center=${settings.costCenter}`,
    `template-version=${settings.templateVersion}`,
  ];
  const lastEnvironment = settings.environments[settings.environments.length - 1]?.name;
  return [
    { step: 'repository', detail: `create ${repository} (private), default branch ${branch}, squash merge only, delete branches on merge` },
    { step: 'push', detail: `push ${branch} over git` },
    { step: 'topics', detail: `sdlf-domain, domain-${settings.domain}` },
    { step: 'custom properties', detail: properties.join(', ') },
    {
      step: 'branch protection',
      detail: `${branch}: ${BRANCH_PROTECTION_SUMMARY}`,
    },
    ...settings.environments.map((environment) => ({
      step: 'environment',
      detail: `${environment.name}: ${environment.name === lastEnvironment ? 'required reviewers, ' : ''}deployments from ${branch} only; ${describeVariables(settings.domain, environment)}`,
    })),
    ...(options.platformRepository
      ? [{ step: 'platform registration', detail: `pull request on ${options.platformRepository} adding ${registrationFile(settings.domain)}` }]
      : []),
  ];
}

/** The Actions variables of an environment, or what is missing to name them. */
function describeVariables(domain: string, environment: DomainEnvironment): string {
  const variables = Object.entries(deployVariables(domain, environment)).map(([name, value]) => `${name}=${value}`);
  return variables.length > 0 ? `variables ${variables.join(', ')}` : `no account: variable ${DEPLOY_ROLE_VARIABLE} to set by hand`;
}
