// The recording format (src/recording/format.ts) as TypeBox schemas, so a file is checked line by line with
// errors that name the field. The type assertions below fail to compile if the two drift apart.

import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { DEVICES } from '../../emulators/registry.js';
import { RECORDING_VERSION, type Exchange, type RecordingHeader } from '../recording/format.js';

const Bytes = Type.Union([
  Type.Object({ text: Type.String() }, { additionalProperties: false }),
  Type.Object({ base64: Type.String() }, { additionalProperties: false }),
]);
const Headers = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]));
const Millis = Type.Number({ minimum: 0 });

export const HeaderLine = Type.Object({
  type: Type.Literal('header'),
  version: Type.Literal(RECORDING_VERSION),
  device: Type.Union(DEVICES.map((d) => Type.Literal(d))),
  transport: Type.Union([Type.Literal('http'), Type.Literal('https'), Type.Literal('serial')]),
  target: Type.String(),
  startedAt: Type.String(),
  redacted: Type.Array(Type.String()),
});

export const HttpExchangeLine = Type.Object({
  type: Type.Literal('http'),
  seq: Type.Integer({ minimum: 1 }),
  t: Millis,
  durationMs: Millis,
  // Absent in recordings made before the recorder wrote it: those clients count as using the device's transport.
  client: Type.Optional(Type.Union([Type.Literal('http'), Type.Literal('https')])),
  request: Type.Object({
    method: Type.String({ minLength: 1 }),
    url: Type.String(),
    headers: Headers,
    body: Type.Union([Bytes, Type.Null()]),
  }),
  response: Type.Union([
    Type.Object({ status: Type.Integer({ minimum: 100, maximum: 999 }), headers: Headers, body: Bytes }),
    Type.Null(),
  ]),
  error: Type.Optional(Type.String()),
});

export const SerialExchangeLine = Type.Object({
  type: Type.Literal('serial'),
  seq: Type.Integer({ minimum: 1 }),
  t: Millis,
  durationMs: Millis,
  request: Bytes,
  response: Type.Union([Bytes, Type.Null()]),
});

export const ExchangeLine = Type.Union([HttpExchangeLine, SerialExchangeLine]);

export const checkHeader = TypeCompiler.Compile(HeaderLine);
export const checkHttpExchange = TypeCompiler.Compile(HttpExchangeLine);
export const checkSerialExchange = TypeCompiler.Compile(SerialExchangeLine);

// Both directions must hold: every valid line is a format value and every format value validates.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const headerMatches: Same<Static<typeof HeaderLine>, RecordingHeader> = true;
const exchangeMatches: Same<Static<typeof ExchangeLine>, Exchange> = true;
void headerMatches;
void exchangeMatches;
