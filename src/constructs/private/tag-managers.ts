import { ITaggable, ITaggableV2, TagManager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The governance tags every taggable resource carries. */
export const REQUIRED_TAG_KEYS = ['sdlf:domain', 'sdlf:owner', 'sdlf:cost-center', 'sdlf:environment', 'sdlf:managed-by'];

/** The tag manager of a construct, if it takes tags. */
export function tagManagerOf(node: IConstruct): TagManager | undefined {
  if (TagManager.isTaggable(node)) {
    return (node as ITaggable).tags;
  }
  // Newer L1 resources expose their tags as `cdkTagManager` (ITaggableV2) instead of `tags`.
  if (TagManager.isTaggableV2(node)) {
    return (node as ITaggableV2).cdkTagManager;
  }
  return undefined;
}

/** Tag keys of a rendered `Tags` property: a list of `{ Key, Value }` or a key-value map. */
export function renderedTagKeys(rendered: unknown): string[] {
  if (Array.isArray(rendered)) {
    return rendered.map((tag) => tag?.Key).filter((key): key is string => typeof key === 'string');
  }
  if (rendered && typeof rendered === 'object') {
    return Object.keys(rendered);
  }
  return [];
}
