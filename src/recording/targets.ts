// What the recorder stands in front of, and where it listens, parsed from user text.

import { isIP } from 'node:net';
import type { DeviceName } from '../../emulators/registry.js';

export type RecordTarget =
  | { kind: 'http'; url: URL }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'serial'; path: string };

/** Devices reached over HTTP(S); the others speak serial bytes. */
export const HTTP_DEVICES: readonly DeviceName[] = ['pvs', 'senec', 'growatt'];

export function isHttpDevice(device: DeviceName): boolean {
  return HTTP_DEVICES.includes(device);
}

export class RecorderConfigError extends Error {
  override readonly name = 'RecorderConfigError';
}

function parsePort(text: string, what: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new RecorderConfigError(`${what}: "${text}" is not a port number (0-65535)`);
  return port;
}

/** `host:port`, `[v6]:port`, `:port` or `port` (host then 127.0.0.1). */
export function parseHostPort(text: string, what: string): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, port: parsePort(bracketed[2]!, what) };
  if (/^\d+$/.test(text)) return { host: '127.0.0.1', port: parsePort(text, what) };
  const colon = text.lastIndexOf(':');
  if (colon === -1) throw new RecorderConfigError(`${what}: "${text}" needs a port, as in 127.0.0.1:7080`);
  const host = text.slice(0, colon) || '127.0.0.1';
  if (host.includes(':') && isIP(host) !== 6) throw new RecorderConfigError(`${what}: write IPv6 addresses in brackets, as in [::1]:7080`);
  return { host, port: parsePort(text.slice(colon + 1), what) };
}

/**
 * HTTP devices take an `http://` or `https://` base URL; the UPS takes `tcp://host:port`, `tcp host:port`
 * (a serial-to-network bridge) or a serial device path.
 */
export function parseTarget(device: DeviceName, text: string): RecordTarget {
  const trimmed = text.trim();
  if (trimmed === '') throw new RecorderConfigError('the target is empty');
  if (isHttpDevice(device)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new RecorderConfigError(`${device} is recorded over HTTP: the target must be a URL such as http://192.168.1.5, got "${trimmed}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new RecorderConfigError(`${device} is recorded over HTTP: the target must start with http:// or https://, got "${trimmed}"`);
    }
    if (url.search !== '' || url.hash !== '') throw new RecorderConfigError(`the target is a base URL: drop the query and fragment from "${trimmed}"`);
    return { kind: 'http', url };
  }
  const tcp = /^tcp(?::\/\/|\s+)(.+)$/i.exec(trimmed);
  if (tcp) {
    const { host, port } = parseHostPort(tcp[1]!.replace(/\/$/, '').replace(/^[^@]*@/, ''), 'target');
    if (port === 0) throw new RecorderConfigError('target: port 0 cannot be connected to');
    return { kind: 'tcp', host, port };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new RecorderConfigError(`the ${device} is recorded as serial bytes: use tcp://host:port or a serial port path, got "${trimmed}"`);
  }
  return { kind: 'serial', path: trimmed };
}

/**
 * The target as the header names it, never with credentials (a recording gets shared):
 * `http://host[:port][/prefix]`, `tcp://host:port` or the device path.
 */
export function describeTarget(target: RecordTarget): string {
  if (target.kind === 'serial') return target.path;
  if (target.kind === 'tcp') return `tcp://${urlHost(target.host)}:${target.port}`;
  const path = target.url.pathname.replace(/\/+$/, '');
  return `${target.url.protocol}//${target.url.host}${path}`;
}

export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
