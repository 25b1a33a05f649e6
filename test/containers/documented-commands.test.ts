/**
 * The documented docker commands (docs/containers.md, the Dockerfile's header), run as written: each
 * string below is typed into bash in the repository as a reader would, and the docs test checks that
 * every documented docker command appears in this file as a whole command. Which build and compose
 * lines run depends on the machine, as it does for a reader: where no registry is reachable (CI) the
 * image builds on the local stand-in base (VOLTBENCH_BASE_IMAGE=voltbench/node-base:local), else on
 * the Dockerfile's default; compose runs as the plugin (`docker compose`) where it is installed, else
 * as the standalone `docker-compose` (v1, Debian's). The test names show the lines that ran.
 */
import { describe, expect, it } from 'vitest';
import { KehuaUpsClient } from '../../src/clients/kehua-ups/index.js';
import { devicesOfKind, PvsClient } from '../../src/clients/sunpower-pvs/index.js';
import { ControlClient } from '../../src/testing/index.js';
import { BUILTIN_DEVICES } from '../../emulators/devices.js';
import { publishedPorts } from '../../docker/compose-file.js';
import {
  BASE_IMAGE,
  composeExecutable,
  docker,
  documentedPorts,
  ForegroundCommand,
  LOCAL_BASE_IMAGE,
  lockDocumentedPorts,
  missingEngine,
  plainEnvironment,
  shell,
  skipWhen,
  sleep,
} from './engine.js';

// The README's commands, verbatim.
const BASE_IMAGE_COMMAND = 'bash docker/base-image.sh';
const BUILD_COMMAND = 'docker build -t voltbench .';
const BUILD_ON_LOCAL_BASE_COMMAND = 'docker build --build-arg BASE_IMAGE=voltbench/node-base:local -t voltbench .';
const RUN_COMMAND = 'docker run --rm -p 7080:7080 voltbench --only pvs';
const COMPOSE_COMMANDS = {
  plugin: 'docker compose up',
  standalone: 'docker-compose up',
  pluginOnLocalBase: 'VOLTBENCH_BASE_IMAGE=voltbench/node-base:local docker compose up',
  standaloneOnLocalBase: 'VOLTBENCH_BASE_IMAGE=voltbench/node-base:local docker-compose up',
};

const missing = await missingEngine();
const compose = missing === null ? composeExecutable() : null;
const composeMissing = missing === null && compose === null ? 'neither "docker compose" nor "docker-compose" works here' : null;

/** What a reader types to build the image on this machine. */
function buildCommands(): string[] {
  if (BASE_IMAGE === undefined) return [BUILD_COMMAND];
  if (BASE_IMAGE === LOCAL_BASE_IMAGE) return [BASE_IMAGE_COMMAND, BUILD_ON_LOCAL_BASE_COMMAND];
  return [`docker build --build-arg BASE_IMAGE=${BASE_IMAGE} -t voltbench .`];
}

function composeUpCommand(): string {
  const plugin = compose === 'plugin';
  if (BASE_IMAGE === undefined) return plugin ? COMPOSE_COMMANDS.plugin : COMPOSE_COMMANDS.standalone;
  if (BASE_IMAGE === LOCAL_BASE_IMAGE) return plugin ? COMPOSE_COMMANDS.pluginOnLocalBase : COMPOSE_COMMANDS.standaloneOnLocalBase;
  return `VOLTBENCH_BASE_IMAGE=${BASE_IMAGE} ${plugin ? COMPOSE_COMMANDS.plugin : COMPOSE_COMMANDS.standalone}`;
}

const BUILD_MS = 15 * 60_000;

/** Runs `body`, then what it registered (last first), also when it throws: containers, processes, the ports lock. */
async function withCleanup(body: (cleanups: (() => unknown)[]) => Promise<void>): Promise<void> {
  const cleanups: (() => unknown)[] = [];
  try {
    await body(cleanups);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

describe('the documented docker commands, run as written', skipWhen(missing === null ? null : `no container engine (${missing})`), () => {
  let built = false;

  it(`builds the image: ${buildCommands().join(' && ')}`, async () => {
    for (const command of buildCommands()) {
      const { code, output } = await shell(command, { env: plainEnvironment(), timeoutMs: BUILD_MS });
      expect(code, `${command}\n${output.slice(-4_000)}`).toBe(0);
    }
    expect(docker('image', 'inspect', '--format', '{{json .Config.Entrypoint}}', 'voltbench')).toBe('["node","/app/docker/entrypoint.mjs"]');
    built = true;
  }, BUILD_MS);

  it(`${RUN_COMMAND}: the PVS on port 7080, healthy, until Ctrl+C stops and removes the container`, async () => {
    expect(built, 'the image build above failed').toBe(true);
    await withCleanup(async (cleanups) => {
      // The line as documented once port 7080 is free (always in CI); if it stays taken, the same line on a free port.
      cleanups.push(await lockDocumentedPorts());
      const port = (await documentedPorts([7080])).get(7080)!;
      const command = port === 7080 ? RUN_COMMAND : RUN_COMMAND.replace('-p 7080:7080', `-p ${port}:7080`);
      if (port !== 7080) console.warn(`port 7080 is taken here: running "${command}" instead of the documented line`);
      const run = new ForegroundCommand(command, plainEnvironment());
      let id = '';
      cleanups.push(() => run.kill());

      const ready = JSON.parse(await run.line(/^\{"ready":true/, 60_000)) as unknown;
      // The API port serves HTTP and HTTPS; the telemetry WebSocket (9002) and the dashboard (7070) are not published by this line.
      expect(ready).toEqual({ ready: true, emulators: { pvs: { url: 'http://0.0.0.0:7080', httpsUrl: 'https://0.0.0.0:7080', wsUrl: 'ws://0.0.0.0:9002', firmware: 'pvs6-61839' } }, dashboard: 'http://0.0.0.0:7070/' });
      id = docker('ps', '-q', '--filter', 'ancestor=voltbench', '--filter', `publish=${port}`);
      expect(id).toMatch(/^[0-9a-f]{12}$/);
      cleanups.push(() => docker('ps', '-aq', '--filter', `id=${id}`) !== '' && docker('rm', '-f', id));

      expect(await new ControlClient(`http://127.0.0.1:${port}`).health()).toMatchObject({ status: 'ok', device: 'pvs' });
      expect(devicesOfKind(await new PvsClient({ baseUrl: `http://127.0.0.1:${port}`, retries: 0 }).deviceList(), 'inverter')).toHaveLength(24);
      // The image's HEALTHCHECK (every 5 s) reports healthy.
      for (let i = 0; docker('inspect', '--format', '{{.State.Health.Status}}', id) !== 'healthy'; i++) {
        expect(i, `no healthy state within 30 s:\n${docker('inspect', '--format', '{{json .State.Health}}', id)}`).toBeLessThan(60);
        await sleep(500);
      }

      // Ctrl+C: the emulators shut down, the process exits 0, and --rm removes the container.
      const exit = await run.interrupt(30_000);
      expect(exit, `still running 30 s after Ctrl+C:\n${run.tail()}`).not.toBeNull();
      expect(exit!.code, run.tail()).toBe(0);
      for (let i = 0; docker('ps', '-aq', '--filter', `id=${id}`) !== ''; i++) {
        expect(i, 'the container is still there 10 s after it stopped').toBeLessThan(20);
        await sleep(500);
      }
    });
  }, 600_000);

  describe('compose', skipWhen(composeMissing), () => {
    it(`${composeUpCommand()}: every service healthy, each emulator on its default port`, async () => {
      expect(built, 'the image build above failed').toBe(true);
      await withCleanup(async (cleanups) => {
        // Its own project name (not the folder's), so a stack of the reader's own is left alone.
        const project = `voltbench-docs-${process.pid}`;
        const env: Record<string, string> = { COMPOSE_PROJECT_NAME: project };
        // The documented line, always; a default port that stays taken here moves through its variable.
        cleanups.push(await lockDocumentedPorts());
        const listeners = BUILTIN_DEVICES.flatMap((device) => publishedPorts(device));
        const hostPorts = await documentedPorts(listeners.map((l) => l.port));
        for (const { variable, port } of listeners) if (hostPorts.get(port) !== port) env[variable] = String(hostPorts.get(port));
        const ports = (port: number) => hostPorts.get(port)!;
        const up = new ForegroundCommand(composeUpCommand(), plainEnvironment(env));
        const down = compose === 'plugin' ? 'docker compose down --timeout 5' : 'docker-compose down --timeout 5';
        cleanups.push(async () => {
          up.kill();
          await shell(down, { env: plainEnvironment(env), timeoutMs: 90_000 });
        });

        // Every service's container reports healthy (the compose file's health check).
        const deadline = Date.now() + 120_000;
        for (;;) {
          expect(up.running, `"${up.command}" exited:\n${up.tail()}`).toBe(true);
          const states = docker('ps', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Label "com.docker.compose.service"}} {{.Status}}')
            .split('\n')
            .filter((l) => l !== '');
          if (states.length === BUILTIN_DEVICES.length && states.every((s) => s.includes('(healthy)'))) break;
          expect(Date.now(), `not every service healthy within 120 s: ${states.join('; ')}\n${up.tail()}`).toBeLessThan(deadline);
          await sleep(1_000);
        }

        const control = { pvs: ports(7080), senec: ports(7081), growatt: ports(7082), ups: ports(7090) };
        for (const [device, port] of Object.entries(control)) {
          expect(await new ControlClient(`http://127.0.0.1:${port}`).health()).toMatchObject({ status: 'ok', device });
        }
        const ups = new KehuaUpsClient({ transport: `tcp://127.0.0.1:${ports(7083)}`, retries: 0 });
        try {
          expect(await ups.readAddress()).toBe(1);
        } finally {
          await ups.close();
        }

        // Ctrl+C stops the services.
        const exit = await up.interrupt(60_000);
        expect(exit, `still running 60 s after Ctrl+C:\n${up.tail()}`).not.toBeNull();
        expect(docker('ps', '-q', '--filter', `label=com.docker.compose.project=${project}`)).toBe('');
      });
    }, 600_000);
  });
});
