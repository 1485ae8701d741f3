import { InvalidOptionError } from '../util/invalid-option-error';

/** Longest domain name: it prefixes S3 bucket (63), IAM role (64) and stack names together with environment, account and region. */
export const MAX_DOMAIN_NAME_LENGTH = 24;

// S3 reserves these prefixes for bucket names; a domain name starts every bucket name.
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];

/**
 * Returns why `name` cannot be a domain name, or undefined when it can.
 *
 * A domain name becomes part of S3 bucket names, IAM role names, CloudFormation stack names and
 * (with `_` for `-`) Glue database names, so it keeps to the rules all of them share.
 */
export function domainNameProblem(name: string): string | undefined {
  if (name.length < 2 || name.length > MAX_DOMAIN_NAME_LENGTH) {
    return `it is ${name.length} characters long; it must be 2 to ${MAX_DOMAIN_NAME_LENGTH}`;
  }
  if (!/^[a-z0-9-]+$/.test(name)) {
    return 'it may hold only lowercase letters, digits and hyphens';
  }
  if (!/^[a-z]/.test(name)) {
    return 'it must start with a lowercase letter';
  }
  if (name.endsWith('-')) {
    return 'it must end with a letter or a digit';
  }
  if (name.includes('--')) {
    return 'it must not hold two hyphens in a row (S3 reserves such names)';
  }
  const reserved = RESERVED_PREFIXES.find((prefix) => name.startsWith(prefix));
  if (reserved) {
    return `it must not start with "${reserved}", which S3 reserves`;
  }
  return undefined;
}

/**
 * The closest valid domain name to `name`, for the fix an error suggests.
 */
export function suggestDomainName(name: string): string {
  let suggestion = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, MAX_DOMAIN_NAME_LENGTH)
    .replace(/-+$/, '');
  for (const prefix of RESERVED_PREFIXES) {
    if (suggestion.startsWith(prefix)) {
      suggestion = suggestion.slice(prefix.length);
    }
  }
  return suggestion.length >= 2 ? suggestion : 'sales';
}

/**
 * Throws an {@link InvalidOptionError} naming `option` unless `name` is a valid domain name.
 */
export function assertDomainName(name: string, option = 'domain'): void {
  const problem = domainNameProblem(name);
  if (problem) {
    throw new InvalidOptionError(
      option,
      `"${name}" cannot name a domain: ${problem}. ` +
        'A domain name is part of S3 bucket, IAM role, stack and Glue database names, so it must be 2 to ' +
        `${MAX_DOMAIN_NAME_LENGTH} characters of lowercase letters, digits and single hyphens, starting with a letter. ` +
        `For example: "${suggestDomainName(name)}".`,
    );
  }
}
