// The Glue names of a data product, shared by the constructs that create them and by the tools
// (catalog) that point people at them without loading aws-cdk-lib.

/** A Glue database or table name: lowercase, every character but a-z, 0-9 and _ as `_`. */
export function glueName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** The Glue database of a data product in an environment: `<domain>_<environment>_<data product>`. */
export function glueDatabaseName(domain: string, environment: string, dataProduct: string): string {
  return glueName(`${domain}_${environment}_${dataProduct}`);
}
