// Reassembly, resync, verification and retries on a line whose chunking and content the test controls.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CID1_UPS, decodeFrame, layoutFor } from '../../../contracts/kehua-ups/index.js';
import { CAPTURED_2AH_ANALOG, CAPTURED_2AH_VENDOR_BLOCK } from '../../../contracts/kehua-ups/fixtures/frames.js';
import { VirtualClock } from '../../../emulators/core/clock.js';
import { World } from '../../../emulators/core/world/world.js';
import { UpsEmulator } from '../../../emulators/kehua-ups/emulator.js';
import {
  KehuaUpsClient,
  UpsChecksumError,
  UpsConnectionError,
  UpsFrameError,
  UpsReplyError,
  UpsRtnError,
  UpsTimeoutError,
  type KehuaUpsClientOptions,
  type TraceEvent,
  type TransportSink,
  type UpsError,
  type UpsTransport,
} from './index.js';
import { ScriptedTransport, cut, failure, unitFrame } from './test-support.js';

function client(transport: UpsTransport, options: Partial<KehuaUpsClientOptions> = {}) {
  const retries: UpsError[] = [];
  const trace: TraceEvent[] = [];
  const ups = new KehuaUpsClient({
    transport,
    // Generous where a reply is expected (a reply in many chunks spans many loop turns); tests of silence pass a
    // short one themselves.
    timeoutMs: 2_000,
    sleep: async () => {},
    onRetry: (error) => retries.push(error),
    onTrace: (event) => trace.push(event),
    ...options,
  });
  return { ups, retries, trace };
}

/** The emulator on a manual clock, behind a line that re-cuts every reply into chunks of the given sizes. */
function rechunkedUnit(sizes: readonly number[], seed: number) {
  const world = new World({ seed }, new VirtualClock({ start: Date.parse('2026-06-21T18:00:00Z'), speed: 0 }));
  const unit = new UpsEmulator({ world });
  let sink: TransportSink | null = null;
  const deliveries: number[] = [];
  const link = unit.connect(
    (reply) => {
      const pieces = cut(reply.toString('latin1'), sizes);
      deliveries.push(pieces.length);
      void (async () => {
        for (const piece of pieces) {
          await new Promise((resolve) => setImmediate(resolve));
          sink?.data(Buffer.from(piece, 'latin1'));
        }
      })();
    },
    { transport: 'rechunked' },
  );
  const transport: UpsTransport = {
    description: 'rechunked',
    write: async (bytes) => link.receive(bytes),
    subscribe: (next) => {
      sink = next;
      return () => (sink = null);
    },
    close: async () => link.close(),
  };
  return { unit, transport, deliveries };
}

describe('reassembly', () => {
  it('reads the same 98 points however the replies are cut into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 1000 }), async (sizes, seed) => {
        const { unit, transport, deliveries } = rechunkedUnit(sizes, seed);
        const { ups, retries } = client(transport);
        const snapshot = await ups.snapshot();
        await ups.close();
        expect(snapshot.values).toEqual(unit.points());
        expect(retries).toEqual([]);
        expect(deliveries).toHaveLength(10);
      }),
      { numRuns: 25 },
    );
  });

  it('one byte at a time', async () => {
    const { unit, transport, deliveries } = rechunkedUnit([1], 3);
    const { ups } = client(transport);
    expect((await ups.readVendorAlarms1()).points.batterySelfTestResult?.value).toBe(unit.points().batterySelfTestResult);
    expect(deliveries).toEqual([18 + 2 * layoutFor(0xc7)!.infoBytes]);
  });

  it('skips garbage before ~, including a stray ~ that starts a frame the real one interrupts', async () => {
    const reply = unitFrame([], { adr: 0x01 });
    const line = new ScriptedTransport(() => ['\x00\xffnoise\r\n', '~21', '01', 'junk', ...cut(reply, [3, 7])]);
    const { ups, trace, retries } = client(line);
    expect(await ups.readAddress()).toBe(1);
    expect(retries).toEqual([]);
    expect(trace.filter((e) => e.type === 'discarded').map((e) => e.type === 'discarded' && e.reason)).toEqual(['garbage', 'interrupted']);
  });
});

describe('verification', () => {
  const reply41 = CAPTURED_2AH_ANALOG.text;

  it('reads the real captured 2AH 41H reply (VER 10H, plain layout) to its documented values', async () => {
    const line = new ScriptedTransport(() => [reply41]);
    const { ups } = client(line, { ver: 0x10, profile: 'plain' });
    const reading = await ups.readAnalog();
    expect(line.written).toEqual(['~10012A410000FDA6\r']);
    expect(reading.dataflag).toEqual({ raw: 0x01, alarmsChanged: true, switchesChanged: false });
    for (const [key, value] of Object.entries(CAPTURED_2AH_ANALOG.values)) {
      expect(reading.points[key as keyof typeof reading.points]?.value, key).toBe(Math.fround(value));
    }
    expect(reading.points.batteryVoltage).toMatchObject({ unit: 'V', name: 'Battery voltage' });
  });

  it('reads the real captured vendor block as C0H, input power factors among the unmapped slots', async () => {
    const { ups } = client(new ScriptedTransport(() => [CAPTURED_2AH_VENDOR_BLOCK.text]), { ver: 0x10 });
    const reading = await ups.readInputAnalog();
    expect(reading.count).toBe(14);
    expect(reading.points.acInputLineVoltageAB?.value).toBe(Math.fround(386.6));
    expect(reading.slots[7]).toBe(Math.fround(0.61));
  });

  it('a changed INFO digit fails CHKSUM, a changed LENGTH digit LCHKSUM: UpsChecksumError, then the retry succeeds', async () => {
    const badInfo = reply41.slice(0, 20) + (reply41[20] === '0' ? '1' : '0') + reply41.slice(21);
    const badLength = reply41.slice(0, 11) + '7' + reply41.slice(12);
    for (const corrupt of [badInfo, badLength]) {
      expect(decodeFrame(corrupt).ok).toBe(false);
      const line = new ScriptedTransport((_, i) => [i === 0 ? corrupt : reply41]);
      const { ups, retries } = client(line, { ver: 0x10, profile: 'plain' });
      expect((await ups.readAnalog()).points.batteryVoltage?.value).toBe(Math.fround(409.7));
      expect(retries).toHaveLength(1);
      expect(retries[0]).toBeInstanceOf(UpsChecksumError);
      expect((retries[0] as UpsChecksumError).kind).toBe(corrupt === badInfo ? 'bad-chksum' : 'bad-lchksum');
      expect((retries[0] as UpsChecksumError).frame).toBe(corrupt);
      expect(line.written).toHaveLength(2);
    }
  });

  it('a reply missing characters is a frame error (bad length), retried', async () => {
    const short = reply41.slice(0, 30) + reply41.slice(32);
    const line = new ScriptedTransport((_, i) => [i === 0 ? short : reply41]);
    const { ups, retries } = client(line, { ver: 0x10, profile: 'plain' });
    await ups.readAnalog();
    expect(retries[0]).toBeInstanceOf(UpsFrameError);
    expect(retries[0]).not.toBeInstanceOf(UpsChecksumError);
    expect((retries[0] as UpsFrameError).kind).toBe('bad-length');
  });

  it('ignores a valid frame from another address and takes ours', async () => {
    const line = new ScriptedTransport(() => [unitFrame([], { adr: 0x09, ver: 0x33 }), unitFrame([], { ver: 0x22 })]);
    const { ups, trace } = client(line);
    expect(await ups.readProtocolVersion()).toBe(0x22);
    expect(trace.filter((e) => e.type === 'ignored')).toEqual([{ type: 'ignored', reason: 'other-address', text: unitFrame([], { adr: 0x09, ver: 0x33 }) }]);
  });

  it('only another address answering is silence for us: timeout', async () => {
    const line = new ScriptedTransport(() => [unitFrame([], { adr: 0x09 })]);
    const { ups } = client(line, { retries: 0, timeoutMs: 30 });
    expect(await failure(ups.readProtocolVersion())).toBeInstanceOf(UpsTimeoutError);
  });

  it('drops a late reply that arrives with nothing outstanding instead of taking it for the next answer', async () => {
    const late = unitFrame([], { ver: 0x55 });
    const line = new ScriptedTransport((_, i) => (i === 0 ? null : [unitFrame([], { ver: 0x21 })]));
    const { ups, trace } = client(line);
    // The first request goes unanswered (a short timeout only here, where silence is the point)...
    expect(await failure(ups.request(0x4f, [], { retries: 0, timeoutMs: 30 }))).toBeInstanceOf(UpsTimeoutError);
    // ...its reply lands after that, with nothing outstanding...
    await line.inject([late]);
    // ...and the next request gets its own answer, not the late one.
    expect(await ups.readProtocolVersion()).toBe(0x21);
    expect(trace).toContainEqual({ type: 'ignored', reason: 'unsolicited', text: late });
    expect(line.written).toHaveLength(2);
  });

  it('refuses a frame from another device type', async () => {
    const { ups } = client(new ScriptedTransport(() => [unitFrame([], { cid1: 0x46 })]));
    const error = await failure(ups.readAddress());
    expect(error).toBeInstanceOf(UpsReplyError);
    expect(error).toMatchObject({ problem: 'unexpected-cid1', attempts: 1 });
  });

  it('refuses a 51H record of another length', async () => {
    const { ups } = client(new ScriptedTransport(() => [unitFrame(Array(70).fill(0x20))]));
    expect(await failure(ups.readVendorInfo())).toMatchObject({ problem: 'unexpected-info' });
  });
});

describe('RTN codes and retries', () => {
  it('retries RTN 02H and 03H (our request arrived corrupted), then succeeds', async () => {
    const replies = [unitFrame([], { cid2: 0x02 }), unitFrame([], { cid2: 0x03 }), unitFrame()];
    const sleeps: number[] = [];
    const line = new ScriptedTransport((_, i) => [replies[i]!]);
    const { ups, retries } = client(line, { backoffMs: 50, sleep: async (ms) => void sleeps.push(ms) });
    await ups.loadOn();
    expect(retries.map((e) => (e as UpsRtnError).code)).toEqual(['ChksumError', 'LchksumError']);
    expect(sleeps).toEqual([50, 100]);
    expect(line.written).toEqual(Array(3).fill(ups.requestFrame(0x45, [0x20, 0x01])));
  });

  it.each([
    [0x01, 'VerError', 'VER error'],
    [0x04, 'InvalidCid2', 'CID2 invalid (unknown command)'],
    [0x05, 'CommandFormatError', 'command format error'],
    [0x06, 'InvalidData', 'invalid data'],
    [0xe1, 'OperationFailed', 'operation failed'],
    [0x90, 'VendorDefined', 'vendor-defined error'],
  ])('RTN %i is UpsRtnError %s, not retried', async (rtn, code, meaning) => {
    const line = new ScriptedTransport(() => [unitFrame([], { cid2: rtn })]);
    const { ups, retries } = client(line);
    const error = await failure(ups.startBatteryTest());
    expect(error).toBeInstanceOf(UpsRtnError);
    expect(error).toMatchObject({ rtn, code, meaning, command: 0x45, attempts: 1 });
    expect(retries).toEqual([]);
    expect(line.written).toEqual([ups.requestFrame(0x45, [0x10, 0x02])]);
  });

  it('gives up after 1 + retries attempts with the last error', async () => {
    const line = new ScriptedTransport(() => [unitFrame([], { cid2: 0x02 })]);
    const { ups } = client(line, { retries: 4 });
    expect(await failure(ups.readAddress())).toMatchObject({ code: 'ChksumError', attempts: 5 });
    expect(line.written).toHaveLength(5);
  });
});

describe('the line', () => {
  it('sends one request at a time; concurrent calls queue and each gets its own answer', async () => {
    let outstanding = 0;
    let most = 0;
    const line = new ScriptedTransport((request) => {
      outstanding++;
      most = Math.max(most, outstanding);
      const cid2 = decodeFrame(request).ok ? (decodeFrame(request) as { frame: { cid2: number } }).frame.cid2 : 0;
      // Answers carry the command in VER so the test can tell them apart; released one turn later.
      setImmediate(() => outstanding--);
      return cut(unitFrame([], { ver: cid2 }), [5]);
    });
    const { ups } = client(line);
    const results = await Promise.all([ups.readProtocolVersion(), ups.request(0x4f, [], {}).then((r) => r.frame.ver), ups.readProtocolVersion()]);
    expect(results).toEqual([0x4f, 0x4f, 0x4f]);
    expect(most).toBe(1);
    expect(line.written).toHaveLength(3);
  });

  it('a hang-up fails the request in flight with UpsConnectionError, not retried', async () => {
    let line!: ScriptedTransport;
    line = new ScriptedTransport(() => {
      setImmediate(() => line.hangUp(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })));
      return null;
    });
    const { ups } = client(line);
    const error = await failure(ups.readAnalog());
    expect(error).toBeInstanceOf(UpsConnectionError);
    expect(error).toMatchObject({ code: 'ECONNRESET', attempts: 1 });
  });

  it('close() fails the request in flight and every later one', async () => {
    const { ups } = client(new ScriptedTransport(() => null), { timeoutMs: 5_000 });
    const inFlight = failure(ups.readAnalog());
    await new Promise((resolve) => setImmediate(resolve));
    await ups.close();
    expect(await inFlight).toMatchObject({ code: 'CLOSED' });
    expect(await failure(ups.readAnalog())).toMatchObject({ code: 'CLOSED' });
  });

  it('builds requests with CID1 2AH and the configured VER and ADR', () => {
    const { ups } = client(new ScriptedTransport(() => null), { ver: 0x20, adr: 0x0a });
    const decoded = decodeFrame(ups.requestFrame(0xc3));
    expect(decoded.ok && decoded.frame).toMatchObject({ ver: 0x20, adr: 0x0a, cid1: CID1_UPS, cid2: 0xc3, info: new Uint8Array(0) });
  });
});
