import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `value` by edit distance, when it is close enough to be the likely
 * intent (at most a third of the longer word differs); undefined otherwise.
 */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(value.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) {
    return undefined;
  }
  return bestDistance <= Math.max(1, Math.floor(Math.max(value.length, best.length) / 3)) ? best : undefined;
}
