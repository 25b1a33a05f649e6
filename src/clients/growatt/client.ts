/**
 * Typed client of the Growatt ShineServer OpenAPI v1 (plant endpoints and the SPH/MIX family).
 *
 * Wire format: header `token: <token>`; GET endpoints carry their params in the query string, POST endpoints in an
 * `application/x-www-form-urlencoded` body; batch SN lists are comma-joined; mixSet always sends param1..param18.
 * Every call goes through a RateLimitScheduler (see scheduler.ts), and by default every reply is checked against the
 * contract schema before its `error_code` is looked at.
 */
import type { Static } from '@sinclair/typebox';
import {
  daysBetween,
  encodeSnList,
  ENDPOINTS,
  HOSTS,
  MIX_SET_MAX_PARAMS,
  PAGING,
  TOKEN_HEADER,
  type AlarmDataResponse,
  type DeviceListResponse,
  type EndpointId,
  type MixDataInfoResponse,
  type MixDataResponse,
  type MixLastDataResponse,
  type MixSetTypeName,
  type MixsDataEntry,
  type MixTelemetry,
  type PlantDataObject,
  type PlantDetailsResponse,
  type PlantEnergyResponse,
  type PlantListResponse,
  type PlantPowerResponse,
  type TimeUnit,
  type WireParams,
  TLX_SET_MAX_PARAMS,
  type TlxSetTypeName,
  type TlxTelemetry,
} from '../../../contracts/growatt/index.js';
import { localParameterError } from './classify.js';
import { formatDate, historyWindows, isIsoDate, type DateInput } from './dates.js';
import { parseReply, type ReplyBody } from './reply.js';
import { RateLimitScheduler, type SchedulerOptions } from './scheduler.js';
import {
  acChargeTimesCommand,
  acDischargeTimesCommand,
  exportLimitCommand,
  pvOnOffCommand,
  type AcChargeSettings,
  type AcDischargeSettings,
  type ExportLimitSettings,
  type MixSetCommand,
} from './setters.js';
import { DEFAULT_TIMEOUT_MS, fetchTransport, type GrowattRequest, type GrowattTransport } from './transport.js';

export type Region = keyof typeof HOSTS;

export interface GrowattClientOptions {
  /** The API token (ShinePhone: Me → account → API Token). */
  readonly token: string;
  /** Server root, e.g. `http://127.0.0.1:7082`; `/v1/...` paths are appended. Takes precedence over `region`. */
  readonly baseUrl?: string;
  /** One of the contract's HOSTS. Default `'default'` (openapi.growatt.com). */
  readonly region?: Region;
  /** Default fetch transport only: whole-exchange timeout. Default 30 000 ms. */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  /** Check every reply against the contract schema (GrowattProtocolError on failure). Default true. */
  readonly validate?: boolean;
  /**
   * Rate limiting: options for a scheduler of this client's own (e.g. `{ now, sleep }` of a virtual clock, or
   * `{ enabled: false }`), or a scheduler instance shared with other clients using the same token.
   */
  readonly scheduler?: SchedulerOptions | RateLimitScheduler;
  /** Replaces the network, e.g. with Fastify `inject`. Default: global fetch with `timeoutMs`. */
  readonly transport?: GrowattTransport;
}

export const DEFAULT_USER_AGENT = 'voltbench-growatt-client/1';

// Reply types, from the contract's schemas.
export type PlantListPage = PlantListResponse['data'];
export type PlantRow = PlantListPage['plants'][number];
export type PlantDetails = PlantDetailsResponse['data'];
export type PlantOverview = Static<typeof PlantDataObject>;
export type PlantEnergyHistory = PlantEnergyResponse['data'];
export type PlantPowerDay = PlantPowerResponse['data'];
export type DeviceListPage = DeviceListResponse['data'];
export type DeviceRow = DeviceListPage['devices'][number];
export type MixSettings = MixDataInfoResponse['data'];
export type MixHistoryPage = MixDataResponse['data'];
export type AlarmPage = AlarmDataResponse['data'];
export type AlarmRow = AlarmPage['alarms'][number];

export interface MixDataInfo {
  readonly data: MixSettings;
  readonly dataloggerSn: string;
  readonly deviceSn: string;
}

export interface MixLastData {
  readonly data: MixTelemetry;
  readonly dataloggerSn: string;
  readonly mixSn: string;
}

export interface MixsData {
  /** SN → `{ dataloggerSn, [SN]: telemetry }`. */
  readonly data: Record<string, MixsDataEntry>;
  /** The SNs as the server echoes them (duplicates included). */
  readonly mixs: string[];
  readonly pageNum: number;
}

/** One MIN time segment for `setTimeSegment` (what growattServer's `min_write_time_segment` sends). */
export interface TimeSegmentSettings {
  /** 1-9. */
  readonly segment: number;
  /** 0 load first, 1 battery first, 2 grid first. */
  readonly mode: 0 | 1 | 2;
  /** "H:MM" or "HH:MM"; the end may not be before the start (overnight windows take two segments). */
  readonly start: string;
  readonly end: string;
  readonly enabled: boolean;
}

export interface MinReply<T> {
  readonly data: T;
  readonly dataloggerSn: string;
  readonly sn: string;
}

export interface PageOptions {
  readonly page?: number;
  readonly perpage?: number;
}

export interface PlantListOptions extends PageOptions {
  readonly searchType?: string;
  readonly searchKeyword?: string;
}

export interface PlantEnergyQuery extends PageOptions {
  readonly plantId: number | string;
  readonly startDate: DateInput;
  readonly endDate: DateInput;
  readonly timeUnit: TimeUnit;
}

export interface MixDataQuery extends PageOptions {
  readonly sn: string;
  readonly startDate: DateInput;
  readonly endDate: DateInput;
  /** "The time zone code of the data display"; the server default is described as UTC. */
  readonly timezoneId?: string;
}

export interface AlarmDataQuery extends PageOptions {
  readonly sn: string;
  readonly date: DateInput;
}

export interface MixHistoryOptions {
  /** Rows per page. Default 100 (the maximum), to spend as few rate-limited calls as possible. */
  readonly perpage?: number;
  readonly timezoneId?: string;
}

const text = (value: number | string | undefined) => (value === undefined ? undefined : String(value));

// Codes the server documents for the mistakes the client refuses locally.
const PERPAGE_TOO_LARGE = 10013;
const TOO_MANY_PAGES = 10014;
const SN_ERROR = 10002;
const DATE_FORMAT_ERROR = 10003;
const INTERVAL_TOO_LONG = 10004;
const VALUE_OUT_OF_RANGE = 10008;

export class GrowattClient {
  readonly baseUrl: string;
  readonly scheduler: RateLimitScheduler;
  readonly validate: boolean;
  readonly #token: string;
  readonly #userAgent: string;
  readonly #transport: GrowattTransport;

  constructor(options: GrowattClientOptions) {
    this.baseUrl = (options.baseUrl ?? HOSTS[options.region ?? 'default']).replace(/\/+$/, '');
    this.scheduler =
      options.scheduler instanceof RateLimitScheduler ? options.scheduler : new RateLimitScheduler(options.scheduler);
    this.validate = options.validate ?? true;
    this.#token = options.token;
    this.#userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.#transport = options.transport ?? fetchTransport(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  /** The request `call` would send (no scheduling, nothing sent). */
  buildRequest(endpoint: EndpointId, params: WireParams = {}): GrowattRequest {
    const { method, path } = ENDPOINTS[endpoint];
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      for (const item of typeof value === 'string' ? [value] : value) form.append(key, item);
    }
    const encoded = form.toString();
    const headers: Record<string, string> = { [TOKEN_HEADER]: this.#token, 'user-agent': this.#userAgent };
    if (method === 'GET') {
      return { method, url: `${this.baseUrl}${path}${encoded === '' ? '' : `?${encoded}`}`, headers };
    }
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return { method, url: `${this.baseUrl}${path}`, headers, body: encoded };
  }

  /**
   * Low-level call with raw wire params (undefined values are left out; arrays become repeated keys): scheduled,
   * checked and error-mapped like the typed methods, but without their local argument checks.
   */
  call(endpoint: EndpointId, params: WireParams = {}): Promise<ReplyBody> {
    const request = this.buildRequest(endpoint, params);
    return this.scheduler.run(endpoint, params, async () =>
      parseReply(endpoint, request.url, await this.#transport(request), this.validate),
    );
  }

  // ------------------------------------------------------------------------------------------------------------
  // Plants and devices.

  async plantList(options: PlantListOptions = {}): Promise<PlantListPage> {
    this.#checkPaging('plantList', options);
    const body = await this.call('plantList', {
      page: text(options.page),
      perpage: text(options.perpage),
      search_type: options.searchType,
      search_keyword: options.searchKeyword,
    });
    return (body as PlantListResponse).data;
  }

  async plantDetails(plantId: number | string): Promise<PlantDetails> {
    const body = await this.call('plantDetails', { plant_id: String(plantId) });
    return (body as PlantDetailsResponse).data;
  }

  /** plant/data; the rare array form (one client unwraps it) is unwrapped to its first element. */
  async plantData(plantId: number | string): Promise<PlantOverview> {
    const body = await this.call('plantData', { plant_id: String(plantId) });
    const data = body['data'] as PlantOverview | PlantOverview[];
    return Array.isArray(data) ? (data[0] as PlantOverview) : data;
  }

  async plantEnergy(query: PlantEnergyQuery): Promise<PlantEnergyHistory> {
    this.#checkPaging('plantEnergy', query);
    const body = await this.call('plantEnergy', {
      plant_id: String(query.plantId),
      start_date: formatDate(query.startDate),
      end_date: formatDate(query.endDate),
      time_unit: query.timeUnit,
      page: text(query.page),
      perpage: text(query.perpage),
    });
    return (body as PlantEnergyResponse).data;
  }

  async plantPower(plantId: number | string, date: DateInput): Promise<PlantPowerDay> {
    const body = await this.call('plantPower', { plant_id: String(plantId), date: formatDate(date) });
    return (body as PlantPowerResponse).data;
  }

  async deviceList(plantId: number | string, options: PageOptions = {}): Promise<DeviceListPage> {
    this.#checkPaging('deviceList', options);
    const body = await this.call('deviceList', {
      plant_id: String(plantId),
      page: text(options.page),
      perpage: text(options.perpage),
    });
    return (body as DeviceListResponse).data;
  }

  /** Every plant, page by page (each page counts against plant/list's daily cap of 10). */
  async *allPlants(options: Omit<PlantListOptions, 'page'> = {}): AsyncGenerator<PlantRow> {
    const perpage = options.perpage ?? PAGING.maxPerPage;
    yield* pages(async (page) => {
      const data = await this.plantList({ ...options, page, perpage });
      return { rows: data.plants, count: data.count };
    });
  }

  /** Every device of a plant, page by page. */
  async *allDevices(plantId: number | string, options: { perpage?: number } = {}): AsyncGenerator<DeviceRow> {
    const perpage = options.perpage ?? PAGING.maxPerPage;
    yield* pages(async (page) => {
      const data = await this.deviceList(plantId, { page, perpage });
      return { rows: data.devices, count: data.count };
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // SPH/MIX readers.

  async mixDataInfo(sn: string): Promise<MixDataInfo> {
    const body = (await this.call('mixDataInfo', { device_sn: sn })) as MixDataInfoResponse;
    return { data: body.data, dataloggerSn: body.datalogger_sn, deviceSn: body.device_sn };
  }

  async mixLastData(sn: string): Promise<MixLastData> {
    const body = (await this.call('mixLastData', { mix_sn: sn })) as MixLastDataResponse;
    return { data: body.data, dataloggerSn: body.datalogger_sn, mixSn: body.mix_sn };
  }

  /** Latest data of up to 100 SNs in one call (more: GrowattParameterError, not sent). */
  async mixsData(sns: readonly string[], pageNum = 1): Promise<MixsData> {
    if (sns.length === 0 || sns.length > PAGING.maxBatchSns) {
      throw localParameterError('mixsData', SN_ERROR, `1 to ${PAGING.maxBatchSns} SNs per call, got ${sns.length}`);
    }
    const body = await this.call('mixsData', { mixs: encodeSnList(sns), pageNum: String(pageNum) });
    return {
      data: body['data'] as Record<string, MixsDataEntry>,
      mixs: body['mixs'] as string[],
      pageNum: body['pageNum'] as number,
    };
  }

  /** Latest telemetry for any number of SNs: batches of 100 (duplicates dropped), merged into SN → telemetry. */
  async lastDataForMany(sns: Iterable<string>): Promise<Map<string, MixTelemetry>> {
    const unique = [...new Set(sns)];
    const merged = new Map<string, MixTelemetry>();
    for (let i = 0; i < unique.length; i += PAGING.maxBatchSns) {
      const reply = await this.mixsData(unique.slice(i, i + PAGING.maxBatchSns));
      for (const [sn, entry] of Object.entries(reply.data)) {
        const telemetry = entry[sn];
        if (typeof telemetry === 'object' && telemetry !== null) merged.set(sn, telemetry);
      }
    }
    return merged;
  }

  /** One page of history; the range must be at most 7 days (checked locally, like growattServer does). */
  async mixData(query: MixDataQuery): Promise<MixHistoryPage> {
    const start = formatDate(query.startDate);
    const end = formatDate(query.endDate);
    const days = daysBetween(start, end);
    if (days === undefined || days < 0) {
      throw localParameterError('mixData', DATE_FORMAT_ERROR, `need YYYY-MM-DD dates with start ≤ end, got ${start}..${end}`);
    }
    if (days > PAGING.maxHistoryDays) {
      throw localParameterError('mixData', INTERVAL_TOO_LONG, `${start}..${end} spans more than ${PAGING.maxHistoryDays} days`);
    }
    this.#checkPaging('mixData', query);
    const body = await this.call('mixData', {
      mix_sn: query.sn,
      start_date: start,
      end_date: end,
      timezone_id: query.timezoneId,
      page: text(query.page),
      perpage: text(query.perpage),
    });
    return (body as MixDataResponse).data;
  }

  /**
   * Every history row from startDate to endDate (inclusive): 7-day windows one after the other, each read page by
   * page until `count` rows have arrived or a page comes back empty.
   */
  async *mixHistory(
    sn: string,
    startDate: DateInput,
    endDate: DateInput,
    options: MixHistoryOptions = {},
  ): AsyncGenerator<MixTelemetry> {
    const start = formatDate(startDate);
    const end = formatDate(endDate);
    if (!isIsoDate(start) || !isIsoDate(end) || end < start) {
      throw localParameterError('mixData', DATE_FORMAT_ERROR, `need YYYY-MM-DD dates with start ≤ end, got ${start}..${end}`);
    }
    const perpage = options.perpage ?? PAGING.maxPerPage;
    for (const window of historyWindows(start, end)) {
      yield* pages(async (page) => {
        const data = await this.mixData({
          sn,
          startDate: window.start,
          endDate: window.end,
          page,
          perpage,
          ...(options.timezoneId === undefined ? {} : { timezoneId: options.timezoneId }),
        });
        return { rows: data.datas, count: data.count };
      });
    }
  }

  async alarmData(query: AlarmDataQuery): Promise<AlarmPage> {
    this.#checkPaging('alarmData', query);
    const body = await this.call('alarmData', {
      mix_sn: query.sn,
      date: formatDate(query.date),
      page: text(query.page),
      perpage: text(query.perpage),
    });
    return (body as AlarmDataResponse).data;
  }

  // ------------------------------------------------------------------------------------------------------------
  // SPH/MIX parameters.

  /** A named parameter (startAddr = endAddr = 0), or registers with `paramId = 'set_any_reg'`. The value is a string. */
  async readMixParam(sn: string, paramId: string, startAddr = 0, endAddr = 0): Promise<string> {
    const body = await this.call('readMixParam', {
      device_sn: sn,
      paramId,
      startAddr: String(startAddr),
      endAddr: String(endAddr),
    });
    return body['data'] as string;
  }

  /** Raw mixSet: `params` become param1.., the rest up to param18 are sent as "" (as growattServer does). */
  async mixSet(sn: string, type: MixSetTypeName | (string & {}), params: readonly string[]): Promise<void> {
    if (params.length > MIX_SET_MAX_PARAMS) {
      throw localParameterError('mixSet', VALUE_OUT_OF_RANGE, `mixSet takes at most ${MIX_SET_MAX_PARAMS} params, got ${params.length}`);
    }
    const wire: Record<string, string> = { mix_sn: sn, type };
    for (let i = 0; i < MIX_SET_MAX_PARAMS; i += 1) wire[`param${i + 1}`] = params[i] ?? '';
    await this.call('mixSet', wire);
  }

  // Typed setters (setters.ts); async so local refusals arrive as rejections, like server errors.

  async setPvOn(sn: string, on: boolean): Promise<void> {
    return this.#send(sn, pvOnOffCommand(on));
  }

  async setAcChargeTimes(sn: string, settings: AcChargeSettings): Promise<void> {
    return this.#send(sn, acChargeTimesCommand(settings));
  }

  async setAcDischargeTimes(sn: string, settings: AcDischargeSettings): Promise<void> {
    return this.#send(sn, acDischargeTimesCommand(settings));
  }

  async setExportLimit(sn: string, settings: ExportLimitSettings): Promise<void> {
    return this.#send(sn, exportLimitCommand(settings));
  }

  async #send(sn: string, command: MixSetCommand): Promise<void> {
    await this.mixSet(sn, command.type, command.params);
  }

  // ------------------------------------------------------------------------------------------------------------
  // MIN/TLX (type 7), growattServer's min_detail / min_settings / min_energy / min_energy_history.

  async minDetail(sn: string): Promise<MinReply<Record<string, unknown>>> {
    const body = await this.call('tlxDataInfo', { device_sn: sn });
    return { data: body['data'] as Record<string, unknown>, dataloggerSn: body['datalogger_sn'] as string, sn: body['device_sn'] as string };
  }

  /** The flat settings map (`forcedTimeStartN`, `timeNMode`, `forcedStopSwitchN`, `yearTimeN`, …). */
  async minSettings(sn: string): Promise<Record<string, unknown>> {
    return (await this.call('tlxSetInfo', { device_sn: sn }))['data'] as Record<string, unknown>;
  }

  async minLastData(sn: string): Promise<MinReply<TlxTelemetry>> {
    const body = await this.call('tlxLastData', { tlx_sn: sn });
    return { data: body['data'] as TlxTelemetry, dataloggerSn: body['datalogger_sn'] as string, sn: body['tlx_sn'] as string };
  }

  /** Latest MIN telemetry for any number of SNs, in tlxs_data batches of 100 (duplicates dropped). */
  async minLastDataForMany(sns: Iterable<string>): Promise<Map<string, TlxTelemetry>> {
    const unique = [...new Set(sns)];
    const merged = new Map<string, TlxTelemetry>();
    for (let i = 0; i < unique.length; i += PAGING.maxBatchSns) {
      const body = await this.call('tlxsData', { tlxs: encodeSnList(unique.slice(i, i + PAGING.maxBatchSns)), pageNum: '1' });
      for (const [sn, entry] of Object.entries(body['data'] as Record<string, Record<string, unknown>>)) {
        const telemetry = entry[sn];
        if (typeof telemetry === 'object' && telemetry !== null) merged.set(sn, telemetry as TlxTelemetry);
      }
    }
    return merged;
  }

  /** One page of MIN history (range ≤ 7 days, checked locally). */
  async minData(query: MixDataQuery): Promise<{ count: number; datas: TlxTelemetry[]; next_page_start_id: number }> {
    const start = formatDate(query.startDate);
    const end = formatDate(query.endDate);
    const days = daysBetween(start, end);
    if (days === undefined || days < 0) throw localParameterError('tlxData', DATE_FORMAT_ERROR, `need YYYY-MM-DD dates with start ≤ end, got ${start}..${end}`);
    if (days > PAGING.maxHistoryDays) throw localParameterError('tlxData', INTERVAL_TOO_LONG, `${start}..${end} spans more than ${PAGING.maxHistoryDays} days`);
    this.#checkPaging('tlxData', query);
    const body = await this.call('tlxData', {
      tlx_sn: query.sn,
      start_date: start,
      end_date: end,
      timezone_id: query.timezoneId,
      page: text(query.page),
      perpage: text(query.perpage),
    });
    return body['data'] as { count: number; datas: TlxTelemetry[]; next_page_start_id: number };
  }

  /** Every MIN history row from startDate to endDate, 7-day windows read page by page. */
  async *minHistory(sn: string, startDate: DateInput, endDate: DateInput, options: MixHistoryOptions = {}): AsyncGenerator<TlxTelemetry> {
    const start = formatDate(startDate);
    const end = formatDate(endDate);
    if (!isIsoDate(start) || !isIsoDate(end) || end < start) throw localParameterError('tlxData', DATE_FORMAT_ERROR, `need YYYY-MM-DD dates with start ≤ end, got ${start}..${end}`);
    const perpage = options.perpage ?? PAGING.maxPerPage;
    for (const window of historyWindows(start, end)) {
      yield* pages(async (page) => {
        const data = await this.minData({ sn, startDate: window.start, endDate: window.end, page, perpage, ...(options.timezoneId === undefined ? {} : { timezoneId: options.timezoneId }) });
        return { rows: data.datas, count: data.count };
      });
    }
  }

  async readMinParam(sn: string, paramId: string, startAddr = 0, endAddr = 0): Promise<string> {
    const body = await this.call('readMinParam', { device_sn: sn, paramId, startAddr: String(startAddr), endAddr: String(endAddr) });
    return body['data'] as string;
  }

  /** Raw tlxSet: `params` become param1.., the rest up to param19 are sent as "". */
  async tlxSet(sn: string, type: TlxSetTypeName | (string & {}), params: readonly string[]): Promise<void> {
    if (params.length > TLX_SET_MAX_PARAMS) throw localParameterError('tlxSet', VALUE_OUT_OF_RANGE, `tlxSet takes at most ${TLX_SET_MAX_PARAMS} params, got ${params.length}`);
    const wire: Record<string, string> = { tlx_sn: sn, type };
    for (let i = 0; i < TLX_SET_MAX_PARAMS; i += 1) wire[`param${i + 1}`] = params[i] ?? '';
    await this.call('tlxSet', wire);
  }

  /** time_segmentN as growattServer writes it: mode, start h, start m, end h, end m, enable. */
  async setTimeSegment(sn: string, settings: TimeSegmentSettings): Promise<void> {
    const time = (value: string) => /^(\d{1,2}):(\d{2})$/.exec(value);
    const start = time(settings.start);
    const end = time(settings.end);
    if (!Number.isInteger(settings.segment) || settings.segment < 1 || settings.segment > 9) {
      throw localParameterError('tlxSet', 10006, `segment must be 1-9, got ${settings.segment}`);
    }
    if (start === null || end === null) throw localParameterError('tlxSet', 10009, `times must be "H:MM", got ${settings.start}..${settings.end}`);
    const [sh, sm, eh, em] = [start[1]!, start[2]!, end[1]!, end[2]!].map(Number) as [number, number, number, number];
    if (sh > 23 || eh > 23 || sm > 59 || em > 59) throw localParameterError('tlxSet', 10009, `times must be within 0:00-23:59`);
    if (eh * 60 + em < sh * 60 + sm) throw localParameterError('tlxSet', 10013, `segment ends before it starts`);
    await this.tlxSet(sn, `time_segment${settings.segment}`, [String(settings.mode), String(sh), String(sm), String(eh), String(em), settings.enabled ? '1' : '0']);
  }

  #checkPaging(endpoint: EndpointId, options: PageOptions): void {
    const { page, perpage } = options;
    if (perpage !== undefined && !(Number.isInteger(perpage) && perpage >= 1 && perpage <= PAGING.maxPerPage)) {
      throw localParameterError(endpoint, PERPAGE_TOO_LARGE, `perpage must be 1-${PAGING.maxPerPage}, got ${perpage}`);
    }
    if (page !== undefined && !(Number.isInteger(page) && page >= 1 && page <= PAGING.maxPages)) {
      throw localParameterError(endpoint, TOO_MANY_PAGES, `page must be 1-${PAGING.maxPages}, got ${page}`);
    }
  }
}

/** Reads pages 1, 2, ... until `count` rows have arrived, a page is empty, or the 250-page limit is reached. */
async function* pages<T>(read: (page: number) => Promise<{ rows: readonly T[]; count: number }>): AsyncGenerator<T> {
  let seen = 0;
  for (let page = 1; page <= PAGING.maxPages; page += 1) {
    const { rows, count } = await read(page);
    yield* rows;
    seen += rows.length;
    if (rows.length === 0 || seen >= count) return;
  }
}
