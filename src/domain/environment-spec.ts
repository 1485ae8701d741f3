import { DomainEnvironment } from './domain-environment';
import { InvalidOptionError } from '../util/invalid-option-error';

const NAME = /^[a-z][a-z0-9]{0,9}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/** The environments a domain gets when none are given. */
export const DEFAULT_ENVIRONMENTS = ['dev', 'test', 'prod'];

/**
 * Parses the flag form of environments, `name[:account[:region]]` (e.g. `dev:111111111111:eu-west-1`),
 * which `projen new` can pass because it is a plain string, and checks them all.
 */
export function parseEnvironmentSpecs(specs: string[], option = 'environments'): DomainEnvironment[] {
  const environments = specs.map((spec, index) => parseEnvironmentSpec(spec, `${option}[${index}]`));
  checkEnvironments(environments, option);
  return environments;
}

/**
 * Throws an {@link InvalidOptionError} unless there is at least one environment, each is
 * well-formed and no name is given twice. The error names the entry by its position.
 */
export function checkEnvironments(environments: DomainEnvironment[], option = 'environments'): void {
  if (environments.length === 0) {
    throw new InvalidOptionError(option, 'give at least one environment, e.g. dev:111111111111:eu-west-1');
  }
  const seen = new Set<string>();
  environments.forEach((environment, index) => {
    checkEnvironment(environment, `${option}[${index}]`);
    if (seen.has(environment.name)) {
      throw new InvalidOptionError(`${option}[${index}]`, `environment "${environment.name}" is given twice; give each environment once`);
    }
    seen.add(environment.name);
  });
}

/**
 * Parses one `name[:account[:region]]` entry; an empty account keeps the environment
 * account-agnostic (`prod::eu-west-1`).
 */
export function parseEnvironmentSpec(spec: string, option = 'environments'): DomainEnvironment {
  const parts = spec.trim().split(':');
  const form = 'the form is name[:account[:region]], e.g. "dev:111111111111:eu-west-1", "prod::eu-west-1" or "dev"';
  if (parts.length > 3) {
    throw new InvalidOptionError(option, `"${spec}" has ${parts.length} parts; ${form}`);
  }
  const [name, account, region] = parts;
  const environment = { name, account: account || undefined, region: region || undefined };
  checkEnvironment(environment, option);
  return environment;
}

/**
 * Throws an {@link InvalidOptionError} naming `option` unless the environment's name, account and
 * region are well-formed.
 */
export function checkEnvironment(environment: DomainEnvironment, option = 'environment'): void {
  const { name, account, region } = environment;
  if (!NAME.test(name)) {
    throw new InvalidOptionError(
      option,
      `environment name "${name}" must be 1 to 10 lowercase letters or digits, starting with a letter (e.g. dev, test, prod, staging)`,
    );
  }
  if (account !== undefined && !ACCOUNT.test(account)) {
    throw new InvalidOptionError(option, `account "${account}" of environment "${name}" must be a 12-digit AWS account ID`);
  }
  if (region !== undefined && !REGION.test(region)) {
    throw new InvalidOptionError(option, `region "${region}" of environment "${name}" is not an AWS region name such as eu-west-1 or us-east-1`);
  }
}
