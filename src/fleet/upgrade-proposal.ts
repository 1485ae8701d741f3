import * as fs from 'fs';
import * as path from 'path';
import { readRegularFile } from '../util/read-regular-file';

/**
 * What the propose phase of an upgrade found for one repository: `change` (the patch of the
 * upgrade is beside it), `current` (its default branch is at the target already) or `failed`
 * (a step failed: which, and why).
 */
export type ProposalStatus = 'change' | 'current' | 'failed';

/**
 * The change an upgrade proposes to one repository, as data: made where the repository's code
 * ran (its install, its `.projenrc.ts`), with no write credential, and checked by the apply
 * phase, which never runs that code. It sits in a folder as `proposal.json` and, for a change,
 * `upgrade.patch` (a binary `git diff` from the base to the upgraded tree).
 *
 * Everything in it is the repository's word: the apply phase takes the repository it belongs to
 * from its own run (the job or worker that made it), never from these fields, and only uses
 * what it checked.
 */
export interface UpgradeProposal {
  /** The repository it was made for, as the run named it. */
  readonly repository: string;
  /** The commit of the default branch the change is made on. */
  readonly base: string;
  /** The template version the repository is at, as its base says. */
  readonly from?: string;
  /** The target version. */
  readonly to: string;
  readonly status: ProposalStatus;
  /** The description of the upgrade request (the apply phase writes its own title). */
  readonly body?: string;
  /** The step that failed, and why. */
  readonly step?: string;
  readonly error?: string;
  /** How long each step took, in seconds. */
  readonly stepSeconds?: Record<string, number>;
}

/** The proposal's file in its folder. */
export const PROPOSAL_FILE = 'proposal.json';
/** The patch's file in the proposal's folder. */
export const PATCH_FILE = 'upgrade.patch';

/** The largest `proposal.json` the apply phase reads: a few fields and a description. */
const MAX_PROPOSAL_BYTES = 1024 * 1024;
/** The largest patch the apply phase applies: a template upgrade changes generated files, not data. */
export const MAX_PATCH_BYTES = 64 * 1024 * 1024;
/** GitHub's limit on a pull request's description. */
export const MAX_BODY_CHARACTERS = 65_536;
/** The most characters of a failure's reason kept in the report. */
const MAX_ERROR_CHARACTERS = 4_000;
const COMMIT = /^[0-9a-f]{40}$/;

/** A proposal that the apply phase does not take, with the reason. */
export class ProposalRejectedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ProposalRejectedError';
  }
}

/** Writes a proposal (and its patch, for a change) into `dir`, which is created. */
export function writeProposal(dir: string, proposal: UpgradeProposal, patch?: Buffer): void {
  fs.mkdirSync(dir, { recursive: true });
  if (patch !== undefined) {
    fs.writeFileSync(path.join(dir, PATCH_FILE), patch);
  }
  fs.writeFileSync(path.join(dir, PROPOSAL_FILE), JSON.stringify(proposal, null, 2) + '\n');
}

/** A proposal the apply phase checked, with the path of its patch for a change. */
export interface CheckedProposal {
  readonly proposal: UpgradeProposal;
  /** The patch's file, for a `change`. */
  readonly patchFile?: string;
}

/**
 * Reads the proposal in `dir` as untrusted data and checks it is one for `expected.repository`
 * and `expected.to`: a regular file within its size, the fields of their types and limits, a
 * base that is a commit ID, a patch (a regular file within its size) for a change. What it does
 * not take it names in a {@link ProposalRejectedError}. Whether the patch applies to the base,
 * and the base is the repository's, the apply phase checks with git.
 */
export function readProposal(dir: string, expected: { repository: string; to: string }): CheckedProposal {
  const file = path.join(dir, PROPOSAL_FILE);
  if (!fs.existsSync(dir) || !fs.lstatSync(dir).isDirectory()) {
    throw new ProposalRejectedError('no proposal: its propose job or worker left none (see its log)');
  }
  const content = readRegularFile(file, MAX_PROPOSAL_BYTES);
  if (!content.bytes) {
    throw new ProposalRejectedError(`${PROPOSAL_FILE} ${content.unreadable ?? 'cannot be read'}`);
  }
  let data: any;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(content.bytes));
  } catch (error) {
    throw new ProposalRejectedError(`${PROPOSAL_FILE} is not JSON: ${(error as Error).message}`);
  }
  const field = (name: string, valid: boolean, what: string) => {
    if (!valid) {
      throw new ProposalRejectedError(`${PROPOSAL_FILE}: ${name} must be ${what}`);
    }
  };
  field('the proposal', typeof data === 'object' && data !== null && !Array.isArray(data), 'an object');
  field('repository', data.repository === expected.repository, `"${expected.repository}", the repository it was made for`);
  field('to', data.to === expected.to, `"${expected.to}", this run's target`);
  field('status', ['change', 'current', 'failed'].includes(data.status), 'change, current or failed');
  field('base', typeof data.base === 'string' && COMMIT.test(data.base), 'a commit ID (40 hexadecimal digits)');
  field('from', data.from === undefined || (typeof data.from === 'string' && data.from.length <= 200), 'a version');
  field('body', data.body === undefined || (typeof data.body === 'string' && data.body.length <= MAX_BODY_CHARACTERS), `a text of at most ${MAX_BODY_CHARACTERS} characters`);
  field('step', data.step === undefined || (typeof data.step === 'string' && /^[a-z-]{1,40}$/.test(data.step)), 'the name of a step');
  field('error', data.error === undefined || typeof data.error === 'string', 'a text');
  const stepSeconds = data.stepSeconds ?? {};
  field('stepSeconds', typeof stepSeconds === 'object' && Object.entries(stepSeconds).every(([step, seconds]) => /^[a-z-]{1,40}$/.test(step) && typeof seconds === 'number' && seconds >= 0), 'seconds by step name');
  const proposal: UpgradeProposal = {
    repository: data.repository,
    base: data.base,
    from: data.from,
    to: data.to,
    status: data.status,
    body: data.body,
    step: data.step,
    error: typeof data.error === 'string' ? data.error.slice(0, MAX_ERROR_CHARACTERS) : undefined,
    stepSeconds,
  };
  if (proposal.status !== 'change') {
    return { proposal };
  }
  field('body', typeof data.body === 'string', 'given for a change');
  const patchFile = path.join(dir, PATCH_FILE);
  const patch = fs.existsSync(patchFile) ? fs.lstatSync(patchFile) : undefined;
  if (!patch?.isFile()) {
    throw new ProposalRejectedError(`${PATCH_FILE} must be a regular file beside a proposal of a change`);
  }
  if (patch.size > MAX_PATCH_BYTES) {
    throw new ProposalRejectedError(`${PATCH_FILE} is ${patch.size} bytes, more than the ${MAX_PATCH_BYTES} a template upgrade may change`);
  }
  return { proposal, patchFile };
}
