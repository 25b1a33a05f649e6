/**
 * Model-based test of the SENEC write semantics (notes §7): random sequences of button writes (force
 * charge, prohibit, storage start/stop, reboot, login with right or wrong credentials, logout),
 * socket and wallbox array writes (placeholders, string-encoded arrays, short hex), reserve capacity
 * writes and clock advances, checked against a small model of what the device promises:
 *
 * - a button just written echoes its value (u8_01) while the flags it drives are unchanged in the
 *   same reply; `effectDelayMs` later the effect is in place and the button reads u8_00 again;
 * - the effects: SAFE_CHARGE_RUNNING / LI_STORAGE_MODE_RUNNING and STAT_STATE follow the mode
 *   (PROHIBIT ends a forced charge only, STOP ends storage mode only), USER_LEVEL 2 after a good
 *   login and LOG_IN_NOK_COUNT + 1 after a bad one (credentials as stored when the button is
 *   pressed), USER_LEVEL 0 after a logout;
 * - a reboot drops every request for `rebootDowntimeMs` (`senec.lala` refuses, `inject()` rejects),
 *   cancels pending button effects, returns to self-consumption and user level 0, and comes back
 *   with RTC.TIMESTAMP_MS counting from the end of the downtime;
 * - array writes persist and read back, indices sent as `""` unchanged.
 *
 * A failure prints the seed and the command list; rerun with `fc.assert(..., { seed, path })`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeValue, PROFILE_IDS, type ProfileId } from '../contracts/senec/index.js';
import { senecServerFor } from './support/senec-site.js';
import {
  ARRAY_LENGTH,
  arrayWrite,
  arrayWriteBody,
  ENERGY_BUTTONS,
  energySwitchBlock,
  SOCKET_ARRAYS,
  WALLBOX_ARRAYS,
  zeroOf,
  type ArrayWrite,
  type Button,
} from './support/senec-writes.js';

const EFFECT_DELAY_MS = 2_000;
const REBOOT_DOWNTIME_MS = 60_000;
const USERNAME = 'installer';
const PASSWORD = 'S3cret_pw';

type Mode = 'self-consumption' | 'safe-charge' | 'storage';
type Effect =
  | { kind: 'mode'; to: Mode; from?: Mode }
  | { kind: 'reboot' }
  | { kind: 'login'; ok: boolean }
  | { kind: 'logout' };

interface Model {
  now: number;
  mode: Mode;
  /** Button effects not yet due, in the order the device applies them (time, then arrival). */
  pending: { at: number; register: string; effect: Effect }[];
  /** Stored value of each button register, `OBJECT.KEY` → wire. */
  buttons: Map<string, string>;
  userLevel: number;
  loginFailures: number;
  username: string;
  password: string;
  /** Stored arrays, `OBJECT.KEY` → wire strings. */
  arrays: Map<string, string[]>;
  allowIntercharge: string;
  sparePct: number;
  rebootUntil: number;
  /** Virtual instant RTC.TIMESTAMP_MS counts from; learnt from the first read, set by reboots. */
  bootAt: number | undefined;
}

type Harness = Awaited<ReturnType<typeof senecServerFor>>;
type Cmd = fc.AsyncCommand<Model, Harness>;

const BUTTON_EFFECT: Readonly<Record<Button, Effect>> = {
  SAFE_CHARGE_FORCE: { kind: 'mode', to: 'safe-charge' },
  SAFE_CHARGE_PROHIBIT: { kind: 'mode', to: 'self-consumption', from: 'safe-charge' },
  LI_STORAGE_MODE_START: { kind: 'mode', to: 'storage' },
  LI_STORAGE_MODE_STOP: { kind: 'mode', to: 'self-consumption', from: 'storage' },
};

const BUTTON_REGISTERS = [
  ...ENERGY_BUTTONS.map((b) => `ENERGY.${b}`),
  'LOG.LOG_IN_BUTT',
  'LOG.LOG_OUT_BUTT',
  'SYS_UPDATE.USER_REBOOT_DEVICE',
];

function initialModel(now: number, sparePct: number): Model {
  const arrays = new Map<string, string[]>();
  for (const [object, table] of [['SOCKETS', SOCKET_ARRAYS], ['WALLBOX', WALLBOX_ARRAYS]] as const) {
    for (const key of Object.keys(table)) arrays.set(`${object}.${key}`, Array(ARRAY_LENGTH[object]).fill(zeroOf(object, key)));
  }
  return {
    now,
    mode: 'self-consumption',
    pending: [],
    buttons: new Map(BUTTON_REGISTERS.map((r) => [r, 'u8_00'])),
    userLevel: 0,
    loginFailures: 0,
    username: '',
    password: '',
    arrays,
    allowIntercharge: 'u8_00',
    sparePct,
    rebootUntil: -Infinity,
    bootAt: undefined,
  };
}

function reboot(m: Model, at: number): void {
  m.rebootUntil = at + REBOOT_DOWNTIME_MS;
  m.bootAt = at + REBOOT_DOWNTIME_MS;
  m.mode = 'self-consumption';
  m.userLevel = 0;
  // Latched buttons do not survive the restart and their effects never happen.
  for (const p of m.pending) m.buttons.set(p.register, 'u8_00');
  m.pending = [];
}

/** Applies every effect due by `m.now`, in order. */
function settle(m: Model): void {
  while (m.pending.length > 0 && m.pending[0]!.at <= m.now) {
    const { at, register, effect } = m.pending.shift()!;
    m.buttons.set(register, 'u8_00');
    switch (effect.kind) {
      case 'mode':
        if (effect.from === undefined || m.mode === effect.from) m.mode = effect.to;
        break;
      case 'reboot':
        reboot(m, at);
        break;
      case 'login':
        if (effect.ok) m.userLevel = 2;
        else m.loginFailures = Math.min(255, m.loginFailures + 1);
        break;
      case 'logout':
        m.userLevel = 0;
        break;
    }
  }
}

/** Latches a button (any non-zero value) and schedules its effect. */
function press(m: Model, register: string, wire: string, effect: Effect): void {
  const canonical = encodeValue('u8', Number.parseInt(wire.slice(3), 16));
  m.buttons.set(register, canonical);
  if (canonical === 'u8_00') return;
  m.pending.push({ at: m.now + EFFECT_DELAY_MS, register, effect });
  m.pending.sort((a, b) => a.at - b.at);
}

const flag = (on: boolean) => (on ? 'u8_01' : 'u8_00');
const u8 = (n: number) => encodeValue('u8', n);

/**
 * Sends a body as the device would receive it. While the model says the device reboots, both the
 * emulator (`senec.lala` → refuse) and the HTTP route (`inject()` rejects, the connection is dropped)
 * must refuse it, and `undefined` comes back; otherwise the reply must be 200 JSON.
 */
async function send(m: Model, r: Harness, body: unknown): Promise<Record<string, Record<string, unknown>> | undefined> {
  settle(m);
  const text = JSON.stringify(body);
  if (m.now < m.rebootUntil) {
    expect(r.senec.lala(text, undefined, undefined)).toEqual({ kind: 'refuse' });
    await expect(r.post(text)).rejects.toThrow();
    return undefined;
  }
  const response = await r.post(text, { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' });
  expect(response.status).toBe(200);
  expect(response.contentType).toBe('application/json; charset=utf-8');
  return JSON.parse(response.text) as Record<string, Record<string, unknown>>;
}

/** What the ENERGY flags and STAT_STATE must show for the model's mode (the grid stays up in this test). */
function expectMode(m: Model, energy: Record<string, unknown>): void {
  expect(energy.SAFE_CHARGE_RUNNING, 'SAFE_CHARGE_RUNNING').toBe(flag(m.mode === 'safe-charge'));
  expect(energy.LI_STORAGE_MODE_RUNNING, 'LI_STORAGE_MODE_RUNNING').toBe(flag(m.mode === 'storage'));
  if (energy.STAT_STATE === undefined) return;
  const state = Number.parseInt(String(energy.STAT_STATE).slice(3), 16);
  if (m.mode === 'safe-charge') expect([8, 9], `STAT_STATE ${state} in a forced charge`).toContain(state);
  else if (m.mode === 'storage') expect(state, 'STAT_STATE in storage mode').toBe(64);
  else expect([8, 9, 64], `STAT_STATE ${state} in self-consumption`).not.toContain(state);
}

class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: Model, r: Harness) {
    m.now += this.ms;
    r.clock.advance(this.ms);
  }
  toString = () => `advance(${this.ms})`;
}

/** ha-senec-v3 / ioBroker send the whole switch block; evcc sends only the button. */
class PressEnergyButton implements Cmd {
  constructor(readonly button: Button, readonly wire: string, readonly minimal: boolean) {}
  check = () => true;
  async run(m: Model, r: Harness) {
    const body = this.minimal ? { ENERGY: { [this.button]: this.wire } } : energySwitchBlock(this.button, this.wire);
    const reply = await send(m, r, body);
    if (reply === undefined) return;
    press(m, `ENERGY.${this.button}`, this.wire, BUTTON_EFFECT[this.button]);
    const energy = reply.ENERGY!;
    expect(energy[this.button], 'the button echoes what was written').toBe(m.buttons.get(`ENERGY.${this.button}`));
    if (!this.minimal) {
      // The flags it drives have not moved yet (the effect is only scheduled); the other buttons read what they hold.
      expectMode(m, energy);
      for (const other of ENERGY_BUTTONS.filter((b) => b !== this.button)) expect(energy[other], other).toBe(m.buttons.get(`ENERGY.${other}`));
    }
  }
  toString = () => `press(${this.button}=${this.wire}${this.minimal ? ', minimal' : ''})`;
}

class PressReboot implements Cmd {
  check = () => true;
  async run(m: Model, r: Harness) {
    const reply = await send(m, r, { SYS_UPDATE: { BOOT_REPORT_SUCCESS: '', USER_REBOOT_DEVICE: 'u8_01' } });
    if (reply === undefined) return;
    press(m, 'SYS_UPDATE.USER_REBOOT_DEVICE', 'u8_01', { kind: 'reboot' });
    expect(reply.SYS_UPDATE!.USER_REBOOT_DEVICE).toBe('u8_01');
  }
  toString = () => 'pressReboot';
}

/** The control plane's reboot: immediate, no button. */
class ControlReboot implements Cmd {
  check = () => true;
  async run(m: Model, r: Harness) {
    settle(m);
    r.senec.patchState({ reboot: true });
    reboot(m, m.now);
  }
  toString = () => 'controlReboot';
}

/** ha-senec-v3's login body; the credentials are stored before the button in request order. */
class Login implements Cmd {
  constructor(readonly username: string, readonly password: string) {}
  check = () => true;
  async run(m: Model, r: Harness) {
    const reply = await send(m, r, {
      LOG: { USER_LEVEL: '', USERNAME: `st_${this.username}`, LOG_IN_NOK_COUNT: '', PASSWORD: `st_${this.password}`, LOG_IN_BUTT: 'u8_01' },
    });
    if (reply === undefined) return;
    const log = reply.LOG!;
    expect(log.USER_LEVEL, 'USER_LEVEL unchanged in the same reply').toBe(u8(m.userLevel));
    expect(log.LOG_IN_NOK_COUNT, 'LOG_IN_NOK_COUNT unchanged in the same reply').toBe(u8(m.loginFailures));
    m.username = this.username;
    m.password = this.password;
    press(m, 'LOG.LOG_IN_BUTT', 'u8_01', { kind: 'login', ok: this.username === USERNAME && this.password === PASSWORD });
    expect(log.USERNAME).toBe(`st_${this.username}`);
    expect(log.PASSWORD).toBe(`st_${this.password}`);
    expect(log.LOG_IN_BUTT).toBe('u8_01');
  }
  toString = () => `login(${JSON.stringify(this.username)}, ${JSON.stringify(this.password)})`;
}

/** The button alone: the device uses the credentials it holds. */
class PressLoginButton implements Cmd {
  check = () => true;
  async run(m: Model, r: Harness) {
    const reply = await send(m, r, { LOG: { LOG_IN_BUTT: 'u8_01' } });
    if (reply === undefined) return;
    press(m, 'LOG.LOG_IN_BUTT', 'u8_01', { kind: 'login', ok: m.username === USERNAME && m.password === PASSWORD });
    expect(reply.LOG!.LOG_IN_BUTT).toBe('u8_01');
  }
  toString = () => 'pressLogin';
}

class Logout implements Cmd {
  check = () => true;
  async run(m: Model, r: Harness) {
    const reply = await send(m, r, { LOG: { LOG_IN_NOK_COUNT: '', LOG_OUT_BUTT: 'u8_01' } });
    if (reply === undefined) return;
    expect(reply.LOG!.LOG_IN_NOK_COUNT).toBe(u8(m.loginFailures));
    press(m, 'LOG.LOG_OUT_BUTT', 'u8_01', { kind: 'logout' });
    expect(reply.LOG!.LOG_OUT_BUTT).toBe('u8_01');
  }
  toString = () => 'logout';
}

class WriteArray implements Cmd {
  constructor(readonly w: ArrayWrite) {}
  check = () => true;
  async run(m: Model, r: Harness) {
    const reply = await send(m, r, arrayWriteBody(this.w));
    if (reply === undefined) return;
    const stored = m.arrays.get(`${this.w.object}.${this.w.key}`)!;
    this.w.entries.forEach((e, i) => {
      if (e !== null) stored[i] = e.canonical;
    });
    expect(reply[this.w.object]![this.w.key], 'the echo is the whole stored array').toEqual(stored);
  }
  toString = () => `writeArray(${JSON.stringify(arrayWriteBody(this.w))})`;
}

/** WALLBOX.ALLOW_INTERCHARGE is a scalar; ioBroker sends it as a one-element array. */
class WriteIntercharge implements Cmd {
  constructor(readonly on: boolean, readonly asArray: boolean) {}
  check = () => true;
  async run(m: Model, r: Harness) {
    const wire = flag(this.on);
    const reply = await send(m, r, { WALLBOX: { ALLOW_INTERCHARGE: this.asArray ? [wire] : wire } });
    if (reply === undefined) return;
    m.allowIntercharge = wire;
    expect(reply.WALLBOX!.ALLOW_INTERCHARGE).toBe(wire);
  }
  toString = () => `writeIntercharge(${this.on}${this.asArray ? ', as array' : ''})`;
}

class WriteSpareCapacity implements Cmd {
  constructor(readonly pct: number) {}
  check = () => true;
  async run(m: Model, r: Harness) {
    const reply = await send(m, r, { BAT1: { SPARE_CAPACITY: u8(this.pct) } });
    if (reply === undefined) return;
    m.sparePct = this.pct;
    expect(reply.BAT1!.SPARE_CAPACITY).toBe(u8(this.pct));
  }
  toString = () => `writeSpare(${this.pct})`;
}

/** Everything the writes touch, compared with the model. */
class ReadBack implements Cmd {
  check = () => true;
  async run(m: Model, r: Harness) {
    const reply = await send(m, r, {
      ENERGY: { SAFE_CHARGE_FORCE: '', SAFE_CHARGE_PROHIBIT: '', SAFE_CHARGE_RUNNING: '', LI_STORAGE_MODE_START: '', LI_STORAGE_MODE_STOP: '', LI_STORAGE_MODE_RUNNING: '', STAT_STATE: '' },
      LOG: { USER_LEVEL: '', LOG_IN_NOK_COUNT: '', LOG_IN_BUTT: '', LOG_OUT_BUTT: '', USERNAME: '', PASSWORD: '' },
      SYS_UPDATE: { USER_REBOOT_DEVICE: '' },
      RTC: { TIMESTAMP_MS: '' },
      SOCKETS: {},
      WALLBOX: {},
      BAT1: { SPARE_CAPACITY: '' },
    });
    if (reply === undefined) return;
    for (const register of BUTTON_REGISTERS) {
      const [object, key] = register.split('.') as [string, string];
      expect(reply[object]![key], register).toBe(m.buttons.get(register));
    }
    expectMode(m, reply.ENERGY!);
    expect(reply.LOG!.USER_LEVEL, 'USER_LEVEL').toBe(u8(m.userLevel));
    expect(reply.LOG!.LOG_IN_NOK_COUNT, 'LOG_IN_NOK_COUNT').toBe(u8(m.loginFailures));
    expect(reply.LOG!.USERNAME).toBe(`st_${m.username}`);
    expect(reply.LOG!.PASSWORD).toBe(`st_${m.password}`);
    for (const [name, stored] of m.arrays) {
      const [object, key] = name.split('.') as [string, string];
      expect(reply[object]![key], name).toEqual(stored);
    }
    expect(reply.WALLBOX!.ALLOW_INTERCHARGE).toBe(m.allowIntercharge);
    expect(reply.BAT1!.SPARE_CAPACITY).toBe(u8(m.sparePct));
    const uptimeMs = Number.parseInt(String(reply.RTC!.TIMESTAMP_MS).slice(3), 16);
    if (m.bootAt === undefined) m.bootAt = m.now - uptimeMs;
    // A 32-bit millisecond counter since the (last) boot.
    expect(uptimeMs, 'RTC.TIMESTAMP_MS').toBe((m.now - m.bootAt) % 2 ** 32);
  }
  toString = () => 'readBack';
}

/** A right or wrong login: wrong user, wrong password, case or whitespace slips, both wrong. */
const credentials = fc.oneof(
  fc.constant([USERNAME, PASSWORD] as const),
  fc.string({ maxLength: 12 }).filter((p) => p !== PASSWORD).map((p) => [USERNAME, p] as const),
  fc.constantFrom([USERNAME.toUpperCase(), PASSWORD], [USERNAME, `${PASSWORD} `], ['', ''], ['admin', PASSWORD]),
  fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })),
);

const advance = fc
  .oneof(
    { weight: 4, arbitrary: fc.integer({ min: 100, max: 3_000 }) },
    { weight: 2, arbitrary: fc.integer({ min: 3_000, max: 70_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 70_000, max: 3_600_000 }) },
  )
  .map((ms): Cmd => new Advance(ms));

/** Weighted so that most runs get past the 60 s reboot window and see effects land. */
const command: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: advance },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...ENERGY_BUTTONS), fc.constantFrom('u8_01', 'u8_01', 'u8_1', 'u8_00', 'u8_0'), fc.boolean())
      .map(([button, wire, minimal]): Cmd => new PressEnergyButton(button, wire, minimal)),
  },
  { weight: 3, arbitrary: fc.constant<Cmd>(new ReadBack()) },
  { weight: 2, arbitrary: credentials.map(([u, p]): Cmd => new Login(u, p)) },
  { weight: 1, arbitrary: fc.constant<Cmd>(new PressLoginButton()) },
  { weight: 1, arbitrary: fc.constant<Cmd>(new Logout()) },
  { weight: 2, arbitrary: arrayWrite.map((w): Cmd => new WriteArray(w)) },
  { weight: 1, arbitrary: fc.tuple(fc.boolean(), fc.boolean()).map(([on, asArray]): Cmd => new WriteIntercharge(on, asArray)) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 100 }).map((pct): Cmd => new WriteSpareCapacity(pct)) },
  { weight: 1, arbitrary: fc.constant<Cmd>(new PressReboot()) },
  { weight: 1, arbitrary: fc.constant<Cmd>(new ControlReboot()) },
);

/** The documented scenarios (notes §7), run before the random ones. */
const tap = (button: Button) => new PressEnergyButton(button, 'u8_01', false);
const wait = (ms = 3_000) => new Advance(ms);
const SCENARIOS: Cmd[][] = [
  [tap('SAFE_CHARGE_FORCE'), new ReadBack(), wait(), new ReadBack(), tap('SAFE_CHARGE_PROHIBIT'), wait(), new ReadBack()],
  [tap('LI_STORAGE_MODE_START'), wait(), tap('SAFE_CHARGE_PROHIBIT'), wait(), new ReadBack(), tap('LI_STORAGE_MODE_STOP'), wait(), new ReadBack()],
  [tap('SAFE_CHARGE_FORCE'), wait(), tap('LI_STORAGE_MODE_STOP'), wait(), new ReadBack(), tap('LI_STORAGE_MODE_START'), wait(), new ReadBack()],
  [new Login('installer', 'wrong'), wait(), new ReadBack(), new Login(USERNAME, PASSWORD), wait(), new ReadBack(), new Logout(), wait(), new ReadBack()],
  [new Login(USERNAME, PASSWORD), wait(), new ReadBack(), new PressReboot(), wait(1_000), new ReadBack(), wait(1_500), new ReadBack(), wait(REBOOT_DOWNTIME_MS), new ReadBack()],
  [tap('LI_STORAGE_MODE_START'), wait(), new ReadBack(), tap('SAFE_CHARGE_FORCE'), new ControlReboot(), new ReadBack(), wait(REBOOT_DOWNTIME_MS), new ReadBack()],
];

describe('SENEC writes (model-based)', () => {
  it('echoes, delayed effects, reboots and array writes follow the device semantics', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.commands([command], { maxCommands: 30 }),
        fc.constantFrom<ProfileId>(...PROFILE_IDS),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') }),
        async (cmds, profile, sparePct, start) => {
          const r = await senecServerFor(
            { seed: 7, start, cloudCover: null, site: { profile, modules: 3, peakPvW: 9_000, spareCapacityPct: sparePct, minSocPct: 3, initialSocPct: 50, seed: 7, username: USERNAME, password: PASSWORD } },
            { effectDelayMs: EFFECT_DELAY_MS, rebootDowntimeMs: REBOOT_DOWNTIME_MS },
          );
          const model = initialModel(start, sparePct);
          try {
            await fc.asyncModelRun(() => ({ model, real: r }), cmds);
            // Past any reboot and pending effect the device answers again, and agrees with the model.
            await new Advance(REBOOT_DOWNTIME_MS + EFFECT_DELAY_MS).run(model, r);
            settle(model);
            expect(model.now).toBeGreaterThanOrEqual(model.rebootUntil);
            await new ReadBack().run(model, r);
          } finally {
            await r.close();
          }
        },
      ),
      {
        numRuns: 40,
        examples: SCENARIOS.map((cmds, i): [Cmd[], ProfileId, number, number] => [cmds, PROFILE_IDS[i % PROFILE_IDS.length]!, 15, Date.parse('2026-06-21T10:00:00Z')]),
      },
    );
  });
});
