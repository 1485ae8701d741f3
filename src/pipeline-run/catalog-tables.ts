import { TemplateValues } from './template-values';
import { glueName } from '../contract/glue-names';
import { SchemaObject } from '../contract/odcs-definitions';

/** A column of a Glue table. */
export interface CatalogColumn {
  readonly name: string;
  /** Its Glue (Hive) type, e.g. `decimal(12,2)`. */
  readonly type: string;
}

/** A Glue table of the data product's stack, resolved. */
export interface CatalogTable {
  readonly database: string;
  readonly name: string;
  /** The columns of the data files, in order. */
  readonly columns: CatalogColumn[];
  /** The partition columns, in order: a folder `<name>=<value>/` each, below {@link location}. */
  readonly partitionKeys: CatalogColumn[];
  /** Where the table's files are. */
  readonly location: { readonly bucket: string; readonly prefix: string };
  /** The table's `classification` parameter, e.g. `parquet`. */
  readonly classification?: string;
}

/** The Glue tables (`AWS::Glue::Table`) of the data product's stack. */
export function catalogTables(values: TemplateValues): CatalogTable[] {
  return Object.values(values.stack.template.Resources ?? {})
    .filter((resource) => resource.Type === 'AWS::Glue::Table')
    .map((resource) => {
      const properties = values.resolve(resource.Properties ?? {});
      const input = properties.TableInput ?? {};
      const location = String(input.StorageDescriptor?.Location ?? '');
      const [, bucket, prefix] = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location) ?? [undefined, '', ''];
      const columnsOf = (list: any[] | undefined) => (list ?? []).map((column) => ({ name: String(column.Name), type: String(column.Type) }));
      return {
        database: String(properties.DatabaseName),
        name: String(input.Name),
        columns: columnsOf(input.StorageDescriptor?.Columns),
        partitionKeys: columnsOf(input.PartitionKeys),
        location: { bucket, prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` },
        classification: input.Parameters?.classification,
      };
    });
}

/** The schema object of a contract that a Glue table was made from (the table bears its Glue name). */
export function schemaObjectOf(objects: readonly SchemaObject[], tableName: string): SchemaObject | undefined {
  return objects.find((candidate) => glueName(candidate.name ?? '') === tableName);
}
