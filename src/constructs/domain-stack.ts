import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DomainStorage } from './domain-storage';

/**
 * Props of {@link DomainStack}.
 */
export interface DomainStackProps extends StackProps {
  /** Domain name. */
  readonly domain: string;

  /** Environment name, e.g. `dev`. */
  readonly environment: string;

  /**
   * Names of the domain's data products, from its contracts.
   *
   * @default - none
   */
  readonly dataProducts?: string[];
}

/**
 * The domain's infrastructure in one environment: its {@link DomainStorage}.
 */
export class DomainStack extends Stack {
  /** The domain's key and buckets. */
  public readonly storage: DomainStorage;

  constructor(scope: Construct, id: string, props: DomainStackProps) {
    const products = props.dataProducts ?? [];
    super(scope, id, {
      ...props,
      // CloudFormation keeps descriptions under 1024 characters.
      description:
        props.description ??
        `sdlf-mesh domain ${props.domain} (${props.environment}), data products: ${products.join(', ') || 'none'}`.slice(0, 1000),
    });
    this.storage = new DomainStorage(this, 'Storage', { domain: props.domain, environment: props.environment });
  }
}
