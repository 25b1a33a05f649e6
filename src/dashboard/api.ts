// The dashboard's HTTP API: what the server (src/dashboard/server/) serves and the page
// (src/dashboard/page/) reads. Types only; the page is plain JavaScript and follows these shapes.
//
// CHANGED since the first version (server side):
//   - SiteReadings now lives in emulators/core/readings.ts (same fields), re-exported here.
//   - DeviceView.profiles is a list of `{ key, via: 'action' | 'setting', value, choices }` (was
//     one `profile` of `{ setting, value, choices }`): SENEC and PVS switch firmware with the
//     `firmware` action, the UPS its dialect and its KEHUA layout with the `dialect` and `profile` settings.
//   - TrafficDetail gains `omittedBytes` (bytes beyond the 64 KiB capture cap per part).
//   - ScenarioView gains `finished`, `passed` (null until finished) and `error`; expectations
//     gain `toMs` (window end) and `atMs` is always a number.
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
import type { ProfileSwitch, SiteReadings } from '../../emulators/core/readings.js';
import type { ScenarioProgress } from '../scenarios/progress.js';

/** A device's power flows (see emulators/core/readings.ts for the signs). */
export type { SiteReadings, ProfileSwitch };

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
  /**
   * What the device can switch at run time (firmware, dialect, layout); empty for none. Send
   * `via: 'action'` as `PATCH …/__emu/state {"<key>": choice}` and `via: 'setting'` as
   * `{"settings": {"<key>": choice}}`.
   */
  profiles: ProfileSwitch[];
  /** `PATCH /__emu/state` actions the device takes (e.g. `reboot`). */
  actions: string[];
  /** Fault kinds this device's transport applies (HTTP or serial). */
  faultKinds: string[];
  faults: Fault[];
  requests: number;
}

/** A playing scenario's timeline, events applied and verdicts so far: the runner's own progress view. */
export type ScenarioView = ScenarioProgress;

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
  /** Bytes left out beyond the capture cap (64 KiB per request, response or frame). */
  omittedBytes?: number;
}

/** `GET /api/events`: `event: <type>`, `data: <JSON payload>`. */
export type DashboardEvent =
  | { type: 'overview'; data: Overview }
  | { type: 'sample'; data: Sample }
  | { type: 'traffic'; data: TrafficEntry }
  | { type: 'scenario'; data: ScenarioView };
