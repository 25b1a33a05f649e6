// The dashboard's HTTP API: what the server (src/dashboard/server/) serves and the page
// (src/dashboard/page/) reads. Types only; the page is plain JavaScript and follows these shapes.
//
// Routes, all on the dashboard's own port (default 7070), bound to the emulators' host:
//   GET  /                                   the page (src/dashboard/page/index.html)
//   GET  /page/<file>                        the page's own ES modules and CSS (no build step)
//   GET  /vendor/htm-preact.js               htm/preact/standalone.module.js from node_modules
//   GET  /vendor/uplot.js, /vendor/uplot.css uPlot's ESM build and stylesheet from node_modules
//   GET  /api/overview                       Overview (JSON)
//   GET  /api/history?since=<epoch ms>       Sample[] of virtual time > since (JSON), oldest first
//   GET  /api/traffic?device=<name>&limit=N  TrafficEntry[] newest first (JSON)
//   GET  /api/traffic/<device>/<seq>         TrafficDetail (JSON); 404 when unknown
//   GET  /api/fault-schema                   the control API's fault spec as JSON Schema
//   GET  /api/events                         server-sent events, see DashboardEvent
//   *    /api/devices/<name>/__emu/...       each device's control API, the very routes and
//                                            schemas of `/__emu/*` (clock, world, faults, state, reset)
//
// Nothing here is computed per device request while no page is connected (no SSE client): bytes
// are captured and samples pushed only while at least one `/api/events` stream is open.

import type { ClockSnapshot } from '../../emulators/core/clock.js';
import type { Fault } from '../../emulators/core/faults.js';
import type { LoggedRequest } from '../../emulators/core/request-log.js';
import type { WorldSnapshot } from '../../emulators/core/world/world.js';

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

export interface DeviceView {
  name: string;
  title: string;
  /** Ready-table label, e.g. `senec (v3-0826)`. */
  label: string;
  /** Bound listeners' URLs by listener name. */
  urls: Record<string, string>;
  controlUrl: string | null;
  /** What `GET /__emu/state` returns for this device. */
  state: unknown;
  readings: SiteReadings;
  /** The firmware/profile setting the device can switch at run time, if any: its key in `settings` and the choices. */
  profile: { setting: string; value: string; choices: string[] } | null;
  /** `PATCH /__emu/state` actions the device takes (e.g. `reboot`). */
  actions: string[];
  /** Fault kinds this device's transport applies (HTTP or serial). */
  faultKinds: string[];
  faults: Fault[];
  requests: number;
}

export interface ScenarioView {
  name: string;
  /** Virtual instants (epoch ms). */
  startMs: number;
  endMs: number;
  nowMs: number;
  events: { atMs: number; description: string; applied: boolean }[];
  expectations: { atMs: number | null; description: string; verdict: 'pending' | 'pass' | 'fail'; detail?: string }[];
}

export interface Overview {
  clock: ClockSnapshot;
  world: WorldSnapshot;
  devices: DeviceView[];
  scenario: ScenarioView | null;
}

/** One point of the charts: every device's readings at one virtual instant. */
export interface Sample {
  t: number;
  gridUp: boolean;
  devices: Record<string, SiteReadings>;
}

export interface TrafficEntry extends LoggedRequest {
  device: string;
  /** Bytes were captured (only while a page was connected when the request arrived). */
  captured: boolean;
}

/** One serial frame with its decoded YD/T 1363 fields. */
export interface FrameView {
  direction: 'in' | 'out';
  hex: string;
  ascii: string;
  decoded: { ver: string; adr: string; cid1: string; cid2: string; rtn?: string; info: string; valid: boolean } | null;
}

export interface TrafficDetail {
  entry: TrafficEntry;
  /** Exact bytes as exchanged (base64), HTTP head included; absent when not captured. */
  request?: { base64: string; text: string };
  response?: { base64: string; text: string };
  frames?: FrameView[];
}

/** `GET /api/events`: `event: <type>`, `data: <JSON payload>`. */
export type DashboardEvent =
  | { type: 'overview'; data: Overview }
  | { type: 'sample'; data: Sample }
  | { type: 'traffic'; data: TrafficEntry }
  | { type: 'scenario'; data: ScenarioView };
