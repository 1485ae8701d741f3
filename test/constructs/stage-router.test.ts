import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { ROUTER_ASSET } from '../../src/constructs/private/stage-intake';
import { handler } from '../../src/constructs/private/stage-router.lambda';

const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);

const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:111111111111:stateMachine:sdlf-sales-dev-orders-light-transform';
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111111111111/sdlf-sales-dev-orders-light-transform-intake';

/** The body EventBridge puts on the queue for an S3 "Object Created" event. */
function objectCreated(key: string, bucket = 'sales-dev-data'): string {
  return JSON.stringify({ 'detail-type': 'Object Created', 'source': 'aws.s3', 'detail': { bucket: { name: bucket }, object: { key, size: 12 } } });
}

/** The `objects` of every execution started, in order. */
function startedObjects(): unknown[] {
  return sfn.commandCalls(StartExecutionCommand).map((call) => {
    expect(call.args[0].input.stateMachineArn).toBe(STATE_MACHINE_ARN);
    return JSON.parse(call.args[0].input.input!).objects;
  });
}

beforeEach(() => {
  // The router logs what it could not start; the tests assert on its answers instead.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  sfn.reset();
  sqs.reset();
  process.env.STATE_MACHINE_ARN = STATE_MACHINE_ARN;
  process.env.QUEUE_URL = QUEUE_URL;
  process.env.MAX_BATCH = '25';
});

describe('per event (SQS event source)', () => {
  test('starts one execution per record with its object', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });
    const response = await handler({
      Records: [
        { messageId: 'm1', body: objectCreated('raw/orders/2026/a.csv') },
        { messageId: 'm2', body: objectCreated('raw/orders/2026/b.csv') },
      ],
    });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(startedObjects()).toEqual([[{ bucket: 'sales-dev-data', key: 'raw/orders/2026/a.csv' }], [{ bucket: 'sales-dev-data', key: 'raw/orders/2026/b.csv' }]]);
  });

  test('reports the records it could not start, and only those, for SQS to deliver again', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });
    sfn.on(StartExecutionCommand, { input: JSON.stringify({ objects: [{ bucket: 'sales-dev-data', key: 'raw/orders/throttled.csv' }] }) }).rejects(new Error('ThrottlingException'));
    const response = await handler({
      Records: [
        { messageId: 'ok', body: objectCreated('raw/orders/ok.csv') },
        { messageId: 'throttled', body: objectCreated('raw/orders/throttled.csv') },
        { messageId: 'garbage', body: 'not json' },
        { messageId: 'no-object', body: JSON.stringify({ detail: { bucket: { name: 'b' } } }) },
      ],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'throttled' }, { itemIdentifier: 'garbage' }, { itemIdentifier: 'no-object' }] });
    // The unreadable messages never reach Step Functions.
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(2);
  });
});

describe('drain (the batch schedule)', () => {
  test('starts one execution for every waiting object, then deletes exactly those messages', async () => {
    const messages = Array.from({ length: 12 }, (_, i) => ({ MessageId: `m${i}`, ReceiptHandle: `h${i}`, Body: objectCreated(`stage/orders/${i}.parquet`) }));
    sqs.on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: messages.slice(0, 10) })
      .resolvesOnce({ Messages: messages.slice(10) })
      .resolves({ Messages: [] });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });

    expect(await handler({ 'detail-type': 'Scheduled Event', 'source': 'aws.events' })).toEqual({ started: true, objects: 12 });
    expect(startedObjects()).toEqual([messages.map((_, i) => ({ bucket: 'sales-dev-data', key: `stage/orders/${i}.parquet` }))]);
    for (const call of sqs.commandCalls(ReceiveMessageCommand)) {
      expect(call.args[0].input).toMatchObject({ QueueUrl: QUEUE_URL, MaxNumberOfMessages: 10 });
    }
    const deleted = sqs.commandCalls(DeleteMessageBatchCommand).map((call) => call.args[0].input);
    // SQS deletes at most ten messages a call.
    expect(deleted.map((input) => input.Entries!.length)).toEqual([10, 2]);
    expect(deleted.flatMap((input) => input.Entries!.map((entry) => entry.ReceiptHandle))).toEqual(messages.map((message) => message.ReceiptHandle));
    expect(deleted.every((input) => input.QueueUrl === QUEUE_URL)).toBe(true);
  });

  test('takes at most MAX_BATCH messages in one execution', async () => {
    process.env.MAX_BATCH = '20';
    let n = 0;
    const page = () => ({ Messages: Array.from({ length: 10 }, () => ({ MessageId: `m${n}`, ReceiptHandle: `h${n}`, Body: objectCreated(`raw/orders/${n++}.csv`) })) });
    sqs.on(ReceiveMessageCommand).callsFake(page);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });
    expect(await handler({})).toEqual({ started: true, objects: 20 });
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(2);
  });

  test('an empty queue starts nothing', async () => {
    sqs.on(ReceiveMessageCommand).resolves({});
    expect(await handler({})).toEqual({ started: false });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(sqs.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });

  test('a message that is no object event stays in the queue (on to the dead-letter queue), and the rest go on', async () => {
    sqs.on(ReceiveMessageCommand).resolvesOnce({
      Messages: [
        { MessageId: 'good', ReceiptHandle: 'h-good', Body: objectCreated('raw/orders/good.csv') },
        { MessageId: 'bad', ReceiptHandle: 'h-bad', Body: '{"detail":{}}' },
      ],
    }).resolves({ Messages: [] });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });
    expect(await handler({})).toEqual({ started: true, objects: 1 });
    expect(startedObjects()).toEqual([[{ bucket: 'sales-dev-data', key: 'raw/orders/good.csv' }]]);
    expect(sqs.commandCalls(DeleteMessageBatchCommand).flatMap((call) => call.args[0].input.Entries!.map((entry) => entry.ReceiptHandle))).toEqual(['h-good']);
  });

  test('when the execution cannot start, no message is deleted: they come back and end in the dead-letter queue', async () => {
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [{ MessageId: 'm', ReceiptHandle: 'h', Body: objectCreated('raw/orders/a.csv') }] }).resolves({ Messages: [] });
    sfn.on(StartExecutionCommand).rejects(new Error('StateMachineDoesNotExist'));
    await expect(handler({})).rejects.toThrow('StateMachineDoesNotExist');
    expect(sqs.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });
});

test('a router deployed without its environment says what is missing', async () => {
  delete process.env.QUEUE_URL;
  await expect(handler({})).rejects.toThrow("the router's environment lacks QUEUE_URL: deploy it with its stage construct");
  expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
});

test('the bundle the construct deploys is this handler, with the SDK left to the Lambda runtime', async () => {
  // `npx projen compile` bundles it; the SDK it requires is the one faked here.
  const bundle = path.join(__dirname, '..', '..', 'assets', 'constructs', 'private', 'stage-router.lambda', 'index.js');
  expect(fs.readFileSync(bundle, 'utf8')).toMatch(/require\("@aws-sdk\/client-sfn"\)/);
  const bundled: typeof handler = jest.requireActual(bundle).handler;
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });
  expect(await bundled({ Records: [{ messageId: 'm1', body: objectCreated('raw/orders/a.csv') }] })).toEqual({ batchItemFailures: [] });
  expect(startedObjects()).toEqual([[{ bucket: 'sales-dev-data', key: 'raw/orders/a.csv' }]]);
});

test('the package ships the bundle, where the construct looks for it from lib/', () => {
  const root = path.join(__dirname, '..', '..');
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const files: string[] = pack.files.map((file: { path: string }) => file.path);
  expect(files).toContain('assets/constructs/private/stage-router.lambda/index.js');
  expect(files).toContain('lib/constructs/private/stage-intake.js');
  // From src/ here, as from lib/ once installed (the same depth), the construct finds the shipped folder.
  expect(path.relative(root, ROUTER_ASSET)).toBe('assets/constructs/private/stage-router.lambda');
});
