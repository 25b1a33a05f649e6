import { spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { BIN, spawnUp } from './support/voltbench-up.js';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { CID1_UPS, Cid2, decodeFrame, encodeFrame } from '../contracts/kehua-ups/index.js';
import { afterEach, describe, expect, it } from 'vitest';

const running: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts `voltbench up …` and resolves with the first stdout line (the ready line). */
const up = (args: string[]) => spawnUp(args, running);

describe('voltbench up', () => {
  it('prints exactly one JSON ready line, serves a DeviceList on a real socket and stops cleanly on SIGTERM', async () => {
    const { child, line } = await up(['--only', 'pvs', '--pvs-port', '0', '--pvs-ws-port', '0', '--json', '--seed', '5']);
    const ready = JSON.parse(line) as { ready: boolean; emulators: { pvs: { url: string } } };
    expect(ready.ready).toBe(true);
    expect(Object.keys(ready.emulators)).toEqual(['pvs']);
    expect(ready.emulators.pvs.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${ready.emulators.pvs.url}/cgi-bin/dl_cgi?Command=DeviceList`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { devices: { DEVICE_TYPE: string }[]; result: string };
    expect(body.result).toBe('succeed');
    expect(body.devices.filter((d) => d.DEVICE_TYPE === 'Inverter')).toHaveLength(24);
    const health = await fetch(`${ready.emulators.pvs.url}/__emu/health`);
    expect((await health.json()) as object).toMatchObject({ status: 'ok', device: 'pvs' });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('stops cleanly on SIGINT and prints a readable table without --json', async () => {
    const { child, line } = await up(['--pvs-port', '0', '--pvs-ws-port', '0', '--senec-port', '0', '--senec-https-port', '0', '--growatt-port', '0', '--ups-port', '0', '--ups-control-port', '0', '--speed', '60']);
    expect(line).toContain('voltbench is running');
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--only', 'toaster'], /unknown device "toaster"/],
    [['--pvs-port', '70000'], /--pvs-port must be a port from 0 to 65535/],
    [['--speed', 'fast'], /--speed must be a number/],
    [['--seed', '1.5'], /--seed must be a whole number/],
    [['--pvs-panels', '500'], /--pvs-panels must be a whole number from 1 to 200/],
    [['--start', 'yesterday'], /--start must be an ISO-8601 time/],
    [['--senec-firmware', 'v4'], /--senec-firmware must be one of v21-0824, v3-0825, v3-0826, v3-npu2411/],
    [['--senec-cert', 'cert.pem'], /--senec-cert needs --senec-key/],
    [['--senec-cert', '/nonexistent/cert.pem', '--senec-key', '/nonexistent/key.pem'], /\/nonexistent\//],
    [['--senec-https-port', '70000'], /--senec-https-port must be a port from 0 to 65535/],
    [['--growatt-cert', 'cert.pem'], /--growatt-cert needs --growatt-key/],
    [['--growatt-key', 'key.pem'], /--growatt-key needs --growatt-cert/],
    [['--growatt-cert', '/nonexistent/cert.pem', '--growatt-key', '/nonexistent/key.pem'], /--growatt-cert cannot read TLS key file \/nonexistent\//],
    [['--growatt-ca-out', '/nonexistent/dir/ca.pem'], /--growatt-ca-out cannot write \/nonexistent\/dir\/ca\.pem: no directory \/nonexistent\/dir/],
  ])('rejects %j with a clear message and exit code 2', (args, message) => {
    const result = spawnSync(process.execPath, [BIN, 'up', ...args], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('refuses a bad option (exit code 2) before it binds any port, even one in use', async () => {
    // Were the SENEC's options checked only when its turn came, the PVS's busy port would answer first.
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((busy.address() as { port: number }).port);
      const result = spawnSync(process.execPath, [BIN, 'up', '--pvs-port', port, '--senec-cert', 'cert.pem'], { encoding: 'utf8' });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/--senec-cert needs --senec-key/);
    } finally {
      busy.close();
    }
  });

  it('reports a port in use with exit code 1 and a hint', async () => {
    const { line } = await up(['--pvs-port', '0', '--pvs-ws-port', '0', '--senec-port', '0', '--senec-https-port', '0', '--growatt-port', '0', '--ups-port', '0', '--ups-control-port', '0', '--json']);
    const port = new URL((JSON.parse(line) as { emulators: { pvs: { url: string } } }).emulators.pvs.url).port;
    const result = spawnSync(process.execPath, [BIN, 'up', '--only', 'pvs', '--pvs-port', port, '--pvs-ws-port', '0', '--json'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/EADDRINUSE.*--<device>-port/);
  });

  it('starts SENEC on HTTPS by default and lists it with its firmware; v21-0824 on plain HTTP', async () => {
    const { line } = await up(['--only', 'senec', '--senec-port', '0', '--senec-https-port', '0', '--json']);
    const senec = (JSON.parse(line) as { emulators: { senec: Record<string, string> } }).emulators.senec;
    expect(senec.firmware).toBe('v3-0826');
    expect(senec.url).toBeUndefined();
    expect(senec.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${senec.controlUrl}/__emu/health`);
    expect((await health.json()) as object).toMatchObject({ status: 'ok', device: 'senec' });

    const old = await up(['--only', 'senec', '--senec-firmware', 'v21-0824', '--senec-port', '0', '--senec-https-port', '0', '--json']);
    const v21 = (JSON.parse(old.line) as { emulators: { senec: Record<string, string> } }).emulators.senec;
    expect(v21.firmware).toBe('v21-0824');
    expect(v21.httpsUrl).toBeUndefined();
    const reply = await fetch(`${v21.url}/lala.cgi`, { method: 'POST', body: '{"STATISTIC":{"LIVE_PV_GEN":""}}' });
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await reply.json()) as { STATISTIC: { LIVE_PV_GEN: string } }).STATISTIC.LIVE_PV_GEN).toMatch(/^fl_[0-9A-F]{8}$/);
  });

  it('starts the UPS with raw serial bytes on TCP and its control API on HTTP', async () => {
    const { line } = await up(['--only', 'ups', '--ups-port', '0', '--ups-control-port', '0', '--json']);
    const ups = (JSON.parse(line) as { emulators: { ups: { url: string; controlUrl: string } } }).emulators.ups;
    expect(ups.url).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(ups.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { hostname, port } = new URL(ups.url);
    const socket = connect(Number(port), hostname);
    socket.write(encodeFrame({ ver: 0x21, adr: 1, cid1: CID1_UPS, cid2: Cid2.GetProtocolVersion, info: new Uint8Array() }));
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
        if (text.endsWith('\r')) resolve(text);
      });
    });
    socket.destroy();
    const decoded = decodeFrame(reply);
    expect(decoded.ok).toBe(true);
    const health = await fetch(`${ups.controlUrl}/__emu/health`);
    expect((await health.json()) as object).toMatchObject({ status: 'ok', device: 'ups' });
  });
});
