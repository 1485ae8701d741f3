import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PACKAGE_ROOT } from '../support/packed-template';

/*
 * The folders of src/ are layers (.dependency-cruiser.js): the domain model at the bottom, the
 * command line at the top. An import upward, a cycle, or the CDK or projen loaded outside the one
 * folder that is built on them, fails here with the rule's name.
 */

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

/** The violations dependency-cruiser finds under `src/` of `root` with this package's layer rules. */
function violations(root: string): string[] {
  // It exits with the number of violations: the report is on stdout either way.
  const { stdout } = spawnSync(
    path.join(PACKAGE_ROOT, 'node_modules', '.bin', 'depcruise'),
    ['src', '--config', path.join(PACKAGE_ROOT, '.dependency-cruiser.js'), '--output-type', 'json'],
    { cwd: root, encoding: 'utf8' },
  );
  return (JSON.parse(stdout).summary.violations as Violation[]).map((violation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`);
}

test('no folder of src/ imports from a layer above it, and none loads the CDK or projen but their own', () => {
  expect(violations(PACKAGE_ROOT)).toEqual([]);
});

test('an import upward, between folders of one layer, of the CDK from the domain model, or of a command\'s code before it runs is found', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  fs.symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  fs.copyFileSync(path.join(PACKAGE_ROOT, 'tsconfig.json'), path.join(root, 'tsconfig.json'));
  const files: Record<string, string> = {
    'src/domain/model.ts': "import { App } from 'aws-cdk-lib';\nimport { stack } from '../constructs/stack';\nexport const model = [App, stack];\n",
    'src/constructs/stack.ts': "import { project } from '../projects/project';\nexport const stack = project;\n",
    'src/projects/project.ts': 'export const project = 1;\n',
    'src/cli/commands.ts': "import { upgrade } from './upgrade-command';\nexport const COMMANDS = [upgrade, () => import('./lint-command.js')];\n",
    'src/cli/upgrade-command.ts': 'export const upgrade = 1;\n',
    'src/cli/lint-command.ts': 'export const lint = 1;\n',
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  expect(violations(root).sort()).toEqual([
    'cdk-only-in-constructs: src/domain/model.ts -> node_modules/aws-cdk-lib/index.js',
    'commands-load-when-run: src/cli/commands.ts -> src/cli/upgrade-command.ts',
    'no-import-above-constructs: src/constructs/stack.ts -> src/projects/project.ts',
    'no-import-above-domain: src/domain/model.ts -> src/constructs/stack.ts',
  ]);
});
