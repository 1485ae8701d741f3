/**
 * The event a data product's pipeline puts on its account's default EventBridge bus when its last
 * stage succeeds: a new version of the data product is published. Producer and consumer agree on
 * it without a lookup: the producer's rule routes it to its consumers' accounts, a consumer's rule
 * matches it to start its own pipeline.
 *
 * Its source names the producer's domain, `sdlf-mesh.<domain>`: the platform's boundary lets a
 * domain's roles put events of its own source only, so no domain speaks for another in its account;
 * across accounts, EventBridge's `account` field (which no sender sets) says whose it is.
 */

/** The prefix of every publication's source; EventBridge keeps `aws.` to AWS's services. */
export const PUBLICATION_SOURCE_PREFIX = 'sdlf-mesh.';

/** The detail type of a publication. */
export const PUBLICATION_DETAIL_TYPE = 'Data Product Published';

/** The source of the publications of `domain`'s data products: `sdlf-mesh.<domain>`. */
export function publicationSource(domain: string): string {
  return `${PUBLICATION_SOURCE_PREFIX}${domain}`;
}

/** What a publication says, in its `detail`. */
export interface PublicationDetail {
  /** `<domain>/<data product>`, as the catalog, the mesh index and the inputs name it. */
  readonly product: string;
  readonly domain: string;
  readonly dataProduct: string;
  /** The contract's version the pipeline built. */
  readonly version: string;
  /** The environment, e.g. `dev`. */
  readonly environment: string;
}

/**
 * The pattern a consumer matches the publications of `product` in `environment` with, from the
 * producer's `account` when the mesh index says (EventBridge sets an event's account; a bus that
 * accepts several accounts' events cannot be fooled by another's).
 */
export function publicationPattern(product: string, environment: string, account?: string) {
  const [domain] = product.split('/');
  return {
    source: [publicationSource(domain)],
    detailType: [PUBLICATION_DETAIL_TYPE],
    ...(account ? { account: [account] } : {}),
    detail: { product: [product], environment: [environment] },
  };
}
