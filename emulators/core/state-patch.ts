import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import { ControlInputError } from './errors.js';
import { checkInput } from './schema-check.js';

/**
 * The one documented form of `PATCH /__emu/state` on every device:
 *
 *     {"settings": {<the device's settings>}, <state changes and actions at the top level>}
 *
 * `settings` mirrors the `settings` object of `GET /__emu/state`. Older forms stay accepted and are
 * rewritten here, once for all devices: setting keys at the top level move into `settings`, old
 * action names become their canonical names. A device's patchState then only sees the canonical form.
 */
export interface StatePatch {
  /** Always present (empty when the patch changes no setting). */
  settings: Record<string, unknown>;
  [action: string]: unknown;
}

/** What a device declares about its state patch; `normalizeStatePatch` does the rest. */
export interface StatePatchShape {
  /** The device as messages name it ("PVS", "SENEC"...). */
  readonly name: string;
  /** The keys of the device's `settings`. */
  readonly settings: readonly string[];
  /** State changes and actions the device takes at the top level, by canonical name. */
  readonly actions: readonly string[];
  /** Old top-level names still accepted, mapped to their canonical action (PVS `restart` → `reboot`). */
  readonly aliases?: Readonly<Record<string, string>>;
  /**
   * A key that is a setting and an action at once: at the top level it is the action when its value is one
   * of these (Growatt `{"rateLimits":"clear"}`) and the setting otherwise (`{"rateLimits":false}`).
   */
  readonly actionValues?: Readonly<Record<string, readonly unknown[]>>;
  /** For common actions the device cannot do: why, and what to send instead. */
  readonly unsupported?: Readonly<Partial<Record<CommonAction, string>>>;
  /**
   * The canonical patch as a TypeBox schema (`defineStatePatch` builds it): every value's type and
   * range. The control route validates with it, and so does normalizeStatePatch for in-process calls.
   */
  readonly schema?: TSchema;
}

/**
 * A device's state patch from its schemas: `settings` (one object, every key optional) and the
 * top-level actions. The keys lists and the canonical schema come from the same declaration.
 */
export function defineStatePatch(spec: {
  name: string;
  settings: TObject;
  actions: Readonly<Record<string, TSchema>>;
  aliases?: Readonly<Record<string, string>>;
  actionValues?: Readonly<Record<string, readonly unknown[]>>;
  unsupported?: Readonly<Partial<Record<CommonAction, string>>>;
}): StatePatchShape {
  const settings = Type.Partial(spec.settings, { additionalProperties: false, description: `${spec.name} settings` });
  const actions = Object.fromEntries(Object.entries(spec.actions).map(([key, schema]) => [key, Type.Optional(schema)]));
  return {
    name: spec.name,
    settings: Object.keys(spec.settings.properties),
    actions: Object.keys(spec.actions),
    ...(spec.aliases ? { aliases: spec.aliases } : {}),
    ...(spec.actionValues ? { actionValues: spec.actionValues } : {}),
    ...(spec.unsupported ? { unsupported: spec.unsupported } : {}),
    schema: Type.Object({ settings: Type.Optional(settings), ...actions }, { additionalProperties: false, description: `${spec.name} state patch` }),
  };
}

/** Actions named the same on every device that can do them. */
export const COMMON_ACTIONS = {
  reboot: 'true, or a duration such as "5m" for how long the device stays down',
  firmware: 'the firmware to run',
  soc: 'battery state of charge in %',
} as const;

export type CommonAction = keyof typeof COMMON_ACTIONS;

/**
 * Rewrites any accepted form of a state patch into the canonical one, or throws a ControlInputError
 * that names the allowed keys and what to send instead. Canonical input comes back unchanged (in a
 * new object), so normalising twice is harmless.
 */
export function normalizeStatePatch(shape: StatePatchShape, input: unknown): StatePatch {
  if (!isPlainObject(input)) throw new ControlInputError('state patch must be a JSON object');
  const settings: Record<string, unknown> = {};
  const actions: Record<string, unknown> = {};
  /** Canonical action name → the key it was sent as. */
  const sentAs = new Map<string, string>();

  const nested = input['settings'];
  if (nested !== undefined) {
    if (!isPlainObject(nested)) throw new ControlInputError(`settings must be an object of ${shape.name} settings (${list(shape.settings)})`);
    for (const [key, value] of Object.entries(nested)) {
      if (!shape.settings.includes(key)) throw new ControlInputError(misplacedSetting(shape, key));
      settings[key] = value;
    }
  }

  for (const [key, value] of Object.entries(input)) {
    if (key === 'settings' || value === undefined) continue;
    const canonical = shape.aliases?.[key] ?? key;
    const isAction = shape.actions.includes(canonical);
    if (shape.settings.includes(key) && !(isAction && (shape.actionValues?.[key]?.includes(value) ?? false))) {
      // The old form: a setting at the top level.
      if (isPlainObject(nested) && Object.hasOwn(nested, key)) {
        throw new ControlInputError(`"${key}" is given both at the top level and inside "settings"; send it once, inside "settings"`);
      }
      settings[key] = value;
      continue;
    }
    if (isAction) {
      const earlier = sentAs.get(canonical);
      if (earlier !== undefined) throw new ControlInputError(`"${earlier}" and "${key}" are the same action; send only "${canonical}"`);
      sentAs.set(canonical, key);
      actions[canonical] = value;
      continue;
    }
    throw new ControlInputError(unknownKey(shape, key, canonical));
  }
  const canonical: StatePatch = { settings, ...actions };
  // Types and ranges, once the form is canonical (a schema sees one form only).
  if (shape.schema !== undefined) checkInput(shape.schema, canonical, 'state patch');
  return canonical;
}

/** The allowed keys of a shape, for messages and the route listing. */
export function describeStatePatch(shape: StatePatchShape): { settings: string[]; actions: string[]; aliases: Record<string, string> } {
  return { settings: [...shape.settings], actions: [...shape.actions], aliases: { ...shape.aliases } };
}

function misplacedSetting(shape: StatePatchShape, key: string): string {
  const canonical = shape.aliases?.[key] ?? key;
  if (shape.actions.includes(canonical)) {
    return `"${key}" is not a ${shape.name} setting but an action: send it at the top level, {"${canonical}": …}, not inside "settings"; settings are ${list(shape.settings)}`;
  }
  return `unknown ${shape.name} setting "${key}"; settings are ${list(shape.settings)}`;
}

function unknownKey(shape: StatePatchShape, key: string, canonical: string): string {
  const allowed = `send settings inside "settings" (${list(shape.settings)}) and actions at the top level (${list(shape.actions)})`;
  if (Object.hasOwn(COMMON_ACTIONS, canonical)) {
    const why = shape.unsupported?.[canonical as CommonAction];
    return `the ${shape.name} emulator cannot take "${canonical}"${why ? `: ${why}` : ''}; ${allowed}`;
  }
  return `unknown ${shape.name} state field "${key}"; ${allowed}`;
}

function list(keys: readonly string[]): string {
  return keys.length === 0 ? 'none' : keys.join(', ');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
