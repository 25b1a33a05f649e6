/**
 * Typed client of the PVS varserver firmware (PVS6 ≥ build 61840, PVS5 ≥ 5408): `/auth?login` and `/vars` over
 * HTTPS with a session cookie, the dl_cgi REST paths that remain, and the telemetry WebSocket (telemetry.ts).
 *
 * It behaves as the real clients do (protocol notes §7.4-7.6):
 * - one `host[:port]` for `http://` (ha-esunpower's firmware probe) and `https://` (everything else); certificate
 *   checks off unless a CA or a pin is given;
 * - login as `ssm_owner` with the last five characters of the serial, which {@link PvsVarserverClient.discover}
 *   reads without a session (`/sys/info/serialnum`, as pypvs does); the session cookie is kept and sent back;
 * - a lazy login before the first query that needs one (pypvs), and one re-login and retry when a query answers 401,
 *   403 or 500, or 200 with an empty body (pypvs: "the server returns 500 or 200 with empty response when the session
 *   is invalid");
 * - queries as `POST /vars` with the query as a `text/plain` body (pypvs, ha-esunpower), or `GET /vars?…`
 *   (homebridge-pvs6) with `method: 'GET'`; a query over the 1024 bytes fcgi_vars reads goes as a GET;
 * - retries with backoff on 503 (rebooting), 502/504, refused or reset connections and timeouts.
 */
import {
  DL_CGI_PATH,
  ESS_STATUS_PATH,
  PYPVS_GATEWAY_VARIABLES,
  TELEMETRY_ENABLE_VARIABLE,
  TELEMETRY_PORT,
  VARS_ERROR_BITS,
  VARS_MAX_POST_BYTES,
  basicAuthorization,
  parseVarsReply,
  pvsApiEraOf,
  type PvsApiEra,
  type PvsModel,
  type VarsFormat,
} from '../../../contracts/sunpower-pvs/index.js';
import { parseDeviceList, type DeviceListResult, type PvsDeviceInfo } from './devices.js';
import {
  PvsHttpError,
  PvsLoginError,
  PvsProtocolError,
  PvsSessionError,
  PvsTelemetryUnavailableError,
  PvsUnauthorizedError,
  PvsVarsError,
  PvsWrongEraError,
  type PvsErrorDetails,
  type PvsVarsFailure,
} from './errors.js';
import { parseEssStatus, type EssStatusResult } from './ess.js';
import { excerpt, parseJsonObject, type SleepFn } from './http.js';
import { PvsTelemetryStream, type PvsTelemetryOptions } from './telemetry.js';
import { buildFromSwver, isObject, num, str } from './values.js';
import {
  NodeHttpTransport,
  defaultSleep,
  exchange,
  pvsBases,
  type ExchangeConfig,
  type PvsBases,
  type PvsHttpRequest,
  type PvsHttpResponse,
  type PvsRequestFn,
  type PvsTlsOptions,
} from './varserver-http.js';
import {
  VARSERVER_DEVICE_MATCH,
  groupDeviceVars,
  parseGateway,
  parseLiveData,
  parseVarserverEss,
  parseVarserverInverter,
  parseVarserverMeter,
  parseVarserverTransferSwitch,
  supervisorOfGateway,
  withSerial,
  type PvsGatewayInfo,
  type PvsLiveData,
  type VarserverDeviceKind,
  type VarserverEssInfo,
  type VarserverInverterInfo,
  type VarserverMeterInfo,
  type VarserverSupervisorInfo,
  type VarserverTransferSwitchInfo,
} from './varserver-views.js';

export const DEFAULT_VARSERVER_USER = 'ssm_owner';
/** `supervisor/info`, open on both eras: ha-esunpower's firmware probe. */
export const SUPERVISOR_INFO_PATH = `${DL_CGI_PATH}/supervisor/info`;
export const DEVICES_LIST_PATH = `${DL_CGI_PATH}/devices/list`;

export interface PvsVarserverClientOptions {
  /** `192.168.1.73`, `127.0.0.1:7080`, or either with `http://`/`https://`: one host and port for both schemes. */
  readonly host: string;
  /** Default `ssm_owner` (pypvs, ha-esunpower, homebridge-pvs6); SunStrong's LocalAPI.md uses `spwr_owner`. */
  readonly user?: string;
  /** Default: the last five characters of the serial, read without a session on first need. */
  readonly password?: string;
  /** Per request (ha-esunpower: 15 s; homebridge-pvs6: 10 s). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt on 503/502/504, refused or reset connections and timeouts. */
  readonly retries?: number;
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly sleep?: SleepFn;
  /** How `/vars` queries go: `POST` with the query as the body (pypvs, default) or `GET /vars?<query>` (homebridge-pvs6). */
  readonly method?: 'POST' | 'GET';
  /** Certificate checks: off by default, as on every real client. */
  readonly tls?: PvsTlsOptions;
  /** Replaces the node:http(s) transport (tests route requests through `fastify.inject()`). */
  readonly request?: PvsRequestFn;
  /** The telemetry WebSocket's port (default 9002, on the host's name). */
  readonly telemetryPort?: number;
  /** The telemetry WebSocket's whole URL, e.g. `ws://127.0.0.1:41234/` (overrides `telemetryPort`). */
  readonly telemetryUrl?: string;
}

/** One `/vars` query. Names and `match` may be combined; `cache` alone reads a cache again. */
export interface VarsQueryOptions {
  readonly names?: readonly string[];
  /** A substring of the names wanted; `*` stands for anything on SunStrong's firmware. */
  readonly match?: string;
  /** `set=name=value,…` (writable variables only). */
  readonly set?: Readonly<Record<string, string | number>>;
  /** `fmt=obj` is `object`; the default is the list. */
  readonly format?: VarsFormat;
  /** `cache=<id>`: add the answer's names to this named set, and answer from it. */
  readonly cache?: string;
  /** `clearcache=<id>`: empty this named set first. */
  readonly clearCache?: string;
}

export interface VarsResult {
  /** Name → value as printed (`"40747.871094"`; JSON-object values re-serialised). */
  readonly values: Readonly<Record<string, string>>;
  /** The names in the order answered. */
  readonly names: readonly string[];
}

/** What discovery reads without a session (pypvs `discover()`). */
export interface PvsDiscovery {
  readonly serial: string;
  readonly ssid: string | undefined;
  readonly mac: string | undefined;
}

/** `supervisor/info` as ha-esunpower reads it, and the era it implies. */
export interface PvsSupervisorProbe {
  readonly serial: string | undefined;
  readonly model: PvsModel;
  readonly swver: string | undefined;
  /** `BUILD`, or the "Build N" of `SWVER` (a PVS5's answer has no `BUILD`). */
  readonly build: number | undefined;
  /** Legacy or varserver, from model and build (PVS6 ≥ 61840, PVS5 ≥ 5408); legacy when the build is unknown. */
  readonly era: PvsApiEra;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Everything one varserver poll reads, the devices also as one DeviceList-shaped list. */
export interface VarserverDeviceList {
  readonly gateway: PvsGatewayInfo;
  readonly supervisor: VarserverSupervisorInfo;
  readonly meters: readonly VarserverMeterInfo[];
  readonly inverters: readonly VarserverInverterInfo[];
  readonly ess: readonly VarserverEssInfo[];
  readonly transferSwitches: readonly VarserverTransferSwitchInfo[];
  /** Supervisor, meters, inverters: the DeviceList kinds, in DeviceList's order. */
  readonly devices: readonly PvsDeviceInfo[];
}

/** The serial and the nine `/sys/info` variables of pypvs's gateway reads: one `name=` query. */
const GATEWAY_INFO_VARIABLES: readonly string[] = ['/sys/info/serialnum', ...PYPVS_GATEWAY_VARIABLES.filter((n) => n.startsWith('/sys/info/'))];

/** The varserver answers 400 for a match without hits: for a device query that is "none of this kind". */
const NO_DEVICES: readonly PvsVarsFailure[] = ['no-match', 'unknown-variable'];

/**
 * Only what a `/vars` value needs escaping for: `&` splits the query before decoding, `%` starts an escape, the rest
 * cannot stand in a request line. `/`, `*`, `,` and `=` stay as the clients write them.
 */
function escapeVarsValue(text: string): string {
  return text.replace(/[^A-Za-z0-9\-._~!$'()*+,;=:@/]/gu, (c) => encodeURIComponent(c));
}

/** The query text of a {@link VarsQueryOptions}: `name=…&match=…&set=…&fmt=obj&cache=…`. */
export function varsQueryText(query: VarsQueryOptions): string {
  const parts: string[] = [];
  if (query.clearCache !== undefined) parts.push(`clearcache=${escapeVarsValue(query.clearCache)}`);
  if (query.names !== undefined && query.names.length > 0) parts.push(`name=${query.names.map(escapeVarsValue).join(',')}`);
  if (query.match !== undefined) parts.push(`match=${escapeVarsValue(query.match)}`);
  if (query.set !== undefined) {
    const tuples = Object.entries(query.set).map(([name, value]) => `${escapeVarsValue(name)}=${escapeVarsValue(String(value))}`);
    if (tuples.length > 0) parts.push(`set=${tuples.join(',')}`);
  }
  // A cache read alone goes `cache=<id>&fmt=obj` (homebridge-pvs6); a query that adds to one ends with it
  // (`match=…&fmt=obj&cache=<id>`, as in SunStrong's LocalAPI.md).
  const cache = query.cache === undefined ? [] : [`cache=${escapeVarsValue(query.cache)}`];
  if (parts.length === 0) parts.push(...cache.splice(0));
  if (query.format === 'object') parts.push('fmt=obj');
  parts.push(...cache);
  return parts.join('&');
}

function varsFailure(status: number, body: string): { reason: PvsVarsFailure; errorCode: number | undefined } {
  const m = /"errorcode"\s*:\s*"0x([0-9a-fA-F]+)"/.exec(body);
  const errorCode = m ? Number.parseInt(m[1]!, 16) : undefined;
  if (status === 413) return { reason: 'content-length', errorCode };
  if (status === 405) return { reason: 'method', errorCode };
  if (errorCode !== undefined && errorCode & VARS_ERROR_BITS.variableNotFound) return { reason: 'unknown-variable', errorCode };
  if (errorCode !== undefined && errorCode & VARS_ERROR_BITS.dataQuery) return { reason: 'no-match', errorCode };
  return { reason: 'bad-request', errorCode };
}

interface Session {
  readonly id: string;
  /** Bumped per login: a request that failed on an older session only needs the newer one, not another login. */
  readonly generation: number;
}

export class PvsVarserverClient {
  readonly bases: PvsBases;
  readonly timeoutMs: number;
  readonly method: 'POST' | 'GET';
  /** Logins so far (the first one included): re-logins show up here. */
  logins = 0;
  private currentUser: string;
  private password: string | undefined;
  private serial: string | undefined;
  private session: Session | null = null;
  private generation = 0;
  private loginInFlight: Promise<Session> | null = null;
  private readonly transport: NodeHttpTransport | null;
  private readonly config: ExchangeConfig;
  private readonly telemetryUrl: string;
  private readonly streams = new Set<PvsTelemetryStream>();

  constructor(options: PvsVarserverClientOptions) {
    this.bases = pvsBases(options.host);
    this.currentUser = options.user ?? DEFAULT_VARSERVER_USER;
    this.password = options.password;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.method = options.method ?? 'POST';
    this.transport = options.request ? null : new NodeHttpTransport(options.tls);
    this.config = {
      request: options.request ?? this.transport!.request,
      sleep: options.sleep ?? defaultSleep,
      retries: options.retries ?? 2,
      backoffMs: options.backoffMs ?? 500,
      maxBackoffMs: options.maxBackoffMs ?? 10_000,
    };
    const host = this.bases.hostname;
    this.telemetryUrl = options.telemetryUrl ?? `ws://${host}:${options.telemetryPort ?? TELEMETRY_PORT}/`;
  }

  /** The session id while one is held (it may have expired on the device). */
  get sessionId(): string | undefined {
    return this.session?.id;
  }

  /** The user the client logs in as (the last one given to `login()`). */
  get user(): string {
    return this.currentUser;
  }

  /** The serial, once read (`discover()`, `supervisorInfo()`). */
  get serialNumber(): string | undefined {
    return this.serial;
  }

  /** SHA-256 fingerprint of the supervisor's certificate, once a request went over HTTPS (node transport only). */
  get certificateFingerprint(): string | undefined {
    return this.transport?.certificateFingerprint;
  }

  private async send(operation: string, req: Omit<PvsHttpRequest, 'timeoutMs'> & { timeoutMs?: number }): Promise<{ response: PvsHttpResponse; details: PvsErrorDetails }> {
    const { response, attempts } = await exchange({ timeoutMs: this.timeoutMs, ...req }, operation, this.config);
    return { response, details: { command: operation, attempts, url: req.url } };
  }

  // ---- discovery ------------------------------------------------------------------------------------------------

  /**
   * `http://host:port/cgi-bin/dl_cgi/supervisor/info`, open on both eras: the serial, the build (`BUILD`, or "Build N"
   * of `SWVER` on a PVS5) and the era they imply. ha-esunpower's firmware probe.
   */
  async supervisorInfo(): Promise<PvsSupervisorProbe> {
    const url = `${this.bases.http}${SUPERVISOR_INFO_PATH}`;
    const { response, details } = await this.send('supervisor/info', { method: 'GET', url, headers: {} });
    const body = this.jsonBody(response, details);
    const s = isObject(body['supervisor']) ? body['supervisor'] : undefined;
    if (!s) throw new PvsProtocolError(`JSON body without \`supervisor\` (object): ${excerpt(response.body)}`, body, details);
    const swver = str(s, 'SWVER');
    const build = num(s['BUILD']) ?? buildFromSwver(swver);
    const model: PvsModel = str(s, 'MODEL')?.includes('PVS5') ? 'PVS5' : 'PVS6';
    const serial = str(s, 'SERIAL');
    if (serial !== undefined && this.serial === undefined) this.serial = serial;
    return { serial, model, swver, build, era: build === undefined ? 'legacy' : pvsApiEraOf(model, build), raw: body };
  }

  /** pypvs's `discover()`: `/sys/info/serialnum`, `ssid` and `lmac`, one query each, without a session. */
  async discover(): Promise<PvsDiscovery> {
    const read = async (name: string) => (await this.query(varsQueryText({ names: [name] }), { session: false })).values[name];
    const serial = await read('/sys/info/serialnum');
    if (serial === undefined || serial.trim() === '') throw new PvsProtocolError('no /sys/info/serialnum in the answer', undefined, { command: 'discover', attempts: 1, url: `${this.bases.https}/vars` });
    this.serial = serial.trim();
    return { serial: this.serial, ssid: await read('/sys/info/ssid'), mac: await read('/sys/info/lmac') };
  }

  // ---- login ----------------------------------------------------------------------------------------------------

  /**
   * `GET /auth?login` with `Authorization: basic <base64(user:password)>`; keeps the session cookie. Without a
   * password the last five characters of the serial are used (discovered first when unknown).
   */
  async login(user?: string, password?: string): Promise<string> {
    if (user !== undefined || password !== undefined) {
      if (user !== undefined) this.currentUser = user;
      if (password !== undefined) this.password = password;
      return (await this.doLogin(this.currentUser)).id;
    }
    return (await this.relogin(this.session?.generation ?? 0)).id;
  }

  /** Logs in unless a login newer than `generation` already happened (or is under way). */
  private relogin(generation: number): Promise<Session> {
    if (this.session !== null && this.session.generation > generation) return Promise.resolve(this.session);
    this.loginInFlight ??= this.doLogin(this.currentUser).finally(() => {
      this.loginInFlight = null;
    });
    return this.loginInFlight;
  }

  private async doLogin(user: string): Promise<Session> {
    if (this.password === undefined) {
      if (this.serial === undefined) await this.discover();
      this.password = this.serial!.slice(-5);
    }
    const url = `${this.bases.https}/auth?login`;
    const { response, details } = await this.send('login', { method: 'GET', url, headers: { authorization: basicAuthorization(user, this.password) } });
    if (response.status === 404) throw new PvsWrongEraError('varserver', 'legacy', details);
    if (response.status === 401 || response.status === 403) throw new PvsLoginError(response.status, excerpt(response.body), user, details);
    if (response.status !== 200) throw new PvsHttpError(response.status, excerpt(response.body), details);
    const id = sessionOfResponse(response);
    if (id === undefined) throw new PvsProtocolError(`login answered 200 without a session: ${excerpt(response.body)}`, response.body, details);
    this.logins++;
    this.session = { id, generation: ++this.generation };
    return this.session;
  }

  /** `GET /auth?logout` (204); the session is dropped here whatever the answer. */
  async logout(): Promise<void> {
    const session = this.session;
    this.session = null;
    if (session === null) return;
    await this.send('logout', { method: 'GET', url: `${this.bases.https}/auth?logout`, headers: { cookie: `session=${session.id}` } }).catch(() => undefined);
  }

  // ---- queries --------------------------------------------------------------------------------------------------

  /**
   * Sends an authenticated request, logging in first when there is no session and once more when the answer says
   * the session is gone (401/403/500, or 200 with an empty body).
   */
  private async authed(operation: string, build: (cookie: string | undefined) => Omit<PvsHttpRequest, 'timeoutMs'>, useSession = true): Promise<{ response: PvsHttpResponse; details: PvsErrorDetails }> {
    let session = useSession ? (this.session ?? (await this.relogin(-1))) : null;
    for (let relogged = false; ; relogged = true) {
      const sent = await this.send(operation, build(session ? `session=${session.id}` : undefined));
      const { response } = sent;
      const stale = response.status === 401 || response.status === 403 || response.status === 500 || (response.status === 200 && response.body.trim() === '');
      if (!useSession || !stale || relogged) return sent;
      session = await this.relogin(session?.generation ?? -1);
    }
  }

  /** One `/vars` query by its text; `session: false` sends it without a cookie (discovery). */
  private async query(text: string, options: { session?: boolean } = {}): Promise<VarsResult> {
    const post = this.method === 'POST' && Buffer.byteLength(text) <= VARS_MAX_POST_BYTES && text !== '';
    const url = post ? `${this.bases.https}/vars` : `${this.bases.https}/vars?${text}`;
    const operation = `/vars ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`;
    const { response, details } = await this.authed(
      operation,
      (cookie) => ({
        method: post ? 'POST' : 'GET',
        url,
        headers: { ...(post ? { 'content-type': 'text/plain; charset=utf-8' } : {}), ...(cookie ? { cookie } : {}) },
        ...(post ? { body: text } : {}),
      }),
      options.session ?? true,
    );
    const status = response.status;
    if (status === 200) {
      const parsed = parseJsonObject(response.body, status, details);
      if (!parsed.ok) throw parsed.error;
      let pairs;
      try {
        pairs = parseVarsReply(response.body);
      } catch {
        throw new PvsProtocolError(`not a /vars answer: ${excerpt(response.body)}`, parsed.body, details);
      }
      const values: Record<string, string> = {};
      for (const { name, value } of pairs) values[name] = value;
      return { values, names: pairs.map((p) => p.name) };
    }
    if (status === 404) throw new PvsWrongEraError('varserver', 'legacy', details);
    if (status === 400 || status === 405 || status === 413) {
      const { reason, errorCode } = varsFailure(status, response.body);
      throw new PvsVarsError(status, excerpt(response.body), reason, errorCode, text, details);
    }
    if (status === 401 || status === 403) throw new PvsSessionError(status, excerpt(response.body), details);
    throw new PvsHttpError(status, excerpt(response.body), details);
  }

  /** A `/vars` query: names, a match, writes, a cache. Throws PvsVarsError for a 400 (unknown name, match without hits). */
  async vars(query: VarsQueryOptions): Promise<VarsResult> {
    return this.query(varsQueryText(query));
  }

  /** One variable's value (pypvs `getVarserverVar`). */
  async var(name: string): Promise<string> {
    const value = (await this.vars({ names: [name] })).values[name];
    if (value === undefined) throw new PvsProtocolError(`the answer does not hold ${name}`, undefined, { command: `/vars name=${name}`, attempts: 1, url: `${this.bases.https}/vars` });
    return value;
  }

  /** `set=` writable variables; resolves with their new values. */
  async set(assignments: Readonly<Record<string, string | number>>): Promise<VarsResult> {
    return this.vars({ set: assignments });
  }

  // ---- typed views ----------------------------------------------------------------------------------------------

  /**
   * The gateway as pypvs's updater reads it: ten single-variable queries (pypvs: "individual vars and not by match
   * as the match takes a long time"), or one `name=` query with `oneQuery`.
   */
  async gateway(options: { oneQuery?: boolean } = {}): Promise<PvsGatewayInfo> {
    if (options.oneQuery) return parseGateway((await this.vars({ names: GATEWAY_INFO_VARIABLES })).values);
    const values: Record<string, string> = {};
    if (this.serial !== undefined) values['/sys/info/serialnum'] = this.serial;
    for (const name of PYPVS_GATEWAY_VARIABLES) {
      try {
        values[name] = await this.var(name);
      } catch (error) {
        // A PVS5 has no /sys/pvs/flashwear_type_b (ha-esunpower reads it "if it exists").
        if (!(error instanceof PvsVarsError && name.startsWith('/sys/pvs/'))) throw error;
      }
    }
    return parseGateway(values);
  }

  /** `/sys/livedata/*`: the values the telemetry WebSocket pushes. */
  async liveData(): Promise<PvsLiveData> {
    return parseLiveData((await this.vars({ match: '/sys/livedata/' })).values);
  }

  /** One kind's variables; none (not an error) when the varserver answers 400 for the match, as ha-esunpower reads it. */
  private async deviceVars(kind: VarserverDeviceKind) {
    try {
      return groupDeviceVars((await this.vars({ match: VARSERVER_DEVICE_MATCH[kind] })).values, kind);
    } catch (error) {
      if (error instanceof PvsVarsError && NO_DEVICES.includes(error.reason)) return [];
      throw error;
    }
  }

  /** The meters (production `…p`, consumption `…c`), as DeviceList's `MeterInfo`. */
  async meters(): Promise<VarserverMeterInfo[]> {
    return withSerial((await this.deviceVars('meter')).map(parseVarserverMeter));
  }

  /** The inverters reporting at the last 5-minute refresh (none at night), as DeviceList's `InverterInfo`. */
  async inverters(): Promise<VarserverInverterInfo[]> {
    return withSerial((await this.deviceVars('inverter')).map(parseVarserverInverter));
  }

  async ess(): Promise<VarserverEssInfo[]> {
    return withSerial((await this.deviceVars('ess')).map(parseVarserverEss));
  }

  async transferSwitches(): Promise<VarserverTransferSwitchInfo[]> {
    return withSerial((await this.deviceVars('transfer_switch')).map(parseVarserverTransferSwitch));
  }

  /**
   * A whole poll: the gateway's `/sys/info` variables in one query (without `/sys/pvs/flashwear_type_b`, which
   * hangs on some firmware), then each device kind by match (pypvs's updaters, ha-esunpower's poll).
   */
  async devices(): Promise<VarserverDeviceList> {
    const gateway = await this.gateway({ oneQuery: true });
    const inverters = await this.inverters();
    const meters = await this.meters();
    const ess = await this.ess();
    const transferSwitches = await this.transferSwitches();
    const supervisor = supervisorOfGateway(gateway);
    const ordered = [...meters.filter((m) => m.kind === 'productionMeter'), ...meters.filter((m) => m.kind !== 'productionMeter')];
    return { gateway, supervisor, meters, inverters, ess, transferSwitches, devices: [supervisor, ...ordered, ...inverters] };
  }

  // ---- the REST paths that need the session ---------------------------------------------------------------------

  private async rest(operation: string, path: string): Promise<{ body: Record<string, unknown>; details: PvsErrorDetails }> {
    const url = `${this.bases.https}${path}`;
    const { response, details } = await this.authed(operation, (cookie) => ({ method: 'GET', url, headers: cookie ? { cookie } : ({} as Record<string, string>) }));
    if (response.status === 401 || response.status === 403) throw new PvsUnauthorizedError(response.status, excerpt(response.body), details);
    if (response.status !== 200) throw new PvsHttpError(response.status, excerpt(response.body), details);
    return { body: this.jsonBody(response, details), details };
  }

  /** `devices/list` with the session: DeviceList without the ESS devices (they live behind the HUB+). */
  async deviceListRest(): Promise<DeviceListResult> {
    const { body, details } = await this.rest('devices/list', DEVICES_LIST_PATH);
    if (!Array.isArray(body['devices'])) throw new PvsProtocolError(`JSON body without \`devices\` (array): ${excerpt(JSON.stringify(body))}`, body, details);
    return parseDeviceList(body);
  }

  /** `energy-storage-system/status` with the session (SunVault sites). */
  async essStatus(): Promise<EssStatusResult> {
    const { body, details } = await this.rest('ess-status', ESS_STATUS_PATH);
    if (!isObject(body['ess_report'])) throw new PvsProtocolError(`JSON body without \`ess_report\` (object): ${excerpt(JSON.stringify(body))}`, body, details);
    return parseEssStatus(body);
  }

  // ---- telemetry ------------------------------------------------------------------------------------------------

  /**
   * `set=/sys/telemetryws/enable=1`, as pypvs does before each WebSocket connection. Throws
   * PvsTelemetryUnavailableError where there is no such variable (a PVS5 answers 400) or no varserver.
   */
  async enableTelemetry(): Promise<void> {
    try {
      await this.set({ [TELEMETRY_ENABLE_VARIABLE]: 1 });
    } catch (error) {
      if (error instanceof PvsVarsError && error.status === 400) {
        throw new PvsTelemetryUnavailableError('the supervisor refuses /sys/telemetryws/enable (a PVS5 has no telemetry WebSocket)', { command: 'telemetry', attempts: error.attempts, url: error.url, cause: error });
      }
      if (error instanceof PvsWrongEraError) {
        throw new PvsTelemetryUnavailableError('the supervisor runs legacy firmware', { command: 'telemetry', attempts: error.attempts, url: error.url, cause: error });
      }
      throw error;
    }
  }

  /**
   * The telemetry WebSocket as an async iterator of live data: enables telemetry before each connection, reconnects
   * as pypvs does (three fast retries, then exponential backoff with jitter; a connection silent for 90 s is
   * dropped), and ends cleanly when the consumer stops (`break`, `return()`, or `signal`).
   */
  telemetry(options: PvsTelemetryOptions = {}): PvsTelemetryStream {
    const stream = new PvsTelemetryStream(options.url ?? this.telemetryUrl, () => this.enableTelemetry(), options);
    this.streams.add(stream);
    stream.onEnd(() => this.streams.delete(stream));
    return stream;
  }

  /** Ends open telemetry streams and closes the keep-alive connections. */
  async close(): Promise<void> {
    await Promise.all([...this.streams].map((s) => s.return()));
    this.transport?.close();
  }

  private jsonBody(response: PvsHttpResponse, details: PvsErrorDetails): Record<string, unknown> {
    if (response.status !== 200) {
      if (response.status === 401 || response.status === 403) throw new PvsUnauthorizedError(response.status, excerpt(response.body), details);
      throw new PvsHttpError(response.status, excerpt(response.body), details);
    }
    const parsed = parseJsonObject(response.body, response.status, details);
    if (!parsed.ok) throw parsed.error;
    return parsed.body;
  }
}

/** The session id of a login answer: the `session` cookie (`Set-Cookie: session=…; Secure; HttpOnly`), else the body's. */
function sessionOfResponse(response: PvsHttpResponse): string | undefined {
  const setCookie = response.headers['set-cookie'];
  const lines = setCookie === undefined ? [] : typeof setCookie === 'string' ? [setCookie] : setCookie;
  for (const line of lines) {
    const pair = line.split(';')[0]!.trim();
    if (pair.startsWith('session=') && pair.length > 'session='.length) return pair.slice('session='.length);
  }
  try {
    const body = JSON.parse(response.body) as unknown;
    if (isObject(body) && typeof body['session'] === 'string' && body['session'] !== '') return body['session'];
  } catch {
    // not JSON: no session
  }
  return undefined;
}

export type { PvsHttpRequest, PvsHttpResponse, PvsRequestFn, PvsTlsOptions };
