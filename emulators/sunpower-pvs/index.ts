export { PvsEmulator, DEFAULT_SETTINGS, type PvsOptions, type PvsSettings, type PvsReply } from './emulator.js';
export { createPvsServer, pvsRoutes } from './server.js';
export { DEFAULT_SITE, createSite, resolveSiteConfig, type Site, type SiteConfig } from './site.js';
export { PvsModel, METER_TICK_MS, SUPERVISOR_TICK_MS, type Sample, type PowerFlow } from './model.js';
export { formatCJson } from './protocol/cjson.js';
export { GRID_PROFILES } from './grid-profiles.js';
export { Varserver, type VariableTable, type VarserverReply } from './varserver.js';
export { PvsTelemetry } from './telemetry.js';
