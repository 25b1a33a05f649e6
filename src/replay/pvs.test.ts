import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCJson } from '../../emulators/sunpower-pvs/protocol/cjson.js';
import { UNKNOWN_COMMAND } from '../../emulators/sunpower-pvs/protocol/commands.js';
import { lighttpdErrorPage } from '../../emulators/sunpower-pvs/protocol/pages.js';
import { formKey } from './form.js';
import { HttpMatcher } from './http-matcher.js';
import { incoming } from './http-rules.js';
import { Ledger } from './ledger.js';
import { pvsRules } from './pvs.js';
import { httpExchange } from './test-support.js';

const get = (url: string, method = 'GET') => incoming(method, url, {}, Buffer.alloc(0));

function matcher() {
  const exchanges = [
    httpExchange(1, 'GET', '/cgi-bin/dl_cgi?Command=DeviceList', '{"devices":[],"result":"succeed"}'),
    httpExchange(2, 'GET', '/cgi-bin/dl_cgi?Command=Get_Comm&SerialNumber=ZT1', '{"result":"succeed","networkstatus":{}}'),
  ];
  return new HttpMatcher(pvsRules, exchanges, new Ledger('order'));
}

describe('PVS matching', () => {
  it('matches by command and parameters, whatever their order, ignoring cache-busters', () => {
    const m = matcher();
    for (const url of ['/cgi-bin/dl_cgi?Command=DeviceList', '/cgi-bin/dl_cgi?_=1718990000&Command=DeviceList', '/cgi-bin/dl_cgi?Command=DeviceList&_ts=5']) {
      const outcome = m.resolve(get(url));
      expect(outcome.kind, url).toBe('served');
      if (outcome.kind === 'served') expect(outcome.exchange.seq).toBe(1);
    }
    const comm = m.resolve(get('/cgi-bin/dl_cgi?SerialNumber=ZT1&Command=Get_Comm'));
    expect(comm.kind === 'served' && comm.exchange.seq).toBe(2);
  });

  it('keeps names and values case-sensitive and the method significant, as the firmware does', () => {
    const m = matcher();
    expect(m.resolve(get('/cgi-bin/dl_cgi?command=DeviceList')).kind).toBe('unmatched');
    expect(m.resolve(get('/cgi-bin/dl_cgi?Command=devicelist')).kind).toBe('unmatched');
    expect(m.resolve(get('/cgi-bin/dl_cgi?Command=DeviceList', 'POST')).kind).toBe('unmatched');
    expect(m.resolve(get('/cgi-bin/dl_cgi?Command=Get_Comm&SerialNumber=ZT2')).kind).toBe('unmatched');
  });

  it('answers an unrecorded command as dl_cgi answers an unknown one, and other paths with lighttpd 404', () => {
    const m = matcher();
    const command = m.resolve(get('/cgi-bin/dl_cgi?Command=GridProfileGet'));
    expect(command.kind).toBe('unmatched');
    if (command.kind !== 'unmatched') return;
    expect(command.answer.status).toBe(200);
    expect(command.answer.body.toString()).toBe(formatCJson(UNKNOWN_COMMAND));
    expect(command.log).toContain('GET /cgi-bin/dl_cgi?Command=GridProfileGet');
    expect(command.log).toContain('key "GET /cgi-bin/dl_cgi Command=GridProfileGet"');
    expect(command.log).toMatch(/nearest recorded: "GET \/cgi-bin\/dl_cgi Command=/);
    const page = m.resolve(get('/index.html'));
    expect(page.kind === 'unmatched' && page.answer.status).toBe(404);
    expect(page.kind === 'unmatched' && page.answer.body.toString()).toBe(lighttpdErrorPage(404));
  });

  it('gives the same key for any order of the query parameters (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,7}$/);
    const params = fc.uniqueArray(fc.tuple(name, fc.stringMatching(/^[A-Za-z0-9]{0,6}$/)), { selector: ([n]) => n, minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(params.chain((p) => fc.tuple(fc.constant(p), fc.shuffledSubarray(p, { minLength: p.length, maxLength: p.length }))), ([a, b]) => {
        const url = (list: [string, string][]) => `/cgi-bin/dl_cgi?${new URLSearchParams(list).toString()}`;
        expect(formKey(pvsRules.form(get(url(a))))).toBe(formKey(pvsRules.form(get(url(b)))));
      }),
    );
  });
});
