/**
 * Typed client of the SENEC.Home V2.1/V3 local API: `POST /lala.cgi` with a JSON body `{"OBJ":{"KEY":""}}`.
 *
 * Every request is split into pieces under 600 bytes (the device's own web UI and ha-senec-v3 do the same), sent one
 * after the other on a keep-alive connection, and the replies are merged in request order. Values are decoded by
 * their type prefix with the contract codec; writes are encoded canonically with wire types from the catalogue.
 */
import {
  CATALOGUE,
  isObjectName,
  resolveKey,
  type ProfileId,
  type RequestBody,
  type WireType,
} from '../../../contracts/senec/index.js';
import { CookieJar, SESSION_COOKIE } from './cookies.js';
import { decodeObject, decodeResponse, setOwn, type DecodedField, type DecodedResponse, type RawResponse } from './decode.js';
import { encodeWriteObject, READ, type WriteEntry, type WriteValue } from './encode.js';
import { SenecWriteRejectedError, type RejectedWrite } from './errors.js';
import { DEFAULT_MAX_PIECE_BYTES, mergeReplies, splitRequest, type LalaRequest } from './pieces.js';
import {
  BATTERY_QUERY,
  ENERGY_SWITCH_KEYS,
  METER_QUERY,
  parseBattery,
  parseEnergySwitches,
  parseLoginState,
  parseMeter,
  parsePowerFlow,
  parsePv,
  parseSections,
  parseStatistics,
  parseVersion,
  POWER_FLOW_QUERY,
  PV_QUERY,
  STATISTICS_QUERY,
  VERSION_QUERY,
  type BatteryStatus,
  type EnergySwitches,
  type LoginState,
  type MeterStatus,
  type PowerFlow,
  type PvStatus,
  type ReadQuery,
  type Statistics,
  type VersionInfo,
} from './readings.js';
import { defaultSleep, LalaTransport, type SenecTlsOptions, type SleepFn } from './transport.js';

/** What the device's GUI (jQuery default) and ha-senec-v3 send; the device ignores it and parses JSON anyway. */
export const DEFAULT_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=UTF-8';
export const DEFAULT_ACCEPT = 'application/json, text/javascript, */*; q=0.01';

export interface SenecClientOptions {
  /** `https://192.168.1.5`, `http://127.0.0.1:7081`; a bare `host[:port]` gets `https://`. */
  readonly baseUrl: string;
  /** Per-piece timeout, connection to last body byte. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Retries of a piece after connection errors, timeouts and 5xx. Default 1. */
  readonly retries?: number;
  /** Delay before the first retry, doubling after. Default 1000 ms. */
  readonly backoffMs?: number;
  /** Default 10 000 ms. */
  readonly maxBackoffMs?: number;
  /** Replaces waiting (between retries and pieces) in tests. */
  readonly sleep?: SleepFn;
  /** Pause between the pieces of one request (ha-senec-v3 uses 200 ms). Default 0. */
  readonly pieceDelayMs?: number;
  /** Every piece's compact JSON stays below this. Default 600. */
  readonly maxPieceBytes?: number;
  readonly contentType?: string;
  /** Extra request headers (e.g. `Origin`, `Referer`, `X-Requested-With` as ha-senec-v3 sends on writes). */
  readonly headers?: Readonly<Record<string, string>>;
  /** HTTPS only. Default: no certificate verification. */
  readonly tls?: SenecTlsOptions;
  /** Firmware profile whose catalogue wire types writes use. Default `v3-0826`. */
  readonly profile?: ProfileId;
  /** Length of the SOCKETS arrays (`SOCKETS.NUMBER_OF_SOCKETS`). Default 2. */
  readonly numberOfSockets?: number;
  /** Bodies above this fail with SenecParseError `too-large`. Default 1 MiB (real replies stay under 25 KB). */
  readonly maxResponseBytes?: number;
}

export interface SocketSettings {
  readonly enable?: boolean;
  readonly forceOn?: boolean;
  readonly useTime?: boolean;
  readonly lowerLimitW?: number;
  readonly upperLimitW?: number;
  readonly powerOnTimeMin?: number;
  readonly timeLimitMin?: number;
  readonly switchOnHour?: number;
  readonly switchOnMinute?: number;
}

export interface WallboxSettings {
  readonly icmaxA?: number;
  readonly idefaultA?: number;
  readonly minChargingCurrentA?: number;
  readonly prohibitUsage?: boolean;
  /** Raw mode code (ha-senec-v3 uses 3 and 4 for its SSGCM modes); `true` is 3 (ioBroker's "on"), `false` is 0. */
  readonly smartChargeActive?: boolean | number;
}

type SettingValue = boolean | number;
type FieldMap<S> = readonly (readonly [keyof S & string, string])[];

const SOCKET_FIELDS: FieldMap<SocketSettings> = [
  ['enable', 'ENABLE'],
  ['forceOn', 'FORCE_ON'],
  ['useTime', 'USE_TIME'],
  ['upperLimitW', 'UPPER_LIMIT'],
  ['lowerLimitW', 'LOWER_LIMIT'],
  ['powerOnTimeMin', 'POWER_ON_TIME'],
  ['timeLimitMin', 'TIME_LIMIT'],
  ['switchOnHour', 'SWITCH_ON_HOUR'],
  ['switchOnMinute', 'SWITCH_ON_MINUTE'],
];

const WALLBOX_FIELDS: FieldMap<WallboxSettings> = [
  ['icmaxA', 'SET_ICMAX'],
  ['idefaultA', 'SET_IDEFAULT'],
  ['minChargingCurrentA', 'MIN_CHARGING_CURRENT'],
  ['prohibitUsage', 'PROHIBIT_USAGE'],
  ['smartChargeActive', 'SMART_CHARGE_ACTIVE'],
];

/** The `{}`-or-keys request body of a read query. */
export function readBody(query: ReadQuery): Record<string, Record<string, string>> {
  const body: Record<string, Record<string, string>> = {};
  for (const [object, keys] of Object.entries(query)) {
    if (keys !== 'all' && keys.length === 0) throw new TypeError(`${object}: no keys to read (use 'all' for {})`);
    const request: Record<string, string> = {};
    if (keys !== 'all') for (const key of keys) setOwn(request, key, '');
    setOwn(body, object, request);
  }
  return body;
}

export class SenecClient {
  /** The normalised base URL (scheme, host, port, path prefix). */
  readonly baseUrl: string;
  readonly profile: ProfileId;
  private readonly transport: LalaTransport;
  private readonly sleep: SleepFn;
  private readonly pieceDelayMs: number;
  private readonly maxPieceBytes: number;
  private readonly numberOfSockets: number;

  constructor(options: SenecClientOptions) {
    this.sleep = options.sleep ?? defaultSleep;
    this.pieceDelayMs = options.pieceDelayMs ?? 0;
    this.maxPieceBytes = options.maxPieceBytes ?? DEFAULT_MAX_PIECE_BYTES;
    this.profile = options.profile ?? 'v3-0826';
    this.numberOfSockets = options.numberOfSockets ?? 2;
    this.transport = new LalaTransport(
      {
        baseUrl: options.baseUrl,
        timeoutMs: options.timeoutMs ?? 10_000,
        retries: options.retries ?? 1,
        backoffMs: options.backoffMs ?? 1000,
        maxBackoffMs: options.maxBackoffMs ?? 10_000,
        sleep: this.sleep,
        contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
        accept: DEFAULT_ACCEPT,
        headers: options.headers ?? {},
        tls: options.tls ?? {},
        maxResponseBytes: options.maxResponseBytes ?? 1024 * 1024,
      },
      new CookieJar(),
    );
    this.baseUrl = this.transport.url.href.replace(/\/lala\.cgi$/, '');
  }

  /** The full `…/lala.cgi` URL. */
  get url(): string {
    return this.transport.url.href;
  }

  /** SHA-256 fingerprint (`AA:BB:…`) of the device certificate, after the first TLS connection. */
  get certificateFingerprint(): string | undefined {
    return this.transport.certificateFingerprint;
  }

  /** The `senec-homev3-gui` session cookie the device set (NPU image ≥ 2411), if any. */
  get sessionCookie(): string | undefined {
    return this.transport.cookies.get(SESSION_COOKIE);
  }

  /** Sends a raw request (split into pieces) and returns the merged raw reply in request order. */
  async request(body: RequestBody | LalaRequest): Promise<RawResponse> {
    const pieces = splitRequest(body as LalaRequest, this.maxPieceBytes);
    const replies: RawResponse[] = [];
    for (const [i, piece] of pieces.entries()) {
      if (i > 0 && this.pieceDelayMs > 0) await this.sleep(this.pieceDelayMs);
      replies.push((await this.transport.post(JSON.stringify(piece))).body);
    }
    return mergeReplies(body as LalaRequest, replies);
  }

  /** Reads keys (`'all'` sends `{}`, the whole object) and decodes every value by its prefix. */
  async read(query: ReadQuery): Promise<DecodedResponse> {
    return decodeResponse(await this.request(readBody(query)));
  }

  /**
   * Writes values of one object (entries `READ` are read back in the same request) and returns the decoded echo.
   * Throws SenecWriteRejectedError when a written key echoes a marker (MALFORMED_VALUE, FORBIDDEN, ...).
   */
  async write(object: string, values: Readonly<Record<string, WriteEntry>>): Promise<Readonly<Record<string, DecodedField>>> {
    const request: Record<string, Record<string, string | string[]>> = {};
    setOwn(request, object, encodeWriteObject(values));
    const raw = await this.request(request);
    const echoRaw = Object.hasOwn(raw, object) ? raw[object] : undefined;
    const written = Object.entries(values).filter(([, entry]) => entry !== READ);
    const echo = echoRaw === undefined ? undefined : decodeObject(echoRaw);
    if (echo?.kind === 'object-not-found') {
      throw new SenecWriteRejectedError(
        object,
        written.map(([key]) => ({ key, marker: 'OBJECT_NOT_FOUND' })),
        {},
      );
    }
    const fields = echo?.fields ?? {};
    const rejected: RejectedWrite[] = [];
    for (const [key, entry] of written) {
      const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
      const marker = rejectionMarker(field, entry as WriteValue);
      if (marker !== undefined) rejected.push({ key, marker });
    }
    if (rejected.length > 0) throw new SenecWriteRejectedError(object, rejected, fields);
    return fields;
  }

  /** `DEBUG.SECTIONS`: the objects this firmware has. */
  async sections(): Promise<string[]> {
    return parseSections(await this.read({ DEBUG: ['SECTIONS'] }));
  }

  /** Identity and versions, the set ha-senec-v3 reads at start-up. */
  async version(): Promise<VersionInfo> {
    return parseVersion(await this.read(VERSION_QUERY));
  }

  async powerFlow(): Promise<PowerFlow> {
    return parsePowerFlow(await this.read(POWER_FLOW_QUERY));
  }

  async battery(): Promise<BatteryStatus> {
    return parseBattery(await this.read(BATTERY_QUERY));
  }

  async pv(): Promise<PvStatus> {
    return parsePv(await this.read(PV_QUERY));
  }

  async meter(): Promise<MeterStatus> {
    return parseMeter(await this.read(METER_QUERY));
  }

  /** `STATISTIC.LIVE_*` in kWh; undefined on firmware ≥ 0825, which emptied STATISTIC. */
  async statistics(): Promise<Statistics | undefined> {
    return parseStatistics(await this.read(STATISTICS_QUERY));
  }

  /** Forced full charge from the grid on (`SAFE_CHARGE_FORCE`) or off (`SAFE_CHARGE_PROHIBIT`), in the 6-key block. */
  async setSafeCharge(on: boolean): Promise<EnergySwitches> {
    return this.writeEnergySwitch(on ? 'SAFE_CHARGE_FORCE' : 'SAFE_CHARGE_PROHIBIT');
  }

  /** Lithium storage mode on (`LI_STORAGE_MODE_START`) or off (`LI_STORAGE_MODE_STOP`), in the same block. */
  async setLiStorageMode(on: boolean): Promise<EnergySwitches> {
    return this.writeEnergySwitch(on ? 'LI_STORAGE_MODE_START' : 'LI_STORAGE_MODE_STOP');
  }

  /** Reboots the device; it drops connections for a while afterwards. */
  async reboot(): Promise<void> {
    await this.write('SYS_UPDATE', { BOOT_REPORT_SUCCESS: READ, USER_REBOOT_DEVICE: this.scalar('SYS_UPDATE', 'USER_REBOOT_DEVICE', 1) });
  }

  /** Installer login as ha-senec-v3 sends it; the echo's USER_LEVEL may only change on the next read. */
  async login(user: string, password: string): Promise<LoginState> {
    const fields = await this.write('LOG', {
      USER_LEVEL: READ,
      USERNAME: this.scalar('LOG', 'USERNAME', user),
      LOG_IN_NOK_COUNT: READ,
      PASSWORD: this.scalar('LOG', 'PASSWORD', password),
      LOG_IN_BUTT: this.scalar('LOG', 'LOG_IN_BUTT', 1),
    });
    return parseLoginState(fields);
  }

  async logout(): Promise<LoginState> {
    const fields = await this.write('LOG', { LOG_IN_NOK_COUNT: READ, LOG_OUT_BUTT: this.scalar('LOG', 'LOG_OUT_BUTT', 1) });
    return parseLoginState(fields);
  }

  /** Changes settings of socket `index` (arrays of `numberOfSockets`, `""` at the other indices). */
  async setSocket(index: number, settings: SocketSettings): Promise<Readonly<Record<string, DecodedField>>> {
    return this.write('SOCKETS', this.arrayWrites('SOCKETS', index, this.numberOfSockets, settings, SOCKET_FIELDS));
  }

  /** Changes settings of wallbox `index` (arrays of 4). */
  async setWallbox(index: number, settings: WallboxSettings): Promise<Readonly<Record<string, DecodedField>>> {
    const normalised: Record<string, SettingValue | undefined> = { ...settings };
    if (settings.smartChargeActive === true) normalised['smartChargeActive'] = 3;
    return this.write('WALLBOX', this.arrayWrites('WALLBOX', index, undefined, normalised, WALLBOX_FIELDS));
  }

  /** `WALLBOX.ALLOW_INTERCHARGE` is a scalar, unlike the other wallbox settings. */
  async setWallboxIntercharge(on: boolean): Promise<Readonly<Record<string, DecodedField>>> {
    return this.write('WALLBOX', { ALLOW_INTERCHARGE: this.scalar('WALLBOX', 'ALLOW_INTERCHARGE', on ? 1 : 0) });
  }

  /** Closes keep-alive connections. */
  close(): void {
    this.transport.close();
  }

  private async writeEnergySwitch(button: (typeof ENERGY_SWITCH_KEYS)[number]): Promise<EnergySwitches> {
    const values: Record<string, WriteEntry> = {};
    for (const key of ENERGY_SWITCH_KEYS) values[key] = key === button ? this.scalar('ENERGY', key, 1) : READ;
    return parseEnergySwitches(await this.write('ENERGY', values));
  }

  /** Wire type and array length of a catalogue key in the client's profile (falling back to the reference type). */
  private keyType(object: string, key: string): { type: WireType; length: number | undefined } {
    const resolved = resolveKey(object, key, this.profile);
    const spec = isObjectName(object) ? (CATALOGUE[object].keys as Record<string, { type: WireType; length?: unknown }>)[key] : undefined;
    const type = resolved?.type ?? spec?.type;
    if (type === undefined) throw new TypeError(`${object}.${key} is not in the catalogue`);
    const length = resolved?.length ?? spec?.length;
    return { type, length: typeof length === 'number' ? length : undefined };
  }

  private scalar(object: string, key: string, value: SettingValue | string): WriteValue {
    const { type } = this.keyType(object, key);
    return { type, value: typeof value === 'boolean' ? (value ? 1 : 0) : value } as WriteValue;
  }

  private arrayWrites<S>(
    object: string,
    index: number,
    length: number | undefined,
    settings: S,
    fields: FieldMap<S>,
  ): Record<string, WriteEntry> {
    const values: Record<string, WriteEntry> = {};
    for (const [name, key] of fields) {
      const value = (settings as Record<string, SettingValue | undefined>)[name];
      if (value === undefined) continue;
      const spec = this.keyType(object, key);
      const size = length ?? spec.length;
      if (size === undefined) throw new TypeError(`${object}.${key} is not an array`);
      values[key] = { type: spec.type, index, length: size, value: typeof value === 'boolean' ? (value ? 1 : 0) : value } as WriteValue;
    }
    if (Object.keys(values).length === 0) throw new TypeError(`${object}: no settings to write`);
    return values;
  }
}

/** The marker that says a written key did not take the value (any marker at the written position). */
function rejectionMarker(field: DecodedField | undefined, write: WriteValue): RejectedWrite['marker'] | undefined {
  if (field === undefined) return undefined;
  if (Array.isArray(field)) {
    const index = 'index' in write ? write.index : 0;
    const element = (field as readonly DecodedField[])[index];
    return element !== undefined && !Array.isArray(element) && (element as { kind: string }).kind === 'marker'
      ? (element as { marker: RejectedWrite['marker'] }).marker
      : undefined;
  }
  const value = field as Exclude<DecodedField, readonly unknown[]>;
  return value.kind === 'marker' ? value.marker : undefined;
}
