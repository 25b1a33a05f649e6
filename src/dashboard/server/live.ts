// Server-sent events to the connected pages, and everything that runs only while one is connected:
// the request logs are watched (so transports capture bytes), and a wall timer samples the site.
// The first page to connect starts all of it; the last to leave stops it, so an unwatched
// dashboard costs the emulators nothing.

import type { ServerResponse } from 'node:http';
import type { StoredRequest } from '../../../emulators/core/request-log.js';
import type { Voltbench } from '../../../emulators/registry.js';
import type { DashboardEvent, ScenarioView } from '../api.js';
import type { SampleHistory } from './history.js';
import { overviewOf, sampleOf } from './overview.js';
import { trafficEntry } from './traffic.js';

/** Overview and a sample to each page this often (wall time), whatever the clock's speed. */
export const TICK_MS = 500;
/** New requests sent per device per tick; a busier device's others stay in /api/traffic. */
export const TRAFFIC_PER_TICK = 25;
/** A page that takes no more than this many unsent bytes is dropped (it reconnects and reloads). */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;
/** A scenario at --speed 3600 reports many stops a second; pages get its latest state this often. */
const SCENARIO_EVERY_MS = 200;

export class LiveHub {
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | null = null;
  private unwatch: (() => void)[] = [];
  private readonly pending = new Map<string, StoredRequest[]>();
  private refreshQueued = false;
  private scenarioSentAt = 0;
  private scenarioLatest: ScenarioView | null = null;
  private scenarioTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly voltbench: Voltbench,
    private readonly history: SampleHistory,
    private readonly scenario: () => ScenarioView | null,
  ) {}

  get watching(): number {
    return this.clients.size;
  }

  /** Takes over a response as an event stream: headers, the current overview, then live events. */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    res.on('close', () => this.detach(res));
    if (this.clients.size === 1) this.start();
    this.send(res, { type: 'overview', data: overviewOf(this.voltbench, this.scenario()) });
  }

  /** After a control operation: a fresh overview and sample at once (coalesced within a turn). */
  refresh(): void {
    if (this.clients.size === 0 || this.refreshQueued) return;
    this.refreshQueued = true;
    setImmediate(() => {
      this.refreshQueued = false;
      if (this.clients.size > 0) this.tick(false);
    });
  }

  /** A scenario's progress, as it happens; at most one event per SCENARIO_EVERY_MS (the latest). */
  scenarioChanged(view: ScenarioView): void {
    if (this.clients.size === 0) return;
    const due = this.scenarioSentAt + SCENARIO_EVERY_MS - Date.now();
    if (due <= 0) {
      this.scenarioSentAt = Date.now();
      this.broadcast({ type: 'scenario', data: view });
      return;
    }
    this.scenarioLatest = view;
    this.scenarioTimer ??= setTimeout(() => {
      this.scenarioTimer = null;
      const latest = this.scenarioLatest;
      this.scenarioLatest = null;
      if (latest !== null) this.scenarioChanged(latest);
    }, due);
  }

  close(): void {
    if (this.scenarioTimer !== null) clearTimeout(this.scenarioTimer);
    for (const res of this.clients) res.end();
    this.clients.clear();
    this.stop();
  }

  private detach(res: ServerResponse): void {
    if (this.clients.delete(res) && this.clients.size === 0) this.stop();
  }

  private start(): void {
    for (const device of this.voltbench.devices) {
      const queue: StoredRequest[] = [];
      this.pending.set(device.name, queue);
      this.unwatch.push(
        // The first TRAFFIC_PER_TICK of each tick are sent: under load, those are the ones captured
        // with their bytes (the log's capture budget), and the rest stay in /api/traffic.
        device.control.watchRequests((record) => {
          if (queue.length < TRAFFIC_PER_TICK) queue.push(record);
        }),
      );
    }
    this.timer = setInterval(() => this.tick(true), TICK_MS);
    this.timer.unref();
    this.tick(false);
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const unwatch of this.unwatch) unwatch();
    this.unwatch = [];
    this.pending.clear();
  }

  private tick(withTraffic: boolean): void {
    const sample = sampleOf(this.voltbench);
    this.history.add(sample);
    this.broadcast({ type: 'sample', data: sample });
    this.broadcast({ type: 'overview', data: overviewOf(this.voltbench, this.scenario()) });
    if (!withTraffic) return;
    for (const [device, queue] of this.pending) {
      for (const record of queue.splice(0)) this.broadcast({ type: 'traffic', data: trafficEntry(device, record) });
    }
  }

  private broadcast(event: DashboardEvent): void {
    const text = eventText(event);
    for (const res of this.clients) this.write(res, text);
  }

  private send(res: ServerResponse, event: DashboardEvent): void {
    this.write(res, eventText(event));
  }

  private write(res: ServerResponse, text: string): void {
    if (res.writableLength > MAX_BACKLOG_BYTES) {
      res.destroy();
      this.detach(res);
      return;
    }
    res.write(text);
  }
}

export function eventText(event: DashboardEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
