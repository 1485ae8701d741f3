import { AccessCheck, AccessCheckFile } from './access-check';

/** Who reviews what the policy does not approve: the producer's team, by its domain when known. */
function reviewer(domain: string | undefined): string {
  return domain === undefined ? 'the producer\'s review' : `the ${domain} team's review`;
}

/** What a file's change grants, e.g. `grants domain finance select on orders.order_id, orders.currency`. */
function grantsOf(file: AccessCheckFile): string {
  return file.grants.map((grant) => `grants domain ${grant.consumer} select on ${grant.added.join(', ')}`).join('; ');
}

/** The verdict of the whole change, in one line. */
function summaryOf(check: AccessCheck, domain: string | undefined): string {
  if (check.approved) {
    return 'Approved by policy: the change only grants consumer domains the governance policy allows columns that are not sensitive (accessRequests.autoApprove: non-sensitive).';
  }
  const files = check.files.filter((file) => file.reasons.length > 0).length;
  const what = [...(files > 0 ? [`${files} of ${check.files.length} changed file${check.files.length === 1 ? '' : 's'}`] : []), ...(check.reasons.length > 0 ? ['the change as a whole'] : [])];
  const singular = what.length === 1 && files <= 1;
  return `Not approved by policy: ${what.join(' and ')} need${singular ? 's' : ''} ${reviewer(domain)}, for the reasons above.`;
}

/**
 * The check as a person reads it in a CI log: a line per changed file with its verdict and what
 * it grants, the reasons it needs the producer's review under it, and the verdict of the whole
 * change last.
 *
 * @param domain the producer's domain, to name its team
 */
export function renderAccessCheckText(check: AccessCheck, domain?: string): string {
  const lines: string[] = [];
  for (const file of check.files) {
    const grants = grantsOf(file);
    lines.push(`${file.file}: ${file.reasons.length === 0 ? 'approved by policy' : 'needs review'}${grants ? `: ${grants}` : ''}`);
    lines.push(...file.reasons.map((reason) => `  - ${reason}`));
  }
  if (check.reasons.length > 0) {
    lines.push('the change as a whole: needs review', ...check.reasons.map((reason) => `  - ${reason}`));
  }
  lines.push(summaryOf(check, domain));
  return lines.join('\n');
}

/** The check as a Markdown job summary. */
export function renderAccessCheckMarkdown(check: AccessCheck, domain?: string): string {
  const lines = ['## Access request check', '', `${check.approved ? '✅' : '❌'} ${summaryOf(check, domain).replace(', for the reasons above', '')}`, ''];
  for (const file of check.files) {
    const grants = grantsOf(file);
    lines.push(`- \`${file.file}\`: ${file.reasons.length === 0 ? 'approved by policy' : '**needs review**'}${grants ? `: ${grants}` : ''}`);
    lines.push(...file.reasons.map((reason) => `  - ${reason}`));
  }
  lines.push(...check.reasons.map((reason) => `- **needs review**: ${reason}`));
  return `${lines.join('\n')}\n`;
}
