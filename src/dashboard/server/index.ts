// The dashboard: one Fastify app on its own port beside the emulators, serving the page, its
// vendored libraries, a read API over the running devices and each device's control API. It reads
// and drives the devices only through their control operations (EmulatorControl); see
// docs/dashboard.md and src/dashboard/api.ts for the routes.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { controlError, controlErrorHandler } from '../../../emulators/core/http/control-routes.js';
import { controlValidatorCompiler } from '../../../emulators/core/schema-check.js';
import { FaultSpecSchema } from '../../../emulators/core/control-schemas.js';
import type { Voltbench } from '../../../emulators/registry.js';
import type { ScenarioView } from '../api.js';
import { contentTypeOf, packageRoot, pageDir, safeRelativePath, vendorFiles } from './assets.js';
import { mountDeviceControls } from './control-mount.js';
import { SampleHistory } from './history.js';
import { LiveHub } from './live.js';
import { HistoryQuerySchema, TrafficParamsSchema, TrafficQuerySchema } from './schemas.js';
import { DEFAULT_TRAFFIC_LIMIT, trafficDetail, trafficList } from './traffic.js';
import { overviewOf } from './overview.js';

/** A scenario's progress as the dashboard shows it (see src/dashboard/server/scenario-feed.ts). */
export interface ScenarioFeed {
  view(): ScenarioView;
  /** Calls `listener` whenever the view changes; returns the function that stops it. */
  subscribe(listener: (view: ScenarioView) => void): () => void;
}

export interface DashboardOptions {
  voltbench: Voltbench;
  scenario?: ScenarioFeed;
}

export interface StartDashboardOptions extends DashboardOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
}

export interface Dashboard {
  app: FastifyInstance;
  hub: LiveHub;
  history: SampleHistory;
  close(): Promise<void>;
}

export interface RunningDashboard extends Dashboard {
  url: string;
}

export { DEFAULT_DASHBOARD_PORT } from '../port.js';

/** Builds the app without listening (for `inject()`); `startDashboard` listens. */
export async function buildDashboard(options: DashboardOptions): Promise<Dashboard> {
  const { voltbench, scenario } = options;
  const root = packageRoot();
  const pages = pageDir(root);
  const vendor = vendorFiles(root);
  const history = new SampleHistory();
  const hub = new LiveHub(voltbench, history, () => scenario?.view() ?? null);
  const unsubscribe = scenario?.subscribe((view) => hub.scenarioChanged(view));

  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.setValidatorCompiler(controlValidatorCompiler);
  app.setErrorHandler(controlErrorHandler);
  app.setNotFoundHandler((request, reply) => controlError(reply, 404, `no dashboard route ${request.method} ${request.url.split('?')[0]}`));
  app.addHook('onClose', async () => {
    unsubscribe?.();
    hub.close();
  });

  const sendFile = async (file: string, reply: FastifyReply) => {
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return controlError(reply, 404, `no such file ${file.slice(root.length)}`);
    }
    return reply.type(contentTypeOf(file)).header('cache-control', 'no-cache').send(body);
  };
  app.get('/', async (_request, reply) => sendFile(join(pages, 'index.html'), reply));
  app.get<{ Params: { '*': string } }>('/page/*', async (request, reply) => {
    const path = request.params['*'];
    if (!safeRelativePath(path)) return controlError(reply, 404, `no page file ${path}`);
    return sendFile(join(pages, path), reply);
  });
  app.get<{ Params: { file: string } }>('/vendor/:file', async (request, reply) => {
    const file = vendor[request.params.file];
    if (file === undefined) return controlError(reply, 404, `no vendored file ${request.params.file}; there are ${Object.keys(vendor).join(', ')}`);
    return sendFile(file, reply);
  });

  app.get('/api/overview', async () => overviewOf(voltbench, scenario?.view() ?? null));
  app.get<{ Querystring: { since?: string } }>('/api/history', { schema: { querystring: HistoryQuerySchema } }, async (request) =>
    history.since(request.query.since === undefined ? undefined : Number(request.query.since)),
  );
  app.get<{ Querystring: { device?: string; limit?: string } }>('/api/traffic', { schema: { querystring: TrafficQuerySchema } }, async (request, reply) => {
    const { device, limit } = request.query;
    if (device !== undefined && voltbench.emulators[device] === undefined) return controlError(reply, 404, unknownDevice(voltbench, device));
    return trafficList(voltbench, device, limit === undefined ? DEFAULT_TRAFFIC_LIMIT : Number(limit));
  });
  app.get<{ Params: { device: string; seq: string } }>('/api/traffic/:device/:seq', { schema: { params: TrafficParamsSchema } }, async (request, reply) => {
    const { device, seq } = request.params;
    if (voltbench.emulators[device] === undefined) return controlError(reply, 404, unknownDevice(voltbench, device));
    const detail = trafficDetail(voltbench, device, Number(seq));
    return detail ?? controlError(reply, 404, `${device} has no request ${seq} in its log (it keeps the most recent ones)`);
  });
  app.get('/api/fault-schema', async () => FaultSpecSchema);
  app.get('/api/events', (request, reply) => {
    reply.hijack();
    hub.attach(reply.raw);
  });

  const closeControls = await mountDeviceControls(app, voltbench, () => hub.refresh());
  app.addHook('onClose', closeControls);
  await app.ready();
  return { app, hub, history, close: () => app.close() };
}

/** Starts the dashboard on `host:port` and gives its URL. */
export async function startDashboard(options: StartDashboardOptions): Promise<RunningDashboard> {
  const dashboard = await buildDashboard(options);
  await dashboard.app.listen({ host: options.host, port: options.port });
  const address = dashboard.app.server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected listen address ${String(address)}`);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { ...dashboard, url: `http://${host}:${address.port}/` };
}

function unknownDevice(voltbench: Voltbench, device: string): string {
  return `no device "${device}" is running; running: ${voltbench.devices.map((d) => d.name).join(', ')}`;
}
