import type { ContractRule } from './contract-rule';
import { pipelineStages } from './private/pipeline-stages';
import { triggerInputsOf } from './private/trigger-inputs';

/**
 * An input's publication starts the pipeline's first stage with no object of its own: a Glue stage
 * reads its input itself (the linked tables, its input prefix), a Lambda stage transforms the one
 * object it is given, and would be given none.
 */
export const INPUT_TRIGGER_STAGE: ContractRule = {
  id: 'input-trigger-stage',
  scope: 'contract',
  severity: 'error',
  description: 'a pipeline its inputs trigger (`sdlfPipeline.trigger.inputs`) begins with a `glue` stage',
  check({ contract, report }) {
    const { path } = triggerInputsOf(contract);
    const { stages } = pipelineStages(contract);
    if (path.length > 0 && stages[0]?.type === 'lambda') {
      report(path, `an input's publication starts the first stage, "${stages[0].name}", with no object, and a Lambda stage transforms one object it is given`, 'begin the pipeline with a glue stage, or remove trigger');
    }
  },
};
