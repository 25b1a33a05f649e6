/**
 * Model-based test of the clients through the emulator over real sockets (HTTPS, and plain HTTP for the firmware
 * probe on the same port): any sequence of logins, clock moves (sessions expire after 5 virtual minutes), reboots,
 * firmware updates (legacy ↔ varserver, varserver ↔ varserver) and queries. The era-picking client and its
 * varserver client are made once per run and never helped: while the supervisor is down they fail with a typed
 * 503, on the wrong era with a typed era error, and afterwards they always recover by themselves, with exactly the
 * logins the sessions call for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PVS_FIRMWARE_PROFILES, SESSION_TIMEOUT_MS, type PvsApiEra, type PvsFirmwareId } from '../contracts/sunpower-pvs/index.js';
import { PvsAutoClient, PvsUnavailableError, PvsWrongEraError, devicesOfKind } from '../src/clients/sunpower-pvs/index.js';
import type { ControlClient } from '../src/testing/control-client.js';
import { startVoltbench } from '../src/testing/index.js';

const START = Date.parse('2026-06-21T18:00:00Z');
const PANELS = 6;

interface Model {
  now: number;
  era: PvsApiEra;
  /** Virtual time the supervisor is back (a reboot's end). */
  upAt: number;
  /** Last use of the client's session on the device; null when it has none the device knows. */
  sessionUse: number | null;
  logins: number;
}

interface Real {
  control: ControlClient;
  auto: PvsAutoClient;
}

const up = (m: Model) => m.now >= m.upAt;
const eraOf = (id: PvsFirmwareId): PvsApiEra => PVS_FIRMWARE_PROFILES[id].era;

/** A varserver query as the device sees it: a login first unless the session is alive; it is used now. */
function useSession(m: Model): void {
  if (m.sessionUse === null || m.now - m.sessionUse > SESSION_TIMEOUT_MS) m.logins++;
  m.sessionUse = m.now;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await r.control.advanceClock(this.ms);
    m.now += this.ms;
  }
  toString = () => `advance(${this.ms})`;
}

class Reboot implements fc.AsyncCommand<Model, Real> {
  constructor(readonly outageMs: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await r.control.patchState({ reboot: this.outageMs });
    m.upAt = m.now + this.outageMs;
    m.sessionUse = null;
  }
  toString = () => `reboot(${this.outageMs})`;
}

class UpdateFirmware implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly firmware: PvsFirmwareId,
    readonly outageMs: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await r.control.patchState({ firmware: this.firmware, reboot: this.outageMs });
    m.upAt = m.now + this.outageMs;
    m.era = eraOf(this.firmware);
    m.sessionUse = null;
  }
  toString = () => `firmware(${this.firmware}, ${this.outageMs})`;
}

/** The era-picking client's poll: DeviceList or the varserver's, whichever the supervisor serves now. */
class Poll implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    if (!up(m)) {
      expect(await rejection(r.auto.deviceList())).toBeInstanceOf(PvsUnavailableError);
      return;
    }
    const result = await r.auto.deviceList();
    expect(result.era).toBe(m.era);
    expect(r.auto.era).toBe(m.era);
    expect(result.devices[0]!.kind).toBe('supervisor');
    const inverters = devicesOfKind(result.devices, 'inverter');
    // Summer afternoon throughout: every inverter reports, in either era.
    expect(inverters).toHaveLength(PANELS);
    for (const inverter of inverters) expect(inverter.acPowerKw!).toBeGreaterThan(0);
    if (m.era === 'varserver') useSession(m);
    expect(r.auto.varserver.logins).toBe(m.logins);
  }
  toString = () => 'poll';
}

/** A varserver query straight on the varserver client: live data of this very instant. */
class LiveData implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    // Legacy firmware has no /auth or /vars, rebooting or not (lighttpd's 404; only dl_cgi answers 503).
    if (m.era === 'legacy') {
      expect(await rejection(r.auto.varserver.liveData())).toBeInstanceOf(PvsWrongEraError);
      return;
    }
    if (!up(m)) {
      expect(await rejection(r.auto.varserver.liveData())).toBeInstanceOf(PvsUnavailableError);
      return;
    }
    const live = await r.auto.varserver.liveData();
    expect(live.time).toBe(Math.floor((START + m.now) / 1000) * 1000);
    expect(live.pvKw!).toBeGreaterThan(0);
    useSession(m);
    expect(r.auto.varserver.logins).toBe(m.logins);
  }
  toString = () => 'liveData';
}

/** An explicit login: a fresh session whatever the old one's state. */
class Login implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    // Legacy firmware has no /auth or /vars, rebooting or not (lighttpd's 404; only dl_cgi answers 503).
    if (m.era === 'legacy') {
      expect(await rejection(r.auto.varserver.login())).toBeInstanceOf(PvsWrongEraError);
      return;
    }
    if (!up(m)) {
      expect(await rejection(r.auto.varserver.login())).toBeInstanceOf(PvsUnavailableError);
      return;
    }
    await r.auto.varserver.login();
    m.logins++;
    m.sessionUse = m.now;
    expect(r.auto.varserver.logins).toBe(m.logins);
  }
  toString = () => 'login';
}

const commands = [
  fc.oneof(fc.integer({ min: 1_000, max: 90_000 }), fc.integer({ min: 240_000, max: 420_000 })).map((ms) => new Advance(ms)),
  fc.integer({ min: 10_000, max: 360_000 }).map((ms) => new Reboot(ms)),
  fc.tuple(fc.constantFrom<PvsFirmwareId>('pvs6-61839', 'pvs6-61840', 'pvs6-61845'), fc.integer({ min: 10_000, max: 360_000 })).map(([id, ms]) => new UpdateFirmware(id, ms)),
  fc.constant(new Poll()),
  fc.constant(new Poll()),
  fc.constant(new LiveData()),
  fc.constant(new Login()),
];

describe('the clients through logins, expiries, reboots, firmware updates and queries', () => {
  it('always recover, with exactly the logins the sessions call for', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<PvsFirmwareId>('pvs6-61839', 'pvs6-61845'), fc.commands(commands, { maxCommands: 14 }), async (firmware, cmds) => {
        const vb = await startVoltbench({ devices: ['pvs'], options: { pvs: { firmware, panels: PANELS } }, seed: 21, speed: 0, start: START });
        const auto = new PvsAutoClient({ host: new URL(vb.getPvsUrl()).host, legacy: { retries: 0 }, varserver: { retries: 0 } });
        try {
          const model: Model = { now: 0, era: eraOf(firmware), upAt: 0, sessionUse: null, logins: 0 };
          const real: Real = { control: vb.control('pvs'), auto };
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          // Whatever happened, once the supervisor is up the same client reads again.
          if (!up(model)) await new Advance(model.upAt - model.now).run(model, real);
          await new Poll().run(model, real);
        } finally {
          await auto.close();
          await vb.close();
        }
      }),
      { numRuns: 12 },
    );
  });
});
