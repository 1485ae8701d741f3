export * from './data-contract';
export * from './data-product';
export * from './domain-app';
export * from './domain-environment';
export * from './domain-stack';
export * from './domain-stage';
export * from './domain-storage';
export * from './governance-tags';
