/**
 * Growatt mixs_data (latest data in batches) against mix_last_data: for any multiset of a 120-device fleet's SNs, sent
 * in any wire form, at any virtual time, the batch reply carries per SN exactly what mix_last_data answers at that
 * moment, echoes the list as sent, and refuses lists over 100 SNs.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { validateResponse } from '../contracts/growatt/index.js';
import { testGrowatt } from '../emulators/growatt/test-support.js';
import { GrowattClient } from '../src/clients/growatt/index.js';

const HOUR_MS = 3_600_000;
const FLEET_DEVICES = 120;

// One account owns all 120 devices (4 per plant, so dataloggers are shared); rate limits are off because the
// property calls mix_last_data for every SN right after the batch, at the same virtual instant.
const g = await testGrowatt({ fleet: { seed: 42, devices: FLEET_DEVICES, accounts: 1, sphPerPlant: 4 }, settings: { rateLimits: false } });
afterAll(() => g.app.close());

const errorsOf = (result: { ok: boolean; errors?: readonly string[] }) => (result.ok ? [] : (result.errors ?? ['invalid']));

type Body = Record<string, unknown> & { error_code: number };

/** `mixs` on the wire: one comma-joined value, one key per SN, or chunks of comma-joined SNs under repeated keys. */
const wireForm = fc.constantFrom('joined', 'repeated', 'chunked');
/** Where the `mixs` values travel: all in the form body, all in the query string, or the first part in the query. */
const placement = fc.constantFrom('body', 'query', 'split');

const snList = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: FLEET_DEVICES - 1 }), { minLength: min, maxLength: max }).map((picks) => picks.map((i) => g.sns[i]!));

const batchCase = (min: number, max: number) =>
  fc.record({
    sns: snList(min, max),
    form: wireForm,
    place: placement,
    chunk: fc.integer({ min: 1, max: 7 }),
    splitAt: fc.nat(),
    pageNum: fc.constantFrom('1', '2'),
    advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 * HOUR_MS })),
    outages: fc.array(
      fc.record({ device: fc.integer({ min: 0, max: FLEET_DEVICES - 1 }), online: fc.boolean(), kind: fc.constantFrom('datalogger', 'inverter') }),
      { maxLength: 4 },
    ),
  });
type BatchCase = typeof batchCase extends (...args: never[]) => fc.Arbitrary<infer T> ? T : never;

/** The `mixs` values in wire order; joining them with commas gives back the list. */
function mixsValues(c: BatchCase): string[] {
  if (c.form === 'joined') return [c.sns.join(',')];
  if (c.form === 'repeated') return [...c.sns];
  const values: string[] = [];
  for (let i = 0; i < c.sns.length; i += c.chunk) values.push(c.sns.slice(i, i + c.chunk).join(','));
  return values;
}

/** Cuts or restores uploads of a few devices (held-back uploads must show the same in both endpoints). */
function applyOutages(c: BatchCase): void {
  for (const o of c.outages) g.growatt.patchState({ devices: { [g.sns[o.device]!]: { online: o.online, kind: o.kind } } });
}

/** POSTs mixs_data with the values placed as the case says; query values come first, as the server merges them. */
async function postMixsData(c: BatchCase): Promise<{ status: number; body: Body }> {
  const values = mixsValues(c);
  const cut = c.place === 'body' ? 0 : c.place === 'query' ? values.length : c.splitAt % (values.length + 1);
  const query = new URLSearchParams(values.slice(0, cut).map((v): [string, string] => ['mixs', v]));
  const form = new URLSearchParams([...values.slice(cut).map((v): [string, string] => ['mixs', v]), ['pageNum', c.pageNum]]);
  const qs = query.toString();
  const response = await g.app.inject({
    method: 'POST',
    url: `/v1/device/mix/mixs_data${qs === '' ? '' : `?${qs}`}`,
    headers: { token: g.token, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form.toString(),
  });
  return { status: response.statusCode, body: JSON.parse(response.body) as Body };
}

describe('Growatt mixs_data agrees with mix_last_data', () => {
  // For any 1-100 fleet SNs (duplicates, any order, any wire form) at any time, with devices going on- and offline: data[SN][SN] equals mix_last_data(SN).data,
  // data[SN].dataloggerSn equals its datalogger_sn, data's keys are the distinct SNs, and mixs/pageNum echo the request.
  it('for any multiset of up to 100 SNs at any time', async () => {
    await fc.assert(
      fc.asyncProperty(batchCase(1, 100), async (c) => {
        g.clock.advance(c.advanceMs);
        applyOutages(c);
        const { status, body } = await postMixsData(c);
        expect(status).toBe(200);
        expect(body.error_code).toBe(0);
        expect(errorsOf(validateResponse('mixsData', body))).toEqual([]);
        expect(body['mixs']).toEqual(c.sns);
        expect(body['pageNum']).toBe(Number(c.pageNum));
        const data = body['data'] as Record<string, Record<string, unknown>>;
        const distinct = [...new Set(c.sns)];
        expect(Object.keys(data).sort()).toEqual([...distinct].sort());
        for (const sn of distinct) {
          const single = await g.call('POST', '/v1/device/mix/mix_last_data', { mix_sn: sn });
          expect(single.body.error_code).toBe(0);
          const entry = data[sn]!;
          expect(Object.keys(entry).sort()).toEqual([sn, 'dataloggerSn'].sort());
          expect(entry[sn]).toEqual(single.body.data);
          expect(entry['dataloggerSn']).toBe(single.body['datalogger_sn']);
        }
      }),
      { numRuns: 50 },
    );
  });

  // For any 101-300 fleet SNs in any wire form: the batch is refused with 10002 (device SN error), a valid error envelope.
  it('refuses more than 100 SNs with 10002', async () => {
    await fc.assert(
      fc.asyncProperty(batchCase(101, 300), async (c) => {
        g.clock.advance(c.advanceMs);
        const { status, body } = await postMixsData(c);
        expect(status).toBe(200);
        expect(body.error_code).toBe(10002);
        expect(errorsOf(validateResponse('mixsData', body))).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  // For any SN multiset of any size: the client's lastDataForMany (batches of ≤ 100, duplicates dropped) returns one entry
  // per distinct SN, equal to mix_last_data's data at the same instant.
  it('lastDataForMany merges batches into mix_last_data values', async () => {
    const client = new GrowattClient({ token: g.token, baseUrl: 'http://growatt.test', transport: g.transport, validate: true, scheduler: { enabled: false } });
    await fc.assert(
      fc.asyncProperty(snList(1, 250), fc.integer({ min: 0, max: 6 * HOUR_MS }), async (sns, advanceMs) => {
        g.clock.advance(advanceMs);
        const merged = await client.lastDataForMany(sns);
        const distinct = [...new Set(sns)];
        expect([...merged.keys()].sort()).toEqual([...distinct].sort());
        for (const sn of distinct) {
          const single = await g.call('POST', '/v1/device/mix/mix_last_data', { mix_sn: sn });
          expect(merged.get(sn)).toEqual(single.body.data);
        }
      }),
      { numRuns: 15 },
    );
  });
});
