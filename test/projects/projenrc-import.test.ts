import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { SdlfDomainProject } from '../../src';
import { importProjectTypesEntryPoint, PROJECT_TYPE_NAMES } from '../../src/projects/projenrc-import';
import { PACKAGE_ROOT } from '../support/packed-template';
import { synthesize } from '../support/synth';

// The source of `sdlf-mesh/projects`, and what the compiler reads from it.
const ENTRY_POINT = path.join(PACKAGE_ROOT, 'src/projects/index.ts');
const program = ts.createProgram([ENTRY_POINT], { module: ts.ModuleKind.CommonJS, noEmit: true, skipLibCheck: true });

// What `projen new --from sdlf-mesh sdlf-domain` writes.
const GENERATED = `import { javascript } from 'projen';
import { SdlfDomainProject } from 'sdlf-mesh';
const project = new SdlfDomainProject({
  domain: 'sales',
  owner: 'sales-data@example.com',
});
project.synth();`;

describe('the import of the project types in .projenrc.ts', () => {
  test('the line projen new writes moves to sdlf-mesh/projects; nothing else changes', () => {
    const updated = importProjectTypesEntryPoint(GENERATED);
    expect(updated).toBe(GENERATED.replace("import { SdlfDomainProject } from 'sdlf-mesh';", "import { SdlfDomainProject } from 'sdlf-mesh/projects';"));
    expect(importProjectTypesEntryPoint(updated)).toBe(updated);
  });

  test('an import of the options types over several lines, in double quotes, moves too', () => {
    const projenrc = 'import {\n  SdlfDomainProject,\n  type SdlfDomainProjectOptions,\n} from "sdlf-mesh";\n';
    expect(importProjectTypesEntryPoint(projenrc)).toBe(projenrc.replace('"sdlf-mesh"', '"sdlf-mesh/projects"'));
  });

  test('an import that names a construct stays: the project types entry point does not have it', () => {
    const projenrc = "import { GovernanceTags, SdlfDomainProject } from 'sdlf-mesh';\nimport { Foo } from 'sdlf-mesh-extras';\n";
    expect(importProjectTypesEntryPoint(projenrc)).toBe(projenrc);
  });

  test('every name it moves is exported by the project types entry point', () => {
    const checker = program.getTypeChecker();
    const entryPoint = checker.getSymbolAtLocation(program.getSourceFile(ENTRY_POINT)!)!;
    const exported = checker.getExportsOfModule(entryPoint).map((symbol) => symbol.name);
    expect(exported).toEqual(expect.arrayContaining([...PROJECT_TYPE_NAMES]));
  });

  test('the synth of an existing repository updates its .projenrc.ts, and leaves one it cannot move alone', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-projenrc-'));
    const projenrc = path.join(outdir, '.projenrc.ts');
    const domain = () => new SdlfDomainProject({ name: 'sales', defaultReleaseBranch: 'main', cdkVersion: '2.200.0', projenrcTs: true, domain: 'sales', owner: 'sales-data@example.com', outdir });
    fs.writeFileSync(projenrc, GENERATED);
    synthesize(domain());
    expect(fs.readFileSync(projenrc, 'utf8')).toContain("import { SdlfDomainProject } from 'sdlf-mesh/projects';");

    const withConstruct = GENERATED.replace('{ SdlfDomainProject }', '{ GovernanceTags, SdlfDomainProject }');
    fs.writeFileSync(projenrc, withConstruct);
    synthesize(domain());
    expect(fs.readFileSync(projenrc, 'utf8')).toBe(withConstruct);
  });
});

test('the project types entry point reaches no aws-cdk-lib, at run time or when type-checked', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));
  expect(manifest.exports['./projects']).toEqual({ types: './lib/projects/index.d.ts', default: './lib/projects/index.js' });
  // projen new finds the project types through these.
  expect(manifest.exports['./.jsii']).toBe('./.jsii');
  expect(manifest.exports['./package.json']).toBe('./package.json');

  // Everything the compiler reads from the entry point's source: every import, type-only or not.
  const files = program.getSourceFiles().map((file) => path.relative(PACKAGE_ROOT, file.fileName));
  expect(files).toContain('src/projects/sdlf-domain-project.ts');
  expect(files.filter((file) => file.includes('node_modules/aws-cdk-lib/'))).toEqual([]);
  // Only the plain data types of the constructs, which import nothing.
  const plainTypes = ['src/constructs/domain-environment.ts', 'src/constructs/consumer-allow-list.ts'];
  expect(files.filter((file) => file.startsWith('src/constructs/') && !plainTypes.includes(file))).toEqual([]);
});
