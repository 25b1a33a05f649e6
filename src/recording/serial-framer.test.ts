import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SerialFramer, type FramedExchange } from './serial-framer.js';

const b = (s: string) => Buffer.from(s, 'latin1');
const text = (e: FramedExchange) => ({ request: e.request.toString('latin1'), response: e.response?.toString('latin1') ?? null });

describe('SerialFramer', () => {
  it('pairs a client frame with the device line that answers it, closing as soon as the answer ends in \\r', () => {
    const f = new SerialFramer(1000);
    expect(f.client(b('~21012A4'), 0)).toEqual([]);
    expect(f.client(b('10000FDA4\r'), 2)).toEqual([]);
    expect(f.device(b('~21012A00'), 30)).toEqual([]);
    const [done] = f.device(b('1234\r'), 45);
    expect(text(done!)).toEqual({ request: '~21012A410000FDA4\r', response: '~21012A001234\r' });
    expect(done!.t).toBe(2);
    expect(done!.durationMs).toBe(43);
    expect(f.deadline()).toBeNull();
  });

  it('records silence when the quiet time passes, or when the next frame comes first', () => {
    const f = new SerialFramer(500);
    f.client(b('~BAD\r'), 100);
    expect(f.deadline()).toBe(600);
    expect(f.expire(599)).toEqual([]);
    const [silent] = f.expire(600);
    expect(text(silent!)).toEqual({ request: '~BAD\r', response: null });
    expect(silent!.durationMs).toBe(500);
    f.client(b('~ONE\r'), 700);
    const [unanswered] = f.client(b('~TWO\r'), 800);
    expect(text(unanswered!)).toEqual({ request: '~ONE\r', response: null });
  });

  it('keeps stray client bytes and unrequested device bytes as exchanges of their own', () => {
    const f = new SerialFramer(1000);
    expect(f.client(b('\n\n'), 0)).toEqual([]);
    expect(f.client(b('xx'), 1)).toEqual([]); // joins the stray bytes before it
    const out = f.client(b('~HALF~FULL\r'), 2);
    // The abandoned `~HALF` is stray too, and joins the stray bytes before it.
    expect(out.map(text)).toEqual([{ request: '\n\nxx~HALF', response: null }]);
    const [answered] = f.device(b('~R\r'), 10);
    expect(text(answered!)).toEqual({ request: '~FULL\r', response: '~R\r' });
    const [unasked] = f.device(b('~EXTRA\r'), 20);
    expect(text(unasked!)).toEqual({ request: '', response: '~EXTRA\r' });
    f.client(b('~UNFINISHED'), 30);
    expect(f.flush(40).map(text)).toEqual([{ request: '~UNFINISHED', response: null }]);
  });

  it('loses no byte and cuts every complete frame out, however the streams are chunked', () => {
    const frame = fc.stringMatching(/^[0-9A-F]{4,20}$/).map((s) => `~${s}\r`);
    const noise = fc.constantFrom('', '', '\n', 'zz');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(noise, frame, fc.option(frame, { nil: null })), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 8 }),
        (script, cuts) => {
          const f = new SerialFramer(50);
          const out: FramedExchange[] = [];
          let now = 0;
          let sentClient = '';
          let sentDevice = '';
          for (const [junk, request, reply] of script) {
            const bytes = junk + request;
            sentClient += bytes;
            // Feed the client bytes in arbitrary pieces.
            for (let i = 0, c = 0; i < bytes.length; c += 1) {
              const n = cuts[c % cuts.length]!;
              out.push(...f.client(b(bytes.slice(i, i + n)), (now += 1)));
              i += n;
            }
            if (reply !== null) {
              sentDevice += reply;
              out.push(...f.device(b(reply.slice(0, 3)), (now += 1)));
              out.push(...f.device(b(reply.slice(3)), (now += 1)));
            }
          }
          out.push(...f.flush((now += 1)));
          expect(out.map((e) => e.request.toString('latin1')).join('')).toBe(sentClient);
          expect(out.map((e) => e.response?.toString('latin1') ?? '').join('')).toBe(sentDevice);
          const frames = out.map(text).filter((e) => /^~[0-9A-F]+\r$/.test(e.request));
          expect(frames.map((e) => e.request)).toEqual(script.map(([, request]) => request));
          expect(frames.map((e) => e.response)).toEqual(script.map(([, , reply]) => reply));
        },
      ),
    );
  });
});
