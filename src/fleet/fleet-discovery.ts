import * as fs from 'fs';
import * as path from 'path';
import { FleetHost, FleetRepository } from './fleet-host';
import { UpgradeTarget } from './template-version';
import { InvalidOptionError } from '../util/invalid-option-error';

/** The most jobs one matrix of a GitHub Actions workflow run may have. */
export const MAX_WAVE_SIZE = 256;

/** A repository of a fleet run, with the key its jobs and artifacts are named by. */
export interface DiscoveredRepository extends FleetRepository {
  /**
   * Unique in the run, and safe in an artifact's name: its position and its name with anything
   * but letters, digits, `.`, `_` and `-` replaced, e.g. `0003-acme_sales-data`.
   */
  readonly key: string;
}

/**
 * What the discovery of a fleet run found: the target, and the repositories to upgrade in waves
 * of at most {@link MAX_WAVE_SIZE} (one matrix of jobs a wave). Written by the trusted discovery
 * job; the apply jobs take the repositories they write, and the name of each one's propose job,
 * from it, never from a proposal.
 */
export interface FleetDiscovery {
  /** The version the fleet is upgraded to. */
  readonly to: string;
  /** What `.projenrc.ts` gets as `templateVersion`, and what npm installs. */
  readonly target: UpgradeTarget;
  /** The repositories of each wave, in order. */
  readonly waves: DiscoveredRepository[][];
  /** Archived repositories: listed, and not upgraded. */
  readonly archived: string[];
}

/** How to discover a fleet run. */
export interface DiscoverFleetOptions {
  readonly host: FleetHost;
  readonly target: UpgradeTarget;
  /** Only these repositories (by name). @default - all the host lists */
  readonly only?: string[];
  /** The number of waves the workflow has jobs for. */
  readonly waves: number;
  /** The repositories of a wave. @default 256 */
  readonly waveSize?: number;
}

/**
 * Lists the fleet and splits the repositories to upgrade into waves. More repositories than the
 * waves can take are refused with the fix, before any job starts: a run never leaves part of the
 * fleet out without saying so.
 */
export async function discoverFleet(options: DiscoverFleetOptions): Promise<FleetDiscovery> {
  const waveSize = options.waveSize ?? MAX_WAVE_SIZE;
  if (!Number.isInteger(waveSize) || waveSize < 1 || waveSize > MAX_WAVE_SIZE) {
    throw new InvalidOptionError('--wave-size', `${options.waveSize} is not a number of repositories from 1 to ${MAX_WAVE_SIZE} (a matrix has at most ${MAX_WAVE_SIZE} jobs)`);
  }
  if (!Number.isInteger(options.waves) || options.waves < 1) {
    throw new InvalidOptionError('--waves', `${options.waves} is not a number of waves; give the number the workflow has jobs for, e.g. --waves 4`);
  }
  const listed = await options.host.listRepositories();
  const unknown = (options.only ?? []).filter((name) => !listed.some((repository) => repository.name === name));
  if (unknown.length > 0) {
    throw new InvalidOptionError('--only', `not found on ${options.host.description}: ${unknown.join(', ')}`);
  }
  const selected = listed.filter((repository) => !options.only || options.only.includes(repository.name));
  const active = selected.filter((repository) => !repository.archived);
  if (active.length > options.waves * waveSize) {
    throw new InvalidOptionError(
      '--waves',
      `${active.length} repositories need ${Math.ceil(active.length / waveSize)} waves of ${waveSize}, and the workflow has ${options.waves}: raise fleetUpgradeWaves in .projenrc.ts, or give --only a part of the fleet`,
    );
  }
  const keyed = active.map((repository, index) => ({ ...repository, key: `${String(index + 1).padStart(4, '0')}-${repository.name.replace(/[^A-Za-z0-9._-]/g, '_')}` }));
  const waves = Array.from({ length: options.waves }, (_, wave) => keyed.slice(wave * waveSize, (wave + 1) * waveSize));
  const archived = selected.filter((repository) => repository.archived).map((repository) => repository.name);
  return { to: options.target.version, target: options.target, waves, archived };
}

/**
 * The outputs of the discovery job (`$GITHUB_OUTPUT` lines): `to` (the target as the propose
 * jobs' `--to` takes it: the version `latest` resolved to, or a tarball), and for each wave `wave-<n>`
 * (its matrix: repository, name without the owner, key) and `repositories-<n>` (the names an app
 * token of the wave is limited to, separated by commas).
 */
export function discoveryOutputs(discovery: FleetDiscovery): string {
  // What the propose jobs' --to takes for this target: the version, or the tarball's path.
  const { templateVersion } = discovery.target;
  const lines = [`to=${templateVersion.startsWith('file:') ? templateVersion.slice('file:'.length) : discovery.to}`];
  discovery.waves.forEach((wave, index) => {
    const matrix = wave.map((repository) => ({ repository: repository.name, name: repository.name.split('/').pop(), key: repository.key }));
    lines.push(`wave-${index + 1}=${JSON.stringify(matrix)}`);
    lines.push(`repositories-${index + 1}=${matrix.map((entry) => entry.name).join(',')}`);
  });
  return lines.join('\n') + '\n';
}

/** Writes the discovery as JSON (its folder is created). */
export function writeDiscovery(file: string, discovery: FleetDiscovery): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(discovery, null, 2) + '\n');
}

/** Reads a discovery the discovery job wrote; a file that is not one is refused naming `flag`. */
export function readDiscovery(file: string, flag = '--discovery'): FleetDiscovery {
  let data: any;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidOptionError(flag, `${file} is not the discovery the discovery job wrote: ${(error as Error).message}`);
  }
  if (typeof data?.to !== 'string' || !Array.isArray(data.waves) || typeof data.target?.installSpec !== 'string') {
    throw new InvalidOptionError(flag, `${file} is not the discovery the discovery job wrote (to, target, waves)`);
  }
  return data as FleetDiscovery;
}
