import type { DeviceName } from '../../emulators/registry.js';
import { ControlClient, UpsControlClient } from './control-client.js';

/** How one running device is reached: its listeners' URLs (by listener name) and its ready-line entry. */
export interface DeviceAddress {
  /** E.g. `{ api: 'http://…' }`; the SENEC has `api` (plain HTTP) and `https`, the UPS `api` (tcp://) and `control`. */
  urls: Readonly<Record<string, string>>;
  /** Which listener serves the `/__emu` control API. */
  controlListener: string;
  /** The device's entry in the ready line (`firmware`, `token`, …). */
  ready: Readonly<Record<string, string>>;
}

/** Where each running emulator can be reached, by device name; a device is absent when it was not started. */
export type EmulatorAddresses = Readonly<Record<string, DeviceAddress>>;

/**
 * The same getters whether voltbench runs in this process (`startVoltbench`) or in a container
 * (`VoltbenchContainer`), so a test suite can run against either.
 */
export interface VoltbenchEndpoints {
  getPvsUrl(): string;
  /** Plain HTTP: the device API on v21-0824 firmware, the control API always. */
  getSenecUrl(): string;
  /** HTTPS: the device API on V3 firmware. */
  getSenecHttpsUrl(): string;
  getSenecFirmware(): string;
  /** The server root: clients append /v1/…. */
  getGrowattUrl(): string;
  /** The same port over HTTPS; the certificate names the cloud's hosts, its CA is at `/__emu/tls/ca.pem`. */
  getGrowattHttpsUrl(): string;
  /** The demo account's token. */
  getGrowattToken(): string;
  /** Raw serial bytes over TCP (`tcp://host:port`). */
  getUpsUrl(): string;
  getUpsControlUrl(): string;
  /** A listener's URL of any device, your own included (default its first listener). */
  getUrl(device: string, listener?: string): string;
  /** Base URL of the device's `/__emu` control API. */
  getControlUrl(device: DeviceName | string): string;
  /** Typed client of the device's control API. */
  control(device: 'ups'): UpsControlClient;
  control(device: DeviceName | string): ControlClient;
}

/** Implements VoltbenchEndpoints over a table of addresses; asking for a device not started throws. */
export class EndpointTable implements VoltbenchEndpoints {
  constructor(readonly addresses: EmulatorAddresses) {}

  getPvsUrl(): string {
    return this.getUrl('pvs', 'api');
  }

  getSenecUrl(): string {
    return this.getUrl('senec', 'api');
  }

  getSenecHttpsUrl(): string {
    return this.getUrl('senec', 'https');
  }

  getSenecFirmware(): string {
    return this.need('senec').ready['firmware'] ?? '';
  }

  getGrowattUrl(): string {
    return this.getUrl('growatt', 'api');
  }

  getGrowattHttpsUrl(): string {
    // One listener takes both schemes (http+https): its URL is listed as http://.
    return this.getUrl('growatt', 'api').replace(/^http:/, 'https:');
  }

  getGrowattToken(): string {
    return this.need('growatt').ready['token'] ?? '';
  }

  getUpsUrl(): string {
    return this.getUrl('ups', 'api');
  }

  getUpsControlUrl(): string {
    return this.getUrl('ups', 'control');
  }

  getUrl(device: string, listener?: string): string {
    const entry = this.need(device);
    const name = listener ?? Object.keys(entry.urls)[0];
    const url = name === undefined ? undefined : entry.urls[name];
    if (url === undefined) throw new Error(`the ${device} emulator has no listener "${listener}" (it has: ${Object.keys(entry.urls).join(', ')})`);
    return url;
  }

  getControlUrl(device: string): string {
    return this.getUrl(device, this.need(device).controlListener);
  }

  control(device: 'ups'): UpsControlClient;
  control(device: string): ControlClient;
  control(device: string): ControlClient {
    const url = this.getControlUrl(device);
    return device === 'ups' ? new UpsControlClient(url) : new ControlClient(url);
  }

  private need(device: string): DeviceAddress {
    const entry = this.addresses[device];
    if (entry === undefined) {
      const running = Object.keys(this.addresses);
      throw new Error(`the ${device} emulator is not running (running: ${running.length > 0 ? running.join(', ') : 'none'})`);
    }
    return entry;
  }
}
