import { createHash } from 'crypto';

/**
 * A name within `limit` characters: as it is when it fits, else cut and ended with a hash of the
 * whole, so two long names stay apart and the same name always gives the same result.
 */
export function resourceName(name: string, limit: number): string {
  if (name.length <= limit) {
    return name;
  }
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, limit - 9)}-${hash}`;
}
