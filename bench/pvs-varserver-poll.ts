// The poll the PVS varserver benchmark repeats, shared by the load side and the server child.
import { PYPVS_GATEWAY_VARIABLES } from '../contracts/sunpower-pvs/variables.js';

/**
 * pypvs's `update()` on a PV-only site, as POST /vars bodies after its one login: the gateway updater's ten
 * single-variable reads, then the inverters' and the meters' matches (the ESS and transfer-switch updaters drop out
 * at the probe on such a site).
 */
export const PYPVS_POLL_BODIES: readonly string[] = [
  ...PYPVS_GATEWAY_VARIABLES.map((name) => `name=${name}`),
  'match=/sys/devices/inverter/',
  'match=/sys/devices/meter/',
];

/** The server child's ready line. */
export interface PvsVarserverServersReady {
  /** `https://127.0.0.1:<port>`: the emulator's one port, HTTPS side. */
  emulatorUrl: string;
  bareUrl: string;
  /** The supervisor serial (its last five characters are the password). */
  serial: string;
  /** Bytes of one poll's replies together. */
  pollBytes: number;
}
