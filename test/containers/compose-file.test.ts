/**
 * The container configuration follows the device descriptors: docker-compose.yml is what
 * docker/compose-file.ts writes from them, and the image exposes every listener's default port.
 * Plain file checks: no container engine needed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DEVICES } from '../../emulators/devices.js';
import { DEVICE_PORTS } from '../../src/testing/container.js';
import { COMPOSE_FILE, composeFile, hostPortVariable, publishedPorts } from '../../docker/compose-file.js';
import { REPO_ROOT } from './engine.js';
import { DEFAULT_DASHBOARD_PORT } from '../../src/dashboard/port.js';

describe('container configuration from the device descriptors', () => {
  it('docker-compose.yml is what docker/compose-file.ts writes (regenerate: npm run compose-file)', () => {
    expect(readFileSync(COMPOSE_FILE, 'utf8'), 'docker-compose.yml is stale: run "npm run compose-file"').toBe(composeFile());
  });

  it('docker-compose.yml has one service per built-in device, publishing each of its listeners on its default port', () => {
    const text = composeFile();
    for (const device of BUILTIN_DEVICES) {
      expect(text).toContain(`\n  ${device.name}:\n`);
      expect(text).toContain(`VOLTBENCH_ONLY: ${device.name}\n`);
      for (const { variable, port } of publishedPorts(device)) expect(text).toContain(`:\${${variable}:-${port}}:${port}"`);
    }
    expect(hostPortVariable('senec-https-port')).toBe('SENEC_HTTPS_HOST_PORT');
    expect(hostPortVariable('ups-control-port')).toBe('UPS_CONTROL_HOST_PORT');
  });

  it("the Dockerfile's EXPOSE lists exactly the built-in devices' listener ports and the dashboard's", () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    const exposed = dockerfile.match(/^EXPOSE (.+)$/m)?.[1]?.trim().split(/\s+/).map(Number);
    expect(new Set(exposed)).toEqual(new Set([...Object.values(DEVICE_PORTS).flat(), DEFAULT_DASHBOARD_PORT]));
  });

  it('docker-compose.yml turns the dashboard off (one device per container)', () => {
    expect(composeFile()).toContain('VOLTBENCH_NO_DASHBOARD: "true"');
  });
});
