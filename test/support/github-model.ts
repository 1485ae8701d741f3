import * as fs from 'fs';
import * as path from 'path';
import { fleetOperations, FLEET_OPERATION_PERMISSIONS, PullRequest, WorkflowRunRecord } from './github-fleet-operations';
import { exec } from '../../src/util/exec';

/** A user or an organization. */
export interface Account {
  readonly login: string;
  readonly id: number;
  readonly type: 'User' | 'Organization';
}

/** A custom property an organization defines (`GET /orgs/{org}/properties/schema`). */
export interface PropertyDefinition {
  readonly property_name: string;
  readonly value_type: 'string' | 'single_select' | 'multi_select' | 'true_false' | 'url';
  readonly required?: boolean;
  readonly allowed_values?: string[] | null;
}

/** An organization of the stand-in. */
export interface OrganizationSetup {
  readonly login: string;
  /** Team slugs. */
  readonly teams?: string[];
  readonly properties?: PropertyDefinition[];
}

/** A team's role on a repository, as the REST API names it. */
type Permission = 'pull' | 'triage' | 'push' | 'maintain' | 'admin';

interface Team {
  readonly id: number;
  readonly slug: string;
  readonly organization: string;
}

interface Protection {
  readonly strict: boolean;
  readonly contexts: string[];
  readonly enforceAdmins: boolean;
  readonly reviews?: { dismissStale: boolean; codeOwners: boolean; approvals: number; lastPush: boolean };
  readonly restrictions?: { users: string[]; teams: string[]; apps: string[] };
  readonly flags: Record<string, boolean>;
}

interface Environment {
  readonly id: number;
  readonly name: string;
  waitTimer: number;
  preventSelfReview: boolean;
  reviewers: Array<{ type: 'User' | 'Team'; id: number }>;
  branchPolicy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  policies: Array<{ id: number; name: string; type: string }>;
  /** Its GitHub Actions variables, by name (GitHub keeps names in upper case). */
  readonly variables: Map<string, string>;
}

/** A repository of the stand-in: its settings here, its content in a bare git repository. */
export interface Repository {
  readonly id: number;
  readonly owner: Account;
  readonly name: string;
  readonly createdAt: number;
  description: string | null;
  visibility: 'public' | 'private' | 'internal';
  defaultBranch: string;
  settings: Record<string, boolean>;
  topics: string[];
  readonly properties: Map<string, string | string[] | null>;
  readonly protection: Map<string, Protection>;
  readonly environments: Map<string, Environment>;
  readonly teams: Map<string, Permission>;
  /** When each branch was first seen: GitHub may not show a pushed branch to the API for a moment. */
  readonly branchesSeenAt: Map<string, number>;
  /** Archived: listed and readable, refuses pushes and new pull requests. */
  archived: boolean;
  /** The stand-in refuses git for it (a repository whose clone fails), until set back. */
  gitUnavailable: boolean;
  /** Its pull requests, oldest first. */
  readonly pulls: PullRequest[];
  /**
   * The subject of its GitHub Actions OIDC tokens: GitHub's default (`repo:<owner>/<name>:...`)
   * or the claims it is made of, in order.
   */
  oidcSubject: { useDefault: boolean; includeClaimKeys?: string[] };
  /** The last issue or pull request number given. */
  issueCount: number;
  /** The repository (`owner/name`) it is a fork of, if it is one. */
  forkOf?: string;
}

/** An answer of the API. */
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** A request routed to an operation. */
export interface OperationRequest {
  readonly params: Record<string, string>;
  readonly query: Record<string, string | string[]>;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
  /** The authenticated user. */
  readonly login: string;
}

/**
 * The fine-grained permission each modelled operation needs (from GitHub's tables of permissions
 * for fine-grained tokens); a token without it gets 403 and `X-Accepted-GitHub-Permissions`.
 */
export const OPERATION_PERMISSIONS: Record<string, string | undefined> = {
  'users/get-authenticated': undefined,
  'users/get-by-username': undefined,
  'repos/get': 'metadata=read',
  'repos/create-in-org': 'administration=write',
  'repos/create-for-authenticated-user': 'administration=write',
  'repos/update': 'administration=write',
  'repos/get-branch': 'contents=read',
  'repos/get-all-topics': 'metadata=read',
  'repos/replace-all-topics': 'administration=write',
  'orgs/custom-properties-for-repos-get-organization-definitions': 'organization_custom_properties=read',
  'repos/custom-properties-for-repos-get-repository-values': 'metadata=read',
  'repos/custom-properties-for-repos-create-or-update-repository-values': 'custom_properties=write',
  'repos/get-branch-protection': 'administration=read',
  'repos/update-branch-protection': 'administration=write',
  'repos/get-all-environments': 'actions=read',
  'repos/get-environment': 'actions=read',
  'repos/create-or-update-environment': 'administration=write',
  'repos/list-deployment-branch-policies': 'actions=read',
  'repos/create-deployment-branch-policy': 'administration=write',
  'actions/list-environment-variables': 'environments=read',
  'actions/get-environment-variable': 'environments=read',
  'actions/create-environment-variable': 'environments=write',
  'actions/update-environment-variable': 'environments=write',
  'teams/get-by-name': 'members=read',
  'teams/check-permissions-for-repo-in-org': 'metadata=read',
  'teams/add-or-update-repo-permissions-in-org': 'administration=write',
  'actions/get-custom-oidc-sub-claim-for-repo': 'actions=read',
  'actions/set-custom-oidc-sub-claim-for-repo': 'actions=write',
  ...FLEET_OPERATION_PERMISSIONS,
};

const ROLE_NAMES: Record<Permission, string> = { pull: 'read', triage: 'triage', push: 'write', maintain: 'maintain', admin: 'admin' };
const LEVELS: Permission[] = ['pull', 'triage', 'push', 'maintain', 'admin'];
const DOCS = 'https://docs.github.com/rest';
const TIMESTAMP = '2025-01-01T00:00:00Z';

/** An Actions variable as the API shows it. */
function variableJson(name: string, value: string): Record<string, unknown> {
  return { name, value, created_at: TIMESTAMP, updated_at: TIMESTAMP };
}

/** A GitHub error answer, with the body GitHub gives. */
export function errorAnswer(status: number, message: string, extra: Record<string, unknown> = {}): Answer {
  return { status, body: { message, documentation_url: DOCS, status: String(status), ...extra } };
}

/**
 * The state of a small GitHub and the operations on it that a domain repository's setup uses,
 * answering with the status codes and bodies GitHub documents. Repository content lives in real
 * bare git repositories, which `git http-backend` serves and the branch API reads.
 */
export class GitHubModel {
  /** The repositories, by `owner/name` in lowercase. */
  public readonly repositories = new Map<string, Repository>();
  /**
   * For how long after a repository is created it answers 404 (API and git), and after a branch
   * is first pushed the branch API answers "Branch not found": GitHub's eventual consistency.
   */
  public consistencyDelayMs = 0;
  /** The workflow runs of GitHub Actions, by ID: a simulation of a workflow records its jobs here. */
  public readonly workflowRuns = new Map<number, WorkflowRunRecord>();
  private readonly accounts = new Map<string, Account>();
  private readonly teams = new Map<string, Team>();
  private readonly propertyDefinitions = new Map<string, PropertyDefinition[]>();
  private nextId = 1000;

  private readonly handlers: Record<string, (request: OperationRequest) => Promise<Answer> | Answer> = {
    ...fleetOperations(this),
    'users/get-authenticated': ({ login }) => ({ status: 200, body: this.accountJson(this.accounts.get(login.toLowerCase())!) }),
    'users/get-by-username': ({ params }) => {
      const account = this.accounts.get(params.username.toLowerCase());
      return account ? { status: 200, body: this.accountJson(account) } : errorAnswer(404, 'Not Found');
    },
    'repos/get': ({ params }) => this.withRepository(params, (repository) => ({ status: 200, body: this.repositoryJson(repository) })),
    'repos/create-in-org': async ({ params, body }) => {
      const organization = this.accounts.get(params.org.toLowerCase());
      if (organization?.type !== 'Organization') {
        return errorAnswer(404, 'Not Found');
      }
      return this.create(organization, body);
    },
    'repos/create-for-authenticated-user': async ({ login, body }) => this.create(this.accounts.get(login.toLowerCase())!, body),
    'repos/update': ({ params, body }) =>
      this.withRepository(params, async (repository) => {
        if (typeof body.default_branch === 'string') {
          if (!(await this.branches(repository)).has(body.default_branch)) {
            return errorAnswer(422, 'Validation Failed', { errors: [{ resource: 'Repository', code: 'invalid', field: 'default_branch' }] });
          }
          repository.defaultBranch = body.default_branch;
        }
        for (const setting of Object.keys(repository.settings)) {
          if (typeof body[setting] === 'boolean') {
            repository.settings[setting] = body[setting] as boolean;
          }
        }
        if (typeof body.visibility === 'string') {
          repository.visibility = body.visibility as Repository['visibility'];
        }
        if (typeof body.description === 'string') {
          repository.description = body.description;
        }
        return { status: 200, body: this.repositoryJson(repository) };
      }),
    'repos/get-branch': ({ params }) =>
      this.withRepository(params, async (repository) => {
        const commit = (await this.branches(repository)).get(params.branch);
        if (!commit || !this.branchVisible(repository, params.branch)) {
          return errorAnswer(404, 'Branch not found');
        }
        const url = `${this.baseUrl}/repos/${repository.owner.login}/${repository.name}/branches/${params.branch}`;
        return {
          status: 200,
          body: {
            name: params.branch,
            commit: { sha: commit, url: `${this.baseUrl}/repos/${repository.owner.login}/${repository.name}/commits/${commit}` },
            protected: repository.protection.has(params.branch),
            protection: { enabled: repository.protection.has(params.branch) },
            protection_url: `${url}/protection`,
            _links: { self: url, html: `${this.baseUrl}/${repository.owner.login}/${repository.name}/tree/${params.branch}` },
          },
        };
      }),
    'repos/get-all-topics': ({ params }) => this.withRepository(params, (repository) => ({ status: 200, body: { names: repository.topics } })),
    'repos/replace-all-topics': ({ params, body }) =>
      this.withRepository(params, (repository) => {
        const names = (body.names as string[]).map((name) => name.toLowerCase());
        const invalid = names.find((name) => !/^[a-z0-9][a-z0-9-]{0,49}$/.test(name));
        if (invalid !== undefined) {
          return errorAnswer(422, 'Validation Failed', { errors: [{ resource: 'Repository', code: 'invalid', field: 'topics', message: `${invalid} is not a valid topic` }] });
        }
        repository.topics = [...new Set(names)];
        return { status: 200, body: { names: repository.topics } };
      }),
    'orgs/custom-properties-for-repos-get-organization-definitions': ({ params }) => {
      const definitions = this.propertyDefinitions.get(params.org.toLowerCase());
      return definitions ? { status: 200, body: definitions.map((definition) => this.definitionJson(params.org, definition)) } : errorAnswer(404, 'Not Found');
    },
    'repos/custom-properties-for-repos-get-repository-values': ({ params }) =>
      this.withRepository(params, (repository) => ({
        status: 200,
        body: (this.propertyDefinitions.get(repository.owner.login.toLowerCase()) ?? []).map((definition) => ({
          property_name: definition.property_name,
          value: repository.properties.get(definition.property_name) ?? null,
        })),
      })),
    'repos/custom-properties-for-repos-create-or-update-repository-values': ({ params, body }) =>
      this.withRepository(params, (repository) => {
        const values = body.properties as Array<{ property_name: string; value: string | null }>;
        const problem = values.map((value) => this.propertyProblem(repository.owner.login, value.property_name, value.value)).find(Boolean);
        if (problem) {
          return errorAnswer(422, problem);
        }
        for (const { property_name: name, value } of values) {
          repository.properties.set(name, value);
        }
        return { status: 204 };
      }),
    'actions/get-custom-oidc-sub-claim-for-repo': ({ params }) =>
      this.withRepository(params, ({ oidcSubject }) => ({
        status: 200,
        body: { use_default: oidcSubject.useDefault, ...(oidcSubject.includeClaimKeys ? { include_claim_keys: oidcSubject.includeClaimKeys } : {}) },
      })),
    'actions/set-custom-oidc-sub-claim-for-repo': ({ params, body }) =>
      this.withRepository(params, (repository) => {
        const keys = body.include_claim_keys as string[] | undefined;
        // GitHub: "Array of unique strings. Each claim key can only contain alphanumeric characters and underscores."
        const invalid = keys?.find((key, index) => !/^[A-Za-z0-9_]+$/.test(key) || keys.indexOf(key) !== index);
        if (invalid !== undefined) {
          return errorAnswer(422, `Invalid claim key: ${invalid}`);
        }
        repository.oidcSubject = body.use_default === true ? { useDefault: true } : { useDefault: false, includeClaimKeys: keys };
        return { status: 201, body: {} };
      }),
    'repos/get-branch-protection': ({ params }) =>
      this.withRepository(params, (repository) => {
        const protection = repository.protection.get(params.branch);
        return protection ? { status: 200, body: this.protectionJson(repository, params.branch, protection) } : errorAnswer(404, 'Branch not protected');
      }),
    'repos/update-branch-protection': ({ params, body }) =>
      this.withRepository(params, async (repository) => {
        if (!(await this.branches(repository)).has(params.branch) || !this.branchVisible(repository, params.branch)) {
          return errorAnswer(404, 'Branch not found');
        }
        const checks = body.required_status_checks as { strict: boolean; contexts: string[] } | null;
        const reviews = body.required_pull_request_reviews as Record<string, unknown> | null;
        const restrictions = body.restrictions as { users: string[]; teams: string[]; apps?: string[] } | null;
        const flag = (name: string) => body[name] === true;
        const protection: Protection = {
          strict: checks?.strict ?? false,
          contexts: checks?.contexts ?? [],
          enforceAdmins: body.enforce_admins === true,
          reviews: reviews
            ? {
              dismissStale: reviews.dismiss_stale_reviews === true,
              codeOwners: reviews.require_code_owner_reviews === true,
              approvals: (reviews.required_approving_review_count as number | undefined) ?? 1,
              lastPush: reviews.require_last_push_approval === true,
            }
            : undefined,
          restrictions: restrictions ? { users: restrictions.users, teams: restrictions.teams, apps: restrictions.apps ?? [] } : undefined,
          flags: Object.fromEntries(
            ['required_linear_history', 'allow_force_pushes', 'allow_deletions', 'block_creations', 'required_conversation_resolution', 'lock_branch', 'allow_fork_syncing'].map(
              (name) => [name, flag(name)],
            ),
          ),
        };
        repository.protection.set(params.branch, protection);
        return { status: 200, body: this.protectionJson(repository, params.branch, protection) };
      }),
    'repos/get-all-environments': ({ params }) =>
      this.withRepository(params, (repository) => {
        const environments = [...repository.environments.values()].map((environment) => this.environmentJson(repository, environment));
        return { status: 200, body: { total_count: environments.length, environments } };
      }),
    'repos/get-environment': ({ params }) =>
      this.withRepository(params, (repository) => {
        const environment = repository.environments.get(params.environment_name);
        return environment ? { status: 200, body: this.environmentJson(repository, environment) } : errorAnswer(404, 'Not Found');
      }),
    'repos/create-or-update-environment': ({ params, body }) =>
      this.withRepository(params, (repository) => {
        const policy = body.deployment_branch_policy as Environment['branchPolicy'] | undefined;
        if (policy && policy.protected_branches === policy.custom_branch_policies) {
          return errorAnswer(422, 'Exactly one of protected_branches and custom_branch_policies must be true');
        }
        const reviewers = (body.reviewers as Environment['reviewers'] | null | undefined) ?? undefined;
        const unknown = reviewers?.find((reviewer) => !this.accountOrTeam(reviewer.type, reviewer.id));
        if (unknown) {
          return errorAnswer(422, `Reviewer ${unknown.type} ${unknown.id} does not exist`);
        }
        const environment: Environment = repository.environments.get(params.environment_name) ?? {
          id: this.id(),
          name: params.environment_name,
          waitTimer: 0,
          preventSelfReview: false,
          reviewers: [],
          branchPolicy: null,
          policies: [],
          variables: new Map(),
        };
        environment.waitTimer = (body.wait_timer as number | undefined) ?? environment.waitTimer;
        environment.preventSelfReview = (body.prevent_self_review as boolean | undefined) ?? environment.preventSelfReview;
        environment.reviewers = reviewers ?? environment.reviewers;
        if (policy !== undefined) {
          environment.branchPolicy = policy;
          if (!policy?.custom_branch_policies) {
            environment.policies = [];
          }
        }
        repository.environments.set(environment.name, environment);
        return { status: 200, body: this.environmentJson(repository, environment) };
      }),
    'repos/list-deployment-branch-policies': ({ params }) =>
      this.withRepository(params, (repository) => {
        const environment = repository.environments.get(params.environment_name);
        if (!environment) {
          return errorAnswer(404, 'Not Found');
        }
        const policies = environment.policies.map((policy) => this.policyJson(policy));
        return { status: 200, body: { total_count: policies.length, branch_policies: policies } };
      }),
    'repos/create-deployment-branch-policy': ({ params, body }) =>
      this.withRepository(params, (repository) => {
        const environment = repository.environments.get(params.environment_name);
        if (!environment?.branchPolicy?.custom_branch_policies) {
          return errorAnswer(404, 'Not Found');
        }
        const type = (body.type as string | undefined) ?? 'branch';
        const existing = environment.policies.find((policy) => policy.name === body.name && policy.type === type);
        if (existing) {
          const location = `${this.baseUrl}/repos/${repository.owner.login}/${repository.name}/environments/${environment.name}/deployment-branch-policies/${existing.id}`;
          return { status: 303, headers: { location } };
        }
        const policy = { id: this.id(), name: body.name as string, type };
        environment.policies.push(policy);
        return { status: 200, body: this.policyJson(policy) };
      }),
    'actions/list-environment-variables': ({ params, query }) =>
      this.withEnvironment(params, (environment) => {
        const perPage = Math.min(Number(query.per_page ?? 10), 30);
        const all = [...environment.variables.entries()].sort(([a], [b]) => a.localeCompare(b));
        const page = all.slice((Number(query.page ?? 1) - 1) * perPage, Number(query.page ?? 1) * perPage);
        return { status: 200, body: { total_count: all.length, variables: page.map(([name, value]) => variableJson(name, value)) } };
      }),
    'actions/get-environment-variable': ({ params }) =>
      this.withEnvironment(params, (environment) => {
        const value = environment.variables.get(params.name.toUpperCase());
        return value === undefined ? errorAnswer(404, 'Not Found') : { status: 200, body: variableJson(params.name.toUpperCase(), value) };
      }),
    'actions/create-environment-variable': ({ params, body }) =>
      this.withEnvironment(params, (environment) => {
        const name = String(body.name).toUpperCase();
        if (!/^[A-Z_][A-Z0-9_]*$/.test(name) || name.startsWith('GITHUB_')) {
          return errorAnswer(422, 'Validation Failed', { errors: [{ resource: 'Variable', field: 'name', code: 'invalid' }] });
        }
        if (environment.variables.has(name)) {
          return errorAnswer(409, 'Already exists - Variable already exists');
        }
        environment.variables.set(name, String(body.value));
        return { status: 201, body: {} };
      }),
    'actions/update-environment-variable': ({ params, body }) =>
      this.withEnvironment(params, (environment) => {
        const name = params.name.toUpperCase();
        if (!environment.variables.has(name)) {
          return errorAnswer(404, 'Not Found');
        }
        const renamed = typeof body.name === 'string' ? body.name.toUpperCase() : name;
        const value = typeof body.value === 'string' ? body.value : environment.variables.get(name)!;
        environment.variables.delete(name);
        environment.variables.set(renamed, value);
        return { status: 204 };
      }),
    'teams/get-by-name': ({ params }) => {
      const team = this.teams.get(`${params.org}/${params.team_slug}`.toLowerCase());
      return team ? { status: 200, body: this.teamJson(team) } : errorAnswer(404, 'Not Found');
    },
    'teams/check-permissions-for-repo-in-org': ({ params, headers }) => {
      const team = this.teams.get(`${params.org}/${params.team_slug}`.toLowerCase());
      const repository = this.visible(params.owner, params.repo);
      const permission = repository?.teams.get(team?.slug ?? '');
      if (!team || !repository || !permission) {
        return errorAnswer(404, 'Not Found');
      }
      if (!String(headers.accept ?? '').includes('application/vnd.github.v3.repository+json')) {
        return { status: 204 };
      }
      const level = LEVELS.indexOf(permission);
      const permissions = Object.fromEntries(
        (['admin', 'maintain', 'push', 'triage', 'pull'] as Permission[]).map((name) => [name, LEVELS.indexOf(name) <= level]),
      );
      return { status: 200, body: { ...this.repositoryJson(repository), permissions, role_name: ROLE_NAMES[permission] } };
    },
    'teams/add-or-update-repo-permissions-in-org': ({ params, body }) => {
      const team = this.teams.get(`${params.org}/${params.team_slug}`.toLowerCase());
      const repository = this.visible(params.owner, params.repo);
      if (!team || !repository || repository.owner.login.toLowerCase() !== params.org.toLowerCase()) {
        return errorAnswer(404, 'Not Found');
      }
      const permission = ((body.permission as string | undefined) ?? 'push') as Permission;
      if (!LEVELS.includes(permission)) {
        return errorAnswer(422, `${permission} is not a role`);
      }
      repository.teams.set(team.slug, permission);
      return { status: 204 };
    },
  };

  constructor(
    /** The stand-in's root URL, for the URLs in answers. */
    public readonly baseUrl: string,
    /** The folder of the bare repositories. */
    public readonly gitRoot: string,
    users: string[],
    organizations: OrganizationSetup[],
  ) {
    for (const login of users) {
      this.accounts.set(login.toLowerCase(), { login, id: this.id(), type: 'User' });
    }
    for (const organization of organizations) {
      this.accounts.set(organization.login.toLowerCase(), { login: organization.login, id: this.id(), type: 'Organization' });
      for (const slug of organization.teams ?? []) {
        this.teams.set(`${organization.login}/${slug}`.toLowerCase(), { id: this.id(), slug, organization: organization.login });
      }
      this.propertyDefinitions.set(organization.login.toLowerCase(), organization.properties ?? []);
    }
  }

  /** The repository `owner/name`, whether or not GitHub would show it yet. */
  public repository(owner: string, name: string): Repository | undefined {
    return this.repositories.get(`${owner}/${name}`.toLowerCase());
  }

  /** The bare git repository of `owner/name`. */
  public barePath(owner: string, name: string): string {
    const repository = this.repository(owner, name);
    return path.join(this.gitRoot, repository?.owner.login ?? owner, `${repository?.name ?? name}.git`);
  }

  /** Whether the repository exists and GitHub would show it (not in the moments after its creation). */
  public visible(owner: string, name: string): Repository | undefined {
    const repository = this.repository(owner, name);
    return repository && Date.now() >= repository.createdAt + this.consistencyDelayMs ? repository : undefined;
  }

  /** Creates a repository as `POST /orgs/{org}/repos` does (for tests that need one there first). */
  public async createRepository(owner: string, name: string, fields: Record<string, unknown> = {}): Promise<Repository> {
    const account = this.accounts.get(owner.toLowerCase())!;
    const repository: Repository = {
      id: this.id(),
      owner: account,
      name,
      createdAt: Date.now(),
      description: (fields.description as string | undefined) ?? null,
      visibility: (fields.visibility as Repository['visibility'] | undefined) ?? (fields.private === false ? 'public' : 'private'),
      defaultBranch: 'main',
      settings: {
        allow_squash_merge: true,
        allow_merge_commit: true,
        allow_rebase_merge: true,
        allow_auto_merge: false,
        delete_branch_on_merge: false,
      },
      topics: [],
      properties: new Map(),
      protection: new Map(),
      environments: new Map(),
      teams: new Map(),
      branchesSeenAt: new Map(),
      archived: fields.archived === true,
      gitUnavailable: false,
      pulls: [],
      issueCount: 0,
      oidcSubject: { useDefault: true },
    };
    for (const setting of Object.keys(repository.settings)) {
      if (typeof fields[setting] === 'boolean') {
        repository.settings[setting] = fields[setting] as boolean;
      }
    }
    for (const [property, value] of Object.entries((fields.custom_properties as Record<string, string> | undefined) ?? {})) {
      repository.properties.set(property, value);
    }
    fs.mkdirSync(path.join(this.gitRoot, account.login), { recursive: true });
    await exec('git', ['init', '--quiet', '--bare', '--initial-branch=main', `${name}.git`], { cwd: path.join(this.gitRoot, account.login) });
    // GitHub serves partial clones (--filter=blob:none).
    await exec('git', ['config', 'uploadpack.allowFilter', 'true'], { cwd: path.join(this.gitRoot, account.login, `${name}.git`) });
    repository.topics = ((fields.topics as string[] | undefined) ?? []).map((topic) => topic.toLowerCase());
    this.repositories.set(`${account.login}/${name}`.toLowerCase(), repository);
    return repository;
  }

  /** The branches of a repository, from its bare git repository; notes when each was first seen. */
  public async branches(repository: Repository): Promise<Map<string, string>> {
    const { stdout } = await exec('git', ['for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads'], {
      cwd: this.barePath(repository.owner.login, repository.name),
    });
    const branches = new Map<string, string>();
    for (const line of stdout.split('\n').filter(Boolean)) {
      const [name, commit] = line.split(' ');
      branches.set(name, commit);
      if (!repository.branchesSeenAt.has(name)) {
        repository.branchesSeenAt.set(name, Date.now());
      }
    }
    return branches;
  }

  /** Answers an operation, by its OpenAPI `operationId`; `undefined` when it is not modelled. */
  public async answer(operationId: string, request: OperationRequest): Promise<Answer | undefined> {
    const handler = this.handlers[operationId];
    return handler ? handler.call(this, request) : undefined;
  }

  private async create(owner: Account, body: Record<string, unknown>): Promise<Answer> {
    const name = body.name as string;
    if (this.repository(owner.login, name)) {
      return errorAnswer(422, 'Repository creation failed.', {
        errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }],
      });
    }
    const properties = Object.entries((body.custom_properties as Record<string, string> | undefined) ?? {});
    const problem = properties.map(([property, value]) => this.propertyProblem(owner.login, property, value)).find(Boolean);
    if (problem) {
      return errorAnswer(422, 'Repository creation failed.', { errors: [{ resource: 'Repository', code: 'custom', field: 'custom_properties', message: problem }] });
    }
    return { status: 201, body: this.repositoryJson(await this.createRepository(owner.login, name, body)) };
  }

  /** Answers with `answer(repository)`, or 404 when the repository is not there (yet). */
  public async withRepository(params: Record<string, string>, answer: (repository: Repository) => Answer | Promise<Answer>): Promise<Answer> {
    const repository = this.visible(params.owner, params.repo);
    return repository ? answer(repository) : errorAnswer(404, 'Not Found');
  }

  /** Answers with `answer(environment)`, or 404 when the repository or the environment is not there. */
  private withEnvironment(params: Record<string, string>, answer: (environment: Environment) => Answer): Promise<Answer> {
    return this.withRepository(params, (repository) => {
      const environment = repository.environments.get(params.environment_name);
      return environment ? answer(environment) : errorAnswer(404, 'Not Found');
    });
  }

  private branchVisible(repository: Repository, branch: string): boolean {
    return Date.now() >= (repository.branchesSeenAt.get(branch) ?? 0) + this.consistencyDelayMs;
  }

  private propertyProblem(organization: string, name: string, value: unknown): string | undefined {
    const definition = this.propertyDefinitions.get(organization.toLowerCase())?.find((candidate) => candidate.property_name === name);
    if (!definition) {
      return `Property ${name} is not defined for the organization`;
    }
    if (definition.value_type === 'single_select' && value !== null && !(definition.allowed_values ?? []).includes(value as string)) {
      return `${value} is not an allowed value of ${name}`;
    }
    return undefined;
  }

  private accountOrTeam(type: string, id: number): Account | Team | undefined {
    const candidates: Array<Account | Team> = type === 'User' ? [...this.accounts.values()].filter((account) => account.type === 'User') : [...this.teams.values()];
    return candidates.find((candidate) => candidate.id === id);
  }

  private id(): number {
    return this.nextId++;
  }

  /** A user or organization, by login. */
  public account(login: string): Account | undefined {
    return this.accounts.get(login.toLowerCase());
  }

  /** The next issue (and pull request) number of a repository. */
  public nextIssueNumber(repository: Repository): number {
    return ++repository.issueCount;
  }

  /** A user or organization as the API shows it. */
  public accountJson(account: Account): Record<string, unknown> {
    return {
      login: account.login,
      id: account.id,
      node_id: `U_${account.id}`,
      avatar_url: `${this.baseUrl}/avatars/${account.login}`,
      gravatar_id: '',
      url: `${this.baseUrl}/users/${account.login}`,
      html_url: `${this.baseUrl}/${account.login}`,
      type: account.type,
      site_admin: false,
    };
  }

  /** A repository as the API shows it. */
  public repositoryJson(repository: Repository): Record<string, unknown> {
    const fullName = `${repository.owner.login}/${repository.name}`;
    return {
      id: repository.id,
      node_id: `R_${repository.id}`,
      name: repository.name,
      full_name: fullName,
      private: repository.visibility !== 'public',
      visibility: repository.visibility,
      owner: this.accountJson(repository.owner),
      html_url: `${this.baseUrl}/${fullName}`,
      description: repository.description,
      fork: repository.forkOf !== undefined,
      ...(repository.forkOf ? { parent: { full_name: repository.forkOf } } : {}),
      url: `${this.baseUrl}/repos/${fullName}`,
      clone_url: `${this.baseUrl}/${fullName}.git`,
      git_url: `git://127.0.0.1/${fullName}.git`,
      ssh_url: `git@127.0.0.1:${fullName}.git`,
      default_branch: repository.defaultBranch,
      topics: repository.topics,
      custom_properties: Object.fromEntries(repository.properties),
      ...repository.settings,
      archived: repository.archived,
      disabled: false,
      created_at: TIMESTAMP,
      updated_at: TIMESTAMP,
      pushed_at: TIMESTAMP,
      permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    };
  }

  private definitionJson(organization: string, definition: PropertyDefinition): Record<string, unknown> {
    return {
      property_name: definition.property_name,
      url: `${this.baseUrl}/orgs/${organization}/properties/schema/${definition.property_name}`,
      source_type: 'organization',
      value_type: definition.value_type,
      required: definition.required ?? false,
      default_value: null,
      description: null,
      allowed_values: definition.allowed_values ?? null,
      values_editable_by: 'org_actors',
    };
  }

  private protectionJson(repository: Repository, branch: string, protection: Protection): Record<string, unknown> {
    const url = `${this.baseUrl}/repos/${repository.owner.login}/${repository.name}/branches/${branch}/protection`;
    const enabled = (name: string) => ({ enabled: protection.flags[name] ?? false });
    return {
      url,
      required_status_checks: {
        url: `${url}/required_status_checks`,
        strict: protection.strict,
        contexts: protection.contexts,
        checks: protection.contexts.map((context) => ({ context, app_id: null })),
        contexts_url: `${url}/required_status_checks/contexts`,
      },
      enforce_admins: { url: `${url}/enforce_admins`, enabled: protection.enforceAdmins },
      ...(protection.reviews
        ? {
          required_pull_request_reviews: {
            url: `${url}/required_pull_request_reviews`,
            dismiss_stale_reviews: protection.reviews.dismissStale,
            require_code_owner_reviews: protection.reviews.codeOwners,
            required_approving_review_count: protection.reviews.approvals,
            require_last_push_approval: protection.reviews.lastPush,
          },
        }
        : {}),
      ...(protection.restrictions
        ? {
          restrictions: {
            url: `${url}/restrictions`,
            users_url: `${url}/restrictions/users`,
            teams_url: `${url}/restrictions/teams`,
            apps_url: `${url}/restrictions/apps`,
            users: protection.restrictions.users.map((login) => this.accountJson(this.accounts.get(login.toLowerCase())!)),
            teams: protection.restrictions.teams.map((slug) => ({ slug })),
            apps: protection.restrictions.apps.map((slug) => ({ slug })),
          },
        }
        : {}),
      required_linear_history: enabled('required_linear_history'),
      allow_force_pushes: enabled('allow_force_pushes'),
      allow_deletions: enabled('allow_deletions'),
      block_creations: enabled('block_creations'),
      required_conversation_resolution: enabled('required_conversation_resolution'),
      lock_branch: enabled('lock_branch'),
      allow_fork_syncing: enabled('allow_fork_syncing'),
      required_signatures: { url: `${url}/required_signatures`, enabled: false },
    };
  }

  private environmentJson(repository: Repository, environment: Environment): Record<string, unknown> {
    const rules: Array<Record<string, unknown>> = [];
    if (environment.waitTimer > 0) {
      rules.push({ id: environment.id * 10 + 1, node_id: `GA_${environment.id}_1`, type: 'wait_timer', wait_timer: environment.waitTimer });
    }
    if (environment.reviewers.length > 0) {
      rules.push({
        id: environment.id * 10 + 2,
        node_id: `GA_${environment.id}_2`,
        type: 'required_reviewers',
        prevent_self_review: environment.preventSelfReview,
        reviewers: environment.reviewers.map(({ type, id }) => {
          const reviewer = this.accountOrTeam(type, id)!;
          return { type, reviewer: 'slug' in reviewer ? this.teamJson(reviewer) : this.accountJson(reviewer) };
        }),
      });
    }
    if (environment.branchPolicy) {
      rules.push({ id: environment.id * 10 + 3, node_id: `GA_${environment.id}_3`, type: 'branch_policy' });
    }
    return {
      id: environment.id,
      node_id: `EN_${environment.id}`,
      name: environment.name,
      url: `${this.baseUrl}/repos/${repository.owner.login}/${repository.name}/environments/${environment.name}`,
      html_url: `${this.baseUrl}/${repository.owner.login}/${repository.name}/deployments/activity_log?environments_filter=${environment.name}`,
      created_at: TIMESTAMP,
      updated_at: TIMESTAMP,
      protection_rules: rules,
      deployment_branch_policy: environment.branchPolicy,
    };
  }

  private policyJson(policy: { id: number; name: string; type: string }): Record<string, unknown> {
    return { id: policy.id, node_id: `DBP_${policy.id}`, name: policy.name, type: policy.type };
  }

  private teamJson(team: Team): Record<string, unknown> {
    return {
      id: team.id,
      node_id: `T_${team.id}`,
      url: `${this.baseUrl}/orgs/${team.organization}/teams/${team.slug}`,
      html_url: `${this.baseUrl}/orgs/${team.organization}/teams/${team.slug}`,
      name: team.slug,
      slug: team.slug,
      description: null,
      privacy: 'closed',
      notification_setting: 'notifications_enabled',
      permission: 'pull',
      members_url: `${this.baseUrl}/orgs/${team.organization}/teams/${team.slug}/members{/member}`,
      repositories_url: `${this.baseUrl}/orgs/${team.organization}/teams/${team.slug}/repos`,
      parent: null,
      type: 'organization',
    };
  }
}
