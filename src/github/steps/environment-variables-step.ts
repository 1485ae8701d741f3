import { DomainEnvironment } from '../../domain/domain-environment';
import { deployRoleArn, DEPLOY_ROLE_VARIABLE, REGION_VARIABLE } from '../../domain/names';
import { changed, StepOutcome, unchanged } from '../../util/steps';
import { isStatus, SetupContext } from '../setup-context';
import { SetupPlan, SetupStep } from '../setup-step';

/** An Actions variable as `GET /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}` answers. */
interface ActionsVariable {
  readonly name: string;
  readonly value: string;
}

/**
 * The GitHub Actions variables the deploy workflow reads in an environment: the ARN of the deploy
 * role the platform creates for the domain there (its name is fixed by the platform's naming, so
 * it is known before the platform has deployed), and the region when the environment has one.
 * An environment without an account gets none: its role cannot be named.
 */
export function deployVariables(domain: string, environment: DomainEnvironment): Record<string, string> {
  if (!environment.account) {
    return {};
  }
  return {
    [DEPLOY_ROLE_VARIABLE]: deployRoleArn(domain, environment.name, environment.account),
    ...(environment.region ? { [REGION_VARIABLE]: environment.region } : {}),
  };
}

/**
 * One step per deployment environment, after the environments exist: sets the variables of
 * {@link deployVariables}, creating the missing ones and correcting those that differ; a variable
 * that already holds its value is not written again.
 */
export function environmentVariablesSteps(environments: DomainEnvironment[]): SetupStep[] {
  return environments.map((environment) => ({
    name: `variables ${environment.name}`,
    permission: 'environments=write',
    honoursDryRun: true,
    plan: ({ settings }: SetupPlan) => summarize(settings.domain, environment),
    run: (context: SetupContext) => setVariables(context, environment),
  }));
}

/** The variables of an environment, or what is missing to name them. */
function summarize(domain: string, environment: DomainEnvironment): string {
  const wanted = deployVariables(domain, environment);
  if (Object.keys(wanted).length === 0) {
    return `no account for ${environment.name}: set ${DEPLOY_ROLE_VARIABLE}${environment.region ? '' : ` and ${REGION_VARIABLE}`} on it yourself`;
  }
  return Object.entries(wanted).map(([name, value]) => `${name}=${value}`).join(', ');
}

async function setVariables(context: SetupContext, environment: DomainEnvironment): Promise<StepOutcome> {
  const wanted = deployVariables(context.settings.domain, environment);
  const summary = summarize(context.settings.domain, environment);
  if (Object.keys(wanted).length === 0) {
    return unchanged(summary);
  }
  const changes: string[] = [];
  for (const [name, value] of Object.entries(wanted)) {
    const params = { ...context.repo, environment_name: environment.name, name };
    // A new repository's environments were created by this run: they hold no variables yet.
    const current = context.nothingToLookAt
      ? undefined
      : await context.read<ActionsVariable>('GET /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}', params);
    if (current?.value === value) {
      continue;
    }
    if (current) {
      await context.write('PATCH /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}', { ...params, value });
      changes.push(`${name} corrected (was ${current.value})`);
      continue;
    }
    try {
      await context.write('POST /repos/{owner}/{repo}/environments/{environment_name}/variables', { ...params, value });
    } catch (error) {
      // Created by a request whose answer was lost (the client sent it again): set the value.
      if (!isStatus(error, 409)) {
        throw error;
      }
      await context.write('PATCH /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}', { ...params, value });
    }
    changes.push(`${name} created`);
  }
  return changes.length > 0 ? changed(context, `${summary} (${changes.join(', ')})`) : unchanged(summary);
}
