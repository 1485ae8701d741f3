export * from './fleet-host';
export * from './fleet-status';
export * from './local-fleet-host';
export * from './sample-changes';
export * from './template-version';
export * from './upgrade-fleet';
export * from './upgrade-repository';
export * from './upgrade-request-body';
