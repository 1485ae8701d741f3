import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { STAGE_NODE_MAJOR } from './stage-runtime';

/** The code file of a stage: `<stagesDir>/<data product>/<stage>.<extension>`. */
export function stageCodeFile(stagesDir: string, dataProduct: string, stage: string, extension: string): string {
  return path.join(stagesDir, dataProduct, `${stage}.${extension}`);
}

/** The nearest npm, yarn or pnpm lockfile at or above `dir`. */
export function findLockFile(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const found = ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml'].map((name) => path.join(current, name)).find((file) => fs.existsSync(file));
    if (found || path.dirname(current) === current) {
      return found;
    }
  }
}

// The bundles of every app, by its root construct; their folders go when the process ends (the
// assets are copied into the cloud assembly).
const BUNDLES = new WeakMap<IConstruct, StageBundles>();
const FOLDERS: string[] = [];

/**
 * The bundled code of the Lambda stage handlers of one app, made with esbuild's JS API the way
 * `NodejsFunction` makes it (minified, for the stage runtime, the AWS SDK left to the runtime),
 * but in one esbuild run for all the handlers the app expects rather than one esbuild process per
 * function, and once per handler however many environments deploy it.
 */
export class StageBundles {
  /** The bundles of the app `scope` belongs to. */
  public static of(scope: IConstruct): StageBundles {
    const root = scope.node.root;
    let bundles = BUNDLES.get(root);
    if (!bundles) {
      bundles = new StageBundles();
      BUNDLES.set(root, bundles);
    }
    return bundles;
  }

  /** The handlers expected, with the lockfile of their project. */
  private readonly expected = new Map<string, string | undefined>();
  private readonly bundled = new Map<string, string>();
  private folder?: string;

  private constructor() {}

  /** Handlers the app will ask for: they are bundled in the same esbuild run as the first one asked for. */
  public expect(entries: string[]): void {
    for (const entry of entries.map((file) => path.resolve(file))) {
      if (fs.existsSync(entry) && !this.expected.has(entry)) {
        this.expected.set(entry, findLockFile(path.dirname(entry)));
      }
    }
  }

  /**
   * The code of the handler at `entry`, bundled with the esbuild of the project at `projectRoot`;
   * `undefined` when that project has no esbuild (`NodejsFunction` then bundles in Docker).
   */
  public code(entry: string, projectRoot: string): lambda.Code | undefined {
    const esbuild = loadEsbuild(projectRoot);
    if (!esbuild) {
      return undefined;
    }
    const key = path.resolve(entry);
    if (!this.bundled.has(key)) {
      const lockFile = this.expected.has(key) ? this.expected.get(key) : findLockFile(path.dirname(key));
      const sameProject = [...this.expected]
        .filter(([file, lock]) => !this.bundled.has(file) && file !== key && lock === lockFile)
        .map(([file]) => file);
      this.build(esbuild, [key, ...sameProject], projectRoot);
    }
    return lambda.Code.fromAsset(this.bundled.get(key)!);
  }

  private build(esbuild: any, entries: string[], projectRoot: string): void {
    if (!this.folder) {
      this.folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-stage-bundles-'));
      FOLDERS.push(this.folder);
    }
    const first = this.bundled.size;
    const outputs = entries.map((entry, index) => ({ in: entry, out: `${first + index}/index` }));
    esbuild.buildSync({
      entryPoints: outputs,
      outdir: this.folder,
      absWorkingDir: projectRoot,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: `node${STAGE_NODE_MAJOR}`,
      minify: true,
      // The Node.js runtimes of Lambda carry the AWS SDK v3, kept patched by AWS: left to them, a
      // stage skeleton's bundle is about 100 KB (its CSV parser and Parquet writer) instead of
      // about 690 KB with @aws-sdk/client-s3 bundled (see bench/lambda-stage-bundle.ts).
      external: ['@aws-sdk/*'],
      logLevel: 'warning',
    });
    for (const output of outputs) {
      this.bundled.set(output.in, path.join(this.folder, path.dirname(output.out)));
    }
  }
}

process.once('exit', () => FOLDERS.forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));

/** The esbuild module installed in the project, if any. */
function loadEsbuild(projectRoot: string): any {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve('esbuild', { paths: [projectRoot] }));
  } catch {
    return undefined;
  }
}
