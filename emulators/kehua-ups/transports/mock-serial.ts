// The UPS on a `serialport` mock port, for in-process clients:
//
//   const port = new SerialPortMock({ path: '/dev/ttyUPS0', baudRate: 9600 });
//   port.write('~21012A410000FDA4\r');   // → the reply arrives as 'data'
//
// @serialport/binding-mock has no hook for what a client writes (it only records `lastWrite`), so
// the binding's `open` is wrapped: when a port we serve is opened, its `write` also feeds an
// emulator link and the link's replies come back through `emitData`, as if the UPS had sent them.
//
// `serialport` is CommonJS and requires the binding's CommonJS build; an ESM `import` of
// '@serialport/binding-mock' loads its ESM build, a second copy with its own port table. Both copies
// are served, so `new SerialPortMock(...)` and `new SerialPortStream({ binding: MockBinding, ... })`
// with an ESM-imported MockBinding both reach the emulator.

import { SerialPortMock } from 'serialport';
// The package's `exports` name no types for its ESM build; the CommonJS declarations describe both.
import type { MockBindingInterface, MockPortBinding } from '@serialport/binding-mock' with { 'resolution-mode': 'require' };
import type { UpsEmulator } from '../emulator.js';
import type { UpsLink } from '../link.js';

/** The binding `SerialPortMock` uses (the CommonJS copy). */
export const mockBinding: MockBindingInterface = SerialPortMock.binding;

// A computed specifier, so TypeScript does not look for the ESM build's (missing) declarations.
const ESM_BINDING_MODULE: string = '@serialport/binding-mock';
const esmBinding = ((await import(ESM_BINDING_MODULE)) as { MockBinding: MockBindingInterface }).MockBinding;
const BINDINGS: readonly MockBindingInterface[] = [...new Set([mockBinding, esmBinding])];
const served = new Map<string, (port: MockPortBinding) => void>();
/** Unread bytes a mock port holds for its client (Linux's tty read buffer is 4 KiB); more are lost. */
export const MOCK_RX_BUFFER_BYTES = 4096;
const wrapped = new WeakSet<MockBindingInterface>();

function wrapOpen(binding: MockBindingInterface): void {
  if (wrapped.has(binding)) return;
  wrapped.add(binding);
  const open = binding.open.bind(binding);
  binding.open = async (options) => {
    const port = await open(options);
    served.get(options.path)?.(port);
    return port;
  };
}

export interface MockSerialPort {
  readonly path: string;
  /** Ports opened on this path so far and still open. */
  readonly openPorts: number;
  /** Stops serving the path; open ports stop getting replies. */
  close(): void;
}

/**
 * Creates a mock serial port at `path` answered by `ups`. The port can be opened and closed any
 * number of times; each open gets its own link (frame reader, reply queue). MockBinding.reset()
 * forgets the port: serve it again after a reset.
 */
export function serveMockPort(ups: UpsEmulator, path: string): MockSerialPort {
  if (served.has(path)) throw new Error(`mock serial port ${path} is already served by an emulator`);
  const links = new Set<UpsLink>();
  for (const binding of BINDINGS) {
    wrapOpen(binding);
    binding.createPort(path, { echo: false, record: false });
  }
  served.set(path, (port) => {
    const link = ups.connect(
      (chunk) => {
        // A master that does not read loses what overflows its receive buffer, as a UART does.
        if (port.isOpen && (port.port?.data.length ?? 0) < MOCK_RX_BUFFER_BYTES) port.emitData(chunk);
      },
      // update({ baudRate }) changes the port table's options, not the binding's openOptions.
      { transport: path, peerBaudRate: () => port.port.openOpt?.baudRate ?? port.openOptions.baudRate },
    );
    links.add(link);
    const write = port.write.bind(port);
    port.write = async (buffer: Buffer) => {
      await write(buffer);
      link.receive(buffer);
    };
    const close = port.close.bind(port);
    port.close = async () => {
      link.close();
      links.delete(link);
      await close();
    };
  });
  return {
    path,
    get openPorts() {
      return links.size;
    },
    close() {
      served.delete(path);
      for (const link of links) link.close();
      links.clear();
    },
  };
}
