// The request the SENEC benchmark repeats, shared by the load side and the server child.

export const LALA_PATH = '/lala.cgi';

/**
 * ha-senec-v3's poll for a new entry on NPU >= 2408 (senec-lala.md §8.2 item 3): the always-read
 * TEMPMEASURE, the default PV1, PM1OBJ1 and BMS, and the ENERGY set, as one compact body.
 */
export const HA_POLL_BODY = JSON.stringify({
  ENERGY: {
    STAT_STATE: '',
    STAT_HOURS_OF_OPERATION: '',
    GUI_GRID_POW: '',
    GUI_HOUSE_POW: '',
    GUI_INVERTER_POWER: '',
    GUI_BAT_DATA_FUEL_CHARGE: '',
    GUI_BAT_DATA_POWER: '',
    GUI_BAT_DATA_VOLTAGE: '',
    GUI_BAT_DATA_CURRENT: '',
    SAFE_CHARGE_RUNNING: '',
    LI_STORAGE_MODE_RUNNING: '',
  },
  TEMPMEASURE: { BATTERY_TEMP: '', CASE_TEMP: '', MCU_TEMP: '' },
  PV1: { MPP_VOL: '', MPP_CUR: '', MPP_POWER: '' },
  PM1OBJ1: { FREQ: '', U_AC: '', I_AC: '', P_AC: '', P_TOTAL: '' },
  BMS: { CURRENT: '', VOLTAGE: '', SOC: '', SOH: '', CYCLES: '' },
});

/** The objects and keys a correct reply mirrors, in request order. */
export const HA_POLL_SHAPE: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(JSON.parse(HA_POLL_BODY) as Record<string, Record<string, string>>).map(([object, keys]) => [object, Object.keys(keys)]),
);

/** The content type ha-senec-v3 sends (it copies the web GUI's jQuery requests). */
export const HA_POLL_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
};

export interface TransportUrls {
  emulatorUrl: string;
  bareUrl: string;
  /** Size of the precomputed reply the bare route sends. */
  bytes: number;
}

/** The server child's ready line. */
export interface SenecServersReady {
  http: TransportUrls;
  https: TransportUrls;
  /** PEM of the CA that signed both HTTPS servers' certificate. */
  ca: string;
}
