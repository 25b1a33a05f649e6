import { VirtualClock } from '../core/clock.js';
import { World, type WorldConfig } from '../core/world/world.js';
import { CID1_UPS, checksum, decodeFrame, encodeFrame } from '../../contracts/kehua-ups/index.js';
import type { Frame } from '../../contracts/kehua-ups/index.js';
import { UpsEmulator } from './emulator.js';
import type { UpsSettings } from './settings.js';
import { answerFrame } from './slave.js';

/** 18:00 UTC on the June solstice: mid-morning in the default Californian world. */
export const JUNE_MORNING = Date.parse('2026-06-21T18:00:00Z');

export interface TestUpsOptions {
  start?: number;
  seed?: number;
  settings?: Partial<UpsSettings>;
  world?: Partial<WorldConfig>;
}

/** A UPS on a manual clock. */
export function testUps(options: TestUpsOptions = {}) {
  const clock = new VirtualClock({ start: options.start ?? JUNE_MORNING, speed: 0 });
  const world = new World({ ...options.world, seed: options.seed ?? 1 }, clock);
  const ups = new UpsEmulator({ world, ...(options.settings ? { settings: options.settings } : {}) });
  return { ups, world, clock };
}

/** A request frame as a master sends it (VER 21H, ADR 01H by default). */
export function request(cid2: number, info: number[] = [], over: Partial<Frame> = {}): string {
  return encodeFrame({ ver: 0x21, adr: 0x01, cid1: CID1_UPS, cid2, info: Uint8Array.from(info), ...over });
}

/** The text between SOI and CHKSUM re-sealed with a correct CHKSUM, to reach the checks after it. */
export function sealed(body: string): string {
  return `~${body}${checksum(body).toString(16).toUpperCase().padStart(4, '0')}\r`;
}

/** Sends one request straight to the slave; returns the decoded reply (throws on silence or a bad reply). */
export function ask(ups: UpsEmulator, text: string): Frame & { text: string } {
  const answer = answerFrame(ups, text);
  if (answer.reply === null) throw new Error(`silence (${answer.reason}) for ${JSON.stringify(text)}`);
  const decoded = decodeFrame(answer.reply);
  if (!decoded.ok) throw new Error(`emulator sent a bad frame: ${decoded.error.message}`);
  return { ...decoded.frame, text: answer.reply };
}

/** Reads a little-endian IEEE-754 float from 8 hex characters, as a map-driven client does. */
export function floatAt(text: string, index: number): number {
  const bytes = Buffer.from(text.slice(index, index + 8), 'hex');
  return bytes.readFloatLE(0);
}

export function byteAt(text: string, index: number): number {
  return parseInt(text.slice(index, index + 2), 16);
}
