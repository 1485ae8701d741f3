import * as fs from 'fs';
import * as path from 'path';
import { FleetHost, FleetRepository } from './fleet-host';
import { fingerprintsAt, sampleChanges, sampleChangesSection } from './sample-changes';
import { SharedInstall } from './shared-install';
import { currentTemplateVersion, setTemplateVersion, UpgradeTarget } from './template-version';
import { changelogBetween, readTemplateChangelog, upgradeRequestBody, upgradeRequestTitle } from './upgrade-request-body';
import { SAMPLES_OUT_ENV } from '../projects/sample-renderings';
import { exec } from '../util/exec';

/** What became of one repository. */
export type UpgradeStatus = 'upgraded' | 'current' | 'archived' | 'failed';

/** One row of the upgrade report. */
export interface RepositoryUpgrade {
  readonly repository: string;
  readonly status: UpgradeStatus;
  /** The template version it was at. */
  readonly from?: string;
  readonly to: string;
  /** The upgrade branch. */
  readonly branch?: string;
  /** The upgrade request (pull request) a reviewer merges. */
  readonly requestUrl?: string;
  /** Whether the request was opened by this run (false: the open one was updated). */
  readonly requestCreated?: boolean;
  /** Why it failed, and in which step. */
  readonly error?: string;
  readonly step?: string;
  /** How long each step took, in seconds, in the order they ran. */
  readonly stepSeconds?: Record<string, number>;
}

/** How to upgrade a repository. */
export interface UpgradeRepositoryOptions {
  readonly host: FleetHost;
  readonly target: UpgradeTarget;
  /** A folder of this run's clones (one sub-folder a repository, removed when it is done). */
  readonly workDir: string;
  /**
   * The run's dependencies, installed once for the whole fleet.
   * @default - the repository installs its dependencies on its own (from npm's cache)
   */
  readonly sharedInstall?: SharedInstall;
  /** Run the repository's own build (tests and synth) before pushing. */
  readonly verify?: boolean;
  readonly draft?: boolean;
  readonly labels?: string[];
  /** Called as each step starts. */
  readonly onStep?: (step: string) => void;
}

/** The branch an upgrade to `version` is pushed to: one per target version, so a re-run finds it. */
export function upgradeBranch(version: string): string {
  return `sdlf-mesh/upgrade-${version}`;
}

// Projen writes sample files only when they are missing, so the domain team's files survive the
// synth; the only domain file the upgrade edits is the template version in .projenrc.ts.
const DOMAIN_FILES_THE_UPGRADE_EDITS = ['.projenrc.ts'];

/**
 * Upgrades one domain repository: clone, read its template version, pin the target in
 * `.projenrc.ts`, install it, run `npx projen` (and the build with `verify`), commit on the
 * target's branch, push it with git, and open the upgrade request or update the open one.
 *
 * It looks before it writes, so running it again finishes an interrupted run: a repository at
 * the target is `current`; a branch already pushed with the upgrade only gets its request.
 * A failure is returned, with its step, not thrown: the fleet goes on.
 */
export async function upgradeRepository(repository: FleetRepository, options: UpgradeRepositoryOptions): Promise<RepositoryUpgrade> {
  const to = options.target.version;
  if (repository.archived) {
    return { repository: repository.name, status: 'archived', to };
  }
  const dir = path.join(options.workDir, repository.name.replace(/[^A-Za-z0-9._-]/g, '_'));
  const branch = upgradeBranch(to);
  const env: NodeJS.ProcessEnv = { ...options.host.gitEnvironment(), CI: undefined, npm_config_audit: 'false', npm_config_fund: 'false' };
  const run = (program: string, ...args: string[]) => exec(program, args, { cwd: dir, env });
  const stepSeconds: Record<string, number> = {};
  let step = 'clone';
  let stepStarted = Date.now();
  const stopClock = () => {
    stepSeconds[step] = (Date.now() - stepStarted) / 1000;
    stepStarted = Date.now();
  };
  const enter = (name: string) => {
    stopClock();
    step = name;
    options.onStep?.(name);
  };
  // Each outcome carries the steps' durations, the last one's included.
  const timed = (result: RepositoryUpgrade): RepositoryUpgrade => {
    stopClock();
    return { ...result, stepSeconds };
  };
  let from: string | undefined;
  // The request's description is the upgrade commit's message as git keeps it (trimmed), so the
  // run that made the commit and any re-run send the same text.
  const openRequest = async (commit: string): Promise<RepositoryUpgrade> => {
    enter('request');
    const body = (await run('git', 'log', '-1', '--format=%b', commit)).stdout.trim();
    const content = { branch, title: upgradeRequestTitle(to), body, draft: options.draft, labels: options.labels };
    const request = await options.host.openOrUpdateUpgradeRequest(repository, content);
    return timed({ repository: repository.name, status: 'upgraded', from, to, branch, requestUrl: request.url, requestCreated: request.created });
  };
  try {
    options.onStep?.('clone');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // Blobs come on demand: the history is there for git, the contents only of what is read.
    await run('git', 'clone', '--quiet', '--filter=blob:none', '--branch', repository.defaultBranch, repository.cloneUrl, '.');
    from = currentTemplateVersion(dir);
    if (from === to) {
      return timed({ repository: repository.name, status: 'current', from, to });
    }

    const pushed = (await run('git', 'ls-remote', '--heads', 'origin', branch)).stdout.trim() !== '';
    if (pushed && (await upgradedOnBranch(dir, branch, env, options.target.templateVersion))) {
      return await openRequest(`origin/${branch}`);
    }

    enter('bump');
    const projenrc = path.join(dir, '.projenrc.ts');
    fs.writeFileSync(projenrc, setTemplateVersion(fs.readFileSync(projenrc, 'utf8'), options.target.templateVersion));
    enter('install');
    const install = async () => void (await run('npm', 'install', '--no-audit', '--no-fund', '--prefer-offline', options.target.installSpec));
    await (options.sharedInstall ? options.sharedInstall.install(dir, install) : install());
    enter('synth');
    const renderings = path.join(options.workDir, `${path.basename(dir)}.samples`);
    fs.rmSync(renderings, { recursive: true, force: true });
    await exec('npx', ['projen'], { cwd: dir, env: { ...env, [SAMPLES_OUT_ENV]: renderings } });
    const samplesSection = sampleChangesSection(await sampleChanges(dir, renderings, await fingerprintsAt(dir, `origin/${repository.defaultBranch}`, env)));
    fs.rmSync(renderings, { recursive: true, force: true });
    if (options.verify) {
      enter('verify');
      await run('npx', 'projen', 'build');
    }

    enter('commit');
    await run('git', 'checkout', '--quiet', '-B', branch);
    await run('git', 'add', '--all');
    // Described before the commit, and kept in its message, so a re-run opens the same request.
    const facts = await describeUpgrade(dir, ['--cached', `origin/${repository.defaultBranch}`], from, to, env, samplesSection);
    const configured = await run('git', 'config', 'user.email').then(() => true, () => false);
    await run('git', ...identity(configured), 'commit', '--quiet', '-m', facts.title, '-m', facts.body);
    enter('push');
    // The branch is the upgrade's own: a half-done branch of an earlier run is replaced.
    await run('git', 'push', '--quiet', '--force', 'origin', `HEAD:refs/heads/${branch}`);
    return await openRequest('HEAD');
  } catch (error) {
    return timed({ repository: repository.name, status: 'failed', from, to, step, error: failureSummary(error as Error) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether the pushed upgrade branch already depends on the target (projen writes `templateVersion` as the spec). */
async function upgradedOnBranch(dir: string, branch: string, env: NodeJS.ProcessEnv, templateVersion: string): Promise<boolean> {
  await exec('git', ['fetch', '--quiet', 'origin', `${branch}:refs/remotes/origin/${branch}`], { cwd: dir, env });
  const manifest = await exec('git', ['show', `origin/${branch}:package.json`], { cwd: dir, env }).then((r) => r.stdout, () => '{}');
  return JSON.parse(manifest).dependencies?.['sdlf-mesh'] === templateVersion;
}

/** The title and body of the request, from the files the upgrade changed (`diff`: what `git diff --name-only` compares). */
async function describeUpgrade(dir: string, diff: string[], from: string | undefined, to: string, env: NodeJS.ProcessEnv, samplesSection: string) {
  const changed = (await exec('git', ['diff', '--name-only', ...diff], { cwd: dir, env })).stdout.split('\n').filter(Boolean);
  const managed = new Set<string>(readManagedFiles(dir));
  const changelog = readTemplateChangelog(dir);
  const domainFiles = changed.filter((file) => !managed.has(file) && DOMAIN_FILES_THE_UPGRADE_EDITS.includes(file));
  const humanSteps = changed
    .filter((file) => !managed.has(file) && !DOMAIN_FILES_THE_UPGRADE_EDITS.includes(file) && file !== 'package-lock.json')
    .map((file) => `\`${file}\` changed although neither the template nor the upgrade owns it: check it`);
  if (samplesSection) {
    humanSteps.push('Take what you want from the template\'s new samples (below) into your files.');
  }
  return {
    title: upgradeRequestTitle(to),
    body: upgradeRequestBody({
      from,
      to,
      managedFiles: changed.filter((file) => managed.has(file) || file === 'package-lock.json'),
      domainFiles,
      changelog: changelog && changelogBetween(changelog, from, to),
      humanSteps,
      samplesSection,
    }),
  };
}

/** The files projen manages in a repository, as it lists them in `.projen/files.json`. */
function readManagedFiles(dir: string): string[] {
  const file = path.join(dir, '.projen', 'files.json');
  return fs.existsSync(file) ? [...JSON.parse(fs.readFileSync(file, 'utf8')).files, '.projen/files.json'] : [];
}

/**
 * What failed, in a few lines: the failed command, the lines that say why (errors, the remote's
 * messages) and the last lines, without npm's warnings and stack frames that bury the cause.
 */
export function failureSummary(error: Error): string {
  const [first, ...rest] = error.message.split('\n');
  const meaningful = rest.map((line) => line.trimEnd()).filter((line) => line.trim() !== '' && !/^npm (warn|notice)\b/.test(line) && !/^\s+at /.test(line));
  const why = meaningful.filter((line) => /\b(error|fatal|failed|rejected|denied|refused)\b|^remote:/i.test(line)).slice(0, 6);
  return [first, ...new Set([...why, ...meaningful.slice(-3)])].join('\n');
}

/** git's identity options, when the machine has none (a fresh CI runner). */
function identity(configured: boolean): string[] {
  return configured ? [] : ['-c', 'user.name=sdlf-mesh', '-c', 'user.email=sdlf-mesh@users.noreply.github.com'];
}
