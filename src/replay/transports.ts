// Which transport(s) an HTTP recording is served on, and on which ports by default. A recording keeps two
// transports apart: the device's (`header.transport`, how the recorder reached it) and each client's
// (`exchange.client`, how the client reached the recorder). By default a replay serves the clients' transports,
// so a client that talked plain HTTP to the recorder in front of an HTTPS device replays without a URL change.

import type { DeviceName } from '../../emulators/registry.js';
import type { ClientTransport, HttpExchange, RecordingHeader } from '../recording/format.js';
import { defaultDevicePort } from '../recording/ports.js';
import type { Recording } from './read.js';

export const REPLAY_TRANSPORTS = ['client', 'device'] as const;
/** `client`: the transport(s) the recorded clients used to reach the recorder; `device`: the device's own. */
export type ReplayTransport = (typeof REPLAY_TRANSPORTS)[number];

/** Options that cannot be served as asked (a person can fix them: the CLI shows them as usage errors). */
export class TransportConfigError extends Error {
  override readonly name = 'TransportConfigError';
}

/** The device's transport in an HTTP recording. */
export function deviceTransport(header: RecordingHeader): ClientTransport {
  return header.transport === 'https' ? 'https' : 'http';
}

/** The transport a recorded client used; an exchange recorded before the recorder wrote it counts as the device's. */
export function clientTransport(exchange: HttpExchange, header: RecordingHeader): ClientTransport {
  return exchange.client ?? deviceTransport(header);
}

/**
 * The transports an HTTP recording is served on, the main one first. `client`: each transport the recorded clients
 * used, in order of first use (the device's when the recording has no exchange); `device`: the device's.
 */
export function servedTransports(recording: Recording, choice: ReplayTransport = 'client'): ClientTransport[] {
  if (choice === 'device') return [deviceTransport(recording.header)];
  const used = new Set<ClientTransport>();
  for (const exchange of recording.exchanges) if (exchange.type === 'http') used.add(clientTransport(exchange, recording.header));
  return used.size > 0 ? [...used] : [deviceTransport(recording.header)];
}

/** The port a device is served on by default (the one `voltbench up` uses for it over that transport). */
export function defaultReplayPort(device: DeviceName, https: boolean): number {
  return defaultDevicePort(device, device === 'ups' ? 'serial' : https ? 'https' : 'http');
}

/**
 * The default port of a listener beside the main one (the clients used both transports): any free port when the main
 * one takes any free port, else the device's port for that transport, unless the main listener has it (a device with
 * one default port): then the error says how to give one. `flag`/`option`: where this listener's port can be given.
 */
export function secondListenerPort(device: DeviceName, transport: ClientTransport, mainPort: number, given?: { flag: string; option: string }): number {
  if (mainPort === 0) return 0;
  const port = defaultReplayPort(device, transport === 'https');
  if (port !== mainPort) return port;
  const name = transport === 'https' ? 'HTTPS' : 'plain HTTP';
  throw new TransportConfigError(
    `the recorded ${device} clients used both plain HTTP and HTTPS, and the ${name} listener's default port ${port} is the main listener's: ` +
      `give the main listener another port (--listen)${given ? `, or the ${name} listener its own (${given.flag}, \`${given.option}\`)` : ''}, or serve the device's transport alone (--transport device)`,
  );
}
