import { createContext, runInContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STAT_STATE, WALLBOX_STATE, type StateLanguage } from '../../../contracts/senec/index.js';
import { LANGUAGE_FILES, languageFileFor, renderLanguageFile, type LanguageFilePath } from './language-files.js';

const FILES: readonly [LanguageFilePath, StateLanguage][] = [
  ['/js/EN-en.js', 'en'],
  ['/js/DE-de.js', 'de'],
  ['/js/IT-it.js', 'it'],
];

/** solectrus/senec (newer): the regex from the protocol notes, then `N: "NAME"` entries. */
function parseLikeSolectrus(body: string): Map<number, string> {
  const match = /system_state_name\s*=\s*{([^}]*)}/.exec(body);
  if (!match) throw new Error('no system_state_name table');
  const names = new Map<number, string>();
  for (const entry of (match[1] ?? '').matchAll(/(\d+)\s*:\s*("(?:[^"\\]|\\.)*")/g)) {
    names.set(Number(entry[1]), JSON.parse(entry[2] ?? '""') as string);
  }
  return names;
}

/** solectrus/senec (newer, literally): quote the numeric keys and hand the object to a JSON parser. */
function parseAsJson(body: string): Record<string, string> {
  const match = /system_state_name\s*=\s*{\s*([^}]*)\s*}/.exec(body);
  if (!match) throw new Error('no system_state_name table');
  return JSON.parse(`{${(match[1] ?? '').replace(/(\d+)\s*:/g, '"$1":')}}`) as Record<string, string>;
}

/** solectrus/senec (older): `var system_state_name = {…};`, then one `N: "NAME"` per line, greedy. */
function parseLineByLine(body: string): Map<number, string> {
  const match = /var system_state_name = \{(.*?)\};/s.exec(body);
  if (!match) throw new Error('no `var system_state_name = {…};`');
  const names = new Map<number, string>();
  for (const line of match[0].split('\n')) {
    const entry = /(\d+)\s*:\s*"(.*)"/.exec(line);
    if (entry) names.set(Number(entry[1]), entry[2] ?? '');
  }
  return names;
}

const sandbox = createContext({});

/** What a browser gets when it runs the file (function-wrapped so one sandbox serves every run). */
function evaluate(body: string): { system: Record<string, string>; wallbox: Record<string, string> } {
  return runInContext(`(function () {\n${body}\nreturn { system: system_state_name, wallbox: wallbox_state_name };\n})()`, sandbox) as {
    system: Record<string, string>;
    wallbox: Record<string, string>;
  };
}

const ALL_CODES = Array.from({ length: 99 }, (_, code) => code);

describe.each(FILES)('%s', (path, lang) => {
  const body = languageFileFor(path);

  it('is served for the exact path in the right language', () => {
    expect(body).toBeDefined();
    expect(LANGUAGE_FILES[path].lang).toBe(lang);
    expect(body).toBe(LANGUAGE_FILES[path].body);
  });

  it('maps every STAT_STATE code 0–98 to the table name under solectrus’s regex', () => {
    const names = parseLikeSolectrus(body!);
    expect([...names.keys()].sort((a, b) => a - b)).toEqual(ALL_CODES);
    for (const code of ALL_CODES) expect(names.get(code)).toBe(STAT_STATE[code]![lang]);
  });

  it('survives solectrus’s JSON conversion (no trailing comma, no digits before a colon inside names)', () => {
    const names = parseAsJson(body!);
    expect(Object.keys(names)).toHaveLength(99);
    for (const code of ALL_CODES) expect(names[String(code)]).toBe(STAT_STATE[code]![lang]);
  });

  it('works with the older line-by-line parser', () => {
    const names = parseLineByLine(body!);
    expect(names.size).toBe(99);
    for (const code of ALL_CODES) expect(names.get(code)).toBe(STAT_STATE[code]![lang]);
  });

  it('is valid JavaScript defining system_state_name and wallbox_state_name', () => {
    const { system, wallbox } = evaluate(body!);
    expect(Object.keys(system)).toHaveLength(99);
    for (const code of ALL_CODES) expect(system[code]).toBe(STAT_STATE[code]![lang]);
    expect(Object.keys(wallbox).map(Number).sort((a, b) => a - b)).toEqual(Object.keys(WALLBOX_STATE).map(Number).sort((a, b) => a - b));
    for (const [code, name] of Object.entries(WALLBOX_STATE)) expect(wallbox[code]).toBe(name);
  });

  it('writes wallbox states with hex keys as the device does', () => {
    expect(body).toContain('    0xA1: "not connected"');
    expect(body).toContain('    0x00: "invalid state"');
  });
});

describe('language file encoding', () => {
  it('keeps German umlauts and Italian accents as UTF-8 text', () => {
    const de = Buffer.from(languageFileFor('/js/DE-de.js')!, 'utf8');
    expect(de.includes(Buffer.from('42: "WARTE AUF \u00dcBERSCHUSS"', 'utf8'))).toBe(true);
    expect(de.includes(Buffer.from([0xc3, 0x9c]))).toBe(true); // Ü
    expect(parseLikeSolectrus(de.toString('utf8')).get(89)).toBe('RESERVEKAPAZITÄT');
    const it = languageFileFor('/js/IT-it.js')!;
    expect(it).toContain('89: "CAPACITÀ DI RISERVA"');
    expect(it).not.toMatch(/\\u00/); // not escaped
  });

  it('escapes names for a double-quoted JavaScript string', () => {
    const tricky = { 0: 'SAY "HI"', 1: 'BACK\\SLASH', 2: 'LINE\nBREAK' };
    const body = renderLanguageFile('en', tricky, { 0xa1: 'a "b"' });
    expect(body).toContain('0: "SAY \\"HI\\""');
    const { system, wallbox } = evaluate(body);
    expect(system).toEqual({ 0: 'SAY "HI"', 1: 'BACK\\SLASH', 2: 'LINE\nBREAK' });
    expect(wallbox[0xa1]).toBe('a "b"');
  });

  it('round-trips any name through JavaScript evaluation', () => {
    fc.assert(fc.property(fc.dictionary(fc.nat({ max: 255 }).map(String), fc.string({ unit: 'binary' }), { maxKeys: 8 }), (table) => {
      const numeric = Object.fromEntries(Object.entries(table).map(([code, name]) => [Number(code), name]));
      const { system, wallbox } = evaluate(renderLanguageFile('de', numeric, numeric));
      expect(system).toEqual(table);
      expect(wallbox).toEqual(table);
    }), { numRuns: 100 });
  });
});

describe('languageFileFor', () => {
  it('matches paths exactly and case-sensitively', () => {
    for (const path of ['/js/de-DE.js', '/js/DE-DE.JS', '/js/en-en.js', '/js/FR-fr.js', 'js/EN-en.js', '/js/EN-en.js/', '', '/']) {
      expect(languageFileFor(path)).toBeUndefined();
    }
  });

  it('does not answer for inherited object keys', () => {
    for (const path of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) expect(languageFileFor(path)).toBeUndefined();
  });
});
