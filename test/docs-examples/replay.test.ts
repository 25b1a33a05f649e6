// docs/record-replay.md, "In a test": a recording checked in beside the test (recordings/senec.jsonl,
// made with `voltbench record` from a SENEC on HTTPS firmware), replayed on a free port.
// #region replay
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { startReplay } from 'voltbench/testing';
import { SenecClient } from 'voltbench/clients/senec';

const file = fileURLToPath(new URL('recordings/senec.jsonl', import.meta.url));
const replay = await startReplay({ file, timing: 'compressed', port: 0 });
afterAll(() => replay.close());

it('reads the battery as the device reported it', async () => {
  const senec = new SenecClient({ baseUrl: replay.url }); // https://127.0.0.1:<port>, as the client recorded it
  const battery = await senec.battery();
  expect(battery.socPct).toBe(55); // what the device said while recording
  expect(replay.stats().unmatched).toBe(0); // the client asked nothing that was not recorded
  await senec.close();
});
// #endregion
