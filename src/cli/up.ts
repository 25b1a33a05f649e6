import { AVAILABLE_DEVICES, DEFAULT_PORTS, DEVICES, startVoltbench, type DeviceName, type Voltbench } from '../../emulators/registry.js';
import { isProfileId, PROFILE_IDS, type ProfileId } from '../../contracts/senec/index.js';
import { loadTlsMaterial, type TlsMaterial } from '../../emulators/core/tls/certificates.js';
import { MAX_FLEET_DEVICES } from '../../emulators/growatt/fleet.js';
import { integerFlag, numberFlag, parseFlags } from './flags.js';
import { UsageError } from './usage-error.js';
import { loadScenario, narrowScenario, startScenario, type Scenario } from '../scenarios/index.js';

export const UP_USAGE = `Usage: voltbench up [options]

Starts device emulators on one shared simulated world.

Options:
  --only <list>             devices to start, comma-separated (${DEVICES.join(', ')}); default: all available
  --host <address>          address to listen on (default 127.0.0.1)
  --seed <n>                seed for the world and every device (default 1)
  --speed <n>               clock speed: 1 = real time, N = N times faster, 0 = manual (default 1)
  --start <iso-time>        virtual start time (default: now)
  --scenario <name|file>    play a scenario (library name or .json file): its world, devices, seed and
                            start time, its timeline at --speed (0 = events fire as the clock is moved);
                            --only then picks some of its devices
  --pvs-port <port>         SunPower PVS port (default ${DEFAULT_PORTS.pvs}; 0 picks a free port)
  --pvs-panels <n>          PVS panel count, 1-200 (default 24)
  --pvs-batteries <n>       SunVault batteries, 0 = no ESS (default 0)
  --pvs-latency             DeviceList takes as long as on a real supervisor (~0.25 s per device)
  --senec-port <port>       SENEC plain-HTTP port, also the control API (default ${DEFAULT_PORTS.senec})
  --senec-https-port <port> SENEC HTTPS port (default ${DEFAULT_PORTS.senecHttps})
  --senec-firmware <name>   ${PROFILE_IDS.join(', ')} (default v3-0826); v21-0824 serves HTTP, the others HTTPS
  --senec-cert <file>       PEM certificate (chain) for SENEC HTTPS; default: generated at start
  --senec-key <file>        PEM private key for --senec-cert
  --growatt-port <port>     Growatt OpenAPI v1 port (default ${DEFAULT_PORTS.growatt}); clients append /v1/
  --growatt-devices <n>     SPH inverters in the emulated fleet, one plant each (default 1, up to 50000)
  --growatt-accounts <n>    accounts (tokens) the devices are spread over (default 1; the first gets the demo token)
  --growatt-token <token>   demo token of the first account (default: derived from the seed)
  --growatt-no-rate-limit   answer every call; by default calls faster than the documented limits get 10012
  --ups-port <port>         KEHUA UPS raw serial bytes over TCP (default ${DEFAULT_PORTS.ups})
  --ups-control-port <port> KEHUA UPS control API over HTTP (default ${DEFAULT_PORTS.upsControl})
  --json                    print one JSON line when everything listens
  -h, --help                show this help
`;

export interface UpOptions {
  devices: DeviceName[];
  host: string;
  seed: number;
  speed: number;
  start?: number;
  scenario?: Scenario;
  json: boolean;
  pvsPort: number;
  pvsPanels: number;
  pvsBatteries: number;
  pvsLatency: boolean;
  senecPort: number;
  senecHttpsPort: number;
  senecFirmware: ProfileId;
  senecTls?: TlsMaterial;
  upsPort: number;
  upsControlPort: number;
  growattPort: number;
  growattDevices: number;
  growattAccounts: number;
  growattToken?: string;
  growattRateLimits: boolean;
}

/** Parses `up` flags; throws UsageError with a message a person can act on. */
export function parseUpArgs(argv: string[]): UpOptions | 'help' {
  const parsed = parseFlags({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      only: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      speed: { type: 'string', default: '1' },
      start: { type: 'string' },
      scenario: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      'pvs-port': { type: 'string', default: String(DEFAULT_PORTS.pvs) },
      'pvs-panels': { type: 'string', default: '24' },
      'pvs-batteries': { type: 'string', default: '0' },
      'pvs-latency': { type: 'boolean', default: false },
      'senec-port': { type: 'string', default: String(DEFAULT_PORTS.senec) },
      'senec-https-port': { type: 'string', default: String(DEFAULT_PORTS.senecHttps) },
      'senec-firmware': { type: 'string', default: 'v3-0826' },
      'senec-cert': { type: 'string' },
      'senec-key': { type: 'string' },
      'growatt-port': { type: 'string', default: String(DEFAULT_PORTS.growatt) },
      'growatt-devices': { type: 'string', default: '1' },
      'growatt-accounts': { type: 'string', default: '1' },
      'growatt-token': { type: 'string' },
      'growatt-no-rate-limit': { type: 'boolean', default: false },
      'ups-port': { type: 'string', default: String(DEFAULT_PORTS.ups) },
      'ups-control-port': { type: 'string', default: String(DEFAULT_PORTS.upsControl) },
    },
  });
  const v = parsed.values;
  if (v.help) return 'help';
  let scenario: Scenario | undefined;
  if (v.scenario !== undefined) {
    if (v.start !== undefined) throw new UsageError('--start cannot be combined with --scenario (the scenario sets it)');
    try {
      scenario = loadScenario(v.scenario);
      // --only picks some of the scenario's devices (one process per device, as in docker-compose).
      if (v.only !== undefined) scenario = narrowScenario(scenario, parseDevices(v.only));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const devices = scenario ? scenario.devices : parseDevices(v.only);
  const growattDevices = integerFlag(v['growatt-devices'], '--growatt-devices', 1, MAX_FLEET_DEVICES);
  const growattAccounts = integerFlag(v['growatt-accounts'], '--growatt-accounts', 1, MAX_FLEET_DEVICES);
  if (growattAccounts > growattDevices) throw new UsageError(`--growatt-accounts (${growattAccounts}) cannot exceed --growatt-devices (${growattDevices})`);
  const growattToken = v['growatt-token'];
  if (growattToken !== undefined && !/^[0-9a-zA-Z]{8,64}$/.test(growattToken)) throw new UsageError('--growatt-token must be 8-64 letters or digits');
  const firmware = v['senec-firmware'];
  if (!isProfileId(firmware)) throw new UsageError(`--senec-firmware must be one of ${PROFILE_IDS.join(', ')}, got "${firmware}"`);
  if ((v['senec-cert'] === undefined) !== (v['senec-key'] === undefined)) throw new UsageError('--senec-cert and --senec-key go together');
  let senecTls: TlsMaterial | undefined;
  if (v['senec-cert'] !== undefined && v['senec-key'] !== undefined) {
    try {
      senecTls = loadTlsMaterial(v['senec-key'], v['senec-cert']);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const start = v.start === undefined ? undefined : Date.parse(v.start);
  if (start !== undefined && Number.isNaN(start)) throw new UsageError(`--start must be an ISO-8601 time such as 2026-06-21T12:00:00Z, got "${v.start}"`);
  return {
    devices,
    host: v.host,
    seed: v.seed !== undefined ? integerFlag(v.seed, '--seed', -2147483648, 4294967295) : (scenario?.seed ?? 1),
    speed: numberFlag(v.speed, '--speed', 0, 1_000_000),
    ...(start !== undefined ? { start } : {}),
    ...(scenario ? { scenario } : {}),
    json: v.json,
    pvsPort: port(v['pvs-port'], '--pvs-port'),
    pvsPanels: integerFlag(v['pvs-panels'], '--pvs-panels', 1, 200),
    pvsBatteries: integerFlag(v['pvs-batteries'], '--pvs-batteries', 0, 8),
    pvsLatency: v['pvs-latency'],
    senecPort: port(v['senec-port'], '--senec-port'),
    senecHttpsPort: port(v['senec-https-port'], '--senec-https-port'),
    senecFirmware: firmware,
    ...(senecTls ? { senecTls } : {}),
    upsPort: port(v['ups-port'], '--ups-port'),
    upsControlPort: port(v['ups-control-port'], '--ups-control-port'),
    growattPort: port(v['growatt-port'], '--growatt-port'),
    growattDevices,
    growattAccounts,
    ...(growattToken !== undefined ? { growattToken } : {}),
    growattRateLimits: !v['growatt-no-rate-limit'],
  };
}

function parseDevices(only: string | undefined): DeviceName[] {
  if (only === undefined) return [...AVAILABLE_DEVICES];
  const names = only.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('--only needs at least one device name');
  for (const name of names) {
    if (!(DEVICES as readonly string[]).includes(name)) throw new UsageError(`unknown device "${name}" in --only; known: ${DEVICES.join(', ')}`);
    if (!AVAILABLE_DEVICES.includes(name as DeviceName)) throw new UsageError(`the ${name} emulator is not available yet; available: ${AVAILABLE_DEVICES.join(', ')}`);
  }
  return DEVICES.filter((d) => names.includes(d));
}

function port(text: string, flag: string): number {
  return integerFlag(text, flag, 0, 65535);
}

export async function startFromOptions(options: UpOptions, log: (line: string) => void = () => {}): Promise<Voltbench> {
  if (options.scenario) return startScenarioFromOptions(options, options.scenario, log);
  return startVoltbench({
    devices: options.devices,
    host: options.host,
    seed: options.seed,
    speed: options.speed,
    ...(options.start !== undefined ? { start: options.start } : {}),
    ports: { pvs: options.pvsPort, senec: options.senecPort, senecHttps: options.senecHttpsPort, growatt: options.growattPort, ups: options.upsPort, upsControl: options.upsControlPort },
    pvs: {
      site: { panels: options.pvsPanels, essBatteries: options.pvsBatteries },
      settings: { deviceListLatency: options.pvsLatency },
    },
    senec: { site: { profile: options.senecFirmware }, ...(options.senecTls ? { tls: options.senecTls } : {}) },
    growatt: {
      fleet: { devices: options.growattDevices, accounts: options.growattAccounts, ...(options.growattToken ? { demoToken: options.growattToken } : {}) },
      settings: { rateLimits: options.growattRateLimits },
    },
  });
}

/**
 * `up --scenario`: the scenario decides world, devices and their configuration; ports, host and
 * speed come from the flags. The timeline plays in the background; the devices keep running after it.
 */
async function startScenarioFromOptions(options: UpOptions, scenario: Scenario, log: (line: string) => void): Promise<Voltbench> {
  const session = await startScenario({ ...scenario, seed: options.seed }, {
    speed: options.speed,
    listen: true,
    host: options.host,
    ports: { pvs: options.pvsPort, senec: options.senecPort, senecHttps: options.senecHttpsPort, growatt: options.growattPort, ups: options.upsPort, upsControl: options.upsControlPort },
    ...(options.senecTls ? { senecTls: options.senecTls } : {}),
    log: (line) => log(`scenario: ${line}`),
  });
  const playing = session.run().catch((error: unknown) => log(`scenario: ${(error as Error).message}`));
  return {
    ...session.voltbench,
    close: async () => {
      session.stop();
      await playing;
      await session.voltbench.close();
    },
  };
}

/** The one-line ready message for `--json`: device → how to reach it. */
export function readyLine(vb: Voltbench): string {
  const emulators: Record<string, Record<string, string>> = {};
  for (const device of DEVICES) {
    const running = vb.emulators[device];
    if (running?.url) emulators[device] = running.ready;
  }
  return JSON.stringify({ ready: true, emulators });
}

export function readyTable(vb: Voltbench, options: UpOptions): string {
  const clock = vb.world.clock.snapshot();
  const rows = DEVICES.flatMap((device) => {
    const running = vb.emulators[device];
    if (!running?.url) return [];
    const ready = running.ready;
    const served = ready.url ?? ready.httpsUrl ?? running.url;
    const label = ready.firmware ? `${device} (${ready.firmware})` : ready.token ? `${device} (token ${ready.token})` : device;
    return [[label, served, `${running.controlUrl ?? running.url}/__emu/`]];
  });
  const width = (i: number) => Math.max(...[['device', 'url', 'control'], ...rows].map((r) => r[i]!.length));
  const line = (r: string[]) => `  ${r[0]!.padEnd(width(0))}  ${r[1]!.padEnd(width(1))}  ${r[2]}`;
  const speed = clock.speed === 0 ? 'manual clock' : clock.speed === 1 ? 'real time' : `${clock.speed}x real time`;
  return [
    `voltbench is running (seed ${options.seed}, ${speed}, virtual time ${clock.iso})`,
    line(['device', 'url', 'control']),
    ...rows.map(line),
    'Press Ctrl+C to stop.',
  ].join('\n');
}
