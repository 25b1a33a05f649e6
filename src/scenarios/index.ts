export { ScenarioSchema, type ScenarioFile, type ScenarioEvent, type ScenarioExpectation } from './schema.js';
export { listScenarios, loadScenario, narrowScenario, loadScenarioFile, parseScenario, scenarioLibraryDir, formatOffset, ScenarioError, type Scenario, type ScenarioSummary } from './load.js';
export { runScenario, startScenario, stopPoints, ScenarioSession, type ScenarioReport, type ScenarioRunOptions, type PollEntry } from './runner.js';
export type { CheckResult } from './expectations.js';
