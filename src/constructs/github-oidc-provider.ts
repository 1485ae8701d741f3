import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GITHUB_OIDC_ISSUER, GITHUB_OIDC_PROVIDER_ARN } from '../domain/github-oidc';
import { InvalidOptionError } from '../util/invalid-option-error';

/**
 * Props of {@link GitHubOidcProvider}.
 */
export interface GitHubOidcProviderProps {
  /**
   * The ARN of the account's GitHub Actions provider when it exists already (an account holds one
   * provider a URL): it is then used, not created.
   *
   * @default - the provider is created
   */
  readonly existingProviderArn?: string;
}

/**
 * The GitHub Actions OpenID Connect provider of an AWS account (`token.actions.githubusercontent.com`,
 * audience `sts.amazonaws.com`), which every deploy role of the account trusts. IAM allows one
 * provider a URL in an account: create it once, in one stack, and pass the ARN of an existing one.
 *
 * @example
 * const github = new GitHubOidcProvider(stack, 'GitHub');
 * // or, when the account has one already:
 * new GitHubOidcProvider(stack, 'GitHub', { existingProviderArn: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' });
 */
export class GitHubOidcProvider extends Construct {
  /** The issuer of GitHub Actions' tokens, as IAM condition keys name it. */
  public static readonly ISSUER = GITHUB_OIDC_ISSUER;

  /** The provider's ARN. */
  public readonly providerArn: string;

  /** Whether this construct creates the provider (false: an existing one is used). */
  public readonly created: boolean;

  constructor(scope: Construct, id: string, props: GitHubOidcProviderProps = {}) {
    super(scope, id);
    const existing = props.existingProviderArn;
    if (existing !== undefined && !Token.isUnresolved(existing) && !GITHUB_OIDC_PROVIDER_ARN.test(existing)) {
      throw new InvalidOptionError('existingProviderArn', `"${existing}" is not the ARN of a GitHub Actions provider, e.g. arn:aws:iam::111111111111:oidc-provider/${GitHubOidcProvider.ISSUER}`);
    }
    this.created = props.existingProviderArn === undefined;
    if (props.existingProviderArn !== undefined) {
      this.providerArn = props.existingProviderArn;
      return;
    }
    const provider = new iam.OidcProviderNative(this, 'Provider', {
      url: `https://${GitHubOidcProvider.ISSUER}`,
      clientIds: ['sts.amazonaws.com'],
    });
    this.providerArn = provider.oidcProviderArn;
  }
}
