import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyRequest } from 'fastify';
import { EmulatorControl, type DeviceEmulator } from '../emulator.js';
import { CONTROL_PREFIX, collectControlRoutes, controlRoutes } from './control-routes.js';
import { installFaultHooks, type StatusPage } from './fault-hooks.js';
import { listenOn } from '../device/listeners.js';

export interface HttpEmulatorOptions {
  emulator: DeviceEmulator;
  /**
   * The device's protocol routes (its wire API). Device-specific control routes go here too, under
   * `/__emu/`, each with a one-line `config.description` for the `GET /__emu/` listing.
   */
  routes: FastifyPluginAsync;
  describeRequest?: (request: FastifyRequest) => string | undefined;
  statusPage?: (status: number) => StatusPage;
  https?: TlsKeyPair;
  /**
   * Serve plain HTTP on `app` and HTTPS with this key pair on a second server sharing the same routes
   * and state (a device whose firmware decides the transport). Listen on it with `listenSecondary`.
   */
  alsoHttps?: TlsKeyPair;
  /**
   * The app only carries the control API (the device speaks serial elsewhere): no HTTP faults or
   * request logging, which belong to the device's own transport.
   */
  controlOnly?: boolean;
}

export interface TlsKeyPair {
  key: string | Buffer;
  cert: string | Buffer;
}

export interface HttpEmulator {
  app: FastifyInstance;
  control: EmulatorControl;
  emulator: DeviceEmulator;
  /** The HTTPS server of `alsoHttps`, not listening until `listenSecondary`. */
  secondary?: HttpsServer;
}

/**
 * One Fastify instance per device: its protocol routes, the fault layer around them and the
 * `/__emu` control API beside them. Use `app.inject()` in tests or `listen()` for real sockets.
 */
export async function buildHttpEmulator(options: HttpEmulatorOptions): Promise<HttpEmulator> {
  let secondary: HttpsServer | undefined;
  // Fastify's HTTPS and HTTP instances differ only in the server type; the routes see the same API.
  const app = (options.https
    ? Fastify({ logger: false, forceCloseConnections: true, https: options.https })
    : options.alsoHttps
      ? Fastify({
          logger: false,
          forceCloseConnections: true,
          serverFactory: (handler) => {
            // One request handler behind two servers: the same routes, hooks and state on both.
            secondary = createHttpsServer({ key: options.alsoHttps!.key, cert: options.alsoHttps!.cert }, handler);
            return createHttpServer(handler);
          },
        })
      : Fastify({ logger: false, forceCloseConnections: true })) as unknown as FastifyInstance;
  const control = new EmulatorControl(options.emulator);
  const { hungSockets } = options.controlOnly ? { hungSockets: new Set<Socket>() } : installFaultHooks(app, {
    emulator: options.emulator,
    ...(options.describeRequest ? { describeRequest: options.describeRequest } : {}),
    ...(options.statusPage ? { statusPage: options.statusPage } : {}),
  });
  app.addHook('onClose', async () => {
    for (const socket of hungSockets) socket.destroy();
    if (secondary?.listening) {
      const closed = new Promise((resolve) => secondary!.close(resolve));
      secondary.closeAllConnections();
      await closed;
    }
  });
  // Before any route: `GET /__emu/` lists the control routes, the device's own `/__emu/...` ones included.
  const controlRouteTable = collectControlRoutes(app);
  await app.register(controlRoutes, { prefix: CONTROL_PREFIX, control, routes: controlRouteTable });
  await app.register(options.routes);
  await app.ready();
  return { app, control, emulator: options.emulator, ...(secondary ? { secondary } : {}) };
}

/** Listens and returns the base URL (port 0 picks a free port). */
export async function listen(app: FastifyInstance, host: string, port: number): Promise<string> {
  await app.listen({ host, port });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected listen address ${String(address)}`);
  const scheme = app.server instanceof TlsServer ? 'https' : 'http';
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${scheme}://${shownHost}:${address.port}`;
}

/** Listens on the `alsoHttps` server and returns its base URL. */
export async function listenSecondary(server: HttpsServer, host: string, port: number): Promise<string> {
  const { host: shownHost, port: bound } = await listenServer(server, host, port);
  return `https://${shownHost}:${bound}`;
}

/** Listens a node server (HTTP, HTTPS or TCP) and gives the bound host, bracketed for IPv6, and port. */
export const listenServer = listenOn;
