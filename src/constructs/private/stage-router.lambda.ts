// The intake router of a pipeline stage (see `StageIntake`), run by Lambda. One handler for both
// ways in: SQS records (one execution per object) and a scheduled event (drain the queue, one
// execution for the batch). A message is deleted only once an execution holds it; otherwise it
// returns to the queue and, after three receives, goes to the dead-letter queue.
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DeleteMessageBatchCommand, Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

/** An object of the stage's input, as the state machine takes it. */
export interface StageObject {
  readonly bucket: string;
  readonly key: string;
}

/** The SQS event of Lambda's event source mapping, as far as the router reads it. */
export interface QueueEvent {
  readonly Records: ReadonlyArray<{ readonly messageId: string; readonly body: string }>;
}

/** What the router answers SQS: the records to receive again (partial batch failures). */
export interface QueueResponse {
  readonly batchItemFailures: Array<{ readonly itemIdentifier: string }>;
}

/** What a drain answers: whether it started an execution, and for how many objects. */
export interface DrainResponse {
  readonly started: boolean;
  readonly objects?: number;
}

/** The environment the construct gives the function. */
const ENVIRONMENT = ['STATE_MACHINE_ARN', 'QUEUE_URL', 'MAX_BATCH'] as const;

const sfn = new SFNClient({});
const sqs = new SQSClient({});

/**
 * Starts the stage's state machine: per SQS record, or, on any other event (the drain schedule's),
 * once for the objects waiting in the queue.
 */
export async function handler(event: QueueEvent | object): Promise<QueueResponse | DrainResponse> {
  const env = environment();
  return 'Records' in event ? startEach(event, env) : drain(env);
}

async function startEach(event: QueueEvent, env: Environment): Promise<QueueResponse> {
  const batchItemFailures: Array<{ itemIdentifier: string }> = [];
  for (const record of event.Records) {
    try {
      await start(env, [objectOf(record.body)]);
    } catch (error) {
      console.error(record.messageId, error);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

async function drain(env: Environment): Promise<DrainResponse> {
  const messages: Message[] = [];
  while (messages.length < env.maxBatch) {
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: env.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    if (!received.Messages || received.Messages.length === 0) {
      break;
    }
    messages.push(...received.Messages);
  }
  // A message that is no object event stays in the queue, so it ends in the dead-letter queue
  // on its own instead of holding back the batch.
  const readable = messages.flatMap((message) => {
    try {
      return [{ message, object: objectOf(message.Body) }];
    } catch (error) {
      console.error(message.MessageId, error);
      return [];
    }
  });
  if (readable.length === 0) {
    return { started: false };
  }
  await start(env, readable.map((entry) => entry.object));
  for (let i = 0; i < readable.length; i += 10) {
    const entries = readable.slice(i, i + 10).map((entry, n) => ({ Id: String(n), ReceiptHandle: entry.message.ReceiptHandle }));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: env.queueUrl, Entries: entries }));
  }
  return { started: true, objects: readable.length };
}

function start(env: Environment, objects: StageObject[]) {
  return sfn.send(new StartExecutionCommand({ stateMachineArn: env.stateMachineArn, input: JSON.stringify({ objects }) }));
}

/** The object of an S3 "Object Created" event that EventBridge put on the queue. */
function objectOf(body: string | undefined): StageObject {
  const detail = JSON.parse(body ?? '').detail;
  const bucket: unknown = detail?.bucket?.name;
  const key: unknown = detail?.object?.key;
  if (typeof bucket !== 'string' || typeof key !== 'string') {
    throw new Error('the message is not an S3 object event: detail.bucket.name or detail.object.key is missing');
  }
  return { bucket, key };
}

interface Environment {
  readonly stateMachineArn: string;
  readonly queueUrl: string;
  readonly maxBatch: number;
}

function environment(): Environment {
  const missing = ENVIRONMENT.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(`the router's environment lacks ${missing.join(', ')}: deploy it with its stage construct`);
  }
  return { stateMachineArn: process.env.STATE_MACHINE_ARN!, queueUrl: process.env.QUEUE_URL!, maxBatch: Number(process.env.MAX_BATCH) };
}
