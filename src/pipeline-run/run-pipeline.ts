import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { catalogTables } from './catalog-tables';
import { readCloudAssembly } from './cloud-assembly';
import { ConsumerQuery, consumerQuery } from './consumer-query';
import type { FunctionInvocation } from './lambda-invocation';
import { LocalObjectStore, ObjectWrite } from './local-object-store';
import { LocalS3Server } from './local-s3-server';
import { LocalServices, parquetFiles, QualityEvaluation, RegisteredPartition, ServiceCall, TaskHandler } from './local-services';
import { loadStateMachineClass, withDeployedTaskTimeouts } from './local-step-functions';
import { AslDefinition, findDataProductStack, StageMachine } from './stage-machines';
import { Contract } from '../contract/contract';
import { contractFiles, lintContracts } from '../contract/lint-contract';
import { InvalidOptionError } from '../util/invalid-option-error';

/** What a local pipeline run is given. */
export interface PipelineRunOptions {
  /** The data product whose pipeline runs. */
  readonly dataProduct: string;
  /** The file to deliver to the pipeline, as its raw input. */
  readonly file: string;
  /** The cloud assembly (`cdk.out`) of the domain app. */
  readonly assemblyDir: string;
  /**
   * The environment whose data-product stack runs.
   * @default - the first environment of the app that has the data product
   */
  readonly environment?: string;
  /** The folder of the contracts, for the quality rules and the consumer's columns. */
  readonly contractsDir: string;
  /**
   * The data product's contract, when the caller has read it already.
   *
   * @default - the data product's contract in {@link contractsDir}, if it is there and valid
   */
  readonly contract?: Contract;
  /** Where the run keeps the objects of its buckets (`<workDir>/<bucket>/<key>`), emptied first. */
  readonly workDir: string;
  /** Folders that hold the AWS SDK the Lambda runtime provides (`node_modules` of the domain repository). */
  readonly nodePath: string[];
  /** Called as each state of each execution ends, to show the run as it goes. */
  readonly onState?: (stage: string, state: StateRun) => void;
  /** Called as each execution starts. */
  readonly onExecution?: (stage: string, objects: number) => void;
  /**
   * The day of the raw object's key (`raw/<data product>/<YYYY-MM-DD>/<file>`).
   * @default - today (UTC)
   */
  readonly day?: string;
}

/** One state of an execution, as it ran. */
export interface StateRun {
  readonly name: string;
  readonly type: string;
  readonly durationMs: number;
  /** It ended and the execution went on to its next state (not through a Catch). */
  readonly ok: boolean;
  /** The error it failed with (the last one, when it was retried). */
  readonly error?: string;
  readonly cause?: string;
  /** How many times it was retried. */
  readonly retries: number;
  /** Its error was caught: the execution went on to a Catch's state. */
  readonly caught: boolean;
}

/** One execution of a stage's state machine. */
export interface ExecutionReport {
  /** The stage's state machine. */
  readonly stateMachine: string;
  readonly input: { readonly objects: ReadonlyArray<{ readonly bucket: string; readonly key: string }> };
  readonly succeeded: boolean;
  readonly states: StateRun[];
  /** The objects the execution wrote. */
  readonly written: ObjectWrite[];
  /** Where and why it failed: the state whose error ended it (the task, not the Fail state it was caught to). */
  readonly failure?: { readonly state: string; readonly error: string; readonly cause?: string };
}

/** A table of the data product after a run: the Parquet files under its location. */
export interface TableOutput {
  /** The table as a consumer names it, `<database>.<table>`. */
  readonly table: string;
  /** The table's Glue name. */
  readonly name: string;
  /** Where its files are, `s3://<bucket>/<prefix>`. */
  readonly location: string;
  /** Its Parquet files, in the run's folder (partition folders `<column>=<value>/` included). */
  readonly files: string[];
}

/** What a local pipeline run did. */
export interface PipelineRunReport {
  readonly dataProduct: string;
  readonly environment: string;
  /** The data product's stack, e.g. `sales-dev/dp-orders`. */
  readonly stack: string;
  /** The raw object the run started with. */
  readonly input: { readonly bucket: string; readonly key: string };
  /** Where the objects are kept. */
  readonly workDir: string;
  readonly executions: ExecutionReport[];
  readonly partitions: RegisteredPartition[];
  readonly quality: QualityEvaluation[];
  readonly calls: ServiceCall[];
  /** The handlers' logs and memory, by invocation. */
  readonly functionLogs: ReadonlyArray<FunctionInvocation>;
  /** What a consumer's query of each table returns after the run, or why there is nothing to query. */
  readonly queries: ConsumerQuery[];
  /** Each table's files after the run. */
  readonly outputs: TableOutput[];
  readonly succeeded: boolean;
}

/** No stage reads its own output forever: a pipeline's stages run at most this many times in one run. */
const MAX_EXECUTIONS = 50;

/**
 * Runs a data product's pipeline on a file, offline, the way the deployed pipeline would: the
 * file lands under `raw/<data product>/<day>/` of the domain bucket, each stage whose input
 * prefix an object lands in is started with it (a Lambda stage once per object, a Glue stage once
 * for the objects together, a scheduled stage with none), and its state machine, as synthesized,
 * runs in aws-local-stepfunctions with every task answered locally (see {@link LocalServices}).
 * Waits and the pauses between retries take no time; a Task state without a timeout of its own
 * waits for its task as long as it takes, as in Step Functions (a function still stops at its
 * timeout). The run ends when no stage takes what the last ones wrote, or at the first execution
 * that fails.
 */
export async function runPipeline(options: PipelineRunOptions): Promise<PipelineRunReport> {
  if (!fs.statSync(options.file, { throwIfNoEntry: false })?.isFile()) {
    throw new InvalidOptionError('file', `${options.file} is not a file; give the file to deliver to the pipeline, e.g. samples/orders.csv`);
  }
  // The handlers run in processes of their own, elsewhere: the assets' paths must not be relative.
  const assembly = readCloudAssembly(path.resolve(options.assemblyDir), '--app');
  const product = findDataProductStack(assembly, options.dataProduct, options.environment);
  const { values } = product;
  const tables = catalogTables(values);
  const contract = options.contract ?? findContract(options.contractsDir, options.dataProduct, product.domain);
  const bucket = rawBucket(product.machines, tables);

  const StateMachine = await loadStateMachineClass();
  fs.rmSync(options.workDir, { recursive: true, force: true });
  const store = new LocalObjectStore(options.workDir);
  const server = await LocalS3Server.start(store);
  const services = new LocalServices({
    values,
    store,
    tables,
    contract,
    invocation: { s3Endpoint: server.endpoint, region: product.stack.region, nodePath: options.nodePath },
  });
  const executions: ExecutionReport[] = [];
  const day = options.day ?? new Date().toISOString().slice(0, 10);
  const input = { bucket, key: `raw/${options.dataProduct}/${day}/${path.basename(options.file)}` };
  try {
    store.putFile(input.bucket, input.key, options.file, contentTypeOf(options.file));
    let pending: ObjectWrite[] = [...store.writes];
    while (pending.length > 0 && executions.length < MAX_EXECUTIONS && executions.every((execution) => execution.succeeded)) {
      const landed = pending;
      pending = [];
      for (const machine of product.machines) {
        const objects = landed
          .filter((object) => object.key.startsWith(machine.input.prefix))
          .filter((object) => machine.input.bucket === undefined || machine.input.bucket === object.bucket)
          .map(({ bucket: b, key }) => ({ bucket: b, key }));
        if (objects.length === 0) {
          continue;
        }
        // As the stage's intake starts it: each object alone (a Lambda stage), together (a Glue stage's batch), or none (its schedule).
        const inputs = machine.scheduled ? [[]] : machine.work.resource.Type === 'AWS::Lambda::Function' ? objects.map((object) => [object]) : [objects];
        for (const batch of inputs) {
          options.onExecution?.(machine.name, batch.length);
          const mark = store.writes.length;
          const execution = await execute(StateMachine, machine, { objects: batch }, services, product.stack, options.onState);
          const written = store.writes.slice(mark);
          executions.push({ ...execution, written });
          pending.push(...written);
          if (!execution.succeeded) {
            break;
          }
        }
        if (!executions.every((execution) => execution.succeeded)) {
          break;
        }
      }
    }
  } finally {
    await server.close();
  }
  const queries = await Promise.all(tables.map((table) => consumerQuery(store, table, contract?.objects ?? [])));
  return {
    dataProduct: options.dataProduct,
    environment: product.environment,
    stack: product.stack.displayName,
    input,
    workDir: options.workDir,
    executions,
    partitions: services.partitions,
    quality: services.quality,
    calls: services.calls,
    functionLogs: services.functionLogs,
    queries,
    outputs: tables.map((table) => ({
      table: `${table.database}.${table.name}`,
      name: table.name,
      location: `s3://${table.location.bucket}/${table.location.prefix}`,
      files: parquetFiles(store, table),
    })),
    succeeded: executions.length > 0 && executions.every((execution) => execution.succeeded),
  };
}

/** One execution of a stage's state machine, in the interpreter, with the run's task handlers. */
async function execute(
  StateMachine: Awaited<ReturnType<typeof loadStateMachineClass>>,
  machine: StageMachine,
  input: { objects: Array<{ bucket: string; key: string }> },
  services: LocalServices,
  stack: { region: string; account: string },
  onState?: (stage: string, state: StateRun) => void,
): Promise<Omit<ExecutionReport, 'written'>> {
  const handlers: Record<string, TaskHandler> = {};
  const waits: Record<string, number> = {};
  const pauses: Record<string, number> = {};
  forEachState(machine.definition, (name, state) => {
    if (state.Type === 'Task') {
      handlers[name] = services.handlerFor(name, String(state.Resource), machine.taskResources[name] ?? []);
    }
    if (state.Type === 'Wait') {
      waits[name] = 0;
    }
    if (Array.isArray(state.Retry)) {
      pauses[name] = 0;
    }
  });
  const executionName = `local-${randomUUID()}`;
  const startTime = new Date().toISOString();
  const run = new StateMachine(withDeployedTaskTimeouts(machine.definition) as any).run(input, {
    overrides: { taskResourceLocalHandlers: handlers as any, waitTimeOverrides: waits, retryIntervalOverrides: pauses },
    context: {
      Execution: {
        Id: `arn:aws:states:${stack.region}:${stack.account}:execution:${machine.name}:${executionName}`,
        Name: executionName,
        StartTime: startTime,
        RoleArn: `arn:aws:iam::${stack.account}:role/local`,
      },
      StateMachine: { Id: machine.arn, Name: machine.name },
      // Read when a state's Parameters are evaluated, which is when it is entered.
      State: { get EnteredTime() { return new Date().toISOString(); } },
    },
  });
  const states: StateRun[] = [];
  let current: { name: string; type: string; started: number; error?: string; cause?: string; retries: number; caught: boolean } | undefined;
  const finish = (ok: boolean, at: number) => {
    if (current) {
      const { name, type, error, cause, retries, caught } = current;
      const state: StateRun = { name, type, durationMs: at - current.started, ok, error, cause, retries, caught };
      states.push(state);
      onState?.(machine.name, state);
      current = undefined;
    }
  };
  const events = (async () => {
    for await (const event of run.eventLogs) {
      const record = event as any;
      switch (event.type) {
        case 'StateEntered':
          finish(false, event.timestamp);
          current = { name: record.state.name, type: record.state.type, started: event.timestamp, retries: 0, caught: false };
          break;
        case 'StateFailed':
          if (current) {
            current.error = record.Error;
            current.cause = typeof record.Cause === 'string' ? record.Cause : JSON.stringify(record.Cause);
          }
          break;
        case 'StateRetried':
          if (current) current.retries++;
          break;
        case 'StateCaught':
          if (current) current.caught = true;
          break;
        case 'StateExited':
          finish(!current?.caught, event.timestamp);
          break;
        case 'ExecutionSucceeded':
        case 'ExecutionFailed':
        case 'ExecutionAborted':
        case 'ExecutionTimeout':
          finish(false, event.timestamp);
          return;
      }
    }
  })();
  const succeeded = await run.result.then(() => true, () => false);
  await events;
  // The state whose error ended the execution: the last that failed and was not a Fail state (the
  // task, not the Fail its error was caught to); a Fail state only when nothing else failed.
  const failed = states.filter((state) => state.error !== undefined);
  const cause = failed.filter((state) => state.type !== 'Fail').pop() ?? failed.pop();
  return {
    stateMachine: machine.name,
    input,
    succeeded,
    states,
    failure: succeeded || !cause ? undefined : { state: cause.name, error: cause.error!, cause: cause.cause },
  };
}

function forEachState(definition: AslDefinition, visit: (name: string, state: AslDefinition['States'][string]) => void): void {
  for (const [name, state] of Object.entries(definition.States)) {
    visit(name, state);
    state.Branches?.forEach((branch) => forEachState(branch, visit));
    for (const inner of [state.ItemProcessor, state.Iterator]) {
      if (inner) forEachState(inner, visit);
    }
  }
}

/** The domain bucket, where the raw input lands: the first stage's job source, or the tables' bucket. */
function rawBucket(machines: StageMachine[], tables: ReturnType<typeof catalogTables>): string {
  const bucket = machines.map((machine) => machine.input.bucket).find(Boolean) ?? tables.map((table) => table.location.bucket).find(Boolean);
  if (!bucket) {
    throw new Error('the data product\'s stack names no bucket (no Glue table location, no Glue job source): the local run does not know where its raw input lands');
  }
  return bucket;
}

/** The contract of the data product in the contracts folder, if it is there and valid. */
function findContract(dir: string, dataProduct: string, domain: string): Contract | undefined {
  if (!fs.existsSync(dir)) {
    return undefined;
  }
  return lintContracts(contractFiles([dir]), { domain }).map((report) => report.contract).find((contract) => contract?.dataProduct === dataProduct);
}

function contentTypeOf(file: string): string {
  const types: Record<string, string> = {
    '.csv': 'text/csv', '.json': 'application/json', '.jsonl': 'application/x-ndjson', '.parquet': 'application/vnd.apache.parquet', '.txt': 'text/plain',
  };
  return types[path.extname(file).toLowerCase()] ?? 'binary/octet-stream';
}
