// Control input checked against TypeBox schemas, with messages a person can act on. The same check
// serves the in-process control operations (EmulatorControl) and Fastify's validator for `/__emu`
// routes, so a body is refused the same way whichever door it came through, before anything changes.

import { Kind, TypeRegistry, type Static, type TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';
import { ControlInputError } from './errors.js';

/** JSON-schema fields the messages read (TypeBox schemas carry them as plain properties). */
interface Described {
  type?: string;
  description?: string;
  /** What a valid value is, in words ("a duration such as \"5m\""); else derived from the schema. */
  expects?: string;
  anyOf?: Described[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, unknown>;
  [Kind]?: string;
}

const show = (value: unknown): string => {
  const text = value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** A schema's expectation in words: "a number from 0 to 1", "one of up, down", "true or false". */
export function expectationOf(schema: Described): string {
  if (schema.expects !== undefined) return schema.expects;
  const literals = schema.anyOf?.every((s) => s.const !== undefined) ? schema.anyOf.map((s) => String(s.const)) : schema.enum?.map(String);
  if (literals) return literals.length === 1 ? JSON.stringify(literals[0]) : `one of ${literals.join(', ')}`;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) return schema.anyOf.map(expectationOf).join(', or ');
  const range =
    schema.minimum !== undefined && schema.maximum !== undefined
      ? ` from ${schema.minimum} to ${schema.maximum}`
      : schema.minimum !== undefined
        ? ` of at least ${schema.minimum}`
        : schema.maximum !== undefined
          ? ` of at most ${schema.maximum}`
          : '';
  switch (schema.type) {
    case 'integer':
      return `a whole number${range}`;
    case 'number':
      return `a number${range}`;
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'text';
    case 'null':
      return 'null';
    case 'array':
      return schema.minItems !== undefined && schema.minItems === schema.maxItems ? `a list of ${schema.minItems} values` : 'a list';
    case 'object':
      return `an object${schema.properties ? ` of ${Object.keys(schema.properties).join(', ')}` : ''}`;
    default:
      return schema.description ?? 'a valid value';
  }
}

/** `/settings/latencyMs` → `settings.latencyMs`; the root is what the input is called. */
function fieldOf(path: string, what: string): string {
  return path === '' ? what : path.slice(1).replaceAll('/', '.');
}

/** The schema an error's path leads to, walking object properties (for the parent of an unknown key). */
function parentKeys(root: TSchema, path: string): string[] {
  let schema = root as Described;
  for (const part of path.split('/').slice(1, -1)) {
    const next = schema.properties?.[part] as Described | undefined;
    if (next === undefined) return [];
    schema = next;
  }
  return Object.keys(schema.properties ?? {});
}

/** Beyond this many, an unknown-key message names a few allowed keys and the count (the UPS has 98 points). */
const MAX_LISTED = 24;

/** The message for the first thing wrong with `input`, or null when it fits. */
export function problemWith(schema: TSchema, input: unknown, what: string): string | null {
  if (Value.Check(schema, input)) return null;
  const errors = [...Value.Errors(schema, input)];
  // An unknown key says most: report it before the type errors it may cause elsewhere.
  const extra = errors.find((e) => isUnknownKey(e));
  if (extra) {
    const key = extra.path.split('/').pop()!;
    const allowed = parentKeys(schema, extra.path);
    const where = extra.path.split('/').length > 2 ? fieldOf(extra.path.slice(0, extra.path.lastIndexOf('/')), what) : what;
    const listed = allowed.length > MAX_LISTED ? `${allowed.length} fields, e.g. ${allowed.slice(0, 4).join(', ')}` : allowed.join(', ');
    return `unknown field "${key}" in ${where}${allowed.length > 0 ? `; allowed: ${listed}` : ''}`;
  }
  // The deepest error names the field that is wrong, not the union or object around it.
  const first = errors.reduce((a, b) => (b.path.length > a.path.length ? b : a), errors[0]!);
  if (first.type === ValueErrorType.ObjectRequiredProperty && first.value === undefined) return `${fieldOf(first.path, what)} is required`;
  return `${fieldOf(first.path, what)} must be ${expectationOf(first.schema as Described)}, got ${show(first.value)}`;
}

function isUnknownKey(error: ValueError): boolean {
  return error.type === ValueErrorType.ObjectAdditionalProperties;
}

/** The input, typed, or a ControlInputError (a 400) saying what to send instead. */
export function checkInput<T extends TSchema>(schema: T, input: unknown, what: string): Static<T> {
  const problem = problemWith(schema, input, what);
  if (problem !== null) throw new ControlInputError(problem);
  return input as Static<T>;
}

/**
 * Fastify's validator for control routes: the schema checked as above. No coercion and no removal
 * of unknown keys (Fastify's default Ajv does both), so `"5"` is not a number and a misspelt key is
 * refused, not dropped.
 */
export const controlValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const what = httpPart === 'querystring' ? 'query' : httpPart === 'params' ? 'path' : ((schema as Described).description ?? 'request body');
  return (data: unknown) => {
    // An empty body reaches the handler, whose in-process check says what it needed (or takes none).
    if (httpPart === 'body' && (data === undefined || data === null)) return { value: data };
    const problem = problemWith(schema, data, what);
    return problem === null ? { value: data } : { error: new ControlInputError(problem) };
  };
};

/** Registers a custom kind with TypeBox's checker (once per process, whichever copy asks). */
export function registerKind(kind: string, check: (schema: never, value: unknown) => boolean): void {
  if (!TypeRegistry.Has(kind)) TypeRegistry.Set(kind, check as (schema: unknown, value: unknown) => boolean);
}
