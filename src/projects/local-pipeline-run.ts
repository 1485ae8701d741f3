import { Component, javascript } from 'projen';

/** The task that runs a data product's pipeline on a file, on this machine. */
export const PIPELINE_RUN_TASK = 'pipeline:run';

/**
 * What `sdlf-mesh pipeline run` loads when it runs: the interpreter of the synthesized state
 * machines, and DuckDB, which writes and reads the tables' Parquet. Neither is a dependency of
 * sdlf-mesh (DuckDB is native, built per platform), so the repository has them; the toolchain
 * pins them to the versions the template was tested with.
 */
const PIPELINE_RUN_PACKAGES = ['aws-local-stepfunctions', '@duckdb/node-api'];

/**
 * The local pipeline run of a domain repository: `npx projen pipeline:run <data product> <file>`
 * synthesizes the app and runs the data product's pipeline on the file, offline (see
 * `sdlf-mesh pipeline run --help`). What the run writes is kept under `.sdlf/pipeline-run/`, which
 * git ignores.
 */
export class LocalPipelineRun extends Component {
  constructor(project: javascript.NodeProject) {
    super(project);
    project.addDevDeps(...PIPELINE_RUN_PACKAGES);
    project.addTask(PIPELINE_RUN_TASK, {
      description: 'Run a data product\'s pipeline on a file, on this machine: npx projen pipeline:run <data product> <file> (synthesizes first)',
      exec: 'sdlf-mesh pipeline run',
      receiveArgs: true,
    });
    // Only the run's output: the rest of .sdlf/ (the contract schema, the mesh index) is committed.
    project.gitignore.exclude('/.sdlf/pipeline-run/');
  }
}
