import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
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
   * Names of the domain's data products (each lives in its {@link DataProductStack}).
   *
   * @default - none
   */
  readonly dataProducts?: string[];
}

/**
 * The domain's shared infrastructure in one environment: its {@link Domain}.
 */
export class DomainStack extends Stack {
  /** The domain's shared resources: storage, boundary, workgroup, alarms, budget. */
  public readonly domain: Domain;

  /** The domain's key and buckets. */
  public readonly storage: DomainStorage;

  constructor(scope: Construct, id: string, props: DomainStackProps) {
    const products = props.dataProducts ?? [];
    super(scope, id, {
      ...props,
      description: props.description ?? describe(props.domain, props.environment, products),
    });
    this.domain = new Domain(this, 'Domain', { domain: props.domain, environment: props.environment });
    this.storage = this.domain.storage;
    // The platform registers the bucket's data products with Lake Formation by this name (the
    // registry's `dataBucket`): CloudFormation gives it, so the deploy prints it.
    new CfnOutput(this, 'DataBucketName', {
      value: this.storage.bucket.bucketName,
      description: `The data bucket of domain ${props.domain} (${props.environment}): dataBucket of its environment in the platform's domains/${props.domain}.yaml`,
    });
  }
}

/** CDK takes stack descriptions of at most 512 characters: name the data products while they fit. */
function describe(domain: string, environment: string, products: string[]): string {
  const named = `sdlf-mesh domain ${domain} (${environment}), data products: ${products.join(', ') || 'none'}`;
  return named.length <= 512 ? named : `sdlf-mesh domain ${domain} (${environment}), ${products.length} data products`;
}
