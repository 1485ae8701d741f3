import * as fs from 'fs';
import * as path from 'path';
import { ContractDiff, diffContracts } from './contract-diff';
import { ContractDocument, MAX_CONTRACT_BYTES } from './contract-document';
import { ContractProblem, formatProblem } from './contract-problem';
import { BaseContract, baseContract, contractFiles, lintContract } from './lint-contract';
import { ContractRuleOptions } from './rules';
import { commitOf, gitBytes, gitText } from '../util/git';
import { tooLarge } from '../util/read-regular-file';

/** The diff of one contract file against its base version. */
export interface ContractFileDiff extends ContractDiff {
  /** The contract file (the base's path when the file was removed). */
  readonly file: string;
  /** Problems of the changed contract: when there are any, it cannot be compared. */
  readonly problems: ContractProblem[];
}

/**
 * The base of a diff is neither a file nor a git ref that can be read: the message names it and
 * says how to get it (fetch it, or name another ref or a file).
 */
export class ContractBaseError extends Error {
  constructor(
    /** The base as the user gave it, e.g. `origin/main`. */
    public readonly base: string,
    /** Why it cannot be read, and the fix. */
    public readonly problem: string,
  ) {
    super(`the base "${base}" ${problem}`);
    this.name = 'ContractBaseError';
    // A user's mistake: the message is all there is to say.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * Compares contracts with their base versions. `base` is a contract file (then `target` is one
 * too, and the two are compared by their contents, whatever their names) or a git ref: each
 * contract of `target` (a file or a folder) is compared with the same path at that ref, and a
 * folder's contracts that exist at the ref but no more count as removed. A ref that is not there
 * is a {@link ContractBaseError} saying how to get it.
 */
export async function diffContractFiles(base: string, target: string, options: ContractRuleOptions = {}): Promise<ContractFileDiff[]> {
  const targetIsFolder = fs.existsSync(target) && fs.statSync(target).isDirectory();
  if (!targetIsFolder && fs.existsSync(base) && fs.statSync(base).isFile()) {
    // Two files compared before any pull request exists (a draft against the published version):
    // what they say counts, not what they are called, so the rule of a repository's file names
    // is left to lint and to the diff against a git ref, where the file is the repository's.
    return [compare(target, baseContract(ContractDocument.read(base)), { ...options, checkFileName: false })];
  }
  if (targetIsFolder && fs.existsSync(base) && fs.statSync(base).isFile()) {
    throw new ContractBaseError(base, `is a file, and ${target} a folder: compare the file with one contract file, or the folder with a git ref (e.g. origin/main)`);
  }
  const files = contractFiles([target]);
  const root = await gitRoot(base, targetIsFolder ? target : path.dirname(path.resolve(target)));
  await assertBaseRef(base, root);
  const relative = (file: string) => path.relative(root, path.resolve(file)).split(path.sep).join('/');
  const atBase = async (file: string): Promise<BaseContract> => {
    const spec = `${base}:${file}`;
    let size: number;
    try {
      size = Number(await gitText(root, 'cat-file', '-s', spec));
    } catch {
      return { problems: [] }; // not in the base: a new data product
    }
    // The size first: a base version is read only when it is a contract's size, and as bytes, so
    // what is not UTF-8 is a problem rather than replaced.
    if (size > MAX_CONTRACT_BYTES) {
      return baseContract(ContractDocument.unreadable(spec, `the file ${tooLarge(size, MAX_CONTRACT_BYTES)}`));
    }
    return baseContract(ContractDocument.decode(spec, await gitBytes(root, 'cat-file', 'blob', spec)));
  };

  const diffs = await Promise.all(files.map(async (file) => compare(file, await atBase(relative(file)), options)));
  if (targetIsFolder) {
    const listed = await gitText(root, 'ls-tree', '--name-only', base, '--', `${relative(target)}/`);
    const present = new Set(files.map(relative));
    for (const file of listed.split('\n').filter((name) => /\.ya?ml$/.test(name) && !present.has(name))) {
      diffs.push({ ...diffContracts((await atBase(file)).contract, undefined), file, problems: [] });
    }
  }
  return diffs;
}

/** The root of the git repository the target is in; a folder outside one has no refs to compare with. */
async function gitRoot(base: string, cwd: string): Promise<string> {
  try {
    return await gitText(cwd, 'rev-parse', '--show-toplevel');
  } catch {
    throw new ContractBaseError(base, `is not a file, and ${cwd} is not in a git repository to read it as a ref from: give the base version as a contract file`);
  }
}

/**
 * Fails with how to get the base unless it is a commit of the repository: without this, a ref
 * never fetched would make every contract look new, and git's own message names no fix.
 *
 * @param orFile whether a contract file would do as the base too (`contract diff`), for the message
 */
export async function assertBaseRef(base: string, root: string, orFile = true): Promise<void> {
  if ((await commitOf(root, base)) !== undefined) {
    return;
  }
  const remotes = (await gitText(root, 'remote')).split('\n').filter(Boolean);
  const slash = base.indexOf('/');
  const [remote, branch] = slash > 0 ? [base.slice(0, slash), base.slice(slash + 1)] : [undefined, base];
  // `contract diff` takes a file as its base too; the messages say so only there.
  const what = orFile ? { notRef: 'is not a file, nor a ref', noRemote: 'is not a file, and', neither: 'is neither a file nor a git ref', or: ', or a contract file' } : { notRef: 'is not a ref', noRemote: 'is not a ref:', neither: 'is not a git ref', or: '' };
  if (remote !== undefined && remotes.includes(remote)) {
    throw new ContractBaseError(base, `${what.notRef} fetched from remote "${remote}": fetch it (git fetch ${remote} ${branch}), or name a ref that exists (git branch -a lists them)`);
  }
  if (remote === 'origin') {
    throw new ContractBaseError(base, `${what.noRemote} this repository has no remote "origin": add it and fetch it (git remote add origin <url> && git fetch origin ${branch}), or name a local ref such as ${branch}`);
  }
  throw new ContractBaseError(base, `${what.neither} of this repository: name a ref that exists (git branch -a lists them, e.g. origin/main after git fetch origin main)${what.or}`);
}

function compare(file: string, before: BaseContract, options: ContractRuleOptions): ContractFileDiff {
  const report = lintContract(file, options);
  const problems = [...before.problems, ...report.problems];
  if (problems.length > 0) {
    return { file, problems, changes: [], majorBumped: false, ok: false };
  }
  return { ...diffContracts(before.contract, report.contract), file, problems: [] };
}

/** The diff as a person reads it in a terminal or a CI log. */
export function renderDiffText(diffs: ContractFileDiff[]): string {
  const lines: string[] = [];
  for (const diff of diffs) {
    // An invalid contract has no versions to compare: it is neither new nor removed.
    lines.push(`${diff.file}: ${diff.problems.length > 0 ? 'invalid' : `${diff.fromVersion ?? '(new)'} -> ${diff.toVersion ?? '(removed)'}`}`);
    lines.push(...diff.problems.map((problem) => `  invalid   ${formatProblem(problem)}`));
    lines.push(...diff.changes.map((change) => `  ${change.breaking ? 'BREAKING' : change.review ? 'REVIEW  ' : 'change  '}  ${change.path}: ${change.message}`));
    if (diff.notice) {
      lines.push(`  notice    ${diff.notice}`);
    }
    if (diff.problems.length === 0 && diff.changes.length === 0) {
      lines.push('  no change');
    }
    if (!diff.ok && diff.problems.length === 0) {
      lines.push(`  Breaking changes need a major version bump: set version to ${nextMajor(diff.fromVersion)}.`);
    }
  }
  return lines.join('\n');
}

/** The diff as a Markdown job summary. */
export function renderDiffMarkdown(diffs: ContractFileDiff[]): string {
  const lines = ['## Data-product contract changes', ''];
  for (const diff of diffs) {
    const verdict = diff.problems.length > 0 ? '❌ invalid' : diff.ok ? '✅' : '❌ breaking without a major version bump';
    const versions = diff.problems.length > 0 ? '' : ` ${diff.fromVersion ?? '(new)'} → ${diff.toVersion ?? '(removed)'}`;
    lines.push(`### \`${diff.file}\`${versions} ${verdict}`, '');
    if (diff.problems.length > 0) {
      lines.push(...diff.problems.map((problem) => `- ${formatProblem(problem)}`), '');
      continue;
    }
    if (diff.notice) {
      lines.push(`> [!WARNING]\n> ${diff.notice}`, '');
    }
    if (diff.changes.length === 0) {
      lines.push('No change.', '');
      continue;
    }
    lines.push('| | where | change |', '| --- | --- | --- |');
    lines.push(...diff.changes.map((change) => `| ${[change.breaking && '**breaking**', change.review && '**review**'].filter(Boolean).join(', ')} | \`${change.path}\` | ${change.message} |`), '');
  }
  return lines.join('\n');
}

function nextMajor(version: string | undefined): string {
  const major = Number(/^(\d+)/.exec(version ?? '')?.[1] ?? 0);
  return `${major + 1}.0.0`;
}
