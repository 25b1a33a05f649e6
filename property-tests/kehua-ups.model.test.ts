/**
 * Model-based test of the KEHUA UPS over the client: random sequences of grid outages and
 * restorations, clock advances (seconds to hours, manual clock), battery self-tests (45H) and polls,
 * checked against what the unit promises (kehua-ups-ydt1363.md §1.9, §3, §4.4; emulators/kehua-ups/model.ts):
 *
 * - battery energy never rises while on battery: over an advance with the grid down throughout, or
 *   within one running self-test, the state of charge does not rise and nothing is charged; the
 *   energy counters never fall;
 * - the mains alarms follow the grid: 44H synchronisation 00H/03H, mains voltage 00H/F0H, bypass
 *   00H/F0H and C7H mains frequency 00H/01H show the grid as the unit last saw it. The unit samples
 *   the world at whole one-second ticks, so after a grid change either state may show until the
 *   clock has moved (a 45H command may re-sample sooner); after an advance only the current one;
 * - on battery the unit supplies through the inverter from the battery (43H 01H / E1H, battery
 *   current ≤ 0) until the shutdown alarm (batteryVoltage 01H) and no output (E9H); with mains seen
 *   the battery feeds the inverter only during a self-test;
 * - DATAFLAG: only bits 0 and 4 are used; bit 0 is set when any 44H byte changed since the last 44H
 *   read (so the bytes differing from that read imply the bit), bit 4 likewise for 43H; reading 44H
 *   / 43H clears its bit (the reply itself and every later one carry it clear) and it stays clear
 *   while nothing that could change those bytes happens; a self-test starting or stopping is a 43H
 *   change;
 * - a self-test start is refused (RTN E1H) while the unit sees no mains and accepted while it does.
 *
 * A failure prints the seed and the command list; rerun with `fc.assert(..., { seed, path })`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataFlag, Rtn, UL33_COMMANDS, pointsForCommand } from '../contracts/kehua-ups/index.js';
import { testUps } from '../emulators/kehua-ups/test-support.js';
import { KehuaUpsClient, UpsRtnError, type CommandReading } from '../src/clients/kehua-ups/index.js';
import { EmulatorLine, REPLY_TIMEOUT_MS } from './support/kehua-line.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const ALARM_KEYS = pointsForCommand(0x44).map((p) => p.key);
const SWITCH_KEYS = pointsForCommand(0x43).map((p) => p.key);

/** The mains-dependent alarm bytes with mains present / absent (emulators/kehua-ups/points.ts, §3.2). */
const MAINS_PRESENT = { synchronisation: 0x00, mainsVoltageStatus: 0x00, bypassCondition: 0x00 };
const MAINS_ABSENT = { synchronisation: 0x03, mainsVoltageStatus: 0xf0, bypassCondition: 0xf0 };
const MAINS_FREQUENCY = { present: 0x00, absent: 0x01 };

const SUPPLY_INVERTER = 0x01;
const SUPPLY_NONE = 0xe9;
const FED_BY_BATTERY = 0xe1;
const SELF_TEST_RUNNING = 0xe0;
const BATTERY_BELOW_LIMIT = 0x01;

interface Model {
  /** The world's grid. */
  gridUp: boolean;
  /** Grid states the unit may currently show: the new one after a change, the old one until a tick passes. */
  views: Set<boolean>;
  /** Nothing that could change a 44H byte happened since the last 44H read. */
  alarmsQuiet: boolean;
  switchesQuiet: boolean;
  /** A 43H byte certainly changed since the last 43H read (a self-test started or stopped). */
  switchesChanged: boolean;
  /** The 44H / 43H bytes at the last read of each. */
  lastAlarms: string;
  lastSwitches: string;
}

interface Real {
  ups: ReturnType<typeof testUps>['ups'];
  world: ReturnType<typeof testUps>['world'];
  clock: ReturnType<typeof testUps>['clock'];
  client: KehuaUpsClient;
}

type Cmd = fc.AsyncCommand<Model, Real>;

interface Status {
  gridUp: boolean;
  mode: string;
  batterySocPct: number;
  dischargedWh: number;
  chargedWh: number;
  selfTest: { running: boolean; endsAt: string | null; result: string };
}

const status = (r: Real): Status => (r.ups.state() as { status: Status }).status;
const bytesOf = (values: Readonly<Record<string, number>>, keys: readonly string[]): string => keys.map((k) => values[k]).join(',');
const valuesOf = (reading: CommandReading): Record<string, number> =>
  Object.fromEntries(Object.entries(reading.points).map(([k, p]) => [k, p!.value]));

/** The grid state the mains alarms show, or a failure if they are not one consistent pattern. */
function mainsSeen(values: Readonly<Record<string, number>>): boolean {
  const alarms = { synchronisation: values.synchronisation, mainsVoltageStatus: values.mainsVoltageStatus, bypassCondition: values.bypassCondition };
  if (JSON.stringify(alarms) === JSON.stringify(MAINS_PRESENT)) return true;
  expect(alarms, 'mains alarms are one consistent pattern').toEqual(MAINS_ABSENT);
  return false;
}

function expectMainsFollowGrid(m: Model, values: Readonly<Record<string, number>>): boolean {
  const seen = mainsSeen(values);
  expect([...m.views], `alarms show mains ${seen ? 'present' : 'absent'}`).toContain(seen);
  if ('mainsFrequencyStatus' in values) {
    expect(values.mainsFrequencyStatus).toBe(seen ? MAINS_FREQUENCY.present : MAINS_FREQUENCY.absent);
  }
  return seen;
}

function onlyKnownBits(dataflag: number): void {
  expect(dataflag & ~(DataFlag.AlarmChanged | DataFlag.SwitchChanged)).toBe(0);
}

/** What must hold of the DATAFLAG a poll found pending (before its own 43H/44H reads cleared bits). */
function expectPendingFlags(m: Model, pending: number, alarms: string, switches: string | undefined): void {
  onlyKnownBits(pending);
  const alarmBit = (pending & DataFlag.AlarmChanged) !== 0;
  const switchBit = (pending & DataFlag.SwitchChanged) !== 0;
  if (m.alarmsQuiet) expect(alarmBit, 'bit 0 stays clear while nothing could change a 44H byte').toBe(false);
  if (alarms !== m.lastAlarms) expect(alarmBit, `bit 0 set: 44H bytes ${m.lastAlarms} → ${alarms}`).toBe(true);
  if (m.switchesQuiet) expect(switchBit, 'bit 4 stays clear while nothing could change a 43H byte').toBe(false);
  if (m.switchesChanged) expect(switchBit, 'bit 4 set after a self-test started or stopped').toBe(true);
  if (switches !== undefined && switches !== m.lastSwitches) {
    expect(switchBit, `bit 4 set: 43H bytes ${m.lastSwitches} → ${switches}`).toBe(true);
  }
}

class GridDown implements Cmd {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    r.world.setGridDown();
    if (m.gridUp) changeGrid(m, false);
  }
  toString = () => 'gridDown';
}

class GridUp implements Cmd {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    r.world.setGridUp();
    if (!m.gridUp) changeGrid(m, true);
  }
  toString = () => 'gridUp';
}

function changeGrid(m: Model, up: boolean): void {
  m.gridUp = up;
  m.views.add(up);
  m.alarmsQuiet = false;
  m.switchesQuiet = false;
}

class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const before = status(r);
    r.clock.advance(this.ms);
    const after = status(r);
    expect(after.dischargedWh).toBeGreaterThanOrEqual(before.dischargedWh);
    expect(after.chargedWh).toBeGreaterThanOrEqual(before.chargedWh);
    // The grid only changes through commands, so it was as the model says for the whole advance.
    const onBatteryThroughout =
      !m.gridUp || (before.selfTest.running && after.selfTest.running && before.selfTest.endsAt === after.selfTest.endsAt);
    if (onBatteryThroughout) {
      expect(after.batterySocPct, 'state of charge on battery').toBeLessThanOrEqual(before.batterySocPct);
      expect(after.chargedWh, 'charged energy on battery').toBe(before.chargedWh);
    }
    // Mains present and seen throughout: no 44H byte can change (no low-battery alarm, no shutdown).
    m.alarmsQuiet &&= m.gridUp && m.views.size === 1;
    m.switchesQuiet = false;
    m.views = new Set([m.gridUp]);
  }
  toString = () => `advance(${this.ms / SECOND} s)`;
}

class StartSelfTest implements Cmd {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const wasRunning = status(r).selfTest.running;
    const refused = await r.client.startBatteryTest().then(
      () => false,
      (error: unknown) => {
        expect(error).toBeInstanceOf(UpsRtnError);
        expect((error as UpsRtnError).rtn).toBe(Rtn.OperationFailed);
        return true;
      },
    );
    if (!m.views.has(true)) expect(refused, 'a self-test needs mains').toBe(true);
    if (!m.views.has(false)) expect(refused, 'a self-test on mains is accepted').toBe(false);
    const after = status(r);
    // Accepted: it runs, or it failed at once on a battery too weak to carry the load.
    if (!refused && m.views.size === 1) expect(after.selfTest.running || after.selfTest.result === 'failed').toBe(true);
    if (!wasRunning && after.selfTest.running) m.switchesChanged = true;
    afterCommand(m);
  }
  toString = () => 'startBatteryTest';
}

class StopSelfTest implements Cmd {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const wasRunning = status(r).selfTest.running;
    await r.client.stopBatteryTest();
    expect(status(r).selfTest.running).toBe(false);
    if (wasRunning) m.switchesChanged = true;
    afterCommand(m);
  }
  toString = () => 'stopBatteryTest';
}

/** A 45H command re-evaluates the current tick: a grid change not yet seen may show now. */
function afterCommand(m: Model): void {
  m.switchesQuiet = false;
  if (m.views.size > 1) m.alarmsQuiet = false;
}

class Snapshot implements Cmd {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const snapshot = await r.client.snapshot();
    const values = snapshot.values as Readonly<Record<string, number>>;
    expect(snapshot.commands.map((c) => c.cid2)).toEqual(UL33_COMMANDS);

    // No time passes within a poll: the flags before 43H are the pending ones; 43H clears bit 4, 44H bit 0.
    const flags = snapshot.commands.map((c) => c.dataflag.raw);
    const pending = flags[0]!;
    const at43 = UL33_COMMANDS.indexOf(0x43);
    const at44 = UL33_COMMANDS.indexOf(0x44);
    flags.forEach((flag, i) => {
      const expected = i < at43 ? pending : i < at44 ? pending & ~DataFlag.SwitchChanged : 0;
      expect(flag, `DATAFLAG of ${UL33_COMMANDS[i]!.toString(16)}H`).toBe(expected);
    });
    const alarms = bytesOf(values, ALARM_KEYS);
    const switches = bytesOf(values, SWITCH_KEYS);
    expectPendingFlags(m, pending, alarms, switches);

    const mains = expectMainsFollowGrid(m, values);
    if (!mains) {
      if (values.batteryVoltageStatus === BATTERY_BELOW_LIMIT) {
        expect(values.powerSupplyMode, 'shut down at the end of discharge').toBe(SUPPLY_NONE);
      } else {
        expect(values.powerSupplyMode, 'on battery through the inverter').toBe(SUPPLY_INVERTER);
        expect(values.suppliedByUps, 'the battery feeds the inverter').toBe(FED_BY_BATTERY);
        expect(values.batteryCurrent, 'the battery discharges').toBeLessThanOrEqual(0);
      }
    } else {
      expect(values.suppliedByUps === FED_BY_BATTERY, 'on mains the battery feeds the inverter only in a self-test').toBe(
        values.batterySelfTestInProgress === SELF_TEST_RUNNING,
      );
    }

    m.alarmsQuiet = true;
    m.switchesQuiet = true;
    m.switchesChanged = false;
    m.lastAlarms = alarms;
    m.lastSwitches = switches;
  }
  toString = () => 'snapshot';
}

/** A NUT-style poll: 41H, whose DATAFLAG says whether the alarms changed, then 44H. */
class PollAlarms implements Cmd {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const analog = await r.client.readAnalog();
    const alarmReading = await r.client.readAlarms();
    const values = valuesOf(alarmReading);
    const alarms = bytesOf(values, ALARM_KEYS);
    const pending = analog.dataflag.raw;
    expectPendingFlags(m, pending, alarms, undefined);
    expect(alarmReading.dataflag.raw, '44H clears bit 0 in its own reply').toBe(pending & ~DataFlag.AlarmChanged);
    expectMainsFollowGrid(m, values);
    m.alarmsQuiet = true;
    m.lastAlarms = alarms;
  }
  toString = () => 'pollAlarms';
}

const advance = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 30 }).map((s) => s * SECOND) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 59 }).map((n) => n * MINUTE) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }).map((h) => h * HOUR) },
);

// fc.commands picks among its arbitraries uniformly: listing one twice doubles its share. Outages,
// advances and polls come often enough that outages are observed and run the battery down.
const COMMAND_ARBITRARIES: fc.Arbitrary<Cmd>[] = [
  fc.constant(new GridDown()),
  fc.constant(new GridDown()),
  fc.constant(new GridUp()),
  advance.map((ms) => new Advance(ms)),
  advance.map((ms) => new Advance(ms)),
  advance.map((ms) => new Advance(ms)),
  fc.constant(new StartSelfTest()),
  fc.constant(new StopSelfTest()),
  fc.constant(new Snapshot()),
  fc.constant(new Snapshot()),
  fc.constant(new PollAlarms()),
];
const commands = fc.commands(COMMAND_ARBITRARIES, { maxCommands: 30, size: 'medium' });

/** The documented story, run before the random ones: an outage to shutdown, mains back, a self-test. */
const STORY: Cmd[] = [
  new Snapshot(),
  new GridDown(),
  new PollAlarms(),
  new Advance(SECOND),
  new Snapshot(),
  new Advance(2 * HOUR),
  new Snapshot(),
  new StartSelfTest(),
  new GridUp(),
  new Advance(MINUTE),
  new Snapshot(),
  new StartSelfTest(),
  new Snapshot(),
  new Advance(5 * SECOND),
  new PollAlarms(),
  new StopSelfTest(),
  new Snapshot(),
];

describe('KEHUA UPS model: outages, restorations, advances, self-tests and polls', () => {
  it('keeps battery energy, alarms and DATAFLAG as the unit promises', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), commands, async (seed, cmds) => {
        // A small battery (30 × 12 V × 2 Ah): an outage of an hour reaches the low-battery alarm and shutdown.
        const { ups, world, clock } = testUps({ seed, settings: { batteryAh: 2 } });
        const client = new KehuaUpsClient({ transport: new EmulatorLine(ups), retries: 0, timeoutMs: REPLY_TIMEOUT_MS });
        const initial = ups.points();
        const setup = () => ({
          model: {
            gridUp: true,
            views: new Set([true]),
            alarmsQuiet: true,
            switchesQuiet: true,
            switchesChanged: false,
            lastAlarms: bytesOf(initial, ALARM_KEYS),
            lastSwitches: bytesOf(initial, SWITCH_KEYS),
          },
          real: { ups, world, clock, client },
        });
        try {
          await fc.asyncModelRun(setup, cmds);
        } finally {
          await client.close();
        }
      }),
      { numRuns: 30, examples: [[1, STORY]] },
    );
  });
});
