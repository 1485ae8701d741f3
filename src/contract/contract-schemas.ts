import * as fs from 'fs';
import * as path from 'path';
import Ajv2019, { ErrorObject, ValidateFunction } from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { closest } from './closest';
import { ContractDocument } from './contract-document';
import { ContractProblem, renderPath } from './contract-problem';

/** Where the JSON Schemas ship: `blueprints/schemas/` at the package root. */
export const SCHEMAS_DIR = path.join(__dirname, '..', '..', 'blueprints', 'schemas');

/** The official ODCS JSON Schema every contract validates against. */
export const ODCS_SCHEMA_FILE = 'odcs-json-schema-v3.1.0.json';

/** The JSON Schema of the SDLF extensions in `customProperties`. */
export const SDLF_SCHEMA_FILE = 'sdlf-extensions.schema.json';

/** The SDLF extensions a contract may carry in `customProperties`, by property name. */
export const SDLF_EXTENSIONS = ['sdlfPipeline', 'sdlfConsumers', 'sdlfRetentionDays'] as const;

interface Validators {
  readonly odcs: ValidateFunction;
  readonly extensions: Record<string, ValidateFunction>;
  /** The schemas themselves, to resolve `$ref`s when suggesting field names. */
  readonly roots: readonly any[];
}

let validators: Validators | undefined;

function loadValidators(): Validators {
  if (!validators) {
    // verbose: errors carry the schema they failed, for suggestions of valid field names.
    const ajv = new Ajv2019({ allErrors: true, strict: false, verbose: true });
    addFormats(ajv);
    const read = (name: string) => JSON.parse(fs.readFileSync(path.join(SCHEMAS_DIR, name), 'utf8'));
    const sdlf = read(SDLF_SCHEMA_FILE);
    const odcs = read(ODCS_SCHEMA_FILE);
    ajv.addSchema(sdlf);
    validators = {
      roots: [odcs, sdlf],
      odcs: ajv.compile(odcs),
      extensions: Object.fromEntries(SDLF_EXTENSIONS.map((name) => [name, ajv.getSchema(`${sdlf.$id}#/$defs/${name}`)!])),
    };
  }
  return validators;
}

/**
 * Validates a parsed contract against the ODCS v3.1 JSON Schema and its SDLF extensions against
 * theirs, and turns every error into a located problem with the likely fix.
 */
export function schemaProblems(document: ContractDocument): ContractProblem[] {
  const { odcs, extensions } = loadValidators();
  const problems: ContractProblem[] = [];
  if (!odcs(document.data)) {
    problems.push(...toProblems(document, odcs.errors ?? [], []));
  }
  const customProperties = (document.data as any)?.customProperties;
  if (Array.isArray(customProperties)) {
    customProperties.forEach((entry: any, index: number) => {
      const name = entry?.property;
      if (typeof name !== 'string' || !name.startsWith('sdlf')) {
        return;
      }
      const base = ['customProperties', index];
      const validate = extensions[name];
      if (!validate) {
        const suggestion = closest(name, SDLF_EXTENSIONS);
        problems.push({
          ...at(document, [...base, 'property']),
          message: `unknown SDLF extension "${name}"; known: ${SDLF_EXTENSIONS.join(', ')}`,
          suggestion: suggestion && `did you mean "${suggestion}"?`,
        });
      } else if (!validate(entry.value)) {
        problems.push(...toProblems(document, validate.errors ?? [], [...base, 'value']));
      }
    });
  }
  return problems;
}

function at(document: ContractDocument, segments: ReadonlyArray<string | number>, key?: string) {
  const position = document.positionOf(segments, key);
  return { file: document.file, ...position, path: renderPath(key === undefined ? segments : [...segments, key]) };
}

function segmentsOf(instancePath: string, base: ReadonlyArray<string | number>): Array<string | number> {
  const parts = instancePath === '' ? [] : instancePath.slice(1).split('/');
  return [...base, ...parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')))];
}

const COMBINATORS = new Set(['oneOf', 'anyOf', 'if', 'allOf', 'not']);

/**
 * Located problems from ajv errors. A value that fails a `oneOf` fails every branch; only the
 * errors that say something are kept: combinator summaries and type mismatches of a branch give
 * way to the specific errors at the same place, and a missing field of alternative branches
 * becomes one "needs one of" problem.
 */
function toProblems(document: ContractDocument, errors: ErrorObject[], base: ReadonlyArray<string | number>): ContractProblem[] {
  const specific = errors.filter((error) => !COMBINATORS.has(error.keyword) && error.keyword !== 'type');
  const hasSpecificAtOrBelow = (instancePath: string) =>
    specific.some((other) => other.instancePath === instancePath || other.instancePath.startsWith(`${instancePath}/`));
  const kept = errors.filter((error) => {
    const branchNoise = COMBINATORS.has(error.keyword) || (error.keyword === 'type' && error.schemaPath.includes('/oneOf/'));
    return !branchNoise || !hasSpecificAtOrBelow(error.instancePath);
  });

  const problems: ContractProblem[] = [];
  const alternatives = new Map<string, string[]>();
  for (const error of kept) {
    const segments = segmentsOf(error.instancePath, base);
    const params = error.params as Record<string, any>;
    switch (error.keyword) {
      case 'required':
        if (error.schemaPath.includes('/oneOf/') || error.schemaPath.includes('/anyOf/')) {
          const key = JSON.stringify(segments);
          alternatives.set(key, [...(alternatives.get(key) ?? []), params.missingProperty]);
        } else {
          problems.push({ ...at(document, segments), path: renderPath([...segments, params.missingProperty]), message: `the required field "${params.missingProperty}" is missing` });
        }
        break;
      case 'additionalProperties':
      case 'unevaluatedProperties': {
        const field: string = params.additionalProperty ?? params.unevaluatedProperty;
        const known = knownFields(error.parentSchema, loadValidators().roots);
        const suggestion = closest(field, known);
        const topLevel = segments.length === 0;
        problems.push({
          ...at(document, segments, field),
          message: `unknown field "${field}"`,
          suggestion: suggestion
            ? `did you mean "${suggestion}"?`
            : topLevel
              ? 'ODCS allows no other top-level fields: put SDLF extensions and your own fields in customProperties'
              : undefined,
        });
        break;
      }
      case 'enum': {
        const allowed: string[] = params.allowedValues.map(String);
        const suggestion = typeof error.data === 'string' ? closest(error.data, allowed) : undefined;
        problems.push({
          ...at(document, segments),
          message: `${JSON.stringify(error.data)} is not one of: ${allowed.join(', ')}`,
          suggestion: suggestion && `did you mean "${suggestion}"?`,
        });
        break;
      }
      case 'type':
        problems.push({ ...at(document, segments), message: `expected ${params.type}, found ${describe(error.data)}` });
        break;
      case 'pattern':
        problems.push({
          ...at(document, segments),
          message: `${JSON.stringify(error.data)} does not match ${params.pattern}`,
          suggestion: error.parentSchema?.description,
        });
        break;
      default:
        problems.push({ ...at(document, segments), message: `${error.message}` });
    }
  }
  for (const [key, fields] of alternatives) {
    const segments = JSON.parse(key);
    problems.push({ ...at(document, segments), message: `needs one of the fields: ${[...new Set(fields)].join(', ')}` });
  }
  return problems;
}

/** The field names a schema object declares, through `$ref` and `allOf`. */
function knownFields(schema: any, roots: readonly any[], seen = new Set<any>()): string[] {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) {
    return [];
  }
  seen.add(schema);
  const own = Object.keys(schema.properties ?? {});
  const fromAllOf = (schema.allOf ?? []).flatMap((part: any) => knownFields(part, roots, seen));
  const ref = typeof schema.$ref === 'string' ? /#\/\$defs\/(\w+)$/.exec(schema.$ref)?.[1] : undefined;
  const fromRef = ref ? roots.flatMap((root) => knownFields(root.$defs?.[ref], roots, seen)) : [];
  return [...new Set([...own, ...fromAllOf, ...fromRef])];
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}
