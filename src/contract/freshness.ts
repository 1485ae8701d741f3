import type { Contract } from './contract';

/** The SLA properties that promise how recent the data is. */
const FRESHNESS_PROPERTIES = /^(freshness|latency)$/i;

/** Whether an SLA property (`slaProperties[].property`) promises how recent the data is. */
export function isFreshnessProperty(property: string): boolean {
  return FRESHNESS_PROPERTIES.test(property);
}

/** Seconds per SLA unit, as ODCS writes them (`d`, `day`, `days`, `h`, `hr`, `hours`, `m`, `min`...). */
const UNIT_SECONDS: Array<[RegExp, number]> = [
  [/^(d|day|days)$/i, 86_400],
  [/^(h|hr|hrs|hour|hours)$/i, 3_600],
  [/^(m|min|mins|minute|minutes)$/i, 60],
];

/** A freshness promise of a contract, in seconds, and where it is in the contract. */
export interface FreshnessPromise {
  /** The window: new data at least this often. */
  readonly seconds: number;
  /** The promise as written, e.g. `24 h`. */
  readonly text: string;
  /** Its index in `slaProperties`. */
  readonly index: number;
}

/**
 * The contract's freshness promise (`slaProperties` freshness or latency with a number and a time
 * unit), the strictest when there are several; undefined when it makes none, or none that is a
 * duration.
 */
export function freshnessOf(contract: Pick<Contract, 'sla'>): FreshnessPromise | undefined {
  const promises = contract.sla.flatMap((sla, index): FreshnessPromise[] => {
    const value = typeof sla.value === 'number' ? sla.value : Number(sla.value);
    const unit = UNIT_SECONDS.find(([pattern]) => pattern.test(sla.unit ?? ''));
    if (!isFreshnessProperty(sla.property) || !unit || !Number.isFinite(value) || value <= 0) {
      return [];
    }
    return [{ seconds: Math.round(value * unit[1]), text: `${sla.value} ${sla.unit}`, index }];
  });
  return promises.sort((a, b) => a.seconds - b.seconds)[0];
}

/** The longest window CloudWatch evaluates an alarm over: 7 days. */
export const MAX_ALARM_WINDOW_SECONDS = 7 * 86_400;

/** The shortest: one minute, CloudWatch's standard resolution. */
export const MIN_ALARM_WINDOW_SECONDS = 60;

/**
 * How a CloudWatch alarm covers a window: `evaluationPeriods` periods of `periodSeconds` (a
 * multiple of 60, at most a day, as CloudWatch requires), all breaching to alarm, so the alarm
 * says "nothing in the whole window". A window beyond 7 days is cut to 7 days.
 */
export function alarmWindow(seconds: number): { periodSeconds: number; evaluationPeriods: number; clamped: boolean } {
  const window = Math.min(Math.max(seconds, MIN_ALARM_WINDOW_SECONDS), MAX_ALARM_WINDOW_SECONDS);
  const evaluationPeriods = Math.ceil(window / 86_400);
  const periodSeconds = Math.ceil(window / evaluationPeriods / 60) * 60;
  return { periodSeconds, evaluationPeriods, clamped: seconds > MAX_ALARM_WINDOW_SECONDS };
}
