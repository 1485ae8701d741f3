import * as ts from 'typescript';
import { ProjenrcError, ProjenrcFile } from '../../src/projects/projenrc-file';

// What `projen new --from sdlf-mesh sdlf-domain` writes, with the options it leaves commented out.
const GENERATED = `import { SdlfDomainProject } from 'sdlf-mesh';
const project = new SdlfDomainProject({
  cdkVersion: '2.200.0',
  defaultReleaseBranch: 'main',
  domain: 'sales',
  environments: ['dev:111111111111:eu-west-1', 'prod:222222222222:eu-west-1'],
  name: 'sales',
  owner: 'sales-data@example.com',
  projenrcTs: true,

  /* SdlfDomainProjectOptions */
  // costCenter: undefined,                /* The \`sdlf:cost-center\` tag. */
  // templateVersion: undefined,           /* The version of sdlf-mesh (the template) this repository depends on. */
});
project.synth();
`;

const read = (text: string, option: string) => ProjenrcFile.parse(text).domainOption(option);
const options = (body: string) => `import { SdlfDomainProject } from 'sdlf-mesh';\nconst project = new SdlfDomainProject({\n${body}\n});\nproject.synth();\n`;

/** The syntax errors TypeScript finds in a file: none in anything the edits write. */
function syntaxErrors(text: string): string[] {
  const { diagnostics } = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
  return (diagnostics ?? []).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

describe('the options a team wrote', () => {
  test('as projen new writes them: set, and commented out (unset)', () => {
    expect(read(GENERATED, 'domain')).toEqual({ state: 'literal', value: 'sales' });
    expect(read(GENERATED, 'environments')).toEqual({ state: 'literal', value: ['dev:111111111111:eu-west-1', 'prod:222222222222:eu-west-1'] });
    expect(read(GENERATED, 'costCenter')).toEqual({ state: 'unset' });
    expect(read(GENERATED, 'templateVersion')).toEqual({ state: 'unset' });
    expect(ProjenrcFile.parse(GENERATED).createsDomainProject).toBe(true);
  });

  test('reordered, in double quotes or template literals, without trailing commas, over several lines, with comments anywhere', () => {
    const text = options([
      '  environments: [',
      '    "dev:111111111111:eu-west-1", // the sandbox',
      '    /* prod comes later: */ `prod`,',
      '  ],',
      '  // owner: \'old@example.com\',',
      '  /* costCenter: \'cc-0000\', */',
      '  description: \'owner: "nobody", domain: "finance"\',',
      '  owner:   "sales-data@example.com"  ,',
      '  costCenter: `cc-1234`,',
      '  domain:',
      '    \'sales\'',
    ].join('\n'));
    expect(syntaxErrors(text)).toEqual([]);
    expect(read(text, 'domain')).toEqual({ state: 'literal', value: 'sales' });
    expect(read(text, 'owner')).toEqual({ state: 'literal', value: 'sales-data@example.com' });
    expect(read(text, 'costCenter')).toEqual({ state: 'literal', value: 'cc-1234' });
    expect(read(text, 'environments')).toEqual({ state: 'literal', value: ['dev:111111111111:eu-west-1', 'prod'] });
  });

  test('on one line, with escapes, a quoted name, and the last of two settings', () => {
    const text = 'new SdlfDomainProject({ domain: \'sales\', \'owner\': \'it\\\'s \\u00e9\', costCenter: \'cc-1\', costCenter: "cc-2" }).synth();';
    expect(syntaxErrors(text)).toEqual([]);
    expect(read(text, 'owner')).toEqual({ state: 'literal', value: 'it\'s é' });
    expect(read(text, 'costCenter')).toEqual({ state: 'literal', value: 'cc-2' });
  });

  test('what only running the file would tell is unreadable; undefined is unset', () => {
    const text = options([
      '  domain: \'sales\',',
      '  owner: process.env.OWNER ?? \'sales-data@example.com\',',
      '  costCenter: undefined,',
      '  environments: [...base, \'prod\'],',
      '  githubOrg,',
      '  platformTeam: `@${githubOrg}/platform`,',
    ].join('\n'));
    expect(read(text, 'domain')).toEqual({ state: 'literal', value: 'sales' });
    expect(read(text, 'owner')).toEqual({ state: 'unreadable' });
    expect(read(text, 'costCenter')).toEqual({ state: 'unset' });
    expect(read(text, 'environments')).toEqual({ state: 'unreadable' });
    expect(read(text, 'githubOrg')).toEqual({ state: 'unreadable' });
    expect(read(text, 'platformTeam')).toEqual({ state: 'unreadable' });
  });

  test('an object spread after an option may set it: unreadable; before it, the option counts', () => {
    const text = options('  domain: \'sales\',\n  ...shared,\n  owner: \'sales-data@example.com\',');
    expect(read(text, 'domain')).toEqual({ state: 'unreadable' });
    expect(read(text, 'costCenter')).toEqual({ state: 'unreadable' });
    expect(read(text, 'owner')).toEqual({ state: 'literal', value: 'sales-data@example.com' });
  });

  test('the project is found by its constructor call only: not in a comment, a string, a nested option or another project type', () => {
    const text = [
      '// new SdlfDomainProject({ domain: \'old\' });',
      'const note = "new SdlfDomainProject({ domain: \'string\' })";',
      'const pattern = /new SdlfDomainProject\\(\\{ domain: \'regex\' }/;',
      'new SdlfPlatformProject({ domain: \'platform\' });',
      'new sdlf.SdlfDomainProject({ settings: { domain: \'nested\' }, domain: \'sales\' });',
    ].join('\n');
    expect(syntaxErrors(text)).toEqual([]);
    expect(read(text, 'domain')).toEqual({ state: 'literal', value: 'sales' });
    expect(read(text, 'settings')).toEqual({ state: 'unreadable' });
  });

  test('options given as a variable, or a file that creates no domain project, have none to read', () => {
    const variable = 'const options = { domain: \'sales\' };\nnew SdlfDomainProject(options).synth();\n';
    expect(ProjenrcFile.parse(variable).createsDomainProject).toBe(false);
    expect(read('export {};\n', 'domain')).toEqual({ state: 'unset' });
  });

  test('a string or comment that does not end is refused with where it starts', () => {
    expect(() => ProjenrcFile.parse(options('  domain: \'sales,\n  owner: \'x\','))).toThrow(new ProjenrcError('.projenrc.ts has a string that does not end on its line at 3:11'));
    expect(() => ProjenrcFile.parse('/* options\nnew SdlfDomainProject({});')).toThrow(/a comment that does not end at 1:1/);
    expect(() => ProjenrcFile.parse('const a = `${b')).toThrow(ProjenrcError);
  });
});

describe('the template version written in', () => {
  const set = (text: string, version = '2.0.0') => {
    const result = ProjenrcFile.parse(text).withTemplateVersion(version);
    expect(syntaxErrors(result)).toEqual([]);
    return result;
  };

  test('the line projen new comments out becomes the option, in a file with Windows line ends too', () => {
    expect(set(GENERATED)).toBe(GENERATED.replace(/\/\/ templateVersion: .*/, 'templateVersion: \'2.0.0\','));
    const windows = GENERATED.replace(/\n/g, '\r\n');
    expect(set(windows)).toBe(windows.replace(/\/\/ templateVersion: [^\r]*/, 'templateVersion: \'2.0.0\','));
  });

  test('the value alone is replaced: its quotes, a template literal, the comment after it stay the team\'s', () => {
    const text = options('  domain: "sales",\n  templateVersion: "1.0.0", // pinned by the platform\n  owner: \'x\'');
    expect(set(text)).toBe(text.replace('"1.0.0"', '\'2.0.0\''));
    const template = options('  templateVersion: `1.0.0`,\n  domain: \'sales\',');
    expect(set(template, 'file:/tmp/it\'s/sdlf-mesh-2.0.0.tgz')).toBe(template.replace('`1.0.0`', '\'file:/tmp/it\\\'s/sdlf-mesh-2.0.0.tgz\''));
  });

  test('a commented-out line after an option without a trailing comma gets the comma it needs', () => {
    const text = options('  domain: \'sales\'\n  // templateVersion: undefined,');
    expect(set(text)).toBe(options('  domain: \'sales\',\n  templateVersion: \'2.0.0\','));
  });

  test('an option in a block comment, a string or a nested object is not the option: it is added as the first one', () => {
    const text = options('  domain: \'sales\',\n  /* templateVersion: \'0.1.0\', */\n  description: \'templateVersion: 0.1.0\',\n  deps: { templateVersion: \'0.1.0\' },');
    expect(set(text)).toBe(text.replace('({\n', '({\n  templateVersion: \'2.0.0\',\n'));
  });

  test('a shorthand option is written out; every setting of a repeated option is replaced', () => {
    expect(set(options('  templateVersion,\n  domain: \'sales\','))).toBe(options('  templateVersion: \'2.0.0\',\n  domain: \'sales\','));
    expect(set(options('  templateVersion: \'1.0.0\',\n  templateVersion: \'1.1.0\','))).toBe(options('  templateVersion: \'2.0.0\',\n  templateVersion: \'2.0.0\','));
  });

  test('on an object of one line, and an empty one', () => {
    expect(set('new SdlfDomainProject({ domain: \'sales\' }).synth();')).toBe('new SdlfDomainProject({ templateVersion: \'2.0.0\', domain: \'sales\' }).synth();');
    expect(set('new SdlfDomainProject({}).synth();')).toBe('new SdlfDomainProject({ templateVersion: \'2.0.0\' }).synth();');
    expect(set('  new SdlfDomainProject({\n  }).synth();')).toBe('  new SdlfDomainProject({\n    templateVersion: \'2.0.0\',\n  }).synth();');
  });

  test('after an object spread, so that the pinned version wins over the spread one', () => {
    expect(set(options('  domain: \'sales\',\n  ...shared'))).toBe(options('  domain: \'sales\',\n  ...shared,\n  templateVersion: \'2.0.0\','));
  });

  test('nothing else of the file changes, however it is laid out', () => {
    const text = '/* header */\nimport { SdlfDomainProject } from "sdlf-mesh"\n\nconst project = new SdlfDomainProject( {\n\tdomain : \'sales\' ,\n\n\n\towner: \'x\' } )\nproject.synth()\n';
    expect(set(text)).toBe(text.replace('( {\n', '( {\n\ttemplateVersion: \'2.0.0\',\n'));
  });

  test('a file that does not create the project with its options written in the call is refused with what to do', () => {
    for (const text of ['export {};\n', 'const options = { domain: \'sales\' };\nnew SdlfDomainProject(options);\n', 'new SdlfPlatformProject({ owner: \'x\' });\n']) {
      expect(() => ProjenrcFile.parse(text).withTemplateVersion('2.0.0')).toThrow(
        new ProjenrcError('.projenrc.ts does not create an SdlfDomainProject with an options object: set templateVersion in it by hand'),
      );
    }
  });
});

describe('the import of the project types moved', () => {
  const names = new Set(['SdlfDomainProject', 'SdlfDomainProjectOptions']);
  const move = (text: string) => ProjenrcFile.parse(text).withImportsMoved('sdlf-mesh', 'sdlf-mesh/projects', names);

  test('type imports, renamed names and comments between the names move too', () => {
    const text = [
      'import type { SdlfDomainProjectOptions } from \'sdlf-mesh\';',
      'import { SdlfDomainProject as Domain, /* the options: */ type SdlfDomainProjectOptions as Options } from "sdlf-mesh";',
    ].join('\n');
    expect(move(text)).toBe(text.replace('\'sdlf-mesh\'', '\'sdlf-mesh/projects\'').replace('"sdlf-mesh"', '"sdlf-mesh/projects"'));
  });

  test('commented-out imports, strings, namespace and default imports, other modules and dynamic imports stay', () => {
    const text = [
      '// import { SdlfDomainProject } from \'sdlf-mesh\';',
      '/*',
      'import { SdlfDomainProject } from \'sdlf-mesh\';',
      '*/',
      'const help = "import { SdlfDomainProject } from \'sdlf-mesh\'";',
      'import * as sdlf from \'sdlf-mesh\';',
      'import sdlfDefault, { SdlfDomainProject } from \'sdlf-mesh\';',
      'import { SdlfDomainProject as P } from \'sdlf-mesh-extras\';',
      'const later = import(\'sdlf-mesh\');',
      'export { SdlfDomainProject } from \'sdlf-mesh\';',
    ].join('\n');
    expect(move(text)).toBe(text);
  });
});
