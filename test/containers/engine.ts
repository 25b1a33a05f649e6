import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getContainerRuntimeClient } from 'testcontainers';

declare module '@vitest/runner' {
  interface TaskMeta {
    /** Why a container test did not run; vitest's JSON report carries it, and .ci/summary.mjs prints it. */
    skipReason?: string;
  }
}

/** The repository: the Dockerfile's build context and the compose file's folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The tag the container tests build; the compose test runs the same image (VOLTBENCH_TAG=test). */
export const TEST_IMAGE = 'voltbench:test';

/** Base image for the build: CI sets a locally built one (no registry there); unset = the Dockerfile's default. */
export const BASE_IMAGE = process.env['VOLTBENCH_BASE_IMAGE'] || undefined;

/** The tag `bash docker/base-image.sh` gives (its default), as the README uses it. */
export const LOCAL_BASE_IMAGE = 'voltbench/node-base:local';

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

/**
 * Suite options that skip the suite when `reason` is not null, and record the reason in every test's
 * `meta.skipReason` (vitest's JSON report keeps it: CI names each skipped container test and why).
 */
export function skipWhen(reason: string | null): { skip: boolean; meta: { skipReason?: string } } {
  if (reason !== null) console.warn(`container tests SKIPPED: ${reason}`);
  return reason === null ? { skip: false, meta: {} } : { skip: true, meta: { skipReason: reason } };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Whether a host port can be bound on every interface (as `docker run -p N:N` publishes it). */
export async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => resolve(true));
  });
  if (bound) await new Promise((resolve) => server.close(resolve));
  return bound;
}

export { lockDocumentedPorts } from '../support/documented-ports.js';

/**
 * Host ports for a documented command: each default port itself once it is free (waiting up to
 * `waitMs` for another test to let go of it), else a free port in its place.
 */
export async function documentedPorts(defaults: readonly number[], waitMs = 90_000): Promise<Map<number, number>> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const busy: number[] = [];
    for (const port of defaults) if (!(await portIsFree(port))) busy.push(port);
    if (busy.length === 0 || Date.now() > deadline) {
      const ports = new Map<number, number>();
      for (const port of defaults) ports.set(port, busy.includes(port) ? await freePort() : port);
      return ports;
    }
    await sleep(500);
  }
}

/** The environment without variables that would change what a documented command does. */
export function plainEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(VOLTBENCH_|COMPOSE_)|_HOST_PORT$|^SENEC_FIRMWARE$/.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

/** Runs a command line through bash in the repository, as a reader would type it; resolves with its exit code and output. */
export function shell(command: string, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd: REPO_ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`"${command}" did not finish in ${options.timeoutMs} ms:\n${output.slice(-4_000)}`));
    }, options.timeoutMs ?? 600_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** A command line running in the foreground (`docker run`, `docker compose up`), in its own process group. */
export class ForegroundCommand {
  readonly child: ChildProcess;
  /** stdout and stderr so far. */
  output = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly command: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.child = spawn('bash', ['-c', command], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first stdout/stderr line matching `pattern`; throws when the command exits or time runs out first. */
  async line(pattern: RegExp, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.output.split('\n').find((l) => pattern.test(l));
      if (found !== undefined) return found;
      if (!this.running) throw new Error(`"${this.command}" exited (${this.child.exitCode ?? this.child.signalCode}) before printing ${pattern}:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`"${this.command}" printed no line matching ${pattern} in ${timeoutMs} ms:\n${this.tail()}`);
      await sleep(200);
    }
  }

  /** Ctrl+C (SIGINT to the whole process group, as a terminal sends it); resolves with how it exited, or null on timeout. */
  async interrupt(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null> {
    if (this.running) this.signal('SIGINT');
    return Promise.race([this.exited, sleep(timeoutMs).then(() => null)]);
  }

  /** Last resort in cleanup. */
  kill(): void {
    if (this.running) this.signal('SIGKILL');
  }

  tail(): string {
    return this.output.slice(-4_000);
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.child.pid!, signal);
    } catch {
      // already gone
    }
  }
}

/** `docker` with arguments (no shell), trimmed stdout; throws on a non-zero exit. */
export function docker(...args: string[]): string {
  const result = spawnSync('docker', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`docker ${args.join(' ')} failed: ${result.stderr || result.error?.message}`);
  return result.stdout.trim();
}

/** Polls `probe` until it returns a value other than undefined. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (${(last as Error).message})` : ''}`);
    await sleep(500);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
