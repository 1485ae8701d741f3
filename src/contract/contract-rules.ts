import * as path from 'path';
import * as semver from 'semver';
import { closest } from './closest';
import { CONSUMER_KINDS, ConsumerResolution, consumerIdentity, resolveConsumer } from './consumer-grants';
import { CLASSIFICATIONS, schemaElements, STATUSES } from './contract';
import { ContractDocument } from './contract-document';
import { ContractProblem, renderPath } from './contract-problem';
import { dqdlRule } from './contract-rendering';
import { columnTypeProblem } from './glue-types';
import { ContractDocumentData, QualityRule, SchemaProperty } from './odcs-definitions';
import { SDLF_EXTENSIONS, sdlfExtension } from './sdlf-extensions';

export { CLASSIFICATIONS, STATUSES } from './contract';

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

  /**
   * Whether the file must be named after its data product (`<name>.yaml`), as in a repository,
   * where the docs page, stacks and database are named after it. Off for a file compared with
   * another outside any repository: its name says nothing there.
   *
   * @default true
   */
  readonly checkFileName?: boolean;
}

type Report = (segments: Array<string | number>, message: string, suggestion?: string) => void;

/**
 * The rules a JSON Schema cannot say (the SDLF rules, each documented in the README's contract
 * section): a data product named by `name` after its file, names unique, primary keys
 * consistent, Glue column types, SLA elements that exist, the statuses of the lifecycle, a
 * semantic version, triggers that fit their stage, the contract in its own domain, and consumers
 * that are one principal each, name columns that exist and (given the platform's rules) are
 * allowed and resolve to a principal. Warnings: deprecated fields, quality rules nothing enforces.
 * Run on a contract that passed the schema, so the shapes are known.
 */
export function ruleProblems(document: ContractDocument, options: ContractRuleOptions = {}): ContractProblem[] {
  const contract = document.data as ContractDocumentData;
  const problems: ContractProblem[] = [];
  const report: Report = (segments, message, suggestion) =>
    problems.push({ file: document.file, ...document.positionOf(segments), path: renderPath(segments), message, suggestion });
  const warn: Report = (segments, message, suggestion) =>
    problems.push({ file: document.file, ...document.positionOf(segments), path: renderPath(segments), message, suggestion, severity: 'warning' });

  dataProductProblems(contract, options.checkFileName === false ? undefined : document.file, report, warn);
  if (!semver.valid(contract.version)) {
    report(['version'], `"${contract.version}" is not a semantic version (MAJOR.MINOR.PATCH); breaking changes are told by the major version`, 'e.g. 1.0.0');
  }
  if (!(STATUSES as readonly string[]).includes(contract.status)) {
    const suggestion = closest(contract.status, STATUSES);
    report(['status'], `"${contract.status}" is not a status of the lifecycle: ${STATUSES.join(', ')}`, suggestion ? `did you mean "${suggestion}"?` : 'e.g. draft while it is written, active once it is served');
  }
  if (options.domain !== undefined && contract.domain !== options.domain) {
    report(['domain'], `the contract is for domain "${contract.domain ?? ''}" but lives in the repository of domain "${options.domain}"`, `set domain: ${options.domain}`);
  }
  if (contract.slaDefaultElement !== undefined) {
    warn(['slaDefaultElement'], 'slaDefaultElement is deprecated since ODCS v3.1.0', 'give each slaProperties entry its element');
  }

  const objects = contract.schema ?? [];
  const columnsByObject = new Map<string, Set<string>>();
  checkUnique(objects, ['schema'], 'object', report);
  objects.forEach((object, objectIndex) => {
    const properties = object.properties ?? [];
    const base = ['schema', objectIndex, 'properties'];
    checkUnique(properties, base, 'column', report);
    columnsByObject.set(object.name, new Set(properties.flatMap((property) => property.name ?? [])));
    qualityWarnings(object.quality ?? [], ['schema', objectIndex, 'quality'], undefined, warn);

    const keys = properties.map((property, index) => ({ property, index })).filter(({ property }) => property.primaryKey === true);
    const positioned = (property: SchemaProperty) => property.primaryKeyPosition !== undefined && property.primaryKeyPosition !== -1;
    const positions = keys.flatMap(({ property }) => (positioned(property) ? [property.primaryKeyPosition!] : []));
    if (keys.length > 1 && positions.length !== keys.length) {
      const { index } = keys.find(({ property }) => !positioned(property))!;
      report([...base, index], 'a composite primary key needs primaryKeyPosition on each of its columns', `number them 1 to ${keys.length}`);
    } else if (positions.length > 0 && [...positions].sort((a, b) => a - b).some((position, i) => position !== i + 1)) {
      report([...base, keys[0].index, 'primaryKeyPosition'], `primary key positions ${positions.join(', ')} must be 1 to ${positions.length}, each once`);
    }
    properties.forEach((property, index) => {
      if (property.name === undefined) {
        report([...base, index], 'a column needs a name: it names the Glue column', 'add name: <column>');
      }
      if (property.primaryKey === true && property.required === false) {
        report([...base, index, 'required'], `primary key column "${property.name}" cannot be optional`, 'remove required: false');
      }
      if (property.classification !== undefined && !(CLASSIFICATIONS as readonly string[]).includes(property.classification)) {
        const suggestion = closest(property.classification, CLASSIFICATIONS);
        report([...base, index, 'classification'], `"${property.classification}" is not a known classification: ${CLASSIFICATIONS.join(', ')}`, suggestion && `did you mean "${suggestion}"?`);
      }
      const typeProblem = columnTypeProblem(property.physicalType, property.logicalType);
      if (typeProblem) {
        report([...base, index, typeProblem.field], typeProblem.message, typeProblem.suggestion);
      }
      qualityWarnings(property.quality ?? [], [...base, index, 'quality'], property.name, warn);
    });
  });

  // Without a schema there is nothing an SLA element could be checked against.
  const slaProperties = columnsByObject.size > 0 ? contract.slaProperties ?? [] : [];
  slaProperties.forEach((sla, index) => {
    for (const element of sla.element?.split(',').map((e) => e.trim()) ?? []) {
      const [object, column] = element.split('.');
      const columns = columnsByObject.get(object);
      if (!columns || (column !== undefined && !columns.has(column))) {
        const suggestion = closest(element, schemaElements(objects));
        report(['slaProperties', index, 'element'], `"${element}" is not an object or object.column of the schema`, suggestion && `did you mean "${suggestion}"?`);
      }
    }
  });

  (contract.customProperties ?? []).forEach((entry, index) => {
    const name = entry.property;
    if (name?.startsWith('sdlf') && !(SDLF_EXTENSIONS as readonly string[]).includes(name)) {
      const suggestion = closest(name, SDLF_EXTENSIONS);
      report(['customProperties', index, 'property'], `unknown SDLF extension "${name}"; known: ${SDLF_EXTENSIONS.join(', ')}`, suggestion && `did you mean "${suggestion}"?`);
    }
  });

  const pipeline = sdlfExtension(contract, 'sdlfPipeline');
  if (pipeline) {
    const stagesPath = ['customProperties', pipeline.index, 'value', 'stages'];
    checkUnique(pipeline.value.stages, stagesPath, 'stage', report);
    pipeline.value.stages.forEach((stage, index) => {
      if (stage.type === 'lambda' && stage.trigger !== undefined && stage.trigger !== 'event') {
        report([...stagesPath, index, 'trigger'], `a Lambda stage runs for each event; trigger "${stage.trigger}" is for Glue stages`, 'remove trigger, or make it a glue stage');
      }
      if (stage.schedule !== undefined && (stage.type !== 'glue' || stage.trigger === 'event')) {
        report([...stagesPath, index, 'schedule'], 'a schedule starts only a Glue stage whose trigger is schedule or batch', 'remove schedule, or set trigger: batch');
      }
    });
  }

  const consumers = sdlfExtension(contract, 'sdlfConsumers');
  if (consumers) {
    const elements = schemaElements(objects);
    consumers.value.forEach((consumer, index) => {
      const base = ['customProperties', consumers.index, 'value', index];
      if (consumer.domain !== undefined && consumer.domain === contract.domain) {
        report([...base, 'domain'], `domain "${consumer.domain}" owns the data product; a grant is for another domain`);
      }
      const identity = consumerIdentity(consumer);
      if (!identity) {
        const given = CONSUMER_KINDS.filter((kind) => consumer[kind] !== undefined);
        report(base, `a consumer is one domain, account or role; this one gives ${given.join(' and ')}`, 'split it into one consumer each');
      } else if (options.consumers) {
        const resolved = resolveConsumer(identity, options.consumers);
        if ('refusal' in resolved) {
          report([...base, resolved.refusal.field], resolved.refusal.message, resolved.refusal.fix);
        }
      }
      (consumer.columns ?? []).forEach((element, elementIndex) => {
        if (!elements.includes(element)) {
          const suggestion = closest(element, elements);
          report([...base, 'columns', elementIndex], `"${element}" is not an object or object.column of the schema`, suggestion && `did you mean "${suggestion}"?`);
        }
      });
    });
  }
  return problems;
}

/**
 * ODCS v3.1 names the data product by the contract's `name` (`dataProduct` is deprecated, and
 * read only when there is no `name`), and a domain repository keeps it in
 * `dataproducts/<name>.yaml` (or `<name>.odcs.yaml`): the docs page and the stacks are named after
 * it, so, given the `file`, the file name must agree.
 */
function dataProductProblems(contract: ContractDocumentData, file: string | undefined, report: Report, warn: Report) {
  const fileName = file === undefined ? undefined : path.basename(file).replace(/(\.odcs)?\.ya?ml$/, '');
  if (contract.dataProduct !== undefined) {
    warn(
      ['dataProduct'],
      contract.name === undefined
        ? 'dataProduct is deprecated since ODCS v3.1.0: the contract\'s name names the data product'
        : `dataProduct is deprecated since ODCS v3.1.0 and not read: name ("${contract.name}") names the data product`,
      contract.name === undefined ? `replace it with name: ${contract.dataProduct}` : 'remove dataProduct',
    );
  }
  const field = contract.name !== undefined ? 'name' : 'dataProduct';
  const name = contract.name ?? contract.dataProduct;
  if (name === undefined) {
    const suggested = fileName !== undefined && DATA_PRODUCT_NAME.test(fileName) ? fileName : 'orders';
    report([], 'the field "name" is missing: it names the data product and its resources', `add: name: ${suggested}`);
  } else if (!DATA_PRODUCT_NAME.test(name)) {
    report([field], `"${name}" cannot name a data product: use 1 to 40 lowercase letters, digits, - and _, starting with a letter`, `e.g. ${name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^[^a-z]+/, '').slice(0, 40) || 'orders'}`);
  } else if (file !== undefined && fileName !== name) {
    report([field], `the data product "${name}" is in the file ${path.basename(file)}: its docs page, stacks and database are named after the data product`, `rename the file to ${name}.yaml, or set ${field}: ${fileName}`);
  }
}

/** A warning for each quality rule that Glue Data Quality does not enforce. */
function qualityWarnings(rules: readonly QualityRule[], base: Array<string | number>, column: string | undefined, warn: Report) {
  rules.forEach((rule, index) => {
    const form = dqdlRule(rule, column);
    if ('unenforced' in form) {
      warn([...base, index], `this quality rule is documented but not enforced: ${form.unenforced}`, 'enforce it in the pipeline, or keep it as documentation');
    }
  });
}

function checkUnique(items: ReadonlyArray<{ readonly name?: string }>, base: Array<string | number>, what: string, report: Report) {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const name = item.name;
    if (name === undefined) {
      return;
    }
    if (seen.has(name)) {
      report([...base, index, 'name'], `${what} "${name}" is declared twice (first at ${renderPath([...base, seen.get(name)!])})`, 'rename or remove one');
    } else {
      seen.set(name, index);
    }
  });
}
