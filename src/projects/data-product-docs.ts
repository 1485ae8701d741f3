import * as fs from 'fs';
import * as path from 'path';
import { Component, Project, TextFile } from 'projen';
import type { DomainContracts } from './domain-contracts';
import { managedFile } from './managed-file';
import { domainMeshIndex, MeshIndexCopy } from './mesh-index-copy';
import { consumerGrants, explainGrant } from '../contract/consumer-grants';
import { Contract, teamMembers } from '../contract/contract';
import { lifecycleOf } from '../contract/contract-lifecycle';
import { classifications, dqdlRuleset, glueColumns } from '../contract/contract-rendering';
import { dataProductId } from '../contract/data-product-input';
import { inputStanding } from '../contract/input-grant';
import { contractFiles } from '../contract/lint-contract';
import { MESH_INDEX_COPY, MeshIndex } from '../contract/mesh-index';
import type { ContractDocumentData } from '../contract/odcs-definitions';
import { publicationSource } from '../domain/publication-events';

/** The folder of the docs pages, in the project. */
const DOCS_DIR = 'docs/dataproducts';

/** What the docs pages are made from, besides the contracts. */
export interface DataProductDocsOptions {
  /**
   * The domain whose repository it is: whether each input is granted to it.
   *
   * @default - each contract's `domain`
   */
  readonly domain?: string;
  /**
   * The repository's copy of the mesh index: each input's row then says whether the input is
   * served and granted to the domain.
   *
   * @default - the copy in `.sdlf/mesh-index.json` when the repository has one (as `contract:lint`
   * reads it), else the inputs are listed, not checked
   */
  readonly meshIndex?: MeshIndexCopy;
}

/**
 * `docs/dataproducts/<name>.md`, one managed page per data product, for people: what it is, who
 * owns it, its schema with Glue types and classifications, quality rules (and their Glue Data
 * Quality form), freshness, inputs (and, given the mesh index, whether each is granted to the
 * domain), consumers and pipeline. Regenerated from the contracts on every synth,
 * so the pull-request build fails when a contract changed and its page was not regenerated.
 *
 * A contract that is invalid keeps the page of its last valid state, as it is (each page names
 * the contract it was made from): a typo being fixed does not take the page away, and a new
 * synth gives the same files until the contract is valid again.
 */
export class DataProductDocs extends Component {
  /** The data products whose contract is invalid and whose page of the last valid state is kept. */
  public readonly keptDataProducts: string[];

  /**
   * @param contracts the repository's contracts (the valid ones count: lint reports the others)
   */
  constructor(project: Project, contracts: DomainContracts, options: DataProductDocsOptions = {}) {
    super(project);
    const meshIndex = domainMeshIndex(project, options.meshIndex);
    const rendered = new Set(contracts.dataProducts);
    const invalid = new Set(contracts.invalidFiles);
    this.keptDataProducts = [];
    for (const page of renderedPages(project.outdir)) {
      // A data product a valid contract renders is rendered from it, whichever file held it before.
      if (invalid.has(page.source) && !rendered.has(page.dataProduct)) {
        new TextFile(project, `${DOCS_DIR}/${page.dataProduct}.md`, { readonly: true, lines: page.lines });
        this.keptDataProducts.push(page.dataProduct);
      }
    }
    for (const contract of contracts._contracts) {
      const quality = contract.objects.map(dqdlRuleset);
      managedFile(project, `${DOCS_DIR}/${contract.dataProduct}.md`, 'sdlf-domain/managed/dataproduct.md.hbs', {
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
        inputs: inputsOf(contract, options.domain ?? contract.domain ?? '', meshIndex),
        meshIndex: meshIndex ? { file: MESH_INDEX_COPY, environment: meshIndex.environment } : undefined,
        domain: options.domain ?? contract.domain,
        stages: contract.stages,
        triggerInputs: contract.triggerInputs,
        // What the last stage publishes, for the consumers' pipelines (a contract names its domain).
        publication: contract.domain && contract.stages.length > 0
          ? { product: dataProductId(contract.domain, contract.dataProduct), source: publicationSource(contract.domain) }
          : false,
        retentionDays: contract.retentionDays,
      }, false);
    }
  }
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

/** A docs page a synth wrote: its data product, the contract it was made from, its lines. */
interface RenderedPage {
  readonly dataProduct: string;
  readonly source: string;
  readonly lines: string[];
}

/**
 * The managed docs pages on disk, with the contract each was made from (its second line, which
 * the blueprint writes as `<!-- From <contract>: ... -->`). Pages without projen's marker are
 * not the template's and are left out.
 */
function renderedPages(outdir: string): RenderedPage[] {
  const dir = path.join(outdir, DOCS_DIR);
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir).filter((name) => name.endsWith('.md')).flatMap((name): RenderedPage[] => {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    // As managedFile renders it: the lines without the final newline.
    const lines = text.replace(/\n$/, '').split('\n');
    const source = /^<!-- From (.+): edit the contract, then run npx projen\. -->$/.exec(lines[1] ?? '')?.[1];
    return lines[0]?.includes('Generated by projen') && source !== undefined ? [{ dataProduct: name.replace(/\.md$/, ''), source, lines }] : [];
  });
}

/** The accountable owner a contract's team names (ODCS 3.1's team object, or 3.0's list of members). */
export function ownerOf(team: ContractDocumentData['team']): string {
  return teamMembers(team).find((member) => member.role === 'owner')?.username ?? '';
}

/** The contracts of a project folder as file → text, relative to the project. */
export function readContractTexts(outdir: string, dir: string): Record<string, string> {
  const absolute = path.join(outdir, dir);
  if (!fs.existsSync(absolute)) {
    return {};
  }
  return Object.fromEntries(contractFiles([absolute]).map((file) => [path.relative(outdir, file), fs.readFileSync(file, 'utf8')]));
}

