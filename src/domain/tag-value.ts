import { InvalidOptionError } from '../util/invalid-option-error';

// What AWS accepts in a tag value on every service that takes tags.
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

/**
 * Throws an {@link InvalidOptionError} naming `option` unless `value` can be an AWS tag value,
 * since every governance option ends up as a tag on every resource.
 */
export function assertTagValue(value: string, option: string): void {
  if (!TAG_VALUE.test(value)) {
    throw new InvalidOptionError(
      option,
      `"${value}" cannot be an AWS tag value: give 1 to 256 letters, digits, spaces or _ . : / = + - @`,
    );
  }
}
