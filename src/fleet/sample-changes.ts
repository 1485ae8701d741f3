import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SAMPLE_FINGERPRINTS_FILE } from '../projects/sample-renderings';
import { ExecResult } from '../util/exec';
import { git } from '../util/git';
import { readUntrustedFile } from '../util/untrusted-file';

/** A sample file whose template version changed, while the domain team's file stays. */
export interface SampleChange {
  readonly file: string;
  /** From the domain's file to the template's new version, as `git diff` shows it. */
  readonly diff: string;
}

/** The longest diff shown for one sample; the rest is cut with a note. */
const MAX_DIFF_LINES = 200;

/**
 * The sample files the new template renders differently from the old one (their fingerprints in
 * `.projen/sdlf-samples.json` changed, or the old template kept none) and that differ from the
 * domain's file: the upgrade shows these in its request and never writes them.
 *
 * @param repoDir the repository after the new template's synth
 * @param renderingsDir where that synth wrote the template's renderings
 * @param oldFingerprints the fingerprints on the default branch (empty when it has none)
 */
export async function sampleChanges(repoDir: string, renderingsDir: string, oldFingerprints: Record<string, string>): Promise<SampleChange[]> {
  // Both folders were written by the domain's code: read as untrusted (no links, regular files).
  const newFingerprints: Record<string, string> = parseFingerprints(readUntrustedFile(repoDir, SAMPLE_FINGERPRINTS_FILE) ?? '{}', `${SAMPLE_FINGERPRINTS_FILE} as the synth wrote it`);
  const changes: SampleChange[] = [];
  for (const file of Object.keys(newFingerprints).sort()) {
    const templateChanged = oldFingerprints[file] === undefined || oldFingerprints[file] !== newFingerprints[file];
    if (!templateChanged) {
      continue;
    }
    const ours = readUntrustedFile(repoDir, file);
    const rendering = readUntrustedFile(renderingsDir, file);
    if (ours === undefined || rendering === undefined || ours === rendering) {
      continue;
    }
    changes.push({ file, diff: await diffTexts(file, ours, rendering) });
  }
  return changes;
}

/** `git diff` of two texts of `file`, as `a/<file>` and `b/<file>`, cut at {@link MAX_DIFF_LINES}. */
async function diffTexts(file: string, ours: string, rendering: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-mesh-sample-'));
  try {
    fs.mkdirSync(path.join(dir, 'a'));
    fs.mkdirSync(path.join(dir, 'b'));
    fs.writeFileSync(path.join(dir, 'a', 'file'), ours);
    fs.writeFileSync(path.join(dir, 'b', 'file'), rendering);
    // git diff --no-index exits 1 when the files differ: that is the answer, not a failure.
    const output = await git(dir, 'diff', '--no-index', '--no-color', '--no-prefix', '--', 'a/file', 'b/file').then(
      (result) => result.stdout,
      (error) => String(error.output ?? ''),
    );
    const lines = output.trim().split('\n').filter((line) => !line.startsWith('diff --git') && !line.startsWith('index '));
    // Only the two header lines name the files: a line of the texts that reads `a/file` stays as it is.
    const header: Record<string, string> = { '--- a/file': `--- a/${file}`, '+++ b/file': `+++ b/${file}` };
    const shown = lines.slice(0, MAX_DIFF_LINES).map((line, index) => (index < 2 ? header[line] ?? line : line));
    if (lines.length > MAX_DIFF_LINES) {
      shown.push(`... ${lines.length - MAX_DIFF_LINES} more lines`);
    }
    return shown.join('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The fingerprints a branch of the repository holds, or none. */
export async function fingerprintsAt(runGit: (...args: string[]) => Promise<ExecResult>, ref: string): Promise<Record<string, string>> {
  return runGit('show', `${ref}:${SAMPLE_FINGERPRINTS_FILE}`).then(
    (result) => parseFingerprints(result.stdout, `${SAMPLE_FINGERPRINTS_FILE} of ${ref}`),
    () => ({}),
  );
}

function parseFingerprints(text: string, what: string): Record<string, string> {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not JSON (${(error as Error).message}): ${JSON.stringify(text.slice(0, 200))}`);
  }
}

/**
 * The Markdown section of the upgrade request about the samples the template changed.
 *
 * @param where the repository's default branch and the template version the diffs compare with
 */
export function sampleChangesSection(changes: SampleChange[], where: { defaultBranch: string; version: string }): string {
  if (changes.length === 0) {
    return '';
  }
  return [
    '## Samples the template changed (not applied)',
    'These files are yours: the upgrade left them as they are. Take from the template\'s new version what you want.',
    `Each diff compares two versions of the file at its path in this repository: \`a/<path>\` is yours, as it is on \`${where.defaultBranch}\` and on this branch; \`b/<path>\` is what template ${where.version} renders for it.`,
    '',
    ...changes.flatMap((change) => [`### \`${change.file}\``, '', '```diff', change.diff, '```', '']),
  ].join('\n');
}
