// Test support: a master that behaves as NUT's liebert-gxe driver does (networkupstools/nut
// drivers/liebert-gxe.c and drivers/ydn23.h, read for facts; this is our own code). It sends the
// driver's frames byte for byte, accepts a reply as `ydn23_frame_read` does (SOI, RTN 00H, at most 128
// INFO characters, CHKSUM), reads the driver's character offsets directly from the text (not through
// contracts/kehua-ups/gxe.ts, so the contract is checked too) and keeps the variables it would set.

import { decodeFrame } from '../../contracts/kehua-ups/index.js';

/**
 * A request as `ydn23_frame_init` builds it: LENGTH = LCHKSUM nibble + LENID, CHKSUM = two's
 * complement of the sum of the characters from VER to the end of INFO.
 */
export function nutFrame(ver: string, adr: string, cid: string, info = ''): string {
  const lenid = info.length;
  const lchk = (16 - (((lenid & 0xf) + ((lenid >> 4) & 0xf) + ((lenid >> 8) & 0xf)) % 16)) % 16;
  const body = `${ver}${adr}${cid}${((lchk << 12) | lenid).toString(16).toUpperCase().padStart(4, '0')}${info}`;
  let sum = 0;
  for (const c of body) sum += c.charCodeAt(0);
  return `~${body}${((0x10000 - (sum % 0x10000)) % 0x10000).toString(16).toUpperCase().padStart(4, '0')}\r`;
}

/** The driver's request frames for the default addr=01, written out. */
export const NUT_GXE_FRAMES = {
  vendorInfo: '~21012A510000FDA3\r', // upsdrv_initinfo
  sysParam: '~21012A470000FD9E\r', // upsdrv_updateinfo_sysparam
  warning: '~21012A440000FDA1\r', // upsdrv_updateinfo_warning
  onOff: '~21012A430000FDA2\r', // upsdrv_updateinfo_onoff
  analog: '~21012A420000FDA3\r', // upsdrv_updateinfo_analog
  // instcmd passes (devaddr, "21") where the others pass ("21", devaddr): VER 01H, ADR 21H.
  testStart: '~01212A45C0041002FCC6\r',
  testStop: '~01212A45C0041003FCC5\r',
  loadOn: '~01212A45C0042001FCC6\r',
  loadOff: '~01212A45C0042003FCC4\r',
} as const;

/** A line: writes a frame, resolves to the next reply frame (`~`…CR) or null after `timeoutMs`. */
export type Line = (frame: string, timeoutMs: number) => Promise<string | null>;

type PollState = 'sysparam' | 'warning' | 'onoff' | 'analog';

const WARNINGS: readonly (string | null)[] = [
  null, 'Inverter Out-of-Sync', 'Unhealthy Main Circuit', 'Rectifier Failure', 'Inverter Failure', 'Unhealthy Bypass',
  'Unhealthy Battery Voltage', null, null, 'Power Module Overheated', 'Unhealthy Fan', 'Netural Input Missing',
  'Master Line Abnormally Turned-off', 'Charger Failure', 'Battery Discharge Declined', 'Backup Power Supply Failure',
  'Ouput Overloaded', 'Ouput Shorted', 'Overload Timed-out', 'Unhealthy Parallel Machine Current',
  'Parallel Machine Connection Failure', 'Parallel Machine Address Error', 'Unhealthy Internal Communication',
  'System Overloaded', 'Battery Installed Backwards', 'Battery Not Found',
];

export class NutGxeMaster {
  /** What `upsc` would list. */
  readonly vars: Record<string, string> = {};
  status = '';
  alarms: string[] = [];
  /** The driver's warnings (unknown codes, failed reads), as it would log them. */
  readonly log: string[] = [];
  /** Every request sent, in order. */
  readonly sent: string[] = [];
  state: PollState = 'sysparam';

  /** `addr` is ups.conf's addr: two characters the driver puts in ADR (and, in 45H, in VER). */
  constructor(private readonly line: Line, private readonly timeoutMs = 2000, private readonly addr = '01') {}

  private frameOf(state: PollState | 'vendor'): string {
    const cid = { vendor: '2A51', sysparam: '2A47', warning: '2A44', onoff: '2A43', analog: '2A42' }[state];
    return nutFrame('21', this.addr, cid);
  }

  /** One exchange with the driver's three tries; the reply's INFO text, or null. */
  private async exchange(frame: string): Promise<string | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      this.sent.push(frame);
      const reply = await this.line(frame, this.timeoutMs);
      if (reply === null || reply[0] !== '~') continue;
      if (reply.slice(7, 9) !== '00') continue; // bad RTN: frame dropped
      const lenid = parseInt(reply.slice(10, 13), 16);
      if (lenid > 128) continue; // "bad LEN": frame dropped
      if (!decodeFrame(reply).ok) continue;
      return reply.slice(13, 13 + lenid);
    }
    return null;
  }

  async start(): Promise<void> {
    const info = await this.exchange(this.frameOf('vendor'));
    if (info === null) throw new Error('liebert-gxe: failed reading response');
    let name = '';
    for (let i = 0; i < 20; i += 2) {
      const c = parseInt(info.slice(i, i + 2), 16);
      if (c === 0x20) break;
      name += String.fromCharCode(c);
    }
    this.vars['ups.mfr'] = 'EmersonNetworkPower';
    this.vars['ups.model'] = name;
    this.state = 'sysparam';
  }

  /** One `upsdrv_updateinfo`. */
  async poll(): Promise<void> {
    const info = await this.exchange(this.frameOf(this.state));
    if (info === null) {
      this.log.push(`failed reading ${this.state}`);
      return;
    }
    const reg = (r: number, chars: number): number => parseInt(info.slice(2 * r, 2 * r + chars), 16);
    switch (this.state) {
      case 'sysparam':
        this.state = 'warning';
        this.vars['output.voltage.nominal'] = String(reg(9, 4));
        this.vars['output.frequency.nominal'] = String(reg(11, 4));
        if (reg(17, 4) === 1) this.vars['input.transfer.bypass.high'] = String(reg(9, 4) * 1.15);
        if (reg(19, 4) === 1) this.vars['input.transfer.bypass.low'] = '120';
        this.vars['ups.test.interval'] = String(reg(39, 4) * 3 * 108000);
        break;
      case 'warning':
        this.state = 'onoff';
        this.alarms = [];
        WARNINGS.forEach((name, i) => {
          if (name === null) return;
          const v = reg(1 + i, 2);
          if ([0x01, 0x02, 0x03, 0xf0].includes(v)) this.alarms.push(name);
          else if (![0x00, 0x0e, 0xe0].includes(v)) this.log.push(`unexpected warning val ${v.toString(16)}`);
        });
        break;
      case 'onoff': {
        this.state = 'analog';
        this.followDataflag(reg(0, 2));
        const pwr = reg(1, 2);
        const rect = reg(3, 2);
        if (pwr === 0x01 && rect === 0xe2) this.status = 'OB';
        else if (pwr === 0x01) this.status = 'OL';
        else if (pwr === 0x02) this.status = 'OL BYPASS';
        else {
          this.status = '';
          this.log.push(`unknown ups state: ${pwr.toString(16)} ${rect.toString(16)}`);
        }
        const battery = reg(4, 2);
        if (battery === 0xe0) this.vars['battery.charger.status'] = 'resting';
        else if (battery === 0xe1 || battery === 0xe2) this.vars['battery.charger.status'] = 'charging';
        else if (battery === 0xe3) this.vars['battery.charger.status'] = 'discharging';
        else this.log.push('unknown battery status, ignored');
        const test = reg(5, 2);
        if (test === 0xe0) this.vars['ups.test.result'] = 'In progress';
        else if (test === 0xe1) this.vars['ups.test.result'] = 'Idle';
        else this.log.push('unknown battery test state, ignored');
        break;
      }
      case 'analog': {
        this.followDataflag(reg(0, 2));
        const volt = Math.trunc(reg(1, 4) / 100);
        if (volt === 0 && this.status.split(' ').includes('OL')) {
          this.status = 'OB';
          this.state = 'warning';
        }
        if (volt > 0 && this.status.split(' ').includes('OB')) {
          this.status = 'OL';
          this.state = 'warning';
        }
        const hundredths = (r: number) => (reg(r, 4) / 100).toFixed(2);
        this.vars['input.voltage'] = hundredths(1);
        this.vars['output.voltage'] = hundredths(7);
        this.vars['output.current'] = hundredths(13);
        this.vars['battery.voltage'] = hundredths(19);
        this.vars['output.frequency'] = hundredths(21);
        this.vars['input.frequency'] = hundredths(27);
        this.vars['ups.realpower'] = String(reg(33, 4) * 10);
        this.vars['ups.power'] = String(reg(35, 4) * 10);
        this.vars['battery.runtime.low'] = ((reg(41, 4) / 100) * 60).toFixed(2);
        break;
      }
    }
  }

  private followDataflag(dflag: number): void {
    if (dflag & 0x10) this.state = 'onoff';
    if (dflag & 0x01) this.state = 'warning';
  }

  /** Polls until a 43H and then a 42H have been read (at most 10 polls), as upsd sees it some polls after a change. */
  async pollRound(): Promise<void> {
    let onOffRead = false;
    for (let i = 0; i < 10; i++) {
      const was = this.state;
      await this.poll();
      if (was === 'onoff') onOffRead = true;
      if (was === 'analog' && onOffRead) return;
    }
    throw new Error(`no 43H then 42H within 10 polls: ${this.log.join('; ')}`);
  }

  /** `upscmd`: true when the driver reports the command handled. */
  async instcmd(name: 'test.battery.start' | 'test.battery.stop' | 'load.on' | 'load.off'): Promise<boolean> {
    const data = { 'test.battery.start': '1002', 'test.battery.stop': '1003', 'load.on': '2001', 'load.off': '2003' }[name];
    // The driver's argument order: (cmd, devaddr, "21", …) puts addr in VER and 21 in ADR.
    const frame = nutFrame(this.addr, '21', '2A45', data);
    const handled = (await this.exchange(frame)) !== null;
    if (handled) this.state = 'sysparam';
    else this.log.push('instcmd: remote failed response, try again');
    return handled;
  }
}
