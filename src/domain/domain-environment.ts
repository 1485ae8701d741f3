/**
 * One deployment environment of a domain (dev, test, prod...): where its stacks go.
 */
export interface DomainEnvironment {
  /**
   * Environment name: lowercase letters and digits, starting with a letter, at most 10 characters.
   * It names the stage (`<domain>-<name>`), the GitHub environment and the `sdlf:environment` tag.
   */
  readonly name: string;

  /**
   * AWS account ID (12 digits).
   *
   * @default - environment-agnostic: the account of the credentials that deploy
   */
  readonly account?: string;

  /**
   * AWS region, e.g. `eu-west-1`.
   *
   * @default - environment-agnostic: the region of the credentials that deploy
   */
  readonly region?: string;
}
