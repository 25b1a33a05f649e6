// A playing scenario's progress as a viewer sees it. Types only, with no import, so a browser page can
// type-check against them too (the dashboard's ScenarioView).

/**
 * Where a playing scenario has got, for a viewer (the dashboard): virtual instants in epoch ms,
 * each event with whether it has been applied, each expectation with its verdict as judged so far.
 */
export interface ScenarioProgress {
  name: string;
  startMs: number;
  endMs: number;
  nowMs: number;
  events: { atMs: number; description: string; applied: boolean }[];
  expectations: { atMs: number; toMs: number; description: string; verdict: 'pending' | 'pass' | 'fail'; detail?: string }[];
  finished: boolean;
  /** null until the run has ended. */
  passed: boolean | null;
  error?: string;
}

export type ProgressListener = (progress: ScenarioProgress) => void;
