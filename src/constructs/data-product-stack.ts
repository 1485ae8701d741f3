import { createHash } from 'crypto';
import { Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DataContract } from './data-contract';
import { DataProduct, DataProductPipelineProps } from './data-product';
import { InputLinkAttributes } from './input-link';
import { ConsumerAllowList } from '../domain/consumer-allow-list';

/**
 * Props of {@link DataProductStack}.
 */
export interface DataProductStackProps extends StackProps {
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

  /** The contract of the data product. */
  readonly contract: DataContract;

  /** The domain bucket. */
  readonly bucket: s3.IBucket;

  /**
   * Lake Formation principals of consumer domains, for grants the contract gives by domain.
   *
   * @default - none
   */
  readonly consumerPrincipals?: { [domain: string]: string };

  /**
   * The consumers the platform's governance policy allows.
   *
   * @default - the baseline: any domain, no account, no role
   */
  readonly allowedConsumers?: ConsumerAllowList;

  /**
   * The inputs the data product reads, through the domain's resource links: its stages get read grants on them.
   *
   * @default - none
   */
  readonly inputs?: InputLinkAttributes[];

  /**
   * What the data product's pipeline is built with.
   *
   * @default - no pipeline
   */
  readonly pipeline?: DataProductPipelineProps;
}

/**
 * The stack of one data product: its catalog resources, grants and pipeline.
 *
 * One stack a data product keeps every stack small whatever the domain's size (a data product is
 * about 6 resources, 25 with a Lambda stage, 50 with a Lambda and a Glue stage, far from
 * CloudFormation's 500), deploys and rolls back each data product on its own, and never moves a
 * data product when another is added or removed (a move would replace its catalog resources).
 */
export class DataProductStack extends Stack {
  /**
   * The stack's id in its stage: `dp-<data product>`, with `_` (which stack names do not allow)
   * turned into `-` and a hash of the name added so that `a_b` and `a-b` stay apart.
   */
  public static idOf(dataProduct: string): string {
    const safe = dataProduct.replace(/_/g, '-');
    return safe === dataProduct ? `dp-${safe}` : `dp-${safe}-${createHash('sha256').update(dataProduct).digest('hex').slice(0, 6)}`;
  }

  /** The data product of this stack. */
  public readonly dataProduct: DataProduct;

  constructor(scope: Construct, id: string, props: DataProductStackProps) {
    super(scope, id, props);
    this.dataProduct = new DataProduct(this, props.contract.dataProduct, {
      contract: props.contract,
      environment: props.environment,
      owner: props.owner,
      costCenter: props.costCenter,
      bucket: this.importBucket(props.bucket),
      consumerPrincipals: props.consumerPrincipals,
      allowedConsumers: props.allowedConsumers,
      pipeline: props.pipeline,
      inputs: props.inputs,
    });
  }

  /**
   * The bucket of another stack, referenced through exports with fixed names rather than the
   * names CDK derives: the prefix grants of the pipelines then read the same at every synthesis,
   * so their cdk-nag acknowledgements can name them.
   */
  private importBucket(bucket: s3.IBucket): s3.IBucket {
    const owner = Stack.of(bucket);
    if (owner === this) {
      return bucket;
    }
    // Imports by name carry no reference: the deployment order is said here.
    this.node.addDependency(owner);
    const exported = (attribute: string, value: string) => {
      const name = `${owner.stackName}-bucket-${attribute}`;
      return owner.node.tryFindChild(`Export${name}`) ? Fn.importValue(name) : owner.exportValue(value, { name });
    };
    return s3.Bucket.fromBucketAttributes(this, 'DomainBucket', {
      bucketArn: exported('arn', bucket.bucketArn),
      bucketName: exported('name', bucket.bucketName),
      encryptionKey: bucket.encryptionKey,
    });
  }
}
