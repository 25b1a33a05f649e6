import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nginxErrorPage } from '../../emulators/senec/protocol/pages.js';
import { formKey } from './form.js';
import { HttpMatcher, type HttpOutcome } from './http-matcher.js';
import { incoming } from './http-rules.js';
import { Ledger } from './ledger.js';
import { senecRules } from './senec.js';
import { httpExchange } from './test-support.js';

const post = (body: string) => incoming('POST', '/lala.cgi', { 'content-type': 'application/json' }, Buffer.from(body));
const lala = (seq: number, request: unknown, reply: unknown) =>
  httpExchange(seq, 'POST', '/lala.cgi', JSON.stringify(reply), { requestBody: JSON.stringify(request) });

const BATTERY = lala(
  1,
  { ENERGY: { GUI_BAT_DATA_FUEL_CHARGE: '', GUI_BAT_DATA_POWER: '' }, BMS: { MODULES_CONFIGURED: '' } },
  { ENERGY: { GUI_BAT_DATA_FUEL_CHARGE: 'fl_42480000', GUI_BAT_DATA_POWER: 'fl_C2C80000' }, BMS: { MODULES_CONFIGURED: 'u8_03' } },
);
const WHOLE_STAT = lala(2, { STATISTIC: {} }, { STATISTIC: {} });
const WRITE = lala(3, { ENERGY: { SAFE_CHARGE_FORCE: 'u8_01', SAFE_CHARGE_RUNNING: '' } }, { ENERGY: { SAFE_CHARGE_FORCE: 'u8_01', SAFE_CHARGE_RUNNING: 'u8_00' } });
const MISSING = lala(4, { WALLBOX: { STATE: '' } }, { WALLBOX: { OBJECT_NOT_FOUND: '' } });
const VARS = httpExchange(5, 'GET', '//vars.html', '<html>vars</html>', { headers: { 'content-type': 'text/html' } });

const matcher = () => new HttpMatcher(senecRules, [BATTERY, WHOLE_STAT, WRITE, MISSING, VARS], new Ledger('order'));
const bodyOf = (outcome: HttpOutcome) => {
  if (outcome.kind === 'served' && outcome.answer === null) throw new Error('dropped');
  return JSON.parse(outcome.answer!.body.toString()) as unknown;
};

describe('SENEC matching', () => {
  it('matches a request with the same objects and keys in any order', () => {
    const outcome = matcher().resolve(post('{"BMS":{"MODULES_CONFIGURED":""},"ENERGY":{"GUI_BAT_DATA_POWER":"","GUI_BAT_DATA_FUEL_CHARGE":""}}'));
    expect(outcome.kind === 'served' && outcome.exchange.seq).toBe(1);
    // The recorded bytes as they were: an exact match is not re-serialised.
    expect(outcome.kind === 'served' && outcome.answer?.body.toString()).toBe(JSON.stringify(JSON.parse((BATTERY.response!.body as { text: string }).text)));
  });

  it('serves a read of a subset of recorded keys by cutting the recorded reply down, in request order', () => {
    const m = matcher();
    const outcome = m.resolve(post('{"BMS":{"MODULES_CONFIGURED":""},"ENERGY":{"GUI_BAT_DATA_FUEL_CHARGE":""}}'));
    expect(outcome.kind).toBe('served');
    expect(outcome.kind === 'served' && outcome.answer?.body.toString()).toBe('{"BMS":{"MODULES_CONFIGURED":"u8_03"},"ENERGY":{"GUI_BAT_DATA_FUEL_CHARGE":"fl_42480000"}}');
    // An object the device does not have answers OBJECT_NOT_FOUND whatever keys are asked.
    expect(bodyOf(m.resolve(post('{"WALLBOX":{"L1_USED":""}}')))).toEqual({ WALLBOX: { OBJECT_NOT_FOUND: '' } });
  });

  it('tells writes apart by the written value and never serves them from a subset', () => {
    const m = matcher();
    expect(m.resolve(post('{"ENERGY":{"SAFE_CHARGE_RUNNING":"","SAFE_CHARGE_FORCE":"u8_01"}}')).kind).toBe('served');
    expect(m.resolve(post('{"ENERGY":{"SAFE_CHARGE_FORCE":"u8_00","SAFE_CHARGE_RUNNING":""}}')).kind).toBe('unmatched');
    expect(m.resolve(post('{"ENERGY":{"SAFE_CHARGE_FORCE":"u8_01"}}')).kind).toBe('unmatched');
    // A read of a key only a write request asked for is not cut from the write's echo either.
    expect(m.resolve(post('{"ENERGY":{"SAFE_CHARGE_RUNNING":""}}')).kind).toBe('unmatched');
  });

  it('matches a whole-object request ({}) only by a recorded whole-object request', () => {
    const m = matcher();
    expect(bodyOf(m.resolve(post('{"STATISTIC":{}}')))).toEqual({ STATISTIC: {} });
    expect(m.resolve(post('{"ENERGY":{}}')).kind).toBe('unmatched');
  });

  it('answers unknown keys VARIABLE_NOT_FOUND and unknown objects OBJECT_NOT_FOUND, as the device does', () => {
    const outcome = matcher().resolve(post('{"ENERGY":{"GUI_BAT_DATA_FUEL_CHARGE":"","NOPE":""},"FOO":{"BAR":""}}'));
    expect(outcome.kind).toBe('unmatched');
    expect(outcome.kind === 'unmatched' && outcome.answer.status).toBe(200);
    expect(bodyOf(outcome)).toEqual({ ENERGY: { GUI_BAT_DATA_FUEL_CHARGE: 'VARIABLE_NOT_FOUND', NOPE: 'VARIABLE_NOT_FOUND' }, FOO: { OBJECT_NOT_FOUND: '' } });
    expect(outcome.kind === 'unmatched' && outcome.log).toMatch(/nearest recorded: "POST \/lala\.cgi BMS\.MODULES_CONFIGURED&ENERGY\.GUI_BAT_DATA_FUEL_CHARGE&ENERGY\.GUI_BAT_DATA_POWER"; answered/);
  });

  it('answers a body that is not a JSON object of objects with nginx 400, other paths with 404/405', () => {
    const m = matcher();
    const bad = m.resolve(post('{"ENERGY":["x"]}'));
    expect(bad.kind === 'unmatched' && bad.answer.status).toBe(400);
    expect(bad.kind === 'unmatched' && bad.answer.body.toString()).toBe(nginxErrorPage(400));
    const page = m.resolve(incoming('GET', '//vars.html', {}, Buffer.alloc(0)));
    expect(page.kind === 'served' && page.answer?.body.toString()).toBe('<html>vars</html>');
    const missing = m.resolve(incoming('GET', '//log/2024/06/21.log', {}, Buffer.alloc(0)));
    expect(missing.kind === 'unmatched' && missing.answer.status).toBe(404);
    const get = m.resolve(incoming('GET', '/lala.cgi', {}, Buffer.alloc(0)));
    expect(get.kind === 'unmatched' && get.answer.status).toBe(405);
  });

  it('gives the same key for any order of objects and keys (property)', () => {
    const name = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,6}$/);
    const object = fc.uniqueArray(fc.tuple(name, fc.constantFrom('', 'u8_01', 'fl_42480000')), { selector: ([k]) => k, maxLength: 4 });
    const body = fc.uniqueArray(fc.tuple(name, object), { selector: ([o]) => o, minLength: 1, maxLength: 4 });
    const reversed = (entries: [string, [string, string][]][]) => [...entries].reverse().map(([o, keys]): [string, [string, string][]] => [o, [...keys].reverse()]);
    const text = (entries: [string, [string, string][]][]) => JSON.stringify(Object.fromEntries(entries.map(([o, keys]) => [o, Object.fromEntries(keys)])));
    fc.assert(
      fc.property(body, (entries) => {
        expect(formKey(senecRules.form(post(text(reversed(entries)))))).toBe(formKey(senecRules.form(post(text(entries)))));
      }),
    );
  });
});
