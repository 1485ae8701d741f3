import { consumerGrants, explainGrant } from './consumer-grants';
import { Contract, teamMembers } from './contract';
import { lifecycleOf } from './contract-lifecycle';
import { classifications, dqdlRuleset, glueColumns } from './contract-rendering';
import { dataProductId } from './data-product-input';
import { inputStanding } from './input-grant';
import { MESH_INDEX_COPY, MeshIndex, parseMeshIndex } from './mesh-index';
import type { ContractDocumentData } from './odcs-definitions';
import { publicationSource } from '../domain/publication-events';
import { renderBlueprint } from '../util/blueprint';
import type { RegularFileContent } from '../util/read-regular-file';

/** The folder of a domain repository's docs pages, one a data product. */
export const DATA_PRODUCT_PAGES_DIR = 'docs/dataproducts';

/** `docs/dataproducts/<data product>.md`: the docs page of a data product in its domain repository. */
export function dataProductPagePath(dataProduct: string): string {
  return `${DATA_PRODUCT_PAGES_DIR}/${dataProduct}.md`;
}

/** What a data product's docs page is rendered with, besides its contract. */
export interface DataProductPageContext {
  /** projen's marker of a generated file, which the page's first line holds. @default - none */
  readonly marker?: string;
  /** The domain of the repository. @default - the contract's `domain` */
  readonly domain?: string;
  /** The repository's copy of the mesh index: each input's row then says where it stands. */
  readonly meshIndex?: MeshIndex;
}

/**
 * The docs page of a data product, as its domain repository's synth writes it (the lines, each
 * ended by a newline): what it is, who owns it, its schema with Glue types and classifications,
 * quality rules (and their Glue Data Quality form), freshness, inputs (and, given the mesh index,
 * whether each is granted to the domain), consumers and pipeline. One function for the synth, an
 * access request that changes a contract's consumers, and the check that confirms it, so the three
 * agree on the page byte for byte.
 */
export function renderDataProductPage(contract: Contract, context: DataProductPageContext): string {
  const { meshIndex } = context;
  const domain = context.domain ?? contract.domain;
  const quality = contract.objects.map(dqdlRuleset);
  const text = renderBlueprint('sdlf-domain/managed/dataproduct.md.hbs', {
    marker: context.marker,
    file: contract.file,
    contract: contract.document,
    dataProduct: contract.dataProduct,
    // What the status means for consumers (deprecated, retired...), above everything else.
    notice: lifecycleOf(contract.status).notice,
    owner: ownerOf(contract.document.team),
    objects: contract.objects.map((object, index) => {
      const classified = classifications(object);
      return {
        object,
        columns: glueColumns(object).map((column, columnIndex) => ({
          ...column,
          source: object.properties![columnIndex],
          classification: classified.columns[column.name] ?? '',
        })),
        tableClassification: classified.table ?? 'none',
        dqdl: quality[index],
      };
    }),
    qualityEnforced: quality.reduce((sum, ruleset) => sum + ruleset.enforced, 0),
    qualityUnenforced: quality.reduce((sum, ruleset) => sum + ruleset.unsupported.length, 0),
    // What each consumer will see, as the lint explains it and the grants cover it.
    consumers: consumerGrants(contract).map(explainGrant),
    // A retired data product's grants are revoked at deploy: the contract still names them.
    grantsRevoked: contract.status === 'retired' && contract.consumers.length > 0,
    inputs: inputsOf(contract, domain ?? '', meshIndex),
    meshIndex: meshIndex ? { file: MESH_INDEX_COPY, environment: meshIndex.environment } : undefined,
    domain,
    stages: contract.stages,
    triggerInputs: contract.triggerInputs,
    // What the last stage publishes, for the consumers' pipelines (a contract names its domain).
    publication: contract.domain && contract.stages.length > 0
      ? { product: dataProductId(contract.domain, contract.dataProduct), source: publicationSource(contract.domain) }
      : false,
    retentionDays: contract.retentionDays,
  }, false);
  return `${text.replace(/\n$/, '')}\n`;
}

/** A page rendered again, or what it cannot be rendered without. */
export type PageRendering = { readonly page: string } | { readonly missing: 'synth-page' | 'mesh-index' };

/**
 * The page of `contract` as the repository's synth renders it now, from what the repository holds
 * beside it: the page the synth wrote before (whose first line gives projen's marker) and its copy
 * of the mesh index. What an access request commits with its contract, and what the access check
 * compares the request's page with, so the two always agree. It cannot be rendered without a
 * page of the synth's before, nor with a mesh index copy that cannot be read (the rows of the
 * inputs would then differ from the synth's).
 *
 * @param previousPage the page's text before, if there is one
 * @param meshIndexCopy the repository's `.sdlf/mesh-index.json`, as read (undefined: there is none)
 */
export function renderPageAgain(
  contract: Contract,
  previousPage: string | undefined,
  meshIndexCopy: RegularFileContent | undefined,
  domain?: string,
): PageRendering {
  const marker = /^<!-- (.*Generated by projen.*) -->$/.exec(previousPage?.split('\n')[0] ?? '')?.[1];
  if (marker === undefined) {
    return { missing: 'synth-page' };
  }
  let meshIndex: MeshIndex | undefined;
  if (meshIndexCopy !== undefined) {
    try {
      meshIndex = meshIndexCopy.bytes === undefined ? undefined : parseMeshIndex(meshIndexCopy.bytes.toString('utf8'), MESH_INDEX_COPY);
    } catch {
      meshIndex = undefined;
    }
    if (meshIndex === undefined) {
      return { missing: 'mesh-index' };
    }
  }
  return { page: renderDataProductPage(contract, { marker, domain, meshIndex }) };
}

/** The accountable owner a contract's team names (ODCS 3.1's team object, or 3.0's list of members). */
export function ownerOf(team: ContractDocumentData['team']): string {
  return teamMembers(team).find((member) => member.role === 'owner')?.username ?? '';
}

/** A row of the page's inputs: what the data product reads, and, given the mesh index, where it stands. */
interface InputRow {
  readonly product: string;
  /** The tables and columns read, in words. */
  readonly reads: string;
  readonly status?: string;
  readonly granted?: string;
  readonly fix?: string;
}

function inputsOf(contract: Contract, domain: string, meshIndex: MeshIndex | undefined): InputRow[] {
  return contract.inputs.map((input) => {
    const reads = input.tables === undefined
      ? 'what the grant gives'
      : input.tables.map((table) => `\`${table.name}\` (${table.columns === undefined ? 'what the grant gives' : table.columns.join(', ')})`).join('; ');
    if (meshIndex === undefined) {
      return { product: input.product, reads };
    }
    const standing = inputStanding(input, domain, meshIndex);
    return { product: input.product, reads, status: standing.status ?? 'unknown', granted: standing.text, ...(standing.fix ? { fix: standing.fix } : {}) };
  });
}
