import { Component, github, javascript } from 'projen';
import { ACTION_PINS } from './action-pins';
import { addProjectWorkflow, installSteps } from './workflow-steps';
import { FLEET_APP_CLIENT_ID_VARIABLE, FLEET_APP_PRIVATE_KEY_SECRET } from '../domain/names';
import { InvalidOptionError } from '../util/invalid-option-error';

/** The most jobs a GitHub Actions matrix runs: the repositories of one wave. */
const WAVE_SIZE = 256;

/**
 * The most waves: the discover job hands every wave on as job outputs, and GitHub keeps at most
 * 1 MB of a job's outputs (16 waves of 256 repositories come close with long names).
 */
const MAX_WAVES = 16;

/** The discovery the discover job writes and the apply jobs read. */
const DISCOVERY_DIR = 'discovery';

/**
 * Options of {@link FleetUpgradeWorkflow}.
 */
export interface FleetUpgradeWorkflowOptions {
  /**
   * Into how many waves the domain repositories are split: a wave is at most 256 repositories
   * (the most jobs a GitHub Actions matrix runs), and the waves run one after the other, so the
   * workflow upgrades at most 256 times this many repositories. From 1 to 16.
   *
   * @default 4 (1,024 repositories)
   */
  readonly waves?: number;

  /**
   * When the fleet is upgraded to the newest release of the template besides by hand, as a cron
   * expression (UTC).
   *
   * @default "41 6 * * 1" (weekly, Monday morning)
   */
  readonly schedule?: string;
}

/**
 * `.github/workflows/fleet-upgrade.yml` of the platform repository: upgrades every domain
 * repository of the registry to a release of the template (`sdlf-mesh fleet`), with one pull
 * request a repository, on a schedule (to the newest release) and by hand (`to` a version, and
 * `repositories` to upgrade only some, e.g. the failed list of an earlier run's report).
 *
 * The rule it is built on: domain code never runs where a write credential exists. A secret in a
 * job where a domain's code runs (its `.projenrc.ts`, its dependencies' install scripts) is
 * readable by that code, whatever the steps pass to it. So a repository's upgrade is split:
 *
 * - `discover` reads the registry (`--registry .`) with a GitHub App token that can only read,
 *   and splits the repositories into waves of at most 256 (the most jobs a matrix runs);
 * - `fetch ${{ matrix.repository }}`, one job a repository, reads that repository's source with a
 *   read-only token of the app for that repository alone, and hands it on as an artifact; it runs
 *   no domain code;
 * - `propose ${{ matrix.repository }}`, one job a repository, holds no secret and no app token
 *   (its own token may only read this repository): it bumps the template, installs, runs projen
 *   and uploads the change as data (a proposal);
 * - `apply`, one job a wave, mints a token of the app that can write to the wave's repositories
 *   only, runs no domain code (its install runs no lifecycle script), checks each proposal and
 *   the job that made it (by its name, through this run's jobs), pushes and opens or updates one
 *   pull request a repository;
 * - `report` gathers the waves' reports into the run's summary and `fleet-report` (with the failed
 *   repositories, ready for the `repositories` input of another run).
 *
 * A wave's fetch waits for the previous wave's apply, so the waves run one after the other and a
 * wave's artifact names cannot be taken by a job of the wave before it that is still running; a
 * failed or empty wave does not stop the next, a cancelled run does. The app's client ID is the
 * variable `SDLF_FLEET_APP_CLIENT_ID`, its private key the secret `SDLF_FLEET_APP_PRIVATE_KEY`.
 *
 * The propose command runs as root (`sudo`, which GitHub's runners give without a password), so
 * the domain's code runs as a user of its own: it cannot read the runner's processes, where the
 * token of the run's artifact store is, nor use sudo. The apply job takes a repository's proposal
 * only when both its `fetch` and its `propose` job succeeded in this run: an artifact uploaded
 * under a repository's name by another job fails that repository's own upload, and so its job.
 *
 * Known limit: GitHub's artifact store is one a run, and any job of the run can reach it. Code
 * that escaped the propose sandbox (a kernel exploit) would hold no secret, but could read the
 * other repositories' sources of the same run, and replace a proposal after its job succeeded.
 * A platform whose domains must not read one another's code upgrades one repository a run (the
 * `repositories` input).
 */
export class FleetUpgradeWorkflow extends Component {
  /** The workflow. */
  public readonly workflow: github.GithubWorkflow;

  /** How many waves the repositories are split into. */
  public readonly waves: number;

  constructor(project: javascript.NodeProject, options: FleetUpgradeWorkflowOptions = {}) {
    super(project);
    this.waves = checkFleetWaves(options.waves, 'waves');
    this.workflow = addProjectWorkflow(project, 'fleet-upgrade', 'fleet-upgrade', {
      // A second run waits for the first: two runs would push to the same branches.
      limitConcurrency: true,
      concurrencyOptions: { group: 'fleet-upgrade', cancelInProgress: false },
    });
    this.workflow.on({
      schedule: [{ cron: options.schedule ?? '41 6 * * 1' }],
      workflowDispatch: {
        inputs: {
          to: { description: 'The template version to upgrade to; empty: the newest release', required: false, type: 'string' },
          repositories: {
            description: "Only these repositories, owner/name separated by commas (e.g. the failed list of an earlier run's report); empty: every registered one",
            required: false,
            type: 'string',
          },
        },
      },
    });
    const waves = Array.from({ length: this.waves }, (_, index) => index + 1);
    this.workflow.addJob('discover', discoverJob(waves));
    for (const wave of waves) {
      this.workflow.addJob(`fetch-${wave}`, fetchJob(wave));
      this.workflow.addJob(`propose-${wave}`, proposeJob(wave));
      this.workflow.addJob(`apply-${wave}`, applyJob(wave));
    }
    this.workflow.addJob('report', reportJob(waves));
  }
}

/** `waves`, checked: an integer from 1 to 16 (`option` names it in the error). */
export function checkFleetWaves(waves: number | undefined, option: string): number {
  const checked = waves ?? 4;
  if (!Number.isInteger(checked) || checked < 1 || checked > MAX_WAVES) {
    throw new InvalidOptionError(
      option,
      `${checked} is not a number of waves from 1 to ${MAX_WAVES} (a wave is at most ${WAVE_SIZE} repositories; e.g. 4 for up to ${4 * WAVE_SIZE})`,
    );
  }
  return checked;
}

const { READ } = github.workflows.JobPermission;

/** The app's client ID and private key, as the token action takes them. */
const APP = {
  'client-id': `\${{ vars.${FLEET_APP_CLIENT_ID_VARIABLE} }}`,
  'private-key': `\${{ secrets.${FLEET_APP_PRIVATE_KEY_SECRET} }}`,
  'owner': '${{ github.repository_owner }}',
};

/** A wave's jobs run unless discovery failed, the run was cancelled or the wave is empty (a matrix must not be). */
function waveCondition(wave: number): string {
  return `!cancelled() && needs.discover.result == 'success' && needs.discover.outputs.wave-${wave} != '[]'`;
}

/** One job a repository of the wave, at most 20 at once; one repository's failure stops no other. */
function waveStrategy(wave: number): github.workflows.JobStrategy {
  // GitHub expands the expression into the wave's `{ repository, name, key }` objects; projen's
  // typing knows only a literal list.
  const include = `\${{ fromJSON(needs.discover.outputs.wave-${wave}) }}` as unknown as github.workflows.JobMatrix['include'];
  return { matrix: { include }, failFast: false, maxParallel: 20 };
}

function discoverJob(waves: number[]): github.workflows.Job {
  const outputs: Record<string, github.workflows.JobStepOutput> = {
    'to': { stepId: 'discover', outputName: 'to' },
    'discovery-artifact-id': { stepId: 'upload-discovery', outputName: 'artifact-id' },
  };
  for (const wave of waves) {
    outputs[`wave-${wave}`] = { stepId: 'discover', outputName: `wave-${wave}` };
    outputs[`repositories-${wave}`] = { stepId: 'discover', outputName: `repositories-${wave}` };
  }
  return {
    name: 'Discover the domain repositories',
    runsOn: ['ubuntu-latest'],
    permissions: { contents: READ },
    timeoutMinutes: 15,
    outputs,
    steps: [
      // The job holds a token: no dependency's install script runs here.
      ...installSteps({ ignoreScripts: true }),
      {
        name: 'Token to read the domain repositories',
        id: 'fleet-read',
        uses: ACTION_PINS.createGitHubAppToken,
        with: { ...APP, 'permission-contents': 'read', 'permission-metadata': 'read' },
      },
      {
        name: 'Discover the domain repositories',
        id: 'discover',
        // Inputs reach the script as variables, never as text of it.
        env: { GITHUB_TOKEN: '${{ steps.fleet-read.outputs.token }}', TO: "${{ inputs.to || 'latest' }}", ONLY: '${{ inputs.repositories }}' },
        run: `npx sdlf-mesh fleet discover --to "$TO" --org "$GITHUB_REPOSITORY_OWNER" --registry . --only "$ONLY" --waves ${waves.length} --out ${DISCOVERY_DIR}/discovery.json`,
      },
      {
        name: 'Upload the discovery',
        id: 'upload-discovery',
        uses: ACTION_PINS.uploadArtifact,
        with: { 'name': 'discovery', 'path': `${DISCOVERY_DIR}/`, 'retention-days': 1 },
      },
    ],
  };
}

function fetchJob(wave: number): github.workflows.Job {
  return {
    // Named by its repository, as the propose job: the apply job can find it in this run's jobs.
    name: 'fetch ${{ matrix.repository }}',
    needs: ['discover', ...(wave > 1 ? [`apply-${wave - 1}`] : [])],
    if: waveCondition(wave),
    runsOn: ['ubuntu-latest'],
    strategy: waveStrategy(wave),
    permissions: { contents: READ },
    timeoutMinutes: 15,
    steps: [
      ...installSteps({ ignoreScripts: true }),
      {
        name: 'Token to read the repository',
        id: 'fleet-read',
        uses: ACTION_PINS.createGitHubAppToken,
        with: { ...APP, 'repositories': '${{ matrix.name }}', 'permission-contents': 'read', 'permission-metadata': 'read' },
      },
      {
        name: 'Fetch the repository',
        env: { GITHUB_TOKEN: '${{ steps.fleet-read.outputs.token }}', REPOSITORY: '${{ matrix.repository }}' },
        run: 'npx sdlf-mesh fleet fetch --repository "$REPOSITORY" --out source',
      },
      repositoryArtifact('Upload the source', 'source'),
    ],
  };
}

/**
 * The upload of a matrix job's folder `<kind>/` as the artifact `<kind>-<key>`, kept a day. A job
 * that succeeded uploaded it (the apply job relies on it), with its dot files (a proposal's patch
 * may touch .projenrc.ts and .github/).
 */
function repositoryArtifact(name: string, kind: 'source' | 'proposal'): github.workflows.JobStep {
  return {
    name,
    uses: ACTION_PINS.uploadArtifact,
    with: { 'name': `${kind}-\${{ matrix.key }}`, 'path': `${kind}/`, 'retention-days': 1, 'include-hidden-files': true, 'if-no-files-found': 'error' },
  };
}

function proposeJob(wave: number): github.workflows.Job {
  return {
    // The apply command finds each repository's propose job by this name: keep it.
    name: 'propose ${{ matrix.repository }}',
    needs: ['discover', `fetch-${wave}`],
    if: waveCondition(wave),
    runsOn: ['ubuntu-latest'],
    strategy: waveStrategy(wave),
    // The domain's code runs here: no secret, no app token, a workflow token that can only read.
    permissions: { contents: READ },
    timeoutMinutes: 60,
    steps: [
      // The platform's own dependencies, without their install scripts.
      ...installSteps({ ignoreScripts: true }),
      { name: 'Download the source', uses: ACTION_PINS.downloadArtifact, with: { name: 'source-${{ matrix.key }}', path: 'source' } },
      {
        name: 'Propose the upgrade',
        env: { TO: '${{ needs.discover.outputs.to }}' },
        // As root, the command runs the domain's code as a user of its own, who can neither read
        // the runner's processes (the artifact token its upload steps get) nor use sudo; nothing
        // it starts outlives its step.
        run: 'sudo env "PATH=$PATH" "TO=$TO" npx sdlf-mesh fleet propose --source source --to "$TO" --out proposal',
      },
      repositoryArtifact('Upload the proposal', 'proposal'),
    ],
  };
}

function applyJob(wave: number): github.workflows.Job {
  return {
    name: `Apply wave ${wave}`,
    needs: ['discover', `propose-${wave}`],
    if: waveCondition(wave),
    runsOn: ['ubuntu-latest'],
    // The workflow's token reads this run's jobs; the writes are the app token's.
    permissions: { contents: READ, actions: READ },
    timeoutMinutes: 120,
    steps: [
      // The job holds a token that can write: no dependency's install script runs here, and no
      // domain code at all.
      ...installSteps({ ignoreScripts: true }),
      // By the ID the discover job uploaded it with: an artifact replaced since is not taken.
      {
        name: 'Download the discovery',
        uses: ACTION_PINS.downloadArtifact,
        with: { 'artifact-ids': '${{ needs.discover.outputs.discovery-artifact-id }}', 'path': DISCOVERY_DIR },
      },
      {
        name: 'Download the proposals',
        uses: ACTION_PINS.downloadArtifact,
        // Each in proposals/<artifact name>/ (but one alone, which lands in proposals/ itself).
        with: { 'pattern': 'proposal-*', 'path': 'proposals', 'merge-multiple': false },
      },
      ...(wave > 1
        ? [
          {
            // The earlier waves' content-creating requests count against the app's hourly limit.
            name: 'Download the earlier waves\' reports',
            uses: ACTION_PINS.downloadArtifact,
            with: { 'pattern': 'report-wave-*', 'path': 'earlier-reports', 'merge-multiple': true },
          },
        ]
        : []),
      {
        name: 'Token to upgrade the repositories of the wave',
        id: 'fleet-write',
        uses: ACTION_PINS.createGitHubAppToken,
        with: {
          ...APP,
          'repositories': `\${{ needs.discover.outputs.repositories-${wave} }}`,
          'permission-contents': 'write',
          'permission-pull-requests': 'write',
          'permission-workflows': 'write',
          'permission-metadata': 'read',
        },
      },
      {
        name: 'Apply the proposals',
        env: { GITHUB_TOKEN: '${{ steps.fleet-write.outputs.token }}', GITHUB_RUN_TOKEN: '${{ github.token }}' },
        run: `npx sdlf-mesh fleet apply --discovery ${DISCOVERY_DIR}/discovery.json --wave ${wave} --proposals proposals --github-run${wave > 1 ? ' --earlier-reports earlier-reports' : ''} --report reports/wave-${wave}.json`,
      },
      {
        name: 'Upload the report',
        if: 'always()',
        uses: ACTION_PINS.uploadArtifact,
        with: { name: `report-wave-${wave}`, path: 'reports/' },
      },
    ],
  };
}

function reportJob(waves: number[]): github.workflows.Job {
  return {
    name: 'Report',
    needs: ['discover', ...waves.map((wave) => `apply-${wave}`)],
    // Also after a cancelled run: it says what was done. It holds no token but its own read-only one.
    if: "always() && needs.discover.result == 'success'",
    runsOn: ['ubuntu-latest'],
    permissions: { contents: READ },
    timeoutMinutes: 10,
    steps: [
      ...installSteps({ ignoreScripts: true }),
      { name: 'Download the reports', uses: ACTION_PINS.downloadArtifact, with: { 'pattern': 'report-wave-*', 'path': 'reports', 'merge-multiple': true } },
      { name: 'Report', run: 'npx sdlf-mesh fleet report --reports reports --out fleet-report.json --failed failed.txt --summary "$GITHUB_STEP_SUMMARY"' },
      { name: 'Upload the report', if: 'always()', uses: ACTION_PINS.uploadArtifact, with: { name: 'fleet-report', path: 'fleet-report.json\nfailed.txt' } },
    ],
  };
}
