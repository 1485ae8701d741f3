import * as fs from 'fs';
import * as path from 'path';
import { parseFlags } from './command-line';
import { fleetHost } from './upgrade-command';
import { readRegisteredRepositories } from '../catalog/registered-repositories';
import { closest } from '../contract/closest';
import { domainNameProblem } from '../domain/domain-name';
import { requireGovernancePolicyFile } from '../domain/governance-policy-file';
import { assertConsumer, findProducerRepository, parseProductReference, PRODUCT_ARGUMENT, requestAccess } from '../fleet/access-request';
import { LocalFleetHost } from '../fleet/local-fleet-host';
import { findGitHubToken } from '../github/github-token';
import { InvalidOptionError } from '../util/invalid-option-error';

const OPTIONS = {
  'for': { type: 'string' },
  'columns': { type: 'string' },
  'reason': { type: 'string' },
  'registry': { type: 'string' },
  'policy': { type: 'string' },
  'org': { type: 'string' },
  'topic': { type: 'string' },
  'property': { type: 'string' },
  'remotes-dir': { type: 'string', multiple: true },
  'token-file': { type: 'string' },
} as const;

/** `sdlf-mesh access request ...`: a usage error exits 2 with its one line, as an unknown command does. */
export async function accessRequestCommand(args: string[]): Promise<number> {
  try {
    return await accessRequest(args);
  } catch (error) {
    if (error instanceof InvalidOptionError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}

async function accessRequest(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS, true);
  if (positionals.length > 1) {
    throw new InvalidOptionError(PRODUCT_ARGUMENT, `give one data product, not ${positionals.length} (${positionals.join(' ')}); run the command once for each`);
  }
  const product = parseProductReference(positionals[0]);
  const consumer = values.for;
  if (consumer === undefined) {
    throw new InvalidOptionError('--for', 'name the consumer domain that asks, e.g. --for finance');
  }
  const problem = domainNameProblem(consumer);
  if (problem) {
    throw new InvalidOptionError('--for', `"${consumer}" ${problem}`);
  }
  assertConsumer(product, consumer);
  const columns = values.columns?.split(',').map((element) => element.trim()).filter(Boolean);
  if (columns?.length === 0) {
    throw new InvalidOptionError('--columns', 'name at least one object.column or object, e.g. --columns orders.order_id,orders.order_total; leave it out for every non-sensitive column');
  }

  // The registry names the producer's repository; without it, the local remote <domain>.git or the organization's domain repository.
  let name: string | undefined;
  if (values.registry !== undefined) {
    if (values.org !== undefined) {
      throw new InvalidOptionError('--org', 'give --registry (it names the repository) or --org, not both');
    }
    const { entries } = readRegisteredRepositories(values.registry);
    const entry = entries.find((candidate) => candidate.domain === product.domain);
    if (entry === undefined) {
      const near = closest(product.domain, entries.map((candidate) => candidate.domain));
      throw new InvalidOptionError(PRODUCT_ARGUMENT, `domain "${product.domain}" is not in the registry ${values.registry}${near ? `; did you mean ${near}/${product.dataProduct}?` : ''}`);
    }
    name = findGitHubToken(values['token-file']) === undefined ? entry.repository.split('/')[1] : entry.repository;
  } else if (values.org === undefined) {
    name = product.domain;
  }
  // The platform's policy: given, or the platform repository's own next to its registry.
  const platformPolicy = values.registry === undefined ? undefined : path.join(values.registry, 'governance-policy.yaml');
  const policyFile = values.policy ?? (platformPolicy !== undefined && fs.existsSync(platformPolicy) ? platformPolicy : undefined);
  const policy = policyFile === undefined ? undefined : requireGovernancePolicyFile(policyFile, '--policy');
  const { host } = await fleetHost(values, name === undefined ? undefined : [name]);
  const repository = await findProducerRepository(host, product.domain, name);
  const result = await requestAccess({ host, repository, product, consumer, columns, reason: values.reason, policy });

  const id = `${product.domain}/${product.dataProduct}`;
  if (result.state === 'granted') {
    console.log(`Domain ${consumer} already has select on ${columns ? columns.join(', ') : 'every non-sensitive column'} of ${id} (${result.file} of ${result.repository}): nothing to request.`);
    return 0;
  }
  const { change, request } = result;
  console.log(`${request!.created ? 'Opened' : 'Updated'} the request of domain ${consumer} for ${id}: ${request!.url}`);
  console.log(`  branch ${result.branch} of ${result.repository}${result.pushed ? '' : ' (already up to date)'}`);
  console.log(`  grants ${change!.added.join(', ')}`);
  if (result.approval) {
    console.log(`  approved by policy: ${result.approval}`);
  }
  if (change!.sensitive.length > 0) {
    console.log(`  sensitive, for the ${product.domain} team to decide: ${change!.sensitive.join(', ')}`);
  }
  if (host instanceof LocalFleetHost) {
    console.log(`The ${product.domain} team reviews it (the description is ${request!.url}) and merges it in a clone of ${repository.cloneUrl}: git pull origin ${result.branch} && git push origin ${repository.defaultBranch}`);
  }
  return 0;
}
