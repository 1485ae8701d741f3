import * as path from 'path';
import type { Answer, GitHubModel, OperationRequest, Repository } from './github-model';
import { errorAnswer } from './github-model';
import { exec, execBytes } from '../../src/util/exec';

/** A pull request of the stand-in (its number is an issue number of the repository). */
export interface PullRequest {
  readonly number: number;
  title: string;
  body: string | null;
  /** The branch it merges, in the same repository. */
  readonly head: string;
  readonly base: string;
  readonly draft: boolean;
  state: 'open' | 'closed';
  readonly labels: string[];
  /** Who opened it. */
  readonly user: string;
}

/** A job of a workflow run of the stand-in, as the fleet workflow's simulation ran it. */
export interface WorkflowJob {
  readonly name: string;
  /** `completed`, or `in_progress` while it runs. */
  status: 'completed' | 'in_progress' | 'queued';
  conclusion: 'success' | 'failure' | 'cancelled' | 'skipped' | null;
}

/** A workflow run of the stand-in: the repository it runs in and its jobs. */
export interface WorkflowRunRecord {
  /** `owner/name`. */
  readonly repository: string;
  readonly jobs: WorkflowJob[];
}

/** The operations a fleet upgrade, its status and the catalog use, with the permission each needs. */
export const FLEET_OPERATION_PERMISSIONS: Record<string, string | undefined> = {
  'search/repos': undefined,
  'repos/list-for-org': 'metadata=read',
  'repos/get-content': 'contents=read',
  'repos/list-commits': 'contents=read',
  'pulls/list': 'pull_requests=read',
  'pulls/create': 'pull_requests=write',
  'pulls/update': 'pull_requests=write',
  // GitHub takes issues=write or pull_requests=write for a pull request's labels.
  'issues/add-labels': 'pull_requests=write',
  'issues/remove-label': 'pull_requests=write',
  'actions/list-jobs-for-workflow-run': 'actions=read',
};

const TIMESTAMP = '2025-01-01T00:00:00Z';
// The search qualifiers the stand-in understands; GitHub knows more, the fleet uses only these.
const QUALIFIER = /^(org|user|topic|archived|fork):(\S+)$/;

/**
 * The fleet's operations on a {@link GitHubModel}: repository search by organization and topic,
 * an organization's repositories, file contents read from the bare repositories, and pull
 * requests (list, create, update, labels), answered as GitHub documents them, with pagination.
 */
export function fleetOperations(model: GitHubModel): Record<string, (request: OperationRequest) => Promise<Answer> | Answer> {
  return {
    'actions/list-jobs-for-workflow-run': ({ params, query }) =>
      model.withRepository(params, (repository) => {
        const run = model.workflowRuns.get(Number(params.run_id));
        const full = `${repository.owner.login}/${repository.name}`;
        if (!run || run.repository.toLowerCase() !== full.toLowerCase()) {
          return errorAnswer(404, 'Not Found');
        }
        const jobs = run.jobs.map((job, index) => ({
          id: Number(params.run_id) * 1000 + index,
          run_id: Number(params.run_id),
          run_url: `${model.baseUrl}/repos/${full}/actions/runs/${params.run_id}`,
          node_id: `J_${params.run_id}_${index}`,
          head_sha: '0'.repeat(40),
          url: `${model.baseUrl}/repos/${full}/actions/jobs/${Number(params.run_id) * 1000 + index}`,
          html_url: `${model.baseUrl}/${full}/actions/runs/${params.run_id}/job/${Number(params.run_id) * 1000 + index}`,
          status: job.status,
          conclusion: job.conclusion,
          created_at: TIMESTAMP,
          started_at: TIMESTAMP,
          completed_at: job.status === 'completed' ? TIMESTAMP : null,
          name: job.name,
          steps: [],
          check_run_url: `${model.baseUrl}/repos/${full}/check-runs/${Number(params.run_id) * 1000 + index}`,
          labels: ['ubuntu-latest'],
          runner_id: 1,
          runner_name: 'GitHub Actions 1',
          runner_group_id: 1,
          runner_group_name: 'GitHub Actions',
          workflow_name: 'fleet-upgrade',
          head_branch: repository.defaultBranch,
        }));
        const { items, headers } = page(model, `/repos/${full}/actions/runs/${params.run_id}/jobs`, query, jobs);
        return { status: 200, headers, body: { total_count: jobs.length, jobs: items } };
      }),
    'search/repos': ({ query }) => {
      const filters = String(query.q ?? '').trim().split(/\s+/).filter(Boolean).map((term) => QUALIFIER.exec(term));
      if (filters.some((filter) => filter === null)) {
        return errorAnswer(422, 'Validation Failed', { errors: [{ resource: 'Search', field: 'q', code: 'invalid', message: `the stand-in searches only by ${QUALIFIER.source}` }] });
      }
      const matches = [...model.repositories.values()].filter((repository) =>
        filters.every((filter) => {
          const [, qualifier, value] = filter!;
          switch (qualifier) {
            case 'org':
            case 'user':
              return repository.owner.login.toLowerCase() === value.toLowerCase();
            case 'topic':
              return repository.topics.includes(value.toLowerCase());
            case 'archived':
              return String(repository.archived) === value;
            default:
              return true;
          }
        }),
      );
      // Search leaves forks out unless asked: the stand-in has none.
      const visible = sortByName(matches.filter((repository) => model.visible(repository.owner.login, repository.name)));
      const { items, headers } = page(model, '/search/repositories', query, visible);
      const results = items.map((repository) => ({ ...model.repositoryJson(repository), score: 1 }));
      return { status: 200, headers, body: { total_count: visible.length, incomplete_results: false, items: results } };
    },
    'repos/list-for-org': ({ params, query }) => {
      const owned = [...model.repositories.values()].filter((repository) => repository.owner.login.toLowerCase() === params.org.toLowerCase());
      if (!model.account(params.org)) {
        return errorAnswer(404, 'Not Found');
      }
      const { items, headers } = page(model, `/orgs/${params.org}/repos`, query, sortByName(owned.filter((repository) => model.visible(repository.owner.login, repository.name))));
      return { status: 200, headers, body: items.map((repository) => model.repositoryJson(repository)) };
    },
    'repos/get-content': ({ params, query }) =>
      model.withRepository(params, async (repository) => {
        const file = decodeURIComponent(params.path).replace(/^\/+|\/+$/g, '');
        const ref = typeof query.ref === 'string' ? query.ref : repository.defaultBranch;
        const cwd = model.barePath(repository.owner.login, repository.name);
        const git = (...args: string[]) => exec('git', args, { cwd }).then((result) => result.stdout, () => undefined);
        const blob = (sha: string) => execBytes('git', ['cat-file', 'blob', sha], { cwd }).then((result) => result.stdout);
        const entryAt = async (at: string) => parseTreeEntry(((await git('ls-tree', '-l', ref, '--', at)) ?? '').split('\n')[0], '');
        const fileAnswer = async (at: string, sha: string, size: number) =>
          // GitHub sends the content of files up to 1 MB only; larger ones come without it.
          contentJson(model, repository, at, ref, 'file', sha, size, size > CONTENT_API_MAX_BYTES ? null : (await blob(sha)).toString('base64'));
        const entry = file ? await entryAt(file) : { type: 'tree', mode: '040000', sha: '', size: 0, path: '' };
        if (!entry || (file && entry.path !== file)) {
          return errorAnswer(404, 'Not Found');
        }
        if (entry.type === 'tree') {
          const listing = (await git('ls-tree', '-l', file ? `${ref}:${file}` : ref)) ?? '';
          const entries = listing.split('\n').filter(Boolean).map((line) => {
            const item = parseTreeEntry(line, file)!;
            // As GitHub lists them: a submodule is a "file", a symbolic link a "symlink".
            const type = item.type === 'tree' ? 'dir' : item.mode === SYMLINK_MODE ? 'symlink' : 'file';
            return contentJson(model, repository, item.path, ref, type, item.sha, item.type === 'tree' ? 0 : item.size);
          });
          return { status: 200, body: entries };
        }
        if (entry.mode === SYMLINK_MODE) {
          // GitHub answers with the target's content when it is a file of the repository, else
          // with the link itself.
          const target = (await blob(entry.sha)).toString('utf8');
          const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
          const pointed = resolved.startsWith('..') || path.posix.isAbsolute(target) ? undefined : await entryAt(resolved);
          if (pointed && pointed.path === resolved && pointed.type === 'blob' && pointed.mode !== SYMLINK_MODE) {
            return { status: 200, body: await fileAnswer(resolved, pointed.sha, pointed.size) };
          }
          return { status: 200, body: { ...contentJson(model, repository, file, ref, 'symlink', entry.sha, entry.size), target } };
        }
        if (entry.type === 'blob') {
          return { status: 200, body: await fileAnswer(file, entry.sha, entry.size) };
        }
        return errorAnswer(404, 'Not Found');
      }),
    'repos/list-commits': ({ params, query }) =>
      model.withRepository(params, async (repository) => {
        const ref = typeof query.sha === 'string' ? query.sha : repository.defaultBranch;
        const file = typeof query.path === 'string' ? ['--', query.path] : [];
        const format = '%H%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI%x1f%T%x1f%s%x1e';
        const log = await exec('git', ['log', `--format=${format}`, ref, ...file], { cwd: model.barePath(repository.owner.login, repository.name) }).then((result) => result.stdout, () => undefined);
        if (log === undefined) {
          return errorAnswer(404, 'Not Found');
        }
        const commits = log.split('\x1e').map((record) => record.trim()).filter(Boolean).map((record) => {
          const [sha, authorName, authorEmail, authorDate, committerName, committerEmail, committerDate, tree, message] = record.split('\x1f');
          const url = `${model.baseUrl}/repos/${repository.owner.login}/${repository.name}/commits/${sha}`;
          return {
            sha,
            node_id: `C_${sha}`,
            url,
            html_url: `${model.baseUrl}/${repository.owner.login}/${repository.name}/commit/${sha}`,
            comments_url: `${url}/comments`,
            commit: {
              url,
              author: { name: authorName, email: authorEmail, date: authorDate },
              committer: { name: committerName, email: committerEmail, date: committerDate },
              message,
              comment_count: 0,
              tree: { sha: tree, url: `${model.baseUrl}/repos/${repository.owner.login}/${repository.name}/git/trees/${tree}` },
            },
            author: null,
            committer: null,
            parents: [],
          };
        });
        const { items, headers } = page(model, `/repos/${repository.owner.login}/${repository.name}/commits`, query, commits);
        return { status: 200, headers, body: items };
      }),
    'pulls/list': ({ params, query }) =>
      model.withRepository(params, (repository) => {
        const state = (query.state as string | undefined) ?? 'open';
        const head = query.head as string | undefined;
        const pulls = repository.pulls.filter(
          (pull) =>
            (state === 'all' || pull.state === state) &&
            (head === undefined || head.toLowerCase() === `${repository.owner.login}:${pull.head}`.toLowerCase()) &&
            (query.base === undefined || query.base === pull.base),
        );
        // Newest first, as GitHub sorts by default.
        const { items, headers } = page(model, `/repos/${repository.owner.login}/${repository.name}/pulls`, query, [...pulls].reverse());
        return { status: 200, headers, body: items.map((pull) => pullJson(model, repository, pull)) };
      }),
    'pulls/create': ({ params, body, login }) =>
      model.withRepository(params, async (repository) => {
        if (repository.archived) {
          return errorAnswer(403, 'Repository was archived so is read-only.');
        }
        const head = String(body.head).replace(new RegExp(`^${repository.owner.login}:`, 'i'), '');
        const base = String(body.base);
        const branches = await model.branches(repository);
        const invalid = [['head', head], ['base', base]].find(([, branch]) => !branches.has(branch));
        if (invalid) {
          return errorAnswer(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field: invalid[0], code: 'invalid' }] });
        }
        if (repository.pulls.some((pull) => pull.state === 'open' && pull.head === head && pull.base === base)) {
          return errorAnswer(422, 'Validation Failed', {
            errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repository.owner.login}:${head}.` }],
          });
        }
        const pull: PullRequest = {
          number: model.nextIssueNumber(repository),
          title: String(body.title),
          body: (body.body as string | undefined) ?? null,
          head,
          base,
          draft: body.draft === true,
          state: 'open',
          labels: [],
          user: login,
        };
        repository.pulls.push(pull);
        return { status: 201, headers: { location: `${model.baseUrl}/repos/${repository.owner.login}/${repository.name}/pulls/${pull.number}` }, body: pullJson(model, repository, pull) };
      }),
    'pulls/update': ({ params, body }) =>
      model.withRepository(params, (repository) => {
        const pull = repository.pulls.find((candidate) => candidate.number === Number(params.pull_number));
        if (!pull) {
          return errorAnswer(404, 'Not Found');
        }
        if (typeof body.title === 'string') {
          pull.title = body.title;
        }
        if (typeof body.body === 'string') {
          pull.body = body.body;
        }
        if (body.state === 'open' || body.state === 'closed') {
          pull.state = body.state;
        }
        return { status: 200, body: pullJson(model, repository, pull) };
      }),
    'issues/remove-label': ({ params }) =>
      model.withRepository(params, (repository) => {
        const pull = repository.pulls.find((candidate) => candidate.number === Number(params.issue_number));
        const index = pull?.labels.indexOf(params.name) ?? -1;
        if (!pull || index < 0) {
          return errorAnswer(404, 'Label does not exist');
        }
        pull.labels.splice(index, 1);
        return { status: 200, body: pull.labels.map((name) => labelJson(model, repository, name)) };
      }),
    'issues/add-labels': ({ params, body }) =>
      model.withRepository(params, (repository) => {
        const pull = repository.pulls.find((candidate) => candidate.number === Number(params.issue_number));
        if (!pull) {
          return errorAnswer(404, 'Not Found');
        }
        const names = (Array.isArray(body) ? body : (body.labels as unknown[])).map((label) => (typeof label === 'string' ? label : (label as { name: string }).name));
        for (const name of names.filter((label) => !pull.labels.includes(label))) {
          pull.labels.push(name);
        }
        return { status: 200, body: pull.labels.map((name) => labelJson(model, repository, name)) };
      }),
  };
}

/** One page of a list (`per_page`, `page`), with the `Link` header GitHub sends for the others. */
function page<T>(model: GitHubModel, route: string, query: OperationRequest['query'], all: T[]): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Number(query.per_page ?? 30), 100);
  const number = Number(query.page ?? 1);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const link = (target: number, rel: string) => {
    const pairs = Object.entries(query).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, v]));
    const params = new URLSearchParams(pairs);
    params.set('page', String(target));
    return `<${model.baseUrl}${route}?${params}>; rel="${rel}"`;
  };
  const links = [...(number < last ? [link(number + 1, 'next'), link(last, 'last')] : []), ...(number > 1 ? [link(1, 'first'), link(number - 1, 'prev')] : [])];
  return { items: all.slice((number - 1) * perPage, number * perPage), headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

function sortByName(repositories: Repository[]): Repository[] {
  return [...repositories].sort((a, b) => `${a.owner.login}/${a.name}`.localeCompare(`${b.owner.login}/${b.name}`));
}

const SYMLINK_MODE = '120000';
/** The contents API sends no content for files larger than this. */
const CONTENT_API_MAX_BYTES = 1024 * 1024;

/** A line of `git ls-tree -l`: `<mode> <type> <sha> <size>\t<name>`, its path under `folder`. */
function parseTreeEntry(line: string, folder: string): { mode: string; type: string; sha: string; size: number; path: string } | undefined {
  if (!line) {
    return undefined;
  }
  const [meta, name] = line.split('\t');
  const [mode, type, sha, size] = meta.split(/\s+/);
  return { mode, type, sha, size: Number(size) || 0, path: folder ? `${folder}/${name}` : name };
}

function contentJson(model: GitHubModel, repository: Repository, file: string, ref: string, type: 'file' | 'dir' | 'symlink', sha: string, size: number, content?: string | null) {
  const full = `${repository.owner.login}/${repository.name}`;
  const url = `${model.baseUrl}/repos/${full}/contents/${file}?ref=${ref}`;
  return {
    type,
    name: file.split('/').pop(),
    path: file,
    sha,
    size,
    url,
    git_url: `${model.baseUrl}/repos/${full}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`,
    html_url: `${model.baseUrl}/${full}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${file}`,
    download_url: type === 'dir' ? null : `${model.baseUrl}/raw/${full}/${ref}/${file}`,
    ...(content === undefined ? {} : content === null ? { encoding: 'none', content: '' } : { encoding: 'base64', content: content.replace(/.{60}/g, '$&\n') }),
    _links: { self: url, git: null, html: null },
  };
}

function labelJson(model: GitHubModel, repository: Repository, name: string) {
  return {
    id: name.length,
    node_id: `LA_${name}`,
    url: `${model.baseUrl}/repos/${repository.owner.login}/${repository.name}/labels/${encodeURIComponent(name)}`,
    name,
    description: null,
    color: 'ededed',
    default: false,
  };
}

function pullJson(model: GitHubModel, repository: Repository, pull: PullRequest): Record<string, unknown> {
  const full = `${repository.owner.login}/${repository.name}`;
  const url = `${model.baseUrl}/repos/${full}/pulls/${pull.number}`;
  const user = model.accountJson(model.account(pull.user)!);
  const ref = (branch: string) => ({ label: `${repository.owner.login}:${branch}`, ref: branch, sha: '0'.repeat(40), user: model.accountJson(repository.owner), repo: model.repositoryJson(repository) });
  return {
    url,
    id: pull.number * 1000 + repository.id,
    node_id: `PR_${repository.id}_${pull.number}`,
    html_url: `${model.baseUrl}/${full}/pull/${pull.number}`,
    diff_url: `${model.baseUrl}/${full}/pull/${pull.number}.diff`,
    patch_url: `${model.baseUrl}/${full}/pull/${pull.number}.patch`,
    issue_url: `${model.baseUrl}/repos/${full}/issues/${pull.number}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user,
    body: pull.body,
    labels: pull.labels.map((name) => labelJson(model, repository, name)),
    milestone: null,
    created_at: TIMESTAMP,
    updated_at: TIMESTAMP,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: ref(pull.head),
    base: ref(pull.base),
    draft: pull.draft,
    author_association: 'MEMBER',
    auto_merge: null,
    _links: { self: { href: url }, html: { href: `${model.baseUrl}/${full}/pull/${pull.number}` } },
  };
}
