// Expectations: a value read from a device (its control-API state, a JSON reply, a UPS frame)
// compared at one virtual time, or at every stop of a window, or between a window's two ends.

import { isDeepStrictEqual } from 'node:util';
import type { Voltbench } from '../../emulators/registry.js';
import { emulatorOf, sendFrame, sendHttp } from './device-io.js';
import { formatOffset, type TimedExpectation } from './load.js';
import type { ScenarioExpectation } from './schema.js';

export interface CheckResult {
  /** Index in the scenario's `expect` list. */
  index: number;
  ok: boolean;
  /** Virtual offset of the reading that decided the result. */
  at: string;
  message: string;
}

/** A reading taken for an expectation: the value compared, or why there is none. */
interface Reading {
  value: unknown;
  status?: number;
  body?: string;
  silent?: boolean;
}

/** Reads what an expectation looks at. Requests go through the device as a client's would. */
export async function read(voltbench: Voltbench, exp: ScenarioExpectation): Promise<Reading> {
  if ('state' in exp) return { value: pathValue(emulatorOf(voltbench, exp.device).control.state(), exp.state) };
  if ('frame' in exp) {
    const reply = sendFrame(voltbench, exp.frame);
    const body = reply.body.toString('latin1');
    return { value: body, body, silent: reply.status === 0 };
  }
  const reply = await sendHttp(voltbench, exp.device, exp.request);
  const body = reply.body.toString('utf8');
  let value: unknown = body;
  if (exp.json !== undefined) {
    try {
      value = pathValue(JSON.parse(body), exp.json);
    } catch {
      value = undefined;
    }
  }
  return { value, status: reply.status, body };
}

/** Problems with one reading (empty when it meets every comparison except `change`). */
export function compare(exp: ScenarioExpectation, reading: Reading): string[] {
  const problems: string[] = [];
  const what = 'state' in exp ? exp.state : 'frame' in exp ? 'reply' : (exp.json ?? 'body');
  const shown = JSON.stringify(reading.value);
  if ('frame' in exp) {
    if (exp.reply === 'silence' && !reading.silent) problems.push(`expected silence, got ${shown}`);
    if (exp.reply === 'frame' && reading.silent) problems.push('expected a reply frame, got silence');
    if (exp.replyIncludes !== undefined && !reading.body?.includes(exp.replyIncludes)) problems.push(`reply does not include ${JSON.stringify(exp.replyIncludes)}`);
    return problems;
  }
  if ('request' in exp) {
    if (exp.status !== undefined && reading.status !== exp.status) problems.push(`status ${reading.status}, expected ${exp.status}`);
    if (exp.bodyIncludes !== undefined && !reading.body?.includes(exp.bodyIncludes)) problems.push(`body does not include ${JSON.stringify(exp.bodyIncludes)}`);
  }
  if (exp.equals !== undefined && !isDeepStrictEqual(reading.value, exp.equals)) problems.push(`${what} = ${shown}, expected ${JSON.stringify(exp.equals)}`);
  if (exp.oneOf !== undefined && !exp.oneOf.some((v) => isDeepStrictEqual(reading.value, v))) problems.push(`${what} = ${shown}, expected one of ${JSON.stringify(exp.oneOf)}`);
  if (exp.min !== undefined || exp.max !== undefined) {
    const n = reading.value;
    if (typeof n !== 'number') problems.push(`${what} = ${shown} is not a number`);
    else {
      if (exp.min !== undefined && n < exp.min) problems.push(`${what} = ${n}, below the minimum ${exp.min}`);
      if (exp.max !== undefined && n > exp.max) problems.push(`${what} = ${n}, above the maximum ${exp.max}`);
    }
  }
  return problems;
}

/** Compares a window's first and last readings for `change`. */
export function compareChange(exp: ScenarioExpectation, first: unknown, last: unknown): string | null {
  if (!('change' in exp) || exp.change === undefined) return null;
  if (typeof first !== 'number' || typeof last !== 'number') return `change needs numbers, got ${JSON.stringify(first)} and ${JSON.stringify(last)}`;
  const ok = exp.change === 'increases' ? last > first : exp.change === 'decreases' ? last < first : last === first;
  return ok ? null : `expected ${'state' in exp ? exp.state : 'value'} to ${exp.change === 'unchanged' ? 'stay unchanged' : exp.change.slice(0, -1)}, went from ${first} to ${last}`;
}

/** Follows "a.b.0.c" into nested objects and arrays; undefined when a step is missing. */
export function pathValue(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Tracks one expectation through the run: each reading in its window is compared; a window's
 * first and last readings decide `change`. The result reports the first failing reading.
 */
export class ExpectationTracker {
  private first: unknown;
  private last: unknown;
  private readings = 0;
  private failure: CheckResult | null = null;

  constructor(readonly timed: TimedExpectation) {}

  covers(offset: number): boolean {
    return offset >= this.timed.at && offset <= this.timed.to;
  }

  async observe(voltbench: Voltbench, offset: number): Promise<void> {
    const reading = await read(voltbench, this.timed.item);
    if (this.readings === 0) this.first = reading.value;
    this.last = reading.value;
    this.readings++;
    const problems = compare(this.timed.item, reading);
    if (problems.length > 0 && this.failure === null) this.failure = this.result(false, offset, problems.join('; '));
  }

  /**
   * The verdict as far as the run has got (`lastStop`: the latest offset played): a failed reading
   * fails at once; a pass waits for the window's end, since a later reading or the change may fail.
   */
  verdict(lastStop: number): { verdict: 'pending' | 'pass' | 'fail'; detail?: string } {
    if (this.failure) return { verdict: 'fail', detail: this.failure.message };
    if (lastStop < this.timed.to) return { verdict: 'pending' };
    const result = this.finish();
    return { verdict: result.ok ? 'pass' : 'fail', detail: result.message };
  }

  /** What it checks, in one line: its note, or the device and what it reads. */
  get label(): string {
    const exp = this.timed.item;
    return exp.note ?? `${exp.device} ${'state' in exp ? exp.state : 'frame' in exp ? 'frame' : exp.request.path}`;
  }

  finish(): CheckResult {
    if (this.failure) return this.failure;
    if (this.readings === 0) return this.result(false, this.timed.at, 'never checked (the run stopped before its time)');
    const change = compareChange(this.timed.item, this.first, this.last);
    if (change !== null) return this.result(false, this.timed.to, change);
    return this.result(true, this.timed.to, `${this.readings} reading${this.readings === 1 ? '' : 's'} ok`);
  }

  private result(ok: boolean, offset: number, detail: string): CheckResult {
    const label = this.label;
    const when = this.timed.at === this.timed.to ? formatOffset(this.timed.at) : `${formatOffset(this.timed.at)}-${formatOffset(this.timed.to)}`;
    return { index: this.timed.index, ok, at: formatOffset(offset), message: `expect[${this.timed.index}] ${when} ${label}: ${detail}` };
  }
}
