import type { DeviceName } from '../../emulators/registry.js';
import { ControlClient, UpsControlClient } from './control-client.js';

/** Where each running emulator can be reached; a device is absent when it was not started. */
export interface EmulatorAddresses {
  pvs?: { url: string };
  /** `url` is plain HTTP (the device API on v21-0824 firmware, the control API always); `httpsUrl` the device API on V3 firmware. */
  senec?: { url: string; httpsUrl: string; firmware: string };
  /** `url` is the server root: clients append /v1/…; `token` the demo account's token. */
  growatt?: { url: string; token: string };
  /** `url` is raw serial bytes over TCP (`tcp://host:port`); `controlUrl` the HTTP control API. */
  ups?: { url: string; controlUrl: string };
}

/**
 * The same getters whether voltbench runs in this process (`startVoltbench`) or in a container
 * (`VoltbenchContainer`), so a test suite can run against either.
 */
export interface VoltbenchEndpoints {
  getPvsUrl(): string;
  getSenecUrl(): string;
  getSenecHttpsUrl(): string;
  getSenecFirmware(): string;
  getGrowattUrl(): string;
  getGrowattToken(): string;
  getUpsUrl(): string;
  getUpsControlUrl(): string;
  /** Base URL of the device's `/__emu` control API. */
  getControlUrl(device: DeviceName): string;
  /** Typed client of the device's control API. */
  control(device: 'ups'): UpsControlClient;
  control(device: DeviceName): ControlClient;
}

/** Implements VoltbenchEndpoints over a table of addresses; asking for a device not started throws. */
export class EndpointTable implements VoltbenchEndpoints {
  constructor(readonly addresses: Readonly<EmulatorAddresses>) {}

  getPvsUrl(): string {
    return this.need('pvs').url;
  }

  getSenecUrl(): string {
    return this.need('senec').url;
  }

  getSenecHttpsUrl(): string {
    return this.need('senec').httpsUrl;
  }

  getSenecFirmware(): string {
    return this.need('senec').firmware;
  }

  getGrowattUrl(): string {
    return this.need('growatt').url;
  }

  getGrowattToken(): string {
    return this.need('growatt').token;
  }

  getUpsUrl(): string {
    return this.need('ups').url;
  }

  getUpsControlUrl(): string {
    return this.need('ups').controlUrl;
  }

  getControlUrl(device: DeviceName): string {
    return device === 'ups' ? this.getUpsControlUrl() : this.need(device).url;
  }

  control(device: 'ups'): UpsControlClient;
  control(device: DeviceName): ControlClient;
  control(device: DeviceName): ControlClient {
    const url = this.getControlUrl(device);
    return device === 'ups' ? new UpsControlClient(url) : new ControlClient(url);
  }

  private need<D extends DeviceName>(device: D): NonNullable<EmulatorAddresses[D]> {
    const entry = this.addresses[device];
    if (entry === undefined) {
      const running = Object.keys(this.addresses);
      throw new Error(`the ${device} emulator is not running (running: ${running.length > 0 ? running.join(', ') : 'none'})`);
    }
    return entry;
  }
}
