/**
 * The testcontainers module (`voltbench/testing/container`): the voltbench image as a
 * GenericContainer that waits for the emulators' ready line and hands back typed URLs and control
 * clients. The only module of voltbench that imports testcontainers (an optional peer dependency).
 *   const vb = await new VoltbenchContainer('voltbench:latest').withDevices('pvs', 'ups').withSeed(7).start();
 *   const pvs = new PvsClient({ baseUrl: vb.getPvsUrl() });   await vb.control('ups').worldCommand({ grid: 'down' });
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AbstractStartedContainer, GenericContainer, getContainerRuntimeClient, Wait, type StartedTestContainer } from 'testcontainers';
import { AVAILABLE_DEVICES, builtinDevice, type DeviceName } from '../../emulators/registry.js';
import { BUILTIN_DEVICES } from '../../emulators/devices.js';
import { deviceFlags, listenerPlan } from '../../emulators/core/device/options.js';
import type { ListenerKind } from '../../emulators/core/device/descriptor.js';
import type { ControlClient, UpsControlClient } from './control-client.js';
import { EndpointTable, type DeviceAddress, type EmulatorAddresses, type VoltbenchEndpoints } from './endpoints.js';

/** The tag `docker build -t voltbench .` gives. */
export const DEFAULT_VOLTBENCH_IMAGE = 'voltbench:latest';

/** Container ports each device listens on (the image runs every listener on its default port). */
export const DEVICE_PORTS: Readonly<Record<DeviceName, readonly number[]>> = Object.fromEntries(
  BUILTIN_DEVICES.map((d) => [d.name, listenerPlan(d).map((l) => l.spec.defaultPort)]),
) as unknown as Record<DeviceName, readonly number[]>;

const SCHEME: Record<ListenerKind, string> = { http: 'http', https: 'https', 'http+https': 'http', tcp: 'tcp', websocket: 'ws' };

/** The `voltbench up --json` ready line. */
export interface ReadyLine {
  ready: true;
  emulators: Partial<Record<DeviceName, Record<string, string>>>;
  /** The dashboard's URL inside the container (port 7070), when it is served. */
  dashboard?: string;
}

const READY_PATTERN = /^\{"ready":true/;

export class VoltbenchContainer extends GenericContainer {
  private devices: readonly DeviceName[] = AVAILABLE_DEVICES;

  constructor(image: string = DEFAULT_VOLTBENCH_IMAGE) {
    super(image);
    this.withWaitStrategy(Wait.forLogMessage(READY_PATTERN)).withStartupTimeout(60_000);
  }

  /**
   * Builds the image from a voltbench checkout (its Dockerfile) through the container runtime and
   * returns the tag. `baseImage` replaces the Dockerfile's BASE_IMAGE (an official Node image by default).
   */
  static async buildImage(options: { context: string; tag?: string; baseImage?: string }): Promise<string> {
    const tag = options.tag ?? DEFAULT_VOLTBENCH_IMAGE;
    // testcontainers reports a failed build only by the image being absent afterwards, so build under a
    // fresh name (a failure can never leave an older image passing for this build) and tag it after.
    const scratch = `voltbench-build:${randomUUID()}`;
    try {
      await GenericContainer.fromDockerfile(options.context)
        .withBuildArgs(options.baseImage ? { BASE_IMAGE: options.baseImage } : {})
        .build(scratch, { deleteOnExit: false });
    } catch (error) {
      throw new Error(`building the voltbench image from ${options.context} failed (${(error as Error).message}); DEBUG=testcontainers:build shows the build log`);
    }
    const docker = (await getContainerRuntimeClient()).container.dockerode;
    const split = tag.lastIndexOf(':') > tag.lastIndexOf('/') ? tag.lastIndexOf(':') : tag.length;
    await docker.getImage(scratch).tag({ repo: tag.slice(0, split), tag: tag.slice(split + 1) || 'latest' });
    await docker.getImage(scratch).remove();
    return tag;
  }

  /** Emulators to run (default: all). */
  withDevices(...devices: DeviceName[]): this {
    if (devices.length === 0) throw new Error('withDevices needs at least one device');
    this.devices = devices;
    return this.withEnvironment({ VOLTBENCH_ONLY: devices.join(',') });
  }

  /** Seed of the world and every device; two containers with the same seed and clock show the same world. */
  withSeed(seed: number): this {
    return this.withEnvironment({ VOLTBENCH_SEED: String(seed) });
  }

  /** 0 = manual clock, 1 = real time (default), N = N× faster. */
  withSpeed(speed: number): this {
    return this.withEnvironment({ VOLTBENCH_SPEED: String(speed) });
  }

  /** Virtual start time (default: now). */
  withStart(start: Date | string | number): this {
    return this.withEnvironment({ VOLTBENCH_START: new Date(start).toISOString() });
  }

  /** A scenario by name (one of the image's `scenarios/`) or a file path inside the container. */
  withScenario(scenario: string): this {
    return this.withEnvironment({ VOLTBENCH_SCENARIO: scenario });
  }

  /** SENEC firmware profile, e.g. `v21-0824` (plain HTTP) or `v3-0826` (HTTPS). */
  withSenecFirmware(profile: string): this {
    return this.withOption('senec', 'firmware', profile);
  }

  /** A device option as its descriptor declares it (`withOption('pvs', 'panels', 12)`), passed as its variable. */
  withOption(device: DeviceName, option: string, value: string | number | boolean): this {
    const descriptor = builtinDevice(device);
    const flag = descriptor && deviceFlags(descriptor).find((f) => 'option' in f.target && f.target.option === option);
    if (!flag || !('option' in flag.target)) throw new Error(`${device} has no option "${option}"`);
    const text = flag.type === 'boolean' ? String(value === !flag.target.negated) : String(value);
    return this.withEnvironment({ [flag.env]: text });
  }

  /** Any other `voltbench up` flags (`--pvs-panels`, `--growatt-devices`, …); ports must stay the defaults. */
  withUpArgs(...args: string[]): this {
    return this.withCommand(args);
  }

  override async start(): Promise<StartedVoltbenchContainer> {
    this.withExposedPorts(...this.devices.flatMap((device) => DEVICE_PORTS[device]));
    const started = await super.start();
    return new StartedVoltbenchContainer(started, await readReadyLine(started));
  }
}

export class StartedVoltbenchContainer extends AbstractStartedContainer implements VoltbenchEndpoints {
  constructor(
    startedTestContainer: StartedTestContainer,
    /** The ready line the container printed: which emulators run, firmware, Growatt token. */
    readonly readyLine: ReadyLine,
  ) {
    super(startedTestContainer);
  }

  /** Addresses as seen from the host running the tests (mapped ports). */
  getAddresses(): EmulatorAddresses {
    const addresses: Record<string, DeviceAddress> = {};
    for (const [device, ready] of Object.entries(this.readyLine.emulators)) {
      const descriptor = builtinDevice(device);
      if (!descriptor || !ready) continue;
      const plan = listenerPlan(descriptor);
      addresses[device] = {
        urls: Object.fromEntries(plan.map((l) => [l.name, `${SCHEME[l.spec.kind]}://${this.getHost()}:${this.getMappedPort(l.spec.defaultPort)}`])),
        controlListener: (plan.find((l) => l.spec.control) ?? plan[0]!).name,
        ready,
      };
    }
    return addresses;
  }

  // Computed per call: mapped ports can change when the container restarts.
  private get table(): EndpointTable {
    return new EndpointTable(this.getAddresses());
  }

  getPvsUrl(): string {
    return this.table.getPvsUrl();
  }

  getSenecUrl(): string {
    return this.table.getSenecUrl();
  }

  getSenecHttpsUrl(): string {
    return this.table.getSenecHttpsUrl();
  }

  getSenecFirmware(): string {
    return this.table.getSenecFirmware();
  }

  getGrowattUrl(): string {
    return this.table.getGrowattUrl();
  }

  getGrowattHttpsUrl(): string {
    return this.table.getGrowattHttpsUrl();
  }

  getGrowattToken(): string {
    return this.table.getGrowattToken();
  }

  getUpsUrl(): string {
    return this.table.getUpsUrl();
  }

  getUpsControlUrl(): string {
    return this.table.getUpsControlUrl();
  }

  getUrl(device: string, listener?: string): string {
    return this.table.getUrl(device, listener);
  }

  getControlUrl(device: DeviceName | string): string {
    return this.table.getControlUrl(device);
  }

  control(device: 'ups'): UpsControlClient;
  control(device: DeviceName | string): ControlClient;
  control(device: DeviceName | string): ControlClient {
    return this.table.control(device);
  }
}

/** The first ready line in the container's log (the wait strategy has seen it already). */
async function readReadyLine(container: StartedTestContainer, timeoutMs = 10_000): Promise<ReadyLine> {
  const stream: Readable = await container.logs();
  try {
    return await new Promise<ReadyLine>((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(() => reject(new Error(`voltbench container ${container.getId()}: no ready line in its log`)), timeoutMs);
      const take = (line: string): boolean => {
        if (!READY_PATTERN.test(line.trim())) return false;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line.trim()) as ReadyLine);
        } catch (error) {
          reject(error as Error);
        }
        return true;
      };
      stream.on('data', (chunk: Buffer | string) => {
        const lines = (buffered + chunk.toString()).split('\n');
        buffered = lines.pop() ?? '';
        lines.some(take);
      });
      stream.once('end', () => {
        if (take(buffered)) return;
        clearTimeout(timer);
        reject(new Error(`voltbench container ${container.getId()}: log ended without a ready line`));
      });
    });
  } finally {
    stream.destroy();
  }
}
