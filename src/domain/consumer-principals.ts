import { domainNameProblem } from './domain-name';
import { InvalidOptionError } from '../util/invalid-option-error';

const ACCOUNT = /^\d{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

/** The account of a Lake Formation principal: an account ID itself, or the account of an IAM ARN. */
export function principalAccount(principal: string): string {
  return ACCOUNT.test(principal) ? principal : principal.split(':')[4];
}

/**
 * Throws an {@link InvalidOptionError} unless every entry of `consumerPrincipals` maps a domain
 * name to a Lake Formation principal: a 12-digit account ID or an IAM role ARN.
 */
export function checkConsumerPrincipals(principals: { readonly [domain: string]: string } | undefined): void {
  for (const [domain, principal] of Object.entries(principals ?? {})) {
    const problem = domainNameProblem(domain);
    if (problem) {
      throw new InvalidOptionError('consumerPrincipals', `"${domain}" cannot name a consumer domain: ${problem}`);
    }
    if (typeof principal !== 'string' || !(ACCOUNT.test(principal) || ROLE_ARN.test(principal))) {
      throw new InvalidOptionError(
        `consumerPrincipals.${domain}`,
        `${JSON.stringify(principal)} is not a Lake Formation principal: give an account ID ('123456789012') or a role ARN ('arn:aws:iam::123456789012:role/${domain}-analysts')`,
      );
    }
  }
}

/**
 * The `consumerPrincipals` given as JSON text (a command-line flag), checked as
 * {@link checkConsumerPrincipals} checks the option.
 *
 * @param option the flag that gave it, for the message
 */
export function parseConsumerPrincipals(json: string, option: string): { [domain: string]: string } {
  const example = '\'{"marketing":"arn:aws:iam::123456789012:role/marketing-analysts"}\'';
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new InvalidOptionError(option, `${JSON.stringify(json)} is not JSON: give each consumer domain's principal as a JSON object, e.g. ${example}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(option, `give each consumer domain's principal as a JSON object, e.g. ${example}`);
  }
  const principals = value as { [domain: string]: string };
  checkConsumerPrincipals(principals);
  return principals;
}
