// Where each pipeline stage reads and writes in the domain bucket, shared by the constructs that
// build the stages and by the project types that write their code skeletons without loading
// aws-cdk-lib.

/** The prefix whose new objects are a stage's input, and the prefix it writes. */
export interface StagePrefixLayout {
  readonly input: string;
  readonly output: string;
}

/**
 * Where stage `index` of a data product's pipeline reads and writes: the first reads
 * `raw/<data product>/`; each writes `stage/<data product>/<stage>/`, which the next one reads;
 * the last writes `analytics/<data product>/`.
 */
export function stagePrefixes(dataProduct: string, stages: string[], index: number): StagePrefixLayout {
  return {
    input: index === 0 ? `raw/${dataProduct}/` : `stage/${dataProduct}/${stages[index - 1]}/`,
    output: index === stages.length - 1 ? `analytics/${dataProduct}/` : `stage/${dataProduct}/${stages[index]}/`,
  };
}
