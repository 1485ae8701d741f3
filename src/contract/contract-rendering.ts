import { isSensitiveColumn, SENSITIVE_CLASSIFICATION } from './consumer-grants';
import { strictestClassification } from './contract';
import { dqdlRule } from './data-checks';
import { glueTypeOf } from './glue-types';
import { QualityRule, SchemaObject } from './odcs-definitions';

/** A Glue table column derived from a contract column. */
export interface GlueColumn {
  readonly name: string;
  /** Glue (Hive) type, e.g. `decimal(12,2)`. */
  readonly type: string;
  readonly comment?: string;
}

/**
 * The Glue columns of a schema object: the physical type where it is a Glue type already
 * (`decimal(12,2)`, `varchar(50)`, `int`...), else the Glue type of the logical type.
 */
export function glueColumns(object: SchemaObject): GlueColumn[] {
  return (object.properties ?? []).map((column) => ({ name: column.name ?? '', type: glueTypeOf(column), comment: column.description }));
}

/** The columns of a schema object's Glue table: its data columns, and its partition keys. */
export interface GlueTableColumns {
  /** The columns stored in the table's files, in contract order. */
  readonly columns: GlueColumn[];
  /** The columns the contract marks `partitioned`, in contract order: the table's partition keys, which are folders (`<key>=<value>/`), not values in its files. */
  readonly partitionKeys: GlueColumn[];
}

/**
 * The table of a schema object as the data product declares it and its writers write it (the Glue
 * stage's Spark job partitions by the keys, a Lambda stage writes a table without keys): one
 * function, so the table and what is written into it cannot disagree.
 */
export function glueTableColumns(object: SchemaObject): GlueTableColumns {
  const properties = object.properties ?? [];
  const columns = glueColumns(object);
  return {
    columns: columns.filter((_, index) => properties[index].partitioned !== true),
    partitionKeys: columns.filter((_, index) => properties[index].partitioned === true),
  };
}

/**
 * The classification of each classified column, and of the table (the strictest of its columns):
 * the values of the `sdlf:classification` LF-tag.
 */
export function classifications(object: SchemaObject): { table?: string; columns: Record<string, string> } {
  const columns: Record<string, string> = {};
  for (const column of object.properties ?? []) {
    if (column.classification && column.name) {
      columns[column.name] = column.classification;
    }
  }
  return { table: strictestClassification(Object.values(columns)), columns };
}

/**
 * The values of the classification LF-tag a data product puts on a schema object's table and
 * columns: each column's classification, except that a sensitive column (classified `restricted`
 * or tagged `pii`, see {@link isSensitiveColumn}) is `restricted` whatever its classification, so
 * that what Lake Formation holds, and a rule that cannot read the contract (the platform's hook),
 * tells every sensitive column apart by that one value; the table has the strictest.
 */
export function lakeFormationClassifications(object: SchemaObject): { table?: string; columns: Record<string, string> } {
  const columns: Record<string, string> = {};
  for (const column of object.properties ?? []) {
    const classification = isSensitiveColumn(column, object) ? SENSITIVE_CLASSIFICATION : column.classification;
    if (classification && column.name) {
      columns[column.name] = classification;
    }
  }
  return { table: strictestClassification(Object.values(columns)), columns };
}

/** A Glue Data Quality ruleset, and the quality rules DQDL cannot express. */
export interface DqdlRuleset {
  /** `Rules = [ ... ]`, or undefined when no rule is expressible. */
  readonly ruleset?: string;
  /** How many of the object's quality rules the ruleset enforces. */
  readonly enforced: number;
  /** The rules left out, each with why. */
  readonly unsupported: string[];
}

// One rule, two forms: a quality rule's DQDL is the Glue form of its check (see data-checks.ts),
// so that the ruleset Glue evaluates and `sdlf-mesh contract test` compare one metric with one threshold.
export { dqdlRule } from './data-checks';
export type { DqdlRule } from './data-checks';

/**
 * The Glue Data Quality (DQDL) ruleset of a schema object's `quality` (table level) and its
 * columns', in contract order: each rule's check in DQDL (see {@link dqdlRule}).
 *
 * The schema's own promises (a column required, unique, the primary key) have DQDL forms too
 * (see `dataChecks`) but are not in the ruleset: the ruleset is what the contract's quality
 * rules ask of every delivery, and the deployed rulesets of existing contracts stay as they are;
 * `sdlf-mesh contract test` checks those promises on data before it is delivered.
 */
export function dqdlRuleset(object: SchemaObject): DqdlRuleset {
  const rules: string[] = [];
  const unsupported: string[] = [];
  const translate = (rule: QualityRule, column?: string) => {
    const form = dqdlRule(rule, column);
    if ('dqdl' in form) {
      rules.push(form.dqdl);
    } else {
      unsupported.push(`${column ? `${object.name}.${column}` : object.name}: ${[rule.name ?? rule.description, form.unenforced].filter(Boolean).join(': ')}`);
    }
  };
  (object.quality ?? []).forEach((rule) => translate(rule));
  for (const column of object.properties ?? []) {
    (column.quality ?? []).forEach((rule) => translate(rule, column.name));
  }
  return { ruleset: rules.length ? `Rules = [\n  ${rules.join(',\n  ')}\n]` : undefined, enforced: rules.length, unsupported };
}
