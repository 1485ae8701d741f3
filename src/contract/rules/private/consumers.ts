import type { ContractDocumentData } from '../../odcs-definitions';
import { sdlfExtension, SdlfExtensionValue } from '../../sdlf-extensions';
import type { FieldPath } from '../contract-rule';

/** A consumer entry of the contract's `sdlfConsumers`, with where it is. */
export interface ConsumerAt {
  readonly consumer: SdlfExtensionValue<'sdlfConsumers'>[number];
  readonly path: FieldPath;
}

/** The entries of the contract's `sdlfConsumers`, in contract order. */
export function consumersOf(contract: ContractDocumentData): ConsumerAt[] {
  const consumers = sdlfExtension(contract, 'sdlfConsumers');
  return consumers ? consumers.value.map((consumer, index) => ({ consumer, path: ['customProperties', consumers.index, 'value', index] })) : [];
}
