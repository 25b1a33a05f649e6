import { describe, expect, it } from 'vitest';
import { readFixture } from '../../../contracts/growatt/index.js';
import { addDays, historyWindows } from './dates.js';
import { RateLimitScheduler } from './scheduler.js';
import {
  FakeClock,
  fakeClient,
  fakeServer,
  mixsDataReply,
  telemetryFor,
  type SeenRequest,
} from './test-support.js';

const sns = (n: number, prefix = 'SN') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

describe('lastDataForMany', () => {
  it('splits over 100 SNs into batches of at most 100 and merges every SN into one map', async () => {
    const server = fakeServer(mixsDataReply);
    const wanted = sns(250);
    const merged = await fakeClient(server).lastDataForMany(wanted);
    const batches = server.requests.map((r) => (r.form['mixs'] ?? '').split(','));
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat()).toEqual(wanted);
    expect([...merged.keys()].sort()).toEqual(wanted);
    expect(merged.get('SN0123')?.serialNum).toBe('SN0123');
  });

  it('sends exactly 100 SNs in one call and drops duplicates before batching', async () => {
    const server = fakeServer(mixsDataReply);
    const merged = await fakeClient(server).lastDataForMany([...sns(100), 'SN0000', 'SN0099']);
    expect(server.requests).toHaveLength(1);
    expect(merged.size).toBe(100);
  });

  it('sends nothing for an empty list', async () => {
    const server = fakeServer(mixsDataReply);
    expect((await fakeClient(server).lastDataForMany([])).size).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it('reads the verbatim seed reply, duplicated SN included', async () => {
    const server = fakeServer(() => readFixture('mixs_data.json'));
    const merged = await fakeClient(server).lastDataForMany(['NTCF946079']);
    expect([...merged.keys()]).toEqual(['NTCF946079']);
    expect(merged.get('NTCF946079')?.soc).toBe(84);
  });
});

describe('historyWindows', () => {
  it('covers the range exactly with windows of at most 7 calendar days', () => {
    const windows = historyWindows('2024-02-25', '2024-03-12');
    expect(windows).toEqual([
      { start: '2024-02-25', end: '2024-03-02' },
      { start: '2024-03-03', end: '2024-03-09' },
      { start: '2024-03-10', end: '2024-03-12' },
    ]);
  });

  it('is one window for a single day and none for a reversed range', () => {
    expect(historyWindows('2024-01-01', '2024-01-01')).toEqual([{ start: '2024-01-01', end: '2024-01-01' }]);
    expect(historyWindows('2024-01-02', '2024-01-01')).toEqual([]);
  });

  it('tiles any range without gaps or overlaps', () => {
    for (let length = 0; length < 40; length += 1) {
      const end = addDays('2023-12-20', length);
      const windows = historyWindows('2023-12-20', end);
      expect(windows[0]!.start).toBe('2023-12-20');
      expect(windows.at(-1)!.end).toBe(end);
      for (const [i, w] of windows.entries()) {
        expect(w.start <= w.end).toBe(true);
        expect(w.end <= addDays(w.start, 6)).toBe(true);
        if (i > 0) expect(w.start).toBe(addDays(windows[i - 1]!.end, 1));
      }
    }
  });
});

/** A mix_data fake: `rows[start_date]` rows per window, paged by page/perpage; `count` may be overridden. */
function historyServer(rows: Record<string, number>, countOverride?: Record<string, number>) {
  return (request: SeenRequest) => {
    const start = request.form['start_date']!;
    const total = rows[start] ?? 0;
    const page = Number(request.form['page']);
    const perpage = Number(request.form['perpage']);
    const all = Array.from({ length: total }, (_, i) => telemetryFor('SPH1', `${start} 00:${String(i).padStart(2, '0')}:00`));
    const datas = all.slice((page - 1) * perpage, page * perpage);
    return {
      data: {
        count: countOverride?.[start] ?? total,
        datalogger_sn: 'NAC59173CA',
        mix_sn: 'SPH1',
        datas,
        next_page_start_id: page * perpage + 1,
      },
      error_code: 0,
      error_msg: '',
    };
  };
}

describe('mixHistory', () => {
  it('reads 7-day windows in order, each page by page until count rows have arrived', async () => {
    const server = fakeServer(historyServer({ '2024-01-01': 5, '2024-01-08': 0, '2024-01-15': 3 }));
    const rows = [];
    for await (const row of fakeClient(server).mixHistory('SPH1', '2024-01-01', '2024-01-20', { perpage: 2 })) rows.push(row);
    expect(server.requests.map((r) => [r.form['start_date'], r.form['end_date'], r.form['page']])).toEqual([
      ['2024-01-01', '2024-01-07', '1'],
      ['2024-01-01', '2024-01-07', '2'],
      ['2024-01-01', '2024-01-07', '3'],
      ['2024-01-08', '2024-01-14', '1'],
      ['2024-01-15', '2024-01-20', '1'],
      ['2024-01-15', '2024-01-20', '2'],
    ]);
    expect(server.requests.every((r) => r.form['mix_sn'] === 'SPH1' && r.form['perpage'] === '2')).toBe(true);
    expect(rows.map((r) => r.time)).toEqual([
      '2024-01-01 00:00:00',
      '2024-01-01 00:01:00',
      '2024-01-01 00:02:00',
      '2024-01-01 00:03:00',
      '2024-01-01 00:04:00',
      '2024-01-15 00:00:00',
      '2024-01-15 00:01:00',
      '2024-01-15 00:02:00',
    ]);
  });

  it('stops a window at the first empty page even when count promises more', async () => {
    const server = fakeServer(historyServer({ '2024-01-01': 3 }, { '2024-01-01': 50 }));
    const rows = [];
    for await (const row of fakeClient(server).mixHistory('SPH1', '2024-01-01', '2024-01-03', { perpage: 2 })) rows.push(row);
    expect(rows).toHaveLength(3);
    expect(server.requests.map((r) => r.form['page'])).toEqual(['1', '2', '3']);
  });

  it('defaults to 100 rows per page and passes timezone_id', async () => {
    const server = fakeServer(historyServer({ '2024-01-01': 1 }));
    for await (const _ of fakeClient(server).mixHistory('SPH1', '2024-01-01', '2024-01-01', { timezoneId: 'GMT+1' })) void _;
    expect(server.requests[0]!.form).toMatchObject({ perpage: '100', page: '1', timezone_id: 'GMT+1' });
  });

  it('never waits on the 5-minute window, because every window and page is a different call', async () => {
    const clock = new FakeClock();
    const server = fakeServer(historyServer({ '2024-01-01': 4, '2024-01-08': 4 }), clock.now);
    const client = fakeClient(server, { scheduler: new RateLimitScheduler({ now: clock.now, sleep: clock.sleep }) });
    const collect = async () => {
      let n = 0;
      for await (const _ of client.mixHistory('SPH1', '2024-01-01', '2024-01-14', { perpage: 2 })) n += 1;
      return n;
    };
    expect(await clock.run(collect())).toBe(8);
    expect(server.requests.map((r) => r.at)).toEqual([0, 0, 0, 0]);
  });
});

describe('allPlants / allDevices', () => {
  function listServer(key: 'plants' | 'devices', total: number) {
    const body = readFixture(key === 'plants' ? 'plant_list.json' : 'device_list.json') as {
      data: Record<string, unknown[]>;
    };
    const template = body.data[key]![0] as Record<string, unknown>;
    const idKey = key === 'plants' ? 'plant_id' : 'device_id';
    return (request: SeenRequest) => {
      const page = Number(request.query['page']);
      const perpage = Number(request.query['perpage']);
      const rows = Array.from({ length: total }, (_, i) => ({ ...template, [idKey]: i + 1 })).slice((page - 1) * perpage, page * perpage);
      return { data: { count: total, [key]: rows }, error_code: 0, error_msg: '' };
    };
  }

  it('pages through every plant', async () => {
    const server = fakeServer(listServer('plants', 5));
    const ids = [];
    for await (const plant of fakeClient(server).allPlants({ perpage: 2 })) ids.push(plant.plant_id);
    expect(ids).toEqual([1, 2, 3, 4, 5]);
    expect(server.requests.map((r) => r.query['page'])).toEqual(['1', '2', '3']);
  });

  it('pages through every device of a plant with 100 per page by default', async () => {
    const server = fakeServer(listServer('devices', 150));
    let n = 0;
    for await (const device of fakeClient(server).allDevices(9)) n += device.device_id === '' ? 0 : 1;
    expect(n).toBe(150);
    expect(server.requests.map((r) => [r.query['plant_id'], r.query['page'], r.query['perpage']])).toEqual([
      ['9', '1', '100'],
      ['9', '2', '100'],
    ]);
  });
});
