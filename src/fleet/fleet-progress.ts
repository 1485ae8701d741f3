import { FleetProgressEvent } from './upgrade-fleet';

/**
 * What a platform engineer sees while a fleet upgrade runs. On a terminal: a block that is redrawn
 * in place, with the repositories done, failed and skipped so far and each worker's repository and
 * step. Elsewhere (CI logs, a file): one plain line an event, which reads well when appended.
 */
export class FleetProgress {
  private readonly current = new Map<number, string>();
  private readonly counts = { done: 0, failed: 0, skipped: 0 };
  private drawnLines = 0;

  /**
   * @param write where the text goes (the command's standard output)
   * @param terminal whether it is a terminal, which can redraw lines
   */
  constructor(
    private readonly write: (text: string) => void,
    private readonly terminal: boolean,
  ) {}

  /** Takes a repository's step or result into the display. */
  public readonly update = (event: FleetProgressEvent): void => {
    if (event.result) {
      const { status, error, step } = event.result;
      this.counts[status === 'failed' ? 'failed' : status === 'upgraded' ? 'done' : 'skipped']++;
      this.current.delete(event.worker);
      this.line(`${event.repository}: ${status}${error ? ` in ${step}: ${error.split('\n')[0]}` : ''}`);
    } else {
      this.current.set(event.worker, `${event.repository}: ${event.step}`);
      this.line(`${event.repository}: ${event.step}`);
    }
    if (this.terminal) {
      this.redraw();
    }
  };

  private line(text: string): void {
    if (!this.terminal) {
      this.write(`${text}\n`);
    }
  }

  private redraw(): void {
    const { done, failed, skipped } = this.counts;
    const workers = [...this.current.entries()].sort(([a], [b]) => a - b).map(([worker, text]) => `  worker ${worker}: ${text}`);
    const lines = [`done ${done}, failed ${failed}, skipped ${skipped}`, ...workers];
    // Up over the block drawn last, clear to the end of the screen, draw the new one.
    const erase = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A\x1b[J` : '';
    this.write(`${erase}${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
  }
}
