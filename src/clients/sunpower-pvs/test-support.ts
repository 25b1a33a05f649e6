import { PvsError } from './errors.js';

/** Awaits a call that must fail and returns its PvsError (any other outcome fails the test). */
export async function failure(promise: Promise<unknown>): Promise<PvsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof PvsError)) throw new Error(`expected a PvsError, got ${String(error)}`);
  return error;
}
