/**
 * Cross-field rules of a DeviceList (and of the ESS status against it) that JSON schemas cannot express.
 * They come from §9.4/§9.5 of the protocol notes: what real clients rely on beyond the shape of each device.
 */
import { parsePvsTimestamp } from './format.js';
import { deviceKindOf, type ValidationResult } from './validate.js';

function records(body: unknown, key: string): Record<string, unknown>[] {
  if (typeof body !== 'object' || body === null) return [];
  const list = (body as Record<string, unknown>)[key];
  return Array.isArray(list) ? list.filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null) : [];
}

const result = (errors: string[]): ValidationResult => (errors.length ? { ok: false, errors } : { ok: true });

/** Rank of a device kind in the DeviceList order: PVS, production meters, consumption meters, then the rest. */
function orderRank(device: unknown): number {
  switch (deviceKindOf(device)) {
    case 'supervisor':
      return 0;
    case 'productionMeter':
      return 1;
    case 'consumptionMeter':
      return 2;
    default:
      return 3;
  }
}

/**
 * - exactly one PVS device, and it comes first (hass-sunpower's virtual meter needs it);
 * - order PVS, meters `p` then `c`, then inverters / ESS devices;
 * - CURTIME never decreases through the list (the list is generated serially);
 * - SERIAL unique within a DEVICE_TYPE (hass-sunpower keys devices by type and serial);
 * - a HUB+ device whenever an Energy Storage System is present (hass-sunpower raises KeyError otherwise).
 */
export function checkDeviceListInvariants(body: unknown): ValidationResult {
  const devices = records(body, 'devices');
  const errors: string[] = [];
  const pvsIndexes = devices.flatMap((d, i) => (d['DEVICE_TYPE'] === 'PVS' ? [i] : []));
  if (pvsIndexes.length !== 1) errors.push(`/devices: expected exactly one PVS device, found ${pvsIndexes.length}`);
  else if (pvsIndexes[0] !== 0) errors.push(`/devices/${pvsIndexes[0]}: the PVS device must come first`);

  let lastTime = -Infinity;
  let lastRank = 0;
  const seen = new Set<string>();
  devices.forEach((d, i) => {
    const rank = orderRank(d);
    if (rank < lastRank) errors.push(`/devices/${i}: out of order (PVS, production meter, consumption meter, others)`);
    lastRank = Math.max(lastRank, rank);
    const t = typeof d['CURTIME'] === 'string' ? parsePvsTimestamp(d['CURTIME']) : undefined;
    if (t !== undefined) {
      if (t < lastTime) errors.push(`/devices/${i}/CURTIME: goes back in time`);
      lastTime = Math.max(lastTime, t);
    }
    const key = `${String(d['DEVICE_TYPE'])}\u0000${String(d['SERIAL'])}`;
    if (seen.has(key)) errors.push(`/devices/${i}/SERIAL: duplicate ${String(d['SERIAL'])} within ${String(d['DEVICE_TYPE'])}`);
    seen.add(key);
  });

  const hasEss = devices.some((d) => d['DEVICE_TYPE'] === 'Energy Storage System');
  if (hasEss && !devices.some((d) => d['DEVICE_TYPE'] === 'HUB+')) {
    errors.push('/devices: an Energy Storage System needs a HUB+ device');
  }
  return result(errors);
}

/**
 * ESS status serials must name DeviceList devices: battery_status ↔ `ESS BMS`, ess_status ↔ `Energy Storage System`,
 * hub_plus_status ↔ `HUB+` (hass-sunpower hard-indexes `data[type][serial_number]`).
 */
export function checkEssCrossLinks(deviceList: unknown, essStatus: unknown): ValidationResult {
  const serialsOf = (type: string) =>
    new Set(records(deviceList, 'devices').flatMap((d) => (d['DEVICE_TYPE'] === type ? [d['SERIAL']] : [])));
  const report =
    typeof essStatus === 'object' && essStatus !== null ? (essStatus as Record<string, unknown>)['ess_report'] : undefined;
  if (typeof report !== 'object' || report === null) return { ok: false, errors: ['/ess_report: missing'] };
  const errors: string[] = [];
  const link = (key: string, type: string) => {
    const known = serialsOf(type);
    records(report, key).forEach((entry, i) => {
      if (!known.has(entry['serial_number'])) {
        errors.push(`/ess_report/${key}/${i}/serial_number: ${String(entry['serial_number'])} is not a ${type} SERIAL`);
      }
    });
  };
  link('battery_status', 'ESS BMS');
  link('ess_status', 'Energy Storage System');
  const hub = (report as Record<string, unknown>)['hub_plus_status'];
  if (typeof hub === 'object' && hub !== null) {
    const serial = (hub as Record<string, unknown>)['serial_number'];
    if (!serialsOf('HUB+').has(serial)) {
      errors.push(`/ess_report/hub_plus_status/serial_number: ${String(serial)} is not a HUB+ SERIAL`);
    }
  }
  return result(errors);
}
