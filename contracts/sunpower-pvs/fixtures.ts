/**
 * Example payloads from the device documents, as data. Provenance and reconstruction notes: fixtures/README.md.
 *
 * Seed 002 came out of a PDF: some lines were lost. Keys whose value was lost are left out, never guessed; where
 * that removes a key the contract requires, the fixture lists the error path in `knownGaps`, and the contract test
 * checks that exactly those paths fail.
 */
import checkFw from './fixtures/check-fw.json' with { type: 'json' };
import deviceBattery2022 from './fixtures/device-battery-2022.json' with { type: 'json' };
import deviceDetails from './fixtures/device-details.json' with { type: 'json' };
import deviceEnergyStorageSystem2022 from './fixtures/device-energy-storage-system-2022.json' with { type: 'json' };
import deviceEssBms2022 from './fixtures/device-ess-bms-2022.json' with { type: 'json' };
import deviceEssHub2022 from './fixtures/device-ess-hub-2022.json' with { type: 'json' };
import deviceGateway2022 from './fixtures/device-gateway-2022.json' with { type: 'json' };
import deviceHubPlus2022 from './fixtures/device-hub-plus-2022.json' with { type: 'json' };
import deviceList2019 from './fixtures/device-list-2019.json' with { type: 'json' };
import deviceList2021Fragment from './fixtures/device-list-2021-fragment.json' with { type: 'json' };
import devicePvDisconnect2022 from './fixtures/device-pv-disconnect-2022.json' with { type: 'json' };
import deviceStorageInverter2022 from './fixtures/device-storage-inverter-2022.json' with { type: 'json' };
import deviceSupervisor2019 from './fixtures/device-supervisor-2019.json' with { type: 'json' };
import essStatusSynthetic from './fixtures/ess-status.synthetic.json' with { type: 'json' };
import getCellPurchased from './fixtures/get-cell-purchased.json' with { type: 'json' };
import getComm2019 from './fixtures/get-comm-2019.json' with { type: 'json' };
import getDiscoveryProgressSynthetic from './fixtures/get-discovery-progress.synthetic.json' with { type: 'json' };
import gridProfileGet from './fixtures/grid-profile-get.json' with { type: 'json' };
import gridProfileRefresh2021 from './fixtures/grid-profile-refresh-2021.json' with { type: 'json' };
import setCellPurchased from './fixtures/set-cell-purchased.json' with { type: 'json' };
import start2019 from './fixtures/start-2019.json' with { type: 'json' };
import start2021 from './fixtures/start-2021.json' with { type: 'json' };
import stop from './fixtures/stop.json' with { type: 'json' };
import type { Command, DeviceKind } from './schemas.js';

export type FixtureTarget = { command: Command } | { device: DeviceKind } | { essStatus: true };

export interface PvsFixture {
  readonly name: string;
  /** Where the payload comes from. */
  readonly source: string;
  /** What it is an example of (which schema validates it). */
  readonly target: FixtureTarget;
  /** True when built from the protocol notes' shape rather than copied from a seed payload. */
  readonly synthetic: boolean;
  /** Error paths the contract reports because the seed text lost a required key (see README.md). */
  readonly knownGaps: readonly string[];
  readonly data: unknown;
}

const seed = (
  name: string,
  source: string,
  target: FixtureTarget,
  data: unknown,
  knownGaps: readonly string[] = [],
): PvsFixture => ({ name, source, target, synthetic: false, knownGaps, data });

export const PVS_FIXTURES: readonly PvsFixture[] = [
  seed('device-list-2019', 'seed 004 (PVS6 2019.5, Build 4150)', { command: 'DeviceList' }, deviceList2019),
  seed('device-list-2021-fragment', 'seed 002 (PVS6 2021.9, Build 41001)', { command: 'DeviceList' }, deviceList2021Fragment, [
    '/devices/0/STATE',
    '/devices/3/SWVER',
  ]),
  seed('device-supervisor-2019', 'seed 004 supervisor example', { device: 'supervisor' }, deviceSupervisor2019),
  seed('device-hub-plus-2022', 'seed 002 SunVault', { device: 'hubPlus' }, deviceHubPlus2022),
  seed('device-ess-hub-2022', 'seed 002 SunVault', { device: 'essHub' }, deviceEssHub2022),
  seed('device-pv-disconnect-2022', 'seed 002 SunVault', { device: 'pvDisconnect' }, devicePvDisconnect2022),
  seed('device-gateway-2022', 'seed 002 SunVault', { device: 'gateway' }, deviceGateway2022),
  seed('device-storage-inverter-2022', 'seed 002 SunVault', { device: 'storageInverter' }, deviceStorageInverter2022),
  seed('device-ess-bms-2022', 'seed 002 SunVault', { device: 'essBms' }, deviceEssBms2022),
  seed('device-battery-2022', 'seed 002 SunVault', { device: 'battery' }, deviceBattery2022),
  seed(
    'device-energy-storage-system-2022',
    'seed 002 SunVault',
    { device: 'energyStorageSystem' },
    deviceEnergyStorageSystem2022,
  ),
  seed('start-2019', 'seed 004', { command: 'Start' }, start2019),
  seed('start-2021', 'seed 002', { command: 'Start' }, start2021),
  seed('stop', 'seeds 002 and 004', { command: 'Stop' }, stop),
  seed('get-comm-2019', 'seed 004', { command: 'Get_Comm' }, getComm2019),
  seed('check-fw', 'seeds 002 and 004', { command: 'CheckFW' }, checkFw),
  seed('device-details', 'seed 002', { command: 'DeviceDetails' }, deviceDetails),
  seed('grid-profile-get', 'seed 002', { command: 'GridProfileGet' }, gridProfileGet),
  seed('grid-profile-refresh-2021', 'seed 002 (63 profiles)', { command: 'GridProfileRefresh' }, gridProfileRefresh2021, [
    '/profiles/0/selfsupply',
  ]),
  seed('get-cell-purchased', 'seed 002', { command: 'GetCellPurchased' }, getCellPurchased),
  seed('set-cell-purchased', 'seed 002', { command: 'SetCellPurchased' }, setCellPurchased),
  {
    name: 'get-discovery-progress.synthetic',
    source: 'protocol notes §3 shape; seed 002 describes "micro inverters 100% done, none found" without a body',
    target: { command: 'GetDiscoveryProgress' },
    synthetic: true,
    knownGaps: [],
    data: getDiscoveryProgressSynthetic,
  },
  {
    name: 'ess-status.synthetic',
    source: 'protocol notes §4 shape; serials cross-linked to the seed 002 SunVault devices; values invented',
    target: { essStatus: true },
    synthetic: true,
    knownGaps: [],
    data: essStatusSynthetic,
  },
];

/** The fixture called `name`; throws for an unknown name so a typo fails loudly in tests. */
export function pvsFixture(name: string): PvsFixture {
  const found = PVS_FIXTURES.find((f) => f.name === name);
  if (!found) throw new Error(`No PVS fixture named ${JSON.stringify(name)}`);
  return found;
}

/** A deep copy of a fixture's payload, safe to mutate in tests. */
export function pvsFixtureData(name: string): unknown {
  return structuredClone(pvsFixture(name).data);
}
