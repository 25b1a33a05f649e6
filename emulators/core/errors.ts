/**
 * Raised for bad input to our own control surfaces (control API, CLI, in-process calls).
 * The HTTP control API turns it into a 400 with the message; it never reaches a device route.
 */
export class ControlInputError extends Error {
  override readonly name = 'ControlInputError';
}
