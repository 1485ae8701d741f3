import * as fs from 'fs';
import * as path from 'path';
import { SAMPLE_FINGERPRINTS_FILE } from '../projects/sample-renderings';
import { exec } from '../util/exec';

/** A sample file whose template version changed, while the domain team's file stays. */
export interface SampleChange {
  readonly file: string;
  /** From the domain's file to the template's new version, as `git diff` shows it. */
  readonly diff: string;
}

/** The longest diff shown for one sample; the rest is cut with a note. */
const MAX_DIFF_LINES = 60;

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
  const fingerprintsFile = path.join(repoDir, SAMPLE_FINGERPRINTS_FILE);
  const newFingerprints: Record<string, string> = fs.existsSync(fingerprintsFile) ? JSON.parse(fs.readFileSync(fingerprintsFile, 'utf8')) : {};
  const changes: SampleChange[] = [];
  for (const file of Object.keys(newFingerprints).sort()) {
    const ours = path.join(repoDir, file);
    const rendering = path.join(renderingsDir, file);
    const templateChanged = oldFingerprints[file] === undefined || oldFingerprints[file] !== newFingerprints[file];
    if (!templateChanged || !fs.existsSync(ours) || !fs.existsSync(rendering) || fs.readFileSync(ours, 'utf8') === fs.readFileSync(rendering, 'utf8')) {
      continue;
    }
    // git diff --no-index exits 1 when the files differ: that is the answer, not a failure.
    const output = await exec('git', ['diff', '--no-index', '--no-color', '--', ours, rendering], { cwd: repoDir }).then(
      (result) => result.stdout,
      (error) => String(error.output ?? ''),
    );
    const lines = output.trim().split('\n').filter((line) => !line.startsWith('diff --git') && !line.startsWith('index '));
    const shown = lines.slice(0, MAX_DIFF_LINES).map((line) => line.replace(ours, `a/${file}`).replace(rendering, `b/${file}`));
    if (lines.length > MAX_DIFF_LINES) {
      shown.push(`... ${lines.length - MAX_DIFF_LINES} more lines`);
    }
    changes.push({ file, diff: shown.join('\n') });
  }
  return changes;
}

/** The fingerprints a branch of the repository holds, or none. */
export async function fingerprintsAt(repoDir: string, ref: string, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  return exec('git', ['show', `${ref}:${SAMPLE_FINGERPRINTS_FILE}`], { cwd: repoDir, env }).then(
    (result) => JSON.parse(result.stdout),
    () => ({}),
  );
}

/** The Markdown section of the upgrade request about the samples the template changed. */
export function sampleChangesSection(changes: SampleChange[]): string {
  if (changes.length === 0) {
    return '';
  }
  return [
    '## Samples the template changed (not applied)',
    'These files are yours: the upgrade left them as they are. Take from the template\'s new version what you want.',
    '',
    ...changes.flatMap((change) => [`### \`${change.file}\``, '', '```diff', change.diff, '```', '']),
  ].join('\n');
}
