import { renderSampleContract } from '../../src/projects/domain-samples';

/** The sample contract of domain `sales` (data product `orders` unless named otherwise). */
export function sampleContract(dataProduct = 'orders'): string {
  return renderSampleContract('sales', 'sales-data@example.com', dataProduct);
}
