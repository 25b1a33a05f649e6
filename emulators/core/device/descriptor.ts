// The device interface: one descriptor per device (built-in or a user's module). The host (the
// registry, the CLI, the container entrypoint, replay) reads descriptors and never names a device:
// flags, `VOLTBENCH_*` variables, help text, ports and the ready line all come from here.
//
// A descriptor holds only cheap metadata; the implementation is `create` or, for lazy loading,
// `load()` returning a module with `create`, so choosing devices imports only their code.

import type { IncomingMessage, RequestListener } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Static, TObject } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DeviceEmulator, EmulatorControl } from '../emulator.js';
import type { Rng } from '../rng.js';
import type { World } from '../world/world.js';
import type { HttpDeviceSpec, HttpDevice } from './toolkit.js';

/** The interface version this host implements; a descriptor names the one it was written for. */
export const DEVICE_API_VERSION = 1;
export const SUPPORTED_API_VERSIONS: readonly number[] = [1];

/**
 * How a listener is served. The host owns the sockets:
 * - `http`, `https`: a Fastify app (or a node request listener) behind an HTTP or HTTPS server;
 * - `http+https`: the same handler behind one port that takes both, told apart by the first byte
 *   of each connection (a TLS handshake or not), as clients that use one `host:port` for both need;
 * - `tcp`: raw bytes (a serial line over TCP), one `connection(socket)` call per client;
 * - `websocket`: an HTTP server whose upgrade requests go to `upgrade(request, socket, head)`;
 *   plain requests get 426.
 */
export type ListenerKind = 'http' | 'https' | 'http+https' | 'tcp' | 'websocket';
export const LISTENER_KINDS: readonly ListenerKind[] = ['http', 'https', 'http+https', 'tcp', 'websocket'];

export interface ListenerSpec {
  kind: ListenerKind;
  /** The port `voltbench up` uses (0 = any free port). */
  defaultPort: number;
  /** One line for `up --help`, e.g. "device API (dl_cgi)". */
  description: string;
  /** The `/__emu` control API is served here (at most one listener per device). */
  control?: boolean;
  /** Key of this listener's URL in the ready entry; default `url` for the first listener, `<name>Url` after. */
  readyKey?: string;
}

/** What `create` returns for a listener, by kind. */
export type HttpHandler = FastifyInstance | RequestListener;
export interface TcpHandler {
  connection(socket: Socket): void;
}
export interface UpgradeHandler {
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
}
export type ListenerHandler = HttpHandler | TcpHandler | UpgradeHandler;

export interface TlsKeyPair {
  key: string | Buffer;
  cert: string | Buffer;
}

/** The bound listeners' URLs by listener name (empty when started without sockets). */
export type ListenerUrls = Readonly<Record<string, string>>;

/** A device made by `create`: what it serves, its control plane, its place in the ready line. */
export interface DeviceInstance {
  /** The control plane's view of the device (state, patch, reset, faults, request log, world). */
  emulator: DeviceEmulator;
  /** Default: `new EmulatorControl(emulator)`. */
  control?: EmulatorControl;
  /** A handler per declared listener. */
  serve: Readonly<Record<string, ListenerHandler>>;
  /** Certificate for `https` and `http+https` listeners. */
  tls?: TlsKeyPair;
  /** The device's entry in the `--json` ready line; default every bound listener's URL under its ready key. */
  ready?(urls: ListenerUrls): Record<string, string>;
  /** Its row label in the ready table, e.g. `senec (v3-0826)`; default the device name. */
  label?(): string;
  /** Runs after the host stopped the device's listeners; devices close in reverse start order. */
  close?(): Promise<void>;
}

/** Everything a device stands on, handed to `create`: it needs no import from voltbench to use it. */
export interface DeviceContext<Options = Record<string, unknown>> {
  /** The device's name (`pvs`, or a user device's own). */
  name: string;
  /** The one shared world: virtual clock, sun, weather, household load, grid. */
  world: World;
  /** The run's seed; `rng()` gives streams derived from it. */
  seed: number;
  /** The device's options, validated, defaults filled in, after `resolveOptions`. */
  options: Options;
  /** Deeper configuration passed by code (tests, scenarios), e.g. a whole site; undefined from the CLI. */
  config: unknown;
  /** A seeded random stream named for this device and `stream`: the same seed gives the same numbers. */
  rng(stream?: string): Rng;
  /** Builds a Fastify app with the device's routes behind the fault layer and the `/__emu` control API. */
  http(spec: HttpDeviceSpec): Promise<HttpDevice>;
  /** A line on stderr, prefixed with the device name. */
  log(line: string): void;
}

export interface DeviceModule<Options = Record<string, unknown>> {
  create(context: DeviceContext<Options>): Promise<DeviceInstance> | DeviceInstance;
}

export interface DeviceDescriptor<O extends TObject = TObject, Resolved = Static<O>, Name extends string = string> {
  /** The interface version the device was written for (DEVICE_API_VERSION). */
  apiVersion: number;
  /** Lower-case letters and digits, 2-16 characters: flags are `--<name>-…`, variables `VOLTBENCH_<NAME>_…`. */
  name: Name;
  /** One line for help and docs, e.g. "SunPower PVS5/PVS6 supervisor". */
  title: string;
  /**
   * Options as a TypeBox object: each property with a `description` and, unless optional, a
   * `default`; integers and numbers with bounds, enums as unions of literals. A boolean defaulting
   * to true becomes `--<name>-no-<option>`.
   */
  options?: O;
  /** Cross-field rules and file inputs: throw `DeviceOptionError` naming the option. */
  resolveOptions?(options: Static<O>): Resolved | Promise<Resolved>;
  /** Listeners by name, the first one the device's main one (`--<name>-port`). */
  listeners: Readonly<Record<string, ListenerSpec>>;
  /** The implementation, given directly… */
  create?(context: DeviceContext<Resolved>): Promise<DeviceInstance> | DeviceInstance;
  /** …or loaded when the device is started (so choosing other devices never imports this one). */
  load?(): Promise<DeviceModule<Resolved>>;
}

/** A mistake in a device's options; `option` is the key, so the CLI can name the flag. */
export class DeviceOptionError extends Error {
  override readonly name = 'DeviceOptionError';
  constructor(
    readonly option: string | null,
    message: string,
    /** The device whose option it is, once the host knows. */
    readonly device?: string,
  ) {
    super(message);
  }
}

/** A descriptor that cannot be used (wrong shape, unknown API version, a clashing name). */
export class DeviceDescriptorError extends Error {
  override readonly name = 'DeviceDescriptorError';
}

/**
 * Does nothing at run time: it gives the descriptor its types, so `create` sees its options'
 * static type without annotations (in TypeScript, and in JavaScript checked by an editor).
 */
export function defineDevice<const O extends TObject, Resolved = Static<O>, const Name extends string = string>(
  descriptor: DeviceDescriptor<O, Resolved, Name>,
): DeviceDescriptor<O, Resolved, Name> {
  return descriptor;
}

// A descriptor of any options type, as the host holds them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDeviceDescriptor = DeviceDescriptor<TObject, any>;
