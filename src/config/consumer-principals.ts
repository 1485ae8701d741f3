import { domainNameProblem } from './domain-name';
import { InvalidOptionError } from './invalid-option-error';

const ACCOUNT = /^\d{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

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
