import type { ProfileSwitch, SiteReadings } from '../core/readings.js';
import { isPvsFirmwareId, parseSwver, PVS_FIRMWARE_IDS, type PvsApiEra } from '../../contracts/sunpower-pvs/firmware.js';
import { TELEMETRY_ENABLE_VARIABLE, TELEMETRY_TIMING, type TelemetryParams } from '../../contracts/sunpower-pvs/telemetry.js';
import { dlCgiForbiddenBody, SESSION_TIMEOUT_MS, VARSERVER_REFRESH_MS, type VarsErrorName } from '../../contracts/sunpower-pvs/varserver.js';
import { ControlInputError } from '../core/errors.js';
import { MAX_JUMP_MS } from '../core/time-bounds.js';
import type { DeviceEmulator } from '../core/emulator.js';
import { FaultInjector, HTTP_FAULT_KINDS } from '../core/faults.js';
import { RequestLog } from '../core/request-log.js';
import { Rng } from '../core/rng.js';
import { defineStatePatch, normalizeStatePatch, type StatePatchShape } from '../core/state-patch.js';
import { Duration, durationMs } from '../core/control-schemas.js';
import { checkInput } from '../core/schema-check.js';
import { Type, type Static } from '@sinclair/typebox';
import type { World } from '../core/world/world.js';
import { DEFAULT_ACTIVE_PROFILE_ID, GRID_PROFILES } from './grid-profiles.js';
import { alignDown, PvsModel, type Sample } from './model.js';
import { formatCJson, type CJsonValue } from './protocol/cjson.js';
import {
  CHECK_FW_RESPONSE,
  GET_CELL_PURCHASED_RESPONSE,
  SET_CELL_PURCHASED_RESPONSE,
  STOP_RESPONSE,
  UNKNOWN_COMMAND,
  communicationInterfacesResponse,
  discoveryProgressResponse,
  getCommResponse,
  gridProfileGetResponse,
  gridProfileRefreshResponse,
  startResponse,
} from './protocol/commands.js';
import { buildDeviceList, deviceCount } from './protocol/device-list.js';
import { essStatusResponse } from './protocol/ess-status.js';
import { buildVariables, initialWritables, liveData, telemetryParams } from './protocol/varserver.js';
import { createSite, firmwareSite, resolveSiteConfig, type Site, type SiteConfig } from './site.js';
import { Varserver, varsError, type VariableTable } from './varserver.js';

export interface PvsSettings {
  /** Make DeviceList take as long as the real supervisor: `deviceListMsPerDevice` per device. */
  deviceListLatency: boolean;
  deviceListMsPerDevice: number;
  /** How long a supervisor restart answers 503 before it is back with fresh uptime. */
  restartOutageMs: number;
  /** The "meters vanish from DeviceList" glitch. */
  hideMeters: boolean;
  /** Varserver login password; null: the last five characters of the supervisor serial. */
  password: string | null;
  /** A varserver session ends this long (virtual) after its last use. */
  sessionTimeoutMs: number;
  /** Telemetry WebSocket: how often (virtual) the live values are looked at for a frame. */
  telemetryIntervalMs: number;
  /** Telemetry WebSocket: with nothing changing, a frame anyway after this long. */
  telemetryQuietMs: number;
  /** Telemetry WebSocket: the server closes each connection after this long. */
  telemetryMaxConnectionMs: number;
}

export interface PvsOptions {
  world: World;
  site?: Partial<SiteConfig>;
  settings?: Partial<PvsSettings>;
}

export const DEFAULT_SETTINGS: PvsSettings = {
  deviceListLatency: false,
  // 6-7 s for a 24-panel site (27 devices) in the captures.
  deviceListMsPerDevice: 250,
  restartOutageMs: 5 * 60_000,
  hideMeters: false,
  password: null,
  sessionTimeoutMs: SESSION_TIMEOUT_MS,
  telemetryIntervalMs: TELEMETRY_TIMING.intervalMs,
  telemetryQuietMs: TELEMETRY_TIMING.quietMs,
  telemetryMaxConnectionMs: TELEMETRY_TIMING.maxConnectionMs,
};

/** A reply as the protocol layer produces it; the transport adds nothing but bytes. */
export interface PvsReply {
  status: number;
  /** Bytes exactly as sent (a Buffer, so the transport adds no charset to the content type). */
  body: Buffer;
  /** Wall-time the device spends before answering. */
  delayMs: number;
  unavailable: boolean;
  /** Headers of this reply; default: dl_cgi's lighttpd headers. */
  headers?: Readonly<Record<string, string>>;
}

const UNAVAILABLE: PvsReply = Object.freeze({ status: 503, body: Buffer.alloc(0), delayMs: 0, unavailable: true });

/** `PATCH /__emu/state`: `{"settings": {...}, "reboot": true | "5m", "soc": 80, "site": {...}, "firmware": "pvs6-61845"}`. */
const DAY_MS = 86_400_000;

/** The emulator's settings (not the supervisor's): what tests and scenarios tune. */
export const PvsSettingsSchema = Type.Object({
  deviceListLatency: Type.Boolean({ description: 'DeviceList takes deviceListMsPerDevice per device, as on the supervisor' }),
  deviceListMsPerDevice: Type.Number({ minimum: 0, maximum: 60_000 }),
  restartOutageMs: Duration(DAY_MS, { description: 'how long a restart answers 503' }),
  hideMeters: Type.Boolean({ description: 'the "meters vanish from DeviceList" glitch' }),
  password: Type.Union([Type.String({ pattern: '^[\\x21-\\x7e]{1,64}$', expects: '1-64 printable characters without spaces' }), Type.Null()], {
    description: 'varserver password; null: the last five characters of the serial',
  }),
  sessionTimeoutMs: Duration(MAX_JUMP_MS, { minimumMs: 1_000, description: 'a varserver session ends this long after its last use' }),
  telemetryIntervalMs: Duration(MAX_JUMP_MS, { minimumMs: 100, description: 'how often the WebSocket looks for a new frame' }),
  telemetryQuietMs: Duration(MAX_JUMP_MS, { minimumMs: 1_000, description: 'a frame anyway after this long' }),
  telemetryMaxConnectionMs: Duration(MAX_JUMP_MS, { minimumMs: 1_000, description: 'the server closes each WebSocket after this long' }),
});

/** `PATCH /__emu/state`: `{"settings": {...}, "reboot": true | "5m", "soc": 80, "site": {...}, "firmware": "pvs6-61845"}`. */
export const PVS_STATE_PATCH: StatePatchShape = defineStatePatch({
  name: 'PVS',
  settings: PvsSettingsSchema,
  actions: {
    reboot: Type.Union([Type.Boolean(), Duration(DAY_MS)], { description: 'true, or how long the supervisor answers 503' }),
    soc: Type.Number({ minimum: 0, maximum: 100, description: 'SunVault state of charge' }),
    site: Type.Record(Type.String(), Type.Unknown(), { description: 'rebuild the site', expects: 'an object of site options' }),
    firmware: Type.Union([...PVS_FIRMWARE_IDS.map((id) => Type.Literal(id)), Type.String({ pattern: '^\\d{4}\\.\\d{1,2}, Build \\d+$' })], {
      expects: `a profile id (${PVS_FIRMWARE_IDS.join(', ')}) or a SWVER like "2025.09, Build 61845"`,
    }),
  },
  aliases: { restart: 'reboot' },
});

/** A firmware to run: a profile's model and SWVER, or a SWVER on the site's model. */
interface FirmwareTarget {
  supervisorModel?: SiteConfig['supervisorModel'];
  firmware: string;
}

/**
 * The SunPower PVS supervisor: model + protocol, no transport. `server.ts` puts it on HTTP(S) and
 * `telemetry.ts` on the WebSocket.
 */
export class PvsEmulator implements DeviceEmulator {
  readonly device = 'pvs';
  readonly world: World;
  readonly faults: FaultInjector;
  readonly requests = new RequestLog();
  readonly statePatch = PVS_STATE_PATCH;
  private readonly siteInput: Partial<SiteConfig>;
  private readonly initialSettings: PvsSettings;
  site!: Site;
  model!: PvsModel;
  private rng!: Rng;
  settings!: PvsSettings;
  private version = 0;
  private deviceListCache: { key: string; body: Buffer } | null = null;
  /** The firmware installed by a `firmware` patch, kept over later `site` patches until a reset. */
  private firmwareOverride: FirmwareTarget | null = null;
  /** Readings at the latest 5-minute boundary: what the varserver's device variables show. */
  private snapshot: { at: number; sample: Sample } | null = null;
  private variableCache: { key: string; table: VariableTable } | null = null;
  private writableVersion = 0;
  readonly varserver: Varserver;
  /** Bumped whenever the supervisor reboots or is rebuilt: telemetry connections of an older generation end. */
  generation = 0;
  /** Open telemetry WebSocket connections (kept by telemetry.ts, shown in the state). */
  telemetryClients = 0;

  constructor(options: PvsOptions) {
    this.world = options.world;
    this.siteInput = options.site ?? {};
    this.initialSettings = resolveSettings(checkInput(PvsSettingsSchema, { ...DEFAULT_SETTINGS, ...options.settings }, 'PVS settings'));
    this.faults = new FaultInjector(HTTP_FAULT_KINDS, new Rng(options.site?.seed ?? this.world.config.seed, 'pvs.faults'), () => this.world.clock.now());
    this.varserver = new Varserver(
      {
        now: () => this.world.clock.now(),
        model: () => this.site.config.supervisorModel,
        serial: () => this.site.supervisorSerial,
        password: () => this.settings.password,
        sessionTimeoutMs: () => this.settings.sessionTimeoutMs,
        variables: () => this.variables(),
        changed: () => {
          this.writableVersion++;
        },
      },
      options.site?.seed ?? this.world.config.seed,
      new Map(),
    );
    this.build(this.siteInput);
    this.world.onBeforeChange(() => this.sync());
    this.world.onAfterChange(() => this.afterWorldChange());
    this.world.onReset(() => this.reset());
  }

  private build(siteInput: Partial<SiteConfig>): void {
    const config = resolveSiteConfig(siteInput as Partial<SiteConfig> & Record<string, unknown>, this.world.config.seed);
    this.site = createSite(config);
    this.rng = new Rng(config.seed, 'pvs.model');
    const initialUptimeS = new Rng(config.seed, 'pvs.uptime').int(3_600, 20 * 3_600);
    this.model = new PvsModel(this.site, this.world, this.rng, this.world.clock.now(), initialUptimeS);
    this.settings = { ...this.initialSettings };
    this.version++;
    this.generation++;
    this.deviceListCache = null;
    this.snapshot = null;
    this.variableCache = null;
    this.varserver.reset(initialWritables(this.site));
  }

  /** Brings the model up to the current virtual time, keeping the readings of the latest 5-minute boundary. */
  sync(): number {
    const now = this.world.clock.now();
    const boundary = alignDown(now, VARSERVER_REFRESH_MS);
    if (this.snapshot === null || this.snapshot.at < boundary) {
      // Integrating to the boundary first and then on is the same integration (ticks are aligned), so the
      // varserver's readings are the model's at that boundary whatever the polling pattern.
      this.model.advanceTo(boundary);
      this.snapshot = { at: boundary, sample: this.model.sample() };
    }
    this.model.advanceTo(now);
    return now;
  }

  private afterWorldChange(): void {
    this.model.refresh();
    // A change at the boundary tick itself shows in the boundary's readings, as it does in DeviceList.
    if (this.snapshot !== null && this.snapshot.at === this.model.currentTick) this.snapshot = { at: this.snapshot.at, sample: this.model.sample() };
  }

  // ---- the supervisor's firmware --------------------------------------------------------------------------

  /** `legacy` (open dl_cgi) or `varserver` (/auth + /vars, legacy commands 403), from the model and build. */
  get era(): PvsApiEra {
    return this.site.firmware.era;
  }

  private restarting(now: number): boolean {
    return this.model.restartingUntil(now) !== null;
  }

  // ---- protocol: dl_cgi ---------------------------------------------------------------------------------

  /** `GET /cgi-bin/dl_cgi?Command=…`; on varserver firmware 403 whatever the command, session or not. */
  command(name: string | undefined, _serialNumber?: string): PvsReply {
    const now = this.sync();
    if (this.restarting(now)) return UNAVAILABLE;
    if (this.era === 'varserver') return { status: 403, body: Buffer.from(dlCgiForbiddenBody('')), delayMs: 0, unavailable: false };
    const json = (body: CJsonValue): PvsReply => ({ status: 200, body: Buffer.from(formatCJson(body)), delayMs: 0, unavailable: false });
    switch (name) {
      case 'DeviceList':
        return this.deviceList(now);
      case 'Start':
        return json(startResponse(this.site));
      case 'Stop':
        return json(STOP_RESPONSE);
      case 'Get_Comm':
        return json(getCommResponse(now));
      case 'CheckFW':
        return json(CHECK_FW_RESPONSE);
      case 'GridProfileGet':
        return json(gridProfileGetResponse(GRID_PROFILES.find((p) => p.id === DEFAULT_ACTIVE_PROFILE_ID)!));
      case 'GridProfileRefresh':
        return json(gridProfileRefreshResponse(GRID_PROFILES, now));
      case 'GetCellPurchased':
        return json(GET_CELL_PURCHASED_RESPONSE);
      case 'SetCellPurchased':
        return json(SET_CELL_PURCHASED_RESPONSE);
      case 'GetDiscoveryProgress':
        return json(discoveryProgressResponse(this.site));
      default:
        // DeviceDetails included: the firmware answers it (and any unknown name) this way.
        return json(UNKNOWN_COMMAND);
    }
  }

  /** `GET /cgi-bin/dl_cgi/energy-storage-system/status`; null (404) when the site has no SunVault. */
  essStatus(cookie?: string): PvsReply | null {
    const now = this.sync();
    if (this.restarting(now)) return UNAVAILABLE;
    if (!this.site.ess) return null;
    if (this.era === 'varserver' && !this.varserver.validate(cookie)) return this.forbidden('/energy-storage-system/status');
    return { status: 200, body: Buffer.from(formatCJson(essStatusResponse(this.site, this.model.sample()))), delayMs: 0, unavailable: false };
  }

  /**
   * The dl_cgi REST paths clients probe (`supervisor/info`, `communication/interfaces`, `devices/list`), by the
   * path after `/cgi-bin/dl_cgi/`; null for a path the device does not serve (404). On varserver firmware only
   * the first two stay open; the others need the session cookie (403 without it).
   */
  rest(path: string, cookie?: string): PvsReply | null {
    if (path === 'energy-storage-system/status') return this.essStatus(cookie);
    if (path !== 'supervisor/info' && path !== 'communication/interfaces' && path !== 'devices/list') return null;
    const now = this.sync();
    if (this.restarting(now)) return UNAVAILABLE;
    const json = (body: CJsonValue): PvsReply => ({ status: 200, body: Buffer.from(formatCJson(body)), delayMs: 0, unavailable: false });
    if (path === 'supervisor/info') return json(startResponse(this.site));
    if (path === 'communication/interfaces') return json(communicationInterfacesResponse(now));
    if (this.era === 'varserver' && !this.varserver.validate(cookie)) return this.forbidden('/devices/list');
    return this.deviceList(now, true);
  }

  private forbidden(path: string): PvsReply {
    return { status: 403, body: Buffer.from(dlCgiForbiddenBody(path)), delayMs: 0, unavailable: false };
  }

  /** DeviceList, or REST `devices/list` (`withoutEss`: the ESS devices live behind the HUB+, not in that list). */
  private deviceList(now: number, withoutEss = false): PvsReply {
    const s = this.settings;
    const site = withoutEss ? { ...this.site, ess: null } : this.site;
    const count = deviceCount(site, s.hideMeters);
    const msPerDevice = s.deviceListLatency ? s.deviceListMsPerDevice : 0;
    const second = Math.floor(now / 1000);
    // CURTIME has one-second resolution and readings change per tick: one body per second is exact.
    const key = `${second}|${this.model.currentTick}|${this.version}|${this.world.version}|${msPerDevice}|${withoutEss}`;
    if (this.deviceListCache?.key !== key) {
      const devices = buildDeviceList(site, this.model.sample(), this.model.supervisor(now), {
        curtime: second * 1000,
        msPerDevice,
        hideMeters: s.hideMeters,
      });
      this.deviceListCache = { key, body: Buffer.from(formatCJson({ devices, result: 'succeed' })) };
    }
    return { status: 200, body: this.deviceListCache.body, delayMs: msPerDevice * count, unavailable: false };
  }

  // ---- protocol: varserver ------------------------------------------------------------------------------

  /** `/auth?login|logout`; null (404) on legacy firmware. */
  auth(query: string, authorization?: string, cookie?: string): PvsReply | null {
    const now = this.sync();
    if (this.era !== 'varserver') return null;
    if (this.restarting(now)) return UNAVAILABLE;
    return reply(this.varserver.auth(query, authorization, cookie));
  }

  /** `/vars` with a GET query or a POST body; null (404) on legacy firmware. */
  vars(query: string, cookie?: string): PvsReply | null {
    const now = this.sync();
    if (this.era !== 'varserver') return null;
    if (this.restarting(now)) return UNAVAILABLE;
    return reply(this.varserver.vars(query, cookie));
  }

  /** A varserver error the transport detects (a POST body of the wrong length, another method); null on legacy firmware. */
  varsError(name: VarsErrorName): PvsReply | null {
    const now = this.sync();
    if (this.era !== 'varserver') return null;
    if (this.restarting(now)) return UNAVAILABLE;
    return reply(varsError(name));
  }

  /** Every variable with its value now, cached per virtual second and reading. */
  variables(): VariableTable {
    const now = this.sync();
    const snapshot = this.snapshot!;
    const key = `${Math.floor(now / 1000)}|${this.model.currentTick}|${snapshot.at}|${this.version}|${this.world.version}|${this.writableVersion}`;
    if (this.variableCache?.key !== key) {
      const list = buildVariables({
        site: this.site,
        now,
        bootAt: this.model.bootAt,
        live: this.model.sample(),
        snapshot: snapshot.sample,
        snapshotAt: snapshot.at,
        supervisor: this.model.supervisor(now),
        writable: this.varserver.writable,
      });
      this.variableCache = { key, table: { list, byName: new Map(list.map((v) => [v.name, v.value])) } };
    }
    return this.variableCache.table;
  }

  // ---- protocol: telemetry WebSocket ----------------------------------------------------------------------

  /** Whether :9002 serves now: PVS6 varserver firmware, not rebooting. */
  telemetryAvailable(): boolean {
    const now = this.sync();
    return this.site.firmware.telemetryWebSocket && !this.restarting(now);
  }

  /** `/sys/telemetryws/enable` is set. */
  get telemetryEnabled(): boolean {
    return this.site.firmware.telemetryWebSocket && (this.varserver.writable.get(TELEMETRY_ENABLE_VARIABLE) ?? '0') !== '0';
  }

  /** The live values a frame carries at this instant (the same as `/sys/livedata/*`). */
  telemetryParams(): TelemetryParams {
    const now = this.sync();
    return telemetryParams(liveData(this.site, this.model.sample()), Math.floor(now / 1000));
  }

  // ---- control ----------------------------------------------------------------------------------------

  restart(outageMs = this.settings.restartOutageMs): void {
    const now = this.sync();
    this.reboot(now, outageMs);
  }

  /** The supervisor goes down for `outageMs` and boots afresh: sessions, caches and the telemetry switch are gone. */
  private reboot(now: number, outageMs: number): void {
    this.model.restart(now, outageMs);
    this.varserver.reset(initialWritables(this.site));
    this.version++;
    this.generation++;
  }

  /** A firmware update: the supervisor reboots (the usual outage) and comes back running `target`. */
  private installFirmware(target: FirmwareTarget, outageMs: number): void {
    const now = this.sync();
    const config = resolveSiteConfig({ ...this.site.config, ...target } as Partial<SiteConfig> & Record<string, unknown>, this.world.config.seed);
    // Same seed, same draws: serials, panels and energy totals stay; only the firmware (and model name) change.
    this.site = createSite(config);
    this.model.site = this.site;
    this.firmwareOverride = target;
    this.deviceListCache = null;
    this.variableCache = null;
    this.reboot(now, outageMs);
  }

  /**
   * The site's flows now as its meters measure them: PV from the production meter, and from the
   * consumption meter either the site load or (a load-side net meter) the grid, the other being the
   * balance. A SunVault's power and charge when the site has one; SiteReadings' signs (charging > 0).
   */
  readings(): SiteReadings {
    this.sync();
    const sample = this.model.sample();
    const { flow } = sample;
    const pvW = Math.max(0, sample.production.pKw * 1000);
    const dischargeW = flow.batteryKw * 1000;
    const netMeter = this.site.config.consumptionSubtype === 'NET_CONSUMPTION_LOADSIDE';
    const measured = sample.consumption.pKw * 1000;
    const gridW = !flow.gridUp ? 0 : netMeter ? measured : measured - pvW - dischargeW;
    const loadW = netMeter ? Math.max(0, pvW + gridW + dischargeW) : Math.max(0, measured);
    return { pvW, loadW, gridW, ...(sample.ess ? { batteryW: -dischargeW, socPct: sample.ess.socPct } : {}) };
  }

  profileSwitches(): ProfileSwitch[] {
    // A SWVER without a profile of its own shows as itself.
    return [{ key: 'firmware', via: 'action', value: this.site.firmware.profile ?? this.site.config.firmware, choices: [...PVS_FIRMWARE_IDS] }];
  }

  state(): unknown {
    const now = this.sync();
    const sample = this.model.sample();
    const supervisor = this.model.supervisor(now);
    const restartingUntil = this.model.restartingUntil(now);
    const traits = this.site.firmware;
    return {
      device: this.device,
      time: new Date(now).toISOString(),
      site: this.site.config,
      firmware: {
        profile: traits.profile,
        swver: this.site.config.firmware,
        model: this.site.config.supervisorModel,
        build: traits.build,
        era: traits.era,
        swRev: traits.swRev,
        telemetryWebSocket: traits.telemetryWebSocket,
      },
      serials: {
        supervisor: this.site.supervisorSerial,
        productionMeter: this.site.productionMeterSerial,
        consumptionMeter: this.site.config.consumptionMeter ? this.site.consumptionMeterSerial : null,
        inverters: this.site.inverters.map((i) => i.serial),
        ess: this.site.ess,
      },
      settings: this.settings,
      supervisor: {
        bootedAt: new Date(this.model.bootAt).toISOString(),
        uptimeS: supervisor.uptimeS,
        restartingUntil: restartingUntil === null ? null : new Date(restartingUntil).toISOString(),
      },
      varserver:
        traits.era === 'varserver'
          ? {
              sessions: this.varserver.activeSessions(),
              caches: this.varserver.cacheIds(),
              telemetryEnabled: this.telemetryEnabled,
              telemetryClients: this.telemetryClients,
              refreshedAt: new Date(this.snapshot!.at).toISOString(),
            }
          : null,
      power: {
        sampledAt: new Date(sample.tick).toISOString(),
        irradianceWm2: round(sample.flow.irradiance, 1),
        gridUp: sample.flow.gridUp,
        producing: sample.flow.producing,
        pvKw: round(sample.flow.pvKw, 4),
        loadKw: round(sample.flow.loadKw, 4),
        batteryKw: round(sample.flow.batteryKw, 4),
        gridKw: round(sample.flow.gridKw, 4),
      },
      ess: sample.ess ? { socPct: round(sample.ess.socPct, 2), customerSocPct: round(sample.ess.customerSocPct, 2) } : null,
    };
  }

  /**
   * `settings` (see PvsSettings), `reboot` (true or an outage duration; old name `restart`), `soc` (SunVault %),
   * `site` (rebuilds the site) and `firmware` (a profile id or a SWVER: the supervisor reboots into it, for
   * `reboot`'s duration when given, else `restartOutageMs`).
   */
  patchState(input: unknown): unknown {
    // Types and ranges come checked (the schema); what depends on the site is checked here, before any change.
    const patch = normalizeStatePatch(PVS_STATE_PATCH, input) as PvsPatch;
    const nextSettings = resolveSettings({ ...this.settings, ...patch.settings });
    if (patch.soc !== undefined) {
      const ess = patch.site !== undefined ? isEssSite(patch.site, this.siteInput) : this.site.ess !== null;
      if (!ess) throw new ControlInputError('soc can only be set on a site with a SunVault (site.essBatteries > 0)');
    }
    const restartMs = patch.reboot === undefined || patch.reboot === false ? null : patch.reboot === true ? nextSettings.restartOutageMs : durationMs(patch.reboot)!;
    let firmware: FirmwareTarget | null = null;
    if (patch.firmware !== undefined) {
      firmware = firmwareTarget(patch.firmware);
      resolveSiteConfig({ ...this.site.config, ...firmware } as Partial<SiteConfig> & Record<string, unknown>, this.world.config.seed);
    }
    if (patch.site !== undefined) {
      this.sync();
      this.build({ ...this.siteInput, ...this.firmwareOverride, ...(patch.site as Partial<SiteConfig>) });
    }
    const now = this.sync();
    this.settings = nextSettings;
    if (patch.soc !== undefined) this.model.setSoc(patch.soc);
    if (firmware !== null) this.installFirmware(firmware, restartMs ?? nextSettings.restartOutageMs);
    else if (restartMs !== null) this.reboot(now, restartMs);
    this.version++;
    return this.state();
  }

  reset(): void {
    this.firmwareOverride = null;
    this.build(this.siteInput);
    this.faults.clear();
    this.requests.clear();
  }
}

function reply(answer: { status: number; body: Buffer; headers: Readonly<Record<string, string>> }): PvsReply {
  return { status: answer.status, body: answer.body, headers: answer.headers, delayMs: 0, unavailable: false };
}

/** A `firmware` action's value: a profile id, or a SWVER for the site's own model. */
function firmwareTarget(value: unknown): FirmwareTarget {
  if (isPvsFirmwareId(value)) return firmwareSite(value);
  if (typeof value === 'string' && parseSwver(value) !== undefined) return { firmware: value };
  throw new ControlInputError(`firmware must be a profile id (${PVS_FIRMWARE_IDS.join(', ')}) or a SWVER like "2025.09, Build 61845", got ${JSON.stringify(value)}`);
}

function isEssSite(patch: unknown, base: Partial<SiteConfig>): boolean {
  const batteries = (patch as Partial<SiteConfig>).essBatteries ?? base.essBatteries ?? 0;
  return batteries > 0;
}

/** Settings with their durations in milliseconds (a patch may give "5m"); types and ranges are checked by the schema. */
function resolveSettings(settings: Static<typeof PvsSettingsSchema>): PvsSettings {
  return {
    ...settings,
    restartOutageMs: durationMs(settings.restartOutageMs)!,
    sessionTimeoutMs: durationMs(settings.sessionTimeoutMs)!,
    telemetryIntervalMs: durationMs(settings.telemetryIntervalMs)!,
    telemetryQuietMs: durationMs(settings.telemetryQuietMs)!,
    telemetryMaxConnectionMs: durationMs(settings.telemetryMaxConnectionMs)!,
  };
}

/** The canonical patch, as the schema has checked it. */
type PvsPatch = { settings: Partial<Static<typeof PvsSettingsSchema>> } & Partial<{
  reboot: boolean | number | string;
  soc: number;
  site: Record<string, unknown>;
  firmware: string;
}>;

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
