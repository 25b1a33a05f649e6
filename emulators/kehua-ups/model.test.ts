import { describe, expect, it } from 'vitest';
import { Rtn } from '../../contracts/kehua-ups/index.js';
import { ask, request, testUps } from './test-support.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const phases = ['A', 'B', 'C'] as const;

describe('on mains', () => {
  it('runs rectifier and inverter, floats the battery at 2.275 V per cell and reports healthy alarms', () => {
    const { ups } = testUps();
    const p = ups.points();
    expect(p.powerSupplyMode).toBe(0x01);
    expect(p.suppliedByUps).toBe(0xe0);
    expect(p.chargeMode).toBe(0xe0);
    expect(p.onOff).toBe(0xe1);
    expect(p.batteryVoltage).toBeCloseTo(30 * 6 * 2.275, 3);
    expect(p.batteryCurrent).toBeGreaterThan(0);
    expect([p.synchronisation, p.mainsVoltageStatus, p.rectifierStatus, p.inverterStatus, p.bypassCondition, p.batteryVoltageStatus]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(p.batterySelfTestResult).toBe(0xe1);
  });

  it('keeps voltages, currents, powers, load %, crest factors and frequencies consistent with each other', () => {
    const { ups, clock } = testUps();
    for (let i = 0; i < 6; i++) {
      clock.advance(37 * MINUTE);
      const p = ups.points();
      const status = (ups.state() as { status: { loadW: number } }).status;
      let totalKw = 0;
      let inputW = 0;
      for (const ph of phases) {
        const v = p[`acOutputPhaseVoltage${ph}`];
        const a = p[`acOutputCurrent${ph}`];
        const kw = p[`outputActivePower${ph}`];
        const kva = p[`outputApparentPower${ph}`];
        expect(Math.abs(v - 220)).toBeLessThan(1);
        expect((v * a) / 1000).toBeCloseTo(kva, 4);
        expect(kw).toBeLessThanOrEqual(kva);
        expect(kw / kva).toBeGreaterThan(0.85);
        expect(p[`outputLoadPercent${ph}`]).toBeCloseTo((kva / (10 / 3)) * 100, 3);
        expect(p[`outputCrestFactor${ph}`]).toBeGreaterThan(Math.SQRT2);
        expect(p[`outputCrestFactor${ph}`]).toBeLessThan(3);
        expect(p[`bypassVoltage${ph}`]).toBe(p[`acInputPhaseVoltage${ph}`]);
        expect(p[`bypassCurrent${ph}`]).toBe(0);
        expect(Math.abs(p[`acInputPhaseVoltage${ph}`] - 220)).toBeLessThan(5);
        totalKw += kw;
        inputW += p[`acInputPhaseVoltage${ph}`] * p[`inputCurrent${ph}`] * 0.99;
      }
      expect(totalKw * 1000).toBeCloseTo(status.loadW, 0);
      // The rectifier takes the load plus conversion losses plus the charger's share.
      expect(inputW).toBeGreaterThan(totalKw * 1000);
      expect(p.acInputLineVoltageAB / p.acInputPhaseVoltageA).toBeCloseTo(Math.sqrt(3), 1);
      expect(Math.abs(p.inputFrequency - 50)).toBeLessThan(0.1);
      expect(p.outputFrequency).toBe(p.inputFrequency);
      expect(p.bypassFrequency).toBe(p.inputFrequency);
      expect(p.batteryTemperature).toBeGreaterThan(p.ambientTemperature);
      expect(p.ambientTemperature).toBeGreaterThan(15);
      expect(p.ambientTemperature).toBeLessThan(35);
    }
  });

  it('carries the world household load (times loadShare)', () => {
    const { ups, world, clock } = testUps({ world: { householdKwhPerDay: 10 } });
    const light = ups.points().outputLoadPercentA;
    world.configure({ householdKwhPerDay: 40 });
    // The unit measures once per second: the change shows from the next tick.
    clock.advance(1000);
    expect(ups.points().outputLoadPercentA).toBeGreaterThan(light * 3);
    ups.patchState({ loadShare: 0 });
    expect(ups.points().outputActivePowerA).toBe(0);
  });

  it('estimates a shorter backup time for a heavier load', () => {
    const { ups } = testUps();
    ups.patchState({ loadW: 1000 });
    const light = ups.points().batteryBackupTimeRemaining;
    ups.patchState({ loadW: 4000 });
    const heavy = ups.points().batteryBackupTimeRemaining;
    expect(heavy).toBeLessThan(light / 3);
    expect(heavy).toBeGreaterThan(10);
  });

  it('raises the overload alarm above 100 % on any phase', () => {
    const { ups } = testUps();
    ups.patchState({ loadW: 5000 });
    expect(ups.points().unitOutputOverload).toBe(0x00);
    ups.patchState({ loadW: 11_000 });
    expect(ups.points().outputLoadPercentA).toBeGreaterThan(100);
    expect(ups.points().unitOutputOverload).toBe(0xf0);
  });
});

describe('a grid outage', () => {
  it('goes on battery, discharges with falling voltage, raises low battery, shuts down; restores through bypass, boosts, floats', () => {
    const { ups, world, clock } = testUps();
    ups.patchState({ batterySocPct: 15, loadW: 3000 });
    clock.advance(HOUR);
    world.setGridDown();
    clock.advance(1000);
    let p = ups.points();
    expect(p.powerSupplyMode).toBe(0x01);
    expect(p.suppliedByUps).toBe(0xe1);
    expect(p.chargeMode).toBe(0xe2);
    expect([p.synchronisation, p.mainsVoltageStatus, p.bypassCondition, p.mainsFrequencyStatus]).toEqual([0x03, 0xf0, 0xf0, 0x01]);
    expect([p.acInputPhaseVoltageA, p.inputCurrentA, p.inputFrequency, p.bypassVoltageA]).toEqual([0, 0, 0, 0]);
    expect(p.outputFrequency).toBe(50);
    expect(p.acOutputPhaseVoltageA).toBeGreaterThan(219);

    const voltageStatuses: number[] = [];
    let last = p;
    for (let minute = 0; minute < 30 && last.batteryVoltageStatus !== 0x01; minute++) {
      clock.advance(MINUTE);
      p = ups.points();
      if (p.batteryVoltageStatus !== 0x01) {
        expect(p.batteryVoltage).toBeLessThan(last.batteryVoltage);
        expect(p.batteryCurrent).toBeLessThanOrEqual(last.batteryCurrent);
        expect(p.batteryCurrent).toBeLessThan(0);
        expect(p.batteryBackupTimeRemaining).toBeLessThan(last.batteryBackupTimeRemaining);
      }
      if (voltageStatuses.at(-1) !== p.batteryVoltageStatus) voltageStatuses.push(p.batteryVoltageStatus);
      last = p;
    }
    expect(voltageStatuses).toEqual([0x00, 0xe1, 0x01]);
    expect(p.powerSupplyMode).toBe(0xe9);
    expect(p.onOff).toBe(0xe0);
    expect([p.acOutputPhaseVoltageA, p.acOutputCurrentA, p.outputActivePowerA, p.batteryBackupTimeRemaining, p.batteryCurrent]).toEqual([0, 0, 0, 0, 0]);
    const exhausted = ups.state() as { status: { batterySocPct: number } };
    clock.advance(HOUR);
    expect((ups.state() as { status: { batterySocPct: number } }).status.batterySocPct).toBe(exhausted.status.batterySocPct);
    expect(ups.points().powerSupplyMode).toBe(0xe9);

    world.setGridUp();
    clock.advance(1000);
    p = ups.points();
    expect(p.powerSupplyMode).toBe(0x02);
    expect(p.bypassCurrentA).toBe(p.acOutputCurrentA);
    expect(p.bypassCurrentA).toBeGreaterThan(0);
    expect(p.chargeMode).toBe(0xe1);
    expect(p.batteryCurrent).toBeCloseTo(2, 5);
    expect([p.mainsVoltageStatus, p.batteryVoltageStatus]).toEqual([0, 0]);
    clock.advance(10_000);
    expect(ups.points().powerSupplyMode).toBe(0x01);

    let stage = ups.points().chargeMode;
    let hours = 0;
    for (; stage === 0xe1 && hours < 12; hours++) {
      clock.advance(HOUR);
      stage = ups.points().chargeMode;
    }
    expect(stage).toBe(0xe0);
    expect(hours).toBeGreaterThan(2);
    expect(ups.points().batteryVoltage).toBeCloseTo(409.5, 3);
  });

  it('integrates the same whether polled every 10 s or once at the end', () => {
    const run = (pollMs: number | null) => {
      const { ups, world, clock } = testUps({ seed: 9 });
      ups.patchState({ batterySocPct: 60 });
      world.setGridDown(40 * MINUTE);
      const total = 2 * HOUR;
      if (pollMs === null) clock.advance(total);
      else for (let t = 0; t < total; t += pollMs) {
        clock.advance(pollMs);
        ups.points();
      }
      return ups.points();
    };
    expect(run(10_000)).toEqual(run(null));
  });

  it('never raises the battery energy while on battery', () => {
    const { ups, world, clock } = testUps();
    world.setGridDown();
    let soc = 101;
    for (let i = 0; i < 40; i++) {
      clock.advance(7 * MINUTE);
      const now = (ups.state() as { status: { batterySocPct: number; mode: string } }).status;
      expect(now.batterySocPct).toBeLessThanOrEqual(soc);
      soc = now.batterySocPct;
    }
  });

  it('is seen after a month-long jump', () => {
    const { ups, world, clock } = testUps();
    clock.advance(30 * 24 * HOUR);
    world.setGridDown();
    clock.advance(12 * HOUR);
    expect(ups.points().batteryVoltageStatus).toBe(0x01);
  });
});

describe('45H remote control', () => {
  it('battery self-test: the battery feeds the inverter with mains present, then the result is "passed"', () => {
    const { ups, clock } = testUps();
    expect(ask(ups, request(0x45, [0x10, 0x02])).cid2).toBe(Rtn.Normal);
    let p = ups.points();
    expect(p.batterySelfTestInProgress).toBe(0xe0);
    expect(p.batterySelfTestResult).toBe(0xe0);
    expect(p.suppliedByUps).toBe(0xe1);
    expect(p.batteryCurrent).toBeLessThan(0);
    expect(p.mainsVoltageStatus).toBe(0);
    expect(p.acInputPhaseVoltageA).toBeGreaterThan(200);
    clock.advance(10_000);
    p = ups.points();
    expect(p.batterySelfTestInProgress).toBe(0xe1);
    expect(p.batterySelfTestResult).toBe(0x00);
    expect(p.suppliedByUps).toBe(0xe0);
  });

  it('battery self-test fails on a weak battery and can be stopped (no result)', () => {
    const { ups, clock } = testUps();
    ups.patchState({ batterySocPct: 4, loadW: 2000 });
    ask(ups, request(0x45, [0x10, 0x02]));
    clock.advance(1000);
    expect(ups.points().batterySelfTestResult).toBe(0x01);
    ups.patchState({ batterySocPct: 100 });
    ask(ups, request(0x45, [0x10, 0x02]));
    clock.advance(3000);
    expect(ask(ups, request(0x45, [0x10, 0x03])).cid2).toBe(Rtn.Normal);
    expect(ups.points().batterySelfTestInProgress).toBe(0xe1);
    expect(ups.points().batterySelfTestResult).toBe(0xe1);
  });

  it('refuses a self-test without mains (RTN E1H)', () => {
    const { ups, world, clock } = testUps();
    world.setGridDown();
    clock.advance(1000);
    expect(ask(ups, request(0x45, [0x10, 0x02])).cid2).toBe(Rtn.OperationFailed);
  });

  it('load off cuts the output (no output, off); load on brings it back on the inverter', () => {
    const { ups } = testUps();
    expect(ask(ups, request(0x45, [0x20, 0x03])).cid2).toBe(Rtn.Normal);
    let p = ups.points();
    expect([p.powerSupplyMode, p.onOff, p.suppliedByUps]).toEqual([0xe9, 0xe0, 0xe3]);
    expect([p.acOutputPhaseVoltageA, p.outputActivePowerA, p.outputLoadPercentB, p.outputFrequency]).toEqual([0, 0, 0, 0]);
    expect(p.chargeMode).toBe(0xe0);
    expect(ask(ups, request(0x45, [0x20, 0x01])).cid2).toBe(Rtn.Normal);
    p = ups.points();
    expect([p.powerSupplyMode, p.onOff]).toEqual([0x01, 0xe1]);
    expect(p.outputActivePowerA).toBeGreaterThan(0);
  });

  it('refuses load on while the battery is exhausted and mains is away', () => {
    const { ups, world, clock } = testUps();
    ups.patchState({ batterySocPct: 5, loadW: 5000 });
    world.setGridDown();
    clock.advance(10 * MINUTE);
    expect(ups.points().powerSupplyMode).toBe(0xe9);
    expect(ask(ups, request(0x45, [0x20, 0x01])).cid2).toBe(Rtn.OperationFailed);
  });
});

describe('determinism', () => {
  it('gives identical points for the same seed and different noise for another seed', () => {
    const a = testUps({ seed: 4 });
    const b = testUps({ seed: 4 });
    const c = testUps({ seed: 5 });
    for (const x of [a, b, c]) x.clock.advance(3 * HOUR + 17_000);
    expect(a.ups.points()).toEqual(b.ups.points());
    expect(a.ups.points().acInputPhaseVoltageA).not.toBe(c.ups.points().acInputPhaseVoltageA);
  });
});
