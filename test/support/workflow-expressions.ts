/**
 * GitHub Actions' expression language, as much of it as the generated workflows use: literals,
 * context paths (`needs.discover.outputs.wave-1`, `steps.x.outputs['y']`), `!`, `==`, `!=`, `&&`,
 * `||` (which give one of their operands, as GitHub's do), parentheses, and the functions
 * `fromJSON`, `toJSON`, `format`, `contains`, `always`, `cancelled`, `success` and `failure`, and
 * the object filter `.*` (`labels.*.name`). Anything else is an error, so a workflow that starts
 * using more is noticed, never misread.
 */

/** What an expression can read: the contexts, and the status functions' answers. */
export interface ExpressionContext {
  readonly contexts: Record<string, unknown>;
  /** `success()`: the job's needs (or the step's previous steps) succeeded. */
  readonly success: boolean;
  readonly cancelled?: boolean;
}

type Token = { kind: 'string' | 'number' | 'name' | 'op'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const rest = source.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const string = /^'((?:[^']|'')*)'/.exec(rest);
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    const name = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(rest);
    const op = /^(==|!=|&&|\|\||!|\.|\*|\[|\]|\(|\)|,)/.exec(rest);
    if (string) {
      tokens.push({ kind: 'string', text: string[1].replace(/''/g, "'") });
      at += string[0].length;
    } else if (number) {
      tokens.push({ kind: 'number', text: number[0] });
      at += number[0].length;
    } else if (name) {
      tokens.push({ kind: 'name', text: name[0] });
      at += name[0].length;
    } else if (op) {
      tokens.push({ kind: 'op', text: op[0] });
      at += op[0].length;
    } else {
      throw new Error(`the workflow simulation cannot read the expression "${source}" at "${rest}"`);
    }
  }
  return tokens;
}

/** GitHub's falsy values: false, 0, '', null (and a missing property, which is null). */
export function truthy(value: unknown): boolean {
  return !(value === false || value === 0 || value === '' || value === null || value === undefined);
}

/** Evaluates one expression (the text between `${{` and `}}`, or an `if:`). */
export function evaluate(source: string, context: ExpressionContext): unknown {
  const tokens = tokenize(source);
  let position = 0;
  const peek = () => tokens[position];
  const take = (text?: string) => {
    const token = tokens[position++];
    if (!token || (text !== undefined && token.text !== text)) {
      throw new Error(`the workflow simulation expected "${text}" in "${source}"`);
    }
    return token;
  };
  const or = (): unknown => {
    let left = and();
    while (peek()?.text === '||') {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): unknown => {
    let left = equality();
    while (peek()?.text === '&&') {
      take();
      const right = equality();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const equality = (): unknown => {
    let left = unary();
    while (peek()?.text === '==' || peek()?.text === '!=') {
      const op = take().text;
      const right = unary();
      const same = looseEquals(left, right);
      left = op === '==' ? same : !same;
    }
    return left;
  };
  const unary = (): unknown => {
    if (peek()?.text === '!') {
      take();
      return !truthy(unary());
    }
    return postfix();
  };
  const postfix = (): unknown => {
    let value = primary();
    for (;;) {
      if (peek()?.text === '.') {
        take();
        const key = take().text;
        value = key === '*' ? filterOf(value) : property(value, key);
      } else if (peek()?.text === '[') {
        take();
        const key = or();
        take(']');
        value = property(value, String(key));
      } else {
        return value;
      }
    }
  };
  const primary = (): unknown => {
    const token = take();
    if (token.kind === 'string') {
      return token.text;
    }
    if (token.kind === 'number') {
      return Number(token.text);
    }
    if (token.text === '(') {
      const value = or();
      take(')');
      return value;
    }
    if (token.kind === 'name') {
      if (token.text === 'true' || token.text === 'false') {
        return token.text === 'true';
      }
      if (token.text === 'null') {
        return null;
      }
      if (peek()?.text === '(') {
        take();
        const args: unknown[] = [];
        while (peek()?.text !== ')') {
          args.push(or());
          if (peek()?.text === ',') {
            take();
          }
        }
        take(')');
        return call(token.text, args);
      }
      return context.contexts[token.text] ?? null;
    }
    throw new Error(`the workflow simulation cannot read "${token.text}" in "${source}"`);
  };
  const call = (name: string, args: unknown[]): unknown => {
    switch (name.toLowerCase()) {
      case 'fromjson':
        return JSON.parse(String(args[0]));
      case 'tojson':
        return JSON.stringify(args[0], null, 2);
      case 'format':
        return String(args[0]).replace(/\{(\d+)\}/g, (_, index) => String(args[Number(index) + 1] ?? ''));
      case 'contains':
        return contains(args[0], args[1]);
      case 'always':
        return true;
      case 'cancelled':
        return context.cancelled ?? false;
      case 'success':
        return context.success && !context.cancelled;
      case 'failure':
        return !context.success;
      default:
        throw new Error(`the workflow simulation has no function ${name}()`);
    }
  };
  const value = or();
  if (position !== tokens.length) {
    throw new Error(`the workflow simulation could not read all of "${source}"`);
  }
  return value;
}

/** What `.*` gives: the elements of an array (the values of an object), whose properties are then read element by element. */
class ObjectFilter extends Array<unknown> {}

function filterOf(value: unknown): ObjectFilter {
  const elements = Array.isArray(value) ? value : value !== null && typeof value === 'object' ? Object.values(value) : [];
  return ObjectFilter.from(elements);
}

/** `contains(search, item)`: an element of an array, or a substring of a string, strings compared in any case as GitHub does. */
function contains(search: unknown, item: unknown): boolean {
  const same = (a: unknown, b: unknown) => (typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : looseEquals(a, b));
  if (Array.isArray(search)) {
    return search.some((element) => same(element, item));
  }
  return String(search ?? '').toLowerCase().includes(String(item ?? '').toLowerCase());
}

function property(value: unknown, key: string): unknown {
  if (value instanceof ObjectFilter) {
    return ObjectFilter.from(value.map((element) => property(element, key)).filter((element) => element !== null));
  }
  if (value === null || typeof value !== 'object') {
    return null;
  }
  return (value as Record<string, unknown>)[key] ?? null;
}

function looseEquals(left: unknown, right: unknown): boolean {
  if (typeof left === typeof right) {
    return left === right;
  }
  // GitHub compares across types as numbers; the workflows compare strings with strings.
  return Number(left ?? 0) === Number(right ?? 0);
}

/** A value of a workflow (a step's `with`, `env`, `run`, a job's `name`) with each `${{ }}` replaced. */
export function interpolate(text: string, context: ExpressionContext): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => {
    const value = evaluate(expression, context);
    return value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/** A value that is one whole expression (`${{ fromJSON(...) }}`), as the value, not as text. */
export function evaluateValue(value: unknown, context: ExpressionContext): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  const whole = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(value);
  return whole ? evaluate(whole[1], context) : interpolate(value, context);
}

/** An `if:` of a job or a step: an expression with or without `${{ }}`; the default is `success()`. */
export function condition(value: string | undefined, context: ExpressionContext): boolean {
  if (value === undefined) {
    return context.success;
  }
  const whole = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(value);
  const expression = whole ? whole[1] : value;
  // A condition without a status function gets success() &&, as GitHub adds it.
  const statusChecked = /\b(always|cancelled|success|failure)\s*\(/.test(expression);
  return truthy(evaluate(expression, context)) && (statusChecked || context.success);
}
