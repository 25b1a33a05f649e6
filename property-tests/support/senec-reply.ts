/**
 * The contract a lala.cgi reply must meet for a given request, as a list of problems (empty = fine):
 * the TypeBox `ResponseBody` schema, request order, `OBJECT_NOT_FOUND` / `VARIABLE_NOT_FOUND` markers,
 * whole-object `{}` reads in the catalogue's order, and `checkField` (profile type, length, canonical
 * form) for every key that answers with a value.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  checkField,
  interpretRequestValue,
  keysOf,
  KEY_NAME_PATTERN,
  OBJECT_NAME_PATTERN,
  objectAvailability,
  resolveKey,
  ResponseBody,
  type ProfileId,
} from '../../contracts/senec/index.js';

const responseBody = TypeCompiler.Compile(ResponseBody);
const OBJECT_NAME = new RegExp(OBJECT_NAME_PATTERN);
const KEY_NAME = new RegExp(KEY_NAME_PATTERN);

export type LalaRequest = Record<string, Record<string, unknown>>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export interface ReplyOptions {
  /** Every write in the request fits its key, so its echo must be a value, never MALFORMED_VALUE. */
  writesFit: boolean;
}

export function replyProblems(profile: ProfileId, request: LalaRequest, reply: unknown, options: ReplyOptions): string[] {
  const problems: string[] = [];
  if (!isPlainObject(reply)) return ['reply is not a JSON object'];
  // Names outside the schema's patterns are echoed too; the schema only speaks for well-named requests.
  const wellNamed = Object.entries(request).every(([o, q]) => OBJECT_NAME.test(o) && Object.keys(q).every((k) => KEY_NAME.test(k)));
  if (wellNamed && !responseBody.Check(reply)) {
    problems.push(...[...responseBody.Errors(reply)].slice(0, 5).map((e) => `schema: ${e.path} ${e.message}`));
  }
  if (!sameList(Object.keys(reply), Object.keys(request))) {
    problems.push(`objects ${JSON.stringify(Object.keys(reply))} where ${JSON.stringify(Object.keys(request))} were requested`);
  }
  for (const [object, query] of Object.entries(request)) {
    const answer = reply[object];
    if (!isPlainObject(answer)) {
      problems.push(`${object}: not an object`);
      continue;
    }
    const availability = objectAvailability(object, profile);
    if (availability === 'not-found') {
      if (!sameList(Object.keys(answer), ['OBJECT_NOT_FOUND']) || answer.OBJECT_NOT_FOUND !== '') {
        problems.push(`${object}: ${JSON.stringify(answer)} where {"OBJECT_NOT_FOUND":""} is expected`);
      }
      continue;
    }
    const requested = Object.keys(query);
    if (requested.length === 0) {
      const expected = keysOf(object, profile);
      if (!sameList(Object.keys(answer), expected.map((k) => k.key))) problems.push(`${object}{}: keys differ from the catalogue's order`);
      for (const resolved of expected) problems.push(...checkField(resolved, answer[resolved.key]));
      continue;
    }
    if (!sameList(Object.keys(answer), requested)) problems.push(`${object}: keys not echoed in request order`);
    for (const key of requested) {
      const field = answer[key];
      const resolved = resolveKey(object, key, profile);
      if (resolved === undefined) {
        if (field !== 'VARIABLE_NOT_FOUND') problems.push(`${object}.${key}: ${JSON.stringify(field)} where VARIABLE_NOT_FOUND is expected`);
        continue;
      }
      const action = interpretRequestValue(query[key]);
      if (action.kind === 'malformed') {
        if (field !== 'MALFORMED_VALUE') problems.push(`${object}.${key}: ${JSON.stringify(field)} where MALFORMED_VALUE is expected`);
        continue;
      }
      if (action.kind !== 'read' && !options.writesFit && field === 'MALFORMED_VALUE') continue;
      problems.push(...checkField(resolved, field));
    }
  }
  return problems;
}
