/**
 * Typed client (master) of a KEHUA UPS speaking YD/T 1363.3 over RS-232: any `serialport` port or a TCP
 * serial-to-network bridge.
 *
 * One request is on the line at a time (others queue). A reply is reassembled from whatever chunks arrive, resynced
 * on `~`, verified (LENGTH, LCHKSUM, CHKSUM), matched on our ADR, and its RTN checked before any value is read.
 * Silence and corrupt replies are retried with exponential backoff, as real masters do (units "sometimes ignore the
 * incoming command", NUT's man page says); refusals (RTN errors) are not, except RTN 02H/03H, which say our request
 * arrived corrupted. Values are read strictly by the UL33 map (contract layouts).
 */
import {
  CID1_UPS,
  Cid2,
  DEFAULT_VER,
  Rtn,
  UL33_COMMANDS,
  decodeGxeInfo,
  decodeInfo,
  encodeFrame,
  gxeLayoutFor,
  layoutFor,
} from '../../../contracts/kehua-ups/index.js';
import type { Frame, LayoutProfile, UpsDialect } from '../../../contracts/kehua-ups/index.js';
import {
  UpsChecksumError,
  UpsConnectionError,
  UpsError,
  UpsFrameError,
  UpsReplyError,
  UpsRtnError,
  UpsTimeoutError,
  hexByte,
  isRetryable,
  type UpsErrorDetails,
} from './errors.js';
import { FrameExchange, type ExchangeFailure, type TraceEvent } from './frame-exchange.js';
import { describeTarget, openTransport, type UpsTarget } from './open-transport.js';
import {
  buildSnapshot,
  commandReading,
  parseVendorInfo,
  VENDOR_INFO_BYTES,
  dataFlagBits,
  type CommandReading,
  type DataFlagBits,
  type UpsSnapshot,
  type VendorInfo,
} from './readings.js';
import { RemoteControl, type RemoteCommand } from './remote-control.js';
import { statusFromGxe, statusFromUl33, type UpsStatus } from './status.js';

/** One GXE data command's reply: its fields in their units (contracts/kehua-ups/gxe.ts). */
export interface GxeReading {
  readonly cid2: number;
  readonly dataflag: DataFlagBits;
  readonly values: Readonly<Record<string, number>>;
}

export type SleepFn = (ms: number) => Promise<void>;
export const defaultSleep: SleepFn = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface KehuaUpsClientOptions {
  /** The line: `tcp://host:port`, a device path, `{ path, baudRate?, binding? }`, an open port, or a transport. */
  readonly transport: UpsTarget;
  /** VER sent in requests. Default 21H (KEHUA's own is unknown; a wrong one gets RTN 01H). */
  readonly ver?: number;
  /** ADR of the unit, 01H–FEH. Default 01H. */
  readonly adr?: number;
  /**
   * The unit's command set: 'kehua' (the UL33 map; default) or 'gxe' (Emerson/Liebert GXE: 42H, 43H, 44H, 47H in
   * fixed point). `status()` reads either into the same UpsStatus; `snapshot()` and `readCommand()` are the UL33 map's.
   */
  readonly dialect?: UpsDialect;
  /** Response layout: 'ul33' (the map's, X byte after DATAFLAG) or 'plain' (standard YD/T). Default 'ul33'. */
  readonly profile?: LayoutProfile;
  /** FLOAT byte order. Default 'little' (low byte first, as the real captures show). */
  readonly floatByteOrder?: 'little' | 'big';
  /** A one-byte unit selector sent as INFO of the data requests; default none (empty INFO, as known masters send). */
  readonly unitSelector?: number;
  /** Per-attempt wait for a complete reply. Default 2000 ms (NUT's figure). */
  readonly timeoutMs?: number;
  /** TCP connect timeout. Default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /** Further attempts after a timeout, a corrupt reply or RTN 02H/03H. Default 2. */
  readonly retries?: number;
  /** Wait before the first retry, doubling after. Default 100 ms. */
  readonly backoffMs?: number;
  /** Default 2000 ms. */
  readonly maxBackoffMs?: number;
  /** Replaces waiting between retries (tests). */
  readonly sleep?: SleepFn;
  /** Told about each failed attempt that will be retried. */
  readonly onRetry?: (error: UpsError, attempt: number) => void;
  /** Told about every frame sent, received, ignored or discarded (logging, tests). */
  readonly onTrace?: (event: TraceEvent) => void;
}

/** Per-request overrides of the client's settings. */
export interface RequestOptions {
  readonly timeoutMs?: number;
  readonly retries?: number;
}

/** A verified RTN 00H reply. */
export interface UpsReply {
  readonly frame: Frame;
  /** The reply as received, `~` through CR. */
  readonly text: string;
}

/** Delay before retry number `retry` (1-based): backoffMs doubling, capped at maxBackoffMs. */
export function backoffDelay(retry: number, backoffMs: number, maxBackoffMs: number): number {
  return Math.min(maxBackoffMs, backoffMs * 2 ** (retry - 1));
}

function requireByte(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`${name} must be a byte (0…255), got ${value}`);
  return value;
}

function requireCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
  return value;
}

function failureError(failure: ExchangeFailure, details: UpsErrorDetails): UpsError {
  switch (failure.kind) {
    case 'timeout':
      return new UpsTimeoutError(failure.timeoutMs, failure.partial, details);
    case 'frame': {
      const { kind, message, offset } = failure.error;
      const ErrorClass = kind === 'bad-chksum' || kind === 'bad-lchksum' ? UpsChecksumError : UpsFrameError;
      return new ErrorClass(kind, message, failure.text, offset, details);
    }
    case 'closed': {
      const cause = failure.error;
      if (cause instanceof UpsConnectionError) return new UpsConnectionError(cause.code, cause.reason, { ...details, cause });
      if (cause instanceof Error) {
        const code = (cause as { code?: unknown }).code;
        return new UpsConnectionError(typeof code === 'string' ? code : undefined, cause.message, { ...details, cause });
      }
      return new UpsConnectionError('CLOSED', 'the line closed', details);
    }
  }
}

export class KehuaUpsClient {
  readonly ver: number;
  readonly adr: number;
  readonly profile: LayoutProfile;
  readonly dialect: UpsDialect;
  readonly floatByteOrder: 'little' | 'big';
  readonly timeoutMs: number;
  readonly retries: number;
  /** The line, as given, for messages. */
  readonly target: string;
  readonly #transport: UpsTarget;
  readonly #unitSelector: number | undefined;
  readonly #connectTimeoutMs: number;
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #sleep: SleepFn;
  readonly #onRetry: ((error: UpsError, attempt: number) => void) | undefined;
  readonly #onTrace: ((event: TraceEvent) => void) | undefined;
  #exchange: FrameExchange | null = null;
  #closed = false;
  /** The tail of the request queue: each request starts when the one before has settled. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: KehuaUpsClientOptions) {
    this.#transport = options.transport;
    this.target = describeTarget(options.transport);
    this.ver = requireByte('ver', options.ver ?? DEFAULT_VER);
    this.adr = requireByte('adr', options.adr ?? 0x01);
    this.profile = options.profile ?? 'ul33';
    this.dialect = options.dialect ?? 'kehua';
    if (this.dialect !== 'kehua' && this.dialect !== 'gxe') throw new RangeError(`dialect must be kehua or gxe, got ${String(this.dialect)}`);
    this.floatByteOrder = options.floatByteOrder ?? 'little';
    this.#unitSelector = options.unitSelector === undefined ? undefined : requireByte('unitSelector', options.unitSelector);
    this.timeoutMs = requireCount('timeoutMs', options.timeoutMs ?? 2000);
    this.#connectTimeoutMs = requireCount('connectTimeoutMs', options.connectTimeoutMs ?? 5000);
    this.retries = requireCount('retries', options.retries ?? 2);
    this.#backoffMs = requireCount('backoffMs', options.backoffMs ?? 100);
    this.#maxBackoffMs = requireCount('maxBackoffMs', options.maxBackoffMs ?? 2000);
    this.#sleep = options.sleep ?? defaultSleep;
    this.#onRetry = options.onRetry;
    this.#onTrace = options.onTrace;
  }

  /** Opens the line now (otherwise the first request does). Rejects with UpsConnectionError. */
  async connect(): Promise<void> {
    await this.#serialise(() => this.#line());
  }

  /** Closes the line (a port passed in open stays open) and fails queued requests. The client cannot be reused. */
  async close(): Promise<void> {
    this.#closed = true;
    const exchange = this.#exchange;
    this.#exchange = null;
    await exchange?.close();
  }

  /** The request frame for `cid2` as this client sends it. */
  requestFrame(cid2: number, info: Uint8Array | readonly number[] = []): string {
    return encodeFrame({ ver: this.ver, adr: this.adr, cid1: CID1_UPS, cid2, info: Uint8Array.from(info) });
  }

  /** Sends any command and returns the verified RTN 00H reply; retries as described above. */
  request(cid2: number, info: Uint8Array | readonly number[] = [], options: RequestOptions = {}): Promise<UpsReply> {
    requireByte('cid2', cid2);
    const text = this.requestFrame(cid2, info);
    // 50H is how a master finds the unit's address: take the answer whatever ADR it carries.
    const accept = cid2 === Cid2.GetAddress ? () => true : (frame: Frame) => frame.adr === this.adr;
    const policy = {
      timeoutMs: requireCount('timeoutMs', options.timeoutMs ?? this.timeoutMs),
      retries: requireCount('retries', options.retries ?? this.retries),
    };
    return this.#serialise(() => this.#withRetries(cid2, text, accept, policy));
  }

  /** Reads one data command the map polls (41H, 43H, 44H, C0H–C4H, C7H, C8H) by the map. */
  async readCommand(cid2: number): Promise<CommandReading> {
    if (this.dialect !== 'kehua') throw new RangeError(`readCommand reads the UL33 map; this client speaks the ${this.dialect} dialect (use readGxe or status)`);
    if (layoutFor(cid2, this.profile) === undefined) throw new RangeError(`the UL33 map does not poll ${hexByte(cid2)}H`);
    const reply = await this.request(cid2, this.#unitSelector === undefined ? [] : [this.#unitSelector]);
    const decoded = decodeInfo(cid2, reply.frame.info, { profile: this.profile, floatByteOrder: this.floatByteOrder });
    if (!decoded.ok) throw new UpsReplyError('info-too-short', decoded.error.message, reply.text, { command: cid2 });
    return commandReading(cid2, decoded);
  }

  /** A GXE data command (42H analog values, 43H on/off states, 44H warnings, 47H system parameters). */
  async readGxe(cid2: number): Promise<GxeReading> {
    if (gxeLayoutFor(cid2) === undefined) throw new RangeError(`the GXE dialect has no data command ${hexByte(cid2)}H`);
    const reply = await this.request(cid2);
    const decoded = decodeGxeInfo(cid2, reply.frame.info);
    if (!decoded.ok) throw new UpsReplyError('info-too-short', decoded.error.message, reply.text, { command: cid2 });
    return { cid2, dataflag: dataFlagBits(decoded.dataflag), values: decoded.values };
  }

  /**
   * The unit's status in either dialect: supply (on battery or not), charger, self-test, the main alarms and
   * measurements. KEHUA: 41H, 43H, 44H, C0H, C2H, C3H; GXE: 43H, 44H, 42H (NUT's order after start-up).
   */
  async status(): Promise<UpsStatus> {
    if (this.dialect === 'gxe') {
      const readings = [await this.readGxe(Cid2.GetSwitchStatus), await this.readGxe(Cid2.GetAlarmStatus), await this.readGxe(Cid2.GetAnalogFixed)];
      return statusFromGxe(Object.assign({}, ...readings.map((r) => r.values)) as Record<string, number>, readings.reduce((f, r) => f | r.dataflag.raw, 0));
    }
    const commands = [Cid2.GetAnalogFloat, Cid2.GetSwitchStatus, Cid2.GetAlarmStatus, Cid2.GetInputAnalog, Cid2.GetOutputPower, Cid2.GetOutputLoad];
    const readings: CommandReading[] = [];
    for (const cid2 of commands) readings.push(await this.readCommand(cid2));
    const values = Object.fromEntries(readings.flatMap((r) => Object.values(r.points).map((p) => [p!.key, p!.value])));
    return statusFromUl33(values, readings.reduce((f, r) => f | r.dataflag.raw, 0));
  }

  /** 41H: input/output phase voltages, output currents, battery voltage, output frequency. */
  readAnalog(): Promise<CommandReading> {
    return this.readCommand(Cid2.GetAnalogFloat);
  }

  /** 43H: supply mode, self-test, charge mode, on/off, breakers, generator. Clears DATAFLAG bit 4 on the unit. */
  readSwitches(): Promise<CommandReading> {
    return this.readCommand(Cid2.GetSwitchStatus);
  }

  /** 44H: synchronisation, mains, rectifier, inverter, bypass, battery voltage alarms. Clears DATAFLAG bit 0. */
  readAlarms(): Promise<CommandReading> {
    return this.readCommand(Cid2.GetAlarmStatus);
  }

  /** C0H: input line voltages, input currents, input frequency. */
  readInputAnalog(): Promise<CommandReading> {
    return this.readCommand(Cid2.GetInputAnalog);
  }

  /** C1H: bypass voltages, currents and frequency, battery temperature. */
  readBypassAnalog(): Promise<CommandReading> {
    return this.readCommand(Cid2.GetBypassAnalog);
  }

  /** C2H: output active power per phase, battery current, remaining backup time. */
  readOutputPower(): Promise<CommandReading> {
    return this.readCommand(Cid2.GetOutputPower);
  }

  /** C3H: output apparent power and load percentage per phase, ambient temperature. */
  readOutputLoad(): Promise<CommandReading> {
    return this.readCommand(Cid2.GetOutputLoad);
  }

  /** C4H: output crest factors. */
  readCrestFactors(): Promise<CommandReading> {
    return this.readCommand(Cid2.GetCrestFactors);
  }

  /** C7H: battery self-test result, mains frequency, transformer/thyristor/fan/contactor/fuse/overload alarms. */
  readVendorAlarms1(): Promise<CommandReading> {
    return this.readCommand(Cid2.GetVendorAlarms1);
  }

  /** C8H: bypass-transfer, current-sharing, bus, temperature and communication alarms. */
  readVendorAlarms2(): Promise<CommandReading> {
    return this.readCommand(Cid2.GetVendorAlarms2);
  }

  /** 4FH: the unit's protocol version (the reply's VER; the unit answers 4FH whatever VER we send). */
  async readProtocolVersion(): Promise<number> {
    return (await this.request(Cid2.GetProtocolVersion)).frame.ver;
  }

  /** 50H: the unit's address (the reply's ADR; the unit answers 50H whatever ADR we send). */
  async readAddress(): Promise<number> {
    return (await this.request(Cid2.GetAddress)).frame.adr;
  }

  /** 51H: device name, software version, vendor name. UpsReplyError if the record is not the 32-byte one. */
  async readVendorInfo(): Promise<VendorInfo> {
    const reply = await this.request(Cid2.GetVendorInfo);
    const info = parseVendorInfo(reply.frame.info);
    if (info === undefined) {
      const reason = `51H INFO is ${reply.frame.info.length} bytes, expected ${VENDOR_INFO_BYTES} (name 10, version 2, vendor 20)`;
      throw new UpsReplyError('unexpected-info', reason, reply.text, { command: Cid2.GetVendorInfo });
    }
    return info;
  }

  /** 45H with a COMMAND TYPE and parameter. RTN 06H: the unit does not know it; E1H: it cannot do it now. */
  async remoteControl(command: RemoteCommand): Promise<void> {
    await this.request(Cid2.RemoteControl, [requireByte('type', command.type), requireByte('parameter', command.parameter)]);
  }

  startBatteryTest(): Promise<void> {
    return this.remoteControl(RemoteControl.BatteryTestStart);
  }

  stopBatteryTest(): Promise<void> {
    return this.remoteControl(RemoteControl.BatteryTestStop);
  }

  loadOn(): Promise<void> {
    return this.remoteControl(RemoteControl.LoadOn);
  }

  loadOff(): Promise<void> {
    return this.remoteControl(RemoteControl.LoadOff);
  }

  /** All 98 points: the 10 data commands in map order (41H, C0H–C4H, 43H, 44H, C7H, C8H). The KEHUA dialect only. */
  async snapshot(): Promise<UpsSnapshot> {
    const commands: CommandReading[] = [];
    for (const cid2 of UL33_COMMANDS) commands.push(await this.readCommand(cid2));
    return buildSnapshot(commands);
  }

  #serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** The open line, opening a new one if there is none or the last one went away. */
  async #line(): Promise<FrameExchange> {
    if (this.#closed) throw new UpsConnectionError('CLOSED', `${this.target}: the client is closed`);
    if (this.#exchange && !this.#exchange.isClosed) return this.#exchange;
    const transport = await openTransport(this.#transport, this.#connectTimeoutMs);
    if (this.#closed) {
      await transport.close();
      throw new UpsConnectionError('CLOSED', `${this.target}: the client is closed`);
    }
    this.#exchange = new FrameExchange(transport, this.#onTrace);
    return this.#exchange;
  }

  async #withRetries(
    cid2: number,
    text: string,
    accept: (frame: Frame) => boolean,
    policy: Required<RequestOptions>,
  ): Promise<UpsReply> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#attempt(cid2, text, accept, attempt, policy.timeoutMs);
      } catch (error) {
        if (!isRetryable(error) || attempt > policy.retries) throw error;
        this.#onRetry?.(error as UpsError, attempt);
        await this.#sleep(backoffDelay(attempt, this.#backoffMs, this.#maxBackoffMs));
      }
    }
  }

  async #attempt(cid2: number, text: string, accept: (frame: Frame) => boolean, attempt: number, timeoutMs: number): Promise<UpsReply> {
    const details = { command: cid2, attempts: attempt };
    const exchange = await this.#line();
    const result = await exchange.exchange(text, accept, timeoutMs);
    if (!result.ok) throw failureError(result.failure, details);
    const { frame } = result;
    if (frame.cid1 !== CID1_UPS) {
      throw new UpsReplyError('unexpected-cid1', `CID1 ${hexByte(frame.cid1)}H is not a UPS (2AH)`, result.text, details);
    }
    if (frame.cid2 !== Rtn.Normal) throw new UpsRtnError(frame.cid2, result.text, details);
    return { frame, text: result.text };
  }
}
