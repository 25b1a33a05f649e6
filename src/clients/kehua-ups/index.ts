/** Typed client of a KEHUA UPS (YD/T 1363.3, UL33 map) over a `serialport` port or a TCP serial bridge. */
export {
  KehuaUpsClient,
  backoffDelay,
  defaultSleep,
  type KehuaUpsClientOptions,
  type RequestOptions,
  type SleepFn,
  type UpsReply,
  type GxeReading,
} from './client.js';
export { statusFromGxe, statusFromUl33, type UpsAlarms, type UpsCharger, type UpsStatus, type UpsSupply } from './status.js';
export * from './errors.js';
export { FrameExchange, type ExchangeFailure, type ExchangeResult, type TraceEvent } from './frame-exchange.js';
export { openTransport, describeTarget, type UpsTarget } from './open-transport.js';
export { isUpsTransport, parseTcpUrl, type TcpTarget, type TransportSink, type UpsTransport } from './transport.js';
export { openTcpTransport } from './tcp-transport.js';
export {
  DEFAULT_BAUD_RATE,
  isSerialPortLike,
  openSerialPath,
  useSerialPort,
  type SerialBindingLike,
  type SerialPathTarget,
  type SerialPortLike,
} from './serial-transport.js';
export {
  buildSnapshot,
  commandReading,
  dataFlagBits,
  parseVendorInfo,
  pointReading,
  VENDOR_INFO_BYTES,
  type CommandReading,
  type DataFlagBits,
  type PointReading,
  type PointReadings,
  type UpsSnapshot,
  type VendorInfo,
} from './readings.js';
export { RemoteControl, type RemoteCommand } from './remote-control.js';
export type { LayoutProfile, Ul33PointKey, UpsDialect } from '../../../contracts/kehua-ups/index.js';
