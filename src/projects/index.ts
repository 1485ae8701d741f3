export { CodeOwners } from './code-owners';
export { DataProductDocs } from './data-product-docs';
export { DomainAppSource } from './domain-app-source';
export { DomainBuildWorkflow } from './domain-build-workflow';
export { DomainDeployWorkflow } from './domain-deploy-workflow';
export { DomainSamples } from './domain-samples';
export { DomainSettings } from './domain-settings';
export { SdlfDomainProject, SdlfDomainProjectOptions } from './sdlf-domain-project';
