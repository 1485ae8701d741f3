import * as fs from 'fs';
import { describeThreshold, meetsThreshold, Threshold } from './check-threshold';
import { isSensitiveColumn } from './consumer-grants';
import { formatProblem } from './contract-problem';
import { DataCheck, DataCheckKind, dataChecks, filesRelation, primaryKeyOf, tableRelation } from './data-checks';
import { DataFiles, dataFiles, DataFormat, FORMAT_NAMES } from './data-files';
import { openDuckDb, SqlSession, SqlValue } from './duckdb-engine';
import { holdsGlueType, engineTypeOf } from './engine-types';
import { glueTypeOf } from './glue-types';
import { lintContract } from './lint-contract';
import { SchemaObject, SchemaProperty } from './odcs-definitions';
import { sqlIdentifier, sqlString } from './sql-text';
import { InvalidOptionError } from '../util/invalid-option-error';

/** What a sensitive column's values are printed as. */
export const MASKED_VALUE = '***';

/** How many failing rows a failed check shows, unless told. */
export const DEFAULT_SAMPLES = 5;

/** What to check of files DuckDB cannot read. */
const READ_FIXES: Record<DataFormat, string> = {
  csv: 'check that they are comma-separated with a header, every row with as many cells as the header',
  json: 'check that each line is one JSON object, or each file one array of them',
  parquet: 'check that they are Parquet files, of the table\'s columns',
};

/** What to test: a contract's table, on data files. */
export interface ContractDataTestOptions {
  /** The contract file, e.g. `dataproducts/orders.yaml`. */
  readonly contract: string;
  /** The data files, or folders of them (read recursively; `column=value/` folders are partition columns). */
  readonly data: readonly string[];
  /**
   * The schema object (table) the files hold.
   *
   * @default - the contract's only one
   */
  readonly table?: string;
  /**
   * How many failing rows each failed check shows (sensitive columns masked).
   *
   * @default 5
   */
  readonly samples?: number;
}

/** How a check went: `skipped` when it could not run (its column is not in the files). */
export type CheckStatus = 'passed' | 'failed' | 'skipped';

/** The result of one check on the data. */
export interface CheckResult {
  readonly name: string;
  readonly kind: DataCheckKind;
  readonly origin: 'schema' | 'quality';
  readonly columns: readonly string[];
  readonly description: string;
  readonly status: CheckStatus;
  /** The failing rows (for `rowCount`, the rows); none when skipped. */
  readonly count?: number;
  /** What is compared with the threshold: the count, or its percentage of the rows. */
  readonly metric?: number;
  readonly threshold: Threshold;
  /** The threshold in words, e.g. `must be 0 rows`. */
  readonly expected: string;
  /**
   * The same check in Glue Data Quality's language, where it has one. The deployed ruleset holds
   * those of the quality rules (see `dqdlRuleset`), not those of the schema's promises.
   */
  readonly dqdl?: string;
  /** What was found, and what was expected, in words: `2 failing rows (must be 0 rows)`. */
  readonly message: string;
  /** Some failing rows: the primary key's columns and the check's, or every column without a key; sensitive values masked. */
  readonly samples: Array<Record<string, SqlValue>>;
}

/** The outcome of testing a contract's table on data files. */
export interface ContractDataTest {
  /** The contract file. */
  readonly contract: string;
  readonly dataProduct: string;
  readonly table: string;
  readonly format: DataFormat;
  readonly files: string[];
  /** The rows of all the files. */
  readonly rows: number;
  /** Columns of the files that the contract does not declare (the table does not show them); none when the files have no column of the contract. */
  readonly extraColumns: string[];
  /** Every check, in the order of {@link dataChecks}. */
  readonly results: CheckResult[];
  /** The table's quality rules that are not checked on data, each with why (`sql`, `text`, `custom` rules). */
  readonly unchecked: Array<{ readonly element: string; readonly rule: string; readonly reason: string }>;
  /** No check failed. */
  readonly passed: boolean;
}

/** A column of the files, as the engine reads them. */
interface FileColumn {
  readonly name: string;
  readonly type: string;
  /** Whether its values are text to be cast (CSV, JSON, a partition folder's name) rather than typed by the file (Parquet). */
  readonly text: boolean;
}

/**
 * Tests a contract's table on data files: every check of {@link dataChecks} (each column present
 * with its type, required, unique, the primary key, the quality rules) runs in DuckDB, in memory,
 * and reports its count, threshold and some failing rows. A sensitive column's values (see
 * `isSensitiveColumn`) are never in the result: they are masked as `***` (only a null shows).
 *
 * CSV (with a header, comma-separated) and JSON files are text: a value is of a column's type when
 * it casts to it, and one that does not is null for the other checks, as a Glue table over such
 * files reads it. Parquet files are typed: a column's physical type must be the declared one
 * (Athena reads a DOUBLE column as no decimal(12,2)).
 *
 * Bad input (no such file, a file of no known format, a contract that does not lint, a table the
 * contract does not have, files DuckDB cannot read) throws an {@link InvalidOptionError} that names
 * the argument and the fix; a missing DuckDB throws `MissingPackageError`.
 */
export async function testContractData(options: ContractDataTestOptions): Promise<ContractDataTest> {
  const samples = options.samples ?? DEFAULT_SAMPLES;
  if (!Number.isInteger(samples) || samples < 0) {
    throw new InvalidOptionError('samples', `${samples} is not a number of rows: give 0 or more, e.g. 5`);
  }
  const { dataProduct, object } = contractTable(options.contract, options.table);
  return testTableData({ contract: options.contract, dataProduct, object }, dataFiles(options.data), samples, options.data.join(' '));
}

/** A table of a contract, as {@link testTableData} tests it. */
export interface ContractTable {
  /** The contract file. */
  readonly contract: string;
  readonly dataProduct: string;
  /** The table's schema object. */
  readonly object: SchemaObject;
}

/**
 * Tests a contract's table on data files already found (see {@link testContractData}, which
 * reads the contract and finds the files first): the local pipeline run evaluates what its stages
 * wrote with it.
 *
 * @param given the files as the user named them, for an error about reading them
 */
export async function testTableData(table: ContractTable, files: DataFiles, samples: number, given: string): Promise<ContractDataTest> {
  const { object } = table;
  const session = await openDuckDb('sdlf-mesh runs the contract\'s checks in DuckDB');
  try {
    const fileColumns = await loadFiles(session, object, files, given);
    const columns = new Map(fileColumns.map((column) => [column.name.toLowerCase(), column]));
    const typed = (object.properties ?? []).filter(named).map((column) => typedColumn(column, columns.get(column.name.toLowerCase())));
    await session.run(`CREATE VIEW ${tableRelation(object.name)} AS SELECT ${typed.join(', ')} FROM ${filesRelation(object.name)}`);
    const rows = await session.number(`SELECT count(*) FROM ${tableRelation(object.name)}`);
    const { checks, unchecked } = dataChecks(object);
    const declared = new Set((object.properties ?? []).filter(named).map((column) => column.name.toLowerCase()));
    // Files without one column of the contract may have no header: their first row, maybe
    // sensitive data, would be taken for column names, which are then not printed.
    const headers = fileColumns.some((column) => declared.has(column.name.toLowerCase())) ? fileColumns.map((column) => column.name) : undefined;
    const results: CheckResult[] = [];
    for (const check of checks) {
      results.push(await runCheck(session, { check, object, columns, rows, samples, headers, format: files.format }));
    }
    return {
      contract: table.contract,
      dataProduct: table.dataProduct,
      table: object.name,
      format: files.format,
      files: files.files,
      rows,
      extraColumns: (headers ?? []).filter((name) => !declared.has(name.toLowerCase())),
      results,
      unchecked: unchecked.map(({ element, rule, reason }) => ({ element, rule: rule.id ?? rule.name ?? rule.description ?? rule.type ?? 'rule', reason })),
      passed: results.every((result) => result.status !== 'failed'),
    };
  } finally {
    session.close();
  }
}

/** The contract's data product and the table to test, or an error naming the argument and the fix. */
function contractTable(contract: string, table: string | undefined): { dataProduct: string; object: SchemaObject } {
  if (!fs.existsSync(contract) || !fs.statSync(contract).isFile()) {
    throw new InvalidOptionError(contract, 'no such contract file: give the data product\'s contract, e.g. dataproducts/orders.yaml');
  }
  const report = lintContract(contract);
  if (!report.contract) {
    const more = report.problems.length > 1 ? ` and ${report.problems.length - 1} more` : '';
    throw new InvalidOptionError(contract, `the contract does not lint (${formatProblem(report.problems[0])}${more}): fix it first, \`sdlf-mesh contract lint ${contract}\` lists every problem`);
  }
  const objects = report.contract.objects;
  const names = objects.map((object) => object.name).join(', ');
  if (objects.length === 0) {
    throw new InvalidOptionError(contract, 'the contract declares no table (schema): there is nothing to test the data against');
  }
  if (table === undefined && objects.length > 1) {
    throw new InvalidOptionError('table', `the contract has tables ${names}: name the one the files hold, e.g. --table ${objects[0].name}`);
  }
  const object = table === undefined ? objects[0] : objects.find((candidate) => candidate.name === table);
  if (!object) {
    throw new InvalidOptionError('table', `"${table}" is not a table of ${contract}: its tables are ${names}`);
  }
  return { dataProduct: report.contract.dataProduct, object };
}

/**
 * Reads the files into the files relation (the values as they are) and returns its columns. Text
 * formats are read once into memory, every value as text; Parquet is read where it is, typed.
 */
async function loadFiles(session: SqlSession, object: SchemaObject, files: DataFiles, given: string): Promise<FileColumn[]> {
  const list = `[${files.files.map(sqlString).join(', ')}]`;
  const hive = `hive_partitioning = ${files.partitionColumns.length > 0}, hive_types_autocast = false`;
  const relation = filesRelation(object.name);
  const readable = async (statement: () => Promise<void>) => {
    try {
      await statement();
    } catch (error) {
      // DuckDB's first line says what is wrong; the lines after it may quote the file's data.
      const reason = String((error as Error).message).split('\n')[0];
      throw new InvalidOptionError(given, `DuckDB cannot read the files as ${FORMAT_NAMES[files.format]} (${reason}): ${READ_FIXES[files.format]}`);
    }
  };
  if (files.format === 'csv') {
    await readable(() => session.run(`CREATE TABLE ${relation} AS SELECT * FROM read_csv(${list}, header = true, delim = ',', skip = 0, all_varchar = true, union_by_name = true, ${hive})`));
  } else if (files.format === 'json') {
    // Each object's members as text (a nested one as its JSON), like a CSV's cells: only the
    // contract's columns are kept; the keys the records have decide which of them are present.
    const source = `read_json_objects(${list}, format = 'auto', ${hive})`;
    let keys: string[] = [];
    await readable(async () => {
      keys = (await session.rows(`SELECT DISTINCT unnest(json_keys(json)) AS key FROM ${source} ORDER BY key`)).map((row) => String(row.key));
    });
    const declared = new Set((object.properties ?? []).filter(named).map((column) => column.name.toLowerCase()));
    const kept = keys.filter((key) => declared.has(key.toLowerCase()) && !files.partitionColumns.includes(key));
    const members = kept.map((key) => `json_extract_string(json, ${sqlString(`$.${JSON.stringify(key)}`)}) AS ${sqlIdentifier(key)}`);
    await readable(() => session.run(`CREATE TABLE ${relation} AS SELECT ${[...members, ...files.partitionColumns.map(sqlIdentifier)].join(', ') || 'NULL AS "no column"'} FROM ${source}`));
    const described = await describe(session, relation, true, files);
    return [...described.filter((column) => kept.includes(column.name) || files.partitionColumns.includes(column.name)), ...keys.filter((key) => !kept.includes(key)).map((name) => ({ name, type: 'JSON', text: true }))];
  } else {
    await readable(() => session.run(`CREATE VIEW ${relation} AS SELECT * FROM read_parquet(${list}, union_by_name = true, ${hive})`));
    await readable(() => session.run(`SELECT * FROM ${relation} LIMIT 0`));
  }
  return describe(session, relation, files.format !== 'parquet', files);
}

async function describe(session: SqlSession, relation: string, text: boolean, files: DataFiles): Promise<FileColumn[]> {
  const described = await session.rows(`DESCRIBE ${relation}`);
  return described.map((row) => {
    const name = String(row.column_name);
    return { name, type: String(row.column_type), text: text || files.partitionColumns.includes(name) };
  });
}

/** A contract column in the table relation: the files' column cast to its type where it is text or another type, typed null where it is missing. */
function typedColumn(column: SchemaProperty & { name: string }, found: FileColumn | undefined): string {
  const type = engineTypeOf(glueTypeOf(column));
  const alias = sqlIdentifier(column.name);
  if (!found) {
    return `CAST(NULL AS ${type.castTo ?? 'VARCHAR'}) AS ${alias}`;
  }
  const value = sqlIdentifier(found.name);
  const asDeclared = (!found.text && holdsGlueType(type, found.type)) || type.castTo === undefined;
  return asDeclared ? `${value} AS ${alias}` : `TRY_CAST(${value} AS ${type.castTo}) AS ${alias}`;
}

interface CheckContext {
  readonly check: DataCheck;
  readonly object: SchemaObject;
  readonly columns: ReadonlyMap<string, FileColumn>;
  readonly rows: number;
  readonly samples: number;
  /** The files' column names, when they may be printed. */
  readonly headers?: readonly string[];
  readonly format: DataFormat;
}

async function runCheck(session: SqlSession, context: CheckContext): Promise<CheckResult> {
  const { check, columns, rows } = context;
  const common = {
    name: check.name,
    kind: check.kind,
    origin: check.origin,
    columns: check.columns,
    description: check.description,
    threshold: check.threshold,
    expected: describeThreshold(check.threshold),
    dqdl: 'dqdl' in check.glue ? check.glue.dqdl : undefined,
  };
  const missing = check.columns.filter((column) => !columns.has(column.toLowerCase()));
  if (check.kind === 'columnPresent') {
    const count = await session.number(check.sql.metric);
    const found = context.headers
      ? `their columns: ${context.headers.join(', ')}`
      : `nor is any column of the contract${context.format === 'csv' ? ': is their first line the header, comma-separated?' : ''}`;
    return { ...common, status: count === 0 ? 'passed' : 'failed', count, metric: count, message: count === 0 ? 'present' : `not in the files (${found})`, samples: [] };
  }
  if (missing.length > 0) {
    return { ...common, status: 'skipped', message: `not run: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in the files`, samples: [] };
  }
  if (check.kind === 'columnType') {
    return typeResult(session, context, common);
  }
  const count = await session.number(check.sql.metric);
  const metric = check.threshold.unit === 'percent' ? (rows === 0 ? 0 : (count * 100) / rows) : count;
  const passed = meetsThreshold(check.threshold, metric);
  const counted = check.kind === 'rowCount' ? rowsText(count) : failingText(count);
  const message = `${counted}${check.threshold.unit === 'percent' ? ` = ${round(metric)} %` : ''} (${common.expected})`;
  return { ...common, status: passed ? 'passed' : 'failed', count, metric, message, samples: passed ? [] : await failingSamples(session, context, check.sql.failingRows) };
}

/** A column's type: text values must cast to it; a typed file's column must be of it. */
async function typeResult(session: SqlSession, context: CheckContext, common: Omit<CheckResult, 'status' | 'message' | 'samples'>): Promise<CheckResult> {
  const { check, columns } = context;
  const column = columns.get(check.columns[0].toLowerCase())!;
  const type = check.type!;
  if (!column.text) {
    if (holdsGlueType(type, column.type)) {
      return { ...common, status: 'passed', count: 0, metric: 0, message: `the files hold ${column.type}, a ${type.glueType}`, samples: [] };
    }
    const count = await session.number(`SELECT count(*) FROM ${filesRelation(check.table)} WHERE ${sqlIdentifier(column.name)} IS NOT NULL`);
    return { ...common, status: 'failed', count, metric: count, message: `the files hold ${column.type} where ${type.glueType} is declared (${failingText(count)} with a value)`, samples: [] };
  }
  if (type.castTo === undefined) {
    return { ...common, status: 'skipped', message: `not run: a ${type.glueType} is checked in Parquet files only`, samples: [] };
  }
  const count = await session.number(check.sql.metric);
  const passed = count === 0;
  const message = `${failingText(count)}${passed ? '' : ` whose value is no ${type.glueType}`} (${common.expected})`;
  return { ...common, status: passed ? 'passed' : 'failed', count, metric: count, message, samples: passed ? [] : await failingSamples(session, context, check.sql.failingRows) };
}

/**
 * Some failing rows: the primary key's columns (which say which row it is) and the check's, or
 * every column of a table without a key. A sensitive column's values are masked here, before any
 * report sees them.
 */
async function failingSamples(session: SqlSession, context: CheckContext, failingRows: string | undefined): Promise<Array<Record<string, SqlValue>>> {
  const { check, object, columns, samples } = context;
  if (failingRows === undefined || samples === 0) {
    return [];
  }
  const key = primaryKeyOf(object);
  const declared = (object.properties ?? []).filter(named);
  const shown = [...new Set(key.length > 0 ? [...key, ...check.columns] : declared.map((column) => column.name))]
    .filter((name) => columns.has(name.toLowerCase()));
  const rows = await session.rows(`SELECT ${shown.map((name) => `${sqlIdentifier(name)} AS ${sqlIdentifier(name)}`).join(', ')} FROM (${failingRows}) LIMIT ${samples}`);
  const sensitive = new Set(declared.filter((column) => isSensitiveColumn(column, object)).map((column) => column.name));
  const masked = (name: string, value: SqlValue) => (sensitive.has(name) && value !== null ? MASKED_VALUE : value);
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, masked(name, value)])));
}

function named(column: SchemaProperty): column is SchemaProperty & { name: string } {
  return column.name !== undefined;
}

function failingText(count: number): string {
  return `${count} failing ${count === 1 ? 'row' : 'rows'}`;
}

function rowsText(count: number): string {
  return `${count} ${count === 1 ? 'row' : 'rows'}`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
