// Finds the recorded answer for a live HTTP request: equal key first, then a recorded request that covers it
// (redacted wildcards, SENEC subsets), then the device's own error answer with one log line.

import { randomBytes } from 'node:crypto';
import type { HttpExchange } from '../recording/format.js';
import { decodeBytes } from '../recording/bytes.js';
import { credentialAccepts, formKey, sameWithWildcards, type RequestForm } from './form.js';
import type { HttpAnswer, HttpRules, IncomingHttp, RecordedHttp } from './http-rules.js';
import { recordedRequest } from './http-rules.js';
import type { Ledger } from './ledger.js';
import { nearestKeys } from './nearest.js';

export type HttpOutcome =
  | { kind: 'served'; key: string; exchange: HttpExchange; /** null: the device never answered (drop the connection). */ answer: HttpAnswer | null }
  | { kind: 'unmatched'; key: string; answer: HttpAnswer; log: string };

export class HttpMatcher {
  private readonly recorded: RecordedHttp[];
  private readonly byKey = new Map<string, RecordedHttp[]>();
  /** Candidates found by scanning, per request key (the scan's result never changes). */
  private readonly scanned = new Map<string, RecordedHttp[]>();
  private readonly tokensByKey = new Map<string, string[]>();

  constructor(
    private readonly rules: HttpRules,
    exchanges: readonly HttpExchange[],
    private readonly ledger: Ledger,
  ) {
    this.recorded = exchanges.map((exchange) => {
      const request = recordedRequest(exchange);
      const form = rules.form(request);
      return { exchange, request, form, key: formKey(form) };
    });
    for (const entry of this.recorded) {
      const list = this.byKey.get(entry.key) ?? [];
      list.push(entry);
      this.byKey.set(entry.key, list);
      if (!this.tokensByKey.has(entry.key)) this.tokensByKey.set(entry.key, tokensOf(entry.form));
    }
  }

  /** Distinct recorded keys, in first-recorded order. */
  keys(): string[] {
    return [...this.byKey.keys()];
  }

  resolve(request: IncomingHttp): HttpOutcome {
    this.ledger.received++;
    const form = this.rules.form(request);
    const key = formKey(form);
    const candidates = this.candidates(form, key);
    const accepted = candidates.filter((c) => credentialAccepts(c.form.credential, form.credential));
    if (accepted.length === 0) {
      const reason = candidates.length > 0 ? 'credential' : 'no-match';
      const { answer, note } = this.rules.unmatched(request, form, { reason, recorded: this.recorded });
      this.ledger.unmatched(key);
      const nearest = nearestKeys(tokensOf(form), this.tokensByKey);
      const why = reason === 'credential' ? 'recorded only with another credential' : 'no recorded request matches';
      const log =
        `replay ${this.rules.device}: unmatched ${request.method} ${request.url} (key "${key}"): ${why}; ` +
        `nearest recorded: ${nearest.length > 0 ? nearest.map((k) => `"${k}"`).join(', ') : 'none'}; answered ${note}`;
      return { kind: 'unmatched', key, answer, log };
    }
    const chosen = this.ledger.choose(key, accepted);
    const response = chosen.exchange.response;
    if (response === null) return { kind: 'served', key, exchange: chosen.exchange, answer: null };
    let answer: HttpAnswer = { status: response.status, headers: freshCookies(response.headers), body: decodeBytes(response.body) };
    if (chosen.key !== key && this.rules.adapt) answer = this.rules.adapt(chosen, request, answer);
    return { kind: 'served', key, exchange: chosen.exchange, answer };
  }

  private candidates(form: RequestForm, key: string): RecordedHttp[] {
    const exact = this.byKey.get(key);
    if (exact) return exact;
    let found = this.scanned.get(key);
    if (found === undefined) {
      found = this.recorded.filter((r) => r.form.base === form.base && (sameWithWildcards(r.form, form) || (this.rules.covers?.(r, form) ?? false)));
      this.scanned.set(key, found);
    }
    return found;
  }
}

function tokensOf(form: RequestForm): string[] {
  return [form.base, ...form.items.flatMap(([name, value]) => [name, `${name}=${value}`])];
}

/**
 * A redacted session cookie (`name=REDACTED`) would reach the client as that literal text; a fresh random
 * value of the usual 64 hex digits looks like what the device hands out.
 */
function freshCookies(headers: Readonly<Record<string, string | string[]>>): Record<string, string | string[]> {
  const cookie = headers['set-cookie'];
  if (cookie === undefined) return { ...headers };
  const fresh = (value: string) => value.replace(/^([^=;]+)=REDACTED(?=;|$)/, (_, name: string) => `${name}=${randomBytes(32).toString('hex')}`);
  return { ...headers, 'set-cookie': Array.isArray(cookie) ? cookie.map(fresh) : fresh(cookie) };
}
