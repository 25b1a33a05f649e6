// HEALTHCHECK: every emulator named in the ready line answers GET /__emu/health with status "ok"
// (the UPS on its control port), and the UPS serial-over-TCP port accepts a connection.
// Exit 0 = healthy; otherwise one line saying what failed.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

const READY_FILE = '/tmp/voltbench-ready.json';

/** Listening on 0.0.0.0 / :: means "reachable on loopback" from inside the container. */
const local = (url) => url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, '//127.0.0.1');

async function checkHttp(device, base) {
  const response = await fetch(`${local(base)}/__emu/health`, { signal: AbortSignal.timeout(2_000) });
  const body = await response.json();
  if (response.status !== 200 || body.status !== 'ok') throw new Error(`${device}: health answered ${response.status} ${JSON.stringify(body)}`);
}

function checkTcp(device, url) {
  const { hostname, port } = new URL(local(url));
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => reject(new Error(`${device}: ${url} did not accept a connection in 2 s`)));
    socket.once('error', (error) => reject(new Error(`${device}: ${url}: ${error.message}`)));
  });
}

try {
  let ready;
  try {
    ready = JSON.parse(readFileSync(READY_FILE, 'utf8'));
  } catch {
    throw new Error('voltbench has not printed its ready line yet');
  }
  const checks = Object.entries(ready.emulators).flatMap(([device, entry]) => [
    checkHttp(device, entry.controlUrl ?? entry.url),
    ...(entry.url?.startsWith('tcp:') ? [checkTcp(device, entry.url)] : []),
  ]);
  if (checks.length === 0) throw new Error('no emulator is running');
  await Promise.all(checks);
  console.log(`healthy: ${Object.keys(ready.emulators).join(', ')}`);
} catch (error) {
  console.log(`unhealthy: ${error.message}`);
  process.exit(1);
}
