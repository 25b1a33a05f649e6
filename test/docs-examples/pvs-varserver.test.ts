// docs/pvs.md, "From TypeScript": the 2025 varserver firmware in-process: an HTTPS login, live data from /vars
// and a telemetry frame from the WebSocket (a free port each, a manual clock at a June noon).
// #region pvs-varserver
import { request } from 'node:https';
import { afterAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startVoltbench } from 'voltbench/testing';

const vb = await startVoltbench({ devices: ['pvs'], options: { pvs: { firmware: 'pvs6-61845', password: '12345' } }, speed: 0, start: '2026-06-21T20:00:00Z' });
afterAll(() => vb.close());

/** A GET over HTTPS that accepts the device's self-signed certificate, as every varserver client does. */
function get(path: string, headers: Record<string, string> = {}) {
  const url = new URL(path, vb.getPvsUrl().replace('http:', 'https:'));
  return new Promise<{ status: number; cookie: string | undefined; body: string }>((resolve, reject) => {
    request(url, { headers, rejectUnauthorized: false }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, cookie: response.headers['set-cookie']?.[0]?.split(';')[0], body }));
    }).on('error', reject).end();
  });
}

it('logs in, reads the live data and receives a telemetry frame', async () => {
  const login = await get('/auth?login', { authorization: `basic ${Buffer.from('ssm_owner:12345').toString('base64')}` });
  expect(login.status).toBe(200);
  const cookie = login.cookie!;
  const live = JSON.parse((await get('/vars?match=/sys/livedata/&fmt=obj', { cookie })).body) as Record<string, string>;
  expect(Number(live['/sys/livedata/pv_p'])).toBeGreaterThan(0);
  await get('/vars?set=/sys/telemetryws/enable=1', { cookie });
  const ws = new WebSocket(vb.getUrl('pvs', 'ws'));
  const frame = JSON.parse(String(await new Promise((resolve) => ws.once('message', resolve)))) as { notification: string };
  expect(frame.notification).toBe('power');
  ws.close();
});
// #endregion
