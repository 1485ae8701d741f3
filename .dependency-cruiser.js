// The folders of src/ are layers: a folder imports only from the folders of the layers below it, so
// the tree reads bottom-up (util, then the domain model, ... then the command line) and a lower
// layer never loads a higher one. `npx projen layers` draws the graph; the tests fail on a breach.

/** From the bottom up; the folders of one layer do not import each other. */
const LAYERS = [
  ['util'],
  ['domain'],
  ['contract'],
  ['platform'],
  ['constructs', 'projects'],
  ['github'],
  ['fleet', 'scaffold', 'catalog', 'pipeline-run'],
  ['cli'],
];

const folder = (name) => `^src/${name}/`;

/** One rule a layer: it may not import the folders of its own layer (but itself) or of any layer above. */
const upwardImports = LAYERS.flatMap((layer, index) =>
  layer.map((name) => ({
    name: `no-import-above-${name}`,
    comment: `src/${name}/ is in layer ${index + 1} of ${LAYERS.length}; it imports only from ${LAYERS.slice(0, index).flat().join(', ') || 'no other folder'}`,
    severity: 'error',
    from: { path: folder(name) },
    to: { path: `^src/(${[...layer.filter((other) => other !== name), ...LAYERS.slice(index + 1).flat()].join('|')})/` },
  })),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upwardImports,
    {
      name: 'cdk-only-in-constructs',
      comment: 'the contract lint, the project types and the command line run without loading the CDK',
      severity: 'error',
      from: { path: '^src/', pathNot: folder('constructs') },
      to: { path: '^node_modules/(aws-cdk-lib|constructs)/' },
    },
    {
      name: 'projen-only-in-projects',
      comment: 'projen is a peer of the project types only; the constructs and the command line run without it',
      severity: 'error',
      from: { path: '^src/', pathNot: folder('projects') },
      to: { path: '^node_modules/projen/' },
    },
    {
      name: 'commands-load-when-run',
      comment: "the command table loads a command's code only when it runs (a dynamic import): --help and contract lint, which every build of a domain runs, start without the fleet's, the catalog's or projen's modules",
      severity: 'error',
      from: { path: '^src/cli/(main|commands)\\.ts$' },
      to: { path: '^src/(cli/[^/]+-command|fleet|catalog|scaffold|projects|constructs)', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // A linked node_modules (a worktree's, a test's) resolves to node_modules/, where the rules look.
    preserveSymlinks: true,
    // Type-only imports count: a type from a higher layer ties the layers as much as a value does.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.lambda\\.ts$' },
  },
};
