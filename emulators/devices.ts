// Every built-in device, in start order. Adding a device: its folder under emulators/ with a
// descriptor (device.ts), plus one line here.
import pvs from './sunpower-pvs/device.js';
import senec from './senec/device.js';
import growatt from './growatt/device.js';
import ups from './kehua-ups/device.js';

export const BUILTIN_DEVICES = [pvs, senec, growatt, ups] as const;
