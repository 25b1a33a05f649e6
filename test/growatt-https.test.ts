/**
 * growattServer's SPH and MIN call sequences over HTTPS, as a client that hard-codes https://openapi.growatt.com/
 * makes them: the name resolves to 127.0.0.1 inside this process (a hosts entry's effect), the certificate is verified
 * against the CA the emulator wrote with --growatt-ca-out (the only trust anchor), and the listener is the real one
 * that `voltbench up` opens (HTTP and TLS on one port). The sequences are the ones run over plain HTTP elsewhere.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GrowattEmulator } from '../emulators/growatt/emulator.js';
import { GROWATT_NIGHT, httpsCall } from '../emulators/growatt/test-support.js';
import { startVoltbench, type Voltbench } from '../emulators/registry.js';
import { minCallSequence, sphCallSequence, successData, type GrowattCaller, type Json } from './support/growatt-sequences.js';

const TOKEN = 'demotoken1234';
const HOST = 'openapi.growatt.com';
const dir = mkdtempSync(join(tmpdir(), 'vb-growatt-https-seq-'));
const started: Voltbench[] = [];
afterAll(async () => {
  for (const vb of started) await vb.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fleet on the real listener (127.0.0.1, a free port) at 02:00 in Freiburg, its CA written out at start. */
async function start(name: string, devices: number, minDevices: number) {
  const caPath = join(dir, `${name}-ca.pem`);
  const vb = await startVoltbench({
    devices: ['growatt'],
    host: '127.0.0.1',
    seed: 11,
    speed: 0,
    start: GROWATT_NIGHT,
    world: { latitude: 48, longitude: 7.85, utcOffsetMinutes: 120, cloudCover: 0 },
    freePorts: true,
    options: { growatt: { token: TOKEN, rateLimit: false, devices, minDevices, caOut: caPath } },
  });
  started.push(vb);
  const port = Number(new URL(vb.emulators.growatt!.url!).port);
  const ca = readFileSync(caPath, 'utf8');
  const fleet = (vb.emulators.growatt!.emulator as GrowattEmulator).fleet;
  const seen = new Set<string>();
  /** Each call over TLS to openapi.growatt.com; every certificate presented must be issued by the written CA. */
  const call: GrowattCaller = async (endpoint, method, path, params) => {
    const reply = await httpsCall({ host: HOST, port, ca, token: TOKEN, method, path: `/v1/${path}`, params });
    expect(reply.peer.checkIssued(new X509Certificate(ca))).toBe(true);
    expect(reply.peer.checkHost(HOST)).toBe(HOST);
    seen.add(reply.peer.fingerprint256);
    return successData(endpoint, reply.status, JSON.parse(reply.body) as Json);
  };
  return { vb, port, ca, fleet, call, advance: (ms: number) => vb.world.clock.advance(ms), seen };
}

describe('growattServer sequences over HTTPS under openapi.growatt.com', () => {
  it('MIN: min_detail → min_settings → min_energy → min_write_time_segment → read back, and the battery follows', async () => {
    const site = await start('min', 6, 6);
    const device = [...site.fleet.devices.values()].find((d) => d.family === 'min' && d.batteryWh > 0 && d.initialSocPct < 80)!;
    expect(device).toBeDefined();
    await minCallSequence(site.call, site.advance, device.sn);
    // One certificate throughout: the one the emulator generated at start under the written CA.
    expect(site.seen.size).toBe(1);
  });

  it('SPH: plant_list → device_list → sph_detail → sph_energy → sph_write_ac_charge_times → read back, and the battery follows', async () => {
    const site = await start('sph', 4, 0);
    const device = [...site.fleet.devices.values()].find((d) => d.family === 'sph' && d.batteryWh > 0 && d.initialSocPct > 30 && d.initialSocPct < 80)!;
    expect(device).toBeDefined();
    const plantId = [...site.fleet.plants.entries()].find(([, plant]) => plant.deviceSns.includes(device.sn))![0];
    expect(site.fleet.demoAccount.plantIds).toContain(plantId);
    await sphCallSequence(site.call, site.advance, plantId, device.sn);
    expect(site.seen.size).toBe(1);
  });
});
