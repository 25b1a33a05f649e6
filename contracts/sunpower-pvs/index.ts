/** SunPower PVS5/PVS6 legacy dl_cgi API contract: schemas, field tables, validators, value formats, fixtures. */
export * from './schemas.js';
export * from './fields.js';
export * from './validate.js';
export * from './format.js';
export * from './fixtures.js';
export * from './invariants.js';
