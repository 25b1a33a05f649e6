// The requests each device received, read from its request log, and the bytes of one exchange
// when they were captured (only while a page was connected). Serial frames are decoded with the
// protocol contract's own decoder, beside their hex.

import { decodeFrame } from '../../../contracts/kehua-ups/index.js';
import { formatRecord, type StoredRequest } from '../../../emulators/core/request-log.js';
import type { Voltbench } from '../../../emulators/registry.js';
import type { FrameView, TrafficDetail, TrafficEntry } from '../api.js';

export const DEFAULT_TRAFFIC_LIMIT = 100;

export function trafficEntry(device: string, record: StoredRequest): TrafficEntry {
  return { ...formatRecord(record), device, captured: record.exchange !== undefined };
}

/** Newest first, across the devices (or one), by virtual arrival time. */
export function trafficList(voltbench: Voltbench, device: string | undefined, limit: number): TrafficEntry[] {
  const entries: { at: number; seq: number; entry: () => TrafficEntry }[] = [];
  for (const running of voltbench.devices) {
    if (device !== undefined && running.name !== device) continue;
    for (const record of running.control.requestRecords(limit)) entries.push({ at: record.at, seq: record.seq, entry: () => trafficEntry(running.name, record) });
  }
  entries.sort((a, b) => b.at - a.at || b.seq - a.seq);
  return entries.slice(0, limit).map((e) => e.entry());
}

export function trafficDetail(voltbench: Voltbench, device: string, seq: number): TrafficDetail | undefined {
  const record = voltbench.emulators[device]?.control.requestRecord(seq);
  if (record === undefined) return undefined;
  const detail: TrafficDetail = { entry: trafficEntry(device, record) };
  if (record.exchange === undefined) return detail;
  const exchange = record.exchange.bytes();
  if (exchange.request) detail.request = bytesView(exchange.request);
  if (exchange.response) detail.response = bytesView(exchange.response);
  if (exchange.frames) detail.frames = exchange.frames.map((f) => frameView(f.direction, f.bytes));
  if (exchange.omittedBytes !== undefined) detail.omittedBytes = exchange.omittedBytes;
  return detail;
}

function bytesView(bytes: Buffer): { base64: string; text: string } {
  return { base64: bytes.toString('base64'), text: bytes.toString('latin1') };
}

/**
 * One frame's bytes and its YD/T 1363 fields. A reply carries the RTN where a request carries the
 * CID2. Fields are read by position even from a frame that fails its checks (`valid: false`), as
 * a protocol analyser would, so a flipped character shows where it sits.
 */
export function frameView(direction: 'in' | 'out', bytes: Buffer): FrameView {
  const text = bytes.toString('latin1');
  const start = text.indexOf('~');
  const frame = start < 0 ? '' : text.slice(start, text.indexOf('\r', start) + 1 || undefined);
  const view: FrameView = { direction, hex: bytes.toString('hex').toUpperCase(), ascii: printable(text), decoded: null };
  if (frame.length < 13) return view;
  const decoded = decodeFrame(frame);
  const field = (from: number, to: number) => frame.slice(from, to);
  const lenid = parseInt(field(10, 13), 16);
  const info = Number.isNaN(lenid) ? '' : field(13, 13 + lenid);
  view.decoded = {
    ver: field(1, 3),
    adr: field(3, 5),
    cid1: field(5, 7),
    cid2: direction === 'in' ? field(7, 9) : '',
    ...(direction === 'out' ? { rtn: field(7, 9) } : {}),
    info,
    valid: decoded.ok,
  };
  return view;
}

function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => (c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
