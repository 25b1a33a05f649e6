/**
 * Shapes of the lala.cgi catalogue (objects → keys → wire type, array length, unit, meaning) and the
 * small builders the data file uses.
 */
import type { WireType } from './codec.js';
import type { EnumRef } from './enums.js';
import { PROFILE_IDS, type ProfileId } from './profiles.js';

/**
 * Where a key's wire type comes from:
 * `recorded`: seen in a raw device payload (cassettes, issue dumps quoted by the notes);
 * `notes`: stated by the protocol notes; `inferred`: derived from the seed's decoded example
 * (fractional or `x.0` → `fl`, small integers → `u8`, up to 65535 → `u1`, larger → `u3`).
 */
export type Evidence = 'recorded' | 'notes' | 'inferred';

/** `button`: a register that latches to 01 when written and is cleared by the device. */
export type Access = 'read' | 'write' | 'button';

/** A decoded example value as the seed (or a recording) states it. */
export type ExampleValue = number | string | readonly (number | string)[];

export interface KeySpec {
  /** Wire type in the reference profile (V3 0826) unless `typeIn` overrides it. */
  readonly type: WireType;
  /** Array length; `variable` for arrays whose length the device decides. Absent for scalars. */
  readonly length?: number | 'variable';
  /** The array's last element is `st_END_OF_ARRAY` (PV1.INV_*). */
  readonly endMarker?: true;
  /** Physical unit of the decoded value multiplied by `scale` (default 1). */
  readonly unit?: string;
  readonly scale?: number;
  readonly meaning: string;
  readonly example?: ExampleValue;
  readonly enum?: EnumRef;
  /** Default `read`. */
  readonly access?: Access;
  readonly evidence: Evidence;
  /** Per-profile wire type where it differs from `type`. */
  readonly typeIn?: Partial<Record<ProfileId, WireType>>;
  /** Per-profile array length where it differs from `length`. */
  readonly lengthIn?: Partial<Record<ProfileId, number>>;
  /** Profiles in which the key answers with a value; default: every profile where the object is present. */
  readonly availableIn?: readonly ProfileId[];
}

/** `present`: keys answer; `empty`: `{}` answers `{}`, keys answer VARIABLE_NOT_FOUND; `not-found`: OBJECT_NOT_FOUND. */
export type ObjectAvailability = 'present' | 'empty' | 'not-found';

export interface ObjectSpec {
  readonly meaning: string;
  readonly availability: Readonly<Record<ProfileId, ObjectAvailability>>;
  readonly keys: Readonly<Record<string, KeySpec>>;
}

export type KeyOptions = Partial<Omit<KeySpec, 'type' | 'meaning' | 'length'>>;

export function scalar(type: WireType, meaning: string, options: KeyOptions = {}): KeySpec {
  return { type, meaning, evidence: 'inferred', ...options };
}

export function array(type: WireType, length: number | 'variable', meaning: string, options: KeyOptions = {}): KeySpec {
  return { type, length, meaning, evidence: 'inferred', ...options };
}

export const RECORDED = { evidence: 'recorded' } as const;
export const NOTES = { evidence: 'notes' } as const;

/** Availability map: present everywhere unless listed as empty or not-found. */
export function availability(
  overrides: { readonly empty?: readonly ProfileId[]; readonly notFound?: readonly ProfileId[] } = {},
): Record<ProfileId, ObjectAvailability> {
  const result = {} as Record<ProfileId, ObjectAvailability>;
  for (const id of PROFILE_IDS) {
    result[id] = overrides.notFound?.includes(id) ? 'not-found' : overrides.empty?.includes(id) ? 'empty' : 'present';
  }
  return result;
}
