import type { ClockSnapshot } from '../../emulators/core/clock.js';
import type { ClockCommand, WorldCommand } from '../../emulators/core/emulator.js';
import type { Fault } from '../../emulators/core/faults.js';
import type { FaultSpecInput } from '../../emulators/core/control-schemas.js';
import type { LoggedRequest } from '../../emulators/core/request-log.js';
import type { WorldSnapshot } from '../../emulators/core/world/world.js';
import type { ControlRoute } from '../../emulators/core/http/control-routes.js';
import type { PointView } from '../../emulators/kehua-ups/control-routes.js';

/** One UL33 point as `/__emu/points` lists it. */
export type UpsPoint = PointView;

/** GET /__emu/health. */
export interface EmulatorHealth {
  status: 'ok';
  device: string;
  time: string;
  requests: number;
  faults: number;
}

/** GET /__emu/: the device's control routes and the keys its state patch takes. */
export interface ControlRouteList {
  device: string;
  routes: ControlRoute[];
  statePatch?: { settings: string[]; actions: string[]; aliases: Record<string, string> };
}

/**
 * PATCH /__emu/state in its canonical form: the device's settings inside `settings`, state changes and
 * actions at the top level. The common actions are typed; device-specific ones (PVS `site`, SENEC `mode`,
 * Growatt `devices`, UPS `points`...) go beside them. See docs/control-api.md.
 */
export interface StatePatchRequest {
  settings?: Record<string, unknown>;
  /** Reboot now: true, or how long the device stays down ("5m", ms). PVS and SENEC. */
  reboot?: boolean | number | string;
  /** The firmware to run (SENEC: a profile id such as "v3-0826"). */
  firmware?: string;
  /** Battery state of charge, % (PVS with a SunVault, SENEC, UPS). */
  soc?: number;
  [action: string]: unknown;
}

export type { ControlRoute };

/** The control API answered with something other than 2xx. */
export class ControlApiError extends Error {
  override readonly name = 'ControlApiError';
  constructor(
    readonly status: number,
    readonly method: string,
    readonly url: string,
    readonly body: unknown,
  ) {
    const message = typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : JSON.stringify(body);
    super(`${method} ${url} answered ${status}: ${message}`);
  }
}

/**
 * Typed client of an emulator's `/__emu` control API, the same over a socket in this process, in a
 * container or in a compose service. `baseUrl` is the emulator's control URL (for SENEC the plain-HTTP
 * port, for the UPS its control port).
 */
export class ControlClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  health(): Promise<EmulatorHealth> {
    return this.send('GET', '/health');
  }

  /** The device's control routes with one-line descriptions (GET /__emu/). */
  routes(): Promise<ControlRouteList> {
    return this.send('GET', '/');
  }

  /** The device's full state (its shape is device-specific). */
  state<T = unknown>(): Promise<T> {
    return this.send('GET', '/state');
  }

  /** `{settings: {...}, reboot, firmware, soc, ...}`; the old forms (settings at the top level) still work. */
  patchState<T = unknown>(patch: StatePatchRequest): Promise<T> {
    return this.send('PATCH', '/state', patch);
  }

  clock(): Promise<ClockSnapshot> {
    return this.send('GET', '/clock');
  }

  /** Advance (`"5m"`, ms), jump (`set`: ISO time) and/or change speed, in that order. */
  clockCommand(command: ClockCommand): Promise<ClockSnapshot> {
    return this.send('POST', '/clock', command);
  }

  advanceClock(by: number | string): Promise<ClockSnapshot> {
    return this.clockCommand({ advance: by });
  }

  world(): Promise<WorldSnapshot> {
    return this.send('GET', '/world');
  }

  /** Weather, location, household and grid changes (`{ grid: 'down', for: '10m' }`). */
  worldCommand(command: WorldCommand): Promise<WorldSnapshot> {
    return this.send('PATCH', '/world', command);
  }

  faults(): Promise<Fault[]> {
    return this.send('GET', '/faults');
  }

  addFault(spec: FaultSpecInput): Promise<Fault> {
    return this.send('POST', '/faults', spec);
  }

  removeFault(id: string): Promise<void> {
    return this.send('DELETE', `/faults/${encodeURIComponent(id)}`);
  }

  clearFaults(): Promise<void> {
    return this.send('DELETE', '/faults');
  }

  requests(limit?: number): Promise<LoggedRequest[]> {
    return this.send('GET', limit === undefined ? '/requests' : `/requests?limit=${limit}`);
  }

  /** Resets this device, or with `{ world: true }` the shared clock and weather too. */
  reset(options: { world?: boolean } = {}): Promise<{ reset: string; time: string }> {
    return this.send('POST', '/reset', options);
  }

  protected async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}/__emu${path}`;
    const response = await fetch(url, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) throw new ControlApiError(response.status, method, url, parsed);
    return parsed as T;
  }
}


/** The UPS control API adds `/__emu/points`: read every point, pin values (alarms included) or release them with null. */
export class UpsControlClient extends ControlClient {
  points(): Promise<UpsPoint[]> {
    return this.send('GET', '/points');
  }

  patchPoints(points: Record<string, number | null>): Promise<UpsPoint[]> {
    return this.send('PATCH', '/points', points);
  }
}
