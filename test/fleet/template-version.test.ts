import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { failureSummary } from '../../src/fleet/propose-upgrade';
import { currentTemplateVersion, resolveUpgradeTarget, setTemplateVersion } from '../../src/fleet/template-version';
import { changelogBetween } from '../../src/fleet/upgrade-request-body';

const GENERATED = `import { SdlfDomainProject } from 'sdlf-mesh';
const project = new SdlfDomainProject({
  domain: 'sales',
  owner: 'sales-data@example.com',

  // templateVersion: undefined,    /* The version of sdlf-mesh (the template) this repository depends on. */
});
project.synth();
`;

describe('the template version in .projenrc.ts', () => {
  test('the commented-out option projen new writes is set in place', () => {
    const upgraded = setTemplateVersion(GENERATED, '1.4.0');
    expect(upgraded).toContain("\n  templateVersion: '1.4.0',\n});");
    expect(upgraded.replace("  templateVersion: '1.4.0',", '')).toBe(GENERATED.replace(/ {2}\/\/ templateVersion.*/, ''));
  });

  test('a set option is replaced; nothing else of the file changes', () => {
    const once = setTemplateVersion(GENERATED, '1.4.0');
    expect(setTemplateVersion(once, "file:/tmp/it's/sdlf-mesh-1.5.0.tgz")).toBe(once.replace("'1.4.0'", "'file:/tmp/it\\'s/sdlf-mesh-1.5.0.tgz'"));
  });

  test('a file without the option gets it as the first option', () => {
    const bare = "const project = new SdlfDomainProject({\n  domain: 'sales',\n});\n";
    expect(setTemplateVersion(bare, '2.0.0')).toBe("const project = new SdlfDomainProject({\n  templateVersion: '2.0.0',\n  domain: 'sales',\n});\n");
  });

  test('a file that does not create the project is refused with what to do', () => {
    expect(() => setTemplateVersion('export {};\n', '2.0.0')).toThrow(/set templateVersion in it by hand/);
  });
});

test('the current version comes from the dependency: a version, a range or a tarball', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'version-'));
  const write = (spec: string) => fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ dependencies: { 'sdlf-mesh': spec } }));
  write('1.2.3');
  expect(currentTemplateVersion(dir)).toBe('1.2.3');
  write('^1.2.0');
  expect(currentTemplateVersion(dir)).toBe('1.2.0');
  write('file:/tmp/x/sdlf-mesh-0.3.0.tgz');
  expect(currentTemplateVersion(dir)).toBe('0.3.0');
});

test('--to takes a version or a tarball of this package, and says what else would do', async () => {
  await expect(resolveUpgradeTarget('1.4.0')).resolves.toEqual({ version: '1.4.0', templateVersion: '1.4.0', installSpec: 'sdlf-mesh@1.4.0' });
  await expect(resolveUpgradeTarget('latest')).rejects.toThrow(/Invalid option "--to": "latest" is not a version; give one such as --to 1.4.0/);
  await expect(resolveUpgradeTarget('/no/such/sdlf-mesh-1.0.0.tgz')).rejects.toThrow(/does not exist/);
});

test('the changelog between two versions takes the later ones, up to the target', () => {
  const changelog = '# Changelog\n\n## [1.3.0]\n\n- c\n\n## v1.2.0\n\n- b\n\n## 1.1.0\n\n- a\n';
  expect(changelogBetween(changelog, '1.1.0', '1.2.0')).toBe('## v1.2.0\n\n- b');
  expect(changelogBetween(changelog, '1.1.0', '1.3.0')).toBe('## [1.3.0]\n\n- c\n\n## v1.2.0\n\n- b');
  expect(changelogBetween(changelog, undefined, '1.1.0')).toBe('## 1.1.0\n\n- a');
});

test('a failure is summed up by its command, the lines that say why and the last lines', () => {
  const message = [
    'npx projen failed (exit code 1):',
    'npm warn EBADENGINE Unsupported engine {',
    '/tmp/x/.projenrc.ts:21',
    'throw new Error("broken by its team");',
    'Error: broken by its team',
    '    at Object.<anonymous> (/tmp/x/.projenrc.ts:21:7)',
    '    at Module._compile (node:internal/modules/cjs/loader:1554:14)',
    '👾 Synthesis failed: Task "default" failed when executing "ts-node .projenrc.ts"',
  ].join('\n');
  expect(failureSummary(new Error(message)).split('\n')).toEqual([
    'npx projen failed (exit code 1):',
    'throw new Error("broken by its team");',
    'Error: broken by its team',
    '👾 Synthesis failed: Task "default" failed when executing "ts-node .projenrc.ts"',
  ]);
});
