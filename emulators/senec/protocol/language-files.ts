/**
 * The web UI's language files `/js/EN-en.js`, `/js/DE-de.js` and `/js/IT-it.js`. solectrus reads
 * STAT_STATE names from them, so each carries `var system_state_name = {…};` laid out like the
 * device's (recorded DE-de.js, firmware 0826): one `N: "NAME"` per line, no trailing comma, `};`
 * on its own line. That layout satisfies both solectrus parsers: the old line-by-line one and the
 * newer one that turns the object into JSON. The rest of the device's 51 KB file (UI texts,
 * other enums) is left out; no known client reads it.
 */
import { STAT_STATE, WALLBOX_STATE, type StateLanguage } from '../../../contracts/senec/index.js';

export type LanguageFilePath = '/js/EN-en.js' | '/js/DE-de.js' | '/js/IT-it.js';

export interface LanguageFile {
  readonly lang: StateLanguage;
  readonly body: string;
}

/** What nginx on the device sends for these files (recorded). */
export const LANGUAGE_FILE_CONTENT_TYPE = 'application/javascript; charset=utf-8';

type NameTable = Readonly<Record<number, string>>;

function codesOf(table: object): number[] {
  return Object.keys(table).map(Number).sort((a, b) => a - b);
}

/** `var name = {…};` with the device's indentation; JSON.stringify yields a valid JS double-quoted literal. */
function jsTable(name: string, entries: readonly (readonly [key: string, value: string])[]): string {
  const lines = entries.map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`);
  return `var ${name} = {\n${lines.join(',\n')}\n};\n`;
}

/** Wallbox states use hex keys on the device (`0xA1: "…"`). */
function hexKey(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** The body of one language file for the given name tables. */
export function renderLanguageFile(lang: StateLanguage, systemStates: NameTable, wallboxStates: NameTable): string {
  const systemEntries = codesOf(systemStates).map((code) => [String(code), systemStates[code] ?? ''] as const);
  const wallboxEntries = codesOf(wallboxStates).map((code) => [hexKey(code), wallboxStates[code] ?? ''] as const);
  return [
    `/* SENEC.Home web UI texts (${lang.toUpperCase()}), served by the voltbench emulator */`,
    '/* exported system_state_name, wallbox_state_name */',
    '',
    jsTable('system_state_name', systemEntries),
    jsTable('wallbox_state_name', wallboxEntries),
  ].join('\n');
}

function stateNamesIn(lang: StateLanguage): NameTable {
  return Object.fromEntries(codesOf(STAT_STATE).map((code) => [code, STAT_STATE[code]?.[lang] ?? '']));
}

function languageFile(lang: StateLanguage): LanguageFile {
  // The contract has wallbox state names in English only, so every language file carries those.
  return { lang, body: renderLanguageFile(lang, stateNamesIn(lang), WALLBOX_STATE) };
}

/** Built once at load: the bodies never change while the emulator runs. */
export const LANGUAGE_FILES: Readonly<Record<LanguageFilePath, LanguageFile>> = {
  '/js/EN-en.js': languageFile('en'),
  '/js/DE-de.js': languageFile('de'),
  '/js/IT-it.js': languageFile('it'),
};

/** Body for an exact request path (the device's URLs are case sensitive), or undefined. */
export function languageFileFor(path: string): string | undefined {
  return Object.hasOwn(LANGUAGE_FILES, path) ? LANGUAGE_FILES[path as LanguageFilePath].body : undefined;
}
