/**
 * SunPower PVS5/PVS6 contract: the legacy dl_cgi API (schemas, field tables, validators, value formats, fixtures)
 * and the 2025 varserver firmware (firmware eras and profiles, `/auth` + `/vars` grammar and reply formats, the
 * variable table, the telemetry WebSocket's frames, document fixtures).
 */
export * from './schemas.js';
export * from './fields.js';
export * from './validate.js';
export * from './format.js';
export * from './fixtures.js';
export * from './invariants.js';
export * from './firmware.js';
export * from './variables.js';
export * from './varserver.js';
export * from './telemetry.js';
export * from './varserver-fixtures.js';
