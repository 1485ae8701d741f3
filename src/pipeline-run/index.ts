// The local pipeline run (`sdlf-mesh pipeline run`): internal, not jsii API. It loads
// aws-local-stepfunctions and DuckDB only when it runs.
export * from './cloud-assembly';
export * from './local-object-store';
export * from './local-s3-server';
export { runtimeNodePath } from './lambda-invocation';
export { MissingPackageError } from '../util/optional-package';
export * from './pipeline-data-test';
export * from './quality-check';
export * from './run-pipeline';
export * from './run-report';
