import { randomUUID } from 'crypto';
import * as fs from 'fs';
import { CatalogTable, schemaObjectOf } from './catalog-tables';
import { GlueJobRunFailed, localGlueJob, runGlueJob } from './glue-job-run';
import { FunctionInvocation, invokeFunction, InvocationEnvironment, localFunction } from './lambda-invocation';
import { LocalObjectStore, ObjectWrite } from './local-object-store';
import { checkQuality, QualityRuleResult } from './quality-check';
import { ResourceReference, TemplateValues } from './template-values';
import { Contract } from '../contract/contract';

/** A partition the local catalog registered for a table. */
export interface RegisteredPartition {
  readonly table: string;
  /** The partition's values, by partition column. */
  readonly values: { readonly [column: string]: string };
  readonly location: string;
}

/** The quality evaluation of a table, as the local run made it. */
export interface QualityEvaluation {
  readonly table: string;
  readonly ruleset: string;
  readonly results: QualityRuleResult[];
}

/** A call of a service the local run answered with a stand-in, for the report. */
export interface ServiceCall {
  /** The state that made it. */
  readonly state: string;
  /** The integration, e.g. `dynamodb:updateItem`. */
  readonly action: string;
  /** What it did, in a line. */
  readonly summary: string;
}

/** A task state's local handler: its input (after `Parameters`) to its result. */
export type TaskHandler = (input: any) => Promise<unknown>;

/** An error a task raises, as the service integration would: its name is the error Step Functions matches. */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** What the local services are built with. */
export interface LocalServicesProps {
  readonly values: TemplateValues;
  readonly store: LocalObjectStore;
  readonly tables: CatalogTable[];
  /** The data product's contract (for the quality rules); undefined when it was not found. */
  readonly contract?: Contract;
  readonly invocation: InvocationEnvironment;
}

/**
 * The stand-ins of the services a stage's state machine calls, each doing locally what the
 * deployed service would and keeping a record of it: the Lambda functions (the bundled handlers),
 * the Glue jobs (the scripts' transforms, Parquet by the tables' schema), DynamoDB items, the
 * Glue crawler (the partitions found under the tables' locations), the Glue Data Quality
 * evaluation (the contract's rules on the files written), EventBridge, SQS and SNS messages.
 */
export class LocalServices {
  /** Every call answered, in order. */
  public readonly calls: ServiceCall[] = [];
  /** The partitions registered, in order. */
  public readonly partitions: RegisteredPartition[] = [];
  /** The quality evaluations, in order. */
  public readonly quality: QualityEvaluation[] = [];
  /** The items of the DynamoDB tables, by table and key. */
  public readonly items = new Map<string, Map<string, Record<string, unknown>>>();
  /** The logs of each Lambda invocation, in order. */
  public readonly functionLogs: FunctionInvocation[] = [];

  constructor(private readonly props: LocalServicesProps) {}

  /** The handler of a Task state, by its resource; one that throws for a resource without stand-in. */
  public handlerFor(state: string, resource: string, references: ResourceReference[]): TaskHandler {
    const integration = /^arn:aws[\w-]*:states:::(.+?)(\.sync(:2)?|\.waitForTaskToken)?$/.exec(resource)?.[1];
    const referenced = (type: string) => references.find((reference) => reference.resource.Type === type);
    const record = (action: string, summary: string) => this.calls.push({ state, action, summary });
    if (/^arn:aws[\w-]*:lambda:/.test(resource) || integration === 'lambda:invoke') {
      const fn = referenced('AWS::Lambda::Function');
      if (!fn) {
        return this.unsupported(resource, 'it invokes a function that is not in the data product\'s stack');
      }
      const direct = integration === undefined;
      return async (input) => {
        const local = localFunction(this.props.values, fn);
        const outcome = await invokeFunction(local, direct ? input : input.Payload, this.props.invocation);
        this.functionLogs.push({ function: local.name, logs: outcome.logs, maxMemoryUsedMb: outcome.maxMemoryUsedMb, memoryMb: local.memoryMb });
        record('lambda:invoke', `${local.name} (${local.codeDir})`);
        if ('error' in outcome) {
          throw new TaskError(outcome.error.errorType, JSON.stringify(outcome.error));
        }
        return direct ? outcome.result : { ExecutedVersion: '$LATEST', Payload: outcome.result, StatusCode: 200 };
      };
    }
    if (integration === 'glue:startJobRun') {
      const job = referenced('AWS::Glue::Job');
      if (!job) {
        return this.unsupported(resource, 'it starts a job that is not in the data product\'s stack');
      }
      return async (input) => {
        const local = localGlueJob(this.props.values, job);
        const run = await runGlueJob(local, input.Arguments ?? {}, this.props.tables, this.props.store).catch((error) => {
          throw error instanceof GlueJobRunFailed ? new TaskError(error.name, error.message) : error;
        });
        record('glue:startJobRun', `${local.name}: ${Object.entries(run.records).map(([table, count]) => `${count} record(s) to ${table}`).join(', ')}`);
        return run.jobRun;
      };
    }
    switch (integration) {
      case 'dynamodb:updateItem':
      case 'dynamodb:putItem':
      case 'dynamodb:getItem':
      case 'dynamodb:deleteItem':
        return async (input) => this.dynamoDb(integration.split(':')[1], input, record);
      case 'aws-sdk:glue:startCrawler':
        return async (input) => {
          const found = this.crawl(String(input.Name));
          record('glue:startCrawler', `${input.Name}: ${found.length ? found.map((partition) => `${partition.table} ${Object.entries(partition.values).map(([k, v]) => `${k}=${v}`).join('/')}`).join(', ') : 'no new partition'}`);
          return {};
        };
      case 'aws-sdk:glue:getCrawler':
        return async (input) => ({ Crawler: { Name: input.Name, State: 'READY', LastCrawl: { Status: 'SUCCEEDED' } } });
      case 'aws-sdk:glue:startDataQualityRulesetEvaluationRun':
        return async (input) => {
          const evaluations = await this.evaluateQuality(input);
          record('glue:startDataQualityRulesetEvaluationRun', evaluations.map((evaluation) => `${evaluation.ruleset}: ${evaluation.results.filter((result) => result.passed).length}/${evaluation.results.length} rule(s) passed`).join(', '));
          return { RunId: `dqrun-local-${randomUUID()}` };
        };
      case 'events:putEvents':
        return async (input) => {
          const entries: unknown[] = input.Entries ?? [];
          record('events:putEvents', entries.map((entry: any) => `${entry.Source ?? ''} ${entry.DetailType ?? ''}`.trim()).join(', '));
          return { Entries: entries.map(() => ({ EventId: randomUUID() })), FailedEntryCount: 0 };
        };
      case 'sqs:sendMessage':
        return async (input) => {
          record('sqs:sendMessage', `${input.QueueUrl}: ${typeof input.MessageBody === 'string' ? input.MessageBody : JSON.stringify(input.MessageBody)}`);
          return { MessageId: randomUUID() };
        };
      case 'sns:publish':
        return async (input) => {
          record('sns:publish', `${input.TopicArn}: ${typeof input.Message === 'string' ? input.Message : JSON.stringify(input.Message)}`);
          return { MessageId: randomUUID() };
        };
      default:
        return this.unsupported(resource, 'the local run has no stand-in for this service integration');
    }
  }

  /** The item operations the stages' status records use, on tables kept in memory. */
  private dynamoDb(action: string, input: any, record: (action: string, summary: string) => void): unknown {
    const table = String(input.TableName);
    const items = this.items.get(table) ?? new Map<string, Record<string, unknown>>();
    this.items.set(table, items);
    const key = JSON.stringify(input.Key ?? input.Item);
    if (action === 'getItem') {
      const item = items.get(key);
      return item ? { Item: item } : {};
    }
    if (action === 'deleteItem') {
      items.delete(key);
      record('dynamodb:deleteItem', `${table} ${key}`);
      return {};
    }
    if (action === 'putItem') {
      items.set(JSON.stringify(input.Item), input.Item);
      record('dynamodb:putItem', `${table} ${JSON.stringify(input.Item)}`);
      return {};
    }
    // SET of names to values, the form the stages' status records use.
    const expression = String(input.UpdateExpression ?? '');
    const set = /^\s*SET\s+(.+)$/i.exec(expression);
    if (!set || /\b(REMOVE|ADD|DELETE)\b/i.test(expression)) {
      throw new TaskError('DynamoDB.ValidationException', `the local DynamoDB stand-in updates items with SET name = value only, not: ${expression}`);
    }
    const item: Record<string, unknown> = { ...(items.get(key) ?? input.Key) };
    for (const assignment of set[1].split(',')) {
      const [name, value] = assignment.split('=').map((part) => part.trim());
      const attribute = input.ExpressionAttributeNames?.[name] ?? name;
      if (!(value in (input.ExpressionAttributeValues ?? {}))) {
        throw new TaskError('DynamoDB.ValidationException', `the local DynamoDB stand-in sets values of ExpressionAttributeValues only, not: ${assignment.trim()}`);
      }
      item[attribute] = input.ExpressionAttributeValues[value];
    }
    items.set(key, item);
    const shown = Object.entries(item).filter(([attribute]) => !(attribute in (input.Key ?? {}))).map(([attribute, value]) => `${attribute}=${Object.values(value as object)[0]}`);
    record('dynamodb:updateItem', `${table}: ${shown.join(' ')}`);
    return { Attributes: item };
  }

  /** What the crawler of a stage adds: the partitions under its tables' locations not registered before. */
  private crawl(crawlerName: string): RegisteredPartition[] {
    const values = this.props.values;
    const crawler = Object.values(values.stack.template.Resources ?? {}).find(
      (resource) => resource.Type === 'AWS::Glue::Crawler' && values.resolve(resource.Properties?.Name) === crawlerName,
    );
    if (!crawler) {
      throw new TaskError('Glue.EntityNotFoundException', `Crawler entry with name ${crawlerName} does not exist`);
    }
    const targets: any[] = values.resolve(crawler.Properties?.Targets?.CatalogTargets ?? []);
    const added: RegisteredPartition[] = [];
    for (const target of targets) {
      for (const name of target.Tables ?? []) {
        const table = this.props.tables.find((candidate) => candidate.database === target.DatabaseName && candidate.name === name);
        if (!table || table.partitionKeys.length === 0) {
          continue;
        }
        for (const object of this.props.store.list(table.location.bucket, table.location.prefix)) {
          const folders = object.key.slice(table.location.prefix.length).split('/').slice(0, table.partitionKeys.length);
          const pairs = folders.map((folder) => folder.split(/=(.*)/s));
          if (pairs.length !== table.partitionKeys.length || pairs.some(([column], i) => column !== table.partitionKeys[i].name)) {
            continue;
          }
          const partition = {
            table: `${table.database}.${table.name}`,
            values: Object.fromEntries(pairs.map(([column, value]) => [column, decodeURIComponent(value)])),
            location: `s3://${table.location.bucket}/${table.location.prefix}${folders.join('/')}/`,
          };
          if (!this.partitions.some((known) => known.location === partition.location)) {
            this.partitions.push(partition);
            added.push(partition);
          }
        }
      }
    }
    return added;
  }

  /** The contract's quality rules, with the ruleset's thresholds, on the Parquet files of the ruleset's table. */
  private async evaluateQuality(input: any): Promise<QualityEvaluation[]> {
    const values = this.props.values;
    const evaluations: QualityEvaluation[] = [];
    for (const rulesetName of input.RulesetNames ?? []) {
      const ruleset = Object.values(values.stack.template.Resources ?? {}).find(
        (resource) => resource.Type === 'AWS::Glue::DataQualityRuleset' && values.resolve(resource.Properties?.Name) === rulesetName,
      );
      const target = ruleset ? values.resolve(ruleset.Properties?.TargetTable ?? {}) : input.DataSource?.GlueTable;
      const table = this.props.tables.find((candidate) => candidate.database === target?.DatabaseName && candidate.name === target?.TableName);
      if (!ruleset || !table) {
        throw new TaskError('Glue.EntityNotFoundException', `Ruleset ${rulesetName} or its table does not exist in the data product's stack`);
      }
      const contract = this.props.contract;
      const object = contract && schemaObjectOf(contract.objects, table.name);
      const files = parquetFiles(this.props.store, table);
      const evaluation = { table: `${table.database}.${table.name}`, ruleset: String(rulesetName), results: contract && object ? await checkQuality(contract, object, files) : [] };
      this.quality.push(evaluation);
      evaluations.push(evaluation);
    }
    return evaluations;
  }

  private unsupported(resource: string, why: string): TaskHandler {
    return async () => {
      throw new TaskError('LocalRun.Unsupported', `${resource}: ${why}`);
    };
  }
}

/** The Parquet files (by their magic bytes, whatever their names) under a table's location. */
export function parquetFiles(store: LocalObjectStore, table: CatalogTable): string[] {
  return store.list(table.location.bucket, table.location.prefix)
    .map((object) => store.fileOf(object.bucket, object.key))
    .filter(isParquet);
}

/** Whether a file is Parquet: it starts and ends with `PAR1`. */
export function isParquet(file: string): boolean {
  const size = fs.statSync(file).size;
  if (size < 8) {
    return false;
  }
  const descriptor = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(4);
    fs.readSync(descriptor, head, 0, 4, 0);
    fs.readSync(descriptor, tail, 0, 4, size - 4);
    return head.toString('latin1') === 'PAR1' && tail.toString('latin1') === 'PAR1';
  } finally {
    fs.closeSync(descriptor);
  }
}

/** The writes of a list after a mark, for what one execution wrote. */
export function writesSince(store: LocalObjectStore, mark: number): ObjectWrite[] {
  return store.writes.slice(mark);
}
