import { describe, expect, it } from 'vitest';
import { enumLabel, STAT_STATE, statStateName, type StateLanguage } from './enums.js';

const LANGUAGES: readonly StateLanguage[] = ['de', 'en', 'it'];
const CODES = Array.from({ length: 99 }, (_, code) => code);

describe('STAT_STATE names per language', () => {
  it.each(LANGUAGES)('has a distinct upper-case %s name for every code 0–98', (lang) => {
    const names = CODES.map((code) => statStateName(code, lang));
    for (const name of names) {
      expect(name).toMatch(/\S/);
      expect(name).toBe(name!.toLocaleUpperCase(lang));
    }
    // Distinct names let a client that only sees the text map it back to the code.
    expect(new Set(names).size).toBe(CODES.length);
  });

  it.each(LANGUAGES)('keeps %s names safe for solectrus’s parsing of the language files', (lang) => {
    for (const code of CODES) {
      const name = statStateName(code, lang)!;
      expect(name).not.toMatch(/["}\\\n]/); // would end the regex match or the string early
      expect(name).not.toMatch(/\d\s*:/); // solectrus quotes `N:` keys with a regex before JSON.parse
    }
  });

  it('answers Italian lookups', () => {
    expect(statStateName(13, 'it')).toBe('BATTERIA CARICA');
    expect(statStateName(16, 'it')).toBe('SCARICA');
    expect(statStateName(42, 'it')).toBe('IN ATTESA DI ECCEDENZA');
    expect(enumLabel('STAT_STATE', 89, 'it')).toBe('CAPACITÀ DI RISERVA');
    expect(statStateName(99, 'it')).toBeUndefined();
    expect(Object.keys(STAT_STATE)).toHaveLength(99);
  });
});
