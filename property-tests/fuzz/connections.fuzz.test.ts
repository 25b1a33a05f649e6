/**
 * Abusive connections to every HTTP(S) port (issue 16): raw random bytes, request heads cut off
 * half-way, bytes thrown at TLS ports, all ended or left open; slowloris-style trickles (a header
 * byte at a time, for a bounded while) on many connections at once; connection storms opened and
 * torn down every way (RST, FIN, destroy). Invariants: a complete head or a closed input is
 * answered or the connection closed within the bound; while the abuse goes on every port answers
 * its health route within the bound; afterwards every device answers its normal poll.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessVoltbench } from '../../src/testing/index.js';
import { ANSWER_BOUND_MS, cleanPoll, closeAgents, exchange, expectRssBounded, FUZZ_INPUTS, hostPort, httpPorts, rawConnection, rssMb, runs, startAll, timeoutFor } from './support.js';

let vb: InProcessVoltbench;
let rssBefore = 0;
let ports: { name: string; url: string; tls: boolean }[] = [];
beforeAll(async () => {
  rssBefore = rssMb();
  vb = await startAll();
  ports = httpPorts(vb);
});
afterAll(async () => {
  await vb?.close();
  closeAgents();
});

/** Every port answers `GET /__emu/health` (the SENEC's HTTPS port too: it serves /__emu). */
async function everyPortAnswers(): Promise<void> {
  await Promise.all(
    ports.map(async (p) => {
      const response = await exchange(p.url, { method: 'GET', path: '/__emu/health' });
      expect(response.status, p.name).toBe(200);
    }),
  );
}

const HEADS = [
  'GET /__emu/health HTTP/1.1\r\nHost: x\r\n\r\n',
  'POST /__emu/clock HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n{"advance":"1m"}',
  'GET /cgi-bin/dl_cgi?Command=DeviceList HTTP/1.1\r\nHost: x\r\n\r\n',
  'POST /lala.cgi HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"ENERGY":{}}',
  'GET /v1/plant/list HTTP/1.1\r\nHost: x\r\ntoken: abc\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n',
  'GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n',
  'GET / HTTP/9.9\r\n\r\n',
  'BREW /__emu/ HTTP/1.1\r\n\r\n',
  `GET /${'a'.repeat(20_000)} HTTP/1.1\r\n\r\n`,
  `GET / HTTP/1.1\r\nX: ${'b'.repeat(20_000)}\r\n\r\n`,
  'GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
  '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
];

const inputArb = fc.record({
  port: fc.nat(),
  bytes: fc.oneof(
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...HEADS), fc.nat()).map(([head, cut]) => Buffer.from(head.slice(0, cut % (head.length + 1)), 'latin1')) },
    { weight: 2, arbitrary: fc.constantFrom(...HEADS).map((head) => Buffer.from(head, 'latin1')) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HEADS), fc.uint8Array({ maxLength: 40 })).map(([head, b]) => Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(b)])) },
  ),
  /** Write over TLS to a TLS port (else raw bytes at it), and half-close afterwards. */
  overTls: fc.boolean(),
  end: fc.boolean(),
  pieces: fc.integer({ min: 1, max: 4 }),
});

describe('abusive connections to every HTTP(S) port', () => {
  const property = runs(0.04 * 6);

  it(`raw bytes and half-sent requests: answered or closed when complete, never a crash (${property.numRuns} connections)`, async () => {
    let answeredOrClosed = 0;
    await fc.assert(
      fc.asyncProperty(inputArb, async ({ port: which, bytes, overTls, end, pieces }) => {
        const target = ports[which % ports.length]!;
        const tls = target.tls && overTls;
        const size = Math.ceil(bytes.length / pieces) || 1;
        const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
        // Complete: the input ended, or a whole head that announces no body (a head announcing one may wait for it).
        const text = bytes.toString('latin1');
        const headEnd = text.indexOf('\r\n\r\n');
        const complete = end || (headEnd >= 0 && !/content-length|transfer-encoding/i.test(text.slice(0, headEnd)));
        const outcome = await rawConnection({ ...hostPort(target.url), tls }, chunks, { gapMs: 1, endAfterWrite: end, waitMs: complete ? ANSWER_BOUND_MS : 20, until: (r) => r.includes('\r\n\r\n') });
        if (complete) {
          // A whole head (or the input's end) gets an answer or a close, never silence.
          expect(outcome.timedOut, `${target.name} ${JSON.stringify(bytes.toString('latin1').slice(0, 120))}`).toBe(false);
          answeredOrClosed++;
        }
      }),
      property,
    );
    await everyPortAnswers();
    console.log(`[fuzz] raw connections: ${property.numRuns}, ${answeredOrClosed} complete inputs answered or closed`);
  }, timeoutFor(property.numRuns, 30));

  it('slowloris: 40 connections per port trickling a header for 2 s; every port keeps answering at once', async () => {
    const trickles: Promise<unknown>[] = [];
    for (const p of ports) {
      for (let i = 0; i < 40; i++) {
        const head = `GET /__emu/health HTTP/1.1\r\nHost: x\r\nX-Slow-${i}: ${'z'.repeat(30)}`;
        const pieces = head.split('').slice(0, 20);
        trickles.push(rawConnection({ ...hostPort(p.url), tls: p.tls }, pieces, { gapMs: 100, waitMs: 50 }));
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await everyPortAnswers();
    expect(Date.now() - started).toBeLessThan(ANSWER_BOUND_MS);
    await Promise.all(trickles);
    await everyPortAnswers();
  }, 60_000);

  it('a connection storm on every port: 150 each, torn down by RST, FIN or destroy, some mid-request', async () => {
    const targets = [...ports.map((p) => ({ ...hostPort(p.url), name: p.name })), { ...hostPort(vb.getUpsUrl()), name: 'ups line' }];
    await Promise.all(
      targets.map(async (t) => {
        const sockets = await Promise.all(
          Array.from({ length: 150 }, async () => {
            const socket: Socket = connect(t.port, t.host);
            socket.on('error', () => {});
            await once(socket, 'connect');
            return socket;
          }),
        );
        sockets.forEach((s, i) => {
          if (i % 4 === 0) s.write('GET /__emu/health HTTP/1.1\r\nHost: x\r\n');
          if (i % 3 === 0) s.resetAndDestroy();
          else if (i % 3 === 1) s.end();
          else s.destroy();
        });
      }),
    );
    await everyPortAnswers();
    const ups = vb.emulators['ups']!.emulator as unknown as { openLinks: number };
    const deadline = Date.now() + ANSWER_BOUND_MS;
    while (ups.openLinks > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(ups.openLinks).toBe(0);
  }, 60_000);

  it('leaves every device answering its normal poll', async () => {
    await cleanPoll(vb);
    expectRssBounded(`connections (${FUZZ_INPUTS})`, rssBefore);
  }, 60_000);
});
