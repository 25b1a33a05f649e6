import { ControlInputError } from '../core/errors.js';
import { parseDuration } from '../core/duration.js';
import type { DeviceEmulator } from '../core/emulator.js';
import { FaultInjector, HTTP_FAULT_KINDS } from '../core/faults.js';
import { RequestLog } from '../core/request-log.js';
import { Rng } from '../core/rng.js';
import { normalizeStatePatch, type StatePatchShape } from '../core/state-patch.js';
import type { World } from '../core/world/world.js';
import { DEFAULT_ACTIVE_PROFILE_ID, GRID_PROFILES } from './grid-profiles.js';
import { PvsModel } from './model.js';
import { formatCJson, type CJsonValue } from './protocol/cjson.js';
import {
  CHECK_FW_RESPONSE,
  GET_CELL_PURCHASED_RESPONSE,
  SET_CELL_PURCHASED_RESPONSE,
  STOP_RESPONSE,
  UNKNOWN_COMMAND,
  discoveryProgressResponse,
  getCommResponse,
  gridProfileGetResponse,
  gridProfileRefreshResponse,
  startResponse,
} from './protocol/commands.js';
import { buildDeviceList, deviceCount } from './protocol/device-list.js';
import { essStatusResponse } from './protocol/ess-status.js';
import { createSite, resolveSiteConfig, type Site, type SiteConfig } from './site.js';

export interface PvsSettings {
  /** Make DeviceList take as long as the real supervisor: `deviceListMsPerDevice` per device. */
  deviceListLatency: boolean;
  deviceListMsPerDevice: number;
  /** How long a supervisor restart answers 503 before it is back with fresh uptime. */
  restartOutageMs: number;
  /** The "meters vanish from DeviceList" glitch. */
  hideMeters: boolean;
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
};

/** A reply as the protocol layer produces it; the transport adds nothing but bytes. */
export interface PvsReply {
  status: number;
  /** Bytes exactly as sent (a Buffer, so the transport adds no charset to the content type). */
  body: Buffer;
  /** Wall-time the device spends before answering. */
  delayMs: number;
  unavailable: boolean;
}

const UNAVAILABLE: PvsReply = Object.freeze({ status: 503, body: Buffer.alloc(0), delayMs: 0, unavailable: true });

/** `PATCH /__emu/state`: `{"settings": {...}, "reboot": true | "5m", "soc": 80, "site": {...}}`. */
export const PVS_STATE_PATCH: StatePatchShape = {
  name: 'PVS',
  settings: Object.keys(DEFAULT_SETTINGS),
  actions: ['reboot', 'soc', 'site'],
  aliases: { restart: 'reboot' },
  unsupported: { firmware: 'the PVS firmware version is part of the site; send {"site": {"firmware": "…"}}' },
};

/**
 * The SunPower PVS supervisor: model + protocol, no transport. `server.ts` puts it on HTTP.
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

  constructor(options: PvsOptions) {
    this.world = options.world;
    this.siteInput = options.site ?? {};
    this.initialSettings = validateSettings({ ...DEFAULT_SETTINGS, ...options.settings });
    this.faults = new FaultInjector(HTTP_FAULT_KINDS, new Rng(options.site?.seed ?? this.world.config.seed, 'pvs.faults'), () => this.world.clock.now());
    this.build(this.siteInput);
    this.world.onBeforeChange(() => this.sync());
    this.world.onAfterChange(() => this.model.refresh());
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
    this.deviceListCache = null;
  }

  /** Brings the model up to the current virtual time. */
  sync(): number {
    const now = this.world.clock.now();
    this.model.advanceTo(now);
    return now;
  }

  // ---- protocol ---------------------------------------------------------------------------

  /** `GET /cgi-bin/dl_cgi?Command=…` */
  command(name: string | undefined, _serialNumber?: string): PvsReply {
    const now = this.sync();
    if (this.model.restartingUntil(now) !== null) return UNAVAILABLE;
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

  /** `GET /cgi-bin/dl_cgi/energy-storage-system/status`; null when the site has no SunVault. */
  essStatus(): PvsReply | null {
    const now = this.sync();
    if (this.model.restartingUntil(now) !== null) return UNAVAILABLE;
    if (!this.site.ess) return null;
    return { status: 200, body: Buffer.from(formatCJson(essStatusResponse(this.site, this.model.sample()))), delayMs: 0, unavailable: false };
  }

  private deviceList(now: number): PvsReply {
    const s = this.settings;
    const count = deviceCount(this.site, s.hideMeters);
    const msPerDevice = s.deviceListLatency ? s.deviceListMsPerDevice : 0;
    const second = Math.floor(now / 1000);
    // CURTIME has one-second resolution and readings change per tick: one body per second is exact.
    const key = `${second}|${this.model.currentTick}|${this.version}|${this.world.version}|${msPerDevice}`;
    if (this.deviceListCache?.key !== key) {
      const devices = buildDeviceList(this.site, this.model.sample(), this.model.supervisor(now), {
        curtime: second * 1000,
        msPerDevice,
        hideMeters: s.hideMeters,
      });
      this.deviceListCache = { key, body: Buffer.from(formatCJson({ devices, result: 'succeed' })) };
    }
    return { status: 200, body: this.deviceListCache.body, delayMs: msPerDevice * count, unavailable: false };
  }

  // ---- control ----------------------------------------------------------------------------

  restart(outageMs = this.settings.restartOutageMs): void {
    const now = this.sync();
    this.model.restart(now, outageMs);
    this.version++;
  }

  state(): unknown {
    const now = this.sync();
    const sample = this.model.sample();
    const supervisor = this.model.supervisor(now);
    const restartingUntil = this.model.restartingUntil(now);
    return {
      device: this.device,
      time: new Date(now).toISOString(),
      site: this.site.config,
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
   * `settings` (`deviceListLatency`, `deviceListMsPerDevice`, `restartOutageMs`, `hideMeters`), `reboot`
   * (true or an outage duration; old name `restart`), `soc` (SunVault %), and `site` (rebuilds the site).
   */
  patchState(input: unknown): unknown {
    const patch = normalizeStatePatch(PVS_STATE_PATCH, input);
    const nextSettings = validateSettings({ ...this.settings, ...(patch.settings as Partial<PvsSettings>) });
    if (patch.soc !== undefined) {
      if (!this.site.ess) throw new ControlInputError('soc can only be set on a site with a SunVault (site.essBatteries > 0)');
      if (typeof patch.soc !== 'number' || !(patch.soc >= 0 && patch.soc <= 100)) throw new ControlInputError(`soc must be a number from 0 to 100, got ${JSON.stringify(patch.soc)}`);
    }
    let restartMs: number | null = null;
    if (patch.reboot !== undefined && patch.reboot !== false) {
      restartMs = patch.reboot === true ? nextSettings.restartOutageMs : parseDuration(patch.reboot, 'reboot');
    }
    if (patch.site !== undefined) {
      if (typeof patch.site !== 'object' || patch.site === null || Array.isArray(patch.site)) throw new ControlInputError('site must be an object of site options');
      this.sync();
      this.build({ ...this.siteInput, ...(patch.site as Partial<SiteConfig>) });
    }
    this.sync();
    this.settings = nextSettings;
    if (typeof patch.soc === 'number') this.model.setSoc(patch.soc);
    if (restartMs !== null) this.model.restart(this.world.clock.now(), restartMs);
    this.version++;
    return this.state();
  }

  reset(): void {
    this.build(this.siteInput);
    this.faults.clear();
    this.requests.clear();
  }
}

function validateSettings(settings: PvsSettings): PvsSettings {
  if (typeof settings.deviceListLatency !== 'boolean') throw new ControlInputError('deviceListLatency must be true or false');
  if (typeof settings.hideMeters !== 'boolean') throw new ControlInputError('hideMeters must be true or false');
  const ms = settings.deviceListMsPerDevice;
  if (typeof ms !== 'number' || !(ms >= 0 && ms <= 60_000)) throw new ControlInputError(`deviceListMsPerDevice must be 0 to 60000, got ${JSON.stringify(ms)}`);
  return { ...settings, restartOutageMs: parseDuration(settings.restartOutageMs, 'restartOutageMs') };
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
