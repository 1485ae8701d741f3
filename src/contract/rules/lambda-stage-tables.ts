import type { ContractRule } from './contract-rule';
import { glueTypeOf, isNestedGlueType } from '../glue-types';
import { columnsOf } from './private/columns';
import { pipelineStages } from './private/pipeline-stages';

/**
 * The last stage of a pipeline writes the data product's tables. A Lambda stage writes each table
 * as Parquet files of flat values right under the table's location: it adds no partition to the
 * catalog (the Glue stage's crawler does) and encodes no nested value. A partition key or a
 * nested column would leave the data it writes invisible to the table, so the contract says so
 * before anything is deployed.
 */
export const LAMBDA_STAGE_TABLES: ContractRule = {
  id: 'lambda-stage-tables',
  scope: 'contract',
  severity: 'error',
  description: 'the tables of a pipeline that ends in a `lambda` stage have no `partitioned` column and no array, map or struct column',
  check({ contract, report }) {
    const { stages } = pipelineStages(contract);
    if (stages[stages.length - 1]?.type !== 'lambda') {
      return;
    }
    for (const { column, path } of columnsOf(contract)) {
      const glueType = glueTypeOf(column);
      if (column.partitioned === true) {
        report([...path, 'partitioned'], `column "${column.name}" is a partition key, and the pipeline's last stage, a Lambda stage, adds no partitions to the catalog`, 'end the pipeline with a glue stage, or remove partitioned');
      } else if (isNestedGlueType(glueType)) {
        report(
          [...path, column.physicalType === undefined ? 'logicalType' : 'physicalType'],
          `column "${column.name}" is ${glueType}, and the pipeline's last stage, a Lambda stage, writes flat values only`,
          'end the pipeline with a glue stage, or make it a string of JSON',
        );
      }
    }
  },
};
