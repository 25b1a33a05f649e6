/**
 * Test helpers (`voltbench/testing`): emulators in this process for a test, typed clients of
 * their control API, scenarios, recording and replay. The testcontainers module lives in `voltbench/testing/container`, so importing
 * this one does not need testcontainers installed.
 */
export { startVoltbench, InProcessVoltbench, type StartVoltbenchOptions } from './in-process.js';
export { EndpointTable, type EmulatorAddresses, type VoltbenchEndpoints } from './endpoints.js';
export {
  ControlClient,
  UpsControlClient,
  ControlApiError,
  type ControlRoute,
  type ControlRouteList,
  type EmulatorHealth,
  type StatePatchRequest,
  type UpsPoint,
} from './control-client.js';
export { DEFAULT_PORTS, DEVICES, type DeviceName } from '../../emulators/registry.js';
/** The control API's request schemas (TypeBox): what `/__emu` routes accept, for tests that build bodies. */
export {
  ClockCommandSchema,
  WorldCommandSchema,
  ResetOptionsSchema,
  FaultSpecSchema,
  type ClockCommand,
  type WorldCommand,
  type ResetOptions,
  type FaultSpecInput,
} from '../../emulators/core/control-schemas.js';
export { MIN_INSTANT_MS, MAX_INSTANT_MS, MAX_JUMP_MS, MAX_SPEED } from '../../emulators/core/time-bounds.js';
export { loadScenario, narrowScenario, runScenario, startScenario, type Scenario, type ScenarioReport, type ScenarioSession } from '../scenarios/index.js';
export { startRecorder, type Recorder, type RecorderOptions } from '../recording/index.js';
export { startReplay, readRecording, startSimulation, type RunningReplay, type ReplayOptions, type Recording } from '../replay/index.js';
