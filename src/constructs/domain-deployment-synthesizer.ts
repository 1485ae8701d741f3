import { CliCredentialsStackSynthesizer, ISynthesisSession, SynthesizeStackArtifactOptions } from 'aws-cdk-lib';
import { cloudFormationExecutionRoleArn } from '../domain/names';

/**
 * Props of {@link DomainDeploymentSynthesizer}.
 */
export interface DomainDeploymentSynthesizerProps {
  /** Domain name. */
  readonly domain: string;

  /** Environment name, e.g. `dev`. */
  readonly environment: string;

  /**
   * The CDK bootstrap qualifier of the account, whose asset bucket holds the domain's assets.
   *
   * @default "hnb659fds" (CDK's default)
   */
  readonly qualifier?: string;
}

/**
 * How a domain's stacks deploy with the identity the platform gives the domain (see
 * `DomainIdentity`): the CDK CLI works with the credentials it has (the domain's deploy role,
 * assumed by GitHub Actions through OIDC) instead of assuming the bootstrap's roles, puts the
 * assets in the domain's folder `<domain>-<environment>/` of the account's bootstrap bucket, and
 * has CloudFormation deploy with the domain's execution role
 * (`sdlf-<domain>-<environment>-cfn-exec`), never the bootstrap's administrator execution role.
 *
 * @example
 * new Stack(stage, 'domain', { synthesizer: new DomainDeploymentSynthesizer({ domain: 'sales', environment: 'dev' }) });
 */
export class DomainDeploymentSynthesizer extends CliCredentialsStackSynthesizer {
  /** The role CloudFormation deploys with; the CLI fills in the account and partition. */
  public readonly cloudFormationExecutionRoleArn: string;

  constructor(props: DomainDeploymentSynthesizerProps) {
    super({ qualifier: props.qualifier, bucketPrefix: `${props.domain}-${props.environment}/` });
    this.cloudFormationExecutionRoleArn = cloudFormationExecutionRoleArn(props.domain, props.environment, '${AWS::AccountId}', '${AWS::Partition}');
  }

  protected emitArtifact(session: ISynthesisSession, options: SynthesizeStackArtifactOptions = {}): void {
    super.emitArtifact(session, { ...options, cloudFormationExecutionRoleArn: this.cloudFormationExecutionRoleArn });
  }
}
