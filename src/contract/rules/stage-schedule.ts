import type { ContractRule } from './contract-rule';
import { pipelineStages } from './private/pipeline-stages';

/** A schedule that starts nothing would be a promise nobody keeps. */
export const STAGE_SCHEDULE: ContractRule = {
  id: 'stage-schedule',
  scope: 'contract',
  severity: 'error',
  description: 'a `schedule` belongs to a `glue` stage whose trigger is `schedule` or `batch`',
  check({ contract, report }) {
    const { stages, path } = pipelineStages(contract);
    stages.forEach((stage, index) => {
      if (stage.schedule !== undefined && (stage.type !== 'glue' || stage.trigger === 'event')) {
        report([...path, index, 'schedule'], 'a schedule starts only a Glue stage whose trigger is schedule or batch', 'remove schedule, or set trigger: batch');
      }
    });
  },
};
