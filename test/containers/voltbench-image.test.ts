/**
 * The image as users run it: built from the Dockerfile, started through the VoltbenchContainer
 * testcontainers module, driven by every typed client and changed through the control API; then
 * docker-compose.yml, built by compose itself, with every service healthy on one world. Needs a
 * container engine: without one the file says so in one line and its tests count as skipped, each
 * with its reason (CI fails when any is skipped while it provisioned an engine).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerComposeEnvironment, Wait, type StartedDockerComposeEnvironment } from 'testcontainers';
import { GrowattClient } from '../../src/clients/growatt/index.js';
import { KehuaUpsClient } from '../../src/clients/kehua-ups/index.js';
import { SenecClient } from '../../src/clients/senec/index.js';
import { devicesOfKind, PvsClient, PvsHttpError } from '../../src/clients/sunpower-pvs/index.js';
import { ControlClient, UpsControlClient } from '../../src/testing/index.js';
import { StartedVoltbenchContainer, VoltbenchContainer } from '../../src/testing/container.js';
import { BUILTIN_DEVICES } from '../../emulators/devices.js';
import { publishedPorts } from '../../docker/compose-file.js';
import { BASE_IMAGE, composeExecutable, freePort, missingEngine, REPO_ROOT, skipWhen, TEST_IMAGE } from './engine.js';

const missing = await missingEngine();
const compose = missing === null ? composeExecutable() : null;
const noEngine = missing === null ? null : `no container engine (${missing})`;
const noCompose = missing === null && compose === null ? 'neither "docker compose" nor "docker-compose" works here' : null;

const NOON = '2026-06-21T20:00:00Z'; // midday in the default Californian world
const BUILD_MS = 15 * 60_000;

describe('the voltbench image through VoltbenchContainer', skipWhen(noEngine), () => {
  let all: StartedVoltbenchContainer;
  let pvsOnly: StartedVoltbenchContainer;
  let scenario: StartedVoltbenchContainer;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    await VoltbenchContainer.buildImage({ context: REPO_ROOT, tag: TEST_IMAGE, ...(BASE_IMAGE ? { baseImage: BASE_IMAGE } : {}) });
    [all, pvsOnly, scenario] = await Promise.all([
      // Every emulator, configured through the module (VOLTBENCH_* variables) on a manual clock at noon.
      new VoltbenchContainer(TEST_IMAGE).withSeed(7).withSpeed(0).withStart(NOON).start(),
      // One emulator, an extra flag as a command argument, and the image's own HEALTHCHECK as the wait strategy.
      new VoltbenchContainer(TEST_IMAGE).withDevices('pvs').withUpArgs('--pvs-panels', '3').withWaitStrategy(Wait.forHealthCheck()).start(),
      // A scenario from the image's library, chosen by VOLTBENCH_SCENARIO.
      new VoltbenchContainer(TEST_IMAGE).withScenario('grid-outage').start(),
    ]);
  }, BUILD_MS);

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await Promise.all([all?.stop(), pvsOnly?.stop(), scenario?.stop()]);
  });

  it('runs as the non-root node user and its health check passes', async () => {
    const uid = await all.exec(['node', '-e', 'process.stdout.write(String(process.getuid()))']);
    expect(uid.output).toBe('1000');
    const health = await all.exec(['node', '/app/docker/healthcheck.mjs']);
    expect(health).toMatchObject({ exitCode: 0, output: 'healthy: pvs, senec, growatt, ups\n' });
  });

  it('reports every emulator in its ready line, listening on all interfaces inside the container', () => {
    expect(Object.keys(all.readyLine.emulators)).toEqual(['pvs', 'senec', 'growatt', 'ups']);
    expect(all.readyLine.emulators.pvs?.url).toBe('http://0.0.0.0:7080');
    expect(all.getPvsUrl()).toMatch(/^http:\/\/[^:]+:\d+$/);
    expect(all.getUpsUrl()).toMatch(/^tcp:\/\/[^:]+:\d+$/);
  });

  it('SunPower PVS: the typed client lists 24 working inverters at the configured virtual noon', async () => {
    const list = await new PvsClient({ baseUrl: all.getPvsUrl(), retries: 0 }).deviceList();
    const inverters = devicesOfKind(list, 'inverter');
    expect(inverters).toHaveLength(24);
    expect(new Set(inverters.map((i) => i.state))).toEqual(new Set(['working']));
    expect(devicesOfKind(list, 'supervisor')[0]?.currentTime).toBe(Date.parse(NOON));
  });

  it('SENEC: the typed client reads the power flow over HTTPS (V3 firmware)', async () => {
    expect(all.getSenecFirmware()).toBe('v3-0826');
    const senec = new SenecClient({ baseUrl: all.getSenecHttpsUrl(), retries: 0 });
    cleanups.push(async () => senec.close());
    const flow = await senec.powerFlow();
    expect(flow.pvW).toBeGreaterThan(1_000);
    expect(flow.houseW).toBeCloseTo(flow.pvW + flow.gridW - flow.batteryW, 0);
  });

  it('Growatt: the typed client walks plant → device → latest data with the token from the ready line', async () => {
    const growatt = new GrowattClient({ baseUrl: all.getGrowattUrl(), token: all.getGrowattToken(), scheduler: { enabled: false } });
    const plants = await growatt.plantList();
    expect(plants.count).toBe(1);
    const devices = await growatt.deviceList(plants.plants[0]!.plant_id);
    const sn = devices.devices.find((d) => d.type === 5)!.device_sn;
    expect((await growatt.mixLastData(sn)).data.ppv).toBeGreaterThan(1_000);
  });

  it('KEHUA UPS: the typed client reads all 98 points over the serial-over-TCP port', async () => {
    const ups = new KehuaUpsClient({ transport: all.getUpsUrl(), retries: 0 });
    cleanups.push(() => ups.close());
    expect(await ups.readAddress()).toBe(1);
    expect(Object.keys((await ups.snapshot()).points)).toHaveLength(98);
  });

  it('control API: a grid outage set through the UPS stops the PVS inverters in the same container (one world)', async () => {
    const upsControl = all.control('ups');
    expect(upsControl).toBeInstanceOf(UpsControlClient);
    expect((await upsControl.worldCommand({ grid: 'down' })).gridUp).toBe(false);
    await all.control('pvs').advanceClock('15s');
    const pvs = new PvsClient({ baseUrl: all.getPvsUrl(), retries: 0 });
    expect(new Set(devicesOfKind(await pvs.deviceList(), 'inverter').map((i) => i.state))).toEqual(new Set(['error']));
    expect((await all.control('senec').world()).gridUp).toBe(false);
    await upsControl.worldCommand({ grid: 'up' });
    await all.control('pvs').advanceClock('15s');
    expect(new Set(devicesOfKind(await pvs.deviceList(), 'inverter').map((i) => i.state))).toEqual(new Set(['working']));
  });

  it('control API: a fault answers the next PVS request with 503, then the device answers again', async () => {
    const control = all.control('pvs');
    await control.addFault({ kind: 'status', status: 503, times: 1, match: { command: 'DeviceList' } });
    const pvs = new PvsClient({ baseUrl: all.getPvsUrl(), retries: 0 });
    await expect(pvs.deviceList()).rejects.toBeInstanceOf(PvsHttpError);
    expect(devicesOfKind(await pvs.deviceList(), 'inverter')).toHaveLength(24);
    expect((await control.requests(2)).map((r) => r.status)).toEqual([503, 200]);
  });

  it('a container started with withDevices and command arguments runs only that emulator, as configured', async () => {
    expect(Object.keys(pvsOnly.readyLine.emulators)).toEqual(['pvs']);
    expect(devicesOfKind(await new PvsClient({ baseUrl: pvsOnly.getPvsUrl() }).deviceList(), 'inverter')).toHaveLength(3);
    expect(() => pvsOnly.getSenecUrl()).toThrow('the senec emulator is not running (running: pvs)');
  });

  it('runs a device of your own: a module mounted anywhere and named by VOLTBENCH_DEVICE, importing voltbench/device', async () => {
    const meter = await new VoltbenchContainer(TEST_IMAGE)
      .withBindMounts([{ source: join(REPO_ROOT, 'examples', 'energy-meter'), target: '/devices', mode: 'ro' }])
      .withEnvironment({ VOLTBENCH_DEVICE: '/devices/meter.js', VOLTBENCH_ONLY: 'meter' })
      .withExposedPorts(7099)
      .start();
    cleanups.push(() => meter.stop());
    expect(meter.readyLine.emulators).toEqual({ meter: { url: 'http://0.0.0.0:7099' } });
    const base = `http://${meter.getHost()}:${meter.getMappedPort(7099)}`;
    expect(await new ControlClient(base).health()).toMatchObject({ status: 'ok', device: 'meter' });
    const health = await meter.exec(['node', '/app/docker/healthcheck.mjs']);
    expect(health).toMatchObject({ exitCode: 0, output: 'healthy: meter\n' });
  });

  it('plays a library scenario named by VOLTBENCH_SCENARIO: its devices, world and planned outage', async () => {
    expect(Object.keys(scenario.readyLine.emulators)).toEqual(['pvs', 'senec', 'growatt', 'ups']);
    const world = await scenario.control('ups').world();
    expect(world.config).toMatchObject({ seed: 4, utcOffsetMinutes: -420, cloudCover: 0 });
    const start = Date.parse('2024-06-21T12:00:00-07:00');
    expect(Date.parse(world.now) - start).toBeGreaterThanOrEqual(0);
    expect(Date.parse(world.now) - start).toBeLessThan(5 * 60_000);
    expect(world.outages).toEqual([{ from: start + 6 * 3_600_000, to: start + 8 * 3_600_000 }]);
  });
});

describe('docker-compose.yml through DockerComposeEnvironment', skipWhen(noEngine ?? noCompose), () => {
  let environment: StartedDockerComposeEnvironment | undefined;
  /** Host port by compose variable (PVS_HOST_PORT, …), each a free one. */
  const published: Record<string, number> = {};

  beforeAll(async () => {
    for (const device of BUILTIN_DEVICES) for (const { variable } of publishedPorts(device)) published[variable] = await freePort();
    // `up --build`: compose builds TEST_IMAGE itself from the file's build section (base image
    // from VOLTBENCH_BASE_IMAGE), so this never runs a stale image; the layers are cached by now.
    let setup = new DockerComposeEnvironment(REPO_ROOT, 'docker-compose.yml')
      .withBuild()
      .withEnvironment({
        VOLTBENCH_TAG: TEST_IMAGE.split(':')[1]!,
        VOLTBENCH_SEED: '3',
        ...(BASE_IMAGE ? { VOLTBENCH_BASE_IMAGE: BASE_IMAGE } : {}),
        ...Object.fromEntries(Object.entries(published).map(([variable, port]) => [variable, String(port)])),
      })
      .withDefaultWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(90_000);
    if (compose !== null && compose !== 'plugin') setup = setup.withClientOptions({ executable: compose });
    environment = await setup.up();
  }, BUILD_MS);

  afterAll(async () => {
    await environment?.down({ timeout: 5_000 });
  });

  it('brings every service up healthy, each serving its own emulator on its published port', async () => {
    const services = { pvs: published['PVS_HOST_PORT'], senec: published['SENEC_HOST_PORT'], growatt: published['GROWATT_HOST_PORT'], ups: published['UPS_CONTROL_HOST_PORT'] };
    for (const [device, port] of Object.entries(services)) {
      expect(await new ControlClient(`http://127.0.0.1:${port}`).health()).toMatchObject({ status: 'ok', device });
    }
    const ups = new KehuaUpsClient({ transport: `tcp://127.0.0.1:${published['UPS_HOST_PORT']}`, retries: 0 });
    try {
      expect(await ups.readAddress()).toBe(1);
    } finally {
      await ups.close();
    }
  });

  it('the services share one world: the same seed and a clock at wall time in every container', async () => {
    const ports = [published['PVS_HOST_PORT'], published['SENEC_HOST_PORT'], published['GROWATT_HOST_PORT'], published['UPS_CONTROL_HOST_PORT']];
    const worlds = await Promise.all(ports.map((port) => new ControlClient(`http://127.0.0.1:${port}`).world()));
    const asked = Date.now();
    for (const world of worlds) {
      expect(world.config.seed).toBe(3);
      expect(Math.abs(Date.parse(world.now) - asked)).toBeLessThan(5_000);
    }
    // Same seed, same instant (give or take the requests' milliseconds): the seeded weather agrees across processes.
    const covers = worlds.map((w) => w.cloudCover);
    expect(Math.max(...covers) - Math.min(...covers)).toBeLessThan(0.01);
  });
});
