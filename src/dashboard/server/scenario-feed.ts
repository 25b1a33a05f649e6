// A playing scenario as the dashboard shows it: the session's own progress reports (the scenario
// runner knows nothing of the dashboard; it only lets listeners in).

import type { ScenarioSession } from '../../scenarios/runner.js';
import type { ScenarioFeed } from './index.js';

export function scenarioFeed(session: ScenarioSession): ScenarioFeed {
  return {
    view: () => session.progress(),
    subscribe: (listener) => session.onProgress(listener),
  };
}
