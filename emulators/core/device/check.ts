// Checks a descriptor before anything uses it, and loads a user's device module: every problem is
// reported with the module it came from and what would fix it.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeviceDescriptorError, LISTENER_KINDS, SUPPORTED_API_VERSIONS, type AnyDeviceDescriptor } from './descriptor.js';
import { deviceFlags } from './options.js';

export const DEVICE_NAME = /^[a-z][a-z0-9]{1,15}$/;
const OPTION_TYPES = new Set(['integer', 'number', 'boolean', 'string']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The descriptor, if its shape is right; otherwise a DeviceDescriptorError naming `source`. */
export function checkDescriptor(value: unknown, source: string): AnyDeviceDescriptor {
  const fail = (problem: string): never => {
    throw new DeviceDescriptorError(`${source}: ${problem}`);
  };
  if (!isObject(value)) return fail('the module must export a device descriptor (export default defineDevice({ … }))');
  const d = value;
  if (typeof d['apiVersion'] !== 'number' || !SUPPORTED_API_VERSIONS.includes(d['apiVersion'])) {
    fail(`apiVersion ${JSON.stringify(d['apiVersion'])} is not supported; this voltbench supports ${SUPPORTED_API_VERSIONS.join(', ')}`);
  }
  if (typeof d['name'] !== 'string' || !DEVICE_NAME.test(d['name'])) fail(`name must be 2-16 lower-case letters or digits, starting with a letter; got ${JSON.stringify(d['name'])}`);
  if (typeof d['title'] !== 'string' || d['title'].trim() === '') fail('title must be a line of text, e.g. "Example energy meter"');
  if ((typeof d['create'] === 'function') === (typeof d['load'] === 'function')) fail('give exactly one of create(context) or load() (returning a module with create)');
  const listeners = d['listeners'];
  if (!isObject(listeners) || Object.keys(listeners).length === 0) return fail('listeners must name at least one listener, e.g. { api: { kind: "http", defaultPort: 7099, description: "…" } }');
  let controls = 0;
  for (const [name, spec] of Object.entries(listeners)) {
    if (!/^[a-z][a-zA-Z0-9]{0,23}$/.test(name)) fail(`listener name ${JSON.stringify(name)} must be a short camelCase word`);
    if (!isObject(spec)) return fail(`listener ${name} must be an object`);
    if (!LISTENER_KINDS.includes(spec['kind'] as never)) fail(`listener ${name}: kind must be one of ${LISTENER_KINDS.join(', ')}`);
    const port = spec['defaultPort'];
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) fail(`listener ${name}: defaultPort must be a port from 0 to 65535`);
    if (typeof spec['description'] !== 'string') fail(`listener ${name}: description must be a line of text`);
    if (spec['control'] === true) {
      controls++;
      if (spec['kind'] === 'tcp' || spec['kind'] === 'websocket') fail(`listener ${name}: the control API needs an HTTP listener, not ${String(spec['kind'])}`);
    }
  }
  if (controls > 1) fail('at most one listener may carry the control API (control: true)');
  const options = d['options'];
  if (options !== undefined) {
    if (!isObject(options) || options['type'] !== 'object' || !isObject(options['properties'])) return fail('options must be a TypeBox object (Type.Object({ … }))');
    for (const [key, schema] of Object.entries(options['properties'])) {
      if (!/^[a-z][a-zA-Z0-9]*$/.test(key)) fail(`option ${JSON.stringify(key)} must be a camelCase word`);
      const s = schema as Record<string, unknown>;
      const isEnum = Array.isArray(s['anyOf']) && (s['anyOf'] as Record<string, unknown>[]).every((x) => typeof x['const'] === 'string');
      if (!isEnum && !OPTION_TYPES.has(String(s['type']))) fail(`option ${key}: only integers, numbers, booleans, strings and unions of string literals become flags`);
    }
  }
  return value as unknown as AnyDeviceDescriptor;
}

/** Flags that `voltbench up` itself takes: device flags must not collide with them. */
export const GLOBAL_FLAGS: readonly string[] = ['only', 'host', 'seed', 'speed', 'start', 'scenario', 'json', 'device', 'help', 'version'];

/** Names, flags and variables must be unique across the devices a run knows about. */
export function checkDeviceSet(descriptors: readonly AnyDeviceDescriptor[], sourceOf: (d: AnyDeviceDescriptor) => string): void {
  const names = new Map<string, AnyDeviceDescriptor>();
  const flags = new Map<string, string>(GLOBAL_FLAGS.map((f) => [f, 'voltbench up']));
  for (const d of descriptors) {
    const other = names.get(d.name);
    if (other) throw new DeviceDescriptorError(`${sourceOf(d)}: a device named "${d.name}" is already known (${sourceOf(other)}); pick another name`);
    names.set(d.name, d);
    for (const flag of deviceFlags(d).map((f) => f.flag)) {
      const owner = flags.get(flag);
      if (owner !== undefined) throw new DeviceDescriptorError(`${sourceOf(d)}: its flag --${flag} is already taken${owner === d.name ? ' by another of its own options or ports' : ` by ${owner}`}`);
      flags.set(flag, d.name);
    }
  }
}

/** Imports a user's device module (a path relative to `cwd`) and checks its descriptor. */
export async function loadDeviceModule(path: string, cwd: string = process.cwd()): Promise<AnyDeviceDescriptor> {
  const file = resolve(cwd, path);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const reason = existsSync(file) ? (error as Error).message.split('\n')[0] : 'no such file';
    throw new DeviceDescriptorError(`--device ${path}: cannot load ${file}: ${reason}`);
  }
  return checkDescriptor(module['default'] ?? module['device'], `--device ${path}`);
}
