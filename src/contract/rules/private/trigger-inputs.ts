import type { ContractDocumentData } from '../../odcs-definitions';
import { sdlfExtension } from '../../sdlf-extensions';
import type { FieldPath } from '../contract-rule';

/** The inputs that start the contract's pipeline (`sdlfPipeline.trigger.inputs`), each with where it is. */
export function triggerInputsOf(contract: ContractDocumentData): { inputs: Array<{ product: string; path: FieldPath }>; path: FieldPath } {
  const pipeline = sdlfExtension(contract, 'sdlfPipeline');
  const inputs = pipeline?.value.trigger?.inputs;
  if (!pipeline || !inputs) {
    return { inputs: [], path: [] };
  }
  const path = ['customProperties', pipeline.index, 'value', 'trigger', 'inputs'];
  return { path, inputs: inputs.map((product, index) => ({ product, path: [...path, index] })) };
}
