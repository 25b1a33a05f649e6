import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { getContainerRuntimeClient } from 'testcontainers';

/** The repository: the Dockerfile's build context and the compose file's folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The tag the container tests build; the compose test runs the same image (VOLTBENCH_TAG=test). */
export const TEST_IMAGE = 'voltbench:test';

/** Base image for the build: CI sets a locally built one (no registry there); unset = the Dockerfile's default. */
export const BASE_IMAGE = process.env['VOLTBENCH_BASE_IMAGE'] || undefined;

/** Null when a container engine answers, otherwise why not (one line). */
export async function missingEngine(): Promise<string | null> {
  try {
    const client = await Promise.race([
      getContainerRuntimeClient(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 20 s')), 20_000)),
    ]);
    return client.info.containerRuntime.serverVersion ? null : 'the engine did not report a version';
  } catch (error) {
    return (error as Error).message.split('\n')[0] ?? 'unknown error';
  }
}

/** How to run compose here: the v2 plugin (testcontainers' default), else standalone docker-compose (v1). */
export function composeExecutable(): { standalone: true; executablePath: string } | 'plugin' | null {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return 'plugin';
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return { standalone: true, executablePath: 'docker-compose' };
  return null;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
