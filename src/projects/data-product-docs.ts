import * as fs from 'fs';
import * as path from 'path';
import { Component, Project } from 'projen';
import { managedFile } from './blueprint';
import type { DomainContracts } from './domain-contracts';
import { consumerGrants, explainGrant } from '../contract/consumer-grants';
import { teamMembers } from '../contract/contract';
import { lifecycleOf } from '../contract/contract-lifecycle';
import { classifications, dqdlRuleset, glueColumns } from '../contract/contract-rendering';
import { contractFiles } from '../contract/lint-contract';
import type { ContractDocumentData } from '../contract/odcs-definitions';

/**
 * `docs/dataproducts/<name>.md`, one managed page per data product, for people: what it is, who
 * owns it, its schema with Glue types and classifications, quality rules (and their Glue Data
 * Quality form), freshness, consumers and pipeline. Regenerated from the contracts on every synth,
 * so the pull-request build fails when a contract changed and its page was not regenerated.
 */
export class DataProductDocs extends Component {
  /**
   * @param contracts the repository's contracts (the valid ones count: lint reports the others)
   */
  constructor(project: Project, contracts: DomainContracts) {
    super(project);
    for (const contract of contracts._contracts) {
      const quality = contract.objects.map(dqdlRuleset);
      managedFile(project, `docs/dataproducts/${contract.dataProduct}.md`, 'sdlf-domain/managed/dataproduct.md.hbs', {
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
        stages: contract.stages,
        retentionDays: contract.retentionDays,
      }, false);
    }
  }
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

