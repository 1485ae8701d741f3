/**
 * Runs a generated GitHub Actions workflow the way GitHub would, against the GitHub stand-in:
 * its jobs in the order `needs` gives, each job's `if`, its matrix expanded from the outputs of
 * the jobs it needs, its name evaluated per matrix entry, its own workflow token with exactly the
 * job's `permissions`, and its steps in order:
 *
 * - `run` steps run with bash in the job's workspace, each a process of its own, with the
 *   variables GitHub gives (`GITHUB_OUTPUT`, `GITHUB_RUN_ID`...) and the step's `env`, and nothing
 *   else of this process's environment; `npx sdlf-mesh` is the compiled command under test
 *   (`npm ci` steps are taken as done: the platform's dependency is this package);
 * - `actions/checkout` copies the repository the workflow runs in;
 * - `actions/create-github-app-token` mints an installation token on the stand-in with the
 *   step's `permission-*` inputs, limited to its `repositories` (the job then holds a secret);
 * - `actions/upload-artifact` and `actions/download-artifact` use one artifact store a run, with
 *   the names, paths, hidden files, conflicts and download layouts of the real actions.
 *
 * The jobs' conclusions are recorded on the stand-in as the run's jobs, which the apply command
 * reads through the API. A step the simulation does not know fails, so a workflow that starts
 * using one is noticed.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import type { WorkflowJob } from './github-fleet-operations';
import type { GitHubServer } from './github-server';
import { SDLF_MESH_CLI } from './sdlf-mesh-cli';
import { condition, evaluateValue, ExpressionContext, interpolate } from './workflow-expressions';
import { CommandFailedError, exec } from '../../src/util/exec';

/** What a simulated run needs. */
export interface WorkflowSimulationOptions {
  /** The workflow, as parsed YAML. */
  readonly workflow: any;
  readonly server: GitHubServer;
  /** The repository the workflow runs in (`owner/name`): its jobs' tokens reach it alone. */
  readonly repository: string;
  /** Its working tree: `actions/checkout` copies it. */
  readonly checkout: string;
  /** `workflow_dispatch` inputs. */
  readonly inputs?: Record<string, string>;
  readonly variables?: Record<string, string>;
  /** The repository's secrets: a job whose steps read one holds it. */
  readonly secrets?: Record<string, string>;
  /** The login the app's installation tokens (and the workflow's tokens) act as on the stand-in. */
  readonly appLogin: string;
  /** Matrix jobs at once (GitHub runs up to `max-parallel`; this machine has few cores). @default 2 */
  readonly parallel?: number;
  /** Where the run's workspaces and artifacts go. */
  readonly dir: string;
  /** Told of each job as it ends. */
  readonly log?: (message: string) => void;
}

/** A `run` step as it ran. */
export interface SimulatedRunStep {
  /** The job's name, as evaluated (`propose acme/sales-data`). */
  readonly job: string;
  readonly step: string;
  readonly command: string;
  /** Its whole environment. */
  readonly env: Record<string, string>;
  readonly exitCode: number;
  readonly output: string;
}

/** A token a job got: its workflow token, or one it minted with the app. */
export interface SimulatedToken {
  readonly job: string;
  readonly kind: 'workflow' | 'app';
  readonly token: string;
  readonly permissions: string[];
  readonly repositories: string[];
}

/** What a simulated run did. */
export interface WorkflowSimulationResult {
  readonly runId: number;
  /** Each job instance's name and result, in the order they ended. */
  readonly jobs: Array<{ id: string; name: string; result: 'success' | 'failure' | 'skipped'; secrets: string[]; startedAt: number; endedAt: number }>;
  readonly runSteps: SimulatedRunStep[];
  readonly tokens: SimulatedToken[];
  /** The run's artifact store: a folder an artifact. */
  readonly artifacts: string;
}

interface JobState {
  result: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
}

let nextRunId = 7000;

/** What a runner's machine says of its network, which its steps inherit. */
const RUNNER_NETWORK = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy'];

/** Runs the workflow to its end (see the module's description) and says what it did. */
export async function simulateWorkflow(options: WorkflowSimulationOptions): Promise<WorkflowSimulationResult> {
  const runId = nextRunId++;
  const artifacts = path.join(options.dir, 'artifacts');
  fs.mkdirSync(artifacts, { recursive: true });
  const bin = shims(options.dir);
  const result: WorkflowSimulationResult = { runId, jobs: [], runSteps: [], tokens: [], artifacts };
  const run: WorkflowRunState = { options, runId, artifacts, bin, artifactIds: new Map(), nextArtifactId: 1, result };
  const [owner] = options.repository.split('/');
  options.server.model.workflowRuns.set(runId, { repository: options.repository, jobs: [] });
  const jobs: Record<string, any> = options.workflow.jobs;
  const states = new Map<string, JobState>();
  const pending = Object.keys(jobs);
  while (pending.length > 0) {
    const ready = pending.find((id) => needsOf(jobs[id]).every((need) => states.has(need)));
    if (!ready) {
      throw new Error(`the workflow's needs form a cycle or name a job it lacks: ${pending.join(', ')}`);
    }
    pending.splice(pending.indexOf(ready), 1);
    const job = jobs[ready];
    const needs = Object.fromEntries(needsOf(job).map((need) => [need, states.get(need)]));
    const base: Record<string, unknown> = {
      github: { repository: options.repository, repository_owner: owner, run_id: String(runId), ref: 'refs/heads/main', event_name: 'workflow_dispatch' },
      inputs: options.inputs ?? {},
      vars: options.variables ?? {},
      needs,
    };
    const success = needsOf(job).every((need) => states.get(need)!.result === 'success');
    if (!condition(job.if, { contexts: base, success })) {
      states.set(ready, { result: 'skipped', outputs: {} });
      continue;
    }
    if (job.strategy?.matrix && Object.keys(job.strategy.matrix).some((key) => key !== 'include')) {
      throw new Error(`the workflow simulation expands only matrix.include (job ${ready})`);
    }
    const matrixContext = { contexts: base, success };
    const entries = job.strategy?.matrix ? (evaluateValue(job.strategy.matrix.include, matrixContext) as Array<Record<string, unknown>>) : [{}];
    const results: JobState[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(options.parallel ?? 2, entries.length) }, async () => {
        while (next < entries.length) {
          const matrix = entries[next++];
          results.push(await runJob(run, ready, job, { ...base, matrix }));
        }
      }),
    );
    states.set(ready, {
      result: results.every((state) => state.result === 'success') ? 'success' : 'failure',
      // A matrix job's outputs are those of the instance that set them last, as on GitHub.
      outputs: Object.assign({}, ...results.map((state) => state.outputs)),
    });
  }
  return run.result;
}

interface WorkflowRunState {
  readonly options: WorkflowSimulationOptions;
  readonly runId: number;
  readonly artifacts: string;
  readonly bin: string;
  readonly artifactIds: Map<string, number>;
  nextArtifactId: number;
  readonly result: WorkflowSimulationResult;
}

function needsOf(job: any): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** GitHub's fine-grained permission names from a job's `permissions` or a token step's `permission-*` inputs. */
function permissionList(entries: Array<[string, unknown]>): string[] {
  return entries.filter(([, level]) => level === 'read' || level === 'write').map(([scope, level]) => `${scope.replace(/-/g, '_')}=${level}`);
}

async function runJob(run: WorkflowRunState, id: string, job: any, contexts: Record<string, unknown>): Promise<JobState> {
  const { options } = run;
  const name = job.name === undefined ? id : interpolate(job.name, { contexts, success: true });
  const startedAt = Date.now();
  const record: WorkflowJob = { name, status: 'in_progress', conclusion: null };
  options.server.model.workflowRuns.get(run.runId)!.jobs.push(record);
  const home = fs.mkdtempSync(path.join(options.dir, `${id}-`));
  const workspace = path.join(home, 'workspace');
  fs.mkdirSync(workspace);
  // The job's own token: exactly its permissions, on this repository alone.
  const jobToken = `ghs_job${crypto.randomBytes(16).toString('hex')}`;
  const jobPermissions = permissionList(Object.entries(job.permissions ?? {}));
  options.server.addToken(jobToken, { login: options.appLogin, permissions: jobPermissions, repositories: [options.repository] });
  run.result.tokens.push({ job: name, kind: 'workflow', token: jobToken, permissions: jobPermissions, repositories: [options.repository] });
  const secretsRead = new Set<string>();
  const steps: Record<string, { outputs: Record<string, string>; outcome: string }> = {};
  const secrets = new Proxy(
    { ...options.secrets, GITHUB_TOKEN: jobToken },
    {
      get: (target, key: string) => {
        secretsRead.add(key);
        return (target as Record<string, string>)[key];
      },
    },
  );
  let failed = false;
  for (const [index, step] of (job.steps as any[]).entries()) {
    const context: ExpressionContext = {
      contexts: { ...contexts, steps, secrets, github: { ...(contexts.github as object), token: jobToken } },
      success: !failed,
    };
    const stepName = step.name ?? step.uses ?? step.run;
    if (!condition(step.if, context)) {
      continue;
    }
    const withInputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, String(evaluateValue(value, context) ?? '')]));
    let outputs: Record<string, string> = {};
    try {
      if (step.uses) {
        outputs = await runAction(run, { job: name, step: stepName, uses: step.uses, with: withInputs, workspace });
      } else if (/^npm (ci|install)\b/.test(step.run)) {
        // The platform's dependencies: the package under test, which `npx sdlf-mesh` runs.
      } else {
        const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, interpolate(String(value), context)]));
        outputs = await runScript(run, { job: name, step: stepName, script: interpolate(step.run, context), env, workspace, home });
      }
    } catch (error) {
      failed = true;
      options.log?.(`${name} / ${stepName}: ${(error as Error).message.split('\n').slice(0, 20).join('\n')}`);
    }
    steps[step.id ?? `step-${index}`] = { outputs, outcome: failed ? 'failure' : 'success' };
  }
  const jobOutputs = Object.fromEntries(
    Object.entries(job.outputs ?? {}).map(([key, value]) => [key, interpolate(String(value), { contexts: { ...contexts, steps }, success: true })]),
  );
  const result = failed ? 'failure' : 'success';
  record.status = 'completed';
  record.conclusion = result;
  run.result.jobs.push({ id, name, result, secrets: [...secretsRead].filter((key) => key !== 'GITHUB_TOKEN'), startedAt, endedAt: Date.now() });
  options.log?.(`${name}: ${result}`);
  return { result, outputs: jobOutputs };
}

/** A `run` step: bash in the workspace, with GitHub's variables and the step's env only. */
async function runScript(
  run: WorkflowRunState,
  step: { job: string; step: string; script: string; env: Record<string, string>; workspace: string; home: string },
): Promise<Record<string, string>> {
  const { options } = run;
  const outputFile = path.join(step.home, `output-${crypto.randomBytes(4).toString('hex')}`);
  fs.writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: `${run.bin}:${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: step.home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: step.workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: path.join(step.home, 'summary.md'),
    GITHUB_REPOSITORY: options.repository,
    GITHUB_REPOSITORY_OWNER: options.repository.split('/')[0],
    GITHUB_RUN_ID: String(run.runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_API_URL: options.server.url,
    GITHUB_SERVER_URL: options.server.url,
    RUNNER_TEMP: step.home,
    // The runner's network, as its machine has it (a proxy, its certificate authority): no secret.
    ...Object.fromEntries(RUNNER_NETWORK.filter((key) => process.env[key] !== undefined).map((key) => [key, process.env[key]!])),
    ...step.env,
  };
  // Nothing of this process's environment but PATH's tools: a token of the test cannot leak in.
  const full = Object.fromEntries(Object.keys(process.env).map((key) => [key, undefined])) as Record<string, string | undefined>;
  let exitCode = 0;
  let output = '';
  try {
    const result = await exec('bash', ['-e', '-c', step.script], { cwd: step.workspace, env: { ...full, ...env } });
    output = result.stdout + result.stderr;
  } catch (error) {
    if (!(error instanceof CommandFailedError)) {
      throw error;
    }
    exitCode = error.exitCode ?? -1;
    output = error.output;
  }
  run.result.runSteps.push({ job: step.job, step: step.step, command: step.script, env, exitCode, output });
  if (exitCode !== 0) {
    throw new Error(`exit code ${exitCode}\n${output.slice(-4000)}`);
  }
  return parseOutputs(fs.readFileSync(outputFile, 'utf8'));
}

/** `name=value` lines and `name<<DELIMITER` blocks, as `$GITHUB_OUTPUT` takes them. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const block = /^([^=<]+)<<(.+)$/.exec(lines[index]);
    if (block) {
      const end = lines.indexOf(block[2], index + 1);
      outputs[block[1]] = lines.slice(index + 1, end).join('\n');
      index = end;
    } else if (lines[index].includes('=')) {
      outputs[lines[index].slice(0, lines[index].indexOf('='))] = lines[index].slice(lines[index].indexOf('=') + 1);
    }
  }
  return outputs;
}

async function runAction(
  run: WorkflowRunState,
  step: { job: string; step: string; uses: string; with: Record<string, string>; workspace: string },
): Promise<Record<string, string>> {
  const { options } = run;
  const action = step.uses.split('@')[0];
  switch (action) {
    case 'actions/checkout':
      fs.cpSync(options.checkout, step.workspace, { recursive: true, filter: (source) => !source.includes(`${path.sep}node_modules`) });
      return {};
    case 'actions/setup-node':
      return {};
    case 'actions/create-github-app-token': {
      const owner = step.with.owner || options.repository.split('/')[0];
      const repositories = step.with.repositories ? step.with.repositories.split(/[\s,]+/).filter(Boolean).map((name) => `${owner}/${name}`) : undefined;
      const permissions = permissionList(Object.entries(step.with).filter(([key]) => key.startsWith('permission-')).map(([key, level]) => [key.slice('permission-'.length), level]));
      if (!step.with['client-id'] || !step.with['private-key']) {
        throw new Error('the app token step needs client-id and private-key');
      }
      const token = `ghs_app${crypto.randomBytes(16).toString('hex')}`;
      options.server.addToken(token, { login: options.appLogin, permissions, repositories });
      run.result.tokens.push({ job: step.job, kind: 'app', token, permissions, repositories: repositories ?? [`${owner}/*`] });
      return { token };
    }
    case 'actions/upload-artifact':
      return uploadArtifact(run, step.with, step.workspace);
    case 'actions/download-artifact':
      downloadArtifact(run, step.with, step.workspace);
      return {};
    default:
      throw new Error(`the workflow simulation does not know the action ${action}`);
  }
}

function uploadArtifact(run: WorkflowRunState, inputs: Record<string, string>, workspace: string): Record<string, string> {
  const name = inputs.name || 'artifact';
  const store = path.join(run.artifacts, name);
  if (fs.existsSync(store) && inputs.overwrite !== 'true') {
    // GitHub answers 409: an artifact's name is taken once in a run.
    throw new Error(`an artifact named ${name} exists in this run`);
  }
  const paths = inputs.path.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => path.resolve(workspace, line));
  const files = paths.flatMap((file) => (fs.existsSync(file) ? filesUnder(file, inputs['include-hidden-files'] === 'true') : []));
  if (files.length === 0) {
    if ((inputs['if-no-files-found'] ?? 'warn') === 'error') {
      throw new Error(`no files were found with the provided path: ${inputs.path}`);
    }
    return {};
  }
  // The artifact's root is the folders' least common ancestor, as the action computes it.
  const root = paths.length === 1 && fs.statSync(paths[0]).isDirectory() ? paths[0] : commonAncestor(paths.map((file) => path.dirname(file)));
  fs.rmSync(store, { recursive: true, force: true });
  for (const file of files) {
    const target = path.join(store, path.relative(root, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  const id = run.nextArtifactId++;
  run.artifactIds.set(name, id);
  return { 'artifact-id': String(id) };
}

function downloadArtifact(run: WorkflowRunState, inputs: Record<string, string>, workspace: string): void {
  const target = path.resolve(workspace, inputs.path || '.');
  const stored = fs.readdirSync(run.artifacts);
  let names: string[];
  if (inputs.name) {
    names = [inputs.name];
  } else if (inputs['artifact-ids']) {
    const ids = inputs['artifact-ids'].split(',').map((id) => Number(id.trim()));
    names = [...run.artifactIds].filter(([, id]) => ids.includes(id)).map(([name]) => name);
    if (names.length < ids.length) {
      throw new Error(`no artifact with the IDs ${inputs['artifact-ids']}`);
    }
  } else {
    const pattern = new RegExp(`^${(inputs.pattern || '*').split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    names = stored.filter((name) => pattern.test(name));
  }
  for (const name of names) {
    if (!stored.includes(name)) {
      throw new Error(`Artifact not found for name: ${name}`);
    }
    // As download-artifact: by name, merged, or a single match go into the path itself.
    const single = Boolean(inputs.name) || inputs['merge-multiple'] === 'true' || names.length === 1;
    fs.cpSync(path.join(run.artifacts, name), single ? target : path.join(target, name), { recursive: true });
  }
}

function filesUnder(file: string, hidden: boolean): string[] {
  const base = path.basename(file);
  if (!hidden && base.startsWith('.')) {
    return [];
  }
  if (!fs.statSync(file).isDirectory()) {
    return [file];
  }
  return fs.readdirSync(file).flatMap((entry) => filesUnder(path.join(file, entry), hidden));
}

function commonAncestor(dirs: string[]): string {
  return dirs.reduce((common, dir) => {
    while (!`${dir}${path.sep}`.startsWith(`${common}${path.sep}`)) {
      common = path.dirname(common);
    }
    return common;
  });
}

/**
 * `npx` that runs the compiled `sdlf-mesh` for `npx sdlf-mesh` and the real npx otherwise (the
 * domains' own `npx projen`), and `sudo`, which GitHub's runners give without a password: here it
 * runs the command as the test's own user.
 */
function shims(dir: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const npx = path.join(path.dirname(process.execPath), 'npx');
  fs.writeFileSync(path.join(bin, 'npx'), `#!/bin/sh\nif [ "$1" = sdlf-mesh ]; then shift; exec "${process.execPath}" "${SDLF_MESH_CLI}" "$@"; fi\nexec "${npx}" "$@"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'sudo'), '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
  return bin;
}

/** How to run a platform repository's fleet-upgrade workflow. */
export interface FleetUpgradeRunOptions {
  readonly server: GitHubServer;
  /** The platform repository's working tree (`acme/data-platform` on the stand-in), its registry filled. */
  readonly checkout: string;
  /** The `to` input: a version or a tarball. */
  readonly to: string;
  /** The login of the fleet's GitHub App. */
  readonly appLogin: string;
  readonly dir: string;
  readonly parallel?: number;
  /** The `repositories` input: only these (`owner/name`). @default - every registered one */
  readonly only?: string[];
}

/** The fleet-upgrade workflow of `acme/data-platform`, dispatched for every registered repository, with the fleet app set up. */
export function simulateFleetUpgrade(options: FleetUpgradeRunOptions): Promise<WorkflowSimulationResult> {
  return simulateWorkflow({
    workflow: YAML.parse(fs.readFileSync(path.join(options.checkout, '.github', 'workflows', 'fleet-upgrade.yml'), 'utf8')),
    server: options.server,
    repository: 'acme/data-platform',
    checkout: options.checkout,
    inputs: { to: options.to, repositories: (options.only ?? []).join(',') },
    variables: { SDLF_FLEET_APP_CLIENT_ID: 'Iv1.fleet' },
    secrets: { SDLF_FLEET_APP_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nstand-in\n-----END PRIVATE KEY-----' },
    appLogin: options.appLogin,
    parallel: options.parallel,
    dir: options.dir,
  });
}
