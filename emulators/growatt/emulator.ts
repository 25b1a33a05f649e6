/**
 * The emulated ShineServer OpenAPI v1: a fleet of accounts, plants and SPH inverters on the shared world, the
 * rate limiter, and the control-plane view of all of it. Transport-free: `call()` takes a token, an endpoint and
 * merged parameters and returns the reply, so HTTP routes and in-process tests share one path.
 */
import type { SiteReadings } from '../core/readings.js';
import { errorReply, type EndpointId } from '../../contracts/growatt/index.js';
import type { DeviceEmulator } from '../core/emulator.js';
import { ControlInputError } from '../core/errors.js';
import { FaultInjector, HTTP_FAULT_KINDS } from '../core/faults.js';
import { RequestLog } from '../core/request-log.js';
import { Rng } from '../core/rng.js';
import { defineStatePatch, normalizeStatePatch, type StatePatchShape } from '../core/state-patch.js';
import { Type } from '@sinclair/typebox';
import { checkInput } from '../core/schema-check.js';
import type { World } from '../core/world/world.js';
import { HANDLERS, type Params, type Reply } from './api.js';
import { DEFAULT_FLEET, Fleet, type FleetConfig, type SphDevice } from './fleet.js';
import type { SimState } from './physics.js';
import { RateLimiter } from './rate-limiter.js';
import type { SphSettings } from './settings.js';
import { GrowattSimulation, HISTORY_DAYS, type OutageKind } from './simulation.js';
import { buildMinTelemetry } from './min-telemetry.js';
import { buildTelemetry, gridNominal } from './telemetry.js';
import { PlantViews } from './views.js';
import { emptySample } from './world-tape.js';

export interface GrowattSettings {
  /** Answer 10012 to calls faster than the documented frequencies (on by default, as on the real service). */
  rateLimits: boolean;
  /** Added to every API reply, ms. */
  latencyMs: number;
}

export const DEFAULT_GROWATT_SETTINGS: GrowattSettings = { rateLimits: true, latencyMs: 0 };

/**
 * `PATCH /__emu/state`: `{"settings": {"rateLimits": false, "latencyMs": 200}, "rateLimits": "clear",
 * "devices": {"SN": {"online": false, "kind": "inverter"}}}`. `rateLimits` at the top level is the
 * setting (old form) unless its value is "clear", the action that forgets past calls.
 */
export const GrowattSettingsSchema = Type.Object({
  rateLimits: Type.Boolean({ description: 'answer 10012 to calls faster than the documented limits', expects: 'true or false (at the top level, "clear" forgets past calls)' }),
  latencyMs: Type.Number({ minimum: 0, maximum: 60_000, description: 'added to every API reply' }),
});

export const GROWATT_STATE_PATCH: StatePatchShape = defineStatePatch({
  name: 'Growatt',
  settings: GrowattSettingsSchema,
  actions: {
    devices: Type.Record(
      Type.String({ pattern: '^[0-9A-Za-z]{1,32}$' }),
      Type.Object(
        {
          online: Type.Boolean({ description: 'false cuts the device off the cloud' }),
          kind: Type.Optional(Type.Union([Type.Literal('datalogger'), Type.Literal('inverter')], { description: 'what goes offline (default the datalogger)' })),
        },
        { additionalProperties: false },
      ),
      { description: 'by serial number', expects: 'an object keyed by serial number, each {"online": true|false}' },
    ),
    rateLimits: Type.Literal('clear', { description: 'forget past calls' }),
  },
  actionValues: { rateLimits: ['clear'] },
  unsupported: {
    reboot: 'the cloud API has no reboot; cut a device\'s uploads with {"devices": {"SN": {"online": false}}} or add a fault',
    soc: 'battery state of charge follows the simulated inverters; change the weather or household load through /__emu/world',
    firmware: 'the cloud API has no firmware to choose',
  },
});

export interface GrowattOptions {
  world: World;
  fleet?: Partial<Omit<FleetConfig, 'seed'>> & { seed?: number };
  settings?: Partial<GrowattSettings>;
  /** Days simulated before the start (history, today's counters); default 7, the longest history range. */
  backfillDays?: number;
}

export interface LatestUpload {
  slot: number;
  state: SimState;
  uploadMs: number;
}

/** Telemetry JSON kept per device for the slot it was built for; bounded so huge fleets stay small. */
const TELEMETRY_CACHE_LIMIT = 1024;
/** Distinct batch requests whose encoded replies are kept (a poller has a handful). */
const BATCH_CACHE_LIMIT = 8;

export class GrowattEmulator implements DeviceEmulator {
  readonly device = 'growatt';
  readonly world: World;
  readonly fleet: Fleet;
  readonly faults: FaultInjector;
  readonly requests = new RequestLog();
  readonly statePatch = GROWATT_STATE_PATCH;
  readonly limiter = new RateLimiter();
  readonly views = new PlantViews(this);
  sim: GrowattSimulation;
  private current: GrowattSettings;
  private readonly initialSettings: GrowattSettings;
  private readonly backfillDays: number;
  private telemetryCache = new Map<string, { slot: number; version: number; json: string }>();
  private batchCache = new Map<string, { signature: string; bytes: Buffer }>();
  /** Bumped whenever something already uploaded could read differently (comms outage ends, reset). */
  private version = 0;
  private readonly noise: Rng;

  constructor(options: GrowattOptions) {
    this.world = options.world;
    const seed = options.fleet?.seed ?? this.world.config.seed;
    this.fleet = new Fleet({ ...DEFAULT_FLEET, ...options.fleet, seed }, this.world.clock.now());
    this.initialSettings = { ...checkInput(GrowattSettingsSchema, { ...DEFAULT_GROWATT_SETTINGS, ...options.settings }, 'Growatt settings') };
    this.current = { ...this.initialSettings };
    this.backfillDays = options.backfillDays ?? 7;
    this.sim = new GrowattSimulation(this.world, this.fleet, { backfillDays: this.backfillDays });
    this.faults = new FaultInjector(HTTP_FAULT_KINDS, new Rng(seed, 'growatt.faults'), () => this.world.clock.now());
    this.noise = new Rng(seed, 'growatt.telemetry');
    this.world.onReset(() => this.reset());
  }

  get settings(): Readonly<GrowattSettings> {
    return this.current;
  }

  get demoToken(): string {
    return this.fleet.demoAccount.token;
  }

  /** One API call: token check, the endpoint's own validation, then the rate limit for calls that would succeed. */
  call(token: string | undefined, endpoint: EndpointId, params: Params): Reply {
    const account = this.fleet.accountForToken(token);
    if (account === undefined) return { body: errorReply(null, 10011) };
    const reply = HANDLERS[endpoint](this, account, params);
    if (this.current.rateLimits && succeeded(reply)) {
      const decision = this.limiter.admit(account.token, endpoint, params, this.world.clock.now());
      if (!decision.ok) return { body: errorReply(null, 10012) };
    }
    return reply;
  }

  /**
   * The first plant's flows, summed over its inverters' newest uploads (what the cloud reports, so
   * up to one 5-minute slot behind the clock). One plant, not the fleet: a fleet can hold thousands
   * of sites, and a dashboard picture is of one house.
   */
  readings(): SiteReadings {
    const plant = this.fleet.plants.values().next().value;
    if (plant === undefined) return {};
    let pvW = 0, loadW = 0, batteryW = 0, gridW = 0, socWh = 0, batteryWh = 0;
    for (const sn of plant.deviceSns) {
      const device = this.fleet.devices.get(sn);
      if (device === undefined) continue;
      const upload = this.latest(device);
      if (upload === null) continue;
      const s = upload.state;
      pvW += s.ppv1 + s.ppv2;
      loadW += s.load;
      batteryW += s.charge - s.discharge;
      gridW += s.imports - s.exports;
      socWh += s.socWh;
      batteryWh += device.batteryWh;
    }
    return { pvW, loadW, gridW, ...(batteryWh > 0 ? { batteryW, socPct: (socWh / batteryWh) * 100 } : {}) };
  }

  /** The newest upload of a device, or null before its first one. */
  latest(device: SphDevice): LatestUpload | null {
    const slot = this.sim.latestSlot(device, this.world.clock.now());
    if (slot < 0) return null;
    return { slot, state: this.sim.stateAt(device, slot), uploadMs: this.sim.uploadTime(device, slot) };
  }

  /** Telemetry JSON of the newest upload (what mix_last_data and mixs_data carry), cached per slot. */
  telemetryJson(device: SphDevice): string {
    const slot = Math.max(0, this.sim.latestSlot(device, this.world.clock.now()));
    const cached = this.telemetryCache.get(device.sn);
    if (cached !== undefined && cached.slot === slot && cached.version === this.version) return cached.json;
    const json = JSON.stringify(this.telemetryAt(device, this.sim.stateAt(device, slot), slot));
    if (this.telemetryCache.size >= TELEMETRY_CACHE_LIMIT && cached === undefined) {
      this.telemetryCache.delete(this.telemetryCache.keys().next().value!);
    }
    this.telemetryCache.delete(device.sn);
    this.telemetryCache.set(device.sn, { slot, version: this.version, json });
    return json;
  }

  telemetryAt(device: SphDevice, state: SimState, slot: number) {
    const rng = this.noise;
    if (device.family === 'min') {
      return buildMinTelemetry({
        device,
        state,
        uploadMs: this.sim.uploadTime(device, slot),
        utcOffsetMinutes: this.world.config.utcOffsetMinutes,
        grid: gridNominal(this.world.config.longitude),
        again: this.sim.resent(device, slot),
        noise: (channel) => rng.signedNoise(device.noiseKey ^ (channel * 0x9e3779b1), slot),
      });
    }
    const sample = this.sim.tape.sample(slot, emptySample());
    return buildTelemetry({
      device,
      state,
      settings: this.sim.settingsAt(device.sn, slot),
      uploadMs: this.sim.uploadTime(device, slot),
      utcOffsetMinutes: this.world.config.utcOffsetMinutes,
      grid: gridNominal(this.world.config.longitude),
      again: this.sim.resent(device, slot),
      slotMinute: sample.minute,
      noise: (channel) => rng.signedNoise(device.noiseKey ^ (channel * 0x9e3779b1), slot),
    });
  }

  /**
   * History rows (JSON text) of local days `fromDay..toDay` uploaded by now, oldest first: `offset`/`limit`
   * select a page, `count` is the total. Like the service, only the last HISTORY_DAYS local dates have rows.
   */
  historyRows(device: SphDevice, fromDay: number, toDay: number, offset: number, limit: number): { count: number; rows: string[] } {
    const now = this.world.clock.now();
    const offsetMs = this.world.config.utcOffsetMinutes * 60_000;
    fromDay = Math.max(fromDay, Math.floor((now + offsetMs) / 86_400_000) - HISTORY_DAYS);
    if (toDay < fromDay) return { count: 0, rows: [] };
    // Rows belong to the local day of their upload (`time`), like their today counters.
    const range = this.sim.slotsUploadedIn(device, fromDay * 86_400_000 - offsetMs, (toDay + 1) * 86_400_000 - offsetMs);
    const first = range.from;
    const last = Math.min(this.sim.latestSlot(device, now), range.to);
    const count = Math.max(0, last - first + 1);
    const rows: string[] = [];
    const from = first + offset;
    const to = Math.min(last, from + limit - 1);
    this.sim.replay(device, from, to, (state, slot) => rows.push(JSON.stringify(this.telemetryAt(device, state, slot))));
    return { count, rows };
  }

  /**
   * The whole mixs_data reply. Pollers repeat the same batch every few seconds while uploads come every
   * 5 minutes, so the encoded reply is kept per request until any of its devices uploads again.
   */
  mixsDataReply(sns: readonly string[], devices: readonly SphDevice[], pageNum: number, listKey: 'mixs' | 'tlxs' = 'mixs'): Reply {
    const now = this.world.clock.now();
    const key = `${listKey}|${pageNum}|${sns.join(',')}`;
    let signature = String(this.version);
    for (const device of devices) signature += `,${this.sim.latestSlot(device, now)}`;
    const cached = this.batchCache.get(key);
    if (cached !== undefined && cached.signature === signature) return { bytes: cached.bytes };
    // `data` is keyed by SN, so a duplicate appears once there while `mixs` echoes the list as sent.
    const seen = new Set<string>();
    const entries: string[] = [];
    for (const device of devices) {
      if (seen.has(device.sn)) continue;
      seen.add(device.sn);
      const sn = JSON.stringify(device.sn);
      entries.push(`${sn}:{"dataloggerSn":${JSON.stringify(device.dataloggerSn)},${sn}:${this.telemetryJson(device)}}`);
    }
    const bytes = Buffer.from(`{"${listKey}":${JSON.stringify(sns)},"data":{${entries.join(',')}},"error_code":0,"error_msg":"","pageNum":${pageNum}}`);
    if (this.batchCache.size >= BATCH_CACHE_LIMIT && cached === undefined) this.batchCache.delete(this.batchCache.keys().next().value!);
    this.batchCache.set(key, { signature, bytes });
    return { bytes };
  }

  applySettings(device: SphDevice, settings: SphSettings): void {
    this.sim.applySettings(device, settings, this.world.clock.now());
  }

  setOnline(sn: string, online: boolean, kind: OutageKind = 'datalogger'): void {
    this.sim.setOnline(sn, kind, online, this.world.clock.now());
    this.version++;
  }

  // ---- control plane ---------------------------------------------------------------------------

  state(): unknown {
    const plantsShown = 20;
    return {
      device: this.device,
      time: new Date(this.world.clock.now()).toISOString(),
      settings: { ...this.current },
      demoToken: this.demoToken,
      fleet: {
        accounts: this.fleet.accounts.length,
        plants: this.fleet.plants.size,
        devices: this.fleet.devices.size,
        minDevices: this.fleet.config.minDevices ?? 0,
        simulatedDevices: this.sim.activeDevices,
      },
      accounts: this.fleet.accounts.slice(0, plantsShown).map((account) => ({
        userId: account.userId,
        name: account.name,
        token: account.token,
        plants: account.plantIds.length,
        firstPlants: account.plantIds.slice(0, plantsShown).map((id) => {
          const plant = this.fleet.plants.get(id)!;
          return { plantId: id, name: plant.name, devices: plant.deviceSns.slice(0, plantsShown) };
        }),
      })),
      offline: [...this.fleet.devices.keys()].flatMap((sn) => {
        const open = this.sim.openOutage(sn);
        return open === undefined ? [] : [{ sn, kind: open.kind, since: new Date(open.from).toISOString() }];
      }),
    };
  }

  /**
   * `{settings: {rateLimits, latencyMs}}`, `{rateLimits: "clear"}` to forget past calls, and
   * `{devices: {SN: {online: false, kind?: "datalogger"|"inverter"}}}` to cut or restore a device's uploads.
   */
  patchState(patch: unknown): unknown {
    // Types and ranges come checked (the schema); unknown serials are checked here, before any change.
    const input = normalizeStatePatch(GROWATT_STATE_PATCH, patch) as GrowattPatch;
    const nextSettings = { ...this.current, ...input.settings };
    const deviceChanges: [string, boolean, OutageKind][] = [];
    for (const [sn, change] of Object.entries(input.devices ?? {})) {
      if (!this.fleet.devices.has(sn)) throw new ControlInputError(`no growatt device "${sn}"`);
      deviceChanges.push([sn, change.online, change.kind ?? 'datalogger']);
    }
    this.current = nextSettings;
    for (const [sn, online, kind] of deviceChanges) this.setOnline(sn, online, kind);
    if (input.rateLimits === 'clear') this.limiter.clear();
    return this.state();
  }

  reset(): void {
    this.current = { ...this.initialSettings };
    this.sim.reset();
    this.limiter.clear();
    this.telemetryCache = new Map();
    this.batchCache = new Map();
    this.version++;
    this.faults.clear();
    this.requests.clear();
  }
}

function succeeded(reply: Reply): boolean {
  if ('json' in reply || 'bytes' in reply) return true;
  return (reply.body as { error_code?: unknown }).error_code === 0;
}

/** The canonical patch, as the schema has checked it. */
type GrowattPatch = { settings: Partial<GrowattSettings> } & Partial<{
  devices: Record<string, { online: boolean; kind?: OutageKind }>;
  rateLimits: 'clear';
}>;
