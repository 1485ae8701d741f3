import * as fs from 'fs';
import * as path from 'path';
import { ContractDiff, diffContracts } from './contract-diff';
import { ContractDocument, MAX_CONTRACT_BYTES } from './contract-document';
import { ContractProblem, formatProblem } from './contract-problem';
import { ContractRuleOptions } from './contract-rules';
import { BaseContract, baseContract, contractFiles, lintContract } from './lint-contract';
import { exec, execBytes } from '../util/exec';
import { tooLarge } from '../util/read-regular-file';

/** The diff of one contract file against its base version. */
export interface ContractFileDiff extends ContractDiff {
  /** The contract file (the base's path when the file was removed). */
  readonly file: string;
  /** Problems of the changed contract: when there are any, it cannot be compared. */
  readonly problems: ContractProblem[];
}

/**
 * Compares contracts with their base versions. `base` is a contract file (then `target` is one
 * too) or a git ref: each contract of `target` (a file or a folder) is compared with the same path
 * at that ref, and a folder's contracts that exist at the ref but no more count as removed.
 */
export async function diffContractFiles(base: string, target: string, options: ContractRuleOptions = {}): Promise<ContractFileDiff[]> {
  const targetIsFolder = fs.existsSync(target) && fs.statSync(target).isDirectory();
  if (!targetIsFolder && fs.existsSync(base) && fs.statSync(base).isFile()) {
    return [compare(target, baseContract(ContractDocument.read(base)), options)];
  }
  const cwd = targetIsFolder ? target : path.dirname(path.resolve(target));
  const root = (await exec('git', ['rev-parse', '--show-toplevel'], { cwd })).stdout.trim();
  const relative = (file: string) => path.relative(root, path.resolve(file)).split(path.sep).join('/');
  const atBase = async (file: string): Promise<BaseContract> => {
    const spec = `${base}:${file}`;
    let size: number;
    try {
      size = Number((await exec('git', ['cat-file', '-s', spec], { cwd: root })).stdout.trim());
    } catch {
      return { problems: [] }; // not in the base: a new data product
    }
    // The size first: a base version is read only when it is a contract's size, and as bytes, so
    // what is not UTF-8 is a problem rather than replaced.
    if (size > MAX_CONTRACT_BYTES) {
      return baseContract(ContractDocument.unreadable(spec, `the file ${tooLarge(size, MAX_CONTRACT_BYTES)}`));
    }
    return baseContract(ContractDocument.decode(spec, (await execBytes('git', ['cat-file', 'blob', spec], { cwd: root })).stdout));
  };

  const files = contractFiles([target]);
  const diffs = await Promise.all(files.map(async (file) => compare(file, await atBase(relative(file)), options)));
  if (targetIsFolder) {
    const listed = (await exec('git', ['ls-tree', '--name-only', base, '--', `${relative(target)}/`], { cwd: root })).stdout;
    const present = new Set(files.map(relative));
    for (const file of listed.split('\n').filter((name) => /\.ya?ml$/.test(name) && !present.has(name))) {
      diffs.push({ ...diffContracts((await atBase(file)).contract, undefined), file, problems: [] });
    }
  }
  return diffs;
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
    lines.push(`${diff.file}: ${diff.fromVersion ?? '(new)'} -> ${diff.toVersion ?? '(removed)'}`);
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
    lines.push(`### \`${diff.file}\` ${diff.fromVersion ?? '(new)'} → ${diff.toVersion ?? '(removed)'} ${verdict}`, '');
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
