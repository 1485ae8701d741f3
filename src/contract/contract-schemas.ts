import Ajv2019, { ErrorObject, ValidateFunction } from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { closest } from './closest';
import { ContractDocument } from './contract-document';
import { ContractProblem, renderPath } from './contract-problem';
import { ContractDocumentSchema, CustomProperty } from './odcs-definitions';
import { SDLF_EXTENSION_SCHEMAS } from './sdlf-extensions';

/** The `$id` of the contract schema, the one generated repositories give their editors. */
export const CONTRACT_SCHEMA_ID = 'https://sdlf-mesh.dev/schemas/data-contract.schema.json';

/**
 * The JSON Schema (draft 2019-09) of a data-product contract: the standard's fields as
 * {@link ContractDocumentSchema} defines them, with the value of each SDLF extension of
 * `customProperties` checked by its own definition. Validation uses it, and generated repositories
 * write it for their editors.
 */
export function contractJsonSchema(): Record<string, unknown> {
  const extensions = Object.entries(SDLF_EXTENSION_SCHEMAS).map(([name, value]) => ({
    if: { properties: { property: { const: name } }, required: ['property'] },
    then: { properties: { value }, required: ['value'] },
  }));
  const schema = {
    $schema: 'https://json-schema.org/draft/2019-09/schema',
    $id: CONTRACT_SCHEMA_ID,
    title: 'Data-product contract: Open Data Contract Standard v3.1 with the SDLF extensions',
    ...ContractDocumentSchema,
    properties: {
      ...ContractDocumentSchema.properties,
      customProperties: {
        type: 'array',
        description: 'Properties that are not part of the standard; the SDLF extensions (sdlfPipeline, sdlfConsumers, sdlfRetentionDays, sdlfInputs) among them.',
        items: { ...CustomProperty, allOf: extensions },
      },
    },
  };
  // Plain JSON: the definitions carry TypeBox's symbol keys, which neither JSON nor ajv need.
  return JSON.parse(JSON.stringify(schema));
}

let validator: ValidateFunction | undefined;

function contractValidator(): ValidateFunction {
  // verbose: errors carry the schema they failed, for suggestions of valid field names.
  validator ??= addFormats(new Ajv2019({ allErrors: true, strict: false, verbose: true })).compile(contractJsonSchema());
  return validator;
}

/**
 * Validates a parsed contract against the contract schema (the standard and the SDLF extensions)
 * and turns every error into a located problem with the likely fix.
 */
export function schemaProblems(document: ContractDocument): ContractProblem[] {
  const validate = contractValidator();
  return validate(document.data) ? [] : toProblems(document, validate.errors ?? []);
}

function at(document: ContractDocument, segments: ReadonlyArray<string | number>, key?: string) {
  const position = document.positionOf(segments, key);
  return { file: document.file, ...position, path: renderPath(key === undefined ? segments : [...segments, key]) };
}

function segmentsOf(instancePath: string): Array<string | number> {
  const parts = instancePath === '' ? [] : instancePath.slice(1).split('/');
  return parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
}

const COMBINATORS = new Set(['oneOf', 'anyOf', 'if', 'allOf', 'not']);

/**
 * Located problems from ajv errors. A value that fails a `oneOf` fails every branch; only the
 * errors that say something are kept: combinator summaries and type mismatches of a branch give
 * way to the specific errors at the same place, and a missing field of alternative branches
 * becomes one "needs one of" problem.
 */
function toProblems(document: ContractDocument, errors: ErrorObject[]): ContractProblem[] {
  const isBranchNoise = (error: ErrorObject) => COMBINATORS.has(error.keyword) || (error.keyword === 'type' && /\/(oneOf|anyOf)\//.test(error.schemaPath));
  const specific = errors.filter((error) => !isBranchNoise(error));
  const hasSpecificAtOrBelow = (instancePath: string) =>
    specific.some((other) => other.instancePath === instancePath || other.instancePath.startsWith(`${instancePath}/`));
  const kept = errors.filter((error) => !isBranchNoise(error) || !hasSpecificAtOrBelow(error.instancePath));

  const problems: ContractProblem[] = [];
  const alternatives = new Map<string, string[]>();
  const mismatches = new Map<string, string[]>();
  for (const error of kept) {
    const segments = segmentsOf(error.instancePath);
    const params = error.params as Record<string, any>;
    switch (error.keyword) {
      case 'required':
        if (/\/(oneOf|anyOf)\//.test(error.schemaPath)) {
          const key = JSON.stringify(segments);
          alternatives.set(key, [...(alternatives.get(key) ?? []), params.missingProperty]);
        } else {
          problems.push({ ...at(document, segments), path: renderPath([...segments, params.missingProperty]), message: `the required field "${params.missingProperty}" is missing` });
        }
        break;
      case 'additionalProperties':
      case 'unevaluatedProperties': {
        const field: string = params.additionalProperty ?? params.unevaluatedProperty;
        const suggestion = closest(field, Object.keys(error.parentSchema?.properties ?? {}));
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
      case 'enum':
      case 'const': {
        // A union of literals fails each literal: the values it allows are said once.
        const allowed: string[] = error.keyword === 'enum' ? params.allowedValues.map(String) : [String(params.allowedValue)];
        if (error.keyword === 'const' && /\/anyOf\/\d+$/.test(error.schemaPath.replace(/\/const$/, ''))) {
          const key = JSON.stringify(segments);
          mismatches.set(key, [...(mismatches.get(key) ?? []), ...allowed]);
        } else {
          problems.push(notOneOf(document, segments, error.data, allowed));
        }
        break;
      }
      case 'type':
        problems.push(typeProblem(document, segments, params.type, error.data));
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
    problems.push({ ...at(document, JSON.parse(key)), message: `needs one of the fields: ${[...new Set(fields)].join(', ')}` });
  }
  for (const [key, allowed] of mismatches) {
    const segments = JSON.parse(key);
    problems.push(notOneOf(document, segments, valueAt(document.data, segments), [...new Set(allowed)]));
  }
  return problems;
}

function notOneOf(document: ContractDocument, segments: Array<string | number>, value: unknown, allowed: string[]): ContractProblem {
  const suggestion = typeof value === 'string' ? closest(value, allowed) : undefined;
  return {
    ...at(document, segments),
    message: `${JSON.stringify(value)} is not one of: ${allowed.join(', ')}`,
    suggestion: suggestion && `did you mean "${suggestion}"?`,
  };
}

function typeProblem(document: ContractDocument, segments: Array<string | number>, expected: string, value: unknown): ContractProblem {
  const written = document.sourceOf(segments);
  // YAML reads `version: 1.0` as the number 1: say so in the author's own text.
  if (expected === 'string' && typeof value === 'number' && written !== undefined) {
    return {
      ...at(document, segments),
      message: `expected a string, found ${written}, which YAML reads as the number ${value}`,
      suggestion: `quote it: "${written}"`,
    };
  }
  return { ...at(document, segments), message: `expected ${expected}, found ${describe(value)}` };
}

function valueAt(data: unknown, segments: Array<string | number>): unknown {
  return segments.reduce<unknown>((value, segment) => (value as Record<string | number, unknown> | undefined)?.[segment], data);
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
