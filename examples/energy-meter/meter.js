// An example device of your own: an energy meter at the grid connection with a small HTTP JSON API,
// standing on voltbench's shared world (clock, household load, grid outages), fault layer and
// control API. Not an emulation of any real meter; a starting point for one.
//
//   npx voltbench up --device ./examples/energy-meter/meter.js
//   curl http://127.0.0.1:7099/api/v1/data
//
// Plain JavaScript on purpose: no build step. The JSDoc and `defineDevice` give an editor the types.
// #region device
import { defineDevice, Type } from 'voltbench/device';

/** Energy is integrated in steps of this much virtual time. */
const STEP_MS = 5 * 60_000;
const NOMINAL_VOLTAGE = 230;
const NOMINAL_FREQUENCY = 50;

export default defineDevice({
  apiVersion: 1,
  name: 'meter',
  title: 'Example energy meter (HTTP JSON)',
  options: Type.Object({
    phases: Type.Integer({ minimum: 1, maximum: 3, default: 3, description: 'phases the household load is spread over' }),
    noise: Type.Number({ minimum: 0, maximum: 0.2, default: 0.01, description: 'relative measurement noise' }),
  }),
  listeners: {
    api: { kind: 'http', defaultPort: 7099, description: 'meter API (GET /api/v1/data) and the control API', control: true },
  },

  async create({ world, options, rng, http }) {
    const noise = rng('noise');
    const since = world.clock.now();
    let importedWh = 0;
    let integratedTo = since;

    /** Import energy up to now: the household load while the grid is up (this meter sees no PV). */
    function integrate() {
      const now = world.clock.now();
      for (; integratedTo < now; ) {
        const next = Math.min(now, integratedTo + STEP_MS);
        if (world.gridUp(integratedTo)) importedWh += (world.householdLoadW(integratedTo) * (next - integratedTo)) / 3_600_000;
        integratedTo = next;
      }
    }

    // Integrate up to now before the world changes (weather, outages), so the past keeps the world it had.
    world.onBeforeChange(integrate);

    function reading() {
      integrate();
      const now = world.clock.now();
      const up = world.gridUp(now);
      // Stateless keyed noise: the same seed and instant give the same reading.
      const jitter = 1 + options.noise * noise.signedNoise(1, Math.floor(now / 1000));
      const powerW = up ? world.householdLoadW(now) * jitter : 0;
      const phases = Array.from({ length: options.phases }, (_, i) => ({
        phase: `L${i + 1}`,
        voltage_v: up ? round(NOMINAL_VOLTAGE * (1 + 0.01 * noise.signedNoise(2 + i, Math.floor(now / 1000))), 1) : 0,
        active_power_w: round(powerW / options.phases, 1),
      }));
      return {
        timestamp: new Date(now).toISOString(),
        grid: up ? 'up' : 'down',
        active_power_w: round(powerW, 1),
        frequency_hz: up ? NOMINAL_FREQUENCY : 0,
        phases,
        total_power_import_kwh: round(importedWh / 1000, 3),
      };
    }

    const device = await http({
      routes: async (app) => {
        app.get('/api/v1/data', async () => reading());
      },
      state: () => ({ settings: { phases: options.phases, noise: options.noise }, reading: reading() }),
      reset: () => {
        importedWh = 0;
        integratedTo = world.clock.now();
      },
      describeRequest: (request) => request.url.split('?')[0],
    });
    return { emulator: device.emulator, control: device.control, serve: { api: device.app } };
  },
});
// #endregion

/**
 * @param {number} value
 * @param {number} decimals
 */
function round(value, decimals) {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
