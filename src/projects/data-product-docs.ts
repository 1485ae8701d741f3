import * as fs from 'fs';
import * as path from 'path';
import { Component, Project } from 'projen';
import { managedFile } from './blueprint';
import { consumerGrants, explainGrant } from '../contract/consumer-grants';
import { classifications, dqdlRuleset, glueColumns } from '../contract/contract-rendering';
import { contractFiles, lintContractText } from '../contract/lint-contract';

/**
 * `docs/dataproducts/<name>.md`, one managed page per data product, for people: what it is, who
 * owns it, its schema with Glue types and classifications, quality rules (and their Glue Data
 * Quality form), freshness, consumers and pipeline. Regenerated from the contracts on every synth,
 * so the pull-request build fails when a contract changed and its page was not regenerated.
 */
export class DataProductDocs extends Component {
  /**
   * @param contracts the contract files' text by path, relative to the project; when none are on
   * disk yet (a new project), the sample contract the project is about to write
   */
  constructor(project: Project, domain: string, contracts: Record<string, string>) {
    super(project);
    for (const [file, text] of Object.entries(contracts)) {
      const report = lintContractText(file, text, { domain });
      if (report.problems.length > 0) {
        project.logger.warn(`${file}: no docs page until the contract is valid (npx projen contract:lint)`);
        continue;
      }
      const contract = report.contract;
      managedFile(project, `docs/dataproducts/${contract.dataProduct}.md`, 'sdlf-domain/managed/dataproduct.md.hbs', {
        file,
        contract,
        owner: (contract.team?.members ?? []).find((member: any) => member.role === 'owner')?.username ?? '',
        objects: (contract.schema ?? []).map((object: any) => ({
          object,
          columns: glueColumns(object).map((column, index) => ({
            ...column,
            source: object.properties[index],
            classification: classifications(object).columns[column.name] ?? '',
          })),
          tableClassification: classifications(object).table ?? 'none',
          dqdl: dqdlRuleset(object),
        })),
        // What each consumer will see, as the lint explains it and the grants cover it.
        consumers: consumerGrants(contract).map(explainGrant),
        stages: customProperty(contract, 'sdlfPipeline')?.stages ?? [],
        retentionDays: customProperty(contract, 'sdlfRetentionDays'),
      }, false);
    }
  }
}

/** The contracts of a project folder as file → text, relative to the project. */
export function readContractTexts(outdir: string, dir: string): Record<string, string> {
  const absolute = path.join(outdir, dir);
  if (!fs.existsSync(absolute)) {
    return {};
  }
  return Object.fromEntries(contractFiles([absolute]).map((file) => [path.relative(outdir, file), fs.readFileSync(file, 'utf8')]));
}

function customProperty(contract: any, name: string): any {
  return (contract.customProperties ?? []).find((entry: any) => entry?.property === name)?.value;
}

