// Child process for the KEHUA UPS benchmark: the emulator's raw-serial TCP bridge and a bare TCP
// responder that answers the same 10 poll requests with precomputed copies of the emulator's
// replies, at once, in one process apart from the polling client.
import { createServer, type Socket } from 'node:net';
import { VirtualClock } from '../emulators/core/clock.js';
import { World } from '../emulators/core/world/world.js';
import { createUpsServer } from '../emulators/kehua-ups/server.js';
import { answerFrame } from '../emulators/kehua-ups/slave.js';
import { POLL_REQUESTS, type UpsServersReady } from './ups-poll.js';

// Real-time clock: the model ticks every second while the poll runs, as on a live line.
const world = new World({ seed: 1 }, new VirtualClock({ start: Date.parse('2026-06-21T18:00:00Z'), speed: 1 }));
const emulator = await createUpsServer({ world });
const emulatorUrl = await emulator.listenTcp('127.0.0.1', 0);

const replies = new Map<string, Buffer>();
for (const request of POLL_REQUESTS) {
  const reply = answerFrame(emulator.ups, request).reply;
  if (reply === null) throw new Error(`the emulator did not answer ${JSON.stringify(request)}`);
  replies.set(request, Buffer.from(reply, 'latin1'));
}
const bare = await bareResponder(replies);

const ready: UpsServersReady = {
  emulatorUrl,
  bareUrl: bare.url,
  requestBytes: POLL_REQUESTS.reduce((n, r) => n + r.length, 0),
  replyBytes: [...replies.values()].reduce((n, r) => n + r.length, 0),
};
process.stdout.write(`${JSON.stringify(ready)}\n`);
// The parent brackets each run with SIGUSR1 to charge this process's CPU time to the polls.
process.on('SIGUSR1', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: user + system })}\n`);
});
process.on('SIGTERM', () => {
  void Promise.all([emulator.close(), bare.close()]).then(() => process.exit(0));
});

/** The least a serial-over-TCP slave can do: split requests at CR and write a stored reply for each. */
async function bareResponder(answers: ReadonlyMap<string, Buffer>): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let pending = '';
    socket.on('data', (data: Buffer) => {
      pending += data.toString('latin1');
      let cr: number;
      while ((cr = pending.indexOf('\r')) >= 0) {
        const soi = pending.lastIndexOf('~', cr);
        const reply = soi < 0 ? undefined : answers.get(pending.slice(soi, cr + 1));
        pending = pending.slice(cr + 1);
        if (reply) socket.write(reply);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('bare responder has no TCP address');
  return {
    url: `tcp://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
