// The dashboard's own query and path inputs, checked by Fastify with the control API's validator
// (same messages, 400 on bad input).

import { Type } from '@sinclair/typebox';

export const HistoryQuerySchema = Type.Object(
  { since: Type.Optional(Type.String({ pattern: '^-?[0-9]{1,16}$', expects: 'a virtual time in epoch milliseconds' })) },
  { additionalProperties: false },
);

export const TrafficQuerySchema = Type.Object(
  {
    device: Type.Optional(Type.String({ maxLength: 64, expects: 'a running device name' })),
    limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$|^1000$', expects: 'a whole number from 1 to 1000' })),
  },
  { additionalProperties: false },
);

export const TrafficParamsSchema = Type.Object({
  device: Type.String({ maxLength: 64 }),
  seq: Type.String({ pattern: '^[1-9][0-9]{0,15}$', expects: 'a request sequence number' }),
});
