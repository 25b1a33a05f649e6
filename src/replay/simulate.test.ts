import { describe, expect, it } from 'vitest';
import { HttpMatcher } from './http-matcher.js';
import { incoming } from './http-rules.js';
import { Ledger } from './ledger.js';
import { parseRecording } from './read.js';
import { senecRules } from './senec.js';
import { emulatorOptionsFromRecording } from './simulate.js';
import { httpExchange, recordingHeader, recordingText } from './test-support.js';

const plan = (device: 'pvs' | 'senec' | 'growatt', transport: 'http' | 'https', exchanges: ReturnType<typeof httpExchange>[]) =>
  emulatorOptionsFromRecording(parseRecording(recordingText(recordingHeader(device, transport), exchanges)), { port: 0 });

describe('emulatorOptionsFromRecording', () => {
  it('starts the clock where the recording ended', () => {
    const p = plan('pvs', 'http', [httpExchange(1, 'GET', '/x', '{}', { t: 1500 })]);
    expect(p.options.start).toBe(Date.parse('2024-06-21T19:00:00.000Z') + 1500);
  });

  it('keeps an unredacted Growatt token as the demo token, and counts SPH inverters only', () => {
    const rows = '{"data":{"count":2,"devices":[{"device_sn":"SPH1","type":5},{"device_sn":"METER1","type":3}]},"error_code":0,"error_msg":""}';
    const p = plan('growatt', 'https', [httpExchange(1, 'GET', '/v1/device/list?plant_id=7', rows, { requestHeaders: { token: 'abcdef1234567890' } })]);
    expect(p.options.growatt?.fleet).toEqual({ demoToken: 'abcdef1234567890', devices: 1, sphPerPlant: 1 });
  });

  it('tells the SENEC firmware from its session cookie, then from APPLICATION_VERSION, then from the transport', () => {
    const read = (reply: string, headers: Record<string, string | string[]> = {}) =>
      httpExchange(1, 'POST', '/lala.cgi', reply, { requestBody: '{}', headers: { 'content-type': 'application/json', ...headers } });
    expect(plan('senec', 'https', [read('{}', { 'set-cookie': 'senec-homev3-gui=REDACTED;Secure' })]).options.senec?.site?.profile).toBe('v3-npu2411');
    expect(plan('senec', 'https', [read('{"WIZARD":{"APPLICATION_VERSION":"st_0825"}}')]).options.senec?.site?.profile).toBe('v3-0825');
    expect(plan('senec', 'http', [read('{}')]).options.senec?.site?.profile).toBe('v21-0824');
    expect(plan('senec', 'https', [read('{"ENERGY":{"GUI_BAT_DATA_FUEL_CHARGE":"fl_42480000"}}')]).options.senec?.site).toMatchObject({ initialSocPct: 50 });
  });

  it('says what it could not take from a PVS recording without a DeviceList', () => {
    expect(plan('pvs', 'http', []).notApplied).toEqual([expect.stringContaining('no DeviceList reply recorded')]);
  });
});

describe('redacted session cookies', () => {
  it('reach the client as a fresh 64-hex-digit value, not the literal REDACTED', () => {
    const exchange = httpExchange(1, 'POST', '/lala.cgi', '{}', { requestBody: '{}', headers: { 'set-cookie': 'senec-homev3-gui=REDACTED;Secure;HttpOnly' } });
    const outcome = new HttpMatcher(senecRules, [exchange], new Ledger('order')).resolve(incoming('POST', '/lala.cgi', {}, Buffer.from('{}')));
    expect(outcome.kind === 'served' && outcome.answer?.headers['set-cookie']).toMatch(/^senec-homev3-gui=[0-9a-f]{64};Secure;HttpOnly$/);
  });
});
