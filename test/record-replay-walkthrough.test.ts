// docs/record-replay.md's walkthrough end to end, with the package's own import paths: a SENEC on
// HTTPS firmware (an emulator standing in for the real device) recorded through `startRecorder`, then
// the page's test code (test/docs-examples/replay.test.ts) run against this fresh recording.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRecorder, startReplay, startVoltbench, type RunningReplay } from 'voltbench/testing';
import { SenecClient } from 'voltbench/clients/senec';

const file = join(mkdtempSync(join(tmpdir(), 'vb-walkthrough-')), 'senec.jsonl');
let recordedSocPct = Number.NaN;
let replay: RunningReplay;

beforeAll(async () => {
  // 1. Record: the "device" serves HTTPS; the client talks HTTPS to the recorder.
  const device = await startVoltbench({ devices: ['senec'], seed: 3, speed: 0, start: '2026-06-21T20:00:00Z', senec: { site: { profile: 'v3-0826' } } });
  const recorder = await startRecorder({ device: 'senec', target: device.getSenecHttpsUrl(), out: file, listen: '127.0.0.1:0', httpsListen: '127.0.0.1:0' });
  try {
    recordedSocPct = (await new SenecClient({ baseUrl: recorder.httpsUrl! }).battery()).socPct;
  } finally {
    await recorder.close();
    await device.close();
  }
  // 2. Replay, as in docs/record-replay.md.
  replay = await startReplay({ file, timing: 'compressed', port: 0, log: () => {} });
});
afterAll(() => replay.close());

it('reads the battery as the device reported it', async () => {
  const senec = new SenecClient({ baseUrl: replay.url });
  const battery = await senec.battery();
  expect(battery.socPct).toBe(recordedSocPct);
  expect(replay.url).toMatch(/^https:/);
  expect(replay.stats().unmatched).toBe(0);
});
