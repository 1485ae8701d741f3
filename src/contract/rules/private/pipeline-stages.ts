import type { ContractDocumentData } from '../../odcs-definitions';
import { sdlfExtension, SdlfExtensionValue } from '../../sdlf-extensions';
import type { FieldPath } from '../contract-rule';

/** The stages of the contract's `sdlfPipeline` and where they are, or none without a pipeline. */
export function pipelineStages(contract: ContractDocumentData): { stages: SdlfExtensionValue<'sdlfPipeline'>['stages']; path: FieldPath } {
  const pipeline = sdlfExtension(contract, 'sdlfPipeline');
  return pipeline ? { stages: pipeline.value.stages, path: ['customProperties', pipeline.index, 'value', 'stages'] } : { stages: [], path: [] };
}
