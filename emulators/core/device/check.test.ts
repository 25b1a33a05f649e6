import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { checkDescriptor, checkDeviceSet, loadDeviceModule } from './check.js';
import { DeviceDescriptorError, type AnyDeviceDescriptor } from './descriptor.js';

const valid = {
  apiVersion: 1,
  name: 'meter',
  title: 'A meter',
  listeners: { api: { kind: 'http', defaultPort: 7099, description: 'API', control: true } },
  create: () => ({}),
};

const source = 'test';

describe('checkDescriptor', () => {
  it('accepts a well-formed descriptor and returns it', () => {
    expect(checkDescriptor(valid, source)).toBe(valid);
  });

  it.each([
    [null, 'the module must export a device descriptor'],
    [{ ...valid, apiVersion: 2 }, 'apiVersion 2 is not supported; this voltbench supports 1'],
    [{ ...valid, apiVersion: undefined }, 'apiVersion undefined is not supported'],
    [{ ...valid, name: 'My-Meter' }, 'name must be 2-16 lower-case letters or digits'],
    [{ ...valid, name: 'm' }, 'name must be 2-16'],
    [{ ...valid, title: '' }, 'title must be a line of text'],
    [{ ...valid, create: undefined }, 'give exactly one of create(context) or load()'],
    [{ ...valid, load: async () => ({ create: () => ({}) }) }, 'give exactly one of create(context) or load()'],
    [{ ...valid, listeners: {} }, 'listeners must name at least one listener'],
    [{ ...valid, listeners: { api: { kind: 'udp', defaultPort: 1, description: 'x' } } }, 'listener api: kind must be one of http, https, http+https, tcp, websocket'],
    [{ ...valid, listeners: { api: { kind: 'http', defaultPort: 70000, description: 'x' } } }, 'listener api: defaultPort must be a port from 0 to 65535'],
    [{ ...valid, listeners: { api: { kind: 'http', defaultPort: 1, description: 'x', control: true }, b: { kind: 'http', defaultPort: 2, description: 'y', control: true } } }, 'at most one listener may carry the control API'],
    [{ ...valid, listeners: { api: { kind: 'tcp', defaultPort: 1, description: 'x', control: true } } }, 'listener api: the control API needs an HTTP listener, not tcp'],
    [{ ...valid, options: { type: 'string' } }, 'options must be a TypeBox object'],
    [{ ...valid, options: Type.Object({ site: Type.Array(Type.String()) }) }, 'option site: only integers, numbers, booleans, strings and unions of string literals become flags'],
  ])('%#: refuses a bad descriptor (%s)', (descriptor, message) => {
    expect(() => checkDescriptor(descriptor, source)).toThrow(DeviceDescriptorError);
    expect(() => checkDescriptor(descriptor, source)).toThrow(`${source}: ${message}`);
  });
});

describe('checkDeviceSet', () => {
  const named = (name: string, extra: Partial<AnyDeviceDescriptor> = {}) => ({ ...valid, name, ...extra }) as unknown as AnyDeviceDescriptor;

  it('refuses two devices of one name, naming both sources', () => {
    const a = named('meter');
    const b = named('meter');
    const sources = new Map([
      [a, 'built-in'],
      [b, '--device ./b.js'],
    ]);
    expect(() => checkDeviceSet([a, b], (d) => sources.get(d)!)).toThrow('--device ./b.js: a device named "meter" is already known (built-in); pick another name');
  });

  it('refuses an option whose flag is one of its own port flags', () => {
    const clash = named('meter', { options: Type.Object({ port: Type.Integer({ default: 1, description: 'x' }) }) });
    expect(() => checkDeviceSet([clash], () => source)).toThrow('its flag --meter-port is already taken by another of its own options or ports');
  });
});

describe('loadDeviceModule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vb-device-'));

  it('loads a default export relative to the working directory', async () => {
    const { create: _create, ...data } = valid;
    writeFileSync(join(dir, 'ok.mjs'), `const descriptor = ${JSON.stringify(data)};\ndescriptor.create = () => ({});\nexport default descriptor;\n`);
    const descriptor = await loadDeviceModule('./ok.mjs', dir);
    expect(descriptor.name).toBe('meter');
  });

  it('names the path and the problem when the module is missing, broken or not a descriptor', async () => {
    await expect(loadDeviceModule('./missing.mjs', dir)).rejects.toThrow(/--device \.\/missing\.mjs: cannot load .*missing\.mjs: no such file/);
    writeFileSync(join(dir, 'broken.mjs'), 'export default {');
    await expect(loadDeviceModule('./broken.mjs', dir)).rejects.toThrow(/--device \.\/broken\.mjs: cannot load/);
    writeFileSync(join(dir, 'imports-missing.mjs'), "import 'no-such-package-voltbench';\nexport default {};");
    await expect(loadDeviceModule('./imports-missing.mjs', dir)).rejects.toThrow(/--device \.\/imports-missing\.mjs: cannot load .*imports-missing\.mjs: Cannot find package 'no-such-package-voltbench'/);
    writeFileSync(join(dir, 'empty.mjs'), 'export const x = 1;');
    await expect(loadDeviceModule('./empty.mjs', dir)).rejects.toThrow('--device ./empty.mjs: the module must export a device descriptor');
  });
});
