// Talking to a running device the way a client does, in-process: HTTP requests through Fastify's
// inject() (same routes, same bytes as over a socket) and UPS frames straight to the serial slave.

import type { DeviceName, Voltbench, RunningDevice } from '../../emulators/registry.js';
import type { UpsEmulator } from '../../emulators/kehua-ups/emulator.js';
import type { GrowattEmulator } from '../../emulators/growatt/emulator.js';
import { answerFrame } from '../../emulators/kehua-ups/slave.js';
import { CID1_UPS, encodeFrame } from '../../contracts/kehua-ups/index.js';
import type { ScenarioHttpRequest } from './schema.js';

export interface DeviceReply {
  /** HTTP status; 0 when the device dropped the connection or (UPS) stayed silent. */
  status: number;
  /** Response body as sent; for the UPS the reply frame, empty for silence. */
  body: Buffer;
}

/** What a poller reads from each device: its main live-data request. */
const SENEC_POLL = JSON.stringify({
  ENERGY: { STAT_STATE: '', GUI_BAT_DATA_FUEL_CHARGE: '', GUI_BAT_DATA_POWER: '', GUI_HOUSE_POW: '', GUI_GRID_POW: '', GUI_INVERTER_POWER: '' },
  PM1OBJ1: { FREQ: '', U_AC: '', I_AC: '', P_AC: '', P_TOTAL: '' },
  STATISTIC: { LIVE_GRID_IMPORT: '', LIVE_GRID_EXPORT: '', LIVE_HOUSE_CONS: '', LIVE_PV_GEN: '' },
});
const UPS_ANALOG = 0x42;

export function emulatorOf(voltbench: Voltbench, device: DeviceName): RunningDevice {
  const emulator = voltbench.emulators[device];
  if (!emulator) throw new Error(`${device} is not running`);
  return emulator;
}

/** Fills `{token}` and `{sn}` (Growatt) and adds the token header a Growatt client always sends. */
function growattRequest(growatt: GrowattEmulator, request: ScenarioHttpRequest): ScenarioHttpRequest {
  const sn = growatt.fleet.devices.keys().next().value ?? '';
  const fill = (text: string) => text.replaceAll('{token}', growatt.demoToken).replaceAll('{sn}', sn);
  return {
    ...request,
    path: fill(request.path),
    headers: { token: growatt.demoToken, ...request.headers },
    ...(request.form ? { form: Object.fromEntries(Object.entries(request.form).map(([k, v]) => [k, fill(v)])) } : {}),
    ...(request.body !== undefined ? { body: fill(request.body) } : {}),
  };
}

export async function sendHttp(voltbench: Voltbench, device: DeviceName, input: ScenarioHttpRequest): Promise<DeviceReply> {
  const emulator = emulatorOf(voltbench, device);
  const request = device === 'growatt' ? growattRequest(emulator.emulator as GrowattEmulator, input) : input;
  const headers: Record<string, string> = { ...request.headers };
  let payload: string | undefined;
  if (request.json !== undefined) {
    payload = JSON.stringify(request.json);
    headers['content-type'] ??= 'application/json';
  } else if (request.form !== undefined) {
    payload = new URLSearchParams(request.form).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (request.body !== undefined) {
    payload = request.body;
  }
  const method = (request.method ?? (payload === undefined ? 'GET' : 'POST')).toUpperCase();
  try {
    const response = await emulator.app.inject({ method: method as 'GET', url: request.path, headers, ...(payload !== undefined ? { payload } : {}) });
    return { status: response.statusCode, body: response.rawPayload };
  } catch {
    // The device dropped the connection (rebooting, or a port its firmware does not serve).
    return { status: 0, body: Buffer.alloc(0) };
  }
}

/** One frame to the UPS; `\r` is added when left off. Silence is status 0 with an empty body. */
export function sendFrame(voltbench: Voltbench, frame: string): DeviceReply {
  const ups = emulatorOf(voltbench, 'ups').emulator as UpsEmulator;
  const text = frame.endsWith('\r') ? frame : `${frame}\r`;
  const answer = answerFrame(ups, text);
  return answer.reply === null ? { status: 0, body: Buffer.alloc(0) } : { status: 200, body: Buffer.from(answer.reply, 'latin1') };
}

/** The poll a typical integration makes, per device. */
export async function poll(voltbench: Voltbench, device: DeviceName): Promise<DeviceReply> {
  switch (device) {
    case 'pvs':
      return sendHttp(voltbench, device, { path: '/cgi-bin/dl_cgi?Command=DeviceList' });
    case 'senec':
      return sendHttp(voltbench, device, { method: 'POST', path: '/lala.cgi', body: SENEC_POLL, headers: { 'content-type': 'application/json' } });
    case 'growatt':
      return sendHttp(voltbench, device, { method: 'POST', path: '/v1/device/mix/mix_last_data', form: { mix_sn: '{sn}' } });
    case 'ups': {
      const ups = emulatorOf(voltbench, 'ups').emulator as UpsEmulator;
      const settings = ups.settings;
      return sendFrame(voltbench, encodeFrame({ ver: settings.ver, adr: settings.adr, cid1: CID1_UPS, cid2: UPS_ANALOG, info: new Uint8Array() }));
    }
  }
}
