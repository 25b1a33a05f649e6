// What a device contributes to a picture of the site (the dashboard's power flows and charts),
// computed by the device from its own state, so that a viewer needs no knowledge of any device.

/**
 * A device's place in the power-flow picture and the charts: watts and percent, from the device's
 * own state view at one virtual instant. Signs: `gridW` > 0 imports from the grid; `batteryW` > 0
 * charges the battery; `pvW` and `loadW` are ≥ 0. Absent fields: the device has no such part.
 */
export interface SiteReadings {
  pvW?: number;
  loadW?: number;
  batteryW?: number;
  socPct?: number;
  gridW?: number;
  /** A UPS: mains present, on battery, battery voltage, estimated backup time. */
  ups?: { mainsOk: boolean; onBattery: boolean; batteryV: number; backupMin: number; loadW: number };
}

/**
 * The firmware or profile a device can switch at run time. `via: 'action'` is sent as
 * `PATCH /__emu/state {"<key>": value}`, `via: 'setting'` as `{"settings": {"<key>": value}}`.
 */
export interface ProfileSwitch {
  key: string;
  via: 'action' | 'setting';
  value: string;
  choices: string[];
}
