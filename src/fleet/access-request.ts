import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FleetHost, FleetRepository, UpgradeRequest } from './fleet-host';
import { closest } from '../contract/closest';
import { applyConsumerGrant, approvalByPolicy, ConsumerGrantChange, planConsumerGrant } from '../contract/consumer-request';
import type { Contract } from '../contract/contract';
import { readContractBlob } from '../contract/contract-blob';
import { formatProblem } from '../contract/contract-problem';
import { dataProductPagePath, renderPageAgain } from '../contract/data-product-page';
import { lintContractText } from '../contract/lint-contract';
import { MESH_INDEX_COPY } from '../contract/mesh-index';
import { DATA_PRODUCT_REFERENCE } from '../contract/sdlf-extensions';
import { GovernancePolicyProps } from '../domain/governance-policy-props';
import { APPROVED_BY_POLICY_LABEL } from '../domain/names';
import { commitRegistration } from '../platform/registration-commit';
import { renderBlueprint } from '../util/blueprint';
import { git, GitOptions, remoteBranches, treeEntries } from '../util/git';
import { InvalidOptionError } from '../util/invalid-option-error';

/** Where the contracts of a domain repository are. */
const CONTRACTS_DIR = 'dataproducts';

/** How the command names the data product argument in its refusals. */
export const PRODUCT_ARGUMENT = '<domain>/<data product>';

/** The most characters of a `--reason` the request carries. */
const MAX_REASON = 2000;

/** A data product of the mesh, as `<domain>/<data product>` names it. */
export interface ProductReference {
  readonly domain: string;
  readonly dataProduct: string;
}

/** `<domain>/<data product>`, or a refusal naming the argument and its form. */
export function parseProductReference(value: string | undefined): ProductReference {
  if (value === undefined || !new RegExp(DATA_PRODUCT_REFERENCE).test(value)) {
    const given = value === undefined ? 'no data product given' : `"${value}" is not <domain>/<data product>`;
    throw new InvalidOptionError(PRODUCT_ARGUMENT, `${given}; name the producer's domain and its data product in lowercase, e.g. sales/orders`);
  }
  const [domain, dataProduct] = value.split('/');
  return { domain, dataProduct };
}

/** Refuses a request of the producer's own domain for its data product: it reads them without a grant. */
export function assertConsumer(product: ProductReference, consumer: string): void {
  if (consumer === product.domain) {
    throw new InvalidOptionError('--for', `domain "${consumer}" owns ${product.domain}/${product.dataProduct}: a domain reads its own data products without a grant; give the consumer domain`);
  }
}

/** The branch that carries a consumer's request for a data product: one a pair, so a re-run finds it. */
export function accessBranch(consumer: string, dataProduct: string): string {
  return `sdlf-mesh/access/${consumer}/${dataProduct}`;
}

/**
 * The repository of a host that speaks for `domain`: the one named `name` when the caller knows
 * it (from the platform's registry, or the local remote `<domain>.git`), else the one whose
 * `domain` custom property, or failing that whose name, is the domain. A fork speaks for no
 * domain: an access request goes to the producer's own repository, whose code owners review it
 * and whose checks run with its own settings; a fork found is refused naming the repository to
 * use. An archived repository's data products are retired, and it takes no pull request.
 */
export async function findProducerRepository(host: FleetHost, domain: string, name?: string): Promise<FleetRepository> {
  const listed = await host.listRepositories();
  const last = (full: string) => full.split('/').pop()!.toLowerCase();
  const matches = name !== undefined
    ? listed.filter((repository) => repository.name.toLowerCase() === name.toLowerCase())
    : [
      listed.filter((repository) => repository.declaredDomain === domain),
      listed.filter((repository) => repository.declaredDomain === undefined && last(repository.name) === domain),
    ].find((found) => found.length > 0) ?? [];
  const own = matches.filter((repository) => !repository.fork);
  if (own.length === 0 && matches.length > 0) {
    const fork = matches[0];
    throw new InvalidOptionError(
      PRODUCT_ARGUMENT,
      `${fork.name} is a fork${fork.parent ? ` of ${fork.parent}` : ''}, which does not speak for domain "${domain}": an access request goes to the producer's own repository; register that one for the domain (or give its organization)`,
    );
  }
  if (own.length !== 1) {
    const domains = listed.map((repository) => repository.declaredDomain ?? last(repository.name));
    const near = closest(domain, domains);
    const what = own.length === 0 ? `no repository of ${host.description} speaks for domain "${domain}"` : `${own.map((repository) => repository.name).join(' and ')} all say they are domain "${domain}"`;
    throw new InvalidOptionError(PRODUCT_ARGUMENT, `${what}${near && near !== domain ? ` (did you mean "${near}"?)` : ''}; give the producer's domain as the platform's registry names it (--registry), or where its repository is (--remotes-dir, --org)`);
  }
  if (own[0].archived) {
    throw new InvalidOptionError(PRODUCT_ARGUMENT, `${own[0].name}, the repository of domain "${domain}", is archived: its data products are retired and it takes no request`);
  }
  return own[0];
}

/** What {@link requestAccess} is asked. */
export interface AccessRequestOptions {
  /** Where the producer's repository is. */
  readonly host: FleetHost;
  /** The producer's repository (see {@link findProducerRepository}). */
  readonly repository: FleetRepository;
  /** The data product. */
  readonly product: ProductReference;
  /** The consumer domain asking. */
  readonly consumer: string;
  /** The elements asked for: `object.column` or `object`. @default - every non-sensitive column */
  readonly columns?: string[];
  /** Why, in the consumer's words, for the producer's reviewers. */
  readonly reason?: string;
  /**
   * The platform's governance policy: its `accessRequests` may approve the request without a
   * person (see {@link approvalByPolicy}). @default - none: the producer reviews every request
   */
  readonly policy?: GovernancePolicyProps;
}

/** What {@link requestAccess} did. */
export interface AccessRequestResult {
  /** `granted`: the consumer already has what it asks, nothing was written; `requested`: the request is open. */
  readonly state: 'granted' | 'requested';
  /** The producer's repository, as the host names it. */
  readonly repository: string;
  /** The contract file. */
  readonly file: string;
  /** The request's branch. */
  readonly branch: string;
  /** The change asked for (`requested` only). */
  readonly change?: ConsumerGrantChange;
  /** Whether the branch got a commit now (false: it already asked for this). */
  readonly pushed?: boolean;
  /** The pull request (on a local remote: its description file). */
  readonly request?: UpgradeRequest;
  /** Why the governance policy approves the request without a person; undefined: the producer reviews it. */
  readonly approval?: string;
}

/**
 * Asks the producer of a data product to grant a consumer domain `select` on it: a pull request
 * on the producer's repository that adds the consumer to the contract's `sdlfConsumers`, or
 * widens its entry. The contract is read from the producer's default branch as untrusted input
 * (from the git tree: no symbolic link, nothing over the contract size limit, linted with the
 * producer's domain) and edited keeping the producer's text; no code of the repository runs.
 * Names the contract does not have are refused before anything is written. When the consumer
 * already has every column asked for, nothing is written. Otherwise the change is committed on
 * {@link accessBranch} (on top of the branch when it exists, so a re-run pushes nothing new when
 * nothing changed) and pushed, and the one pull request of the branch is opened or updated.
 */
export async function requestAccess(options: AccessRequestOptions): Promise<AccessRequestResult> {
  const { host, repository, product, consumer } = options;
  assertConsumer(product, consumer);
  const branch = accessBranch(consumer, product.dataProduct);
  const base = repository.defaultBranch;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-access-'));
  try {
    const local = scratch;
    const remote: GitOptions = { cwd: scratch, env: { ...host.gitEnvironment(), CI: undefined } };
    await git(local, 'init', '--quiet', '--bare');
    const branches = await remoteBranches(remote, repository.cloneUrl, `refs/heads/${base}`, `refs/heads/${branch}`);
    if (!branches.has(base)) {
      throw new Error(`${repository.name} has no branch ${base}, so it holds no data product yet`);
    }
    const fetched = [base, ...(branches.has(branch) ? [branch] : [])];
    await git(remote, 'fetch', '--quiet', '--no-tags', '--depth', '1', repository.cloneUrl, ...fetched.map((name) => `+refs/heads/${name}:refs/heads/${name}`));

    const { file, text } = await readContract(local, repository, base, product);
    const report = lintContractText(file, text, { domain: product.domain });
    if (!report.contract) {
      throw new Error(`${repository.name}: ${file} on ${base} is not a valid contract, so no grant can be added to it; the ${product.domain} team fixes it first:\n${report.problems.map(formatProblem).join('\n')}`);
    }
    if (report.contract.status === 'retired') {
      throw new InvalidOptionError(PRODUCT_ARGUMENT, `${product.domain}/${product.dataProduct} is retired: it grants nobody any more`);
    }
    const change = planConsumerGrant(report.contract, { consumer, columns: options.columns });
    if (!change) {
      return { state: 'granted', repository: repository.name, file, branch };
    }
    const content = applyConsumerGrant(text, consumer, change);
    const after = lintContractText(file, content, { domain: product.domain });
    if (!after.contract) {
      // The edit is ours: a contract it breaks is a bug here, not the producer's to fix.
      throw new Error(`the grant made ${file} invalid, so nothing was written:\n${after.problems.map(formatProblem).join('\n')}`);
    }
    const page = await renderedPage(local, base, after.contract, product);
    const commit = await commitRegistration(local, {
      file,
      content,
      ...(page ? { alongside: [page] } : {}),
      baseBranch: base,
      branch,
      message: `feat(access): grant domain ${consumer} select on ${product.dataProduct}`,
    });
    const pushed = commit.state === 'committed';
    if (pushed) {
      // On top of the branch as it was fetched: a branch that moved since is refused, not overwritten.
      await git(remote, 'push', '--quiet', '--no-verify', repository.cloneUrl, `refs/heads/${branch}:refs/heads/${branch}`);
    }
    const approval = approvalByPolicy(change, consumer, options.policy);
    const request = await host.openOrUpdateUpgradeRequest(repository, {
      branch,
      title: `Grant domain ${consumer} select on ${product.domain}/${product.dataProduct}`,
      body: accessRequestBody(options, file, change, approval),
      // A re-run that asks for more than the policy approves takes the label off.
      ...(approval ? { labels: [APPROVED_BY_POLICY_LABEL] } : { removeLabels: [APPROVED_BY_POLICY_LABEL] }),
    });
    return { state: 'requested', repository: repository.name, file, branch, change, pushed, request, ...(approval ? { approval } : {}) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The data product's docs page as the producer's synth renders it from the granting contract,
 * when the base branch has the synth's page: committed with the contract, it keeps the producer's
 * build (which fails on a page that is not regenerated) green, and the producer's access check
 * renders it again to compare (one function renders both). It is rendered with the base's mesh
 * index copy, as a build in CI keeps it; undefined when the page or that copy cannot be read
 * (the producer regenerates it).
 */
async function renderedPage(
  gitDir: string,
  base: string,
  contract: Contract,
  product: ProductReference,
): Promise<{ file: string; content: string } | undefined> {
  const read = async (file: string) => {
    const [entry] = await treeEntries(gitDir, base, file);
    return entry === undefined || entry.path !== file ? undefined : readContractBlob(gitDir, entry);
  };
  const file = dataProductPagePath(product.dataProduct);
  const rendering = renderPageAgain(contract, (await read(file))?.bytes?.toString('utf8'), await read(MESH_INDEX_COPY), product.domain);
  return 'page' in rendering ? { file, content: rendering.page } : undefined;
}

/** The contract of the data product at the base branch, read from the tree with the contract limits. */
async function readContract(
  gitDir: string,
  repository: FleetRepository,
  base: string,
  product: ProductReference,
): Promise<{ file: string; text: string }> {
  const entries = await treeEntries(gitDir, base, `${CONTRACTS_DIR}/`);
  const names = new Map(entries.flatMap((entry) => {
    const match = /^dataproducts\/([^/]+)\.ya?ml$/.exec(entry.path);
    return match ? [[match[1], entry] as const] : [];
  }));
  const entry = names.get(product.dataProduct);
  if (entry === undefined) {
    const near = closest(product.dataProduct, [...names.keys()]);
    const known = names.size === 0 ? 'it has none' : near ? `did you mean ${product.domain}/${near}?` : `its data products are ${[...names.keys()].join(', ')}`;
    throw new InvalidOptionError(PRODUCT_ARGUMENT, `domain "${product.domain}" has no data product "${product.dataProduct}" (no ${CONTRACTS_DIR}/${product.dataProduct}.yaml on ${base} of ${repository.name}); ${known}`);
  }
  const { bytes, unreadable } = await readContractBlob(gitDir, entry);
  if (bytes === undefined) {
    throw new Error(`${repository.name}: ${entry.path} ${unreadable}`);
  }
  try {
    return { file: entry.path, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    throw new Error(`${repository.name}: ${entry.path} is not UTF-8 text, so it is not a contract`);
  }
}

/** The pull request's body: who asks, for what, why, and the sensitive columns the producer decides on. */
function accessRequestBody(options: AccessRequestOptions, file: string, change: ConsumerGrantChange, approval: string | undefined): string {
  const { consumer, product } = options;
  const tables = new Map<string, string[]>();
  for (const column of change.added) {
    const [object, name] = column.split('.');
    tables.set(object, [...(tables.get(object) ?? []), name]);
  }
  const reason = options.reason?.trim().slice(0, MAX_REASON);
  const columns = options.columns ? ` --columns ${options.columns.join(',')}` : '';
  return renderBlueprint('access-request/pull-request.md.hbs', {
    consumer,
    producer: product.domain,
    dataProduct: product.dataProduct,
    file,
    widened: change.widened !== undefined,
    tables: [...tables].map(([object, names]) => ({ object, columns: names })),
    sensitive: change.sensitive,
    reason: reason ? reason.split(/\r?\n/) : null,
    approval: approval ?? null,
    command: `sdlf-mesh access request ${product.domain}/${product.dataProduct} --for ${consumer}${columns}`,
  });
}
