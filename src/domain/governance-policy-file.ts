import * as fs from 'fs';
import { parse } from 'yaml';
import { AccessAutoApproval } from './access-request-policy';
import { GovernancePolicyProps } from './governance-policy-props';
import { InvalidOptionError } from '../util/invalid-option-error';

/** The fields of a governance policy file, as `GovernancePolicyProps` names them. */
const POLICY_FIELDS = ['requiredTags', 'allowedRegions', 'requireEncryption', 'logRetentionDays', 'allowedConsumers', 'accessRequests'];

/** The `GovernancePolicyProps` of a JSON or YAML file; unknown fields are refused. */
export function readGovernancePolicyFile(file: string): GovernancePolicyProps {
  const props = parse(fs.readFileSync(file, 'utf8')) ?? {};
  const unknown = Object.keys(props).filter((key) => !POLICY_FIELDS.includes(key));
  if (unknown.length > 0) {
    throw new Error(`${file}: unknown policy field(s) ${unknown.join(', ')}; the fields are ${POLICY_FIELDS.join(', ')}`);
  }
  checkAllowList(file, props.allowedConsumers);
  checkAccessRequests(file, props.accessRequests);
  return props;
}

/** The access-request policy of a file is absent, or `{ autoApprove: none | non-sensitive }`. */
function checkAccessRequests(file: string, value: unknown) {
  if (value === undefined) {
    return;
  }
  const approvals = Object.values(AccessAutoApproval) as string[];
  const fix = `e.g. accessRequests: { autoApprove: ${AccessAutoApproval.NON_SENSITIVE} }`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${file}: accessRequests must be a mapping (${fix})`);
  }
  for (const [key, entry] of Object.entries(value)) {
    if (key !== 'autoApprove') {
      throw new Error(`${file}: unknown field accessRequests.${key}; the field is autoApprove (${fix})`);
    }
    if (!approvals.includes(entry as string)) {
      throw new Error(`${file}: accessRequests.autoApprove is ${JSON.stringify(entry)}; give one of ${approvals.join(', ')} (${fix})`);
    }
  }
}

/**
 * The policy of the file a domain names (`governancePolicyFile` of its app, `--policy` of the
 * lint): a missing file is an error naming the option, never no policy, so removing the file does
 * not switch the policy off.
 *
 * @param option the option that named the file, for the message
 */
export function requireGovernancePolicyFile(file: string, option: string): GovernancePolicyProps {
  if (!fs.existsSync(file)) {
    throw new InvalidOptionError(option, `${file} is missing: restore the platform's governance policy there (the platform repository holds it)`);
  }
  return readGovernancePolicyFile(file);
}

/**
 * The allow-list of a policy file is absent, or a mapping of lists of strings (`domains`,
 * `accounts`, `roles`) and of domains to principals (`domainPrincipals`).
 */
function checkAllowList(file: string, value: unknown) {
  if (value === undefined) {
    return;
  }
  const isMapping = (candidate: unknown): candidate is Record<string, unknown> =>
    candidate !== null && typeof candidate === 'object' && !Array.isArray(candidate);
  const lists = ['domains', 'accounts', 'roles'];
  const fix = 'e.g. allowedConsumers: { domains: [marketing], accounts: [\'123456789012\'] }';
  if (!isMapping(value)) {
    throw new Error(`${file}: allowedConsumers must be a mapping of ${lists.join(', ')} (${fix})`);
  }
  for (const [key, entry] of Object.entries(value)) {
    if (key === 'domainPrincipals') {
      if (!isMapping(entry) || Object.values(entry).some((principal) => typeof principal !== 'string')) {
        throw new Error(`${file}: allowedConsumers.domainPrincipals must map each domain to its principal (e.g. marketing: '123456789012')`);
      }
    } else if (!lists.includes(key)) {
      throw new Error(`${file}: unknown field allowedConsumers.${key}; the fields are ${[...lists, 'domainPrincipals'].join(', ')}`);
    } else if (!Array.isArray(entry) || entry.some((item) => typeof item !== 'string')) {
      throw new Error(`${file}: allowedConsumers.${key} must be a list of strings (${fix})`);
    }
  }
}
