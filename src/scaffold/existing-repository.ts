import * as fs from 'fs';
import * as path from 'path';
import { DomainOptionValues } from '../domain/domain-settings';
import { DEFAULT_ENVIRONMENTS, parseEnvironmentSpecs } from '../domain/environment-spec';
import { ProjenrcError, ProjenrcFile } from '../projects/projenrc-file';
import { commitOf } from '../util/git';
import { InvalidOptionError } from '../util/invalid-option-error';

/** An option a re-run may give, with its flag and its value when `.projenrc.ts` does not set it. */
interface ComparedOption {
  readonly option: 'owner' | 'costCenter' | 'environments' | 'githubOrg' | 'platformTeam' | 'templateVersion';
  readonly flag: string;
  /** The value of a repository whose `.projenrc.ts` does not set the option; undefined: not compared then. */
  readonly unset?: string | string[];
}

const COMPARED: readonly ComparedOption[] = [
  { option: 'owner', flag: '--owner' },
  { option: 'costCenter', flag: '--cost-center', unset: 'unassigned' },
  { option: 'environments', flag: '--environments', unset: DEFAULT_ENVIRONMENTS },
  { option: 'githubOrg', flag: '--github-org' },
  { option: 'platformTeam', flag: '--platform-team' },
  { option: 'templateVersion', flag: '--template-version' },
];

/**
 * A folder that holds anything must be this domain's committed repository to be resumed, and the
 * options given again must be the ones it was generated with: a re-run completes the publishing of
 * the repository as it is, so a flag that differs would only be a plan that contradicts it.
 */
export async function assertSameDomainRepository(dir: string, options: DomainOptionValues): Promise<void> {
  const projenrc = readProjenrc(dir);
  const domain = projenrc?.domainOption('domain');
  const isDomainRepository = domain?.state === 'literal' && domain.value === options.domain;
  const committed = isDomainRepository && (await commitOf(dir, 'HEAD')) !== undefined;
  if (!projenrc || !committed) {
    throw new InvalidOptionError(
      'dir',
      `${dir} exists and is not the committed repository of domain "${options.domain}"; give a new or empty folder` +
        (isDomainRepository ? ' (or remove this half-generated one and run again)' : ''),
    );
  }
  for (const { option, flag, unset } of COMPARED) {
    const given = options[option];
    // A value written out is compared; an option not set, with its default; one computed, not at all.
    const read = projenrc.domainOption(option);
    const value = read.state === 'literal' ? read.value : read.state === 'unset' ? unset : undefined;
    if (given === undefined || value === undefined || sameValue(option, given, value)) {
      continue;
    }
    const show = (shown: string | string[]) => (Array.isArray(shown) ? shown.join(', ') : shown);
    const rerun = Array.isArray(value) ? value.map((item) => `${flag} ${item}`).join(' ') : `${flag} ${value}`;
    throw new InvalidOptionError(
      option,
      `the repository in ${dir} was generated with ${show(value)}${read.state === 'unset' ? ' (the default)' : ''}` +
        ` in its .projenrc.ts, not ${show(given)}; run again with ${rerun} (or leave ${flag} out) to complete it,` +
        ' or change .projenrc.ts there and run npx projen to change it',
    );
  }
}

function sameValue(option: ComparedOption['option'], given: string | string[], written: string | string[]): boolean {
  if (option === 'environments') {
    const normal = (specs: string | string[]) => JSON.stringify(parseEnvironmentSpecs(Array.isArray(specs) ? specs : [specs]));
    return normal(given) === normal(written);
  }
  return JSON.stringify(given) === JSON.stringify(written);
}

/**
 * The repository's `.projenrc.ts` when it creates an `SdlfDomainProject` from options written in
 * the call; undefined when it is missing, unreadable, or creates none.
 */
function readProjenrc(dir: string): ProjenrcFile | undefined {
  const file = path.join(dir, '.projenrc.ts');
  if (!fs.existsSync(file)) {
    return undefined;
  }
  try {
    const projenrc = ProjenrcFile.parse(fs.readFileSync(file, 'utf8'));
    return projenrc.createsDomainProject ? projenrc : undefined;
  } catch (error) {
    if (error instanceof ProjenrcError) {
      return undefined;
    }
    throw error;
  }
}
