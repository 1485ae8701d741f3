import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sampleChanges, sampleChangesSection } from '../../src/fleet/sample-changes';
import { SAMPLE_FINGERPRINTS_FILE } from '../../src/projects/sample-renderings';

/** A folder holding `files` (path → text). */
function folderWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-changes-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

// The domain team's README mentions a path that reads like git's own `a/file`.
const OURS = '# Sales data\n\nRaw files land in data/file.csv.\n';
const RENDERED = '# Sales data\n\nRaw files land in data/file.csv.\n\nNew in the template.\n';

test('a sample diff names the file at its path as a/ (the domain\'s) and b/ (the template\'s), and leaves the texts as they are', async () => {
  const repo = folderWith({ 'docs/README.md': OURS, [SAMPLE_FINGERPRINTS_FILE]: JSON.stringify({ 'docs/README.md': 'new' }) });
  const renderings = folderWith({ 'docs/README.md': RENDERED });

  const [change, ...rest] = await sampleChanges(repo, renderings, { 'docs/README.md': 'old' });
  expect(rest).toEqual([]);
  const lines = change.diff.split('\n');
  expect(lines.slice(0, 2)).toEqual(['--- a/docs/README.md', '+++ b/docs/README.md']);
  expect(lines).toContain(' Raw files land in data/file.csv.');
  expect(lines).toContain('+New in the template.');
});

test('the section says where each side of the diffs comes from: the domain\'s file on the default branch, the new template\'s rendering', () => {
  const section = sampleChangesSection([{ file: 'README.md', diff: '--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-x\n+y' }], { defaultBranch: 'trunk', version: '0.2.0' });
  expect(section).toContain('`a/<path>` is yours, as it is on `trunk` and on this branch; `b/<path>` is what template 0.2.0 renders for it.');
  expect(section).toContain('### `README.md`\n\n```diff\n--- a/README.md\n+++ b/README.md\n');
  expect(sampleChangesSection([], { defaultBranch: 'main', version: '0.2.0' })).toBe('');
});
