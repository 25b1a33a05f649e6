/** A mistake in the command line: printed with a hint and exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
