// KEHUA UPS: a request is its exact frame bytes (`~…\r`, or the stray bytes the recorder kept as one piece).
// Unmatched frames get what the unit gives frames it rejects: silence, no reply frame.

import { decodeFrame } from '../../contracts/kehua-ups/index.js';
import type { SerialExchange } from '../recording/format.js';
import { decodeBytes } from '../recording/bytes.js';
import type { Ledger } from './ledger.js';
import { nearestKeys } from './nearest.js';

export type SerialOutcome =
  | { kind: 'served'; key: string; exchange: SerialExchange; /** null: the unit stayed silent when recorded. */ reply: Buffer | null }
  | { kind: 'unmatched'; key: string; log: string };

/** A frame as a log-friendly key: control bytes escaped (`~21014A420000FDA3\r`). */
export function printableFrame(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => (c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

function frameTokens(text: string): string[] {
  const decoded = decodeFrame(text);
  if (!decoded.ok) return [text];
  const f = decoded.frame;
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
  return [`VER=${hex(f.ver)}`, `ADR=${hex(f.adr)}`, `CID1=${hex(f.cid1)}`, `CID2=${hex(f.cid2)}`, `INFO=${Buffer.from(f.info).toString('hex').toUpperCase()}`];
}

export class SerialMatcher {
  private readonly byFrame = new Map<string, SerialExchange[]>();
  private readonly tokensByKey = new Map<string, string[]>();

  constructor(
    exchanges: readonly SerialExchange[],
    private readonly ledger: Ledger,
  ) {
    for (const exchange of exchanges) {
      const frame = decodeBytes(exchange.request).toString('latin1');
      const list = this.byFrame.get(frame) ?? [];
      list.push(exchange);
      this.byFrame.set(frame, list);
      this.tokensByKey.set(printableFrame(frame), frameTokens(frame));
    }
  }

  keys(): string[] {
    return [...this.byFrame.keys()].map(printableFrame);
  }

  /** `frame`: the bytes as latin1 text, one character per byte. */
  resolve(frame: string): SerialOutcome {
    this.ledger.received++;
    const key = printableFrame(frame);
    const candidates = this.byFrame.get(frame);
    if (candidates === undefined) {
      this.ledger.unmatched(key);
      const nearest = nearestKeys(frameTokens(frame), this.tokensByKey);
      const log =
        `replay ups: unmatched frame ${key}: no recorded frame has these bytes; ` +
        `nearest recorded: ${nearest.length > 0 ? nearest.map((k) => `"${k}"`).join(', ') : 'none'}; answered with silence, as the unit does for frames it rejects`;
      return { kind: 'unmatched', key, log };
    }
    const exchange = this.ledger.choose(key, candidates);
    return { kind: 'served', key, exchange, reply: exchange.response === null ? null : decodeBytes(exchange.response) };
  }
}
