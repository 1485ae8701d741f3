/** The issuer of GitHub Actions' OIDC tokens, as IAM names the provider and its condition keys. */
export const GITHUB_OIDC_ISSUER = 'token.actions.githubusercontent.com';

/** The ARN of an account's GitHub Actions OIDC provider. */
export const GITHUB_OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
