import * as fs from 'fs';
import * as path from 'path';
import * as Handlebars from 'handlebars';

/**
 * Where the blueprints are: `blueprints/` at the package root, which ships in the npm package,
 * so the same relative path works from `src/` (tests) and from `lib/` (installed).
 */
export const BLUEPRINTS_DIR = path.join(__dirname, '..', '..', 'blueprints');

const blueprints = Handlebars.create();
blueprints.registerHelper('json', (value: unknown) => JSON.stringify(value));
blueprints.registerHelper('ts', (value: unknown) => renderTypeScriptLiteral(value));
blueprints.registerHelper('xml', (value: unknown) => escapeXml(String(value ?? '')));

/**
 * Renders `blueprints/<name>` with handlebars. Strict mode by default: a variable the context
 * lacks is an error, not an empty string in a generated file. A blueprint that renders a
 * user's document, where most fields are optional, turns it off.
 */
export function renderBlueprint(name: string, context: object, strict = true): string {
  const source = fs.readFileSync(path.join(BLUEPRINTS_DIR, name), 'utf8');
  return blueprints.compile(source, { noEscape: true, strict })(context);
}

/**
 * A JSON-like value as a TypeScript literal in the style projen's eslint rules ask for
 * (single quotes, unquoted keys where possible).
 */
export function renderTypeScriptLiteral(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
  }
  if (Array.isArray(value)) {
    return `[${value.map(renderTypeScriptLiteral).join(', ')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : renderTypeScriptLiteral(k));
    return entries.length ? `{ ${entries.map(([k, v]) => `${key(k)}: ${renderTypeScriptLiteral(v)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

/**
 * Text as XML character data or an attribute value: markup characters as entities, and characters
 * XML 1.0 cannot hold (control characters of data, a lone surrogate) as U+FFFD, so that a
 * document stays well-formed whatever text it quotes.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}
