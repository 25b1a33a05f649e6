import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, as users run it. */
export const BIN = fileURLToPath(new URL('../../bin/voltbench.js', import.meta.url));

/**
 * Starts `voltbench up …`, records the child in `children` (for killing after the test) and resolves with the
 * first stdout line (the ready line); rejects if the process exits first.
 */
export async function spawnUp(args: string[], children: ChildProcessWithoutNullStreams[]): Promise<{ child: ChildProcessWithoutNullStreams; line: string }> {
  const child = spawn(process.execPath, [BIN, 'up', ...args]);
  children.push(child);
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const nl = out.indexOf('\n');
      if (nl !== -1) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`voltbench exited with ${code} before it was ready`)));
  });
  return { child, line };
}
