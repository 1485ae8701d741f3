import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ResourceReference, TemplateValues } from './template-values';
import { CommandFailedError, CommandTimedOutError, exec } from '../util/exec';

/** A Lambda function of the cloud assembly, as the local run invokes it. */
export interface LocalFunction {
  readonly name: string;
  /** The folder of its code: the bundled asset of the assembly. */
  readonly codeDir: string;
  /** The module of its handler, relative to {@link codeDir} and without extension, e.g. `index`. */
  readonly module: string;
  /** The export of the module that is the handler, e.g. `handler`. */
  readonly exportName: string;
  /** Its environment variables, resolved. */
  readonly environment: { readonly [name: string]: string };
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

/**
 * How an invocation ended: with the handler's result, or with the error it threw, as Lambda
 * reports it; and the most memory its process used (MB), when it ran to the end.
 */
export type InvocationOutcome = ({ readonly result: unknown } | { readonly error: InvocationError }) & {
  readonly logs: string;
  readonly maxMemoryUsedMb?: number;
};

/** The error of an invocation, as Lambda reports it. */
export interface InvocationError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: string[];
}

/** One invocation of a function in a run, for the report: its logs, and its memory. */
export interface FunctionInvocation {
  readonly function: string;
  readonly logs: string;
  /** The most memory its process used (MB), when it ran to the end. */
  readonly maxMemoryUsedMb?: number;
  /** The function's memory size (MB). */
  readonly memoryMb: number;
}

/** What the process of a function gets from the run: where S3 is, the region, the runtime's SDK. */
export interface InvocationEnvironment {
  /** The URL of the local S3 server. */
  readonly s3Endpoint: string;
  readonly region: string;
  /** Folders of `node_modules` that hold the AWS SDK, which the Lambda runtime provides and bundles leave out. */
  readonly nodePath: string[];
}

/**
 * The function's handler in a Node.js process of its own, the way the Lambda runtime runs it: the
 * module required from the code folder, the export called with the event and a context, a promise
 * awaited. The outcome is written to a file, so that what the handler prints stays its log.
 */
const LAMBDA_RUNTIME = `
const fs = require('fs');
const path = require('path');
const [dir, moduleName, exportName, eventFile, outcomeFile] = process.argv.slice(1);
// With the process's peak resident memory, which Lambda reports as "Max Memory Used": Linux's
// high-water mark of this program (the peak of getrusage also counts the parent it was forked from).
const peakKb = () => {
  try {
    const found = /VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (found) return Number(found[1]);
  } catch {}
  return process.resourceUsage().maxRSS;
};
const write = (outcome) => fs.writeFileSync(outcomeFile, JSON.stringify({ ...outcome, maxRssKb: peakKb() }));
const started = Date.now();
(async () => {
  const file = ['.js', '.cjs', '.mjs'].map((extension) => path.join(dir, moduleName + extension)).find((candidate) => fs.existsSync(candidate));
  if (!file) {
    throw Object.assign(new Error("Cannot find module '" + moduleName + "' in " + dir), { name: 'Runtime.ImportModuleError' });
  }
  const loaded = file.endsWith('.mjs') ? await import(require('url').pathToFileURL(file).href) : require(file);
  const handler = loaded[exportName];
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(moduleName + '.' + exportName + ' is undefined or not exported'), { name: 'Runtime.HandlerNotFound' });
  }
  const timeout = Number(process.env.SDLF_LOCAL_TIMEOUT_MS);
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: require('crypto').randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, timeout - (Date.now() - started)),
  };
  return handler(JSON.parse(fs.readFileSync(eventFile, 'utf8')), context);
})().then(
  (result) => write({ result: result === undefined ? null : result }),
  (error) => {
    console.error(error);
    write({ error: { errorType: (error && error.name) || 'Error', errorMessage: String(error && error.message !== undefined ? error.message : error), trace: String((error && error.stack) || '').split('\\n') } });
  },
);
`;

/**
 * The function a `Ref` or `Fn::GetAtt` of the template names, as deployed: the asset its `Code`
 * points to, its `Handler`, and its environment variables resolved.
 */
export function localFunction(values: TemplateValues, reference: ResourceReference): LocalFunction {
  const properties = reference.resource.Properties ?? {};
  const name = values.physicalName(reference.stack, reference.logicalId);
  const key = properties.Code?.S3Key === undefined ? undefined : String(values.resolve(properties.Code.S3Key));
  const codeDir = key === undefined ? undefined : reference.stack.assets.get(key);
  if (!codeDir || !fs.statSync(codeDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`${name}: the function's code is no asset folder of the cloud assembly (${key ?? 'no Code.S3Key'}); the local run invokes bundled assets only`);
  }
  const handler = String(values.resolve(properties.Handler ?? 'index.handler'));
  const dot = handler.lastIndexOf('.');
  const variables = values.resolve(properties.Environment?.Variables ?? {}) as Record<string, unknown>;
  return {
    name,
    codeDir,
    module: handler.slice(0, dot),
    exportName: handler.slice(dot + 1),
    environment: Object.fromEntries(Object.entries(variables).map(([variable, value]) => [variable, String(value)])),
    timeoutSeconds: Number(properties.Timeout ?? 3),
    memoryMb: Number(properties.MemorySize ?? 128),
  };
}

/**
 * Invokes a function's handler with `event` in a Node.js process of its own, with the function's
 * environment variables and what the Lambda runtime sets, the AWS SDK's S3 endpoint at the local
 * server, dummy credentials and the stack's region; nothing of this process's environment but
 * `PATH`. The function's timeout stops it.
 */
export async function invokeFunction(fn: LocalFunction, event: unknown, environment: InvocationEnvironment): Promise<InvocationOutcome> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-lambda-'));
  try {
    const eventFile = path.join(scratch, 'event.json');
    const outcomeFile = path.join(scratch, 'outcome.json');
    fs.writeFileSync(eventFile, JSON.stringify(event));
    const timeoutMs = fn.timeoutSeconds * 1000;
    let logs: string;
    try {
      const output = await exec(process.execPath, ['-e', LAMBDA_RUNTIME, fn.codeDir, fn.module, fn.exportName, eventFile, outcomeFile], {
        cwd: fn.codeDir,
        inheritEnv: false,
        stdout: 'log',
        timeoutMs,
        env: {
          PATH: process.env.PATH,
          NODE_PATH: environment.nodePath.join(path.delimiter),
          TZ: ':UTC',
          LAMBDA_TASK_ROOT: fn.codeDir,
          AWS_EXECUTION_ENV: 'sdlf-mesh-pipeline-run',
          AWS_LAMBDA_FUNCTION_NAME: fn.name,
          AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
          AWS_REGION: environment.region,
          AWS_DEFAULT_REGION: environment.region,
          // The local server checks no signature; the SDK needs credentials to sign with.
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_ENDPOINT_URL_S3: environment.s3Endpoint,
          SDLF_LOCAL_TIMEOUT_MS: String(timeoutMs),
          ...fn.environment,
        },
      });
      logs = `${output.stdout}${output.stderr}`;
    } catch (error) {
      if (!(error instanceof CommandFailedError)) {
        throw error;
      }
      // As Lambda reports a function that ran out of time or whose process exited.
      return {
        error: error instanceof CommandTimedOutError
          ? { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${fn.timeoutSeconds}.00 seconds` }
          : { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: exit status ${error.exitCode}` },
        logs: error.output,
      };
    }
    const { maxRssKb, ...outcome } = JSON.parse(fs.readFileSync(outcomeFile, 'utf8'));
    const maxMemoryUsedMb = Math.ceil(Number(maxRssKb) / 1024);
    if (maxMemoryUsedMb > fn.memoryMb) {
      // Lambda stops a function at its memory size: what ran here would not have ended in AWS.
      return {
        error: {
          errorType: 'Runtime.OutOfMemory',
          errorMessage: `the handler used ${maxMemoryUsedMb} MB, more than the function's ${fn.memoryMb} MB: Lambda would have stopped it (process the object in parts, give the stage more memory, or do this work in a glue stage)`,
        },
        logs,
        maxMemoryUsedMb,
      };
    }
    return { ...outcome, logs, maxMemoryUsedMb };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The `node_modules` folders that hold the AWS SDK for the handlers, as the Lambda runtime holds
 * it: the domain repository's (`projectDir`), else this package's.
 */
export function runtimeNodePath(projectDir: string): string[] {
  const folders = new Set<string>();
  for (const base of [projectDir, __dirname]) {
    try {
      const manifest = require.resolve('@aws-sdk/client-s3/package.json', { paths: [base] });
      folders.add(manifest.slice(0, manifest.lastIndexOf(`${path.sep}@aws-sdk${path.sep}`)));
    } catch {
      // Not there: the next place, or none (a handler that imports the SDK then fails saying so).
    }
  }
  return [...folders];
}
