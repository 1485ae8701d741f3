// The mesh catalog is internal (not jsii API): only the CLI uses it.
export * from './build-catalog';
export * from './catalog-model';
export * from './catalog-source';
export * from './collect-catalog';
export * from './contract-content';
export * from './athena-query';
export * from './local-sources';
export * from './map-limited';
export * from './mesh-graph';
export * from './registered-repositories';
export * from './render-site';
export * from './serve-site';
export * from './source-identity';
export * from './write-site';
export * from './lineage';
export * from './lineage-graph';
