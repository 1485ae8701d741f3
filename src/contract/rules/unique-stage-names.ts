import type { ContractRule } from './contract-rule';
import { pipelineStages } from './private/pipeline-stages';
import { reportDuplicateNames } from './private/unique-names';

/** A stage's code, resources and S3 prefix are named after it. */
export const UNIQUE_STAGE_NAMES: ContractRule = {
  id: 'unique-stage-names',
  scope: 'contract',
  severity: 'error',
  description: 'the stages of the pipeline (`sdlfPipeline`) have distinct names',
  check({ contract, report }) {
    const { stages, path } = pipelineStages(contract);
    reportDuplicateNames(stages, path, 'stage', report);
  },
};
