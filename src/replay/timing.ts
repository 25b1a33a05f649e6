// How long a replayed answer waits: the recorded duration (scaled by `speed`), or nothing.

export type ReplayTiming = 'recorded' | 'compressed';
export const REPLAY_TIMINGS: readonly ReplayTiming[] = ['recorded', 'compressed'];

export interface TimingOptions {
  timing: ReplayTiming;
  /** `recorded` timing only: 2 = twice as fast as recorded. */
  speed: number;
}

export function delayOf(durationMs: number, options: TimingOptions): number {
  return options.timing === 'compressed' ? 0 : durationMs / options.speed;
}

export function wait(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
