import { DataProductInput, dataProductInput } from '../../data-product-input';
import { findIndexProduct, MeshIndex, MeshIndexProduct } from '../../mesh-index';
import type { ContractDocumentData } from '../../odcs-definitions';
import { sdlfExtension } from '../../sdlf-extensions';
import type { ContractRuleOptions, FieldPath } from '../contract-rule';

/** An entry of the contract's `sdlfInputs`, with where it is and where its product is named. */
export interface InputAt {
  readonly input: DataProductInput;
  /** The entry: `['customProperties', <property>, 'value', <entry>]`. */
  readonly path: FieldPath;
  /** The data product's name: the entry itself, or its `product` field. */
  readonly productPath: FieldPath;
}

/** The entries of the contract's `sdlfInputs`, in contract order, and where the list is. */
export function inputsOf(contract: ContractDocumentData): { inputs: InputAt[]; path: FieldPath } {
  const inputs = sdlfExtension(contract, 'sdlfInputs');
  if (!inputs) {
    return { inputs: [], path: [] };
  }
  const base = ['customProperties', inputs.index, 'value'];
  return {
    path: base,
    inputs: inputs.value.map((entry, index) => ({
      input: dataProductInput(entry),
      path: [...base, index],
      productPath: typeof entry === 'string' ? [...base, index] : [...base, index, 'product'],
    })),
  };
}

/** The contract's own data product, as an input would name it. */
export function ownProductId(contract: ContractDocumentData, options: ContractRuleOptions): string {
  return `${contract.domain ?? options.domain}/${contract.name ?? contract.dataProduct}`;
}

/**
 * The inputs of the contract found in the mesh index, each with its product there: what the rules
 * of an input's status and grant check (the others are `input-known`'s to report).
 */
export function indexedInputsOf(contract: ContractDocumentData, options: ContractRuleOptions): Array<InputAt & { product: MeshIndexProduct }> {
  const index: MeshIndex | undefined = options.meshIndex;
  if (!index) {
    return [];
  }
  return inputsOf(contract).inputs.flatMap((at) => {
    const product = findIndexProduct(index, at.input.product);
    return product ? [{ ...at, product }] : [];
  });
}
