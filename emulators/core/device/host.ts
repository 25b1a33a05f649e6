// Starting one device from its descriptor: load its code, check and resolve its options, create
// it on the shared world, bind its listeners, and work out its ready-line entry.

import type { FastifyInstance } from 'fastify';
import { EmulatorControl, type DeviceEmulator } from '../emulator.js';
import { Rng } from '../rng.js';
import type { World } from '../world/world.js';
import { DeviceDescriptorError, DeviceOptionError, type AnyDeviceDescriptor, type DeviceContext, type DeviceInstance, type ListenerHandler } from './descriptor.js';
import { bindListener, type BoundListener } from './listeners.js';
import { checkOptions, listenerPlan } from './options.js';
import { httpToolkit } from './toolkit.js';

export const DEFAULT_START_TIMEOUT_MS = 10_000;

export interface StartDeviceInput {
  descriptor: AnyDeviceDescriptor;
  /** Where the descriptor came from, for errors (`built-in`, `--device ./meter.js`). */
  source: string;
  world: World;
  seed: number;
  /** Option values by option key; checked and completed with defaults here. */
  options: Readonly<Record<string, unknown>>;
  /** The options as `resolveDeviceOptions` gave them, when the caller checked them already. */
  resolved?: { options: unknown };
  config: unknown;
  /** Bind sockets, or build handlers only (for `inject()`). */
  listen: false | { host: string; ports: Readonly<Record<string, number>> };
  log(line: string): void;
  /** load + create + bind must finish within this (Fastify's pluginTimeout idea). */
  timeoutMs?: number;
}

export interface RunningDevice {
  readonly name: string;
  readonly descriptor: AnyDeviceDescriptor;
  readonly emulator: DeviceEmulator;
  readonly control: EmulatorControl;
  /** The first Fastify app it serves (the device API, or the control API of a serial device). */
  readonly app: FastifyInstance;
  /** Every Fastify app by listener name. */
  readonly apps: Readonly<Record<string, FastifyInstance>>;
  /** Bound listeners' URLs by listener name; empty without sockets. */
  readonly urls: Readonly<Record<string, string>>;
  /** The main (first) listener's URL. */
  readonly url: string | null;
  /** Base URL of the `/__emu` control API. */
  readonly controlUrl: string | null;
  /** The listener that serves it. */
  readonly controlListener: string | null;
  /** This device's entry in the `--json` ready line. */
  readonly ready: Readonly<Record<string, string>>;
  /** Its row label in the ready table. */
  readonly label: string;
  /** The device instance as `create` returned it (a built-in's server object, for in-process tests). */
  readonly instance: DeviceInstance;
  close(): Promise<void>;
}

export async function startDevice(input: StartDeviceInput): Promise<RunningDevice> {
  const { descriptor, source } = input;
  const timeoutMs = input.timeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeviceDescriptorError(`${descriptor.name} (${source}) did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([start(input), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A device's options checked against its schema and resolved (files read, pairs matched), so that
 * a caller starting several devices can refuse bad options before any of them binds a port.
 */
export async function resolveDeviceOptions(descriptor: AnyDeviceDescriptor, options: Readonly<Record<string, unknown>>): Promise<{ options: unknown }> {
  try {
    const checked = checkOptions(descriptor, options);
    return { options: descriptor.resolveOptions ? await descriptor.resolveOptions(checked) : checked };
  } catch (error) {
    // By name: a device of your own may throw another copy's DeviceOptionError.
    const e = error as Partial<DeviceOptionError>;
    if (e?.name === 'DeviceOptionError' && e.device === undefined) throw new DeviceOptionError(e.option ?? null, e.message ?? '', descriptor.name);
    throw error;
  }
}

async function start(input: StartDeviceInput): Promise<RunningDevice> {
  const { descriptor, world } = input;
  const name = descriptor.name;
  const { options } = input.resolved ?? (await resolveDeviceOptions(descriptor, input.options));
  const rng = (stream = '') => new Rng(input.seed, stream === '' ? name : `${name}.${stream}`);
  const context: DeviceContext<unknown> = {
    name,
    world,
    seed: input.seed,
    options,
    config: input.config,
    rng,
    http: httpToolkit(name, world, rng),
    log: (line) => input.log(`${name}: ${line}`),
  };
  const create = descriptor.create ?? (await descriptor.load!()).create;
  if (typeof create !== 'function') throw new DeviceDescriptorError(`${name} (${input.source}): load() must resolve to a module with create(context)`);
  const instance = await create(context as never);
  const plan = listenerPlan(descriptor);
  const apps: Record<string, FastifyInstance> = {};
  for (const { name: listener } of plan) {
    const handler = instance.serve[listener];
    if (isFastify(handler)) apps[listener] = handler;
  }
  const bound: { listener: string; socket: BoundListener }[] = [];
  const closeInstance = async () => {
    if (instance.close) await instance.close();
    else await Promise.allSettled([...new Set(Object.values(apps))].map((app) => app.close()));
  };
  try {
    if (input.listen !== false) {
      for (const { name: listener, spec, portKey } of plan) {
        const port = input.listen.ports[portKey] ?? spec.defaultPort;
        bound.push({ listener, socket: await bindListener({ device: name, listener, kind: spec.kind }, instance.serve[listener], instance.tls, input.listen.host, port) });
      }
    }
  } catch (error) {
    await Promise.allSettled(bound.map((b) => b.socket.close()));
    await closeInstance();
    throw error;
  }
  const urls = Object.fromEntries(bound.map((b) => [b.listener, b.socket.url]));
  const controlListener = plan.find((l) => l.spec.control)?.name ?? plan.find((l) => isFastify(instance.serve[l.name]))?.name;
  const defaultReady = () => Object.fromEntries(plan.filter((l) => urls[l.name] !== undefined).map((l) => [l.readyKey, urls[l.name]!]));
  const firstApp = Object.values(apps)[0];
  if (firstApp === undefined) throw new DeviceDescriptorError(`${name} (${input.source}): serves no HTTP listener, so its control API has nowhere to go`);
  let closed: Promise<void> | undefined;
  return {
    name,
    descriptor,
    emulator: instance.emulator,
    control: instance.control ?? new EmulatorControl(instance.emulator),
    app: firstApp,
    apps,
    urls,
    url: plan[0] && urls[plan[0].name] !== undefined ? urls[plan[0].name]! : null,
    controlUrl: controlListener !== undefined ? (urls[controlListener] ?? null) : null,
    controlListener: controlListener ?? null,
    ready: bound.length === 0 ? {} : (instance.ready?.(urls) ?? defaultReady()),
    label: instance.label?.() ?? name,
    instance,
    close: () => {
      // Listeners first (no new work), then the device; once, however often asked.
      closed ??= Promise.allSettled(bound.map((b) => b.socket.close())).then(closeInstance);
      return closed;
    },
  };
}

function isFastify(handler: ListenerHandler | undefined): handler is FastifyInstance {
  return handler !== undefined && typeof handler !== 'function' && typeof (handler as Partial<FastifyInstance>).routing === 'function';
}
