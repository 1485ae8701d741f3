import * as fs from 'fs';
import * as path from 'path';
import { DomainOptionValues } from '../domain/domain-settings';
import { DEFAULT_ENVIRONMENTS, parseEnvironmentSpecs } from '../domain/environment-spec';
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
  const projenrcFile = path.join(dir, '.projenrc.ts');
  const projenrc = fs.existsSync(projenrcFile) ? fs.readFileSync(projenrcFile, 'utf8') : '';
  const projectOptions = /new SdlfDomainProject\(\{([\s\S]*?)\n\}\);/.exec(projenrc)?.[1];
  const isDomainRepository = projectOptions !== undefined && readOption(projectOptions, 'domain') === options.domain;
  const committed = isDomainRepository && (await commitOf(dir, 'HEAD')) !== undefined;
  if (!committed) {
    throw new InvalidOptionError(
      'dir',
      `${dir} exists and is not the committed repository of domain "${options.domain}"; give a new or empty folder` +
        (isDomainRepository ? ' (or remove this half-generated one and run again)' : ''),
    );
  }
  for (const { option, flag, unset } of COMPARED) {
    const given = options[option];
    const written = readOption(projectOptions, option) ?? unset;
    if (given === undefined || written === undefined || sameValue(option, given, written)) {
      continue;
    }
    const show = (value: string | string[]) => (Array.isArray(value) ? value.join(', ') : value);
    const rerun = Array.isArray(written) ? written.map((value) => `${flag} ${value}`).join(' ') : `${flag} ${written}`;
    throw new InvalidOptionError(
      option,
      `the repository in ${dir} was generated with ${show(written)}${readOption(projectOptions, option) === undefined ? ' (the default)' : ''}` +
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
 * The value of an option of `.projenrc.ts` as `projen new` writes it: a line `name: 'text',` or
 * `name: ['a', 'b'],`. Undefined when the option is not set that way (commented out, computed,
 * spread over lines): such a value is not compared.
 */
function readOption(projectOptions: string, name: string): string | string[] | undefined {
  const line = new RegExp(`^\\s*${name}: (.*?),?\\s*$`, 'm').exec(projectOptions)?.[1];
  if (line === undefined) {
    return undefined;
  }
  const text = /^'([^'\\]*)'$/.exec(line) ?? /^"([^"\\]*)"$/.exec(line);
  if (text) {
    return text[1];
  }
  const list = /^\[(.*)\]$/.exec(line)?.[1];
  if (list === undefined) {
    return undefined;
  }
  const items = list.split(',').map((item) => item.trim()).filter(Boolean).map((item) => /^'([^'\\]*)'$/.exec(item)?.[1] ?? /^"([^"\\]*)"$/.exec(item)?.[1]);
  return items.every((item): item is string => item !== undefined) ? items : undefined;
}
