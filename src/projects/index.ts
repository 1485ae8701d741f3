export { CodeOwners } from './code-owners';
export { DataProductDocs } from './data-product-docs';
export { DomainAppSource } from './domain-app-source';
export { DomainBuildWorkflow } from './domain-build-workflow';
export { DomainDeployWorkflow } from './domain-deploy-workflow';
export { DomainSamples } from './domain-samples';
export type { DomainSettings } from './domain-settings';
export { SdlfDomainProject } from './sdlf-domain-project';
export type { SdlfDomainProjectOptions } from './sdlf-domain-project';
