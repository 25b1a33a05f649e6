// docs/containers.md, "With testcontainers": the image built from this checkout (what
// `docker build -t voltbench .` makes), started through VoltbenchContainer. Needs a container engine;
// without one this file says so in one line and its test counts as skipped.
import { beforeAll, beforeEach } from 'vitest';
import { BASE_IMAGE, missingEngine, REPO_ROOT } from '../containers/engine.js';

const missing = await missingEngine();
const skipReason = missing === null ? null : `no container engine (${missing})`;
if (skipReason !== null) console.warn(`container tests SKIPPED: ${skipReason}`);

beforeAll(async () => {
  if (skipReason === null) await VoltbenchContainer.buildImage({ context: REPO_ROOT, tag: 'voltbench:latest', ...(BASE_IMAGE ? { baseImage: BASE_IMAGE } : {}) });
}, 20 * 60_000);

beforeEach((context) => {
  if (skipReason === null) return;
  context.task.meta.skipReason = skipReason; // vitest's JSON report keeps it; CI names each skipped container test
  context.skip();
});

// #region testcontainers
import { expect, it } from 'vitest';
import { VoltbenchContainer } from 'voltbench/testing/container';
import { SenecClient } from 'voltbench/clients/senec';
import { GrowattClient } from 'voltbench/clients/growatt';

// The image: docker build -t voltbench .
it('SENEC and Growatt in a container, with a fault', async () => {
  const vb = await new VoltbenchContainer('voltbench:latest').withDevices('senec', 'growatt').withSeed(7).start();
  try {
    const senec = new SenecClient({ baseUrl: vb.getSenecHttpsUrl(), retries: 0 }); // a mapped port on the Docker host
    const growatt = new GrowattClient({ baseUrl: vb.getGrowattUrl(), token: vb.getGrowattToken() });
    await vb.control('senec').addFault({ kind: 'status', status: 504, times: 1 }); // nginx's Gateway Time-out
    await expect(senec.powerFlow()).rejects.toThrow(/504/);
    expect((await senec.powerFlow()).socPct).toBeGreaterThan(0);
    expect((await growatt.plantList()).count).toBe(1);
  } finally {
    await vb.stop();
  }
}, 120_000);
// #endregion
