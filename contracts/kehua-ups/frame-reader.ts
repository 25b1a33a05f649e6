// Splits a serial byte stream into frame candidates: the text from `~` through the next CR.
// `~` never occurs inside a frame (every field is hex), so a `~` always starts a new frame: bytes
// before it are garbage, and a frame it interrupts was truncated. What comes out still has to pass
// decodeFrame. The buffer is bounded by the longest legal frame.

import { EOI, MAX_FRAME_CHARS, SOI } from './frame.js';

/** Why bytes were dropped: outside a frame, cut off by a new `~`, or longer than any legal frame. */
export type DiscardReason = 'garbage' | 'interrupted' | 'overflow';

export interface FrameReaderOptions {
  /** Longest frame kept, in characters; default 18 + 0xFFF. */
  readonly maxFrameChars?: number;
  /** Told about every dropped stretch (a slave may answer an interrupted frame with RTN 05). */
  readonly onDiscard?: (text: string, reason: DiscardReason) => void;
}

/** Bytes as one character each (latin1), so no byte is merged or lost whatever it is. */
function bytesToText(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x2000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  }
  return text;
}

export class FrameReader {
  readonly #maxFrameChars: number;
  readonly #onDiscard: ((text: string, reason: DiscardReason) => void) | undefined;
  /** Empty, or a frame in progress starting with `~`. */
  #partial = '';

  constructor(options: FrameReaderOptions = {}) {
    this.#maxFrameChars = options.maxFrameChars ?? MAX_FRAME_CHARS;
    this.#onDiscard = options.onDiscard;
  }

  /** The unfinished frame held so far ('' between frames). */
  get pending(): string {
    return this.#partial;
  }

  /** Drops and returns the unfinished frame, e.g. after an inter-character timeout. */
  clear(): string {
    const partial = this.#partial;
    this.#partial = '';
    return partial;
  }

  /** Feeds one chunk (bytes, or a string of byte-valued characters); returns the frames it completed. */
  push(chunk: Uint8Array | string): string[] {
    const text = typeof chunk === 'string' ? chunk : bytesToText(chunk);
    const frames: string[] = [];
    let at = 0;
    while (at < text.length) {
      if (this.#partial === '') {
        const start = text.indexOf(SOI, at);
        const end = start < 0 ? text.length : start;
        if (end > at) this.#discard(text.slice(at, end), 'garbage');
        if (start < 0) break;
        this.#partial = SOI;
        at = start + 1;
        continue;
      }
      const eoi = text.indexOf(EOI, at);
      const soi = text.indexOf(SOI, at);
      if (soi >= 0 && (eoi < 0 || soi < eoi)) {
        this.#discard(this.#partial + text.slice(at, soi), 'interrupted');
        this.#partial = '';
        at = soi;
        continue;
      }
      const end = eoi < 0 ? text.length : eoi + 1;
      const candidate = this.#partial + text.slice(at, end);
      at = end;
      if (candidate.length > this.#maxFrameChars) {
        // The rest of this overlong frame (up to its CR) is then dropped as garbage.
        this.#discard(candidate, 'overflow');
        this.#partial = '';
      } else if (eoi < 0) {
        this.#partial = candidate;
      } else {
        frames.push(candidate);
        this.#partial = '';
      }
    }
    return frames;
  }

  #discard(text: string, reason: DiscardReason): void {
    this.#onDiscard?.(text, reason);
  }
}
