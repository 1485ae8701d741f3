import * as semver from 'semver';
import { closest } from './closest';
import { CONSUMER_KINDS, ConsumerResolution, consumerIdentity, resolveConsumer } from './consumer-grants';
import { ContractDocument } from './contract-document';
import { ContractProblem, renderPath } from './contract-problem';

/** The classifications governance knows, weakest first: each maps to an LF-tag value. */
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;

/** The lifecycle states of a contract. */
export const STATUSES = ['proposed', 'draft', 'active', 'deprecated', 'retired'] as const;

const DATA_PRODUCT_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

/** What the semantic rules need to know beyond the contract. */
export interface ContractRuleOptions {
  /** The domain of the repository the contract lives in: the contract's `domain` must match it. */
  readonly domain?: string;

  /**
   * Who may be a consumer and the principals of consumer domains: every consumer must be allowed
   * and resolve to a principal, as at synthesis.
   *
   * @default - consumers are not checked against a policy (e.g. a catalog of other domains)
   */
  readonly consumers?: ConsumerResolution;
}

/**
 * The rules a JSON Schema cannot say: names unique, primary keys consistent, SLA elements that
 * exist, known classifications and states, a semantic version, triggers that fit their stage, the
 * contract in its own domain, and consumers that are one principal each, name columns that exist
 * and (given the platform's rules) are allowed and resolve to a principal.
 * Run on a contract that passed the schema, so the shapes are known.
 */
export function ruleProblems(document: ContractDocument, options: ContractRuleOptions = {}): ContractProblem[] {
  const contract = document.data as any;
  const problems: ContractProblem[] = [];
  const report = (segments: Array<string | number>, message: string, suggestion?: string) =>
    problems.push({ file: document.file, ...document.positionOf(segments), path: renderPath(segments), message, suggestion });

  if (contract.dataProduct === undefined) {
    const name = String(contract.name ?? 'orders').toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^[^a-z]+/, '') || 'orders';
    report([], 'the field "dataProduct" is missing: it names the data product and its resources', `add: dataProduct: ${name}`);
  } else if (!DATA_PRODUCT_NAME.test(String(contract.dataProduct))) {
    report(['dataProduct'], `"${contract.dataProduct}" cannot name a data product: use 1 to 40 lowercase letters, digits, - and _, starting with a letter`);
  }
  if (!semver.valid(String(contract.version))) {
    report(['version'], `"${contract.version}" is not a semantic version (MAJOR.MINOR.PATCH); breaking changes are told by the major version`, 'e.g. 1.0.0');
  }
  if (!(STATUSES as readonly string[]).includes(contract.status)) {
    const suggestion = closest(String(contract.status), STATUSES);
    report(['status'], `"${contract.status}" is not a known status: ${STATUSES.join(', ')}`, suggestion && `did you mean "${suggestion}"?`);
  }
  if (options.domain !== undefined && contract.domain !== options.domain) {
    report(['domain'], `the contract is for domain "${contract.domain ?? ''}" but lives in the repository of domain "${options.domain}"`, `set domain: ${options.domain}`);
  }

  const objects: any[] = Array.isArray(contract.schema) ? contract.schema : [];
  const columnsByObject = new Map<string, Set<string>>();
  checkUnique(objects, ['schema'], 'object', report);
  objects.forEach((object, objectIndex) => {
    const properties: any[] = Array.isArray(object.properties) ? object.properties : [];
    const base = ['schema', objectIndex, 'properties'];
    checkUnique(properties, base, 'column', report);
    columnsByObject.set(object.name, new Set(properties.map((property) => property.name)));

    const keys = properties.map((property, index) => ({ property, index })).filter(({ property }) => property.primaryKey === true);
    const positions = keys.map(({ property }) => property.primaryKeyPosition).filter((position) => position !== undefined && position !== -1);
    if (keys.length > 1 && positions.length !== keys.length) {
      const { index } = keys.find(({ property }) => property.primaryKeyPosition === undefined || property.primaryKeyPosition === -1)!;
      report([...base, index], 'a composite primary key needs primaryKeyPosition on each of its columns', `number them 1 to ${keys.length}`);
    } else if (positions.length > 0 && [...positions].sort((a, b) => a - b).some((position, i) => position !== i + 1)) {
      report([...base, keys[0].index, 'primaryKeyPosition'], `primary key positions ${positions.join(', ')} must be 1 to ${positions.length}, each once`);
    }
    properties.forEach((property, index) => {
      if (property.primaryKey === true && property.required === false) {
        report([...base, index, 'required'], `primary key column "${property.name}" cannot be optional`, 'remove required: false');
      }
      if (property.classification !== undefined && !(CLASSIFICATIONS as readonly string[]).includes(property.classification)) {
        const suggestion = closest(String(property.classification), CLASSIFICATIONS);
        report([...base, index, 'classification'], `"${property.classification}" is not a known classification: ${CLASSIFICATIONS.join(', ')}`, suggestion && `did you mean "${suggestion}"?`);
      }
    });
  });

  // Without a schema there is nothing an SLA element could be checked against.
  const slaProperties = columnsByObject.size > 0 && Array.isArray(contract.slaProperties) ? contract.slaProperties : [];
  slaProperties.forEach((sla: any, index: number) => {
    for (const element of typeof sla.element === 'string' ? sla.element.split(',').map((e: string) => e.trim()) : []) {
      const [object, column] = element.split('.');
      const columns = columnsByObject.get(object);
      if (!columns || (column !== undefined && !columns.has(column))) {
        const candidates = [...columnsByObject].flatMap(([o, cs]) => [o, ...[...cs].map((c) => `${o}.${c}`)]);
        const suggestion = closest(element, candidates);
        report(['slaProperties', index, 'element'], `"${element}" is not an object or object.column of the schema`, suggestion && `did you mean "${suggestion}"?`);
      }
    }
  });

  const pipeline = (contract.customProperties ?? []).findIndex((entry: any) => entry?.property === 'sdlfPipeline');
  const stagesValue = pipeline >= 0 ? contract.customProperties[pipeline].value?.stages : undefined;
  const stages: any[] = Array.isArray(stagesValue) ? stagesValue : [];
  const stagesPath = ['customProperties', pipeline, 'value', 'stages'];
  checkUnique(stages, stagesPath, 'stage', report);
  stages.forEach((stage, index) => {
    if (stage.type === 'lambda' && stage.trigger !== undefined && stage.trigger !== 'event') {
      report([...stagesPath, index, 'trigger'], `a Lambda stage runs for each event; trigger "${stage.trigger}" is for Glue stages`, 'remove trigger, or make it a glue stage');
    }
    if (stage.schedule !== undefined && (stage.type !== 'glue' || stage.trigger === 'event')) {
      report([...stagesPath, index, 'schedule'], 'a schedule starts only a Glue stage whose trigger is schedule or batch', 'remove schedule, or set trigger: batch');
    }
  });

  const consumers = (contract.customProperties ?? []).findIndex((entry: any) => entry?.property === 'sdlfConsumers');
  if (consumers >= 0 && Array.isArray(contract.customProperties[consumers].value)) {
    const elements = [...columnsByObject].flatMap(([object, columns]) => [object, ...[...columns].map((column) => `${object}.${column}`)]);
    contract.customProperties[consumers].value.forEach((consumer: any, index: number) => {
      const base = ['customProperties', consumers, 'value', index];
      if (consumer?.domain !== undefined && consumer.domain === contract.domain) {
        report([...base, 'domain'], `domain "${consumer.domain}" owns the data product; a grant is for another domain`);
      }
      const identity = consumerIdentity(consumer);
      if (!identity) {
        const given = CONSUMER_KINDS.filter((kind) => consumer?.[kind] !== undefined);
        report(base, `a consumer is one domain, account or role; this one gives ${given.join(' and ')}`, 'split it into one consumer each');
      } else if (options.consumers) {
        const resolved = resolveConsumer(identity, options.consumers);
        if ('refusal' in resolved) {
          report([...base, resolved.refusal.field], resolved.refusal.message, resolved.refusal.fix);
        }
      }
      (Array.isArray(consumer?.columns) ? consumer.columns : []).forEach((element: string, elementIndex: number) => {
        if (!elements.includes(element)) {
          const suggestion = closest(element, elements);
          report([...base, 'columns', elementIndex], `"${element}" is not an object or object.column of the schema`, suggestion && `did you mean "${suggestion}"?`);
        }
      });
    });
  }
  return problems;
}

function checkUnique(
  items: any[],
  base: Array<string | number>,
  what: string,
  report: (segments: Array<string | number>, message: string, suggestion?: string) => void,
) {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const name = item?.name;
    if (typeof name !== 'string') {
      return;
    }
    if (seen.has(name)) {
      report([...base, index, 'name'], `${what} "${name}" is declared twice (first at ${renderPath([...base, seen.get(name)!])})`, 'rename or remove one');
    } else {
      seen.set(name, index);
    }
  });
}
