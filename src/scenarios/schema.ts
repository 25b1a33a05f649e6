// The scenario file format as a TypeBox schema. `scenarios/scenario.schema.json` is this schema
// written out (a test keeps the two equal), so editors can validate scenario files as they are typed.

import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Duration = Type.Union([Type.String({ pattern: '^\\s*(\\d+(\\.\\d+)?(ms|s|m|h|d)?)+\\s*$' }), Type.Number({ minimum: 0 })], {
  description: 'Milliseconds, or a duration such as "90s", "5m", "1h30m", "2d"',
});
const Offset = Type.Union([Duration], { description: 'Virtual time since the scenario start, e.g. "13h30m"' });
const Device = Type.Union([Type.Literal('pvs'), Type.Literal('senec'), Type.Literal('growatt'), Type.Literal('ups')]);
const Json = Type.Unknown();
const Strict = { additionalProperties: false } as const;

function strictObject<T extends Record<string, TSchema>>(properties: T, description?: string) {
  return Type.Object(properties, { ...Strict, ...(description ? { description } : {}) });
}

const Outage = strictObject({ at: Offset, for: Duration }, 'A grid outage every device sees');

const WorldSection = strictObject(
  {
    latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    utcOffsetMinutes: Type.Optional(Type.Integer({ minimum: -840, maximum: 840 })),
    weather: Type.Optional(
      strictObject(
        {
          cloudCover: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Fixed cloud cover all day' })),
          cloudCoverByHour: Type.Optional(
            Type.Array(Type.Number({ minimum: 0, maximum: 1 }), { minItems: 24, maxItems: 24, description: 'Cloud cover for local hours 0-23' }),
          ),
          maxCloudCover: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Seeded weather up to this cover' })),
        },
        'Weather by hour; without it, seeded weather up to maxCloudCover 0.5',
      ),
    ),
    householdKwhPerDay: Type.Optional(Type.Number({ minimum: 0, maximum: 500 })),
    outages: Type.Optional(Type.Array(Outage)),
  },
  'Location, weather, household load and grid outages',
);

const DeviceConfig = strictObject({
  firmware: Type.Optional(Type.String({ description: 'SENEC: a firmware profile id (v21-0824, v3-0826, ...); PVS: a firmware profile id (pvs6-61839, pvs6-61845, pvs5-5412, ...) or a supervisor SWVER such as "2025.09, Build 61845"' })),
  site: Type.Optional(Type.Record(Type.String(), Json, { description: "The device's site options (see the README per device)" })),
  settings: Type.Optional(Type.Record(Type.String(), Json, { description: "The device's emulator settings" })),
  fleet: Type.Optional(Type.Record(Type.String(), Json, { description: 'Growatt: devices, minDevices, accounts, sphPerPlant, demoToken' })),
});

const HttpRequest = strictObject(
  {
    method: Type.Optional(Type.String({ default: 'GET' })),
    path: Type.String({ description: 'Path and query; "{token}" and "{sn}" stand for the Growatt demo token and first serial' }),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    json: Type.Optional(Json),
    form: Type.Optional(Type.Record(Type.String(), Type.String())),
    body: Type.Optional(Type.String()),
  },
  'A request as a client sends it',
);

const Common = { at: Offset, note: Type.Optional(Type.String()) };

const Event = Type.Union(
  [
    strictObject({ ...Common, grid: Type.Union([Type.Literal('down'), Type.Literal('up')]), for: Type.Optional(Duration) }),
    strictObject({ ...Common, weather: strictObject({ cloudCover: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })), cloudCoverByHour: Type.Optional(Type.Array(Type.Number({ minimum: 0, maximum: 1 }), { minItems: 24, maxItems: 24 })), maxCloudCover: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })), householdKwhPerDay: Type.Optional(Type.Number({ minimum: 0, maximum: 500 })) }) }),
    strictObject({ ...Common, device: Device, state: Type.Record(Type.String(), Json, { description: "A control-API state patch (PATCH /__emu/state)" }) }),
    strictObject({ ...Common, device: Device, fault: Type.Record(Type.String(), Json, { description: 'A fault spec (POST /__emu/faults)' }) }),
    strictObject({ ...Common, device: Device, clearFaults: Type.Literal(true) }),
    strictObject({ ...Common, device: Device, reboot: Type.Union([Type.Literal(true), Duration]) }),
    strictObject({ ...Common, device: Type.Union([Type.Literal('pvs'), Type.Literal('senec'), Type.Literal('growatt')]), request: HttpRequest, repeat: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) }),
    strictObject({ ...Common, device: Type.Literal('ups'), frame: Type.String({ description: 'A YD/T 1363.3 frame "~…\\r" (\\r may be left off)' }) }),
  ],
  { description: 'Something that happens at a virtual time' },
);

const Comparison = {
  equals: Type.Optional(Json),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  oneOf: Type.Optional(Type.Array(Json)),
  change: Type.Optional(Type.Union([Type.Literal('increases'), Type.Literal('decreases'), Type.Literal('unchanged')], { description: 'From the window start to its end' })),
};
const When = {
  at: Type.Optional(Offset),
  from: Type.Optional(Offset),
  to: Type.Optional(Offset),
  note: Type.Optional(Type.String()),
};

const Expectation = Type.Union(
  [
    strictObject({ ...When, ...Comparison, device: Device, state: Type.String({ description: 'Dotted path into the control-API state, e.g. "status.mode"' }) }),
    strictObject({
      ...When,
      ...Comparison,
      device: Type.Union([Type.Literal('pvs'), Type.Literal('senec'), Type.Literal('growatt')]),
      request: HttpRequest,
      status: Type.Optional(Type.Integer()),
      json: Type.Optional(Type.String({ description: 'Dotted path into the JSON reply the comparison applies to' })),
      bodyIncludes: Type.Optional(Type.String()),
    }),
    strictObject({ ...When, device: Type.Literal('ups'), frame: Type.String(), reply: Type.Union([Type.Literal('frame'), Type.Literal('silence')]), replyIncludes: Type.Optional(Type.String()) }),
  ],
  { description: 'A check at one time ("at") or at every poll in a window ("from"/"to")' },
);

export const ScenarioSchema = strictObject(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' }),
    description: Type.String(),
    seed: Type.Optional(Type.Integer({ default: 1 })),
    start: Type.String({ description: 'Virtual start time, ISO-8601 with a UTC offset, e.g. "2024-06-21T00:00:00-07:00"' }),
    duration: Duration,
    poll: Type.Optional(Type.Union([Duration], { description: 'How often the runner reads every device as a client would (default 5m)' })),
    world: Type.Optional(WorldSection),
    devices: strictObject({
      pvs: Type.Optional(DeviceConfig),
      senec: Type.Optional(DeviceConfig),
      growatt: Type.Optional(DeviceConfig),
      ups: Type.Optional(DeviceConfig),
    }),
    timeline: Type.Optional(Type.Array(Event)),
    expect: Type.Optional(Type.Array(Expectation)),
  },
  'A voltbench scenario: a world, the devices in it, a timeline of events and expectations',
);

export type ScenarioFile = Static<typeof ScenarioSchema>;
export type ScenarioEvent = Static<typeof Event>;
export type ScenarioExpectation = Static<typeof Expectation>;
export type ScenarioHttpRequest = Static<typeof HttpRequest>;
export type ScenarioDeviceConfig = Static<typeof DeviceConfig>;
