/**
 * Which API a supervisor serves, found as ha-esunpower finds it, and a client that follows it.
 *
 * ha-esunpower probes `http://host[:port]/cgi-bin/dl_cgi/supervisor/info` (open on both eras), reads `BUILD` (a PVS5's
 * answer has none: "Build 5412" is parsed from `SWVER`) and chooses the legacy dl_cgi API or the varserver. Here the
 * era follows the contract's rule (PVS6 from build 61840, PVS5 from 5408; ha-esunpower compares every build with 61840,
 * which reads a PVS5 on 5412 as legacy). When the probe gives no build, it falls back as ha-esunpower does: a
 * varserver discovery read (`/sys/info/serialnum` without a session) says varserver, a 404 says legacy.
 *
 * {@link PvsAutoClient} keeps the choice and checks it when an answer says it is stale: the legacy commands answering
 * 403 (the supervisor was updated to varserver firmware) or `/auth`/`/vars` answering 404 (back on legacy firmware);
 * it then probes again and repeats the call on the right client, once.
 */
import type { PvsApiEra } from '../../../contracts/sunpower-pvs/index.js';
import { PvsClient, type PvsClientOptions } from './client.js';
import type { DeviceListResult, PvsDeviceInfo } from './devices.js';
import { PvsError, PvsUnauthorizedError, PvsUnavailableError, PvsWrongEraError } from './errors.js';
import { PvsVarserverClient, type PvsSupervisorProbe, type PvsVarserverClientOptions, type VarserverDeviceList } from './varserver-client.js';

export interface PvsAutoClientOptions {
  /** `host[:port]` (or an http(s) URL of it): `http://` for the probe and the legacy API, `https://` for the varserver. */
  readonly host: string;
  /** Options of the legacy client (its `baseUrl` is `http://host[:port]`). */
  readonly legacy?: Omit<PvsClientOptions, 'baseUrl'>;
  /** Options of the varserver client (user, password, TLS, timeouts, the telemetry port…). */
  readonly varserver?: Omit<PvsVarserverClientOptions, 'host'>;
}

/** The client for the era found, with what the probe said. */
export type PvsEraClient =
  | { readonly era: 'legacy'; readonly client: PvsClient; readonly probe: PvsSupervisorProbe }
  | { readonly era: 'varserver'; readonly client: PvsVarserverClient; readonly probe: PvsSupervisorProbe };

/** The site's devices in DeviceList's shapes, whichever API they came from. */
export interface PvsSiteDevices {
  readonly era: PvsApiEra;
  /** Supervisor, meters, inverters (and on legacy firmware the ESS devices DeviceList lists). */
  readonly devices: readonly PvsDeviceInfo[];
  /** The DeviceList answer (legacy firmware). */
  readonly legacy?: DeviceListResult;
  /** The whole varserver poll (varserver firmware). */
  readonly varserver?: VarserverDeviceList;
}

/** True for an answer that says the supervisor no longer runs the era the call was made for. */
export function isEraChange(error: unknown, era: PvsApiEra): boolean {
  if (era === 'legacy') return error instanceof PvsUnauthorizedError && error.status === 403;
  return error instanceof PvsWrongEraError;
}

export class PvsAutoClient {
  readonly legacy: PvsClient;
  readonly varserver: PvsVarserverClient;
  /** What the last probe said; undefined before the first. */
  probe: PvsSupervisorProbe | undefined;
  /** Probes so far (an era change shows as a second one). */
  detections = 0;
  private detecting: Promise<PvsSupervisorProbe> | null = null;

  constructor(options: PvsAutoClientOptions) {
    this.varserver = new PvsVarserverClient({ ...options.varserver, host: options.host });
    this.legacy = new PvsClient({ ...options.legacy, baseUrl: this.varserver.bases.http });
  }

  /** The era found by the last probe. */
  get era(): PvsApiEra | undefined {
    return this.probe?.era;
  }

  /** Probes `supervisor/info` (again), falling back to a varserver discovery read when it tells no build. */
  detect(): Promise<PvsSupervisorProbe> {
    this.detecting ??= this.doDetect().finally(() => {
      this.detecting = null;
    });
    return this.detecting;
  }

  private async doDetect(): Promise<PvsSupervisorProbe> {
    this.detections++;
    let probe: PvsSupervisorProbe | undefined;
    let probeError: unknown;
    try {
      probe = await this.varserver.supervisorInfo();
    } catch (error) {
      // Rebooting: nothing to learn now.
      if (error instanceof PvsUnavailableError) throw error;
      probeError = error;
    }
    if (probe !== undefined && probe.build !== undefined) {
      this.probe = probe;
      return probe;
    }
    // ha-esunpower's fallback: try the varserver, else the legacy API.
    try {
      const found = await this.varserver.discover();
      this.probe = { serial: found.serial, model: probe?.model ?? 'PVS6', swver: probe?.swver, build: undefined, era: 'varserver', raw: probe?.raw ?? {} };
    } catch (error) {
      if (!(error instanceof PvsWrongEraError)) throw probeError instanceof PvsError ? probeError : error;
      this.probe = { serial: probe?.serial, model: probe?.model ?? 'PVS6', swver: probe?.swver, build: undefined, era: 'legacy', raw: probe?.raw ?? {} };
    }
    return this.probe;
  }

  /** The client of the era (probing first when none is known). */
  async current(): Promise<PvsEraClient> {
    const probe = this.probe ?? (await this.detect());
    return probe.era === 'legacy' ? { era: 'legacy', client: this.legacy, probe } : { era: 'varserver', client: this.varserver, probe };
  }

  /**
   * Runs `call` on the current era's client; when the answer says the era changed (a firmware update), probes
   * again and runs it once more on the new era's client.
   */
  async withClient<T>(call: (client: PvsEraClient) => Promise<T>): Promise<T> {
    const client = await this.current();
    try {
      return await call(client);
    } catch (error) {
      if (!isEraChange(error, client.era)) throw error;
      const probe = await this.detect();
      if (probe.era === client.era) throw error;
      return call(await this.current());
    }
  }

  /** The devices in DeviceList's shapes: DeviceList on legacy firmware, a varserver poll otherwise. */
  async deviceList(): Promise<PvsSiteDevices> {
    return this.withClient(async (c) => {
      if (c.era === 'legacy') {
        const legacy = await c.client.deviceList();
        return { era: 'legacy', devices: legacy.devices, legacy };
      }
      const varserver = await c.client.devices();
      return { era: 'varserver', devices: varserver.devices, varserver };
    });
  }

  async close(): Promise<void> {
    await this.varserver.close();
  }
}

/** Probes the supervisor and returns the client of its era (the varserver client is closed when the era is legacy). */
export async function connectPvs(options: PvsAutoClientOptions): Promise<PvsEraClient> {
  const auto = new PvsAutoClient(options);
  const client = await auto.current().catch(async (error: unknown) => {
    await auto.close();
    throw error;
  });
  if (client.era === 'legacy') await auto.close();
  return client;
}

/** The era of the supervisor at `host[:port]` (a probe, as ha-esunpower's config flow does it). */
export async function detectPvsEra(host: string, options: Omit<PvsVarserverClientOptions, 'host'> = {}): Promise<PvsSupervisorProbe> {
  const auto = new PvsAutoClient({ host, varserver: options });
  try {
    return await auto.detect();
  } finally {
    await auto.close();
  }
}
