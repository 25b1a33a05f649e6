// Shared by the HTTP clients: what failed, from an error and its cause chain (undici nests the socket error).

/** The first `code` and the messages along an error's cause chain (five levels at most). */
export function describeFailure(error: unknown): { code: string | undefined; message: string } {
  let code: string | undefined;
  const messages: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (typeof e !== 'object') {
      messages.push(String(e));
      break;
    }
    const c = (e as { code?: unknown }).code;
    if (code === undefined && typeof c === 'string') code = c;
    const m = (e as { message?: unknown }).message;
    if (typeof m === 'string' && m) messages.push(m);
    e = (e as { cause?: unknown }).cause;
  }
  return { code, message: messages.join(': ') || 'unknown error' };
}
