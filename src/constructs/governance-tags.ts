import { CfnResource, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { REQUIRED_TAG_KEYS, renderedTagKeys, tagManagerOf } from './private/tag-managers';

/**
 * The values of the governance tags that every taggable resource carries.
 */
export interface GovernanceTagsProps {
  /** Business domain that owns the resources (`sdlf:domain`). */
  readonly domain: string;

  /** Accountable owner, e.g. a team mailbox (`sdlf:owner`). */
  readonly owner: string;

  /**
   * Cost center that pays for the resources (`sdlf:cost-center`).
   *
   * @default "unassigned"
   */
  readonly costCenter?: string;

  /** Environment name, e.g. `dev` (`sdlf:environment`). */
  readonly environment: string;

  /**
   * Data product the resources belong to (`sdlf:data-product`).
   *
   * @default - no `sdlf:data-product` tag: the resources serve the whole domain
   */
  readonly dataProduct?: string;

  /**
   * Highest data classification the resources hold (`sdlf:classification`).
   *
   * @default - no `sdlf:classification` tag
   */
  readonly classification?: string;

  /**
   * What manages the resources (`sdlf:managed-by`).
   *
   * @default "sdlf-mesh"
   */
  readonly managedBy?: string;
}

/**
 * Tags every taggable resource below the scope it is added to with the SDLF governance tags
 * (`sdlf:domain`, `sdlf:owner`, `sdlf:cost-center`, `sdlf:environment`, `sdlf:managed-by`, and
 * `sdlf:data-product` / `sdlf:classification` where given).
 *
 * The tags are set with a priority above CDK's default, so a `Tags.of(...).add()` elsewhere
 * cannot replace a governance tag by accident.
 *
 * @example
 * Aspects.of(stage).add(new GovernanceTags({ domain: 'sales', owner: 'sales@example.com', environment: 'dev' }));
 */
export class GovernanceTags implements IAspect {
  /** Priority of the governance tags: above the default (100) of `Tags.of().add()`. */
  public static readonly PRIORITY = 1000;

  /**
   * The governance tags, key to value, for the given props.
   */
  public static tagsFor(props: GovernanceTagsProps): { [key: string]: string } {
    const tags: { [key: string]: string } = {
      'sdlf:domain': props.domain,
      'sdlf:owner': props.owner,
      'sdlf:cost-center': props.costCenter ?? 'unassigned',
      'sdlf:environment': props.environment,
      'sdlf:managed-by': props.managedBy ?? 'sdlf-mesh',
    };
    if (props.dataProduct) {
      tags['sdlf:data-product'] = props.dataProduct;
    }
    if (props.classification) {
      tags['sdlf:classification'] = props.classification;
    }
    return tags;
  }

  /**
   * The taggable resources of a stack whose synthesized template lacks a governance tag, one line
   * each (`<logical id> (<type>): missing <keys>`); empty when every taggable resource has them all.
   * It synthesizes the stack's stage, so the aspects have run.
   *
   * @param stack the stack to check
   * @param keys the tag keys to require
   * @default keys - the tags every resource carries: `sdlf:domain`, `sdlf:owner`,
   * `sdlf:cost-center`, `sdlf:environment`, `sdlf:managed-by`
   */
  public static untaggedResources(stack: Stack, keys?: string[]): string[] {
    const required = keys ?? REQUIRED_TAG_KEYS;
    const stage = Stage.of(stack);
    if (!stage) {
      throw new Error(`${stack.node.path}: a stack outside a stage or app cannot be synthesized`);
    }
    const template = stage.synth().getStackArtifact(stack.artifactId).template;
    const problems: string[] = [];
    for (const resource of stack.node.findAll().filter(CfnResource.isCfnResource)) {
      const manager = tagManagerOf(resource);
      if (!manager) {
        continue;
      }
      const logicalId: string = stack.resolve(resource.logicalId);
      // The manager names the L1 prop (`tags`); the template has the CloudFormation name (`Tags`).
      const property = manager.tagPropertyName.charAt(0).toUpperCase() + manager.tagPropertyName.slice(1);
      const rendered = template.Resources?.[logicalId]?.Properties?.[property];
      const present = new Set(renderedTagKeys(rendered));
      const missing = required.filter((key) => !present.has(key));
      if (missing.length > 0) {
        problems.push(`${logicalId} (${resource.cfnResourceType}): missing ${missing.join(', ')}`);
      }
    }
    return problems;
  }

  /** The tags this aspect sets, key to value. */
  public readonly tags: { [key: string]: string };

  constructor(props: GovernanceTagsProps) {
    this.tags = GovernanceTags.tagsFor(props);
  }

  public visit(node: IConstruct): void {
    const manager = tagManagerOf(node);
    if (!manager) {
      return;
    }
    for (const [key, value] of Object.entries(this.tags)) {
      manager.setTag(key, value, GovernanceTags.PRIORITY);
    }
  }
}
