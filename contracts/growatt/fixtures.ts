/**
 * Example bodies and where each comes from. Only `mixs_data.json` and the permission-denied body are verbatim
 * recordings; the others carry official example values whose raw JSON types had to be chosen, or are assembled
 * from the seed to fit another endpoint's documented envelope. See fixtures/README.md.
 */
import { readFileSync } from 'node:fs';
import type { EndpointId } from './endpoints.js';

export type Provenance =
  /** Verbatim from the seed document. */
  | 'seed'
  /** Verbatim from the implementer notes (a recorded reply). */
  | 'notes'
  /** An official showdoc example quoted as raw JSON by a client's docstring. */
  | 'doc-example'
  /** Official example values quoted only in parsed form; raw JSON types follow the notes. */
  | 'reconstructed'
  /** Assembled from documented facts (seed telemetry in another envelope, a documented error message). */
  | 'constructed';

export interface FixtureInfo {
  readonly file: string;
  readonly endpoint: EndpointId;
  readonly provenance: Provenance;
}

export const FIXTURES: readonly FixtureInfo[] = [
  { file: 'mixs_data.json', endpoint: 'mixsData', provenance: 'seed' },
  { file: 'error_permission_denied.json', endpoint: 'plantList', provenance: 'notes' },
  { file: 'error_frequently_access.json', endpoint: 'mixLastData', provenance: 'constructed' },
  { file: 'plant_list.json', endpoint: 'plantList', provenance: 'doc-example' },
  { file: 'device_list.json', endpoint: 'deviceList', provenance: 'doc-example' },
  { file: 'read_mix_param.json', endpoint: 'readMixParam', provenance: 'doc-example' },
  { file: 'mix_set.json', endpoint: 'mixSet', provenance: 'doc-example' },
  { file: 'plant_details.json', endpoint: 'plantDetails', provenance: 'reconstructed' },
  { file: 'plant_data.json', endpoint: 'plantData', provenance: 'reconstructed' },
  { file: 'plant_energy_day.json', endpoint: 'plantEnergy', provenance: 'reconstructed' },
  { file: 'plant_energy_month.json', endpoint: 'plantEnergy', provenance: 'reconstructed' },
  { file: 'plant_energy_year.json', endpoint: 'plantEnergy', provenance: 'reconstructed' },
  { file: 'plant_power.json', endpoint: 'plantPower', provenance: 'reconstructed' },
  { file: 'mix_data_info.json', endpoint: 'mixDataInfo', provenance: 'reconstructed' },
  { file: 'alarm_data.json', endpoint: 'alarmData', provenance: 'reconstructed' },
  { file: 'mix_last_data.json', endpoint: 'mixLastData', provenance: 'constructed' },
  { file: 'mix_data.json', endpoint: 'mixData', provenance: 'constructed' },
  // MIN/TLX: no official example is quoted anywhere; these are emulator replies in the shapes the notes describe.
  { file: 'tlx_data_info.json', endpoint: 'tlxDataInfo', provenance: 'constructed' },
  { file: 'tlx_set_info.json', endpoint: 'tlxSetInfo', provenance: 'constructed' },
  { file: 'tlx_last_data.json', endpoint: 'tlxLastData', provenance: 'constructed' },
  { file: 'tlxs_data.json', endpoint: 'tlxsData', provenance: 'constructed' },
  { file: 'tlx_data.json', endpoint: 'tlxData', provenance: 'constructed' },
  { file: 'read_min_param.json', endpoint: 'readMinParam', provenance: 'constructed' },
  { file: 'tlx_set.json', endpoint: 'tlxSet', provenance: 'constructed' },
];

/** Parses a fixture. Reads from the source tree: the JSON files are not part of a tsc build output. */
export function readFixture(file: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8'));
}
