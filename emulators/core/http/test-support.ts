/** The control routes every device has, as `GET /__emu/` lists them: the tests' expectation. */
export const CORE_CONTROL_ROUTES: readonly string[] = [
  'GET /__emu/',
  'GET /__emu/health',
  'GET /__emu/state',
  'PATCH /__emu/state',
  'GET /__emu/clock',
  'POST /__emu/clock',
  'GET /__emu/world',
  'PATCH /__emu/world',
  'GET /__emu/faults',
  'POST /__emu/faults',
  'DELETE /__emu/faults',
  'DELETE /__emu/faults/:id',
  'GET /__emu/requests',
  'POST /__emu/reset',
];
