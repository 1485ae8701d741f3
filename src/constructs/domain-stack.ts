import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DataContract } from './data-contract';
import { DataProduct } from './data-product';
import { Domain } from './domain';
import { DomainStorage } from './domain-storage';

/**
 * Props of {@link DomainStack}.
 */
export interface DomainStackProps extends StackProps {
  /** Domain name. */
  readonly domain: string;

  /** Environment name, e.g. `dev`. */
  readonly environment: string;

  /** Accountable owner of the domain (`sdlf:owner`). */
  readonly owner: string;

  /**
   * Cost center of the domain (`sdlf:cost-center`).
   *
   * @default "unassigned"
   */
  readonly costCenter?: string;

  /**
   * The domain's data-product contracts: one {@link DataProduct} each.
   *
   * @default - none
   */
  readonly contracts?: DataContract[];

  /**
   * Lake Formation principals of consumer domains, for grants the contracts give by domain.
   *
   * @default - none
   */
  readonly consumerPrincipals?: { [domain: string]: string };
}

/**
 * The domain's infrastructure in one environment: its {@link Domain} and a {@link DataProduct}
 * per contract.
 */
export class DomainStack extends Stack {
  /** The domain's shared resources: storage, boundary, workgroup, alarms, budget. */
  public readonly domain: Domain;

  /** The domain's key and buckets. */
  public readonly storage: DomainStorage;

  /** The data products, in contract order. */
  public readonly dataProducts: DataProduct[];

  constructor(scope: Construct, id: string, props: DomainStackProps) {
    const contracts = props.contracts ?? [];
    const products = contracts.map((contract) => contract.dataProduct);
    super(scope, id, {
      ...props,
      // CloudFormation keeps descriptions under 1024 characters.
      description:
        props.description ??
        `sdlf-mesh domain ${props.domain} (${props.environment}), data products: ${products.join(', ') || 'none'}`.slice(0, 1000),
    });
    this.domain = new Domain(this, 'Domain', { domain: props.domain, environment: props.environment });
    this.storage = this.domain.storage;
    this.dataProducts = contracts.map(
      (contract) =>
        new DataProduct(this, `DataProduct-${contract.dataProduct}`, {
          contract,
          environment: props.environment,
          owner: props.owner,
          costCenter: props.costCenter,
          bucket: this.storage.bucket,
          consumerPrincipals: props.consumerPrincipals,
        }),
    );
  }
}
