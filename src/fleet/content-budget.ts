/**
 * GitHub's limit on content-creating requests of one identity: 500 an hour (and 80 a minute,
 * which the API client's spacing keeps to). A fleet's apply phase takes one of these a repository.
 */
export const CONTENT_CREATING_PER_HOUR = 500;
const HOUR_MS = 3_600_000;

/** The time a {@link ContentBudget} reads and waits on (a test's own, in tests). */
export interface BudgetClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * A sliding window of an identity's content-creating requests: {@link take} waits until one more
 * stays within the hour's limit, so a large fleet's apply phase runs at GitHub's pace instead of
 * into its 403s. Requests of earlier jobs of the same identity are counted with {@link seed}.
 */
export class ContentBudget {
  private readonly sent: number[] = [];

  constructor(
    private readonly perHour = CONTENT_CREATING_PER_HOUR,
    private readonly clock: BudgetClock = { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
  ) {}

  /** Counts requests sent at these times (milliseconds since the epoch) by earlier jobs. */
  public seed(times: number[]): void {
    this.sent.push(...times);
    this.sent.sort((a, b) => a - b);
  }

  /** When `count` more requests, taken one after the other from now, will all have been sent (milliseconds since the epoch). */
  public expectedEnd(count: number): number {
    const now = this.clock.now();
    const window = this.sent.filter((time) => time > now - HOUR_MS);
    let end = now;
    for (let request = 0; request < count; request++) {
      // The request waits until the one `perHour` places before it leaves the window.
      const before = window.length - this.perHour;
      end = Math.max(end, before >= 0 ? window[before] + HOUR_MS : now);
      window.push(end);
    }
    return end;
  }

  /** Waits until one more request stays within the limit, and counts it. */
  public async take(): Promise<void> {
    const now = this.clock.now();
    const inWindow = this.sent.filter((time) => time > now - HOUR_MS);
    if (inWindow.length >= this.perHour) {
      await this.clock.sleep(inWindow[inWindow.length - this.perHour] + HOUR_MS - now);
    }
    this.sent.push(this.clock.now());
  }
}
