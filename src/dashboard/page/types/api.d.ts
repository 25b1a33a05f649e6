// The dashboard API's shapes for the page's JSDoc: src/dashboard/api.ts is the source.
export type { DeviceView, ProfileSwitch, FrameView, Overview, Sample, ScenarioView, SiteReadings, TrafficDetail, TrafficEntry } from '../../api.js';
export type { Fault } from '../../../../emulators/core/faults.js';
