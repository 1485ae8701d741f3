// The grammar of a domain repository's `.projenrc.ts`, owned here: what the platform's tools read
// from it (the options a team wrote) and the two edits they make to it (the template version, the
// import of the project types). The file is the team's code, written by hand after `projen new`:
// comments (commented-out options among them), options in any order, either quote, trailing
// commas or none, options over several lines.
//
// It is read with a tokenizer of its own, not the TypeScript compiler: `typescript` is only a
// build-time dependency of this package (the compiler is 9 MB of JavaScript that takes about half
// a second to load), while this module runs on every synth of every domain repository and in the
// command line. A tokenizer that knows comments, strings, template literals and regular
// expressions is enough to find the few constructs these edits touch, never one inside a comment
// or a string, and everything else is left as the team wrote it, byte for byte. An option it
// cannot read for certain (computed, or maybe set by a spread object) it reports as unreadable,
// never as a guess; a file it cannot edit (no options object in the call, a string that does not
// end) is refused with what to do.

/** `.projenrc.ts` cannot be read (an unterminated string or comment), or cannot be edited as asked. */
export class ProjenrcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjenrcError';
  }
}

/** What an option of the project's options says. */
export type ProjenrcOption =
  /** Set to a string, or an array of strings, written out. */
  | { readonly state: 'literal'; readonly value: string | string[] }
  /** Not set (absent, commented out, or `undefined`): the project type's default applies. */
  | { readonly state: 'unset' }
  /** Set in a way that only running the file would tell: computed, or maybe set by a spread object. */
  | { readonly state: 'unreadable' };

/** The project type whose options the platform's tools read and edit. */
const DOMAIN_PROJECT = 'SdlfDomainProject';

/** A token of the file: comments are kept apart, whitespace is dropped. */
interface Token {
  readonly kind: 'name' | 'string' | 'template' | 'number' | 'punct' | 'regex';
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** The value of a string, or of a template literal without substitutions. */
  readonly value?: string;
}

interface Comment {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A property of an object literal, at its top level. */
interface Property {
  /** Its name; undefined for a computed name (`[key]: ...`) or a spread (`...other`). */
  readonly name?: string;
  readonly spread: boolean;
  /** The tokens of its value; none for a shorthand (`domain,`) or a method. */
  readonly value: Token[];
  /** Whether it is `name: value` (not a shorthand, a method or an accessor). */
  readonly plain: boolean;
  readonly first: Token;
  readonly last: Token;
  /** The comma after it, if any. */
  readonly comma?: Token;
}

/** The options object literal of `new SdlfDomainProject({ ... })`. */
interface OptionsObject {
  readonly open: Token;
  readonly close: Token;
  readonly properties: Property[];
}

/** One `.projenrc.ts`, read: its options and the edits the platform's tools make. */
export class ProjenrcFile {
  /** Reads the text of a `.projenrc.ts`; a {@link ProjenrcError} when a string or comment does not end. */
  public static parse(text: string): ProjenrcFile {
    return new ProjenrcFile(text, ...tokenize(text));
  }

  private readonly options: OptionsObject | undefined;

  private constructor(
    public readonly text: string,
    private readonly tokens: Token[],
    private readonly comments: Comment[],
  ) {
    this.options = this.findOptionsObject(DOMAIN_PROJECT);
  }

  /** Whether the file creates an `SdlfDomainProject` from an options object written in the call. */
  public get createsDomainProject(): boolean {
    return this.options !== undefined;
  }

  /**
   * An option of the `SdlfDomainProject`, as written: the last property of that name counts (as
   * when the file runs), unless a spread object after it may set it too.
   */
  public domainOption(name: string): ProjenrcOption {
    const properties = this.options?.properties ?? [];
    const index = properties.map((property) => property.name).lastIndexOf(name);
    if (properties.slice(index + 1).some((property) => property.name === undefined)) {
      // A spread object or a computed name after it may set it too.
      return { state: 'unreadable' };
    }
    if (index < 0) {
      return { state: 'unset' };
    }
    const property = properties[index];
    return property.plain ? literal(property.value) : { state: 'unreadable' };
  }

  /**
   * The file with the `SdlfDomainProject`'s `templateVersion` set to `templateVersion`: the value
   * of the option replaced; else the commented-out line `projen new` writes
   * (`// templateVersion: undefined, ...`) made the option; else the option added as the first
   * one (the last one when the options spread another object, so that it wins over it; an option
   * the team set before a spread stays where it is). Nothing else of the file changes: it is the
   * team's.
   */
  public withTemplateVersion(templateVersion: string): string {
    const options = this.options;
    if (!options) {
      throw new ProjenrcError(`.projenrc.ts does not create an ${DOMAIN_PROJECT} with an options object: set templateVersion in it by hand`);
    }
    const option = `templateVersion: ${quote(templateVersion)}`;
    const edits: Edit[] = [];
    const set = options.properties.filter((property) => property.name === 'templateVersion');
    for (const property of set) {
      edits.push(
        property.plain && property.value.length > 0
          ? { start: property.value[0].start, end: property.value[property.value.length - 1].end, text: quote(templateVersion) }
          : { start: property.first.start, end: property.last.end, text: option },
      );
    }
    const commented = set.length > 0 ? undefined : this.commentedOutOption(options, 'templateVersion');
    if (commented) {
      edits.push({ start: commented.start, end: commented.end, text: `${option},` }, ...this.commaBefore(options, commented.start));
    } else if (set.length === 0 && options.properties.some((property) => property.spread)) {
      edits.push(...this.insertLast(options, option));
    } else if (set.length === 0) {
      edits.push(this.insertFirst(options, option));
    }
    return applyEdits(this.text, edits);
  }

  /**
   * The file with each `import { ... } from '<from>'` whose names are all in `names` importing
   * from `to` instead (its quotes kept); an import of other names, or of the module's default or
   * namespace, stays as it is.
   */
  public withImportsMoved(from: string, to: string, names: ReadonlySet<string>): string {
    const edits: Edit[] = [];
    const tokens = this.tokens;
    tokens.forEach((token, index) => {
      if (token.kind !== 'name' || token.text !== 'import' || isMember(tokens, index)) {
        return;
      }
      let at = index + 1;
      if (tokens[at]?.text === 'type' && tokens[at + 1]?.text === '{') {
        at++;
      }
      if (tokens[at]?.text !== '{') {
        return;
      }
      const close = matching(tokens, at);
      const source = tokens[close + 2];
      if (close < 0 || tokens[close + 1]?.text !== 'from' || source?.kind !== 'string' || source.value !== from) {
        return;
      }
      const imported = split(tokens.slice(at + 1, close)).map(importedName);
      if (imported.length > 0 && imported.every((name) => name !== undefined && names.has(name))) {
        const quoteChar = source.text[0];
        edits.push({ start: source.start, end: source.end, text: `${quoteChar}${to}${quoteChar}` });
      }
    });
    return applyEdits(this.text, edits);
  }

  /** The options object of the first `new <projectType>({ ... })`, or `new x.<projectType>({ ... })`. */
  private findOptionsObject(projectType: string): OptionsObject | undefined {
    const tokens = this.tokens;
    for (let index = 0; index < tokens.length; index++) {
      if (tokens[index].text !== 'new' || tokens[index].kind !== 'name' || isMember(tokens, index)) {
        continue;
      }
      let at = index + 1;
      while (tokens[at]?.kind === 'name' && tokens[at + 1]?.text === '.') {
        at += 2;
      }
      if (tokens[at]?.text !== projectType || tokens[at + 1]?.text !== '(' || tokens[at + 2]?.text !== '{') {
        continue;
      }
      const open = at + 2;
      const close = matching(tokens, open);
      if (close < 0) {
        return undefined;
      }
      return { open: tokens[open], close: tokens[close], properties: split(tokens.slice(open + 1, close)).map(toProperty) };
    }
    return undefined;
  }

  /**
   * A line comment of the options object's own lines that comments out the option, as
   * `projen new` writes them (`// templateVersion: undefined, ...`): alone on its line, outside
   * every property.
   */
  private commentedOutOption(options: OptionsObject, name: string): Comment | undefined {
    const pattern = new RegExp(`^//\\s*${name}\\s*:`);
    return this.comments.find(
      (comment) =>
        comment.start > options.open.end &&
        comment.end <= options.close.start &&
        pattern.test(comment.text) &&
        /^[ \t]*$/.test(this.text.slice(lineStart(this.text, comment.start), comment.start)) &&
        !options.properties.some((property) => property.first.start < comment.start && comment.start < property.last.end),
    );
  }

  /** A comma after the last property before `at` when it has none: a property goes after it. */
  private commaBefore(options: OptionsObject, at: number): Edit[] {
    const before = options.properties.filter((property) => property.last.end <= at).pop();
    return before && !before.comma ? [{ start: before.last.end, end: before.last.end, text: ',' }] : [];
  }

  /** `option` as the first property: on a line of its own when the object has its properties on their own lines. */
  private insertFirst(options: OptionsObject, option: string): Edit {
    const { open, close } = options;
    const end = lineEnd(this.text, open.end);
    if (/^[ \t]*(\/\/.*)?\r?$/.test(this.text.slice(open.end, end)) && end < close.start) {
      const at = end + 1;
      const first = options.properties[0]?.first;
      const indent = first && lineStart(this.text, first.start) !== lineStart(this.text, open.start) ? this.indent(first.start) : `${this.indent(close.start)}  `;
      return { start: at, end: at, text: `${indent}${option},${this.eol}` };
    }
    return { start: open.end, end: open.end, text: options.properties.length > 0 ? ` ${option},` : ` ${option} ` };
  }

  /** `option` as the last property (after a comma the last one may lack). */
  private insertLast(options: OptionsObject, option: string): Edit[] {
    const { close } = options;
    const last = options.properties[options.properties.length - 1];
    const comma = this.commaBefore(options, close.start);
    const start = lineStart(this.text, close.start);
    if (/^[ \t]*$/.test(this.text.slice(start, close.start)) && lineStart(this.text, last.first.start) !== lineStart(this.text, options.open.start)) {
      return [...comma, { start, end: start, text: `${this.indent(last.first.start)}${option},${this.eol}` }];
    }
    return [...comma, { start: close.start, end: close.start, text: ` ${option} ` }];
  }

  /** The indentation of the line `at` is on. */
  private indent(at: number): string {
    return /^[ \t]*/.exec(this.text.slice(lineStart(this.text, at)))![0];
  }

  /** The file's line break. */
  private get eol(): string {
    return this.text.includes('\r\n') ? '\r\n' : '\n';
  }
}

/** A change of the text: `start` to `end` replaced by `text`. */
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The text with the edits made, from the end (edits at one place: the later one's text goes first). */
function applyEdits(text: string, edits: Edit[]): string {
  let result = text;
  const order = edits.map((edit, index) => ({ edit, index })).sort((a, b) => b.edit.start - a.edit.start || b.index - a.index);
  for (const { edit } of order) {
    result = `${result.slice(0, edit.start)}${edit.text}${result.slice(edit.end)}`;
  }
  return result;
}

/** A string in single quotes, as `projen new` writes them. */
function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** What a value says, when it is written out: a string, an array of strings, or `undefined`. */
function literal(value: Token[]): ProjenrcOption {
  const text = (token: Token | undefined) => (token && (token.kind === 'string' || token.kind === 'template') ? token.value : undefined);
  if (value.length === 1 && value[0].kind === 'name' && value[0].text === 'undefined') {
    return { state: 'unset' };
  }
  const single = value.length === 1 ? text(value[0]) : undefined;
  if (single !== undefined) {
    return { state: 'literal', value: single };
  }
  if (value[0]?.text === '[' && matching(value, 0) === value.length - 1) {
    const items = split(value.slice(1, -1)).map((item) => (item.tokens.length === 1 ? text(item.tokens[0]) : undefined));
    if (items.every((item): item is string => item !== undefined)) {
      return { state: 'literal', value: items };
    }
  }
  return { state: 'unreadable' };
}

/** The tokens between brackets, split at the commas of their own level, each part with the comma after it. */
function split(tokens: Token[]): Array<{ tokens: Token[]; comma?: Token }> {
  const parts: Array<{ tokens: Token[]; comma?: Token }> = [];
  let current: Token[] = [];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'punct' && '([{'.includes(token.text)) {
      depth++;
    } else if (token.kind === 'punct' && ')]}'.includes(token.text)) {
      depth--;
    } else if (depth === 0 && token.text === ',' && token.kind === 'punct') {
      parts.push({ tokens: current, comma: token });
      current = [];
      continue;
    }
    current.push(token);
  }
  if (current.length > 0) {
    parts.push({ tokens: current });
  }
  return parts.filter((part) => part.tokens.length > 0);
}

/** A property of an object literal from its tokens. */
function toProperty(part: { tokens: Token[]; comma?: Token }): Property {
  const [first, second] = part.tokens;
  const last = part.tokens[part.tokens.length - 1];
  const common = { first, last, comma: part.comma };
  if (first.text === '...') {
    return { ...common, spread: true, value: part.tokens.slice(1), plain: false };
  }
  if (['get', 'set', 'async'].includes(first.text) && second && second.text !== ':' && second.text !== '(') {
    // An accessor or an async method: named by the word after it, with no value to read.
    return { ...common, name: propertyName(second), spread: false, value: [], plain: false };
  }
  const plain = second?.text === ':';
  return { ...common, name: propertyName(first), spread: false, value: plain ? part.tokens.slice(2) : [], plain };
}

/** The name a property's first token gives it; undefined for a computed name (`[key]`). */
function propertyName(token: Token): string | undefined {
  return token.kind === 'name' || token.kind === 'number' ? token.text : token.kind === 'string' ? token.value : undefined;
}

/** The name an import specifier imports (`A`, `type A`, `A as B`); undefined for anything else. */
function importedName(specifier: { tokens: Token[] }): string | undefined {
  const names = specifier.tokens;
  const start = names[0]?.text === 'type' && names.length > 1 && names[1].text !== 'as' ? 1 : 0;
  const rest = names.slice(start);
  const valid = rest[0]?.kind === 'name' && (rest.length === 1 || (rest.length === 3 && rest[1].text === 'as' && rest[2].kind === 'name'));
  return valid ? rest[0].text : undefined;
}

/** The index of the bracket that closes the one at `open`; -1 when it is not closed. */
function matching(tokens: Token[], open: number): number {
  let depth = 0;
  for (let index = open; index < tokens.length; index++) {
    const token = tokens[index];
    if (token.kind !== 'punct') {
      continue;
    }
    if ('([{'.includes(token.text)) {
      depth++;
    } else if (')]}'.includes(token.text) && --depth === 0) {
      return index;
    }
  }
  return -1;
}

/** Whether the name at `index` is a member (`x.import`, `x.new`), not a keyword. */
function isMember(tokens: Token[], index: number): boolean {
  return index > 0 && (tokens[index - 1].text === '.' || tokens[index - 1].text === '?.');
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineEnd(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end < 0 ? text.length : end;
}

/** Where `at` is, as `line:column` (both from 1). */
function position(text: string, at: number): string {
  const before = text.slice(0, at).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

// After these words an expression starts, so a `/` there opens a regular expression.
const BEFORE_EXPRESSION = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);
const NAME = /[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/uy;
const NUMBER = /(?:0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)n?/y;
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/;

/** The tokens and comments of TypeScript source text. */
function tokenize(text: string): [Token[], Comment[]] {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const scanner = new Scanner(text);
  for (let item = scanner.next(tokens[tokens.length - 1]); item; item = scanner.next(tokens[tokens.length - 1])) {
    if ('kind' in item) {
      tokens.push(item);
    } else {
      comments.push(item);
    }
  }
  return [tokens, comments];
}

class Scanner {
  private at = 0;

  constructor(private readonly text: string) {}

  /** The next token or comment; undefined at the end. `previous` tells a regular expression from a division. */
  public next(previous: Token | undefined): Token | Comment | undefined {
    const text = this.text;
    while (this.at < text.length && /\s/.test(text[this.at])) {
      this.at++;
    }
    if (this.at >= text.length) {
      return undefined;
    }
    const start = this.at;
    const char = text[start];
    const two = text.slice(start, start + 2);
    if (two === '//') {
      const found = LINE_BREAK.exec(text.slice(start));
      const end = found ? start + found.index : text.length;
      this.at = end;
      return { start, end, text: text.slice(start, end) };
    }
    if (two === '/*') {
      const end = text.indexOf('*/', start + 2);
      if (end < 0) {
        throw this.error(start, 'a comment that does not end');
      }
      this.at = end + 2;
      return { start, end: this.at, text: text.slice(start, this.at) };
    }
    if (char === '\'' || char === '"') {
      const value = this.string(char);
      return this.token('string', start, value);
    }
    if (char === '`') {
      const value = this.template();
      return this.token('template', start, value);
    }
    NAME.lastIndex = start;
    if (NAME.test(text)) {
      this.at = NAME.lastIndex;
      return this.token('name', start);
    }
    NUMBER.lastIndex = start;
    if (/[\d.]/.test(char) && NUMBER.test(text) && NUMBER.lastIndex > start + (char === '.' ? 1 : 0)) {
      this.at = NUMBER.lastIndex;
      return this.token('number', start);
    }
    if (char === '/' && regexAllowed(previous)) {
      this.regex();
      return this.token('regex', start);
    }
    const punct = ['...', '?.'].find((candidate) => text.startsWith(candidate, start) && !(candidate === '?.' && /\d/.test(text[start + 2] ?? '')));
    this.at = start + (punct?.length ?? 1);
    return this.token('punct', start);
  }

  private token(kind: Token['kind'], start: number, value?: string): Token {
    return { kind, start, end: this.at, text: this.text.slice(start, this.at), value };
  }

  /** A string in `quote`s, its value with its escapes read. */
  private string(quoteChar: string): string {
    const start = this.at;
    let value = '';
    for (this.at++; this.at < this.text.length; ) {
      const char = this.text[this.at];
      if (char === quoteChar) {
        this.at++;
        return value;
      }
      if (char === '\\') {
        value += this.escape();
      } else if (LINE_BREAK.test(char)) {
        break;
      } else {
        value += char;
        this.at++;
      }
    }
    throw this.error(start, 'a string that does not end on its line');
  }

  /**
   * A template literal: its value when it has no substitution (`${...}`), else undefined. A
   * substitution is read as tokens, so a `}` in a string or a nested template does not end it.
   */
  private template(): string | undefined {
    const start = this.at;
    let value: string | undefined = '';
    for (this.at++; this.at < this.text.length; ) {
      const char = this.text[this.at];
      if (char === '`') {
        this.at++;
        return value;
      }
      if (char === '\\') {
        const escaped = this.escape();
        value = value === undefined ? undefined : value + escaped;
      } else if (this.text.startsWith('${', this.at)) {
        this.at += 2;
        this.substitution();
        value = undefined;
      } else {
        value = value === undefined ? undefined : value + (char === '\r' ? '' : char);
        this.at++;
      }
    }
    throw this.error(start, 'a template literal that does not end');
  }

  /** The tokens of a template's substitution, up to the `}` that ends it. */
  private substitution(): void {
    const start = this.at;
    let depth = 0;
    let previous: Token | undefined;
    for (let item = this.next(previous); item; item = this.next(previous)) {
      if (!('kind' in item)) {
        continue;
      }
      previous = item;
      if (item.kind === 'punct' && item.text === '{') {
        depth++;
      } else if (item.kind === 'punct' && item.text === '}' && depth-- === 0) {
        return;
      }
    }
    throw this.error(start, 'a template literal substitution that does not end');
  }

  /** A regular expression literal, its flags included. */
  private regex(): void {
    const start = this.at;
    let inClass = false;
    for (this.at++; this.at < this.text.length; this.at++) {
      const char = this.text[this.at];
      if (char === '\\') {
        this.at++;
      } else if (char === '[') {
        inClass = true;
      } else if (char === ']') {
        inClass = false;
      } else if (char === '/' && !inClass) {
        this.at++;
        while (/[a-z]/i.test(this.text[this.at] ?? '')) {
          this.at++;
        }
        return;
      } else if (LINE_BREAK.test(char)) {
        break;
      }
    }
    throw this.error(start, 'a regular expression that does not end on its line');
  }

  /** An escape sequence at `\`: the text it stands for. */
  private escape(): string {
    const text = this.text;
    const char = text[this.at + 1] ?? '';
    this.at += 2;
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v' };
    if (char in simple) {
      return simple[char];
    }
    if (char === '0' && !/\d/.test(text[this.at] ?? '')) {
      return '\0';
    }
    const hex = char === 'x' ? /^[\da-fA-F]{2}/.exec(text.slice(this.at)) : char === 'u' ? /^(?:[\da-fA-F]{4}|\{[\da-fA-F]+\})/.exec(text.slice(this.at)) : null;
    if (hex) {
      this.at += hex[0].length;
      return String.fromCodePoint(parseInt(hex[0].replace(/[{}]/g, ''), 16));
    }
    if (char === '\r' && text[this.at] === '\n') {
      this.at++;
    }
    // A line continuation stands for nothing; any other character for itself.
    return LINE_BREAK.test(char) ? '' : char;
  }

  private error(at: number, what: string): ProjenrcError {
    return new ProjenrcError(`.projenrc.ts has ${what} at ${position(this.text, at)}`);
  }
}

function regexAllowed(previous: Token | undefined): boolean {
  if (previous === undefined) {
    return true;
  }
  if (previous.kind === 'punct') {
    return !')]}'.includes(previous.text);
  }
  return previous.kind === 'name' && BEFORE_EXPRESSION.has(previous.text);
}
