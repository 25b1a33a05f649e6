import { gzipSync, gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED } from './format.js';
import { redactBody, redactCookieHeader, redactHeaders, redactJsonText, redactParams, redactResponse, redactSetCookie, redactUrl } from './redact.js';

const TOKEN = '6eb6f069523055a339d71e5b1f6c88cc';

describe('header redaction', () => {
  it('replaces token and authorization values and keeps cookie names', () => {
    const out = redactHeaders({
      token: TOKEN,
      authorization: 'Basic c3NtX293bmVyOjEyMzQ1',
      cookie: 'senec-homev3-gui=abc123; theme=dark',
      'set-cookie': ['senec-homev3-gui=506d96;Secure;HttpOnly;Max-Age=3600;SameSite=Strict', 'b=2; Path=/'],
      'content-type': 'application/json',
    });
    expect(out).toEqual({
      token: REDACTED,
      authorization: REDACTED,
      cookie: `senec-homev3-gui=${REDACTED}; theme=${REDACTED}`,
      'set-cookie': [`senec-homev3-gui=${REDACTED};Secure;HttpOnly;Max-Age=3600;SameSite=Strict`, `b=${REDACTED}; Path=/`],
      'content-type': 'application/json',
    });
  });

  it('keeps every cookie name and no value survives', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
    const value = fc.stringMatching(/^[A-Za-z0-9]{6,20}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 5 }), (pairs) => {
        const header = pairs.map(([n, v]) => `${n}=${v}`).join('; ');
        const out = redactCookieHeader(header);
        expect(out.split('; ').map((p) => p.split('=')[0])).toEqual(pairs.map(([n]) => n));
        for (const [, v] of pairs) if (!pairs.some(([n]) => n.includes(v))) expect(out).not.toContain(v);
      }),
    );
    expect(redactSetCookie('bare')).toBe(REDACTED);
  });
});

describe('URL and form redaction', () => {
  it('replaces a token parameter and leaves everything else byte for byte', () => {
    expect(redactUrl(`/v1/plant/list?page=1&token=${TOKEN}&perpage=100`)).toBe(`/v1/plant/list?page=1&token=${REDACTED}&perpage=100`);
    expect(redactUrl(`/v1/plant/list?TOKEN=${TOKEN}`)).toBe(`/v1/plant/list?TOKEN=${REDACTED}`);
    expect(redactUrl('/cgi-bin/dl_cgi?Command=DeviceList')).toBe('/cgi-bin/dl_cgi?Command=DeviceList');
    expect(redactParams(`mix_sn=ABC&token=${TOKEN}`)).toBe(`mix_sn=ABC&token=${REDACTED}`);
    expect(redactBody(Buffer.from(`type=pv_on_off&token=${TOKEN}`)).toString()).toBe(`type=pv_on_off&token=${REDACTED}`);
  });
});

describe('SENEC body redaction', () => {
  const login = '{"LOG":{"USER_LEVEL":"","USERNAME":"st_inst4ller","LOG_IN_NOK_COUNT":"","PASSWORD":"st_Pa55-secret","LOG_IN_BUTT":"u8_01"}}';

  it('replaces USERNAME and PASSWORD values, keeping the wire type and every other byte', () => {
    const out = redactJsonText(login);
    expect(out).toBe(`{"LOG":{"USER_LEVEL":"","USERNAME":"st_${REDACTED}","LOG_IN_NOK_COUNT":"","PASSWORD":"st_${REDACTED}","LOG_IN_BUTT":"u8_01"}}`);
    expect(JSON.parse(out)).toBeTruthy();
  });

  it('leaves reads (empty values) alone and handles spacing and escaped quotes', () => {
    const read = '{"LOG":{"USERNAME":"","PASSWORD":"st_"}}';
    expect(redactBody(Buffer.from(read)).toString()).toBe(read);
    const spaced = '{ "LOG" : { "PASSWORD" : "st_a\\"b\\\\" , "X":"u8_01" } }';
    expect(JSON.parse(redactJsonText(spaced))).toEqual({ LOG: { PASSWORD: `st_${REDACTED}`, X: 'u8_01' } });
  });

  it('never lets a password through, whatever its characters', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), (password) => {
        const body = JSON.stringify({ LOG: { USERNAME: 'st_x', PASSWORD: `st_${password}`, LOG_IN_BUTT: 'u8_01' } });
        const parsed = JSON.parse(redactBody(Buffer.from(body)).toString()) as { LOG: Record<string, string> };
        expect(parsed.LOG).toEqual({ USERNAME: `st_${REDACTED}`, PASSWORD: `st_${REDACTED}`, LOG_IN_BUTT: 'u8_01' });
      }),
    );
  });

  it('returns the very same buffer when nothing is secret (and for binary bodies)', () => {
    const plain = Buffer.from('{"ENERGY":{"GUI_BAT_DATA_POWER":""}}');
    expect(redactBody(plain)).toBe(plain);
    const binary = Buffer.from([0xff, 0xfe, 0x00]);
    expect(redactBody(binary)).toBe(binary);
  });

  it('sees through a compressed reply: records it redacted and plain, without content-encoding', () => {
    const gz = gzipSync(Buffer.from(login));
    const out = redactResponse({ 'content-encoding': 'gzip', 'content-length': String(gz.length), 'content-type': 'application/json' }, gz);
    expect(out.headers['content-encoding']).toBeUndefined();
    expect(out.body.toString()).toContain(`"PASSWORD":"st_${REDACTED}"`);
    expect(out.headers['content-length']).toBe(String(out.body.length));
    const harmless = gzipSync(Buffer.from('{"ENERGY":{}}'));
    const kept = redactResponse({ 'content-encoding': 'gzip' }, harmless);
    expect(kept.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(kept.body).toString()).toBe('{"ENERGY":{}}');
  });
});
