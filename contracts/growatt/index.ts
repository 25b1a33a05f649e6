/** Growatt ShineServer OpenAPI v1 contract: endpoints, envelopes, error codes, schemas, field tables, validators. */
export * from './endpoints.js';
export * from './envelope.js';
export * from './errors.js';
export * from './enums.js';
export * from './rate-limits.js';
export * from './fields.js';
export * from './java-time.js';
export * from './params.js';
export * from './schemas.js';
export * from './min-schemas.js';
export * from './validate.js';
export * from './fixtures.js';
