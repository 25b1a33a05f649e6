import { describe, expect, it } from 'vitest';
import { HttpMatcher, type HttpOutcome } from './http-matcher.js';
import { growattRules } from './growatt.js';
import { incoming } from './http-rules.js';
import { Ledger } from './ledger.js';
import { httpExchange } from './test-support.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const LAST = '{"data":{"ppv":"1200"},"error_code":0,"error_msg":"","datalogger_sn":"DL1","mix_sn":"SN123"}';
const ENERGY = '{"data":{"count":1},"error_code":0,"error_msg":""}';

function matcher(token = 'REDACTED') {
  const exchanges = [
    httpExchange(1, 'POST', '/v1/device/mix/mix_last_data', LAST, { requestBody: 'mix_sn=SN123', requestHeaders: { ...FORM, token } }),
    httpExchange(2, 'GET', '/v1/plant/energy?plant_id=1042&start_date=2024-06-20&end_date=2024-06-21&time_unit=day', ENERGY, { requestHeaders: { token } }),
  ];
  return new HttpMatcher(growattRules, exchanges, new Ledger('order'));
}

const call = (method: string, url: string, token: string | undefined, body = '') =>
  incoming(method, url, { ...(body ? FORM : {}), ...(token === undefined ? {} : { token }) }, Buffer.from(body));
const apiCode = (outcome: HttpOutcome) => (outcome.kind === 'unmatched' ? (JSON.parse(outcome.answer.body.toString()) as { error_code: number }).error_code : 'served');

describe('Growatt matching', () => {
  it('matches method, path and parameters from query and form alike, in any order, without the token', () => {
    const m = matcher();
    expect(m.resolve(call('POST', '/v1/device/mix/mix_last_data', 'abc123token', 'mix_sn=SN123')).kind).toBe('served');
    // The same parameter in the query string instead of the form body.
    expect(m.resolve(call('POST', '/v1/device/mix/mix_last_data?mix_sn=SN123', 'other')).kind).toBe('served');
    const energy = m.resolve(call('GET', '/v1/plant/energy?time_unit=day&end_date=2024-06-21&plant_id=1042&start_date=2024-06-20', 'x'));
    expect(energy.kind === 'served' && energy.exchange.seq).toBe(2);
  });

  it('lets an unredacted recorded token match only itself: another one gets 10011', () => {
    const m = matcher('realtoken1');
    expect(m.resolve(call('POST', '/v1/device/mix/mix_last_data', 'realtoken1', 'mix_sn=SN123')).kind).toBe('served');
    const other = m.resolve(call('POST', '/v1/device/mix/mix_last_data', 'wrongtoken', 'mix_sn=SN123'));
    expect(apiCode(other)).toBe(10011);
    expect(other.kind === 'unmatched' && other.log).toContain('recorded only with another credential');
  });

  it('answers like the service: unknown device → the endpoint\'s own code, known device with new parameters → 10001', () => {
    const m = matcher();
    expect(apiCode(m.resolve(call('POST', '/v1/device/mix/mix_last_data', 't', 'mix_sn=NOPE99')))).toBe(10002);
    expect(apiCode(m.resolve(call('POST', '/v1/device/mix/mix_data', 't', 'mix_sn=NOPE99&start_date=2024-06-21&end_date=2024-06-21')))).toBe(10005);
    expect(apiCode(m.resolve(call('GET', '/v1/plant/energy?plant_id=999&start_date=2024-06-20&end_date=2024-06-21&time_unit=day', 't')))).toBe(10002);
    expect(apiCode(m.resolve(call('GET', '/v1/device/list?plant_id=999', 't')))).toBe(10003);
    // SN123 is in the recording (a request and a reply): the device exists, this day was just not recorded.
    expect(apiCode(m.resolve(call('POST', '/v1/device/mix/mix_data', 't', 'mix_sn=SN123&start_date=2024-06-21&end_date=2024-06-21')))).toBe(10001);
    expect(apiCode(m.resolve(call('GET', '/v1/plant/energy?plant_id=1042&start_date=2024-06-01&end_date=2024-06-02&time_unit=day', 't')))).toBe(10001);
  });

  it('answers a missing token 10011 and unknown paths or methods with the Spring JSON 404/405', () => {
    const m = matcher();
    expect(apiCode(m.resolve(call('POST', '/v1/device/mix/mix_last_data', undefined, 'mix_sn=NOPE')))).toBe(10011);
    const unknown = m.resolve(call('GET', '/v1/nothing/here', 't'));
    expect(unknown.kind === 'unmatched' && unknown.answer.status).toBe(404);
    expect(unknown.kind === 'unmatched' && JSON.parse(unknown.answer.body.toString())).toMatchObject({ status: 404, error: 'Not Found', path: '/v1/nothing/here' });
    const method = m.resolve(call('GET', '/v1/device/mix/mix_last_data?mix_sn=SN123', 't'));
    expect(method.kind === 'unmatched' && method.answer.status).toBe(405);
  });
});
