/**
 * Firmware profiles: the behaviour that differs between device generations and firmware releases
 * (notes §1.5, §12). Key-level type differences live in the catalogue (`typeIn`); this module holds
 * transport and identity data per profile.
 */

/** In firmware order; `v21-0824` is the last HTTP-only release, 0825 switched to HTTPS. */
export const PROFILE_IDS = ['v21-0824', 'v3-0825', 'v3-0826', 'v3-npu2411'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

export interface ProfileIdentity {
  /** `FACTORY.SYS_TYPE` */
  readonly sysType: number;
  /** `BAT1.TYPE` */
  readonly batteryType: number;
  /** `WIZARD.APPLICATION_VERSION` / `FIRMWARE_VERSION` / `INTERFACE_VERSION` (all `st_`). */
  readonly applicationVersion: string;
  readonly firmwareVersion: string;
  readonly interfaceVersion: string;
  /** `SYS_UPDATE.NPU_VER` (u1 on V2.1, u8 on V3) and `NPU_IMAGE_VERSION` (u1). */
  readonly npuVer: number;
  readonly npuImageVersion: number;
}

export interface FirmwareProfile {
  readonly id: ProfileId;
  readonly description: string;
  readonly model: 'V2.1' | 'V3';
  /** HTTP only up to 0824; HTTPS only (port 80 refused, no redirect) from 0825. */
  readonly transport: 'http' | 'https';
  /** `live`: STATISTIC.LIVE_* present; `emptied`: `{}` for the object, VARIABLE_NOT_FOUND per key (0825+). */
  readonly statistic: 'live' | 'emptied';
  /** `senec-homev3-gui` session cookie on replies (NPU image ≥ 2411). */
  readonly sessionCookie: boolean;
  readonly varsPagePath: string;
  /** `{yyyy}/{mm}/{dd}` are the UTC date. */
  readonly logPathTemplate: string;
  /** Plausible identity values; `evidence` says where they come from. */
  readonly identity: ProfileIdentity;
  readonly evidence: string;
}

export const PROFILES: Readonly<Record<ProfileId, FirmwareProfile>> = {
  'v21-0824': {
    id: 'v21-0824',
    description: 'SENEC.Home V2.1 before the August 2023 update: plain HTTP, STATISTIC.LIVE_* present (what pysenec needs)',
    model: 'V2.1',
    transport: 'http',
    statistic: 'live',
    sessionCookie: false,
    varsPagePath: '/vars.html',
    logPathTemplate: '//Log/{yyyy}/{mm}/{dd}.log',
    identity: {
      sysType: 15,
      batteryType: 3,
      applicationVersion: '0824',
      firmwareVersion: '2011',
      interfaceVersion: '0941',
      npuVer: 10,
      npuImageVersion: 2011,
    },
    evidence:
      'pysenec cassette (V2.1, pre-0825); SYS_TYPE 15 and u1 NPU_VER from notes §4.3/§5.5; GUI revision 0941 from upitupvogel/senec; NPU image 2011 is the seed example and the notes\' "old NPU firmware"',
  },
  'v3-0825': {
    id: 'v3-0825',
    description: 'First HTTPS firmware (0825 / MCU 3825): STATISTIC emptied, vars page /Vars.html',
    model: 'V3',
    transport: 'https',
    statistic: 'emptied',
    sessionCookie: false,
    varsPagePath: '/Vars.html',
    logPathTemplate: '//Log/{yyyy}/{mm}/{dd}.log',
    identity: {
      sysType: 17,
      batteryType: 4,
      applicationVersion: '0825',
      firmwareVersion: '2307',
      interfaceVersion: '0966',
      npuVer: 10,
      npuImageVersion: 2307,
    },
    evidence:
      'revision list in evcc-io/evcc#9488 (MCU 3825, NPU image 2307, NPU-REGS 10); FIRMWARE/INTERFACE version from the 0825 read_version dump in mchwalisz/home-assistant-senec#47',
  },
  'v3-0826': {
    id: 'v3-0826',
    description: 'V3 firmware 0826 (the seed\'s basis): STATISTIC/FILE/DISPLAY/TEST/UPDATE answer {}, vars page //vars.html',
    model: 'V3',
    transport: 'https',
    statistic: 'emptied',
    sessionCookie: false,
    varsPagePath: '//vars.html',
    logPathTemplate: '//log/{yyyy}/{mm}/{dd}.log',
    identity: {
      sysType: 17,
      batteryType: 4,
      applicationVersion: '0826',
      firmwareVersion: '954',
      interfaceVersion: '1964',
      npuVer: 9,
      npuImageVersion: 2011,
    },
    evidence: 'seed tables (SYS_TYPE 17, BAT_TYPE 4, NPU_VER 9, NPU_IMAGE_VERSION 2011, FIRMWARE 954, INTERFACE 1964); APPLICATION_VERSION st_0826 from the solectrus cassette',
  },
  'v3-npu2411': {
    id: 'v3-npu2411',
    description: 'V3 hybrid duo LFP on NPU image 2411: session cookie, ha-senec-v3 takes its ≥ 2408 code path',
    model: 'V3',
    transport: 'https',
    statistic: 'emptied',
    sessionCookie: true,
    varsPagePath: '//vars.html',
    logPathTemplate: '//log/{yyyy}/{mm}/{dd}.log',
    identity: {
      sysType: 21,
      batteryType: 4,
      applicationVersion: '0833',
      firmwareVersion: '2307',
      interfaceVersion: '0970',
      npuVer: 3,
      npuImageVersion: 2411,
    },
    evidence: 'decoded version block in marq24/ha-senec-v3#133 and #135 (SYS_TYPE 21, 0833/2307/0970, NPU 3/2411)',
  },
};

export function isProfileId(s: string): s is ProfileId {
  return (PROFILE_IDS as readonly string[]).includes(s);
}

/** Concrete log file path for a UTC instant, e.g. `//log/2023/10/05.log`. */
export function logPathFor(profile: ProfileId, utc: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return PROFILES[profile].logPathTemplate
    .replace('{yyyy}', String(utc.getUTCFullYear()))
    .replace('{mm}', pad(utc.getUTCMonth() + 1))
    .replace('{dd}', pad(utc.getUTCDate()));
}

/**
 * `DEBUG.SECTIONS` as recorded from a V3 on 2023‑08‑18, i.e. firmware 0825 (solectrus/senec-collector#224).
 * Objects the seed adds for 0826 (IPU, FAN_SPEED, …) are absent, which is why the catalogue marks
 * them not-found before 0826.
 */
export const RECORDED_SECTIONS_0825: readonly string[] = [
  'BAT1', 'BAT1OBJ1', 'BMS', 'BMS_PARA', 'CASC', 'DEBUG', 'DISPLAY', 'ENERGY', 'FACTORY', 'FEATURES', 'FILE',
  'GRIDCONFIG', 'LOG', 'PM1', 'PM1OBJ1', 'PM1OBJ2', 'PV1', 'PWR_UNIT', 'RTC', 'SELFTEST_RESULTS', 'SOCKETS',
  'STATISTIC', 'STECA', 'SYS_UPDATE', 'TEMPMEASURE', 'TEST', 'UPDATE', 'WALLBOX', 'WIZARD',
];
