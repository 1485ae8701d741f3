// The contract module is internal (not jsii API): the constructs and the CLI use it.
export * from './contract-diff';
export * from './contract-problem';
export * from './contract-test-report';
export * from './diff-contract-files';
export * from './lint-contract';
export * from './test-contract-data';
