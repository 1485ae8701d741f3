import * as fs from 'fs';
import { parseFlags } from './command-line';
import { checkAccessChange } from '../contract/access-check';
import { renderAccessCheckMarkdown, renderAccessCheckText } from '../contract/access-check-report';
import { readContractChanges } from '../contract/changed-contracts';
import { ContractBaseError } from '../contract/diff-contract-files';
import { domainNameProblem } from '../domain/domain-name';
import { requireGovernancePolicyFile } from '../domain/governance-policy-file';
import { InvalidOptionError } from '../util/invalid-option-error';

const OPTIONS = {
  base: { type: 'string' },
  head: { type: 'string' },
  domain: { type: 'string' },
  policy: { type: 'string' },
  json: { type: 'boolean' },
  summary: { type: 'string' },
} as const;

/**
 * `sdlf-mesh access check --base <revision> ...`, run in a domain repository: exits 0 when the
 * change is an access request the governance policy approves without a person, 1 when it needs
 * the producer's review, and 2, with one line, on a usage error (as `access request` does), so a
 * mistake in the command is never read as a verdict.
 *
 * No flag says that the pull request claims approval: the claim is its label, and the
 * access-check workflow runs the command only on a pull request that carries it, so there exit 1
 * is the claim refuted and fails the check. Run by hand, it tells whether a change would be
 * approved.
 */
export async function accessCheckCommand(args: string[]): Promise<number> {
  try {
    return await accessCheck(args);
  } catch (error) {
    if (error instanceof InvalidOptionError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof ContractBaseError) {
      console.error(new InvalidOptionError('--base', error.message).message);
      return 2;
    }
    throw error;
  }
}

async function accessCheck(args: string[]): Promise<number> {
  const { values } = parseFlags(args, OPTIONS, false);
  if (values.base === undefined) {
    throw new InvalidOptionError('--base', 'give the revision the change is compared with, e.g. --base origin/main (the pull request\'s base branch, fetched)');
  }
  const domain = values.domain;
  const problem = domain === undefined ? undefined : domainNameProblem(domain);
  if (problem) {
    throw new InvalidOptionError('--domain', `"${domain}" ${problem}`);
  }
  // The flags first: a bad one is said before git runs.
  const policy = values.policy === undefined ? undefined : requireGovernancePolicyFile(values.policy, '--policy');
  const changes = await readContractChanges({ cwd: process.cwd(), base: values.base, head: values.head });
  const check = checkAccessChange(changes, { domain, policy });
  console.log(values.json ? JSON.stringify(check, null, 2) : renderAccessCheckText(check, domain));
  if (values.summary) {
    fs.appendFileSync(values.summary, renderAccessCheckMarkdown(check, domain));
  }
  return check.approved ? 0 : 1;
}
