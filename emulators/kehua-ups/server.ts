// A ready KEHUA UPS: the emulator, its HTTP control API (`/__emu/*`, the control port only: the
// device itself speaks serial) and its serial transports, started on demand.

import { buildHttpEmulator, type HttpEmulator } from '../core/http/app.js';
import { upsControlRoutes } from './control-routes.js';
import { UpsEmulator, type UpsOptions } from './emulator.js';
import type { MockSerialPort } from './transports/mock-serial.js';
import { listenTcp as listenTcpBridge, type TcpBridge } from './transports/tcp.js';

export interface UpsServerOptions extends UpsOptions {
  /**
   * Load the `serialport` mock binding so `openMockPort` works (default true). `voltbench up` turns
   * it off: loading serialport costs start-up time, and only in-process clients use mock ports.
   */
  mockSerial?: boolean;
}

export interface UpsServer extends HttpEmulator {
  ups: UpsEmulator;
  /** Starts the raw-serial TCP bridge (port 0 = any free port); resolves to `tcp://host:port`. */
  listenTcp(host?: string, port?: number): Promise<string>;
  /** Serves a `serialport` mock port at `path` (SerialPortMock or the exported mockBinding); returns the path. */
  openMockPort(path?: string): string;
  /** The TCP bridge's URL while it listens. */
  readonly tcpUrl: string | null;
  /** Stops the TCP bridge, the mock ports and the control app. */
  close(): Promise<void>;
}

export const DEFAULT_MOCK_PORT_PATH = '/dev/ttyUPS0';

export async function createUpsServer(options: UpsServerOptions): Promise<UpsServer> {
  const ups = new UpsEmulator(options);
  const mock = options.mockSerial === false ? null : await import('./transports/mock-serial.js');
  const http = await buildHttpEmulator({ emulator: ups, routes: upsControlRoutes(ups), controlOnly: true });
  const bridges: TcpBridge[] = [];
  const mockPorts: MockSerialPort[] = [];
  return {
    ...http,
    ups,
    async listenTcp(host = '127.0.0.1', port = 0) {
      const bridge = await listenTcpBridge(ups, host, port);
      bridges.push(bridge);
      return bridge.url;
    },
    openMockPort(path = DEFAULT_MOCK_PORT_PATH) {
      if (mock === null) throw new Error('this UPS was started without mock serial ports (mockSerial: false)');
      mockPorts.push(mock.serveMockPort(ups, path));
      return path;
    },
    get tcpUrl() {
      return bridges[0]?.url ?? null;
    },
    async close() {
      for (const port of mockPorts.splice(0)) port.close();
      await Promise.allSettled(bridges.splice(0).map((b) => b.close()));
      await http.app.close();
    },
  };
}
