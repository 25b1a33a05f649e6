import { describe, expect, it } from 'vitest';
import type { TSchema } from '@sinclair/typebox';
import {
  COMMAND_NAMES,
  COMMAND_RESPONSE_SCHEMAS,
  DEVICE_FIELDS,
  DEVICE_SCHEMAS,
  DEVICE_TYPES,
  NUMERIC_STRING_PATTERN,
  PVS_FIXTURES,
  PVS_TIMESTAMP_PATTERN,
  checkDeviceListInvariants,
  checkEssCrossLinks,
  deviceKindOf,
  pvsFixtureData,
  validateCommandResponse,
  validateDevice,
  validateEssStatus,
  type DeviceKind,
  type PvsFixture,
  type ValidationResult,
} from './index.js';

type Json = Record<string, any>;

function validateFixture(f: PvsFixture): ValidationResult {
  if ('command' in f.target) return validateCommandResponse(f.target.command, f.data);
  if ('device' in f.target) return validateDevice(f.data);
  return validateEssStatus(f.data);
}
const errorPaths = (r: ValidationResult) => (r.ok ? [] : r.errors.map((e) => e.slice(0, e.indexOf(':'))));
const deviceList = (name: string) => pvsFixtureData(name) as Json;
const device2019 = (index: number) => deviceList('device-list-2019').devices[index] as Json;

describe('fixtures', () => {
  it.each(PVS_FIXTURES.map((f) => [f.name, f] as const))('%s validates (except its documented gaps)', (_, f) => {
    const result = validateFixture(f);
    expect(errorPaths(result)).toEqual(f.knownGaps);
  });

  it('cover every command and the ESS status endpoint', () => {
    const commands = new Set(PVS_FIXTURES.flatMap((f) => ('command' in f.target ? [f.target.command] : [])));
    expect([...commands].sort()).toEqual([...COMMAND_NAMES].sort());
    expect(PVS_FIXTURES.some((f) => 'essStatus' in f.target)).toBe(true);
  });

  it('cover every device kind', () => {
    const kinds = new Set<DeviceKind>();
    for (const f of PVS_FIXTURES) {
      if ('device' in f.target) kinds.add(f.target.device);
      if ('command' in f.target && f.target.command === 'DeviceList') {
        for (const d of (f.data as Json).devices) kinds.add(deviceKindOf(d)!);
      }
    }
    expect([...kinds].sort()).toEqual(Object.keys(DEVICE_SCHEMAS).sort());
  });

  it('the 2019 DeviceList and the ESS example satisfy the cross-field rules', () => {
    expect(checkDeviceListInvariants(deviceList('device-list-2019'))).toEqual({ ok: true });
    expect(checkDeviceListInvariants(deviceList('device-list-2021-fragment'))).toEqual({ ok: true });
    const essDevices = {
      devices: [
        'device-hub-plus-2022',
        'device-storage-inverter-2022',
        'device-ess-bms-2022',
        'device-energy-storage-system-2022',
      ].map(pvsFixtureData),
    };
    expect(checkEssCrossLinks(essDevices, pvsFixtureData('ess-status.synthetic'))).toEqual({ ok: true });
  });
});

describe('schemas reject what real clients choke on', () => {
  const rejects = (mutate: (body: Json) => void, expectedPath: string) => {
    const body = deviceList('device-list-2019');
    mutate(body);
    const result = validateCommandResponse('DeviceList', body);
    expect(result.ok).toBe(false);
    expect(errorPaths(result)).toContain(expectedPath);
  };

  it('an empty-string metric', () => rejects((b) => (b.devices[1].p_3phsum_kw = ''), '/devices/1/p_3phsum_kw'));
  it('a metric sent as a JSON number', () => rejects((b) => (b.devices[3].p_3phsum_kw = 0.125), '/devices/3/p_3phsum_kw'));
  it('a metric that float() cannot parse', () => rejects((b) => (b.devices[0].dl_cpu_load = 'n/a'), '/devices/0/dl_cpu_load'));
  it('a space in CURTIME', () => rejects((b) => (b.devices[0].CURTIME = '2019,05,11,16,53, 53'), '/devices/0/CURTIME'));
  it('an ISO DATATIME', () => rejects((b) => (b.devices[2].DATATIME = '2019-05-11T16:53:45Z'), '/devices/2/DATATIME'));
  it('panid as a string', () => rejects((b) => (b.devices[0].panid = '1234567890'), '/devices/0/panid'));
  it('ISDETAIL as a string', () => rejects((b) => (b.devices[3].ISDETAIL = 'true'), '/devices/3/ISDETAIL'));
  it('a missing SERIAL', () => rejects((b) => delete b.devices[4].SERIAL, '/devices/4/SERIAL'));
  it('a missing STATE', () => rejects((b) => delete b.devices[1].STATE, '/devices/1/STATE'));
  it('a PVS without SWVER', () => rejects((b) => delete b.devices[0].SWVER, '/devices/0/SWVER'));
  it('an inverter without MOD_SN', () => rejects((b) => delete b.devices[3].MOD_SN, '/devices/3/MOD_SN'));
  it('a meter without PORT', () => rejects((b) => delete b.devices[2].PORT, '/devices/2/PORT'));
  it('a production meter whose serial ends in c', () =>
    rejects((b) => (b.devices[1].SERIAL = 'PVS6M01234567c'), '/devices/1/SERIAL'));
  it('an unknown DEVICE_TYPE', () => rejects((b) => (b.devices[3].DEVICE_TYPE = 'Optimizer'), '/devices/3/DEVICE_TYPE'));
  it('result other than succeed', () => rejects((b) => (b.result = 'error'), '/result'));
  it('the 403 body instead of a device list', () => {
    const result = validateCommandResponse('DeviceList', { status: 403, error: 'Unauthorized', path: '' });
    expect(errorPaths(result)).toEqual(['/devices', '/result']);
  });

  it('slave and parent as strings on ESS devices', () => {
    const mio = pvsFixtureData('device-ess-hub-2022') as Json;
    mio.slave = '221';
    mio.parent = '11';
    expect(errorPaths(validateDevice(mio))).toEqual(['/slave', '/parent']);
  });

  it('ESS values that are not {unit, value:number}', () => {
    const ess = pvsFixtureData('ess-status.synthetic') as Json;
    ess.ess_report.battery_status[0].battery_voltage.value = '51.2';
    delete ess.ess_report.battery_status[0].customer_state_of_charge;
    ess.ess_report.hub_plus_status.main_voltage = 245.3;
    expect(errorPaths(validateEssStatus(ess)).sort()).toEqual([
      '/ess_report/battery_status/0/battery_voltage/value',
      '/ess_report/battery_status/0/customer_state_of_charge',
      '/ess_report/hub_plus_status/main_voltage',
    ]);
  });

  it('an ESS body without ess_report', () => {
    expect(errorPaths(validateEssStatus({ errors: [] }))).toEqual(['/ess_report']);
  });

  it('accepts null ESS entries (faulty devices) and ess_meter_reading null', () => {
    const ess = pvsFixtureData('ess-status.synthetic') as Json;
    ess.ess_report.battery_status = [null];
    ess.ess_report.inverter_status = [null];
    ess.ess_report.ess_status[0].ess_meter_reading = null;
    expect(validateEssStatus(ess)).toEqual({ ok: true });
  });

  it('Start with a string BUILD, Get_Comm with a numeric Wi-Fi signal, a short grid profile id', () => {
    const start = pvsFixtureData('start-2021') as Json;
    start.supervisor.BUILD = '41001';
    expect(errorPaths(validateCommandResponse('Start', start))).toEqual(['/supervisor/BUILD']);
    const comm = pvsFixtureData('get-comm-2019') as Json;
    comm.networkstatus.interfaces[2].signal = -74;
    expect(validateCommandResponse('Get_Comm', comm).ok).toBe(false);
    const grid = pvsFixtureData('grid-profile-get') as Json;
    grid.active_id = '816bf330';
    expect(errorPaths(validateCommandResponse('GridProfileGet', grid))).toEqual(['/active_id']);
  });

  it('DeviceDetails only documents the unknown-command answer', () => {
    expect(validateCommandResponse('DeviceDetails', { result: 'succeed' }).ok).toBe(false);
  });
});

describe('cross-field rules', () => {
  it('flag a missing or misplaced PVS, bad order, time going back, duplicate serials, ESS without HUB+', () => {
    const body = deviceList('device-list-2019');
    const [pvs, p, c, inv1] = body.devices;
    body.devices = [p, pvs, c, inv1, { ...inv1, CURTIME: '2019,05,11,16,50,00' }, pvsFixtureData('device-energy-storage-system-2022')];
    expect(errorPaths(checkDeviceListInvariants(body))).toEqual([
      '/devices/1',
      '/devices/1',
      '/devices/4/CURTIME',
      '/devices/4/SERIAL',
      '/devices',
    ]);
    expect(errorPaths(checkDeviceListInvariants({ devices: [c] }))).toEqual(['/devices']);
  });

  it('flag ESS serials that name no DeviceList device', () => {
    const result = checkEssCrossLinks(deviceList('device-list-2019'), pvsFixtureData('ess-status.synthetic'));
    expect(errorPaths(result)).toEqual([
      '/ess_report/battery_status/0/serial_number',
      '/ess_report/ess_status/0/serial_number',
      '/ess_report/hub_plus_status/serial_number',
    ]);
  });
});

describe('field tables agree with the schemas', () => {
  const jsonTypeOf = (s: TSchema): string => {
    if (s['pattern'] === NUMERIC_STRING_PATTERN) return 'numeric-string';
    if (s['pattern'] === PVS_TIMESTAMP_PATTERN) return 'timestamp';
    if (Array.isArray(s['anyOf'])) return jsonTypeOf(s['anyOf'][0]);
    return String(s['type']);
  };

  it.each(Object.keys(DEVICE_SCHEMAS) as DeviceKind[])('%s', (kind) => {
    const schema = DEVICE_SCHEMAS[kind];
    const fields = DEVICE_FIELDS[kind];
    expect(fields.map((f) => f.name).sort()).toEqual(Object.keys(schema.properties).sort());
    expect(fields.filter((f) => f.required).map((f) => f.name).sort()).toEqual([...(schema.required ?? [])].sort());
    for (const f of fields) {
      expect([f.name, jsonTypeOf((schema.properties as Record<string, TSchema>)[f.name]!)]).toEqual([f.name, f.json]);
      if (f.kind === 'metric') expect([f.name, f.json, typeof f.unit]).toEqual([f.name, 'numeric-string', 'string']);
    }
  });

  it('DEVICE_TYPES name each schema once with its DEVICE_TYPE and TYPE literals', () => {
    expect(DEVICE_TYPES.map((t) => t.kind).sort()).toEqual(Object.keys(DEVICE_SCHEMAS).sort());
    for (const t of DEVICE_TYPES) {
      const props = DEVICE_SCHEMAS[t.kind].properties as Record<string, TSchema>;
      expect(props['DEVICE_TYPE']!['const']).toBe(t.deviceType);
      expect(props['TYPE']?.['const']).toBe(t.type);
    }
  });

  it('the command list matches the response schemas', () => {
    expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(COMMAND_RESPONSE_SCHEMAS).sort());
  });
});
