import type { ProfileSwitch, SiteReadings } from '../core/readings.js';
import { randomBytes } from 'node:crypto';
import {
  decodeField,
  keysOf,
  logPathFor,
  PROFILE_IDS,
  PROFILES,
  sectionsOf,
  statStateName,
  type Marker,
  type ProfileId,
  type RequestAction,
  type ResolvedKey,
} from '../../contracts/senec/index.js';
import type { DeviceEmulator } from '../core/emulator.js';
import { FaultInjector, HTTP_FAULT_KINDS } from '../core/faults.js';
import { RequestLog } from '../core/request-log.js';
import { Rng } from '../core/rng.js';
import { defineStatePatch, normalizeStatePatch, type StatePatchShape } from '../core/state-patch.js';
import { Duration, durationMs } from '../core/control-schemas.js';
import { checkInput } from '../core/schema-check.js';
import { Type, type Static } from '@sinclair/typebox';
import type { World } from '../core/world/world.js';
import { alignDown, SenecModel, TICK_MS, type OperatingMode } from './model.js';
import { answerLala, parseBody, type LalaBackend, type ParsedBody } from './protocol/lala.js';
import { formatLogLine, logDayFromPath, varsPage, type LogLine } from './protocol/pages.js';
import { batteryElectrics, liveReadings, type ObjectReadings, type ReadingContext } from './readings.js';

interface LiveEntry {
  stamp: string;
  readings: ObjectReadings | undefined;
  /** Encoded fields and their JSON text, filled as keys are asked for. */
  encoded: Map<string, { field: WireField; json: string }>;
}
import { coerceWrite, encodeReading, Registers, type WireField } from './registers.js';
import { createSenecSite, type SenecSite, type SenecSiteConfig } from './site.js';

export interface SenecSettings {
  /** Virtual time between a button write and its effect (`*_RUNNING`, `USER_LEVEL`, reboot start). */
  effectDelayMs: number;
  /** Virtual time the device is unreachable after `USER_REBOOT_DEVICE`. */
  rebootDowntimeMs: number;
  /** Requests above this many bytes get 200 with a truncated body, as on the device; null turns it off. */
  maxRequestBytes: number | null;
  /** Wall-time delay before each lala.cgi answer (the device takes 0.3-0.4 s). */
  latencyMs: number;
  /** NPU ≥ 2411 only: answer FORBIDDEN to requests without a valid session cookie (FACTORY reads excepted). */
  cookieRequired: boolean;
}

export const DEFAULT_SENEC_SETTINGS: SenecSettings = {
  effectDelayMs: 2_000,
  rebootDowntimeMs: 90_000,
  maxRequestBytes: 11_700,
  latencyMs: 0,
  cookieRequired: false,
};

export interface SenecOptions {
  world: World;
  site?: Partial<SenecSiteConfig>;
  settings?: Partial<SenecSettings>;
}

export type Transport = 'http' | 'https';

/** What the HTTP layer sends for a lala.cgi request. */
export type LalaReply =
  | { readonly kind: 'answer'; readonly status: 200; readonly body: string; readonly setCookie?: string }
  | { readonly kind: 'error'; readonly status: 400 | 405 }
  /** Rebooting, or the firmware does not serve this transport: drop the connection. */
  | { readonly kind: 'refuse' };

type Effect =
  | { kind: 'mode'; to: OperatingMode; from?: OperatingMode }
  /** `downtimeMs` overrides the `rebootDowntimeMs` setting for this reboot. */
  | { kind: 'reboot'; downtimeMs?: number }
  | { kind: 'login'; ok: boolean }
  | { kind: 'logout' };

interface Pending {
  at: number;
  object: string;
  key: string;
  effect: Effect | null;
}

const MODES: readonly OperatingMode[] = ['self-consumption', 'safe-charge', 'storage'];
const DAY_MS = 86_400_000;
const Percent = (description: string) => Type.Number({ minimum: 0, maximum: 100, description });

/** The emulator's settings (not the device's registers): what tests and scenarios tune. */
export const SenecSettingsSchema = Type.Object({
  effectDelayMs: Duration(DAY_MS, { description: 'how long a button write takes to act (the device: about 2 s)' }),
  rebootDowntimeMs: Duration(DAY_MS, { description: 'how long a reboot keeps the device unreachable' }),
  maxRequestBytes: Type.Union([Type.Integer({ minimum: 1, maximum: 1_000_000 }), Type.Null()], { description: 'bodies beyond this get a reply cut short (null: no limit)' }),
  latencyMs: Duration(DAY_MS, { description: 'extra time before each answer (the device takes about 0.3 s)' }),
  cookieRequired: Type.Boolean({ description: 'NPU 2411: FORBIDDEN without the session cookie' }),
});

/**
 * `PATCH /__emu/state`: `{"settings": {...}, "firmware": "v3-0826", "soc": 80, "spareCapacityPct": 10,
 * "pvLimitPct": 70, "mode": "storage", "reboot": true | "3m"}`.
 */
export const SENEC_STATE_PATCH: StatePatchShape = defineStatePatch({
  name: 'SENEC',
  settings: SenecSettingsSchema,
  actions: {
    firmware: Type.Union(PROFILE_IDS.map((id) => Type.Literal(id)), { description: 'update the firmware profile' }),
    soc: Percent('battery state of charge'),
    spareCapacityPct: Percent('capacity kept back for outages'),
    pvLimitPct: Percent('PV feed-in limit'),
    mode: Type.Union(MODES.map((m) => Type.Literal(m)), { description: 'operating mode' }),
    reboot: Type.Union([Type.Boolean(), Duration(DAY_MS)], { description: 'true, or how long it stays down' }),
  },
  aliases: { profile: 'firmware' },
});
const COOKIE_NAME = 'senec-homev3-gui';
const COOKIE_MAX_AGE_S = 3600;
const MAX_SESSIONS = 256;
const MAX_JOURNAL = 2_000;
const INSTALLER_LEVEL = 2;

/** Buttons and what they do once the device gets to them. */
const BUTTON_EFFECTS: Readonly<Record<string, (emulator: SenecEmulator) => Effect | null>> = {
  'ENERGY.SAFE_CHARGE_FORCE': () => ({ kind: 'mode', to: 'safe-charge' }),
  'ENERGY.SAFE_CHARGE_PROHIBIT': () => ({ kind: 'mode', to: 'self-consumption', from: 'safe-charge' }),
  'ENERGY.LI_STORAGE_MODE_START': () => ({ kind: 'mode', to: 'storage' }),
  'ENERGY.LI_STORAGE_MODE_STOP': () => ({ kind: 'mode', to: 'self-consumption', from: 'storage' }),
  'SYS_UPDATE.USER_REBOOT_DEVICE': () => ({ kind: 'reboot' }),
  'LOG.LOG_IN_BUTT': (emulator) => ({ kind: 'login', ok: emulator.credentialsMatch() }),
  'LOG.LOG_OUT_BUTT': () => ({ kind: 'logout' }),
};

/**
 * The SENEC V3 / V2.1 battery system: registers, physics and lala.cgi semantics, no transport.
 * `server.ts` puts it on HTTP and HTTPS.
 */
export class SenecEmulator implements DeviceEmulator {
  readonly device = 'senec';
  readonly world: World;
  readonly faults: FaultInjector;
  readonly requests = new RequestLog();
  readonly statePatch = SENEC_STATE_PATCH;
  site: SenecSite;
  settings: SenecSettings;
  readonly model: SenecModel;
  private registers: Registers;
  private readonly siteInput: Partial<SenecSiteConfig> & { seed: number };
  private readonly initialSettings: SenecSettings;
  private readonly rng: Rng;
  private pending: Pending[] = [];
  private userLevel = 0;
  private loginFailures = 0;
  private sessions = new Map<string, number>();
  private journal: LogLine[] = [];
  private startedAt: number;
  /** Bumped by every change that live values depend on (writes, effects, patches), for the caches below. */
  private version = 0;
  private contextCache: { stamp: string; ctx: ReadingContext } | null = null;
  private readonly liveCache = new Map<string, LiveEntry>();
  private answerCache: { bodyText: string; forbidden: boolean; stamp: string; body: string } | null = null;

  constructor(options: SenecOptions) {
    this.world = options.world;
    this.siteInput = { ...options.site, seed: options.site?.seed ?? this.world.config.seed };
    this.site = createSenecSite(this.siteInput);
    this.initialSettings = resolveSettings(checkInput(SenecSettingsSchema, { ...DEFAULT_SENEC_SETTINGS, ...options.settings }, 'SENEC settings'));
    this.settings = { ...this.initialSettings };
    this.rng = new Rng(this.site.seed, 'senec.noise');
    this.faults = new FaultInjector(HTTP_FAULT_KINDS, new Rng(this.site.seed, 'senec.faults'), () => this.world.clock.now());
    this.model = new SenecModel(this.world, this.site);
    this.registers = new Registers(this.site.profile);
    this.startedAt = this.world.clock.now();
    this.log(this.startedAt, 'I', 'SYS', 'System start');
    this.world.onBeforeChange(() => this.sync());
    this.world.onReset(() => this.reset());
  }

  get profile(): ProfileId {
    return this.site.profile;
  }

  /** Whether the current firmware answers on this transport (HTTP up to 0824, HTTPS from 0825). */
  servesOn(transport: Transport | undefined): boolean {
    return transport === undefined || PROFILES[this.site.profile].transport === transport;
  }

  /** Applies due button effects and integrates the model up to now. */
  sync(): number {
    const now = this.world.clock.now();
    this.settle(now);
    this.model.advanceTo(now);
    return now;
  }

  private settle(now: number): void {
    while (this.pending.length > 0 && this.pending[0]!.at <= now) {
      const item = this.pending.shift()!;
      this.version++;
      this.registers.store(item.object, item.key, this.encodeStored(item.object, item.key, 0));
      if (item.effect) this.apply(item.effect, item.at);
    }
  }

  private apply(effect: Effect, at: number): void {
    this.version++;
    switch (effect.kind) {
      case 'mode':
        if (effect.from !== undefined && this.model.mode !== effect.from) return;
        this.model.setMode(effect.to, at);
        this.log(at, 'I', 'SYS', `Operating mode ${effect.to} requested by user`);
        return;
      case 'reboot': {
        const downtimeMs = effect.downtimeMs ?? this.settings.rebootDowntimeMs;
        this.model.reboot(at, downtimeMs);
        this.userLevel = 0;
        this.sessions.clear();
        // Latched buttons do not survive a restart.
        for (const p of this.pending) this.registers.store(p.object, p.key, this.encodeStored(p.object, p.key, 0));
        this.pending = [];
        this.log(at, 'W', 'NPU', 'Reboot requested by user');
        this.log(at + downtimeMs, 'I', 'SYS', 'System start');
        return;
      }
      case 'login':
        if (effect.ok) this.userLevel = INSTALLER_LEVEL;
        else this.loginFailures = Math.min(255, this.loginFailures + 1);
        this.log(at, effect.ok ? 'I' : 'W', 'NET', effect.ok ? 'Installer login' : 'Login failed');
        return;
      case 'logout':
        this.userLevel = 0;
        this.log(at, 'I', 'NET', 'Logout');
        return;
    }
  }

  credentialsMatch(): boolean {
    const text = (key: string) => {
      const field = this.registers.stored('LOG', key);
      return typeof field === 'string' && field.startsWith('st_') ? field.slice(3) : undefined;
    };
    return text('USERNAME') === this.site.username && text('PASSWORD') === this.site.password;
  }

  private encodeStored(object: string, key: string, value: number): WireField {
    const resolved = keysOf(object, this.site.profile).find((k) => k.key === key);
    return resolved ? encodeReading(resolved, value) : `u8_00`;
  }

  // ---- lala.cgi --------------------------------------------------------------------------------

  /** One `POST /lala.cgi`. `cookie` is the request's Cookie header. */
  lala(bodyText: string, transport: Transport | undefined, cookieHeader: string | undefined, parsed?: ParsedBody): LalaReply {
    const now = this.sync();
    if (!this.servesOn(transport) || this.model.rebooting(now)) return { kind: 'refuse' };
    const profile = PROFILES[this.site.profile];
    let setCookie: string | undefined;
    let forbidden = false;
    if (profile.sessionCookie) {
      const token = this.validSession(cookieHeader);
      if (token === undefined) {
        setCookie = this.newSession();
        forbidden = this.settings.cookieRequired && !isFactoryOnly(parsed ?? parseBody(bodyText));
      }
    }
    let body = this.cachedAnswer(bodyText, now, forbidden);
    if (body === undefined) {
      const view = new RequestView(this, now, forbidden);
      const outcome = answerLala(bodyText, view, parsed);
      if (!outcome.ok) return { kind: 'error', status: 400 };
      body = outcome.body;
      // Pure reads repeat (integrations poll the same body): keep the answer while it cannot change.
      if (!view.wrote && !bodyText.includes('"RTC"')) this.answerCache = { bodyText, forbidden, stamp: this.answerStamp(now), body };
    }
    const limit = this.settings.maxRequestBytes;
    if (limit !== null && Buffer.byteLength(bodyText) > limit) {
      // The device answers oversized requests with 200 and a body cut short (notes §2, §11 #7).
      body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
    }
    return { kind: 'answer', status: 200, body, ...(setCookie ? { setCookie } : {}) };
  }

  /** Live values change at most once a second (the meters) outside RTC, which is never cached. */
  private answerStamp(now: number): string {
    return `${this.version}:${this.world.version}:${Math.floor(now / 1000)}`;
  }

  private cachedAnswer(bodyText: string, now: number, forbidden: boolean): string | undefined {
    const cache = this.answerCache;
    return cache !== null && cache.bodyText === bodyText && cache.forbidden === forbidden && cache.stamp === this.answerStamp(now) ? cache.body : undefined;
  }

  private validSession(cookieHeader: string | undefined): string | undefined {
    if (!cookieHeader) return undefined;
    const match = new RegExp(`(?:^|;\\s*)${COOKIE_NAME}=([0-9a-f]{64})`).exec(cookieHeader);
    const token = match?.[1];
    if (token === undefined) return undefined;
    const issued = this.sessions.get(token);
    return issued !== undefined && Date.now() - issued < COOKIE_MAX_AGE_S * 1000 ? token : undefined;
  }

  private newSession(): string {
    const token = randomBytes(32).toString('hex');
    this.sessions.set(token, Date.now());
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    return `${COOKIE_NAME}=${token};Secure;HttpOnly;Max-Age=${COOKIE_MAX_AGE_S};SameSite=Strict`;
  }

  /** Readings context for one instant (everything live keys are computed from). */
  readingContext(now: number): ReadingContext {
    const stamp = `${this.version}:${this.world.version}:${now}`;
    if (this.contextCache?.stamp === stamp) return this.contextCache.ctx;
    const ctx = this.buildContext(now);
    this.contextCache = { stamp, ctx };
    return ctx;
  }

  /**
   * A live key's wire value at `now`, or undefined when the key is not live. Values are cached per
   * object for as long as they cannot change: a model tick for most objects, a second for the
   * meters' noise, a millisecond for the clock.
   */
  liveField(object: string, resolved: ResolvedKey, now: number): { field: WireField; json: string } | undefined {
    return liveFieldOf(this.liveEntry(object, now), resolved);
  }

  /** The cached live values of one object at `now` (see liveField). */
  liveEntry(object: string, now: number): LiveEntry {
    const resolution = object === 'RTC' ? 1 : object === 'PM1OBJ1' || object === 'PM1OBJ2' ? 1000 : TICK_MS;
    const stamp = `${this.version}:${this.world.version}:${Math.floor(now / resolution)}`;
    let entry = this.liveCache.get(object);
    if (entry === undefined || entry.stamp !== stamp) {
      entry = { stamp, readings: liveReadings(object, this.readingContext(now)), encoded: new Map() };
      this.liveCache.set(object, entry);
    }
    return entry;
  }

  private buildContext(now: number): ReadingContext {
    const sample = this.model.sample(now);
    const numbers = (key: string): number[] => {
      const field = this.registers.stored('SOCKETS', key);
      const decoded = field === undefined ? [] : decodeField(field);
      return (Array.isArray(decoded) ? decoded : [decoded]).map((d) => (d.kind === 'number' ? d.value : 0));
    };
    return {
      sample,
      site: this.site,
      profile: this.site.profile,
      electrics: batteryElectrics(sample, this.site),
      utcOffsetMinutes: this.world.config.utcOffsetMinutes,
      safeChargeRunning: this.model.mode === 'safe-charge',
      liStorageRunning: this.model.mode === 'storage',
      userLevel: this.userLevel,
      loginFailures: this.loginFailures,
      // Tick-aligned, so the hour counter changes only where cached ENERGY values are recomputed.
      operatingHours: this.site.commissionedHoursAgo + (alignDown(now) - alignDown(this.startedAt)) / 3_600_000,
      pvLimitPct: this.model.pvLimitPct,
      spareCapacityPct: this.model.spareCapacityPct,
      sockets: { enable: numbers('ENABLE'), forceOn: numbers('FORCE_ON'), upperLimitW: numbers('UPPER_LIMIT') },
      rng: this.rng,
    };
  }

  storedField(object: string, key: string): WireField | undefined {
    return this.registers.stored(object, key);
  }

  /** A client write, with the device's semantics. Returns a marker when refused. */
  write(
    object: string,
    resolved: ResolvedKey,
    action: Exclude<RequestAction, { kind: 'read' } | { kind: 'malformed' }>,
    current: WireField,
    now: number,
    live: ObjectReadings | undefined,
  ): Marker | undefined {
    const field = mergeWrite(resolved, action, current);
    if (field === undefined) return 'MALFORMED_VALUE';
    this.version++;
    const name = `${object}.${resolved.key}`;
    const number = (): number => {
      const decoded = decodeField(field);
      return !Array.isArray(decoded) && decoded.kind === 'number' ? decoded.value : 0;
    };
    // Configuration the physics uses; everything else that is live ignores writes (the echo shows the live value).
    if (name === 'BAT1.SPARE_CAPACITY') return this.model.setSpareCapacity(number(), now), undefined;
    if (name === 'PV1.POWER_RATIO') return this.model.setPvLimit(number(), now), undefined;
    if (live !== undefined && Object.hasOwn(live, resolved.key)) return undefined;
    this.registers.store(object, resolved.key, field);
    if (resolved.spec.access === 'button' && number() !== 0) {
      const effect = BUTTON_EFFECTS[name]?.(this) ?? null;
      this.pending.push({ at: now + this.settings.effectDelayMs, object, key: resolved.key, effect });
      this.pending.sort((a, b) => a.at - b.at);
    }
    return undefined;
  }

  // ---- side paths ------------------------------------------------------------------------------

  /** The variable monitor page for this firmware's path, or undefined for any other path. */
  varsPage(path: string): string | undefined {
    if (path !== PROFILES[this.site.profile].varsPagePath) return undefined;
    const now = this.sync();
    const view = new RequestView(this, now, false);
    const rows: [string, string][] = [];
    for (const object of sectionsOf(this.site.profile)) {
      for (const resolved of keysOf(object, this.site.profile)) {
        const field = view.read(object, resolved);
        rows.push([`${object}.${resolved.key}`, typeof field === 'string' ? field : JSON.stringify(field)]);
      }
    }
    return varsPage(rows);
  }

  /** The day's log file (UTC date in the path), or undefined for another path or a day not yet begun. */
  logFile(path: string): string | undefined {
    const day = logDayFromPath(path, PROFILES[this.site.profile].logPathTemplate);
    const now = this.sync();
    if (day === undefined || day > now) return undefined;
    const end = day + 86_400_000;
    const lines: LogLine[] = [{ at: day, severity: 'I', source: 'SYS', message: 'Log file opened' }];
    for (const outage of this.world.outages()) {
      if (outage.from >= day && outage.from < end && outage.from <= now) {
        lines.push({ at: outage.from, severity: 'W', source: 'INV_LV', caller: 'GridMonitor', message: 'Grid failure detected, switching to backup operation' });
      }
      if (outage.to !== null && outage.to >= day && outage.to < end && outage.to <= now) {
        lines.push({ at: outage.to, severity: 'I', source: 'INV_LV', caller: 'GridMonitor', message: 'Grid restored, back to grid operation' });
      }
    }
    for (const line of this.journal) if (line.at >= day && line.at < end && line.at <= now) lines.push(line);
    lines.sort((a, b) => a.at - b.at);
    return lines.map((line) => `${formatLogLine(line)}\n`).join('');
  }

  /** This firmware's log path for a UTC instant (for the control API and tests). */
  logPathFor(at: number): string {
    return logPathFor(this.site.profile, new Date(at));
  }

  private log(at: number, severity: LogLine['severity'], source: string, message: string): void {
    this.journal.push({ at, severity, source, message });
    if (this.journal.length > MAX_JOURNAL) this.journal.splice(0, this.journal.length - MAX_JOURNAL);
  }

  // ---- control plane ---------------------------------------------------------------------------

  /** The site's flows now, from the model the device reports from (signs as in SiteReadings). */
  readings(): SiteReadings {
    const now = this.sync();
    const { flow, socPct } = this.model.sample(now);
    return { pvW: flow.pvW, loadW: flow.houseW, batteryW: flow.batteryW, socPct, gridW: flow.gridW };
  }

  profileSwitches(): ProfileSwitch[] {
    return [{ key: 'firmware', via: 'action', value: this.site.profile, choices: [...PROFILE_IDS] }];
  }

  state(): unknown {
    const now = this.sync();
    const sample = this.model.sample(now);
    const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
    return {
      firmware: this.site.profile,
      /** The old name of `firmware`, kept for clients that read it. */
      profile: this.site.profile,
      transports: { http: PROFILES[this.site.profile].transport === 'http', https: PROFILES[this.site.profile].transport === 'https' },
      rebooting: this.model.rebooting(now),
      mode: this.model.mode,
      socPct: round(sample.socPct, 2),
      statState: sample.state,
      statStateName: statStateName(sample.state, 'en') ?? null,
      flow: {
        pvW: round(sample.flow.pvW),
        houseW: round(sample.flow.houseW),
        demandW: round(sample.flow.demandW),
        gridW: round(sample.flow.gridW),
        batteryW: round(sample.flow.batteryW),
        gridUp: sample.flow.gridUp,
      },
      totalsKwh: Object.fromEntries(Object.entries(sample.totals).map(([k, v]) => [k, round(v, 3)])),
      userLevel: this.userLevel,
      loginFailures: this.loginFailures,
      pending: this.pending.map((p) => ({ at: new Date(p.at).toISOString(), button: `${p.object}.${p.key}`, effect: p.effect?.kind ?? 'clear' })),
      site: {
        peakPvW: this.site.peakPvW,
        modules: this.site.modules,
        capacityWh: this.site.capacityWh,
        spareCapacityPct: this.model.spareCapacityPct,
        pvLimitPct: this.model.pvLimitPct,
        deviceId: this.site.deviceId,
        username: this.site.username,
      },
      settings: { ...this.settings },
      writes: this.registers.writes(),
      logPath: this.logPathFor(now),
      varsPath: PROFILES[this.site.profile].varsPagePath,
    };
  }

  /**
   * `settings` (see SenecSettings), `firmware` (a profile id; old name `profile`), `soc`, `spareCapacityPct`,
   * `pvLimitPct`, `mode` and `reboot` (true, or a duration the device stays down instead of `rebootDowntimeMs`).
   */
  patchState(input: unknown): unknown {
    // Types and ranges come checked; what is left depends on nothing but the patch itself.
    const patch = normalizeStatePatch(SENEC_STATE_PATCH, input) as SenecPatch;
    const nextSettings = resolveSettings({ ...this.settings, ...patch.settings });
    const { soc, spareCapacityPct: spare, pvLimitPct: pvLimit, firmware } = patch;
    const reboot = patch.reboot === undefined || patch.reboot === false ? null : patch.reboot === true ? {} : { downtimeMs: durationMs(patch.reboot)! };

    const now = this.sync();
    this.version++;
    this.settings = nextSettings;
    if (firmware !== undefined && firmware !== this.site.profile) {
      // A firmware update: same hardware and history, new behaviour and key types.
      this.site = { ...this.site, profile: firmware };
      this.registers.setProfile(firmware);
      this.log(now, 'I', 'SYS', `Firmware updated to ${PROFILES[firmware].identity.applicationVersion}`);
    }
    if (soc !== undefined) this.model.setSoc(soc, now);
    if (spare !== undefined) this.model.setSpareCapacity(spare, now);
    if (pvLimit !== undefined) this.model.setPvLimit(pvLimit, now);
    if (patch.mode !== undefined) this.model.setMode(patch.mode, now);
    if (reboot !== null) this.apply({ kind: 'reboot', ...reboot }, now);
    return this.state();
  }

  reset(): void {
    this.version++;
    this.site = createSenecSite(this.siteInput);
    this.settings = { ...this.initialSettings };
    this.model.reset(this.site);
    this.registers = new Registers(this.site.profile);
    this.pending = [];
    this.userLevel = 0;
    this.loginFailures = 0;
    this.sessions.clear();
    this.journal = [];
    this.startedAt = this.world.clock.now();
    this.log(this.startedAt, 'I', 'SYS', 'System start');
    this.faults.clear();
    this.requests.clear();
  }
}

function liveFieldOf(entry: LiveEntry, resolved: ResolvedKey): { field: WireField; json: string } | undefined {
  const readings = entry.readings;
  if (readings === undefined || !Object.hasOwn(readings, resolved.key)) return undefined;
  let cached = entry.encoded.get(resolved.key);
  if (cached === undefined) {
    const field = encodeReading(resolved, readings[resolved.key]!);
    cached = { field, json: JSON.stringify(field) };
    entry.encoded.set(resolved.key, cached);
  }
  return cached;
}

/** The reads and writes of one request, at one instant. */
class RequestView implements LalaBackend {
  readonly profile: ProfileId;
  /** Live entries looked up once per object and request (writes drop them). */
  private entries = new Map<string, LiveEntry>();
  /** Whether the request wrote anything (its answer is then not reusable). */
  wrote = false;

  constructor(
    private readonly emulator: SenecEmulator,
    private readonly now: number,
    private readonly forbidden: boolean,
  ) {
    this.profile = emulator.profile;
  }

  read(object: string, resolved: ResolvedKey): WireField {
    if (this.forbidden) return 'FORBIDDEN';
    return (
      this.live(object, resolved)?.field ??
      this.emulator.storedField(object, resolved.key) ??
      encodeReading(resolved, resolved.type === 'st' || resolved.type === 'ch' ? '' : 0)
    );
  }

  readJson(object: string, resolved: ResolvedKey): string {
    if (this.forbidden) return '"FORBIDDEN"';
    return this.live(object, resolved)?.json ?? JSON.stringify(this.read(object, resolved));
  }

  private live(object: string, resolved: ResolvedKey): { field: WireField; json: string } | undefined {
    let entry = this.entries.get(object);
    if (entry === undefined) {
      entry = this.emulator.liveEntry(object, this.now);
      this.entries.set(object, entry);
    }
    return liveFieldOf(entry, resolved);
  }

  write(object: string, resolved: ResolvedKey, action: Exclude<RequestAction, { kind: 'read' } | { kind: 'malformed' }>): Marker | undefined {
    if (this.forbidden) return 'FORBIDDEN';
    this.wrote = true;
    const live = liveReadings(object, this.emulator.readingContext(this.now));
    const refused = this.emulator.write(object, resolved, action, this.read(object, resolved), this.now, live);
    this.entries.clear();
    return refused;
  }
}

/** The stored field after a write, or undefined when the value does not fit the key (MALFORMED_VALUE). */
function mergeWrite(resolved: ResolvedKey, action: Exclude<RequestAction, { kind: 'read' } | { kind: 'malformed' }>, current: WireField): WireField | undefined {
  if (action.kind === 'write') return resolved.length === undefined ? coerceWrite(resolved.type, action.value) : undefined;
  const written = action.entries.flatMap((entry, index) => (entry === undefined ? [] : [{ entry, index }]));
  if (resolved.length === undefined) {
    // Some clients send a scalar as a one-element array write (ioBroker's ALLOW_INTERCHARGE).
    return written.length === 1 ? coerceWrite(resolved.type, written[0]!.entry) : undefined;
  }
  const base = Array.isArray(current) ? [...(current as readonly string[])] : [];
  const length = resolved.length === 'variable' ? Math.max(base.length, action.entries.length) : resolved.length;
  if (action.entries.length > length) return undefined;
  const merged = Array.from({ length }, (_, i) => base[i] ?? encodeReading({ ...resolved, length: undefined } as ResolvedKey, resolved.type === 'st' ? '' : 0) as string);
  for (const { entry, index } of written) {
    const wire = coerceWrite(resolved.type, entry);
    if (wire === undefined) return undefined;
    merged[index] = wire;
  }
  return merged;
}

function isFactoryOnly(parsed: ParsedBody): boolean {
  const value = parsed.kind === 'json' ? parsed.value : undefined;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 1 && Object.hasOwn(value, 'FACTORY');
}

/** Settings with their durations in milliseconds (a patch may give "2s"); types and ranges are checked by the schema. */
function resolveSettings(settings: Static<typeof SenecSettingsSchema>): SenecSettings {
  return {
    effectDelayMs: durationMs(settings.effectDelayMs)!,
    rebootDowntimeMs: durationMs(settings.rebootDowntimeMs)!,
    latencyMs: durationMs(settings.latencyMs)!,
    maxRequestBytes: settings.maxRequestBytes,
    cookieRequired: settings.cookieRequired,
  };
}

/** The canonical patch, as the schema has checked it. */
type SenecPatch = { settings: Partial<Static<typeof SenecSettingsSchema>> } & Partial<{
  firmware: ProfileId;
  soc: number;
  spareCapacityPct: number;
  pvLimitPct: number;
  mode: OperatingMode;
  reboot: boolean | number | string;
}>;
