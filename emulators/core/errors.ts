/** Marks the error across copies of voltbench: a user's device may import another build of this class. */
const BRAND = Symbol.for('voltbench.ControlInputError');

/**
 * Raised for bad input to our own control surfaces (control API, CLI, in-process calls).
 * The HTTP control API turns it into a 400 with the message; it never reaches a device route.
 */
export class ControlInputError extends Error {
  override readonly name = 'ControlInputError';
  readonly [BRAND] = true;

  // `instanceof` holds for one thrown by any copy of this class (the bundled CLI and the package's
  // own modules are two copies when a device of your own imports `voltbench/device`).
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
