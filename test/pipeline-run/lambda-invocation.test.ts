/**
 * A Lambda function invoked locally is held to its memory size, as Lambda holds it: the local run
 * reports the most memory the handler's process used, and a handler that used more than the
 * function has fails as Lambda would have stopped it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { invokeFunction, LocalFunction } from '../../src/pipeline-run/lambda-invocation';

let codeDir: string;

beforeAll(() => {
  codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-code-'));
  fs.writeFileSync(path.join(codeDir, 'index.js'), [
    'exports.handler = async (event) => {',
    // Filled, so that every page of it is resident.
    '  const held = Buffer.alloc(event.megabytes * 1024 * 1024, 1);',
    '  return { held: held.length };',
    '};',
  ].join('\n'));
});

afterAll(() => {
  fs.rmSync(codeDir, { recursive: true, force: true });
});

const fn = (memoryMb: number): LocalFunction => ({ name: 'sdlf-sales-dev-orders-light-transform', codeDir, module: 'index', exportName: 'handler', environment: {}, timeoutSeconds: 30, memoryMb });
const environment = { s3Endpoint: 'http://127.0.0.1:9', region: 'eu-west-1', nodePath: [] };

test('a handler within its memory size returns its result, with the most memory it used', async () => {
  const outcome = await invokeFunction(fn(1024), { megabytes: 64 }, environment);
  expect(outcome).toMatchObject({ result: { held: 64 * 1024 * 1024 } });
  // At least what it held, and far from the function's 1024 MB.
  expect(outcome.maxMemoryUsedMb).toBeGreaterThanOrEqual(64);
  expect(outcome.maxMemoryUsedMb).toBeLessThan(400);
});

test('a handler that uses more memory than the function has fails, as Lambda would have stopped it', async () => {
  const outcome = await invokeFunction(fn(128), { megabytes: 256 }, environment);
  expect('error' in outcome && outcome.error).toEqual({
    errorType: 'Runtime.OutOfMemory',
    errorMessage: expect.stringMatching(/^the handler used \d+ MB, more than the function's 128 MB: Lambda would have stopped it \(process the object in parts, give the stage more memory, or do this work in a glue stage\)$/),
  });
  expect(outcome.maxMemoryUsedMb).toBeGreaterThan(256);
});
