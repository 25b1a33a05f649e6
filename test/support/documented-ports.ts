// The documented default ports (7070 for the dashboard, 7080-7099, 7443, 9002) are bound as written by the tests that run documented
// commands (the docs test, the container tests): they take turns through this lock.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The documented default ports (7070 for the dashboard, 7080-7099, 7443, 9002) are shared by every test that runs a documented
 * command as written (these container tests, the docs test): whoever holds this lock may bind them.
 * A lock directory in the temporary folder, so it works across vitest's worker processes; a holder
 * that died leaves it stale, and the next taker removes it. Resolves with the release function.
 */
export async function lockDocumentedPorts(timeoutMs = 300_000): Promise<() => void> {
  const dir = join(tmpdir(), 'voltbench-documented-ports.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    } catch {
      // being created right now
    }
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`the documented ports stayed locked by process ${holder} for ${timeoutMs / 1000} s (${dir})`);
    await sleep(250);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

