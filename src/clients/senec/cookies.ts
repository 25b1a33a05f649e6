/**
 * The cookie handling a single device needs: NPU image ≥ 2411 sets `senec-homev3-gui=<64 hex>; Secure; HttpOnly;
 * Max-Age=3600; SameSite=Strict` and the GUI sends it back. Every cookie is kept per name (the client talks to one
 * host); `Max-Age` / `Expires` are honoured, other attributes ignored. `Secure` is ignored on purpose: an HTTP-only
 * device (or emulator) that sets it still expects it back, and aiohttp in ha-senec-v3 runs with an unsafe jar too.
 */

export const SESSION_COOKIE = 'senec-homev3-gui';

interface StoredCookie {
  readonly value: string;
  /** Epoch milliseconds; undefined for a session cookie. */
  readonly expiresAt: number | undefined;
}

export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Stores the cookies of the `Set-Cookie` header lines of one response. */
  store(setCookie: readonly string[] | string | undefined): void {
    const lines = setCookie === undefined ? [] : typeof setCookie === 'string' ? [setCookie] : setCookie;
    for (const line of lines) this.storeOne(line);
  }

  private storeOne(line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (name === '') return;
    let expiresAt: number | undefined;
    for (const attribute of attributes) {
      const [rawKey = '', ...rest] = attribute.split('=');
      const key = rawKey.trim().toLowerCase();
      const attrValue = rest.join('=').trim();
      if (key === 'max-age' && /^-?\d+$/.test(attrValue)) {
        // Max-Age wins over Expires (RFC 6265 §5.3).
        expiresAt = this.now() + Number(attrValue) * 1000;
        break;
      }
      if (key === 'expires') {
        const time = Date.parse(attrValue);
        if (!Number.isNaN(time)) expiresAt = time;
      }
    }
    if (expiresAt !== undefined && expiresAt <= this.now()) {
      this.cookies.delete(name);
      return;
    }
    this.cookies.set(name, { value, expiresAt });
  }

  /** The value of a live cookie. */
  get(name: string): string | undefined {
    const cookie = this.cookies.get(name);
    if (cookie === undefined) return undefined;
    if (cookie.expiresAt !== undefined && cookie.expiresAt <= this.now()) {
      this.cookies.delete(name);
      return undefined;
    }
    return cookie.value;
  }

  /** The `Cookie` request header, or undefined when no cookie is live. */
  header(): string | undefined {
    const pairs: string[] = [];
    for (const name of [...this.cookies.keys()]) {
      const value = this.get(name);
      if (value !== undefined) pairs.push(`${name}=${value}`);
    }
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }

  clear(): void {
    this.cookies.clear();
  }
}
