import { COLUMN_GLUE_TYPE } from './column-glue-type';
import { COLUMN_NAME_REQUIRED } from './column-name-required';
import { CONSUMER_ALLOWED } from './consumer-allowed';
import { CONSUMER_COLUMNS_EXIST } from './consumer-columns-exist';
import { CONSUMER_NOT_OWNER } from './consumer-not-owner';
import { CONSUMER_ONE_PRINCIPAL } from './consumer-one-principal';
import { CONTRACT_DOMAIN } from './contract-domain';
import { ContractRule, ContractRuleOptions, FieldPath, RepositoryContract, RepositoryRule, ReportProblem, SdlfRule } from './contract-rule';
import { DATA_PRODUCT_DEPRECATED } from './data-product-deprecated';
import { INPUT_ACTIVE } from './input-active';
import { INPUT_DATA_REGISTERED } from './input-data-registered';
import { INPUT_GRANTED } from './input-granted';
import { INPUT_KNOWN } from './input-known';
import { INPUT_NOT_SELF } from './input-not-self';
import { INPUT_RETIRED } from './input-retired';
import { INPUT_TRIGGER_DECLARED } from './input-trigger-declared';
import { INPUT_TRIGGER_STAGE } from './input-trigger-stage';
import { INPUTS_CHECKED } from './inputs-checked';
import { KNOWN_CLASSIFICATION } from './known-classification';
import { KNOWN_SDLF_EXTENSION } from './known-sdlf-extension';
import { LAMBDA_STAGE_TABLES } from './lambda-stage-tables';
import { LAMBDA_STAGE_TRIGGER } from './lambda-stage-trigger';
import { LIFECYCLE_STATUS } from './lifecycle-status';
import { NAME_FORMAT } from './name-format';
import { NAME_MATCHES_FILE } from './name-matches-file';
import { NAME_REQUIRED } from './name-required';
import { PRIMARY_KEY_POSITIONS } from './primary-key-positions';
import { PRIMARY_KEY_REQUIRED } from './primary-key-required';
import { QUALITY_ENFORCED } from './quality-enforced';
import { SEMANTIC_VERSION } from './semantic-version';
import { SLA_DEFAULT_ELEMENT_DEPRECATED } from './sla-default-element-deprecated';
import { SLA_ELEMENTS_EXIST } from './sla-elements-exist';
import { STAGE_SCHEDULE } from './stage-schedule';
import { UNIQUE_COLUMN_NAMES } from './unique-column-names';
import { UNIQUE_CONTRACT_ID } from './unique-contract-id';
import { UNIQUE_DATA_PRODUCT } from './unique-data-product';
import { UNIQUE_INPUTS } from './unique-inputs';
import { UNIQUE_OBJECT_NAMES } from './unique-object-names';
import { UNIQUE_STAGE_NAMES } from './unique-stage-names';
import type { ContractDocument } from '../contract-document';
import { ContractProblem, renderPath } from '../contract-problem';
import type { ContractDocumentData } from '../odcs-definitions';

export * from './contract-rule';
export { accessRequestCommand } from './input-granted';

/**
 * The SDLF rules, beyond what the contract schema (the standard and the SDLF extensions) says, in
 * the order `contract lint` runs them; the README's table of rules lists the same, in this order.
 * Problems are reported in file order, and two at one place in this order.
 */
export const SDLF_RULES: readonly SdlfRule[] = [
  DATA_PRODUCT_DEPRECATED,
  NAME_REQUIRED,
  NAME_FORMAT,
  NAME_MATCHES_FILE,
  SEMANTIC_VERSION,
  LIFECYCLE_STATUS,
  CONTRACT_DOMAIN,
  SLA_DEFAULT_ELEMENT_DEPRECATED,
  UNIQUE_OBJECT_NAMES,
  UNIQUE_COLUMN_NAMES,
  QUALITY_ENFORCED,
  PRIMARY_KEY_POSITIONS,
  COLUMN_NAME_REQUIRED,
  PRIMARY_KEY_REQUIRED,
  KNOWN_CLASSIFICATION,
  COLUMN_GLUE_TYPE,
  SLA_ELEMENTS_EXIST,
  KNOWN_SDLF_EXTENSION,
  UNIQUE_STAGE_NAMES,
  LAMBDA_STAGE_TRIGGER,
  LAMBDA_STAGE_TABLES,
  STAGE_SCHEDULE,
  CONSUMER_NOT_OWNER,
  CONSUMER_ONE_PRINCIPAL,
  CONSUMER_ALLOWED,
  CONSUMER_COLUMNS_EXIST,
  INPUT_NOT_SELF,
  UNIQUE_INPUTS,
  INPUTS_CHECKED,
  INPUT_KNOWN,
  INPUT_RETIRED,
  INPUT_ACTIVE,
  INPUT_GRANTED,
  INPUT_DATA_REGISTERED,
  INPUT_TRIGGER_DECLARED,
  INPUT_TRIGGER_STAGE,
  UNIQUE_DATA_PRODUCT,
  UNIQUE_CONTRACT_ID,
];

/** A problem a rule found, located in the document and named after the rule. */
function problemOf(document: ContractDocument, rule: SdlfRule, field: FieldPath, message: string, suggestion?: string): ContractProblem {
  const severity = rule.severity === 'error' ? {} : { severity: rule.severity };
  return { file: document.file, ...document.positionOf(field), path: renderPath(field), message, suggestion, ...severity, rule: rule.id };
}

/**
 * The problems the rules of one contract find in a contract that passed the schema (the rules
 * assume the shapes it guarantees), rule by rule.
 */
export function ruleProblems(document: ContractDocument, options: ContractRuleOptions = {}): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const contract = document.data as ContractDocumentData;
  const namedFile = options.checkFileName === false ? undefined : document.file;
  for (const rule of SDLF_RULES.filter((candidate): candidate is ContractRule => candidate.scope === 'contract')) {
    const report: ReportProblem = (field, message, suggestion) => problems.push(problemOf(document, rule, field, message, suggestion));
    rule.check({ contract, namedFile, options, report });
  }
  return problems;
}

/** The problems the repository's rules find in a valid contract, given the valid contracts before it. */
export function repositoryProblems(
  document: ContractDocument,
  current: RepositoryContract,
  earlier: readonly RepositoryContract[],
): ContractProblem[] {
  const problems: ContractProblem[] = [];
  for (const rule of SDLF_RULES.filter((candidate): candidate is RepositoryRule => candidate.scope === 'repository')) {
    const report: ReportProblem = (field, message, suggestion) => problems.push(problemOf(document, rule, field, message, suggestion));
    rule.check({ current, earlier, report });
  }
  return problems;
}
