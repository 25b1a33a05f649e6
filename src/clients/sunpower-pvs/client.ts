/**
 * Typed client of the PVS5/PVS6 legacy local API (`/cgi-bin/dl_cgi?Command=…`) and the ESS status path.
 *
 * Transport behaviour (http.ts): per-request timeout (DeviceList gets its own, longer one: it takes ~0.25 s per
 * device and sometimes over a minute), bounded retries with exponential backoff on transient failures.
 * Body checks: each command's answer must be a JSON object with its key field (`devices`, `supervisor`, …) and a
 * `result` of `succeed` when it has one; otherwise a PvsProtocolError says what came back instead.
 */
import {
  DL_CGI_PATH,
  ESS_STATUS_PATH,
  validateCommandResponse,
  validateEssStatus,
  type Command,
  type ValidationResult,
} from '../../../contracts/sunpower-pvs/index.js';
import { parseDeviceList, type DeviceListResult } from './devices.js';
import { PvsProtocolError, PvsUnknownCommandError, type PvsErrorDetails } from './errors.js';
import { parseEssStatus, type EssStatusResult } from './ess.js';
import { defaultSleep, getJsonObject, type FetchLike, type SleepFn, type TransportConfig } from './http.js';
import {
  parseCellPurchased,
  parseCheckFw,
  parseDiscoveryProgress,
  parseGetComm,
  parseGridProfileGet,
  parseGridProfileRefresh,
  parseStart,
  type CellPurchasedResult,
  type CheckFwResult,
  type DiscoveryProgressResult,
  type GridProfileRefreshResult,
  type GridProfileStatus,
  type NetworkStatusResult,
  type StartResult,
} from './responses.js';
import { isObject, type RawObject } from './values.js';

export interface PvsClientOptions {
  /** `http://172.27.153.1`, `http://host:8080`; a bare `host[:port]` gets `http://`. */
  readonly baseUrl: string;
  /** Per-request timeout of every command but DeviceList. */
  readonly timeoutMs?: number;
  /** Per-request timeout of DeviceList (hass-sunpower and ha-esunpower use 120 s). */
  readonly deviceListTimeoutMs?: number;
  /** Retries after the first attempt on 503/502/504, connection failures, timeouts and empty bodies. */
  readonly retries?: number;
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Replaces the global fetch (tests route requests without sockets). */
  readonly fetch?: FetchLike;
  /** Replaces the wait between retries (tests skip real waiting). */
  readonly sleep?: SleepFn;
  /** Also validate every body against the contract; violations throw PvsProtocolError. Default false. */
  readonly strict?: boolean;
}

export const ESS_STATUS_OPERATION = 'ess-status';

/** Which key proves a body is the command's answer (and not, say, `{"status":403,"error":"Unauthorized"}`). */
const KEY_FIELD: Record<Command, { key: string; check: (v: unknown) => boolean; what: string }> = {
  DeviceList: { key: 'devices', check: Array.isArray, what: 'array' },
  Start: { key: 'supervisor', check: isObject, what: 'object' },
  Stop: { key: 'result', check: (v) => typeof v === 'string', what: 'string' },
  Get_Comm: { key: 'networkstatus', check: isObject, what: 'object' },
  CheckFW: { key: 'url', check: (v) => typeof v === 'string', what: 'string' },
  DeviceDetails: { key: 'result', check: () => true, what: 'anything' },
  GridProfileGet: { key: 'active_id', check: (v) => typeof v === 'string', what: 'string' },
  GridProfileRefresh: { key: 'profiles', check: Array.isArray, what: 'array' },
  GetCellPurchased: { key: 'cell_purchased', check: (v) => v !== undefined, what: 'value' },
  GetDiscoveryProgress: { key: 'progress', check: Array.isArray, what: 'array' },
  SetCellPurchased: { key: 'cell_purchased', check: (v) => v !== undefined, what: 'value' },
};

/** `result` values that mean success; the sungazer Stop fixture says "success". */
const SUCCESS_RESULTS = new Set(['succeed', 'success']);

function normaliseBaseUrl(baseUrl: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(baseUrl) ? baseUrl : `http://${baseUrl}`;
  return withScheme.replace(/\/+$/, '');
}

/** A short description of an unexpected body, e.g. `{"status":403,"error":"Unauthorized"}`. */
function describeBody(body: RawObject): string {
  const text = JSON.stringify(body);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

export class PvsClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly deviceListTimeoutMs: number;
  private readonly transport: TransportConfig;
  private readonly strict: boolean;

  constructor(options: PvsClientOptions) {
    this.baseUrl = normaliseBaseUrl(options.baseUrl);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.deviceListTimeoutMs = options.deviceListTimeoutMs ?? 120_000;
    this.strict = options.strict ?? false;
    this.transport = {
      fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
      sleep: options.sleep ?? defaultSleep,
      retries: options.retries ?? 3,
      backoffMs: options.backoffMs ?? 500,
      maxBackoffMs: options.maxBackoffMs ?? 10_000,
    };
  }

  /** The URL of a command, e.g. `…/cgi-bin/dl_cgi?Command=Get_Comm&SerialNumber=ZT…`. */
  commandUrl(command: Command, params: Readonly<Record<string, string | undefined>> = {}): string {
    let url = `${this.baseUrl}${DL_CGI_PATH}?Command=${encodeURIComponent(command)}`;
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined) url += `&${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
    }
    return url;
  }

  /** Sends a command and returns its checked JSON body, unparsed. */
  async rawCommand(command: Command, params: Readonly<Record<string, string | undefined>> = {}): Promise<RawObject> {
    const url = this.commandUrl(command, params);
    const timeout = command === 'DeviceList' ? this.deviceListTimeoutMs : this.timeoutMs;
    const { body, attempts } = await getJsonObject(url, command, timeout, this.transport);
    const details: PvsErrorDetails = { command, attempts, url };

    const result = body['result'];
    if (result === 'unknown command') throw new PvsUnknownCommandError(body, details);
    if (typeof result === 'string' && !SUCCESS_RESULTS.has(result) && command !== 'DeviceDetails') {
      throw new PvsProtocolError(`result is ${JSON.stringify(result)}, not "succeed"`, body, details);
    }
    const { key, check, what } = KEY_FIELD[command];
    if (!check(body[key])) {
      throw new PvsProtocolError(`JSON body without \`${key}\` (${what}): ${describeBody(body)}`, body, details);
    }
    if (this.strict) this.enforce(validateCommandResponse(command, body), body, details);
    return body;
  }

  private enforce(validation: ValidationResult, body: RawObject, details: PvsErrorDetails): void {
    if (!validation.ok) {
      throw new PvsProtocolError(
        `body violates the contract: ${validation.errors.slice(0, 3).join('; ')}`,
        body,
        details,
        validation.errors,
      );
    }
  }

  /** All devices with their properties and metrics. Slow: uses `deviceListTimeoutMs`. */
  async deviceList(): Promise<DeviceListResult> {
    return parseDeviceList(await this.rawCommand('DeviceList'));
  }

  /** Starts a configuration session; returns the supervisor's identity and versions. */
  async start(): Promise<StartResult> {
    return parseStart(await this.rawCommand('Start'));
  }

  /** Stops the configuration session. */
  async stop(): Promise<{ readonly result: string }> {
    const body = await this.rawCommand('Stop');
    return { result: String(body['result']) };
  }

  /** Network interfaces and connectivity. sungazer sends the supervisor serial; the seeds show both forms. */
  async getComm(serialNumber?: string): Promise<NetworkStatusResult> {
    return parseGetComm(await this.rawCommand('Get_Comm', { SerialNumber: serialNumber }));
  }

  /** Whether a firmware update is available. */
  async checkFw(type?: 'residential' | 'commercial'): Promise<CheckFwResult> {
    return parseCheckFw(await this.rawCommand('CheckFW', { type }));
  }

  /**
   * Details of one device. The documented PVS6 answers `{"result":"unknown command"}`, which throws
   * PvsUnknownCommandError; any other JSON object is returned as is.
   */
  async deviceDetails(serialNumber: string): Promise<RawObject> {
    return this.rawCommand('DeviceDetails', { SerialNumber: serialNumber });
  }

  async gridProfileGet(): Promise<GridProfileStatus> {
    return parseGridProfileGet(await this.rawCommand('GridProfileGet'));
  }

  async gridProfileRefresh(): Promise<GridProfileRefreshResult> {
    return parseGridProfileRefresh(await this.rawCommand('GridProfileRefresh'));
  }

  async getCellPurchased(): Promise<CellPurchasedResult> {
    return parseCellPurchased(await this.rawCommand('GetCellPurchased'));
  }

  /** A GET only echoes the current flag (seed 002); changing it presumably needs a POST inside a session. */
  async setCellPurchased(serialNumber: string): Promise<CellPurchasedResult> {
    return parseCellPurchased(await this.rawCommand('SetCellPurchased', { SerialNumber: serialNumber }));
  }

  async getDiscoveryProgress(): Promise<DiscoveryProgressResult> {
    return parseDiscoveryProgress(await this.rawCommand('GetDiscoveryProgress'));
  }

  /** SunVault status: batteries, ESS units, HUB+, storage inverters. Serials match DeviceList SERIALs. */
  async essStatus(): Promise<EssStatusResult> {
    const url = `${this.baseUrl}${ESS_STATUS_PATH}`;
    const { body, attempts } = await getJsonObject(url, ESS_STATUS_OPERATION, this.timeoutMs, this.transport);
    const details: PvsErrorDetails = { command: ESS_STATUS_OPERATION, attempts, url };
    if (!isObject(body['ess_report'])) {
      throw new PvsProtocolError(`JSON body without \`ess_report\` (object): ${describeBody(body)}`, body, details);
    }
    if (this.strict) this.enforce(validateEssStatus(body), body, details);
    return parseEssStatus(body);
  }
}
