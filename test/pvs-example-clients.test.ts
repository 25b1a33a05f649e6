/**
 * Would the example clients of the device documents accept what the PVS emulator serves? Each client's hard
 * requirements (protocol notes §7.1–§7.3) are written down here as checks on the emulator's actual output, fetched
 * with `app.inject()`: what the client hard-indexes must exist, what it converts must convert, what it rejects must
 * not appear. They run for a plain site and a SunVault site, at noon (inverters working) and at night (inverters in
 * `error` without metrics).
 */
import { describe, expect, it } from 'vitest';
import { SUMMER_NIGHT, SUMMER_NOON, testPvs } from '../emulators/sunpower-pvs/test-support.js';
import type { SiteConfig } from '../emulators/sunpower-pvs/site.js';

type Json = Record<string, unknown>;
type Device = Json;

const ESS_STATUS = '/cgi-bin/dl_cgi/energy-storage-system/status';

const SITES: Record<string, Partial<SiteConfig>> = {
  default: {},
  sunvault: { essBatteries: 2 },
};
const MOMENTS = { noon: SUMMER_NOON, night: SUMMER_NIGHT };
const CASES = Object.entries(SITES).flatMap(([site, config]) =>
  Object.entries(MOMENTS).map(([moment, start]) => ({ name: `${site} site at ${moment}`, site: config, start })),
);

// ---------------------------------------------------------------------------------------------------------------
// Python's float() for ASCII text

const PY_WHITESPACE = '[ \\t\\n\\v\\f\\r\\x1c-\\x1f]';
const DIGITS = '[0-9](?:_?[0-9])*';
const PY_FLOAT = new RegExp(
  `^${PY_WHITESPACE}*[+-]?(?:(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?|inf(?:inity)?|nan)${PY_WHITESPACE}*$`,
  'i',
);

/**
 * What `float(s)` returns in Python 3, or throws like its ValueError. Follows CPython's grammar: surrounding
 * whitespace, a sign, digits with single underscores between them, optional fraction and exponent, `inf`/`infinity`/
 * `nan` in any case. Non-ASCII digits and whitespace (which CPython also accepts) are not modelled: the PVS and the
 * emulator print ASCII only, and such a string is rejected here, never wrongly accepted.
 */
function pythonFloat(s: string): number {
  if (!PY_FLOAT.test(s)) throw new Error(`ValueError: could not convert string to float: ${JSON.stringify(s)}`);
  const core = s.replace(new RegExp(`^${PY_WHITESPACE}+|${PY_WHITESPACE}+$`, 'g'), '').replace(/_/g, '').toLowerCase();
  const sign = core.startsWith('-') ? -1 : 1;
  const unsigned = core.replace(/^[+-]/, '');
  if (unsigned === 'nan') return Number.NaN;
  if (unsigned === 'inf' || unsigned === 'infinity') return sign * Number.POSITIVE_INFINITY;
  return Number(core);
}

describe('pythonFloat matches Python float() on these strings', () => {
  it.each([
    ['1', 1], ['-0.5', -0.5], ['+3', 3], [' 2.5\n', 2.5], ['\t7\t', 7], ['1e3', 1000], ['1E-2', 0.01], ['.5', 0.5],
    ['5.', 5], ['1_000.2_5', 1000.25], ['00012', 12], ['-0', -0], ['inf', Infinity], ['-Infinity', -Infinity], ['+iNF', Infinity],
  ])('accepts %j as %d', (text, value) => {
    expect(pythonFloat(text)).toBe(value);
  });

  it('accepts nan as NaN', () => {
    expect(pythonFloat('NaN')).toBeNaN();
  });

  it.each(['', ' ', '.', '-', '1_', '_1', '1__0', '1._5', '0x10', '1e', 'e3', '1.2.3', '--1', '1,5', 'infinit', 'nan1', '1 2', '١٢', '1\u00a0'])(
    'rejects %j',
    (text) => {
      expect(() => pythonFloat(text)).toThrow(/ValueError/);
    },
  );
});

// ---------------------------------------------------------------------------------------------------------------
// helpers

async function fetchAll(site: Partial<SiteConfig>, start: number) {
  const pvs = await testPvs({ site, start });
  const raw = async (url: string) => {
    const response = await pvs.app.inject({ method: 'GET', url });
    return { status: response.statusCode, text: response.body, contentType: response.headers['content-type'] };
  };
  const command = (name: string) => raw(`/cgi-bin/dl_cgi?Command=${name}`);
  const deviceListResponse = await command('DeviceList');
  const body = JSON.parse(deviceListResponse.text) as Json;
  const devices = (Array.isArray(body.devices) ? body.devices : []) as Device[];
  return { pvs, raw, command, deviceListResponse, body, devices };
}

const ofType = (devices: Device[], type: string) => devices.filter((d) => d.DEVICE_TYPE === type);

/** `python: d[key]` — throws like KeyError when the key is missing. */
function hardIndex<T = unknown>(object: unknown, key: string, where: string): T {
  if (typeof object !== 'object' || object === null || !(key in object)) throw new Error(`KeyError: ${JSON.stringify(key)} in ${where}`);
  return (object as Record<string, T>)[key]!;
}

/** Checks `x[key]` exists and is a string (possibly "", as PORT and MOD_SN are); returns it. */
function requireString(device: Device, key: string): string {
  const value = device[key];
  expect(typeof value, `${String(device.SERIAL)}.${key}`).toBe('string');
  return value as string;
}

// ---------------------------------------------------------------------------------------------------------------
// krbaker/hass-sunpower (§7.1)

const HASS_INVERTER_SUMS = ['ltea_3phsum_kwh', 'p_mppt1_kw', 'i_3phsum_a'] as const;
const HASS_INVERTER_AVERAGES = ['freq_hz', 'vln_3phavg_v'] as const;
const HASS_FIELDS: Record<string, readonly string[]> = {
  PVS: ['dl_cpu_load', 'dl_err_count', 'dl_comm_err', 'dl_skipped_scans', 'dl_scan_time', 'dl_untransmitted', 'dl_uptime', 'dl_mem_used', 'dl_flash_avail'],
  'Power Meter': ['freq_hz', 'net_ltea_3phsum_kwh', 'p_3phsum_kw', 'q_3phsum_kvar', 's_3phsum_kva', 'tot_pf_rto', 'i1_a', 'i_a', 'i2_a', 'p1_kw', 'p2_kw', 'v1n_v', 'v2n_v', 'v12_v', 'neg_ltea_3phsum_kwh', 'pos_ltea_3phsum_kwh'],
  Inverter: ['ltea_3phsum_kwh', 'p_3phsum_kw', 'vln_3phavg_v', 'i_3phsum_a', 'p_mpptsum_kw', 'p_mppt1_kw', 'v_mppt1_v', 'i_mppt1_a', 't_htsnk_degc', 'freq_hz'],
};
/**
 * Fields of HASS_FIELDS a working device of each role carries on PVS6 firmware 2021.11+ (§2.3). The consumption
 * meter is listed without `i_a`: the 2021 capture has only `i1_a`/`i2_a` there, and hass reads `i_a` only if present.
 */
const HASS_PRESENT_WHEN_WORKING: Record<string, readonly string[]> = {
  PVS: HASS_FIELDS.PVS!,
  production: ['freq_hz', 'net_ltea_3phsum_kwh', 'p_3phsum_kw', 'q_3phsum_kvar', 's_3phsum_kva', 'tot_pf_rto', 'i_a', 'v12_v'],
  consumption: ['freq_hz', 'net_ltea_3phsum_kwh', 'p_3phsum_kw', 'q_3phsum_kvar', 's_3phsum_kva', 'tot_pf_rto', 'i1_a', 'i2_a', 'p1_kw', 'p2_kw', 'v1n_v', 'v2n_v', 'v12_v', 'neg_ltea_3phsum_kwh', 'pos_ltea_3phsum_kwh'],
  // p_mpptsum_kw is the old-firmware name of p_mppt1_kw.
  Inverter: HASS_FIELDS.Inverter!.filter((f) => f !== 'p_mpptsum_kw'),
};

function hassRole(device: Device): string {
  if (device.DEVICE_TYPE !== 'Power Meter') return String(device.DEVICE_TYPE);
  return String(device.TYPE).endsWith('METER-P') ? 'production' : 'consumption';
}

const HASS_BATTERY_VALUES = ['battery_amperage', 'battery_voltage', 'customer_state_of_charge', 'system_state_of_charge', 'temperature'];
const HASS_ESS_VALUES = ['enclosure_humidity', 'enclosure_temperature'];
const HASS_HUB_VALUES = ['grid_phase1_voltage', 'grid_phase2_voltage', 'hub_humidity', 'hub_temperature', 'inverter_connection_voltage', 'load_phase1_voltage', 'load_phase2_voltage', 'main_voltage'];
const HASS_HUB_STRINGS = ['contactor_position', 'grid_frequency_state', 'grid_voltage_state', 'load_frequency_state'];

/** `convert_sunpower_data`: data[DEVICE_TYPE][SERIAL] = device (last one wins). */
function hassIndex(devices: Device[]): Record<string, Record<string, Device>> {
  const data: Record<string, Record<string, Device>> = {};
  for (const device of devices) {
    const type = hardIndex<string>(device, 'DEVICE_TYPE', 'device');
    const serial = hardIndex<string>(device, 'SERIAL', 'device');
    (data[type] ??= {})[serial] = device;
  }
  return data;
}

/** `x["value"]` of a `{unit, value}` measurement, which must be a JSON number (hass multiplies A × V). */
function hassValue(parent: unknown, key: string, where: string): number {
  const value = hardIndex(hardIndex(parent, key, where), 'value', `${where}.${key}`);
  expect(typeof value, `${where}.${key}.value`).toBe('number');
  expect(Number.isFinite(value), `${where}.${key}.value`).toBe(true);
  return value as number;
}

describe.each(CASES)('krbaker/hass-sunpower accepts the $name', ({ site, start }) => {
  it('DeviceList: 200 JSON with a `devices` list, one PVS, a STATE on every device, unique serials per type', async () => {
    const { deviceListResponse, body, devices } = await fetchAll(site, start);
    expect(deviceListResponse.status).toBe(200);
    expect(Array.isArray(hardIndex(body, 'devices', 'DeviceList'))).toBe(true);
    const data = hassIndex(devices);
    // create_vmeter: next(iter(data["PVS"]))
    expect(Object.keys(hardIndex(data, 'PVS', 'data'))).toHaveLength(1);
    // Binary sensors hard-index STATE; duplicates within a type would silently collapse.
    for (const device of devices) expect(['working', 'error']).toContain(device.STATE);
    expect(Object.values(data).reduce((n, bySerial) => n + Object.keys(bySerial).length, 0)).toBe(devices.length);
  });

  it('create_vmeter: every summed and averaged inverter metric goes through float(); the sums make sense', async () => {
    const { devices } = await fetchAll(site, start);
    const inverters = ofType(devices, 'Inverter');
    expect(inverters.length).toBe(24);
    const totals = Object.fromEntries(HASS_INVERTER_SUMS.map((key) => [key, 0])) as Record<(typeof HASS_INVERTER_SUMS)[number], number>;
    for (const inverter of inverters) {
      for (const key of HASS_INVERTER_SUMS) {
        // float(x.get(k, "0"))
        const text = inverter[key] ?? '0';
        expect(typeof text, `${String(inverter.SERIAL)}.${key}`).toBe('string');
        totals[key] += pythonFloat(text as string);
      }
      for (const key of HASS_INVERTER_AVERAGES) {
        if (key in inverter) expect(Number.isFinite(pythonFloat(requireString(inverter, key)))).toBe(true);
      }
    }
    if (start === SUMMER_NOON) {
      expect(totals.ltea_3phsum_kwh).toBeGreaterThan(24 * 100);
      // p_mppt1_kw must be there on modern firmware, or the virtual meter's DC power would read 0.
      expect(totals.p_mppt1_kw).toBeGreaterThan(24 * 0.2);
      expect(totals.i_3phsum_a).toBeGreaterThan(24 * 0.5);
    } else {
      // Night: no DC power, whether the inverters drop their metrics (2019) or keep stale ones (2024+, §2.4).
      expect(totals.p_mppt1_kw).toBeLessThan(24 * 0.01);
    }
  });

  it('every field hass reads is float()-parseable wherever present, and present at setup on working devices', async () => {
    const { devices } = await fetchAll(site, start);
    for (const [type, fields] of Object.entries(HASS_FIELDS)) {
      for (const device of ofType(devices, type)) {
        for (const field of fields) {
          if (field in device) pythonFloat(requireString(device, field));
        }
      }
    }
    // Sensors are only created for fields present at setup, so a working device must already carry its fields.
    for (const device of devices.filter((d) => d.STATE === 'working')) {
      const expected = HASS_PRESENT_WHEN_WORKING[hassRole(device)] ?? [];
      expect(expected.filter((f) => !(f in device)), `${String(device.DEVICE_TYPE)} ${String(device.SERIAL)}`).toEqual([]);
    }
    // tot_pf_rto × 100 must stay a power factor in percent.
    for (const meter of ofType(devices, 'Power Meter')) expect(Math.abs(pythonFloat(requireString(meter, 'tot_pf_rto')) * 100)).toBeLessThanOrEqual(100);
  });

  it('network_status (Get_Comm, the config-flow probe) answers 200 with a JSON object', async () => {
    const { command } = await fetchAll(site, start);
    const response = await command('Get_Comm');
    expect(response.status).toBe(200);
    const body = JSON.parse(response.text) as unknown;
    expect(typeof body === 'object' && body !== null && !Array.isArray(body)).toBe(true);
  });

  it('does not produce the 403 JSON glitch (a JSON body without `devices`) in a day of polling', async () => {
    const { pvs, command, raw } = await fetchAll(site, start);
    for (let poll = 0; poll < 24; poll++) {
      pvs.clock.advance(3_600_000);
      const list = await command('DeviceList');
      expect(list.status).toBe(200);
      const body = JSON.parse(list.text) as Json;
      expect(Object.keys(body)).toEqual(['devices', 'result']);
      expect(body.result).toBe('succeed');
      for (const other of [await command('Get_Comm'), ...(site.essBatteries ? [await raw(ESS_STATUS)] : [])]) {
        expect(other.status).toBe(200);
        expect(JSON.parse(other.text)).not.toHaveProperty('error');
      }
    }
  });

  it('convert_ess_data: runs only with an ESS; then HUB+ exists and every ESS report serial hard-indexes DeviceList by type', async () => {
    const { devices, raw } = await fetchAll(site, start);
    const data = hassIndex(devices);
    const hasEss = 'Energy Storage System' in data;
    expect(hasEss).toBe((site.essBatteries ?? 0) > 0);
    if (!hasEss) {
      // hass never asks; the endpoint does not exist on a site without a SunVault.
      expect((await raw(ESS_STATUS)).status).toBe(404);
      return;
    }
    expect(Object.keys(hardIndex(data, 'HUB+', 'data'))).toHaveLength(1);
    const response = await raw(ESS_STATUS);
    expect(response.status).toBe(200);
    const report = hardIndex<Json>(JSON.parse(response.text), 'ess_report', 'ESS status');

    const batteries = hardIndex<Json[]>(report, 'battery_status', 'ess_report');
    expect(batteries.length).toBeGreaterThan(0);
    for (const battery of batteries) {
      hardIndex(data['ESS BMS'], hardIndex<string>(battery, 'serial_number', 'battery_status'), 'data["ESS BMS"]');
      const values = Object.fromEntries(HASS_BATTERY_VALUES.map((key) => [key, hassValue(battery, key, 'battery_status')]));
      // Power = A × V must be a number.
      expect(Number.isFinite(values.battery_amperage! * values.battery_voltage!)).toBe(true);
    }

    const units = hardIndex<Json[]>(report, 'ess_status', 'ess_report');
    expect(units.length).toBeGreaterThan(0);
    for (const unit of units) {
      hardIndex(data['Energy Storage System'], hardIndex<string>(unit, 'serial_number', 'ess_status'), 'data["Energy Storage System"]');
      for (const key of HASS_ESS_VALUES) hassValue(unit, key, 'ess_status');
      const reading = hardIndex(unit, 'ess_meter_reading', 'ess_status');
      hassValue(reading, 'agg_power', 'ess_meter_reading');
      for (const meter of ['meter_a', 'meter_b']) {
        const meterReading = hardIndex(hardIndex(reading, meter, 'ess_meter_reading'), 'reading', meter);
        for (const key of ['current', 'power', 'voltage']) hassValue(meterReading, key, `${meter}.reading`);
      }
    }

    const hub = hardIndex<Json>(report, 'hub_plus_status', 'ess_report');
    hardIndex(data['HUB+'], hardIndex<string>(hub, 'serial_number', 'hub_plus_status'), 'data["HUB+"]');
    for (const key of HASS_HUB_VALUES) hassValue(hub, key, 'hub_plus_status');
    for (const key of HASS_HUB_STRINGS) expect(typeof hardIndex(hub, key, 'hub_plus_status'), key).toBe('string');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// ginoledesma/sunpower-pvs-exporter (§7.2)

const EXPORTER_SCRAPE = ['Start', 'Get_Comm', 'GridProfileGet', 'DeviceList', 'Stop'] as const;

describe.each(CASES)('ginoledesma/sunpower-pvs-exporter accepts the $name', ({ site, start }) => {
  it('answers the five-request scrape Start → Get_Comm → GridProfileGet → DeviceList → Stop with 200 JSON objects', async () => {
    const { pvs, command } = await fetchAll(site, start);
    pvs.pvs.requests.clear();
    for (const name of EXPORTER_SCRAPE) {
      const response = await command(name);
      expect(response.status, name).toBe(200);
      // A non-JSON body would silently become {} (no devices); JSON must parse to a non-empty object.
      const body = JSON.parse(response.text) as unknown;
      expect(typeof body === 'object' && body !== null && !Array.isArray(body), name).toBe(true);
      expect(Object.keys(body as Json).length, name).toBeGreaterThan(0);
    }
    expect(pvs.pvs.requests.list().map((r) => [r.command, r.status])).toEqual(EXPORTER_SCRAPE.map((name) => [name, 200]));
  });

  it('Get_Comm: networkstatus.interfaces[] each carry interface, internet and sms', async () => {
    const { command } = await fetchAll(site, start);
    const body = JSON.parse((await command('Get_Comm')).text) as unknown;
    const interfaces = hardIndex<Json[]>(hardIndex(body, 'networkstatus', 'Get_Comm'), 'interfaces', 'networkstatus');
    expect(interfaces.length).toBeGreaterThan(0);
    for (const entry of interfaces) {
      for (const key of ['interface', 'internet', 'sms']) expect(typeof hardIndex(entry, key, 'interfaces[]'), key).toBe('string');
    }
  });

  it('GridProfileGet: active_id, active_name, percent (a number for the gauge) and status', async () => {
    const { command } = await fetchAll(site, start);
    const body = JSON.parse((await command('GridProfileGet')).text) as Json;
    expect(typeof hardIndex(body, 'active_id', 'GridProfileGet')).toBe('string');
    expect(typeof hardIndex(body, 'active_name', 'GridProfileGet')).toBe('string');
    expect(typeof hardIndex(body, 'percent', 'GridProfileGet')).toBe('number');
    expect(typeof hardIndex(body, 'status', 'GridProfileGet')).toBe('string');
  });

  it('DeviceList: the keys it hard-indexes per device type, and meter TYPEs that say production or consumption', async () => {
    const { devices } = await fetchAll(site, start);
    for (const device of devices) for (const key of ['DEVICE_TYPE', 'SERIAL', 'MODEL', 'STATE']) requireString(device, key);
    for (const pvs of ofType(devices, 'PVS')) requireString(pvs, 'SWVER');
    const meters = ofType(devices, 'Power Meter');
    const meterTypes = meters.map((meter) => {
      for (const key of ['DESCR', 'PORT', 'SWVER']) requireString(meter, key);
      return requireString(meter, 'TYPE');
    });
    expect(meterTypes.map((t) => (t.endsWith('METER-P') ? 'production' : t.endsWith('METER-C') ? 'consumption' : t))).toEqual(['production', 'consumption']);
    const inverters = ofType(devices, 'Inverter');
    expect(inverters).toHaveLength(24);
    for (const inverter of inverters) for (const key of ['DESCR', 'TYPE', 'MOD_SN', 'PORT', 'SWVER']) requireString(inverter, key);
  });

  it('metrics it converts (kW × 1000, KiB × 1024) are numeric strings', async () => {
    const { devices } = await fetchAll(site, start);
    const pvs = ofType(devices, 'PVS')[0]!;
    for (const key of ['dl_mem_used', 'dl_flash_avail', 'dl_uptime']) expect(Number.isFinite(pythonFloat(requireString(pvs, key)) * 1024)).toBe(true);
    for (const meter of ofType(devices, 'Power Meter')) expect(Number.isFinite(pythonFloat(requireString(meter, 'p_3phsum_kw')) * 1000)).toBe(true);
  });

  it('a realistic-latency DeviceList fits its 10 s CLI timeout (not the 5 s class default)', async () => {
    const { pvs, devices } = await fetchAll(site, start);
    pvs.pvs.patchState({ deviceListLatency: true });
    const delay = pvs.pvs.command('DeviceList').delayMs;
    expect(delay).toBe(250 * devices.length);
    expect(delay).toBeLessThan(10_000);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// cmalek/sungazer (§7.3)

const SUNGAZER_COMMANDS = ['Start', 'Stop', 'Get_Comm&SerialNumber=ZT01234567890', 'CheckFW', 'GridProfileGet', 'GridProfileRefreshResponse'];
const SUNGAZER_DEVICE_TYPES = new Set(['PVS', 'Power Meter', 'Inverter', 'PV Disconnect', 'Gateway', 'Storage Inverter', 'ESS BMS', 'Battery', 'Energy Storage System']);
const SUNGAZER_SITES: Record<string, Partial<SiteConfig>> = {
  default: {},
  'sungazer-compatible SunVault (essHubDevices: false)': { essBatteries: 2, essHubDevices: false },
};
const SUNGAZER_CASES = Object.entries(SUNGAZER_SITES).flatMap(([site, config]) =>
  Object.entries(MOMENTS).map(([moment, start]) => ({ name: `${site} site at ${moment}`, site: config, start })),
);

/** Python's str.splitlines() for \n / \r\n / \r text: no trailing empty element. */
function splitlines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** `_handle_response`: keep only the lines starting with `{`, TAB or `}` (header lines leaked into the body go). */
function sungazerFilter(text: string): string {
  return splitlines(text).filter((line) => line.startsWith('{') || line.startsWith('\t') || line.startsWith('}')).join('\n');
}

const TIMESTAMP = /^(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)$/;

/** sungazer's datetime parse of CURTIME/DATATIME: six comma-separated integers forming a valid UTC instant. */
function sungazerTimestamp(text: unknown): number {
  const match = typeof text === 'string' ? TIMESTAMP.exec(text) : null;
  if (!match) throw new Error(`ValueError: timestamp ${JSON.stringify(text)}`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(ms);
  const same = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && d.getUTCHours() === hour && d.getUTCMinutes() === minute && d.getUTCSeconds() === second;
  if (!same) throw new Error(`ValueError: ${JSON.stringify(text)} is not a valid date`);
  return ms;
}

describe.each(CASES)('cmalek/sungazer reads the non-DeviceList answers of the $name', ({ site, start }) => {
  it('every line of every body starts with {, TAB or }, and the filtered text parses to the same JSON', async () => {
    const { command } = await fetchAll(site, start);
    for (const name of SUNGAZER_COMMANDS) {
      const response = await command(name);
      // raise_for_status()
      expect(response.status, name).toBeLessThan(400);
      const lines = splitlines(response.text);
      expect(lines.length, name).toBeGreaterThan(0);
      expect(lines.filter((line) => !/^[{\t}]/.test(line)), name).toEqual([]);
      expect(JSON.parse(sungazerFilter(response.text)), name).toEqual(JSON.parse(response.text));
    }
  });

  it('its buggy GridProfileRefreshResponse command gets the device\'s "unknown command" answer', async () => {
    const { command } = await fetchAll(site, start);
    expect(JSON.parse((await command('GridProfileRefreshResponse')).text)).toEqual({ result: 'unknown command' });
  });
});

describe.each(SUNGAZER_CASES)('cmalek/sungazer accepts the DeviceList of the $name', ({ site, start }) => {
  it('json.loads works and every DEVICE_TYPE is one its models accept', async () => {
    const { deviceListResponse, devices } = await fetchAll(site, start);
    expect(() => JSON.parse(deviceListResponse.text) as unknown).not.toThrow();
    expect(devices.map((d) => d.DEVICE_TYPE).filter((type) => !SUNGAZER_DEVICE_TYPES.has(type as string))).toEqual([]);
    if (site.essBatteries) expect(ofType(devices, 'Energy Storage System')).toHaveLength(1);
  });

  it('meters carry production_subtype_enum / consumption_subtype_enum (modern firmware), else sungazer drops them', async () => {
    const { devices } = await fetchAll(site, start);
    const meters = ofType(devices, 'Power Meter');
    expect(meters).toHaveLength(2);
    expect(meters.map((m) => [m.production_subtype_enum, m.consumption_subtype_enum])).toEqual([
      ['GROSS_PRODUCTION_SITE', undefined],
      [undefined, 'NET_CONSUMPTION_LOADSIDE'],
    ]);
  });

  it('CURTIME and DATATIME are exactly six comma-separated integers forming a valid UTC time', async () => {
    const { devices } = await fetchAll(site, start);
    let datatimes = 0;
    for (const device of devices) {
      expect(sungazerTimestamp(device.CURTIME)).toBe(Math.floor(start / 1000) * 1000);
      if ('DATATIME' in device) {
        datatimes++;
        expect(sungazerTimestamp(device.DATATIME)).toBeLessThanOrEqual(start);
      }
    }
    expect(datatimes).toBeGreaterThan(0);
  });

  it('inverter slave is 0 or 1 (a bool in its model)', async () => {
    const { devices } = await fetchAll(site, start);
    const inverters = ofType(devices, 'Inverter');
    expect(inverters).toHaveLength(24);
    // Modern firmware sends it, so the check is not vacuous.
    for (const inverter of inverters) expect([0, 1]).toContain(inverter.slave);
  });

  it('exactly one PVS, at most one production and one consumption meter', async () => {
    const { devices } = await fetchAll(site, start);
    expect(ofType(devices, 'PVS')).toHaveLength(1);
    const meters = ofType(devices, 'Power Meter');
    expect(meters.filter((m) => 'production_subtype_enum' in m).length).toBeLessThanOrEqual(1);
    expect(meters.filter((m) => 'consumption_subtype_enum' in m).length).toBeLessThanOrEqual(1);
    expect(meters.filter((m) => String(m.TYPE).endsWith('METER-P')).length).toBeLessThanOrEqual(1);
    expect(meters.filter((m) => String(m.TYPE).endsWith('METER-C')).length).toBeLessThanOrEqual(1);
  });
});

describe('cmalek/sungazer: documented limitations', () => {
  it('rejects a SunVault site with the default essHubDevices: true, exactly because of HUB+ and ESS Hub', async () => {
    const { devices } = await fetchAll({ essBatteries: 2 }, SUMMER_NOON);
    const rejected = [...new Set(devices.map((d) => d.DEVICE_TYPE as string).filter((type) => !SUNGAZER_DEVICE_TYPES.has(type)))];
    expect(rejected.sort()).toEqual(['ESS Hub', 'HUB+']);
  });

  it('drops both meters on 2019 firmware, which (like the real 2019 payloads) has no meter subtypes', async () => {
    const { devices } = await fetchAll({ firmware: '2019.5, Build 4150' }, SUMMER_NOON);
    const kept = ofType(devices, 'Power Meter').filter((m) => 'production_subtype_enum' in m || 'consumption_subtype_enum' in m);
    expect(ofType(devices, 'Power Meter')).toHaveLength(2);
    expect(kept).toEqual([]);
  });
});

describe('the checks reject what the clients reject', () => {
  it('sungazer: a space-indented body loses its inner lines to the filter; bad timestamps raise', () => {
    const spaced = `${JSON.stringify({ result: 'succeed', supervisor: { SERIAL: 'ZT1' } }, null, 2)}\n`;
    expect(splitlines(spaced).filter((line) => !/^[{\t}]/.test(line))).not.toEqual([]);
    // Only the outer braces survive: sungazer would see {} instead of the answer.
    expect(JSON.parse(sungazerFilter(spaced))).toEqual({});
    const tabbed = `${JSON.stringify({ result: 'succeed', supervisor: { SERIAL: 'ZT1' } }, null, '\t')}\n`;
    expect(JSON.parse(sungazerFilter(`HTTP/1.1 200 OK\r\nServer: lighttpd\r\n${tabbed}`))).toEqual(JSON.parse(tabbed));
    for (const bad of ['2026,06,21,19,30', '2026,06,21,19,30,00,00', '2026-06-21 19:30:00', '2026,13,01,00,00,00', '2026,02,30,00,00,00', ' 2026,06,21,19,30,00', 1]) {
      expect(() => sungazerTimestamp(bad), String(bad)).toThrow(/ValueError/);
    }
    expect(sungazerTimestamp('2026,06,21,19,30,00')).toBe(SUMMER_NOON);
  });

  it('hass: a missing key is a KeyError; the 403 glitch body has no devices', () => {
    const glitch = { status: 403, error: 'Unauthorized', path: '' };
    expect(() => hardIndex(glitch, 'devices', 'DeviceList')).toThrow(/KeyError/);
    expect(() => hardIndex(hassIndex([{ DEVICE_TYPE: 'PVS', SERIAL: 'ZT1' }]), 'HUB+', 'data')).toThrow(/KeyError/);
    expect(() => hassIndex([{ SERIAL: 'ZT1' }])).toThrow(/KeyError/);
    expect(hassIndex([{ DEVICE_TYPE: 'Inverter', SERIAL: 'E1', n: 1 }, { DEVICE_TYPE: 'Inverter', SERIAL: 'E1', n: 2 }])).toEqual({ Inverter: { E1: { DEVICE_TYPE: 'Inverter', SERIAL: 'E1', n: 2 } } });
  });
});
