/** SENEC V3 / V2.1 `lala.cgi` contract: value codec, object catalogue, enums, schemas and example payloads. */
export * from './codec.js';
export * from './request.js';
export * from './conventions.js';
export * from './enums.js';
export * from './profiles.js';
export type {
  Access,
  Evidence,
  ExampleValue,
  KeySpec,
  ObjectAvailability,
  ObjectSpec,
} from './catalogue-types.js';
export * from './catalogue.js';
export * from './schemas.js';
export * from './fixtures/index.js';
