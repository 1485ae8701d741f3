/**
 * The fleet upgrade's progress, as a person sees it: on a terminal (xterm.js's headless terminal,
 * which interprets the control sequences as a real terminal does) and in a log.
 */
import { Terminal } from '@xterm/headless';
import { FleetProgress, FleetProgressEvent, RepositoryUpgrade } from '../../src/fleet';

const upgraded = (repository: string): RepositoryUpgrade => ({ repository, status: 'upgraded', from: '0.1.0', to: '0.2.0' });

/** Two workers, five repositories: two upgraded, one archived, one failed, one still running. */
const EVENTS: FleetProgressEvent[] = [
  { repository: 'acme/alpha', worker: 0, step: 'clone' },
  { repository: 'acme/bravo', worker: 1, step: 'clone' },
  { repository: 'acme/alpha', worker: 0, step: 'install' },
  { repository: 'acme/bravo', worker: 1, result: { repository: 'acme/bravo', status: 'archived', to: '0.2.0' } },
  { repository: 'acme/charlie', worker: 1, step: 'clone' },
  { repository: 'acme/alpha', worker: 0, step: 'synth' },
  { repository: 'acme/charlie', worker: 1, result: { repository: 'acme/charlie', status: 'failed', to: '0.2.0', step: 'clone', error: 'git clone failed (exit code 128):\nfatal: unable to access' } },
  { repository: 'acme/alpha', worker: 0, result: upgraded('acme/alpha') },
  { repository: 'acme/delta', worker: 1, step: 'clone' },
  { repository: 'acme/delta', worker: 1, step: 'install' },
  { repository: 'acme/echo', worker: 0, step: 'clone' },
  { repository: 'acme/delta', worker: 1, result: upgraded('acme/delta') },
];

/** The screen's lines, trimmed, after the text is written to a terminal. */
async function screen(text: string): Promise<string[]> {
  const terminal = new Terminal({ cols: 80, rows: 24, allowProposedApi: true });
  // A terminal moves to the start of the line on a newline only with the tty's onlcr setting.
  await new Promise<void>((resolve) => terminal.write(text.replace(/\n/g, '\r\n'), resolve));
  const buffer = terminal.buffer.active;
  const lines = Array.from({ length: buffer.length }, (_, i) => buffer.getLine(i)!.translateToString(true));
  terminal.dispose();
  while (lines.length > 0 && lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

test('on a terminal, one block is redrawn in place: the counts, then each busy worker\'s repository and step', async () => {
  let output = '';
  const progress = new FleetProgress((text) => (output += text), true);
  EVENTS.slice(0, 6).forEach(progress.update);
  expect(await screen(output)).toEqual(['done 0, failed 0, skipped 1', '  worker 0: acme/alpha: synth', '  worker 1: acme/charlie: clone']);

  EVENTS.slice(6).forEach(progress.update);
  expect(await screen(output)).toEqual(['done 2, failed 1, skipped 1', '  worker 0: acme/echo: clone']);
});

test('in a log, a plain line an event, with the first line of a failure\'s cause', () => {
  let output = '';
  const progress = new FleetProgress((text) => (output += text), false);
  EVENTS.forEach(progress.update);
  const lines = output.trimEnd().split('\n');
  expect(lines).toHaveLength(EVENTS.length);
  expect(lines).toContain('acme/bravo: archived');
  expect(lines).toContain('acme/charlie: failed in clone: git clone failed (exit code 128):');
  expect(lines).toContain('acme/alpha: synth');
  expect(output).not.toContain('\x1b[');
});
