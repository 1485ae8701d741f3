import { GitHubApi } from './github-api';

/** A workflow run of GitHub Actions, as the variables of its jobs name it. */
export interface WorkflowRun {
  /** `owner/name` of the repository the workflow runs in (`GITHUB_REPOSITORY`). */
  readonly repository: string;
  /** `GITHUB_RUN_ID`. */
  readonly runId: string;
}

interface JobData {
  readonly name: string;
  readonly status: string;
  readonly conclusion: string | null;
}

/**
 * How each job of a workflow run ended, by job name (the latest attempt of each: a job re-run
 * counts as it ended last). GitHub names each job of a matrix from its own values, and no step of
 * a job can rename it: the name is the run's word on which job a result came from.
 */
export async function workflowRunJobs(api: GitHubApi, run: WorkflowRun): Promise<Map<string, string | null>> {
  const [owner, repo] = run.repository.split('/');
  const jobs = await api.list<JobData>('GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', { owner, repo, run_id: Number(run.runId), filter: 'latest', per_page: 100 }, 'actions=read');
  return new Map(jobs.map((job) => [job.name, job.status === 'completed' ? job.conclusion : job.status]));
}
