/**
 * Shared pieces of the SENEC property tests: arbitrary sites, clock advances, the emulator on a manual
 * clock (in-process or behind Fastify's `inject()`), and strict decoding of reply fields.
 */
import fc from 'fast-check';
import { decodeField, PROFILE_IDS, type DecodedValue, type ProfileId } from '../../contracts/senec/index.js';
import { VirtualClock } from '../../emulators/core/clock.js';
import { World } from '../../emulators/core/world/world.js';
import { generateTlsMaterial, type TlsMaterial } from '../../emulators/core/tls/certificates.js';
import { SenecEmulator, type LalaReply, type SenecSettings } from '../../emulators/senec/emulator.js';
import { createSenecServer } from '../../emulators/senec/server.js';
import type { SenecSiteConfig } from '../../emulators/senec/site.js';

export interface SenecCase {
  /** World seed (weather, load noise). */
  seed: number;
  /** Virtual start instant: any day of 2026, any time of day. */
  start: number;
  cloudCover: number | null;
  site: Pick<SenecSiteConfig, 'profile' | 'modules' | 'peakPvW' | 'spareCapacityPct' | 'minSocPct' | 'initialSocPct' | 'seed'> &
    Partial<Pick<SenecSiteConfig, 'username' | 'password'>>;
}

/** Any profile, 1-4 modules, 0-30 kWp (0 included: a site without PV), any reserve and start SoC. */
export const senecCase: fc.Arbitrary<SenecCase> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  start: fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') }),
  cloudCover: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
  site: fc.record({
    profile: fc.constantFrom<ProfileId>(...PROFILE_IDS),
    modules: fc.integer({ min: 1, max: 4 }),
    peakPvW: fc.oneof(fc.integer({ min: 1_000, max: 30_000 }), fc.constant(0)),
    spareCapacityPct: fc.integer({ min: 0, max: 100 }),
    minSocPct: fc.integer({ min: 0, max: 20 }),
    initialSocPct: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true })),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  }),
});

/** Clock advances from a second to a few hours, mostly short (the 5 s control tick, a poll interval). */
export const senecAdvance: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1_000, max: 60_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 60_000, max: 30 * 60_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 30 * 60_000, max: 4 * 3_600_000 }) },
);

export interface PostResult {
  status: number;
  contentType: string | undefined;
  text: string;
}

type ReplyJson = Record<string, Record<string, unknown>>;

function worldFor(c: SenecCase) {
  const clock = new VirtualClock({ start: c.start, speed: 0 });
  const world = new World({ seed: c.seed, latitude: 50.1, longitude: 8.7, utcOffsetMinutes: 120, cloudCover: c.cloudCover }, clock);
  return { clock, world };
}

function parseAnswer(reply: LalaReply): ReplyJson {
  if (reply.kind !== 'answer') throw new Error(`lala.cgi did not answer: ${JSON.stringify(reply)}`);
  return JSON.parse(reply.body) as ReplyJson;
}

/**
 * The device without HTTP on a manual clock: `senec.lala()` is what the routes call, so the bodies are
 * the ones a client gets. Cheap enough to build one per property run.
 */
export function senecFor(c: SenecCase, settings: Partial<SenecSettings> = {}) {
  const { clock, world } = worldFor(c);
  const senec = new SenecEmulator({ world, site: c.site, settings: { effectDelayMs: 2_000, ...settings } });
  /** A request that must be answered; returns the parsed reply. */
  const lala = (body: unknown): ReplyJson => parseAnswer(senec.lala(typeof body === 'string' ? body : JSON.stringify(body), undefined, undefined));
  return { senec, clock, world, lala };
}

export type SenecHarness = ReturnType<typeof senecFor>;

// Generating a certificate per server would dominate the run time; one serves every test server.
let sharedTls: TlsMaterial | undefined;

/** The device behind Fastify, driven through `inject()` (one server per property run). */
export async function senecServerFor(c: SenecCase, settings: Partial<SenecSettings> = {}) {
  const { clock, world } = worldFor(c);
  sharedTls ??= generateTlsMaterial({ commonName: 'senec.test' });
  const server = await createSenecServer({ world, site: c.site, settings: { effectDelayMs: 2_000, ...settings }, tls: sharedTls });

  /** POSTs a body (objects are JSON-encoded) to /lala.cgi; rejects when the device drops the connection. */
  const post = async (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<PostResult> => {
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    const response = await server.app.inject({ method: 'POST', url: '/lala.cgi', payload, headers });
    const type = response.headers['content-type'];
    return { status: response.statusCode, contentType: typeof type === 'string' ? type : undefined, text: response.body };
  };

  return { ...server, clock, world, post, close: () => server.app.close() };
}

/** Strictly decodes one scalar number field (fl, u*, i*); throws on anything else. */
export function num(field: unknown, label = 'field'): number {
  const decoded = decodeField(field, { mode: 'strict' });
  if (Array.isArray(decoded)) throw new Error(`${label}: array where a number is expected`);
  return numberOf(decoded, label);
}

/** Strictly decodes an array of numbers. */
export function nums(field: unknown, label = 'field'): number[] {
  const decoded = decodeField(field, { mode: 'strict' });
  if (!Array.isArray(decoded)) throw new Error(`${label}: scalar where an array is expected`);
  return decoded.map((d, i) => numberOf(d, `${label}[${i}]`));
}

function numberOf(decoded: DecodedValue, label: string): number {
  if (decoded.kind === 'number') return decoded.value;
  if (decoded.kind === 'bigint') return Number(decoded.value);
  throw new Error(`${label}: ${JSON.stringify(decoded)} is not a number`);
}

/** Bound on the summed float32 rounding errors of `values` (half an ulp is at most 2^-24·|v|; doubled for margin), plus a hair for double arithmetic. */
export function f32err(...values: number[]): number {
  return values.reduce((sum, v) => sum + Math.abs(v), 0) * 2 ** -23 + 1e-9;
}
