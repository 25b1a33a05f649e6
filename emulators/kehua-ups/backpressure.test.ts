// Bounded memory per serial line (issue 16, finding 8): a master that writes polls and never reads
// leaves the server holding a bounded number of bytes, whatever it sends, and nothing once it
// disconnects. Measured on the server's own socket and link, not through RSS.
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameReader, MAX_FRAME_CHARS, Rtn, decodeFrame } from '../../contracts/kehua-ups/index.js';
import { KehuaUpsClient } from '../../src/clients/kehua-ups/index.js';
import { MAX_QUEUED_REPLIES, MAX_QUEUED_REPLY_BYTES, type UpsLink } from './link.js';
import { createUpsServer, type UpsServer } from './server.js';
import { MOCK_RX_BUFFER_BYTES } from './transports/mock-serial.js';
import { serveTcpLine } from './transports/tcp.js';
import { request, testUps } from './test-support.js';
import type { UpsEmulator } from './emulator.js';

const POLL = [0x41, 0x43, 0x44, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc7, 0xc8].map((cid2) => request(cid2)).join('');
/** The longest reply of the poll: what one write past the high-water mark can add. */
const LONGEST_REPLY = 300;
const GARBAGE = 2_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP bridge whose server-side sockets and links the test can inspect. */
async function bridge(ups: UpsEmulator): Promise<{ port: number; lines: { socket: Socket; link: UpsLink }[] }> {
  const lines: { socket: Socket; link: UpsLink }[] = [];
  const server: Server = createServer((socket) => lines.push({ socket, link: serveTcpLine(ups, socket) }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const { socket } of lines) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as { port: number }).port, lines };
}

async function client(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  cleanups.push(() => void socket.destroy());
  await once(socket, 'connect');
  return socket;
}

/** Requests in one POLL. */
const REQUESTS_PER_POLL = 10;

/**
 * Writes `polls` whole polls, never reading. With `read` (the server's count of requests read), in
 * lock step: each poll once the server has read the one before, so that each arrives on its own and
 * is answered while the backlog has room, and the replies pile up against the client that does not
 * read. (Paced by event-loop turns alone, a loaded machine delivered the polls in a few large reads;
 * all but a backlog's worth of each then overran, too few replies to back the socket up.) Otherwise
 * as fast as the socket takes them.
 */
async function flood(socket: Socket, polls: number, read?: () => number): Promise<void> {
  const first = read?.() ?? 0;
  for (let i = 0; i < polls; i++) {
    if (!socket.write(POLL)) await once(socket, 'drain');
    if (read) {
      const expected = first + (i + 1) * REQUESTS_PER_POLL;
      const deadline = Date.now() + 25_000;
      while (read() < expected) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for poll ${i + 1} to be read`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }
}

/** Waits for `condition`; the deadline only turns a wait that never ends into a clear failure on a loaded machine. */
async function until(condition: () => boolean, what: string, timeoutMs = 25_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('a TCP line whose peer writes and never reads', () => {
  it('holds at most the socket high-water mark and the reply backlog, keeps answering afterwards, and lets go on close', async () => {
    const { ups } = testUps();
    // Every reply led by 2 000 junk bytes: a few thousand answers are then far more than the kernel
    // buffers of both ends take (they absorb a megabyte or more on loopback), so the socket backs up.
    ups.faults.add({ kind: 'garbage', count: GARBAGE });
    const { port, lines } = await bridge(ups);
    const socket = await client(port);
    socket.pause();
    let peak = { unsent: 0, replies: 0, replyBytes: 0, pending: 0 };
    const watch = setInterval(() => {
      for (const { socket: s, link } of lines) {
        peak = {
          unsent: Math.max(peak.unsent, s.writableLength),
          replies: Math.max(peak.replies, link.queuedReplies),
          replyBytes: Math.max(peak.replyBytes, link.queuedReplyBytes),
          pending: Math.max(peak.pending, link.pending.length),
        };
      }
    }, 1);
    // 100 000 requests (1.8 MB); the server answers those that find room in its backlog.
    await flood(socket, 10_000, () => ups.requests.total);
    const [{ socket: serverSide, link }] = lines as [{ socket: Socket; link: UpsLink }];
    await until(() => ups.requests.total >= 100_000, 'every request to be read');
    clearInterval(watch);
    for (const { socket: s, link: l } of lines) {
      peak.unsent = Math.max(peak.unsent, s.writableLength);
      peak.replies = Math.max(peak.replies, l.queuedReplies);
    }

    expect(link.stalls).toBeGreaterThan(0);
    expect(peak.unsent).toBeLessThanOrEqual(serverSide.writableHighWaterMark + GARBAGE + LONGEST_REPLY);
    expect(peak.replies).toBeLessThanOrEqual(MAX_QUEUED_REPLIES);
    expect(peak.replyBytes).toBeLessThanOrEqual(MAX_QUEUED_REPLY_BYTES);
    expect(peak.pending).toBeLessThanOrEqual(MAX_FRAME_CHARS);
    expect(link.overrunCount).toBeGreaterThan(0);
    expect(ups.requests.list(1)[0]).toMatchObject({ method: 'tcp', outcome: 'dropped', faults: ['overrun'] });

    // Reading again: whatever was held arrives as whole, valid replies, and the line answers once more.
    const reader = new FrameReader();
    const frames: string[] = [];
    socket.on('data', (data: Buffer) => frames.push(...reader.push(data)));
    socket.resume();
    await until(() => link.queuedReplies === 0 && !link.blocked, 'the backlog to drain');
    await until(() => serverSide.writableLength === 0, 'the socket to drain');
    await sleep(20);
    const held = frames.length;
    expect(held).toBeGreaterThan(0);
    for (const frame of frames) expect(decodeFrame(frame).ok).toBe(true);
    ups.faults.clear();
    socket.write(request(0x4f));
    await until(() => frames.length === held + 1, 'an answer after the flood');
    expect(frames.at(-1)).toBe('~21012A000000FDA9\r');

    socket.destroy();
    await until(() => ups.openLinks === 0, 'the link to close');
    expect(link.isClosed).toBe(true);
    expect(link.queuedReplies).toBe(0);
    expect(link.pending).toBe('');
  });

  it('the same through the device listener `voltbench up` uses: a clean poll after a flood, and no line left once it closes', async () => {
    const world = testUps().world;
    const server: UpsServer = await createUpsServer({ world, mockSerial: false });
    cleanups.push(() => server.close());
    const url = new URL(await server.listenTcp());
    const socket = await client(Number(url.port));
    socket.pause();
    await flood(socket, 1_000);
    await until(() => server.ups.requests.total >= 10_000, 'every request to be read');
    expect(server.ups.openLinks).toBe(1);

    const ups = new KehuaUpsClient({ transport: server.tcpUrl!, timeoutMs: 5_000 });
    const snapshot = await ups.snapshot();
    expect(Object.keys(snapshot.values)).toHaveLength(98);
    await ups.close();

    socket.destroy();
    await until(() => server.ups.openLinks === 0, 'every link to close');
  });
});

describe('the reply backlog of a link', () => {
  /** A link whose peer takes nothing until `open()`. */
  function blockedLink(ups: UpsEmulator) {
    const sent: string[] = [];
    let open = false;
    const link = ups.connect(
      (chunk) => {
        sent.push(chunk.toString('latin1'));
        return open;
      },
      { transport: 'test' },
    );
    return {
      link,
      sent,
      open() {
        open = true;
        link.resume();
      },
    };
  }

  it('takes MAX_QUEUED_REPLIES answers while the peer is blocked; later requests overrun, unanswered and without effect', async () => {
    const { ups } = testUps();
    const { link, sent, open } = blockedLink(ups);
    for (let i = 0; i < MAX_QUEUED_REPLIES; i++) link.receive(request(0x41));
    await until(() => link.blocked, 'the peer to block');
    // The reply being sent counts until the peer has taken it.
    expect(sent).toHaveLength(1);
    expect(link.queuedReplies).toBe(MAX_QUEUED_REPLIES);
    // 45H "output off" while the backlog is full: lost before the slave sees it.
    link.receive(request(0x45, [0x20, 0x10]) + request(0x4f));
    expect(link.overrunCount).toBe(2);
    expect((ups.state() as { status: { output: string } }).status.output).toBe('on');
    expect(ups.requests.list(2)).toMatchObject([
      { outcome: 'dropped', faults: ['overrun'] },
      { outcome: 'dropped', faults: ['overrun'] },
    ]);

    open();
    await link.drained();
    expect(sent).toHaveLength(MAX_QUEUED_REPLIES);
    for (const reply of sent) expect((decodeFrame(reply) as { frame: { cid2: number } }).frame.cid2).toBe(Rtn.Normal);
    link.receive(request(0x4f));
    await link.drained();
    expect(sent.at(-1)).toBe('~21012A000000FDA9\r');
    link.close();
  });

  it('close while blocked settles drained() and empties the backlog', async () => {
    const { ups } = testUps();
    const { link } = blockedLink(ups);
    link.receive(request(0x41).repeat(5));
    await until(() => link.blocked, 'the peer to block');
    link.close();
    await link.drained();
    expect(link.queuedReplies).toBe(0);
    expect(link.queuedReplyBytes).toBe(0);
    expect(ups.openLinks).toBe(0);
  });

  it('logs long garbage cut short, so the request log stays small', () => {
    const { ups } = testUps();
    const link = ups.connect(() => true, { transport: 'test' });
    link.receive(Buffer.alloc(100_000, 0x41));
    const [entry] = ups.requests.list();
    expect(entry!.url.length).toBeLessThan(400);
    expect(entry!.url).toMatch(/… \(100000 bytes\)$/);
    link.close();
  });
});

describe('a mock serial port whose client never reads', () => {
  it('holds at most its receive buffer; the rest is lost, as on a UART', async () => {
    const { world } = testUps();
    const server = await createUpsServer({ world });
    cleanups.push(() => server.close());
    server.openMockPort('/dev/ttyUPS-backpressure');
    const binding = SerialPortMock.binding;
    const port = await binding.open({ path: '/dev/ttyUPS-backpressure', baudRate: 9600 });
    cleanups.push(async () => {
      if (port.isOpen) await port.close();
    });
    for (let i = 0; i < 200; i++) await port.write(Buffer.from(POLL, 'latin1'));
    await until(() => server.ups.requests.total >= 2_000, 'every request');
    await sleep(20);
    expect(port.port!.data.length).toBeLessThanOrEqual(MOCK_RX_BUFFER_BYTES + LONGEST_REPLY);
    const { buffer, bytesRead } = await port.read(Buffer.alloc(MOCK_RX_BUFFER_BYTES * 2), 0, MOCK_RX_BUFFER_BYTES * 2);
    expect(new FrameReader().push(buffer.subarray(0, bytesRead)).length).toBeGreaterThan(0);
    await port.close();
  });
});
