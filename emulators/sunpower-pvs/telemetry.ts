// The telemetry WebSocket of PVS6 varserver firmware (`ws://host:9002/`, protocol notes §6), on the `ws`
// package: the host hands over upgrade requests, this answers them and pushes `power` frames on the virtual
// clock. On other firmware (legacy, PVS5) and while the supervisor reboots there is no such service: upgrades
// are dropped. Faults apply: to the handshake (`status`, `reset`, `hang`, `latency`, command "upgrade") and to
// frames (`reset` drops the connection, `hang` stalls it, `corrupt`/`truncate`/`escape` garble a frame,
// `latency` delays one; command "power").
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { formatTelemetryFrame, type TelemetryParams } from '../../contracts/sunpower-pvs/telemetry.js';
import type { UpgradeHandler } from '../core/device/descriptor.js';
import { corruptBytes, escapeQuotes, truncateBody, type Fault, type FaultKind } from '../core/faults.js';
import type { PvsEmulator } from './emulator.js';
import { alignDown } from './model.js';

const UPGRADE_FAULTS: readonly FaultKind[] = ['latency', 'status', 'reset', 'hang'];
const FRAME_FAULTS: readonly FaultKind[] = ['latency', 'reset', 'hang', 'truncate', 'corrupt', 'escape'];
const REASONS: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' };

interface Client {
  ws: WebSocket;
  /** Virtual time the connection opened. */
  openedAt: number;
  generation: number;
  /** Virtual time of the last frame's slot; null before the first. */
  lastSent: number | null;
  lastKey: string;
  lastSlot: number;
  /** A `hang` fault: the connection stays open and says nothing more. */
  stalled: boolean;
  closing: boolean;
}

export class PvsTelemetry implements UpgradeHandler {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });
  private readonly clients = new Set<Client>();
  /** Upgrades held by a `hang` fault (destroyed on close). */
  private readonly held = new Set<Duplex>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly pvs: PvsEmulator) {}

  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const pvs = this.pvs;
    const at = pvs.world.clock.now();
    const url = request.url ?? '/';
    const record = (status: number | null, outcome: 'answered' | 'reset' | 'hang', faults: string[]) =>
      pvs.requests.record({ at, method: request.method ?? 'GET', url, command: 'upgrade', status, durationMs: 0, faults, outcome });
    if (this.closed || !pvs.telemetryAvailable()) {
      // No WebSocket service on this firmware (or the supervisor is rebooting): the connection is dropped.
      record(null, 'reset', []);
      socket.destroy();
      return;
    }
    const fired = pvs.faults.decide({ path: pathOf(url), command: 'upgrade' }, UPGRADE_FAULTS);
    const names = fired.map((f) => f.kind);
    const delay = fired.filter((f) => f.kind === 'latency').reduce((sum, f) => sum + pvs.faults.latencyOf(f), 0);
    const terminal = fired.find((f) => f.kind !== 'latency');
    const proceed = () => {
      if (this.closed || socket.destroyed) return;
      if (terminal?.kind === 'status') {
        const body = terminal.body ?? '';
        socket.end(
          `HTTP/1.1 ${terminal.status} ${REASONS[terminal.status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: ${terminal.contentType ?? 'text/plain'}\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        record(terminal.status, 'answered', names);
      } else if (terminal?.kind === 'reset') {
        record(null, 'reset', names);
        socket.destroy();
      } else if (terminal?.kind === 'hang') {
        record(null, 'hang', names);
        this.held.add(socket);
        socket.once('close', () => this.held.delete(socket));
      } else {
        this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
        record(101, 'answered', names);
      }
    };
    if (delay > 0) setTimeout(proceed, delay);
    else proceed();
  }

  private accept(ws: WebSocket): void {
    if (this.closed) {
      ws.terminate();
      return;
    }
    const client: Client = {
      ws,
      openedAt: this.pvs.world.clock.now(),
      generation: this.pvs.generation,
      lastSent: null,
      lastKey: '',
      lastSlot: -Infinity,
      stalled: false,
      closing: false,
    };
    this.clients.add(client);
    this.pvs.telemetryClients = this.clients.size;
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      this.clients.delete(client);
      this.pvs.telemetryClients = this.clients.size;
    });
    this.schedule(0);
  }

  /** Looks at the virtual clock often enough to send each frame near its slot, whatever the clock's speed. */
  private schedule(delayMs?: number): void {
    if (this.closed || this.timer !== null || this.clients.size === 0) return;
    const clock = this.pvs.world.clock;
    const interval = this.pvs.settings.telemetryIntervalMs;
    const wait = delayMs ?? (clock.speed === 0 ? 50 : Math.max(10, Math.min(250, clock.wallDuration(interval) / 4)));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick();
      this.schedule();
    }, wait);
    this.timer.unref();
  }

  private tick(): void {
    const pvs = this.pvs;
    const now = pvs.world.clock.now();
    const available = pvs.telemetryAvailable();
    const { telemetryIntervalMs, telemetryQuietMs, telemetryMaxConnectionMs } = pvs.settings;
    let params: TelemetryParams | undefined;
    for (const client of [...this.clients]) {
      if (client.closing) continue;
      if (!available || client.generation !== pvs.generation) {
        // A reboot or firmware change: the service went away under the connection.
        client.closing = true;
        client.ws.terminate();
        continue;
      }
      if (now - client.openedAt >= telemetryMaxConnectionMs) {
        // The server closes every connection after ten minutes (ha-esunpower).
        client.closing = true;
        client.ws.close(1000);
        continue;
      }
      if (client.stalled || !pvs.telemetryEnabled) continue;
      const slot = alignDown(now, telemetryIntervalMs);
      if (slot <= client.lastSlot) continue;
      client.lastSlot = slot;
      params ??= pvs.telemetryParams();
      const { time: _time, ...values } = params;
      const key = JSON.stringify(values);
      if (client.lastSent !== null && key === client.lastKey && slot - client.lastSent < telemetryQuietMs) continue;
      client.lastSent = slot;
      client.lastKey = key;
      this.send(client, formatTelemetryFrame({ ...params, time: Math.floor(slot / 1000) }));
    }
  }

  private send(client: Client, text: string): void {
    const faults = this.pvs.faults;
    const fired = faults.decide({ path: '/', command: 'power' }, FRAME_FAULTS);
    let frame: Buffer = Buffer.from(text);
    let delay = 0;
    for (const fault of fired) {
      if (fault.kind === 'reset') {
        client.closing = true;
        client.ws.terminate();
        return;
      }
      if (fault.kind === 'hang') {
        client.stalled = true;
        return;
      }
      if (fault.kind === 'latency') delay += faults.latencyOf(fault);
      else frame = garble(frame, fault, faults.random);
    }
    const deliver = () => {
      if (client.ws.readyState === client.ws.OPEN) client.ws.send(frame, { binary: false });
    };
    if (delay > 0) setTimeout(deliver, delay);
    else deliver();
  }

  /** Open connections (for tests and the state). */
  get connections(): number {
    return this.clients.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const client of this.clients) client.ws.terminate();
    for (const socket of this.held) socket.destroy();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function garble(frame: Buffer, fault: Fault, rng: Parameters<typeof corruptBytes>[2]): Buffer {
  if (fault.kind === 'truncate') return truncateBody(frame, fault);
  if (fault.kind === 'escape') return escapeQuotes(frame, fault.count, rng);
  return corruptBytes(frame, fault.count, rng);
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
