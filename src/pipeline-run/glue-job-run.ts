import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CatalogTable } from './catalog-tables';
import { LocalObjectStore, ObjectWrite } from './local-object-store';
import { ResourceReference, TemplateValues } from './template-values';
import { openDuckDb } from '../contract/duckdb-engine';
import { duckDbTypeOf } from '../contract/engine-types';
import { sqlIdentifier, sqlString } from '../contract/sql-text';
import { CommandFailedError, exec } from '../util/exec';

/** A Glue job of the cloud assembly, as the local run runs it. */
export interface LocalGlueJob {
  readonly name: string;
  /** The job's script: its asset in the cloud assembly. */
  readonly script: string;
  /** Its default arguments, resolved (`--SOURCE`, `--TARGET`, `--DATABASE`, `--TABLES`, `--OBJECTS`...). */
  readonly defaultArguments: { readonly [name: string]: string };
}

/** What a local job run did. */
export interface GlueJobRunResult {
  /** The job run as Glue's GetJobRun gives it, which the `.sync` integration returns. */
  readonly jobRun: { readonly Id: string; readonly JobName: string; readonly JobRunState: string; readonly [field: string]: unknown };
  /** The records each table got. */
  readonly records: { readonly [table: string]: number };
  /** The Parquet files written, as objects of the store. */
  readonly written: ObjectWrite[];
}

/** A job run that failed, as the `.sync` integration fails the task: `States.TaskFailed`, the cause the run's error. */
export class GlueJobRunFailed extends Error {
  constructor(job: string, cause: string) {
    super(`Glue job run of ${job} FAILED: ${cause}`);
    this.name = 'States.TaskFailed';
  }
}

/**
 * What a stage's PySpark script does, with the standard library of Python only: reads the input
 * in the script's `INPUT_FORMAT` (CSV with a header, every value text, an empty value null, as
 * Spark reads it; or the JSON lines a Lambda stage before it writes), passes each record
 * through the script's `transform`, and for each table `conform`s it to the table's columns and
 * gives every value as text or null, as the script's `main()` does before Spark casts them. The
 * script is loaded as a module, so its `main()` (and the Glue and Spark imports in it) never runs.
 * Each table's records are written as JSON lines; the counts are printed.
 */
const GLUE_TRANSFORM_DRIVER = `
import csv, importlib.util, json, sys
script, request_file = sys.argv[1], sys.argv[2]
request = json.load(open(request_file))
spec = importlib.util.spec_from_file_location("glue_stage", script)
stage = importlib.util.module_from_spec(spec)
spec.loader.exec_module(stage)
outputs = {table["name"]: open(table["output"], "w", encoding="utf-8") for table in request["tables"]}
counts = {table["name"]: 0 for table in request["tables"]}
input_format = getattr(stage, "INPUT_FORMAT", "csv")
def records(input_file):
    if input_format == "json":
        with open(input_file, encoding="utf-8") as source:
            for line in source:
                if line.strip():
                    yield json.loads(line)
    elif input_format == "csv":
        with open(input_file, newline="", encoding="utf-8-sig") as source:
            for row in csv.DictReader(source):
                yield {name: None if value == "" else value for name, value in row.items()}
    else:
        sys.exit(f"the local run reads a stage's csv or json input, not {input_format}")
for input_file in request["inputs"]:
    for row in records(input_file):
        record = stage.transform(row)
        if record is None:
            continue
        for table in request["tables"]:
            conformed = stage.conform(record, table["columns"])
            line = {column: None if value is None else str(value) for column, value in conformed.items()}
            outputs[table["name"]].write(json.dumps(line) + "\\n")
            counts[table["name"]] += 1
for output in outputs.values():
    output.close()
print(json.dumps(counts))
`;

/** The job a `Ref` of the template names, with its script's asset and its arguments resolved. */
export function localGlueJob(values: TemplateValues, reference: ResourceReference): LocalGlueJob {
  const properties = reference.resource.Properties ?? {};
  const name = values.physicalName(reference.stack, reference.logicalId);
  const location = String(values.resolve(properties.Command?.ScriptLocation ?? ''));
  const key = /^s3:\/\/[^/]+\/(.+)$/.exec(location)?.[1];
  const script = key === undefined ? undefined : reference.stack.assets.get(key);
  if (!script || !fs.existsSync(script)) {
    throw new Error(`${name}: the job's script ${location} is no asset of the cloud assembly`);
  }
  const defaults = values.resolve(properties.DefaultArguments ?? {}) as Record<string, unknown>;
  return { name, script, defaultArguments: Object.fromEntries(Object.entries(defaults).map(([argument, value]) => [argument, String(value)])) };
}

/**
 * Runs a Glue stage's job locally, as its script would run on Glue: the objects of `--OBJECTS`
 * (all of `--SOURCE` when none) through the script's `transform` and `conform` with `python3`,
 * then, for each table of `--TABLES`, the records cast to the table's column types (a value that
 * does not cast is null, as Spark casts) and written as Parquet under the table's location,
 * partitioned by its partition columns, with DuckDB; the files are put in the store, as the job
 * would append them to S3.
 */
export async function runGlueJob(
  job: LocalGlueJob,
  runArguments: { readonly [name: string]: string },
  tables: CatalogTable[],
  store: LocalObjectStore,
): Promise<GlueJobRunResult> {
  const args = { ...job.defaultArguments, ...runArguments };
  const started = new Date();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-glue-'));
  try {
    const inputs = inputFiles(job.name, args, store);
    const wanted = (args['--TABLES'] ?? '').split(',').filter(Boolean);
    const jobTables = wanted.map((name) => {
      const table = tables.find((candidate) => candidate.name === name && candidate.database === args['--DATABASE']);
      if (!table) {
        throw new GlueJobRunFailed(job.name, `EntityNotFoundException: table ${args['--DATABASE']}.${name} not found`);
      }
      return table;
    });
    const request = {
      inputs,
      // The table's schema as Spark reads it from the catalog: the data columns, then the partition columns.
      tables: jobTables.map((table) => ({
        name: table.name,
        columns: [...table.columns, ...table.partitionKeys].map((column) => column.name),
        output: path.join(scratch, `${table.name}.jsonl`),
      })),
    };
    const requestFile = path.join(scratch, 'request.json');
    fs.writeFileSync(requestFile, JSON.stringify(request));
    let counts: Record<string, number>;
    try {
      const { stdout } = await exec('python3', ['-B', '-c', GLUE_TRANSFORM_DRIVER, job.script, requestFile], { cwd: path.dirname(job.script), timeoutMs: 10 * 60_000 });
      counts = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
    } catch (error) {
      if (error instanceof CommandFailedError) {
        throw new GlueJobRunFailed(job.name, pythonError(error.output));
      }
      throw error;
    }
    const written: ObjectWrite[] = [];
    for (const [index, table] of jobTables.entries()) {
      const folder = path.join(scratch, `parquet-${index}`);
      await writeParquet(table, request.tables[index].output, counts[table.name] ?? 0, folder);
      for (const file of filesUnder(folder)) {
        const key = `${table.location.prefix}${path.relative(folder, file).split(path.sep).join('/')}`;
        store.putFile(table.location.bucket, key, file);
        written.push({ bucket: table.location.bucket, key, size: fs.statSync(file).size });
      }
    }
    const completed = new Date();
    return {
      jobRun: {
        Id: `jr_local_${randomUUID().replace(/-/g, '')}`,
        JobName: job.name,
        JobRunState: 'SUCCEEDED',
        Arguments: runArguments,
        StartedOn: started.toISOString(),
        CompletedOn: completed.toISOString(),
        ExecutionTime: Math.round((completed.getTime() - started.getTime()) / 1000),
      },
      records: counts,
      written,
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The local files of the run's input objects: those of `--OBJECTS`, else every object under `--SOURCE`. */
function inputFiles(job: string, args: Record<string, string>, store: LocalObjectStore): string[] {
  let objects: Array<{ bucket: string; key: string }>;
  try {
    objects = JSON.parse(args['--OBJECTS'] ?? '[]');
  } catch {
    throw new GlueJobRunFailed(job, `--OBJECTS is not a JSON list: ${args['--OBJECTS']}`);
  }
  if (objects.length === 0) {
    const [, bucket, prefix] = /^s3:\/\/([^/]+)\/?(.*)$/.exec(args['--SOURCE'] ?? '') ?? [];
    objects = bucket ? store.list(bucket, prefix).map((object) => ({ bucket, key: object.key })) : [];
  }
  return objects.map((object) => {
    if (!store.head(object.bucket, object.key)) {
      // Spark's error for a path that is not there.
      throw new GlueJobRunFailed(job, `AnalysisException: [PATH_NOT_FOUND] Path does not exist: s3://${object.bucket}/${object.key}`);
    }
    return store.fileOf(object.bucket, object.key);
  });
}

/**
 * The table's records (JSON lines of text values) as Parquet in `folder`: each value cast to its
 * column's type, partitioned as the table is (`<column>=<value>/` folders, the partition columns
 * only in the folder names, as Spark writes them), files named `part-<uuid>.parquet`.
 */
async function writeParquet(table: CatalogTable, records: string, count: number, folder: string): Promise<void> {
  const columns = [...table.columns, ...table.partitionKeys];
  if (count === 0 && table.partitionKeys.length > 0) {
    // Spark writes no file for no rows of a partitioned table: there is no partition to hold one.
    return;
  }
  fs.mkdirSync(folder, { recursive: true });
  const session = await openDuckDb('sdlf-mesh pipeline run writes the tables\' Parquet in DuckDB');
  try {
    await session.run(`CREATE TABLE output (${columns.map((column) => `${sqlIdentifier(column.name)} ${duckDbTypeOf(column.type)}`).join(', ')})`);
    if (count > 0) {
      const asText = columns.map((column) => `${sqlString(column.name)}: 'VARCHAR'`).join(', ');
      const casts = columns.map((column) => `TRY_CAST(${sqlIdentifier(column.name)} AS ${duckDbTypeOf(column.type)})`).join(', ');
      await session.run(`INSERT INTO output SELECT ${casts} FROM read_json(${sqlString(records)}, format = 'newline_delimited', columns = {${asText}})`);
    }
    if (table.partitionKeys.length > 0) {
      const by = table.partitionKeys.map((column) => sqlIdentifier(column.name)).join(', ');
      await session.run(`COPY output TO ${sqlString(folder)} (FORMAT parquet, PARTITION_BY (${by}), FILENAME_PATTERN 'part-{uuid}', OVERWRITE_OR_IGNORE)`);
    } else {
      await session.run(`COPY output TO ${sqlString(path.join(folder, `part-${randomUUID()}.parquet`))} (FORMAT parquet)`);
    }
  } finally {
    session.close();
  }
}

function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) {
    return [];
  }
  return fs.readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** The last line of a Python traceback: the exception and its message. */
function pythonError(output: string): string {
  const lines = output.trim().split('\n').filter((line) => line.trim() !== '');
  return lines[lines.length - 1] ?? 'python3 failed';
}
