import { renderSampleContract } from '../../src/projects/domain-samples';

/**
 * The sample contract of a domain, active as a team has it once it made the example its own (a
 * new repository gets it as a draft).
 */
export function activeContract(domain: string, owner: string, dataProduct: string): string {
  return renderSampleContract(domain, owner, dataProduct, 'active');
}

/** The active sample contract of domain `sales` (data product `orders` unless named otherwise). */
export function sampleContract(dataProduct = 'orders'): string {
  return activeContract('sales', 'sales-data@example.com', dataProduct);
}
