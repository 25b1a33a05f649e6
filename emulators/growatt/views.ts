/**
 * Plant- and identity-level views: plant list rows, details, data, energy and power series, the device list,
 * mix_data_info and alarms. Typing follows what the service sends: the plant endpoints carry many numbers as
 * strings, plant/list reports W while plant/data reports kW, times are plant-local without an offset.
 */
import { MIN_DEVICE_TYPE, SPH_DEVICE_TYPE, toJavaDate, type TimeUnit } from '../../contracts/growatt/index.js';
import { tlxSettingsView } from './min-settings.js';
import type { GrowattEmulator } from './emulator.js';
import { dailyEnergy, dateOfDay, dayOfDate } from './energy-history.js';
import type { Plant, SphDevice } from './fleet.js';
import { COUNTER_INDEX } from './physics.js';
import { modeAt, PRIORITY_CHOOSE, settingsView } from './settings.js';
import { localDateTime } from './telemetry.js';
import { HISTORY_DAYS } from './simulation.js';
import { SLOT_MS } from './world-tape.js';

const DAY_MS = 86_400_000;
const EAC = COUNTER_INDEX.eac;
/** kg CO2 avoided per kWh, for carbon_offset [inferred; the doc gives no factor]. */
const CO2_KG_PER_KWH = 0.6;
/** Growatt's fault code for a lost grid ("No AC Connection"), reported while the grid is down. */
const NO_AC_CONNECTION = 302;

const text1 = (x: number): string => String(Math.round(x * 10) / 10);

/** "GMT+8", "GMT-8", "GMT+5:30" from an offset in minutes. */
export function gmtLabel(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const minutes = abs % 60;
  return `GMT${sign}${Math.floor(abs / 60)}${minutes === 0 ? '' : `:${String(minutes).padStart(2, '0')}`}`;
}

export class PlantViews {
  constructor(private readonly emu: GrowattEmulator) {}

  private get offset(): number {
    return this.emu.world.config.utcOffsetMinutes;
  }

  private devices(plant: Plant): SphDevice[] {
    return plant.deviceSns.map((sn) => this.emu.fleet.devices.get(sn)!);
  }

  /** Current AC power (W) and today's/total energy (kWh) of a plant from its devices' latest uploads. */
  private totals(plant: Plant): { powerW: number; todayKwh: number; totalKwh: number; lastUpload: number } {
    let powerW = 0;
    let todayKwh = 0;
    let totalKwh = 0;
    let lastUpload = plant.createdAt;
    for (const device of this.devices(plant)) {
      const latest = this.emu.latest(device);
      if (latest === null) continue;
      powerW += latest.state.pac;
      todayKwh += this.isToday(latest.state.day) ? latest.state.today[EAC]! : 0;
      totalKwh += latest.state.totals[EAC]!;
      lastUpload = Math.max(lastUpload, latest.uploadMs);
    }
    return { powerW, todayKwh, totalKwh, lastUpload };
  }

  private isToday(day: number): boolean {
    return day === this.localDay(this.emu.world.clock.now());
  }

  private localMinute(t: number): number {
    const local = t + this.offset * 60_000;
    return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
  }

  private localDay(t: number): number {
    return Math.floor((t + this.offset * 60_000) / DAY_MS);
  }

  plantListRow(plant: Plant) {
    const totals = this.totals(plant);
    const peakKw = this.devices(plant).reduce((sum, d) => sum + d.peakW, 0) / 1000;
    const { latitude, longitude } = this.emu.world.config;
    return {
      status: this.devices(plant).some((d) => this.emu.sim.openOutage(d.sn) !== undefined) ? 0 : 1,
      locale: 'en-US',
      total_energy: text1(totals.totalKwh),
      operator: '0',
      country: 'Europe',
      city: plant.city,
      current_power: text1(totals.powerW),
      create_date: plant.createDate,
      image_url: null,
      plant_id: plant.id,
      name: plant.name,
      installer: '0',
      user_id: plant.userId,
      longitude: String(longitude),
      latitude: String(latitude),
      peak_power: peakKw,
      latitude_d: null,
      latitude_f: null,
    };
  }

  plantDetails(plant: Plant) {
    const { latitude, longitude } = this.emu.world.config;
    const count = plant.deviceSns.length;
    return {
      name: plant.name,
      city: plant.city,
      country: 'Europe',
      timezone: gmtLabel(this.offset),
      peak_power: this.devices(plant).reduce((sum, d) => sum + d.peakW, 0) / 1000,
      create_date: plant.createDate,
      currency: 'eur',
      latitude,
      longitude,
      locale: 'en_US',
      user_id: plant.userId,
      arrays: [{ module_man: 'Growatt', module_md: null, num_modules: 0 }],
      dataloggers: [{ datalogger_man: 'Growatt', datalogger_md: null, datalogger_num: 1 }],
      inverters: [{ inverter_man: 'Growatt', inverter_md: null, inverter_num: count }],
      maxs: [],
      image_url: null,
      plant_type: null,
      status: null,
      description: null,
      postal: null,
      state: null,
    };
  }

  plantData(plant: Plant) {
    const totals = this.totals(plant);
    const now = this.emu.world.clock.now();
    const today = this.localDay(now);
    const date = dateOfDay(today);
    const monthStart = dayOfDate(`${date.slice(0, 7)}-01`);
    const yearStart = dayOfDate(`${date.slice(0, 4)}-01-01`);
    const yearly = this.sumDays(plant, yearStart, today - 1) + totals.todayKwh;
    const monthly = this.sumDays(plant, monthStart, today - 1) + totals.todayKwh;
    return {
      current_power: Math.round(totals.powerW) / 1000,
      today_energy: text1(totals.todayKwh),
      monthly_energy: text1(monthly),
      yearly_energy: text1(yearly),
      total_energy: text1(totals.totalKwh),
      peak_power_actual: this.devices(plant).reduce((sum, d) => sum + d.peakW, 0) / 1000,
      efficiency: '',
      carbon_offset: text1(totals.totalKwh * CO2_KG_PER_KWH),
      last_update_time: localDateTime(totals.lastUpload, this.offset),
      timezone: gmtLabel(this.offset),
    };
  }

  private sumDays(plant: Plant, fromDay: number, toDay: number): number {
    if (toDay < fromDay) return 0;
    let sum = 0;
    for (const device of this.devices(plant)) {
      const latest = this.emu.sim.latestSlot(device, this.emu.world.clock.now());
      for (const kwh of dailyEnergy(this.emu.sim, device, fromDay, toDay, latest).values()) sum += kwh;
    }
    return sum;
  }

  /** plant/energy rows for the unit; days without data are left out. */
  energyRows(plant: Plant, start: string, end: string, unit: TimeUnit): { date: string; energy: string }[] {
    const today = this.localDay(this.emu.world.clock.now());
    let fromDay = dayOfDate(start);
    let toDay = Math.min(dayOfDate(end), today);
    if (unit === 'month') {
      fromDay = dayOfDate(`${start.slice(0, 7)}-01`);
      toDay = Math.min(today, dayOfDate(lastDayOfMonth(end)));
    } else if (unit === 'year') {
      fromDay = dayOfDate(`${start.slice(0, 4)}-01-01`);
      toDay = Math.min(today, dayOfDate(`${end.slice(0, 4)}-12-31`));
    }
    const sums = new Map<string, number>();
    for (const device of this.devices(plant)) {
      const latest = this.emu.sim.latestSlot(device, this.emu.world.clock.now());
      for (const [day, kwh] of dailyEnergy(this.emu.sim, device, fromDay, toDay, latest)) {
        const date = dateOfDay(day);
        const key = unit === 'day' ? date : unit === 'month' ? date.slice(0, 7) : date.slice(0, 4);
        sums.set(key, (sums.get(key) ?? 0) + kwh);
      }
    }
    return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, kwh]) => ({ date, energy: text1(kwh) }));
  }

  /**
   * plant/power: the plant's AC power per 5-minute slot of a local date, newest first, as uploaded so far. Dates
   * older than the history the service keeps (HISTORY_DAYS) have none.
   */
  powerRows(plant: Plant, date: string): { time: string; power: number | null }[] {
    const day = dayOfDate(date);
    const sim = this.emu.sim;
    if (day < this.localDay(this.emu.world.clock.now()) - HISTORY_DAYS) return [];
    const dayStart = day * DAY_MS - this.offset * 60_000;
    const firstSlot = Math.max(0, sim.tape.slotAt(dayStart));
    const lastSlot = sim.tape.slotAt(dayStart + DAY_MS) - 1;
    const powers = new Map<number, number>();
    const now = this.emu.world.clock.now();
    for (const device of this.devices(plant)) {
      const latest = Math.min(lastSlot, sim.latestSlot(device, now));
      sim.replay(device, firstSlot, latest, (state, slot) => powers.set(slot, (powers.get(slot) ?? 0) + state.pac));
    }
    return [...powers.entries()]
      .sort(([a], [b]) => b - a)
      .map(([slot, watts]) => ({ time: localDateTime(sim.tape.slotStart(slot), this.offset).slice(0, 16), power: Math.fround(Math.round(watts * 10) / 10) }));
  }

  deviceRows(plant: Plant) {
    const now = this.emu.world.clock.now();
    const rows: Record<string, unknown>[] = this.devices(plant).map((device) => {
      const latest = this.emu.latest(device);
      return {
        device_sn: device.sn,
        last_update_time: localDateTime(latest?.uploadMs ?? plant.createdAt, this.offset),
        model: device.family === 'min' ? MIN_MODEL_TEXT : MODEL_TEXT,
        // Here `lost` is the real communication state (the latest-data endpoints always say true).
        lost: this.emu.sim.openOutage(device.sn) !== undefined,
        status: latest?.state.status ?? 0,
        manufacturer: 'Growatt',
        device_id: device.deviceId,
        datalogger_sn: device.dataloggerSn,
        type: device.family === 'min' ? MIN_DEVICE_TYPE : SPH_DEVICE_TYPE,
      };
    });
    // The grid meter is listed too, with an empty device_id, as the documents show for meters.
    rows.push({
      device_sn: plant.meterSn,
      last_update_time: localDateTime(now - (now % SLOT_MS), this.offset),
      model: '',
      lost: false,
      status: 1,
      manufacturer: 'Growatt',
      device_id: '',
      datalogger_sn: plant.dataloggerSn,
      type: 3,
    });
    return rows;
  }

  mixDataInfo(device: SphDevice) {
    const latest = this.emu.latest(device);
    const uploadMs = latest?.uploadMs ?? device.installedAt;
    const open = this.emu.sim.openOutage(device.sn);
    const settings = this.emu.sim.currentSettings(device.sn);
    return {
      serialNum: device.sn,
      dataLogSn: device.dataloggerSn,
      alias: device.sn,
      addr: 1,
      fwVersion: 'RA1.0',
      innerVersion: 'raaa040505',
      model: 1683928000000,
      modelText: MODEL_TEXT,
      lost: open !== undefined,
      status: latest?.state.status ?? 0,
      statusText: open !== undefined ? 'mix.status.lost' : 'mix.status.normal',
      tcpServerIp: '47.254.130.121',
      location: 'null',
      lastUpdateTime: toJavaDate(uploadMs),
      lastUpdateTimeText: localDateTime(uploadMs, this.offset),
      sysTime: localDateTime(this.emu.world.clock.now(), this.offset),
      deviceType: 1,
      dtc: 3501,
      pmax: device.ratedW,
      vnormal: 360,
      batteryType: 1,
      ...settingsView(settings),
      // The mode in force now, which the time-of-use periods decide.
      priorityChoose: PRIORITY_CHOOSE[modeAt(settings, this.localMinute(this.emu.world.clock.now()))],
    };
  }

  /** tlx_data_info: identity at the top level, settings nested in `tlxSetbean` (as a live MOD-XH answers). */
  tlxDataInfo(device: SphDevice) {
    const latest = this.emu.latest(device);
    const uploadMs = latest?.uploadMs ?? device.installedAt;
    const open = this.emu.sim.openOutage(device.sn);
    return {
      serialNum: device.sn,
      dataLogSn: device.dataloggerSn,
      alias: device.sn,
      addr: 1,
      fwVersion: 'TJ1.0',
      innerVersion: 'tjaa1001',
      modelText: MIN_MODEL_TEXT,
      // The live MOD-XH listed as type 7 reports sub-type 6 here.
      deviceType: 6,
      lost: open !== undefined,
      status: latest === null || latest.state.status === 0 ? 0 : 1,
      lastUpdateTime: toJavaDate(uploadMs),
      lastUpdateTimeText: localDateTime(uploadMs, this.offset),
      pmax: device.ratedW,
      bdcNum: device.batteryWh > 0 ? 1 : 0,
      batteryModules: device.batteryModules,
      tlxSetbean: tlxSettingsView(this.emu.sim.currentSettings(device.sn)),
    };
  }

  /** Grid outages seen by the device that touch the local date, as "No AC Connection" alarms. */
  alarms(device: SphDevice, date: string) {
    const dayStart = dayOfDate(date) * DAY_MS - this.offset * 60_000;
    const now = this.emu.world.clock.now();
    const stamp = (t: number) => `${localDateTime(t, this.offset)}.0`;
    return this.emu.world
      .outages()
      .filter((o) => o.from < Math.min(now, dayStart + DAY_MS) && (o.to === null || o.to > dayStart) && o.from >= device.installedAt)
      .map((o) => {
        const over = o.to !== null && o.to <= now;
        return {
          alarmCode: NO_AC_CONNECTION,
          // 1 while the alarm is active, 0 once cleared [inferred; the doc example shows only 1].
          status: over ? 0 : 1,
          startTime: stamp(o.from),
          endTime: stamp(over ? o.to! : o.from),
          alarmMessage: 'No AC Connection',
        };
      });
  }
}

/** The SPH model code of the documents' examples. */
const MODEL_TEXT = 'A0B1D0T0PFU2M7S0';
/** The model code shape of device/list, for a MIN [inferred]. */
const MIN_MODEL_TEXT = 'S22B00D00T00P0FU01M0078';

function lastDayOfMonth(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}
