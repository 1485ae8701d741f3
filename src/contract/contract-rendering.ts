import { CLASSIFICATIONS } from './contract-rules';

/** A Glue table column derived from a contract column. */
export interface GlueColumn {
  readonly name: string;
  /** Glue (Hive) type, e.g. `decimal(12,2)`. */
  readonly type: string;
  readonly comment?: string;
}

const GLUE_TYPE = /^(string|boolean|tinyint|smallint|int|bigint|float|double|date|timestamp|binary|(var)?char\(\d+\)|decimal(\(\d+(,\s*\d+)?\))?|(array|map|struct)<.+>)$/;

const FROM_LOGICAL: Record<string, string> = {
  string: 'string',
  integer: 'bigint',
  number: 'double',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  time: 'string',
  object: 'string',
  array: 'array<string>',
};

/**
 * The Glue columns of a schema object: the physical type where it is a Glue type already
 * (`decimal(12,2)`, `varchar(50)`, `int`...), else the Glue type of the logical type.
 */
export function glueColumns(object: any): GlueColumn[] {
  return (object.properties ?? []).map((column: any) => {
    const physical = String(column.physicalType ?? '').toLowerCase().replace(/^integer$/, 'int').replace(/\s+/g, '');
    const type = GLUE_TYPE.test(physical) ? physical : FROM_LOGICAL[column.logicalType] ?? 'string';
    return { name: column.name, type, comment: column.description };
  });
}

/**
 * The classification of each classified column, and of the table (the strictest of its columns):
 * the values of the `sdlf:classification` LF-tag.
 */
export function classifications(object: any): { table?: string; columns: Record<string, string> } {
  const columns: Record<string, string> = {};
  for (const column of object.properties ?? []) {
    if (column.classification) {
      columns[column.name] = column.classification;
    }
  }
  const ranked = Object.values(columns).sort((a, b) => CLASSIFICATIONS.indexOf(b as any) - CLASSIFICATIONS.indexOf(a as any));
  return { table: ranked[0], columns };
}

/** A Glue Data Quality ruleset, and the quality rules DQDL cannot express. */
export interface DqdlRuleset {
  /** `Rules = [ ... ]`, or undefined when no rule is expressible. */
  readonly ruleset?: string;
  /** The rules left out, each with why. */
  readonly unsupported: string[];
}

/**
 * The Glue Data Quality (DQDL) rules of a schema object's `quality` (table level) and its columns'
 * `quality`: `nullValues` → `IsComplete` / `ColumnValues`, `duplicateValues` → `IsUnique`,
 * `rowCount` → `RowCount`, with the ODCS operators as DQDL comparisons.
 */
export function dqdlRuleset(object: any): DqdlRuleset {
  const rules: string[] = [];
  const unsupported: string[] = [];
  const translate = (rule: any, column?: string) => {
    const where = column ? `${object.name}.${column}` : object.name;
    const comparison = dqdlComparison(rule);
    if (rule.type !== undefined && rule.type !== 'library') {
      unsupported.push(`${where}: ${rule.type} rule "${rule.name ?? rule.description ?? ''}" is not a library metric`);
    } else if (rule.metric === 'rowCount' && !column && comparison) {
      rules.push(`RowCount ${comparison}`);
    } else if (rule.metric === 'nullValues' && column && rule.mustBe === 0 && rule.unit !== 'percent') {
      rules.push(`IsComplete "${column}"`);
    } else if (rule.metric === 'duplicateValues' && column && rule.mustBe === 0) {
      rules.push(`IsUnique "${column}"`);
    } else {
      unsupported.push(`${where}: metric ${rule.metric} with ${JSON.stringify(stripDocs(rule))} has no DQDL form`);
    }
  };
  (object.quality ?? []).forEach((rule: any) => translate(rule));
  for (const column of object.properties ?? []) {
    (column.quality ?? []).forEach((rule: any) => translate(rule, column.name));
  }
  return { ruleset: rules.length ? `Rules = [\n  ${rules.join(',\n  ')}\n]` : undefined, unsupported };
}

function dqdlComparison(rule: any): string | undefined {
  if (rule.mustBe !== undefined) return `= ${rule.mustBe}`;
  if (rule.mustBeGreaterThan !== undefined) return `> ${rule.mustBeGreaterThan}`;
  if (rule.mustBeGreaterOrEqualTo !== undefined) return `>= ${rule.mustBeGreaterOrEqualTo}`;
  if (rule.mustBeLessThan !== undefined) return `< ${rule.mustBeLessThan}`;
  if (rule.mustBeLessOrEqualTo !== undefined) return `<= ${rule.mustBeLessOrEqualTo}`;
  if (Array.isArray(rule.mustBeBetween)) return `between ${rule.mustBeBetween[0]} and ${rule.mustBeBetween[1]}`;
  return undefined;
}

function stripDocs(rule: any) {
  const { description: _description, name: _name, ...rest } = rule;
  return rest;
}
