/**
 * SENEC lala.cgi contract, for any firmware profile, site and history of clock advances and writes:
 * every reply validates against `ResponseBody`, echoes the request in order, answers each known key
 * with the profile's type and length in canonical form (uppercase, full width), and answers unknown
 * objects and keys with the markers. Failures print the fast-check seed; rerun with
 * `fc.assert(..., { seed, path })` to reproduce.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CATALOGUE,
  decodeField,
  encodeValue,
  isObjectName,
  OBJECT_NAMES,
  sectionsOf,
  type ObjectName,
} from '../contracts/senec/index.js';
import { replyProblems, type LalaRequest } from './support/senec-reply.js';
import { senecAdvance, senecCase, senecFor, type SenecHarness } from './support/senec-site.js';
import { arrayWrite, arrayWriteBody, ENERGY_BUTTONS, energySwitchBlock } from './support/senec-writes.js';

const catalogueKeys = (object: string): string[] => (isObjectName(object) ? Object.keys(CATALOGUE[object as ObjectName].keys) : []);

/** Upper-case names that are not catalogue objects (they must answer OBJECT_NOT_FOUND). */
const unknownObject = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,11}$/).filter((name) => !isObjectName(name));
const unknownKey = (object: string) => {
  const known = new Set(catalogueKeys(object));
  return fc.stringMatching(/^[A-Za-z][A-Za-z0-9_#]{0,11}$/).filter((key) => !known.has(key));
};

/** `{}` (whole object) or a shuffled pick of catalogue keys (available in the profile or not) plus unknown ones. */
function queryFor(object: string): fc.Arbitrary<Record<string, string>> {
  const known = catalogueKeys(object);
  const picked = known.length > 0 ? fc.shuffledSubarray(known, { minLength: 0, maxLength: Math.min(8, known.length) }) : fc.constant<string[]>([]);
  const keys = fc
    .tuple(picked, fc.uniqueArray(unknownKey(object), { maxLength: 2 }))
    .filter(([a, b]) => a.length + b.length > 0)
    .map(([a, b]) => Object.fromEntries([...a, ...b].map((k) => [k, ''])));
  return fc.oneof({ weight: 1, arbitrary: fc.constant({}) }, { weight: 3, arbitrary: keys });
}

const readRequest: fc.Arbitrary<LalaRequest> = fc
  .uniqueArray(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...OBJECT_NAMES) }, { weight: 1, arbitrary: unknownObject }), {
    minLength: 1,
    maxLength: 5,
  })
  .chain((names) => fc.tuple(...names.map(queryFor)).map((queries) => Object.fromEntries(names.map((n, i) => [n, queries[i]!]))));

/** The writes clients make: the switch block, socket and wallbox arrays, the reserve capacity. */
const writeRequest: fc.Arbitrary<LalaRequest> = fc.oneof(
  fc.constantFrom(...ENERGY_BUTTONS).map((button) => energySwitchBlock(button)),
  arrayWrite.map(arrayWriteBody),
  fc.boolean().map((on) => ({ WALLBOX: { ALLOW_INTERCHARGE: on ? 'u8_01' : 'u8_00' } })),
  fc.integer({ min: 0, max: 100 }).map((pct) => ({ BAT1: { SPARE_CAPACITY: encodeValue('u8', pct), TYPE: '' } })),
);

type Step = { kind: 'advance'; ms: number } | { kind: 'write'; body: LalaRequest };
const step: fc.Arbitrary<Step> = fc.oneof(
  senecAdvance.map((ms): Step => ({ kind: 'advance', ms })),
  writeRequest.map((body): Step => ({ kind: 'write', body })),
);

function expectValid(h: SenecHarness, request: LalaRequest): Record<string, Record<string, unknown>> {
  const reply = h.lala(request);
  expect(replyProblems(h.senec.profile, request, reply, { writesFit: true }), JSON.stringify(request)).toEqual([]);
  return reply;
}

describe('SENEC: every reply meets the contract', () => {
  it('for any profile, site and sequence of advances and writes, with random reads after each step', () => {
    fc.assert(
      fc.property(senecCase, fc.array(fc.tuple(step, readRequest), { minLength: 1, maxLength: 6 }), (c, steps) => {
        const h = senecFor(c);
        for (const [s, read] of steps) {
          if (s.kind === 'advance') h.clock.advance(s.ms);
          else expectValid(h, s.body);
          expectValid(h, read);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('a whole-device dump (every catalogue object as {}) is canonical and typed per profile; DEBUG.SECTIONS lists the answering objects', () => {
    const everything: LalaRequest = Object.fromEntries(OBJECT_NAMES.map((name) => [name, {}]));
    fc.assert(
      fc.property(senecCase, fc.array(senecAdvance, { minLength: 1, maxLength: 3 }), fc.boolean(), (c, advances, outage) => {
        const h = senecFor(c);
        for (const [i, ms] of advances.entries()) {
          if (outage && i === 1) h.world.setGridDown();
          h.clock.advance(ms);
          const reply = expectValid(h, everything);
          // Every string the device emits decodes strictly: nothing short, lowercase or malformed.
          for (const [object, fields] of Object.entries(reply)) {
            if (Object.hasOwn(fields, 'OBJECT_NOT_FOUND')) continue;
            for (const [key, field] of Object.entries(fields)) {
              const decoded = decodeField(field, { mode: 'strict' });
              for (const d of Array.isArray(decoded) ? decoded : [decoded]) {
                expect(d.kind, `${object}.${key} = ${JSON.stringify(field)}`).not.toBe('malformed');
              }
            }
          }
          const sections = decodeField(reply.DEBUG!.SECTIONS);
          expect(Array.isArray(sections) ? sections.map((s) => (s.kind === 'string' ? s.value : s.kind)) : sections).toEqual(sectionsOf(c.site.profile));
          for (const object of sectionsOf(c.site.profile)) expect(reply[object], object).not.toHaveProperty('OBJECT_NOT_FOUND');
        }
      }),
      { numRuns: 25 },
    );
  });
});
