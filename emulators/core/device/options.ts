// A device's options and listeners, declared once in its descriptor, become command-line flags,
// `VOLTBENCH_*` variables, help text, port keys and typed, checked values here. Nothing else in
// voltbench spells out a device flag.

import type { TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { DeviceOptionError, type AnyDeviceDescriptor, type ListenerSpec } from './descriptor.js';

export const ENV_PREFIX = 'VOLTBENCH_';

/** One flag a device adds to `voltbench up`. */
export interface DeviceFlag {
  /** Without the leading dashes, e.g. `pvs-panels`. */
  flag: string;
  /** `VOLTBENCH_PVS_PANELS`. */
  env: string;
  /** `boolean` flags take no value. */
  type: 'string' | 'boolean';
  /** Placeholder in help, e.g. `<n>`. */
  hint: string;
  description: string;
  /** Shown in help and docs; undefined when the option has none. */
  defaultText: string | undefined;
  target: { port: string; listener: string } | { option: string; negated: boolean };
}

/** JSON-schema fields the option rules read (TypeBox schemas carry them as plain properties). */
interface OptionSchema {
  type?: string;
  anyOf?: { const?: unknown }[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
  description?: string;
  /** Placeholder for help, e.g. "file" → `<file>`. */
  hint?: string;
  /** What a valid value is, in words, for messages ("8-64 letters or digits"); else derived from the schema. */
  expects?: string;
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (text: string) => text.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export function envName(flag: string): string {
  return `${ENV_PREFIX}${flag.toUpperCase().replaceAll('-', '_')}`;
}

/** The listeners in declaration order, the first being the device's main one. */
export function listenerEntries(descriptor: AnyDeviceDescriptor): [string, ListenerSpec][] {
  return Object.entries(descriptor.listeners);
}

/** `pvs`, `senecHttps`, `upsControl`: the key of a listener's port in `startVoltbench({ ports })`. */
export function portKey(device: string, listener: string, index: number): string {
  return index === 0 ? device : camel(`${device}-${kebab(listener)}`);
}

export function portFlag(device: string, listener: string, index: number): string {
  return index === 0 ? `${device}-port` : `${device}-${kebab(listener)}-port`;
}

export function readyKeyOf(listener: string, spec: ListenerSpec, index: number): string {
  return spec.readyKey ?? (index === 0 ? 'url' : `${camel(kebab(listener))}Url`);
}

/** Default ports of every listener of these devices, by port key. */
export function defaultPorts(descriptors: readonly AnyDeviceDescriptor[]): Record<string, number> {
  return Object.fromEntries(descriptors.flatMap((d) => listenerEntries(d).map(([name, spec], i) => [portKey(d.name, name, i), spec.defaultPort])));
}

function optionSchemas(descriptor: AnyDeviceDescriptor): [string, OptionSchema, boolean][] {
  const options = descriptor.options;
  if (options === undefined) return [];
  const required = new Set(options.required ?? []);
  return Object.entries(options.properties).map(([key, schema]) => [key, schema as OptionSchema, required.has(key)]);
}

function literals(schema: OptionSchema): string[] | null {
  if (schema.enum) return schema.enum.map(String);
  if (schema.anyOf?.every((s) => s.const !== undefined)) return schema.anyOf.map((s) => String(s.const));
  return null;
}

function hintOf(schema: OptionSchema): string {
  const choices = literals(schema);
  if (choices) return `<${choices.join('|')}>`;
  if (schema.type === 'integer' || schema.type === 'number') return `<${schema.hint ?? 'n'}>`;
  return `<${schema.hint ?? 'value'}>`;
}

/** Every flag a device adds: one port per listener, then its options. */
export function deviceFlags(descriptor: AnyDeviceDescriptor): DeviceFlag[] {
  const name = descriptor.name;
  const ports: DeviceFlag[] = listenerEntries(descriptor).map(([listener, spec], i) => {
    const flag = portFlag(name, listener, i);
    return {
      flag,
      env: envName(flag),
      type: 'string',
      hint: '<port>',
      description: spec.description,
      defaultText: String(spec.defaultPort),
      target: { port: portKey(name, listener, i), listener },
    };
  });
  const options: DeviceFlag[] = optionSchemas(descriptor).map(([key, schema]) => {
    const negated = schema.type === 'boolean' && schema.default === true;
    const flag = negated ? `${name}-no-${kebab(key)}` : `${name}-${kebab(key)}`;
    const isBoolean = schema.type === 'boolean';
    return {
      flag,
      env: envName(flag),
      type: isBoolean ? 'boolean' : 'string',
      hint: isBoolean ? '' : hintOf(schema),
      description: schema.description ?? key,
      defaultText: isBoolean || schema.default === undefined ? undefined : String(schema.default),
      target: { option: key, negated },
    };
  });
  return [...ports, ...options];
}

/** A range or choice in words, for messages: "a whole number from 1 to 200". */
function expectation(schema: OptionSchema): string {
  if (schema.expects !== undefined) return schema.expects;
  const choices = literals(schema);
  if (choices) return `one of ${choices.join(', ')}`;
  const range = schema.minimum !== undefined && schema.maximum !== undefined ? ` from ${schema.minimum} to ${schema.maximum}` : schema.minimum !== undefined ? ` of at least ${schema.minimum}` : schema.maximum !== undefined ? ` of at most ${schema.maximum}` : '';
  if (schema.type === 'integer') return `a whole number${range}`;
  if (schema.type === 'number') return `a number${range}`;
  if (schema.type === 'boolean') return 'true or false';
  if (schema.pattern !== undefined) return `text matching ${schema.pattern}`;
  return 'text';
}

/** Converts one flag's text to the option's type; throws DeviceOptionError with what to send. */
function convert(key: string, schema: OptionSchema, text: string): unknown {
  const choices = literals(schema);
  if (choices) return text;
  if (schema.type === 'integer' || schema.type === 'number') {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new DeviceOptionError(key, `must be ${expectation(schema)}, got "${text}"`);
    return value;
  }
  return text;
}

/**
 * Checks a device's option values (typed, e.g. from code, or converted from flags), fills in the
 * defaults and refuses unknown keys. Errors name the option and say what it takes.
 */
export function checkOptions(descriptor: AnyDeviceDescriptor, input: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const schemas = optionSchemas(descriptor);
  const known = new Set(schemas.map(([key]) => key));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) throw new DeviceOptionError(key, `is not an option of ${descriptor.name}${known.size > 0 ? `; its options: ${[...known].join(', ')}` : ' (it has none)'}`);
  }
  const values: Record<string, unknown> = {};
  for (const [key, schema, required] of schemas) {
    const value = input[key] ?? schema.default;
    if (value === undefined) {
      if (required) throw new DeviceOptionError(key, 'is required');
      continue;
    }
    if (!Value.Check(descriptor.options!.properties[key] as TSchema, value)) throw new DeviceOptionError(key, `must be ${expectation(schema)}, got ${JSON.stringify(value)}`);
    values[key] = value;
  }
  return values;
}

/** What the command line (or the environment) said for one device, by flag. */
export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

/** A device's ports and option values from parsed flags, converted and checked. */
export function fromFlags(descriptor: AnyDeviceDescriptor, flags: FlagValues): { ports: Record<string, number>; options: Record<string, unknown> } {
  const ports: Record<string, number> = {};
  const raw: Record<string, unknown> = {};
  const schemas = new Map(optionSchemas(descriptor).map(([key, schema]) => [key, schema]));
  for (const spec of deviceFlags(descriptor)) {
    const given = flags[spec.flag];
    if (given === undefined) continue;
    try {
      if ('port' in spec.target) {
        const port = Number(given);
        if (typeof given !== 'string' || given.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new DeviceOptionError(null, `must be a port from 0 to 65535, got "${String(given)}"`);
        ports[spec.target.port] = port;
      } else if (spec.type === 'boolean') {
        if (given === true) raw[spec.target.option] = !spec.target.negated;
      } else {
        raw[spec.target.option] = convert(spec.target.option, schemas.get(spec.target.option)!, String(given));
      }
    } catch (error) {
      throw new DeviceOptionError(spec.flag, `--${spec.flag} ${(error as Error).message}`);
    }
  }
  try {
    return { ports, options: checkOptions(descriptor, raw) };
  } catch (error) {
    if (!(error instanceof DeviceOptionError) || error.option === null) throw error;
    const flag = deviceFlags(descriptor).find((f) => 'option' in f.target && f.target.option === error.option);
    throw new DeviceOptionError(flag?.flag ?? error.option, `--${flag?.flag ?? error.option} ${error.message}`);
  }
}

const HELP_INDENT = 30;
const HELP_WIDTH = 100;

/** Words wrapped to the help width, continuation lines indented under the first. */
function wrap(words: readonly string[], first: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const width = HELP_WIDTH - (lines.length === 0 ? first : HELP_INDENT);
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(HELP_INDENT)}`);
}

/** The device's section of `voltbench up --help`. */
export function helpSection(descriptor: AnyDeviceDescriptor): string {
  const lines = deviceFlags(descriptor).map((f) => {
    const left = `  --${f.flag}${f.hint ? ` ${f.hint}` : ''}`;
    // "(default N)" stays on one line.
    const right = wrap([...f.description.split(' '), ...(f.defaultText !== undefined ? [`(default ${f.defaultText})`] : [])], HELP_INDENT);
    return left.length >= HELP_INDENT ? `${left}\n${' '.repeat(HELP_INDENT)}${right}` : `${left.padEnd(HELP_INDENT)}${right}`;
  });
  return `${descriptor.title} (${descriptor.name}):\n${lines.join('\n')}\n`;
}

/** A Markdown table of a device's flags, for its documentation page (a test keeps the page equal to it). */
export function flagsTable(descriptor: AnyDeviceDescriptor): string {
  const escape = (text: string) => text.replaceAll('|', '\\|');
  const rows = deviceFlags(descriptor).map((f) => `| \`--${f.flag}${f.hint ? ` ${escape(f.hint)}` : ''}\` | \`${f.env}\` | ${f.defaultText ?? ''} | ${escape(f.description)} |`);
  return ['| flag | variable | default | what it sets |', '|---|---|---|---|', ...rows].join('\n');
}

/** Every listener spec of a device with its port key and flag, for the host. */
export function listenerPlan(descriptor: AnyDeviceDescriptor): { name: string; spec: ListenerSpec; portKey: string; flag: string; readyKey: string }[] {
  return listenerEntries(descriptor).map(([name, spec], i) => ({ name, spec, portKey: portKey(descriptor.name, name, i), flag: portFlag(descriptor.name, name, i), readyKey: readyKeyOf(name, spec, i) }));
}

export type { TObject };
