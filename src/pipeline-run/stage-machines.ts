import { AssemblyStack, CloudAssembly, TemplateResource } from './cloud-assembly';
import { ResourceReference, TemplateValues } from './template-values';
import { InvalidOptionError } from '../util/invalid-option-error';

/** The tag every resource of a data product carries (see the governance tags). */
const DATA_PRODUCT_TAG = 'sdlf:data-product';
const ENVIRONMENT_TAG = 'sdlf:environment';
const DOMAIN_TAG = 'sdlf:domain';

/** A state of an Amazon States Language definition, as far as the local run reads it. */
export interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: any;
  readonly Branches?: AslDefinition[];
  readonly ItemProcessor?: AslDefinition;
  readonly Iterator?: AslDefinition;
  readonly [field: string]: unknown;
}

/** An Amazon States Language definition. */
export interface AslDefinition {
  readonly StartAt: string;
  readonly States: { readonly [name: string]: AslState };
  readonly [field: string]: unknown;
}

/** The state machine of one stage of a data product's pipeline, as synthesized. */
export interface StageMachine {
  readonly logicalId: string;
  /** The state machine's name, e.g. `sdlf-sales-dev-orders-light-transform`. */
  readonly name: string;
  readonly arn: string;
  /** The definition, resolved into Amazon States Language. */
  readonly definition: AslDefinition;
  /** The resources each Task state refers to (its function, job, table...), by state name. */
  readonly taskResources: { readonly [state: string]: ResourceReference[] };
  /** What does the stage's work: its Lambda function or Glue job. */
  readonly work: ResourceReference;
  /** Where the stage's input lands: the function's `SDLF_INPUT_PREFIX`, the job's `--SOURCE`. */
  readonly input: { readonly bucket?: string; readonly prefix: string };
  /** Started by its schedule alone, with no objects (the stage finds its input). */
  readonly scheduled: boolean;
}

/** The data product's stack of an environment, and what the local run needs of it. */
export interface DataProductStack {
  readonly stack: AssemblyStack;
  readonly values: TemplateValues;
  readonly domain: string;
  readonly environment: string;
  /** The stages' state machines, in the order of the template. */
  readonly machines: StageMachine[];
}

/**
 * The stack of `dataProduct` in `environment` (by default the first environment of the assembly
 * that has it): the stack whose resources carry the `sdlf:data-product` tag with its name.
 */
export function findDataProductStack(assembly: CloudAssembly, dataProduct: string, environment?: string): DataProductStack {
  const products = new Map<AssemblyStack, string[]>();
  for (const stack of assembly.stacks) {
    products.set(stack, [...new Set(Object.values(stack.template.Resources ?? {}).flatMap((resource) => tagValues(resource, DATA_PRODUCT_TAG)))]);
  }
  const environments = [...new Set(assembly.stacks.map((stack) => stack.tags[ENVIRONMENT_TAG]).filter(Boolean))];
  if (environment !== undefined && !environments.includes(environment)) {
    throw new InvalidOptionError('--environment', `the app has no environment "${environment}"; its environments are ${environments.join(', ') || '(none)'}`);
  }
  const candidates = assembly.stacks.filter(
    (stack) => products.get(stack)!.includes(dataProduct) && (environment === undefined || stack.tags[ENVIRONMENT_TAG] === environment),
  );
  const stack = candidates[0];
  if (!stack) {
    const known = [...new Set([...products.values()].flat())].sort();
    throw new InvalidOptionError('data product', `the app has no data product "${dataProduct}"${environment ? ` in environment ${environment}` : ''}; its data products are ${known.join(', ') || '(none: is the contract active and valid?)'}`);
  }
  const values = new TemplateValues(assembly, stack);
  const machines = Object.entries(stack.template.Resources ?? {})
    .filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine')
    .map(([logicalId, resource]) => stageMachine(values, logicalId, resource));
  if (machines.length === 0) {
    throw new InvalidOptionError('data product', `"${dataProduct}" has no pipeline in ${stack.displayName}: its contract names no stages (customProperties.sdlfPipeline), or the app was synthesized without the stage code (stagesDir)`);
  }
  return { stack, values, domain: stack.tags[DOMAIN_TAG], environment: stack.tags[ENVIRONMENT_TAG], machines };
}

function stageMachine(values: TemplateValues, logicalId: string, resource: TemplateResource): StageMachine {
  const properties = resource.Properties ?? {};
  const marked = JSON.parse(values.resolveMarked(properties.DefinitionString ?? JSON.stringify(properties.Definition)));
  const taskResources: Record<string, ResourceReference[]> = {};
  const visit = (definition: AslDefinition) => {
    for (const [name, state] of Object.entries(definition.States)) {
      if (state.Type === 'Task') {
        taskResources[values.unmark(name)] = values.referencesIn({ Resource: state.Resource, Parameters: state.Parameters });
      }
      state.Branches?.forEach(visit);
      for (const inner of [state.ItemProcessor, state.Iterator]) {
        if (inner) visit(inner);
      }
    }
  };
  visit(marked);
  const name = values.physicalName(values.stack, logicalId);
  const arn = values.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] });
  const work = Object.values(taskResources).flat().find((reference) => ['AWS::Lambda::Function', 'AWS::Glue::Job'].includes(reference.resource.Type));
  if (!work) {
    throw new Error(`${name}: the state machine calls no Lambda function or Glue job of the stack, so it is no pipeline stage the local run knows`);
  }
  return {
    logicalId,
    name,
    arn,
    definition: values.unmark(marked),
    taskResources,
    work,
    input: inputOf(values, work),
    scheduled: Object.values(values.stack.template.Resources ?? {}).some(
      (other) => other.Type === 'AWS::Scheduler::Schedule' && values.resolve(other.Properties?.Target?.Arn) === arn,
    ),
  };
}

/** Where a stage's work reads: the prefix its function is given, or the S3 URL its job is. */
function inputOf(values: TemplateValues, work: ResourceReference): { bucket?: string; prefix: string } {
  const properties = work.resource.Properties ?? {};
  if (work.resource.Type === 'AWS::Lambda::Function') {
    return { prefix: String(values.resolve(properties.Environment?.Variables?.SDLF_INPUT_PREFIX ?? '')) };
  }
  const source = String(values.resolve(properties.DefaultArguments?.['--SOURCE'] ?? ''));
  const [, bucket, prefix] = /^s3:\/\/([^/]+)\/?(.*)$/.exec(source) ?? [undefined, undefined, ''];
  return { bucket, prefix };
}

/** The values of a tag of a resource, with its tags as a list or a map. */
function tagValues(resource: TemplateResource, key: string): string[] {
  const tags = resource.Properties?.Tags;
  if (Array.isArray(tags)) {
    return tags.filter((tag) => tag?.Key === key && typeof tag.Value === 'string').map((tag) => tag.Value);
  }
  return tags && typeof tags[key] === 'string' ? [tags[key]] : [];
}
