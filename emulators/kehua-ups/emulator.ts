// The KEHUA UPS: physics (model.ts) + the YD/T 1363.3 slave (slave.ts) + control, no transport.
// Transports open a link (`connect`) and move bytes; `server.ts` wires TCP, the mock serial port
// and the HTTP control API.

import type { ProfileSwitch, SiteReadings } from '../core/readings.js';
import { UL33_POINTS, DataFlag, LAYOUT_PROFILES, Rtn, Ul33PinsSchema, UPS_DIALECTS } from '../../contracts/kehua-ups/index.js';
import type { Ul33PointKey } from '../../contracts/kehua-ups/index.js';
import type { DeviceEmulator } from '../core/emulator.js';
import { ControlInputError } from '../core/errors.js';
import { FaultInjector, SERIAL_FAULT_KINDS } from '../core/faults.js';
import { RequestLog } from '../core/request-log.js';
import { Rng } from '../core/rng.js';
import { defineStatePatch, normalizeStatePatch, type StatePatchShape } from '../core/state-patch.js';
import type { World } from '../core/world/world.js';
import { UpsLink, type LinkOptions } from './link.js';
import { UpsModel, type UpsFlow } from './model.js';
import { gxeValues } from './gxe-points.js';
import { ALARM_KEYS, SWITCH_KEYS, pointValues, switchAndAlarmBytes, unmappedSlots, type PointValues } from './points.js';
import { DEFAULT_UPS_SETTINGS, UpsSettingsSchema, validateSettings, type UpsSettings } from './settings.js';
import { Type } from '@sinclair/typebox';
import { BatteryTestParam, LoadParam, RemoteCommand, type DataRead, type SlaveDevice } from './slave.js';

export interface UpsOptions {
  world: World;
  settings?: Partial<UpsSettings>;
  /** Seed of the measurement noise and fault decisions; defaults to the world's seed. */
  seed?: number;
}

/**
 * `PATCH /__emu/state` in its canonical form. The old forms stay accepted: settings at the top level,
 * `batterySocPct` for `soc`.
 */
export interface UpsStatePatch {
  settings?: Partial<UpsSettings>;
  /** Pin points to values (as sent on the wire) or release them with null. */
  points?: Partial<Record<Ul33PointKey, number | null>>;
  /** Battery state of charge, %. */
  soc?: number;
  /** A fixed load on the output in W, or null to follow the world's household load × loadShare. */
  loadW?: number | null;
  /** The same effects as the 45H commands. */
  selfTest?: 'start' | 'stop';
  output?: 'on' | 'off';
}

export const UPS_STATE_PATCH: StatePatchShape = defineStatePatch({
  name: 'UPS',
  settings: UpsSettingsSchema,
  actions: {
    soc: Type.Number({ minimum: 0, maximum: 100, description: 'battery state of charge' }),
    points: Ul33PinsSchema,
    loadW: Type.Union([Type.Number({ minimum: 0, maximum: 1e7 }), Type.Null()], { description: 'a fixed load in W, or null to follow the household' }),
    selfTest: Type.Union([Type.Literal('start'), Type.Literal('stop')]),
    output: Type.Union([Type.Literal('on'), Type.Literal('off')]),
  },
  aliases: { batterySocPct: 'soc' },
  unsupported: {
    reboot: 'the UPS has no reboot command; switch its output with {"output": "off"} and {"output": "on"}',
    firmware: 'the UPS has no firmware to choose; its command set is the setting dialect ({"settings": {"dialect": "gxe"}}) and its 51H software version the setting softwareVersion',
  },
});
const POINT_TYPES = new Map(UL33_POINTS.map((p) => [p.key as string, p.type]));

export class UpsEmulator implements DeviceEmulator, SlaveDevice {
  readonly device = 'ups';
  readonly world: World;
  readonly faults: FaultInjector;
  readonly requests = new RequestLog();
  readonly statePatch = UPS_STATE_PATCH;
  private readonly initialSettings: UpsSettings;
  private readonly seed: number;
  private currentSettings: UpsSettings;
  model!: UpsModel;
  private overrides: Partial<Record<Ul33PointKey, number>> = {};
  private flags = 0;
  private switchSignature = '';
  private alarmSignature = '';
  private readonly links = new Set<UpsLink>();

  constructor(options: UpsOptions) {
    this.world = options.world;
    this.seed = options.seed ?? this.world.config.seed;
    this.initialSettings = validateSettings({ ...DEFAULT_UPS_SETTINGS, ...options.settings });
    this.currentSettings = { ...this.initialSettings };
    this.faults = new FaultInjector(SERIAL_FAULT_KINDS, new Rng(this.seed, 'ups.faults'), () => this.world.clock.now());
    this.build();
    this.world.onBeforeChange(() => this.sync());
    this.world.onAfterChange(() => this.model.refresh());
    this.world.onReset(() => this.reset());
  }

  get settings(): Readonly<UpsSettings> {
    return this.currentSettings;
  }

  /** DATAFLAG as the next data reply would carry it (before that reply's own read clears a bit). */
  get dataflag(): number {
    this.sync();
    return this.flags;
  }

  private build(): void {
    this.currentSettings = { ...this.initialSettings };
    this.overrides = {};
    this.flags = 0;
    this.model = new UpsModel(this.world, new Rng(this.seed, 'ups.model'), () => this.currentSettings, this.world.clock.now());
    [this.switchSignature, this.alarmSignature] = this.signatures(this.model.flow);
    this.model.onTick = (flow) => this.watchFlags(flow);
  }

  /** Brings the model up to the current virtual time. */
  sync(): number {
    const now = this.world.clock.now();
    this.model.advanceTo(now);
    return now;
  }

  // ---- serial side --------------------------------------------------------------------------

  /** Opens a line into the unit; `write` receives the reply bytes. */
  connect(write: (chunk: Buffer) => void, options: LinkOptions): UpsLink {
    const link = new UpsLink(this, write, options);
    this.links.add(link);
    return link;
  }

  /** Called by a link when it closes. */
  detach(link: UpsLink): void {
    this.links.delete(link);
  }

  get openLinks(): number {
    return this.links.size;
  }

  /** SlaveDevice: the values of a data command now; 43H/44H mark their changes as read. */
  read(cid2: number): DataRead {
    this.sync();
    if (cid2 === 0x43) this.flags &= ~DataFlag.SwitchChanged;
    if (cid2 === 0x44) this.flags &= ~DataFlag.AlarmChanged;
    const reading = this.model.reading();
    return { values: this.effectivePoints(), dataflag: this.flags, slots: unmappedSlots(cid2, reading) };
  }

  /** SlaveDevice: a GXE-dialect data command (42H, 43H, 44H, 47H), from the same points; 43H/44H mark their changes as read. */
  readGxe(cid2: number): { values: Record<string, number>; dataflag: number } {
    this.sync();
    if (cid2 === 0x43) this.flags &= ~DataFlag.SwitchChanged;
    if (cid2 === 0x44) this.flags &= ~DataFlag.AlarmChanged;
    return { values: gxeValues(cid2, this.effectivePoints(), this.currentSettings), dataflag: this.flags };
  }

  /** SlaveDevice: 45H. Unknown command types are invalid data; a command the unit cannot do now fails. */
  remoteControl(commandType: number, parameter: number): number {
    const now = this.sync();
    let result: 'ok' | 'refused';
    if (commandType === RemoteCommand.BatteryTest && parameter === BatteryTestParam.Start) result = this.model.startSelfTest(now);
    else if (commandType === RemoteCommand.BatteryTest && parameter === BatteryTestParam.Stop) result = this.model.stopSelfTest();
    else if (commandType === RemoteCommand.Load && parameter === LoadParam.On) result = this.model.setOutput(true);
    else if (commandType === RemoteCommand.Load && parameter === LoadParam.Off) result = this.model.setOutput(false);
    else return Rtn.InvalidData;
    return result === 'ok' ? Rtn.Normal : Rtn.OperationFailed;
  }

  /** Points pinned through the control API. */
  get pinnedPoints(): Readonly<Partial<Record<Ul33PointKey, number>>> {
    return { ...this.overrides };
  }

  /** All 98 points as the unit would send them now, overrides included. */
  points(): PointValues {
    this.sync();
    return this.effectivePoints();
  }

  private effectivePoints(): PointValues {
    return { ...pointValues(this.model.reading()), ...this.overrides };
  }

  // ---- DATAFLAG -----------------------------------------------------------------------------

  private signatures(flow: UpsFlow): [string, string] {
    const bytes = switchAndAlarmBytes(flow) as Partial<PointValues>;
    const code = (key: Ul33PointKey): number | undefined => this.overrides[key] ?? bytes[key];
    return [SWITCH_KEYS.map(code).join(','), ALARM_KEYS.map(code).join(',')];
  }

  /** Sets bit 4 / bit 0 when the 43H / 44H bytes a master would read have changed. */
  private watchFlags(flow: UpsFlow): void {
    const [switches, alarms] = this.signatures(flow);
    if (switches !== this.switchSignature) this.flags |= DataFlag.SwitchChanged;
    if (alarms !== this.alarmSignature) this.flags |= DataFlag.AlarmChanged;
    this.switchSignature = switches;
    this.alarmSignature = alarms;
  }

  // ---- control ------------------------------------------------------------------------------

  /**
   * The unit's supply now: mains present, on battery (an outage or a self-test), battery voltage,
   * estimated backup time and the load it carries; the battery's charge and power (V × A, charging
   * > 0). A UPS feeds its own load, so it has no PV or grid flow of a house.
   */
  readings(): SiteReadings {
    this.sync();
    const flow = this.model.flow;
    const backupMin = this.model.reading().backupMin;
    return {
      socPct: flow.socPct,
      batteryW: flow.batteryV * flow.batteryA,
      ups: { mainsOk: flow.gridUp, onBattery: flow.mode === 'battery', batteryV: flow.batteryV, backupMin, loadW: flow.loadW },
    };
  }

  /** The vendor's command set (KEHUA's UL33 map or the Emerson/Liebert GXE's), then the KEHUA map's INFO layout. */
  profileSwitches(): ProfileSwitch[] {
    return [
      { key: 'dialect', via: 'setting', value: this.currentSettings.dialect, choices: [...UPS_DIALECTS] },
      { key: 'profile', via: 'setting', value: this.currentSettings.profile, choices: [...LAYOUT_PROFILES] },
    ];
  }

  state(): unknown {
    const now = this.sync();
    const flow = this.model.flow;
    const reading = this.model.reading();
    const selfTestEnds = this.model.selfTestEndsAt;
    return {
      device: this.device,
      time: new Date(now).toISOString(),
      settings: { ...this.currentSettings },
      status: {
        sampledAt: new Date(flow.tick).toISOString(),
        gridUp: flow.gridUp,
        mode: flow.mode,
        output: this.model.outputCommand,
        shutdown: this.model.shutdown,
        chargeStage: flow.stage,
        batteryAlarm: flow.batteryAlarm,
        selfTest: { running: flow.selfTest, endsAt: selfTestEnds === null ? null : new Date(selfTestEnds).toISOString(), result: flow.selfTestResult },
        batterySocPct: round(flow.socPct, 3),
        batteryVoltage: round(flow.batteryV, 2),
        batteryCurrent: round(flow.batteryA, 3),
        backupTimeMin: round(reading.backupMin, 1),
        loadW: round(flow.loadW, 1),
        fixedLoadW: this.model.fixedLoadW,
        ...this.model.totals,
      },
      dataflag: this.flags,
      points: this.effectivePoints(),
      overrides: { ...this.overrides },
      links: this.links.size,
    };
  }

  /**
   * `settings` (see UpsSettings), `points` ({key: value | null}), `soc` (old name `batterySocPct`),
   * `loadW` (W or null), `selfTest` ('start' | 'stop') and `output` ('on' | 'off'). See UpsStatePatch.
   */
  patchState(input: unknown): unknown {
    // Types and ranges come checked (the schema); what depends on the unit's state is checked below, all before any change.
    const patch = normalizeStatePatch(UPS_STATE_PATCH, input) as UpsPatch;
    const nextSettings = { ...this.currentSettings, ...patch.settings };
    const points = patch.points === undefined ? undefined : storedPoints(patch.points);
    const { soc, loadW } = patch;

    const now = this.sync();
    if (patch.output === 'on' && this.model.shutdown) throw new ControlInputError('the output cannot be switched on while the battery is exhausted and mains is absent');
    const outputAfter = patch.output ?? this.model.outputCommand;
    if (patch.selfTest === 'start' && this.model.selfTestEndsAt === null && (!this.model.flow.gridUp || outputAfter === 'off' || this.model.shutdown)) {
      throw new ControlInputError('a self-test needs mains present and the output on');
    }

    this.currentSettings = nextSettings;
    if (soc !== undefined) this.model.setSocPct(soc);
    if (loadW !== undefined) this.model.setFixedLoadW(loadW);
    if (patch.output !== undefined) this.model.setOutput(patch.output === 'on');
    if (patch.selfTest === 'start') this.model.startSelfTest(now);
    if (patch.selfTest === 'stop') this.model.stopSelfTest();
    if (points) {
      for (const [key, value] of Object.entries(points) as [Ul33PointKey, number | null][]) {
        if (value === null) delete this.overrides[key];
        else this.overrides[key] = value;
      }
    }
    this.model.refresh();
    return this.state();
  }

  reset(): void {
    this.build();
    this.faults.clear();
    this.requests.clear();
  }
}

/** Checks a {key: value | null} point patch against the map's types. */
/** FLOAT points travel as single precision: store what the wire will carry. */
function storedPoints(points: Partial<Record<Ul33PointKey, number | null>>): Partial<Record<Ul33PointKey, number | null>> {
  return Object.fromEntries(Object.entries(points).map(([k, v]) => [k, v === null || v === undefined ? null : POINT_TYPES.get(k) === 'FLOAT' ? Math.fround(v) : v]));
}

/** The canonical patch, as the schema has checked it. */
type UpsPatch = { settings: Partial<UpsSettings> } & Partial<{
  soc: number;
  points: Partial<Record<Ul33PointKey, number | null>>;
  loadW: number | null;
  selfTest: 'start' | 'stop';
  output: 'on' | 'off';
}>;

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
