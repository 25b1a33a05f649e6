// Writes docker-compose.yml from the device descriptors: one service per built-in device
// (emulators/devices.ts), publishing each of its listeners (listenerPlan) on its default port, with
// every option the descriptor declares passed through as its VOLTBENCH_* variable. A test keeps the
// committed file equal to what this writes.
//   npm run compose-file        (node --import tsx docker/compose-file.ts)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILTIN_DEVICES } from '../emulators/devices.js';
import type { AnyDeviceDescriptor } from '../emulators/core/device/descriptor.js';
import { deviceFlags, listenerPlan } from '../emulators/core/device/options.js';

export const COMPOSE_FILE = fileURLToPath(new URL('../docker-compose.yml', import.meta.url));

/** The compose variable that sets a listener's published port: `senec-https-port` → `SENEC_HTTPS_HOST_PORT`. */
export function hostPortVariable(portFlag: string): string {
  return `${portFlag.replace(/-port$/, '').toUpperCase().replaceAll('-', '_')}_HOST_PORT`;
}

/** Every published port of a device: its compose variable and its port (inside the container and, by default, on the host). */
export function publishedPorts(descriptor: AnyDeviceDescriptor): { variable: string; port: number; kind: string; description: string }[] {
  return listenerPlan(descriptor).map((l) => ({ variable: hostPortVariable(l.flag), port: l.spec.defaultPort, kind: l.spec.kind, description: l.spec.description }));
}

const HEADER = `# voltbench: one service per emulator, each its own container built from this repository.
# GENERATED from the device descriptors by docker/compose-file.ts (npm run compose-file): edit that.
#   docker compose up            (or docker-compose up; override with a .env file or the shell)
#   VOLTBENCH_SEED=7 VOLTBENCH_SCENARIO=<name> docker compose up
#
# One world across the services: every container runs the same world model from the same seed on
# the same clock. The world is a pure function of (seed, time) and the clock runs at real speed from
# "now", so each container's virtual time is wall time: all of them see the same sun, clouds and
# household load at every instant. A scenario (scripted weather, outages) plays in each container on
# a clock that starts at the scenario's start time, so the containers agree to within how far apart
# they started. What does not cross containers: an ad-hoc change through one service's control API
# (PATCH /__emu/world, POST /__emu/clock) reaches that service only; script shared events in a
# scenario instead. The file offers no speed or start time for the same reason: at any speed but 1
# the containers' clocks would drift apart by their start skew times (speed - 1).
#
# Every device option is passed through under its image variable (VOLTBENCH_SENEC_FIRMWARE=v21-0824
# docker compose up); empty means unset, so the device's default applies. Ports are published on
# 127.0.0.1 only (set VOLTBENCH_BIND=0.0.0.0 to expose them), each on its default port unless its
# <LISTENER>_HOST_PORT variable says otherwise; containers on the compose network reach the
# emulators by service name (http://pvs:7080, tcp://ups:7083, …).
version: "2.4"

x-voltbench: &voltbench
  image: voltbench:\${VOLTBENCH_TAG:-latest}
  build:
    context: .
    args:
      # An official Node LTS image; set VOLTBENCH_BASE_IMAGE where no registry is reachable.
      BASE_IMAGE: \${VOLTBENCH_BASE_IMAGE:-node:24-bookworm-slim}
  volumes:
    - ./scenarios:/app/scenarios:ro
  healthcheck:
    test: ["CMD", "node", "/app/docker/healthcheck.mjs"]
    interval: 5s
    timeout: 4s
    retries: 3
    start_period: 10s

x-world: &world
  # Empty = unset: voltbench's default seed, or the scenario's own.
  VOLTBENCH_SEED: \${VOLTBENCH_SEED:-}
  VOLTBENCH_SCENARIO: \${VOLTBENCH_SCENARIO:-}
  # The dashboard shows the devices of one process: here each container has one device and its own
  # world, so it is off (docker run -p 7070:7070 voltbench runs all four with one dashboard).
  VOLTBENCH_NO_DASHBOARD: "true"

services:`;

function service(descriptor: AnyDeviceDescriptor): string {
  const options = deviceFlags(descriptor).filter((f) => 'option' in f.target);
  const lines = [
    `  # ${descriptor.title}`,
    `  ${descriptor.name}:`,
    '    <<: *voltbench',
    '    environment:',
    '      <<: *world',
    `      VOLTBENCH_ONLY: ${descriptor.name}`,
    ...options.map((f) => `      ${f.env}: \${${f.env}:-}`),
    '    ports:',
    ...publishedPorts(descriptor).map((p) => `      # ${p.description}\n      - "\${VOLTBENCH_BIND:-127.0.0.1}:\${${p.variable}:-${p.port}}:${p.port}"`),
  ];
  return lines.join('\n');
}

/** The whole docker-compose.yml for these devices (default: the built-in ones). */
export function composeFile(devices: readonly AnyDeviceDescriptor[] = BUILTIN_DEVICES): string {
  return `${[HEADER, ...devices.map(service)].join('\n\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(COMPOSE_FILE, composeFile());
  console.log(`wrote ${COMPOSE_FILE}`);
}
