// The domain model: a domain's settings and environments, the consumers the platform allows, the
// governance policy's fields, and every name and ARN the platform and the domains derive. Every
// other folder builds on it; it loads neither the CDK nor projen (.dependency-cruiser.js), so the
// contract lint and the command line use it as fast as a plain module.
export * from './access-request-policy';
export * from './consumer-allow-list';
export * from './domain-environment';
export * from './governance-policy-props';
export type { DomainSettings } from './domain-settings';
