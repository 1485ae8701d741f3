import type { ContractRule } from './contract-rule';
import { pipelineStages } from './private/pipeline-stages';

/** A Lambda stage is started by each object's event, never by a schedule or a batch. */
export const LAMBDA_STAGE_TRIGGER: ContractRule = {
  id: 'lambda-stage-trigger',
  scope: 'contract',
  severity: 'error',
  description: 'a `lambda` stage runs for each event: its `trigger`, if any, is `event`',
  check({ contract, report }) {
    const { stages, path } = pipelineStages(contract);
    stages.forEach((stage, index) => {
      if (stage.type === 'lambda' && stage.trigger !== undefined && stage.trigger !== 'event') {
        report([...path, index, 'trigger'], `a Lambda stage runs for each event; trigger "${stage.trigger}" is for Glue stages`, 'remove trigger, or make it a glue stage');
      }
    });
  },
};
