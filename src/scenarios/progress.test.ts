import { describe, expect, it } from 'vitest';
import { loadScenario } from './load.js';
import { startScenario, type ScenarioProgress } from './runner.js';
import { buildDashboard } from '../dashboard/server/index.js';
import { scenarioFeed } from '../dashboard/server/scenario-feed.js';
import type { Overview } from '../dashboard/api.js';

describe('scenario progress', () => {
  it('reports position, events as applied and verdicts as judged, stop by stop, to listeners and the dashboard', async () => {
    const scenario = loadScenario('pvs-supervisor-reboot');
    const session = await startScenario(scenario, { speed: 'max' });
    const dashboard = await buildDashboard({ voltbench: session.voltbench, scenario: scenarioFeed(session) });
    try {
      const seen: ScenarioProgress[] = [];
      const stop = session.onProgress((p) => seen.push(p));
      const before = session.progress();
      expect(before.events.map((e) => e.applied)).toEqual([false, false]);
      expect(before.expectations.every((e) => e.verdict === 'pending')).toBe(true);
      expect(before.passed).toBeNull();

      await session.run({ until: '1h55m' });
      const mid = session.progress();
      expect(mid.nowMs).toBe(scenario.start + (60 + 55) * 60_000);
      expect(mid.events.map((e) => e.applied)).toEqual([true, false]);
      // Judged: the 1h51m30s checks passed; later ones still pending.
      expect(mid.expectations.slice(0, 2).map((e) => e.verdict)).toEqual(['pass', 'pass']);
      expect(mid.expectations.slice(2).every((e) => e.verdict === 'pending')).toBe(true);
      expect(mid.finished).toBe(false);
      const overview = (await dashboard.app.inject({ method: 'GET', url: '/api/overview' })).json<Overview>();
      expect(overview.scenario).toMatchObject({ name: 'pvs-supervisor-reboot', nowMs: mid.nowMs, finished: false });
      expect(overview.scenario!.events[0]!.applied).toBe(true);

      await session.run();
      const end = seen.at(-1)!;
      expect(end.finished).toBe(true);
      expect(end.passed).toBe(true);
      expect(end.expectations.every((e) => e.verdict === 'pass')).toBe(true);
      // One report per stop played (and one at the end): the clock moved forward through them.
      expect(seen.length).toBeGreaterThan(100);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.nowMs).toBeGreaterThanOrEqual(seen[i - 1]!.nowMs);
      stop();
    } finally {
      await dashboard.close();
      await session.voltbench.close();
    }
  });

  it('a failed reading is a fail as soon as it is judged, before the window ends', async () => {
    const scenario = loadScenario('pvs-supervisor-reboot');
    // The same checks, but the supervisor never restarts: "503 while restarting" fails at 2h.
    const session = await startScenario({ ...scenario, events: scenario.events.filter((e) => !('reboot' in e.item)) }, { speed: 'max' });
    try {
      await session.run({ until: '2h01m' });
      const p = session.progress();
      const restarting = p.expectations.find((e) => e.description === '503 while restarting')!;
      expect(restarting.verdict).toBe('fail');
      expect(restarting.detail).toContain('503');
      expect(p.passed).toBeNull();
    } finally {
      await session.voltbench.close();
    }
  });
});
