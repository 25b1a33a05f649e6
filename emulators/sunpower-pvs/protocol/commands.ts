import type { CJsonValue } from './cjson.js';
import type { Site } from '../site.js';

type Body = { [key: string]: CJsonValue };

export const UNKNOWN_COMMAND: Body = { result: 'unknown command' };

/** `Start`: opens a configuration session and describes the supervisor (numbers are numbers). */
export function startResponse(site: Site): Body {
  if (site.config.supervisorModel === 'PVS5') {
    return { result: 'succeed', supervisor: { SWVER: site.config.firmware, SERIAL: site.supervisorSerial, MODEL: 'PVS5', FWVER: '0.0.0' } };
  }
  return {
    result: 'succeed',
    supervisor: {
      SWVER: site.config.firmware,
      SERIAL: site.supervisorSerial,
      MODEL: 'PVS6',
      BUILD: site.build,
      FWVER: '1.0.0',
      SCVER: 1630652920,
      EASICVER: 131329,
      SCBUILD: 1188,
      WNSERIAL: 16,
      WNMODEL: 400,
      WNVER: 3000,
    },
  };
}

export const STOP_RESPONSE: Body = { result: 'succeed' };
export const CHECK_FW_RESPONSE: Body = { url: 'none' };
export const GET_CELL_PURCHASED_RESPONSE: Body = { cell_purchased: 'null' };
export const SET_CELL_PURCHASED_RESPONSE: Body = { cell_purchased: 'null', result: 'succeed' };

export function discoveryProgressResponse(site: Site): Body {
  return {
    progress: [
      { TYPE: 'PVS5-METER-P', PROGR: '100', NFOUND: site.config.consumptionMeter ? '2' : '1' },
      { TYPE: 'MI', PROGR: '100', NFOUND: String(site.inverters.length) },
    ],
    complete: true,
    result: 'succeed',
  };
}

/** `Get_Comm`: WAN up over Ethernet, Wi-Fi associated, PLC and cellular down (a typical home). */
export function getCommResponse(now: number): Body {
  return {
    result: 'succeed',
    networkstatus: {
      interfaces: [
        { interface: 'wan', internet: 'up', ipaddr: '192.168.20.10', link: 'connected', mode: 'wan', sms: 'reachable', state: 'up' },
        { interface: 'plc', internet: 'down', ipaddr: '', link: 'disconnected', pairing: 'unpaired', sms: 'unreachable', speed: 0, state: 'down' },
        { interface: 'sta0', internet: 'down', ipaddr: '', signal: '-74', sms: 'unreachable', ssid: 'Home Network', status: 'connected' },
        {
          interface: 'cell', internet: 'down', ipaddr: '', is_alwayson: false, is_primary: false, link: 'disconnected', modem: 'MODEM_OK',
          provider: 'UNKNOWN', signal: 0, sim: 'SIM_READY', sms: 'unreachable', state: 'DOWN', status: 'NOT_REGISTERED',
        },
      ],
      system: { interface: 'wan', internet: 'up', sms: 'reachable' },
      ts: String(Math.floor(now / 1000)),
    },
  };
}

export interface GridProfile {
  selfsupply: boolean;
  zipcodes: { max: number; min: number }[];
  default: boolean;
  filename: string;
  id: string;
  name: string;
}

export function gridProfileGetResponse(active: GridProfile): Body {
  return {
    result: 'succeed',
    active_name: active.name,
    active_id: active.id,
    pending_name: active.name,
    pending_id: active.id,
    percent: 100,
    supported_by: 'ALL',
    status: 'success',
  };
}

export function gridProfileRefreshResponse(profiles: readonly GridProfile[], now: number): Body {
  return {
    result: 'succeed',
    success: true,
    creation: Math.floor(now / 1000) - 86_400 * 30,
    profiles: profiles.map((p) => ({ selfsupply: p.selfsupply, zipcodes: p.zipcodes.map((z) => ({ max: z.max, min: z.min })), default: p.default, filename: p.filename, id: p.id, name: p.name })),
  };
}

/**
 * REST `GET /cgi-bin/dl_cgi/communication/interfaces`: the interfaces of Get_Comm at the top level beside
 * `result` (the swagger's "full detail for all communication interfaces"; the exact body is not on record).
 */
export function communicationInterfacesResponse(now: number): Body {
  const status = getCommResponse(now).networkstatus as Body;
  return { result: 'succeed', interfaces: status.interfaces!, system: status.system!, ts: status.ts! };
}
