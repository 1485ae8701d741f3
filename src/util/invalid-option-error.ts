/**
 * An option a user gave (a `projen new` flag, a project option or a construct prop) cannot work.
 *
 * The message names the option, says why the value is refused and what would be valid, so the
 * user can fix it without reading code. It is thrown before anything is written or created.
 */
export class InvalidOptionError extends Error {
  constructor(
    /** The option as the user wrote it, e.g. `domain` or `environments[1]`. */
    public readonly option: string,
    /** Why the value is refused and what would be valid. */
    public readonly problem: string,
  ) {
    super(`Invalid option "${option}": ${problem}`);
    this.name = 'InvalidOptionError';
    // The message says all there is to say: a stack trace of library internals would only bury it
    // when `projen new` prints the error.
    this.stack = `${this.name}: ${this.message}`;
  }

  /**
   * How Node prints the error (`console.error(error)`, as `projen new` does with an error of the
   * project's constructor): its message alone, without the source line Node points at or the
   * fields `option` and `problem` repeated.
   */
  public [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.message;
  }
}
