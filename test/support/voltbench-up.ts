import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { BIN, spawnVoltbench } from './voltbench-process.js';

export { BIN };

/**
 * Starts `voltbench up …`, records the child in `children` (for killing after the test) and resolves with the
 * first stdout line (the ready line); rejects if the process exits first.
 */
export async function spawnUp(args: string[], children: ChildProcessWithoutNullStreams[]): Promise<{ child: ChildProcessWithoutNullStreams; line: string }> {
  const { child, line } = await spawnVoltbench(['up', ...args], children);
  return { child, line };
}
