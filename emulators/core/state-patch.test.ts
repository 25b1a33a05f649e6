import { describe, expect, it } from 'vitest';
import { ControlInputError } from './errors.js';
import { normalizeStatePatch, type StatePatchShape } from './state-patch.js';

const SHAPE: StatePatchShape = {
  name: 'Toy',
  settings: ['latencyMs', 'limits'],
  actions: ['reboot', 'soc', 'limits'],
  aliases: { restart: 'reboot', level: 'soc' },
  actionValues: { limits: ['clear'] },
  unsupported: { firmware: 'the toy has one firmware' },
};

/** The ControlInputError message of a patch that must be refused. */
function refusal(input: unknown): string {
  try {
    normalizeStatePatch(SHAPE, input);
  } catch (error) {
    expect(error).toBeInstanceOf(ControlInputError);
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe('normalizeStatePatch', () => {
  it('keeps the canonical form as it is, with an empty settings object when none are sent', () => {
    expect(normalizeStatePatch(SHAPE, { settings: { latencyMs: 5 }, reboot: '5m', soc: 40 })).toEqual({ settings: { latencyMs: 5 }, reboot: '5m', soc: 40 });
    expect(normalizeStatePatch(SHAPE, { soc: 40 })).toEqual({ settings: {}, soc: 40 });
    expect(normalizeStatePatch(SHAPE, {})).toEqual({ settings: {} });
  });

  it('moves top-level settings into settings and renames old action names', () => {
    const old = normalizeStatePatch(SHAPE, { latencyMs: 5, restart: true, level: 40 });
    expect(old).toEqual({ settings: { latencyMs: 5 }, reboot: true, soc: 40 });
    expect(old).not.toHaveProperty('restart');
    expect(old).not.toHaveProperty('latencyMs');
  });

  it('is idempotent: normalising the result again gives the same patch', () => {
    for (const input of [{ latencyMs: 5, restart: '1m' }, { settings: { limits: false }, limits: 'clear' }, { level: 3 }]) {
      const once = normalizeStatePatch(SHAPE, input);
      expect(normalizeStatePatch(SHAPE, once)).toEqual(once);
    }
  });

  it('treats a key that is both a setting and an action by its value at the top level', () => {
    expect(normalizeStatePatch(SHAPE, { limits: 'clear' })).toEqual({ settings: {}, limits: 'clear' });
    expect(normalizeStatePatch(SHAPE, { limits: false })).toEqual({ settings: { limits: false } });
    expect(normalizeStatePatch(SHAPE, { limits: 'clear', settings: { limits: true } })).toEqual({ settings: { limits: true }, limits: 'clear' });
  });

  it('refuses a setting given both at the top level and inside settings', () => {
    expect(refusal({ latencyMs: 5, settings: { latencyMs: 6 } })).toBe('"latencyMs" is given both at the top level and inside "settings"; send it once, inside "settings"');
  });

  it('refuses an action given under its old and its new name', () => {
    expect(refusal({ restart: true, reboot: '5m' })).toBe('"restart" and "reboot" are the same action; send only "reboot"');
  });

  it('names the allowed keys for an unknown key', () => {
    expect(refusal({ colour: 'red' })).toBe('unknown Toy state field "colour"; send settings inside "settings" (latencyMs, limits) and actions at the top level (reboot, soc, limits)');
  });

  it('says where an action belongs when it is sent inside settings, and refuses unknown settings', () => {
    expect(refusal({ settings: { soc: 5 } })).toMatch(/^"soc" is not a Toy setting but an action: send it at the top level, \{"soc": …\}, not inside "settings"; settings are latencyMs, limits$/);
    expect(refusal({ settings: { restart: true } })).toMatch(/send it at the top level, \{"reboot": …\}/);
    expect(refusal({ settings: { colour: 1 } })).toBe('unknown Toy setting "colour"; settings are latencyMs, limits');
  });

  it('says the device cannot do a common action it lacks, with the reason when it has one', () => {
    expect(refusal({ firmware: 'x' })).toMatch(/^the Toy emulator cannot take "firmware": the toy has one firmware; send settings inside/);
    const bare: StatePatchShape = { name: 'Bare', settings: [], actions: [] };
    expect(() => normalizeStatePatch(bare, { reboot: true })).toThrow(/^the Bare emulator cannot take "reboot"; send settings inside "settings" \(none\)/);
  });

  it('refuses what is not an object', () => {
    for (const input of [null, [1], 'x', 3]) expect(refusal(input)).toBe('state patch must be a JSON object');
    for (const settings of [null, [1], 'x']) expect(refusal({ settings })).toBe('settings must be an object of Toy settings (latencyMs, limits)');
  });
});
