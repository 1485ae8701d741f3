import { dataFiles } from '../contract/data-files';
import { SchemaObject } from '../contract/odcs-definitions';
import { testTableData } from '../contract/test-contract-data';

/** The outcome of one quality rule of a contract on the data a run wrote. */
export interface QualityRuleResult {
  /** The rule as Glue Data Quality evaluates it, e.g. `IsComplete "order_id"`. */
  readonly rule: string;
  /** The column the rule is about, when it is a column's. */
  readonly column?: string;
  readonly passed: boolean;
  /** What was measured, against the threshold: `0 failing rows (must be 0 rows)`. */
  readonly measured: string;
}

/**
 * The quality rules of a table that Glue Data Quality evaluates after the stage (the deployed
 * ruleset: the contract's quality rules with a DQDL form), checked on the Parquet files written by
 * the checks of `sdlf-mesh contract test`, which make that ruleset: the same rules, with the same
 * thresholds. None when nothing was written.
 *
 * @param contract the contract file, and its data product
 * @param object the schema object of the table, from the contract
 * @param files the table's Parquet files (partition folders `<column>=<value>/` give their columns)
 */
export async function checkQuality(
  contract: { readonly file: string; readonly dataProduct: string },
  object: SchemaObject,
  files: string[],
): Promise<QualityRuleResult[]> {
  if (files.length === 0) {
    return [];
  }
  const tested = await testTableData({ contract: contract.file, dataProduct: contract.dataProduct, object }, dataFiles(files), 0, files.join(' '));
  return tested.results
    .filter((result) => result.origin === 'quality' && result.dqdl !== undefined)
    .map((result) => ({
      rule: result.dqdl!,
      ...(result.columns.length === 1 ? { column: result.columns[0] } : {}),
      passed: result.status === 'passed',
      measured: result.message,
    }));
}
