// The poll the KEHUA UPS benchmark repeats, shared by the polling side and the server child: the
// 10 data commands of the UL33 map as KehuaUpsClient.snapshot() sends them (VER 21H, ADR 01H,
// empty INFO).
import { CID1_UPS, DEFAULT_VER, UL33_COMMANDS, encodeFrame } from '../contracts/kehua-ups/index.js';

export const POLL_REQUESTS: readonly string[] = UL33_COMMANDS.map((cid2) =>
  encodeFrame({ ver: DEFAULT_VER, adr: 0x01, cid1: CID1_UPS, cid2, info: new Uint8Array(0) }),
);

/** The child's ready line. */
export interface UpsServersReady {
  /** The emulator's raw-serial TCP bridge. */
  emulatorUrl: string;
  /** A bare responder serving precomputed replies to POLL_REQUESTS. */
  bareUrl: string;
  /** Bytes on the line per poll, each way. */
  requestBytes: number;
  replyBytes: number;
}
