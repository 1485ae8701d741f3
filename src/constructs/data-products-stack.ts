import { createHash } from 'crypto';
import { Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DataContract } from './data-contract';
import { DataProduct, DataProductPipelineProps } from './data-product';

/**
 * Props of {@link DataProductsStack}.
 */
export interface DataProductsStackProps extends StackProps {
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

  /** The contracts of this stack's data products. */
  readonly contracts: DataContract[];

  /** The domain bucket. */
  readonly bucket: s3.IBucket;

  /**
   * Lake Formation principals of consumer domains, for grants the contracts give by domain.
   *
   * @default - none
   */
  readonly consumerPrincipals?: { [domain: string]: string };

  /**
   * What the data products' pipelines are built with.
   *
   * @default - no pipelines
   */
  readonly pipeline?: DataProductPipelineProps;
}

/**
 * A stack of data products: one shard of a domain's data products in an environment.
 *
 * A domain's data products are spread over {@link DataProductsStack.SHARDS} stacks by a hash of
 * their names, so a data product always lands in the same stack: adding or removing one never
 * moves another (moving would replace its catalog resources). With about ten resources a data
 * product, 200 data products give stacks of about 130 resources, far from CloudFormation's 500.
 */
export class DataProductsStack extends Stack {
  /** How many stacks a domain's data products are spread over (empty ones are not created). */
  public static readonly SHARDS = 16;

  /** The shard (0 to SHARDS - 1) of a data product. */
  public static shardOf(dataProduct: string): number {
    return createHash('sha256').update(dataProduct).digest().readUInt32BE(0) % DataProductsStack.SHARDS;
  }

  /** The data products of this stack. */
  public readonly dataProducts: DataProduct[];

  constructor(scope: Construct, id: string, props: DataProductsStackProps) {
    super(scope, id, props);
    const bucket = this.importBucket(props.bucket);
    this.dataProducts = props.contracts.map(
      (contract) =>
        new DataProduct(this, contract.dataProduct, {
          contract,
          environment: props.environment,
          owner: props.owner,
          costCenter: props.costCenter,
          bucket,
          consumerPrincipals: props.consumerPrincipals,
          pipeline: props.pipeline,
        }),
    );
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
    this.addDependency(owner);
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
