import { createHash } from 'crypto';
import { SENSITIVE_CLASSIFICATION } from '../contract/consumer-grants';
import { CLASSIFICATIONS } from '../contract/contract';
import { glueName } from '../contract/glue-names';
import { ConsumerAllowList } from '../domain/consumer-allow-list';
import { principalAccount } from '../domain/consumer-principals';
import { analystsRoleName, domainResourcePrefix, domainStackPrefix } from '../domain/names';
import { PUBLICATION_DETAIL_TYPE, publicationSource } from '../domain/publication-events';
import { renderBlueprint } from '../util/blueprint';

/**
 * The taggable resource types a domain's stacks deploy: the Guard rules require tags on each (a
 * resource of another type that has tags must carry the governance tags too). The constructs'
 * tests check that the list covers every taggable type a generated domain synthesizes.
 */
export const DOMAIN_TAGGABLE_TYPES = [
  'AWS::Athena::WorkGroup',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::DynamoDB::Table',
  'AWS::Events::Rule',
  'AWS::Glue::Crawler',
  'AWS::Glue::DataQualityRuleset',
  'AWS::Glue::Job',
  'AWS::IAM::Role',
  'AWS::KMS::Key',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Function',
  'AWS::Logs::LogGroup',
  'AWS::S3::Bucket',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::SSM::Parameter',
  'AWS::StepFunctions::StateMachine',
];

/** What the Guard rules of one domain environment are rendered with: the platform's values. */
export interface DomainStackRulesValues {
  /** The domain, as registered. */
  readonly domain: string;
  /** The environment, e.g. `dev`. */
  readonly environment: string;
  /** The account the domain environment deploys to. */
  readonly account: string;
  /** The consumers the governance policy allows: their principals may be granted. */
  readonly allowedConsumers?: ConsumerAllowList;
  /** The tag keys every taggable resource carries. */
  readonly requiredTags: string[];
  /** The platform's classification LF-tag. */
  readonly classificationTagKey: string;
  /**
   * The accounts the domain may route its data products' publications to (see
   * {@link publicationAccounts}).
   */
  readonly publicationAccounts?: readonly string[];
}

/**
 * The accounts of the mesh in one environment, as the platform knows them: where its domains are
 * registered, and the accounts of the principals it allows as consumers. A domain's data products'
 * publications may go to their default event buses (each consumer account the contract grants),
 * and those buses accept publications from them (see `MeshEventsPolicy`); no other account is
 * reached.
 *
 * @param registered the accounts of the registered domain environments of this environment
 */
export function publicationAccounts(registered: readonly string[], allowed: ConsumerAllowList | undefined): string[] {
  return [...new Set([...registered, ...allowedPrincipals(allowed).map(principalAccount)])].filter((account) => /^\d{12}$/.test(account)).sort();
}

/**
 * The Lake Formation principals a domain's stacks may grant to, as the platform knows them: the
 * accounts and roles the governance policy allows, and the principals it registered for the
 * consumer domains it allows (all of them when it names no domains). A principal a domain
 * repository names for a consumer domain (`consumerPrincipals`) is the domain's word, not the
 * platform's, so it is not among them.
 */
export function allowedPrincipals(allowed: ConsumerAllowList | undefined): string[] {
  const domains = allowed?.domains;
  const registered = Object.entries(allowed?.domainPrincipals ?? {})
    .filter(([domain]) => domains === undefined || domains.includes(domain))
    .map(([, principal]) => principal);
  return [...new Set([...(allowed?.accounts ?? []), ...(allowed?.roles ?? []), ...registered])].sort();
}

/**
 * The CloudFormation Guard rules the platform's hook evaluates the stacks of one domain
 * environment with (`blueprints/sdlf-platform/guard/domain-stack.guard.hbs`), with the platform's
 * values: the allowed principals, the domain's role names, the governance tags and the
 * classification LF-tag. The README's "Trust model" lists the rules.
 */
export function renderDomainStackRules(values: DomainStackRulesValues): string {
  const ownRolePrefix = domainStackPrefix(values.domain, values.environment);
  const classifications = [...CLASSIFICATIONS];
  return renderBlueprint('sdlf-platform/guard/domain-stack.guard.hbs', {
    domain: values.domain,
    environment: values.environment,
    account: values.account,
    allowedPrincipals: allowedPrincipals(values.allowedConsumers),
    ownRolePrefix,
    // The domain's roles are named by CloudFormation after their stack (`<domain>-<environment>-*`),
    // the only names its execution role may create roles under. Domain and environment names are
    // lowercase letters, digits and hyphens: nothing to escape but the slash.
    ownRoleRegex: `/^arn:aws[a-z-]*:iam::${values.account}:role\\/${ownRolePrefix}/`,
    // The platform's role for the domain's people, which the domain's stacks grant its inputs to.
    analystsRoleRegex: `/^arn:aws[a-z-]*:iam::${values.account}:role\\/${analystsRoleName(values.domain, values.environment)}$/`,
    // The domain's Glue names (databases, resource links): lowercase letters, digits and underscores.
    ownDatabasePrefix: `${glueName(`${values.domain}_${values.environment}`)}_`,
    ownDatabaseRegex: `/^${glueName(`${values.domain}_${values.environment}`)}_/`,
    requiredTags: values.requiredTags,
    classificationTagKey: values.classificationTagKey,
    sensitiveValue: SENSITIVE_CLASSIFICATION,
    // Each classification may become only as strict or stricter.
    stricterThan: classifications.map((value, index) => ({ value, allowed: classifications.slice(index) })),
    taggableTypes: DOMAIN_TAGGABLE_TYPES,
    publicationSource: publicationSource(values.domain),
    publicationDetailType: PUBLICATION_DETAIL_TYPE,
    // Default buses of the mesh's accounts, in any region; none when the domain routes nowhere.
    publicationBusRegex: `/^arn:aws[a-z-]*:events:[a-z0-9-]+:(${(values.publicationAccounts ?? []).join('|') || 'none'}):event-bus\\/default$/`,
    ownStateMachinePrefix: `${domainResourcePrefix(values.domain, values.environment)}-`,
    ownStateMachineRegex: `/^arn:aws[a-z-]*:states:[a-z0-9-]+:${values.account}:stateMachine:${domainResourcePrefix(values.domain, values.environment)}-/`,
    // The domain's functions are named by CloudFormation after their stack, as its roles are.
    ownFunctionRegex: `/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:${values.account}:function:${ownRolePrefix}/`,
  });
}

/**
 * The type alias of the hook of a domain environment: unique in the account and region, letters
 * and digits only (`Name1::Name2::Name3`), so a hash of the names keeps `a-b`/`c` and `a`/`b-c` apart.
 */
export function domainHookAlias(domain: string, environment: string): string {
  const pascal = (name: string) => name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
  const hash = createHash('sha256').update(`${domain}/${environment}`).digest('hex').slice(0, 8);
  return `Sdlf::Domain::${pascal(domain)}${pascal(environment)}${hash}`;
}
