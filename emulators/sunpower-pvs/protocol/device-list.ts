import type { CJsonValue } from './cjson.js';
import type { InverterReading, MeterReading, Sample, SupervisorReading } from '../model.js';
import type { Site } from '../site.js';
import { descr, metric, pvsTimestamp } from './values.js';

type Device = { [key: string]: CJsonValue | undefined };

export interface DeviceListOptions {
  /** CURTIME of the first device; the list is generated serially, so later devices get later times. */
  curtime: number;
  /** Virtual milliseconds spent per device while generating (0 = all devices share one CURTIME). */
  msPerDevice: number;
  hideMeters: boolean;
}

/** Devices in the firmware's order: supervisor, production meter, consumption meter, inverters, ESS. */
export function buildDeviceList(site: Site, sample: Sample, supervisor: SupervisorReading, options: DeviceListOptions): Device[] {
  const devices: Device[] = [supervisorDevice(site, supervisor)];
  // One DATATIME string for the tick, formatted once: it is every metered device's.
  const datatime = pvsTimestamp(sample.tick);
  if (!options.hideMeters) {
    devices.push(productionMeter(site, sample.production, datatime));
    if (site.config.consumptionMeter) devices.push(consumptionMeter(site, sample.consumption, datatime));
  }
  sample.inverters.forEach((reading, i) => devices.push(inverter(site, i, reading, datatime)));
  if (site.ess) devices.push(...essDevices(site, sample));
  const sharedCurtime = options.msPerDevice === 0 ? pvsTimestamp(options.curtime) : null;
  devices.forEach((device, i) => {
    device.CURTIME = sharedCurtime ?? pvsTimestamp(options.curtime + i * options.msPerDevice);
  });
  return devices;
}

export function deviceCount(site: Site, hideMeters: boolean): number {
  const meters = hideMeters ? 0 : site.config.consumptionMeter ? 2 : 1;
  const ess = site.ess ? (site.config.essHubDevices ? 2 : 0) + 5 + site.ess.batterySerials.length : 0;
  return 1 + meters + site.inverters.length + ess;
}

function supervisorDevice(site: Site, r: SupervisorReading): Device {
  return {
    DETAIL: 'detail',
    STATE: 'working',
    STATEDESCR: 'Working',
    SERIAL: site.supervisorSerial,
    MODEL: `PV Supervisor ${site.config.supervisorModel}`,
    HWVER: site.config.hardwareVersion,
    SWVER: site.config.firmware,
    DEVICE_TYPE: 'PVS',
    DATATIME: pvsTimestamp(r.sampledAt),
    dl_err_count: '0',
    dl_comm_err: String(r.commErr),
    dl_skipped_scans: '0',
    dl_scan_time: String(r.scanTime),
    dl_untransmitted: String(r.untransmitted),
    dl_uptime: String(r.uptimeS),
    dl_cpu_load: metric(r.cpuLoad, 2),
    dl_mem_used: String(r.memUsedKiB),
    dl_flash_avail: String(r.flashAvailKiB),
    panid: site.panid,
  };
}

function meterHead(site: Site, serial: string, type: string, subtype: Device): Device {
  return {
    ISDETAIL: true,
    SERIAL: serial,
    TYPE: type,
    STATE: 'working',
    STATEDESCR: 'Working',
    MODEL: `${site.config.supervisorModel}M0400${serial.endsWith('p') ? 'p' : 'c'}`,
    DESCR: descr('Power Meter', serial),
    DEVICE_TYPE: 'Power Meter',
    ...(site.modernFirmware ? { interface: 'mime', ...subtype } : {}),
    SWVER: '3000',
    PORT: '',
  };
}

/** What both meters report: CT size, the net register and the three-phase power triangle. */
function meterMetrics(m: MeterReading, datatime: string, ctSize: string): Device {
  return {
    DATATIME: datatime,
    ct_scl_fctr: ctSize,
    net_ltea_3phsum_kwh: metric(m.netKwh, 2),
    p_3phsum_kw: metric(m.pKw, 4),
    q_3phsum_kvar: metric(m.qKvar, 4),
    s_3phsum_kva: metric(m.sKva, 4),
    tot_pf_rto: metric(m.pf, 4),
    freq_hz: metric(m.freqHz, 4),
  };
}

function productionMeter(site: Site, m: MeterReading, datatime: string): Device {
  return {
    ...meterHead(site, site.productionMeterSerial, 'PVS5-METER-P', { production_subtype_enum: 'GROSS_PRODUCTION_SITE', subtype: 'GROSS_PRODUCTION_SITE' }),
    ...meterMetrics(m, datatime, '50'),
    i_a: metric(m.iA, 4),
    v12_v: metric(m.v12V, 4),
    CAL0: '50',
    origin: 'data_logger',
    OPERATION: 'noop',
  };
}

function consumptionMeter(site: Site, m: MeterReading, datatime: string): Device {
  const subtype = site.config.consumptionSubtype;
  return {
    ...meterHead(site, site.consumptionMeterSerial, 'PVS5-METER-C', { consumption_subtype_enum: subtype, subtype }),
    ...meterMetrics(m, datatime, '100'),
    i1_a: metric(m.i1A, 4),
    i2_a: metric(m.i2A, 4),
    v1n_v: metric(m.v1V, 4),
    v2n_v: metric(m.v2V, 4),
    v12_v: metric(m.v12V, 4),
    p1_kw: metric(m.p1Kw, 4),
    p2_kw: metric(m.p2Kw, 4),
    neg_ltea_3phsum_kwh: metric(m.negKwh, 2),
    // PVS5 firmware does not report the imported-energy register.
    ...(site.config.supervisorModel === 'PVS6' ? { pos_ltea_3phsum_kwh: metric(m.posKwh, 2) } : {}),
    CAL0: '100',
    origin: 'data_logger',
    OPERATION: 'noop',
  };
}

function inverter(site: Site, index: number, r: InverterReading, datatime: string): Device {
  const id = site.inverters[index]!;
  const modern = site.modernFirmware;
  const head: Device = {
    ISDETAIL: true,
    SERIAL: id.serial,
    TYPE: 'SOLARBRIDGE',
    STATE: r.producing ? 'working' : 'error',
    STATEDESCR: r.producing ? 'Working' : 'Error',
    MODEL: site.config.inverterModel,
    DESCR: descr('Inverter', id.serial),
    DEVICE_TYPE: 'Inverter',
    ...(modern ? { hw_version: '4405', interface: 'mime', module_serial: id.moduleSerial, PANEL: site.config.panelModel, slave: 0 } : {}),
    SWVER: modern ? '4.40.1' : '118079776',
    PORT: '',
    MOD_SN: id.moduleSerial,
    NMPLT_SKU: '',
  };
  // Without sun the inverters stop reporting: no metrics and no DATATIME (as the 2019 firmware does).
  if (!r.producing) return { ...head, origin: 'data_logger', OPERATION: 'noop' };
  return {
    ...head,
    DATATIME: datatime,
    ltea_3phsum_kwh: metric(r.lifetimeKwh, 4),
    p_3phsum_kw: metric(r.acKw, 4),
    vln_3phavg_v: metric(r.acV, 2),
    i_3phsum_a: metric(r.acA, 2),
    [modern ? 'p_mppt1_kw' : 'p_mpptsum_kw']: metric(r.dcKw, 4),
    v_mppt1_v: metric(r.dcV, 2),
    i_mppt1_a: metric(r.dcA, 2),
    t_htsnk_degc: metric(r.heatsinkC, 0),
    freq_hz: metric(r.freqHz, 2),
    stat_ind: '0',
    origin: 'data_logger',
    OPERATION: 'noop',
  };
}

/** SunVault devices: all but the MIO and the PV disconnect report `error` without metrics. */
function essDevices(site: Site, sample: Sample): Device[] {
  const ess = site.ess!;
  const flow = sample.flow;
  const tick = pvsTimestamp(sample.tick);
  const tail = { origin: 'data_logger', OPERATION: 'noop' };
  const error = { STATE: 'error', STATEDESCR: 'Error' };
  const working = { STATE: 'working', STATEDESCR: 'Working' };
  const islanded = !flow.gridUp;
  const devices: Device[] = [];
  if (site.config.essHubDevices) {
    devices.push({
      ISDETAIL: true, SERIAL: ess.hubSerial, TYPE: 'HUB+', ...error, MODEL: 'SunPower MIDC', DESCR: descr('HUB+', ess.hubSerial),
      DEVICE_TYPE: 'HUB+', hw_version: '1.5.0', interface: 'ttymxc5', slave: 220, SWVER: '0.7.22', PORT: 'P0, Modbus, Slave 220', ...tail,
    });
    devices.push({
      ISDETAIL: true, SERIAL: ess.mioSerial, TYPE: 'EQUINOX-MIO', ...working, MODEL: 'SunPower MIO', DESCR: descr('ESS Hub', ess.mioSerial),
      DEVICE_TYPE: 'ESS Hub', hw_version: '1.5.0', interface: 'ttymxc5', parent: 11, slave: 221, SWVER: '0.7.10', PORT: 'P0, Modbus, Slave 221',
      DATATIME: tick,
      t_degc: metric(flow.ambientC + 8, 0),
      humidity: metric(35 - flow.ambientC * 0.5, 0),
      v_dcdc_spply_v: '11.43',
      v_spply_v: '11.364',
      v_gateway_v: '11.419',
      fan_actv_fl: Math.abs(flow.batteryKw) > 3 ? '1' : '0',
      fw_error: '0',
      event_history: '2112',
      ...tail,
      PARENT: ess.essSerial,
    });
  }
  const v1 = sample.consumption.v1V;
  const v2 = sample.consumption.v2V;
  devices.push({
    ISDETAIL: true, SERIAL: ess.pvDisconnectSerial, TYPE: 'PV-DISCONNECT', ...working, MODEL: 'SunPower PV Disconnect Relay',
    DESCR: descr('PV Disconnect', ess.pvDisconnectSerial), DEVICE_TYPE: 'PV Disconnect', interface: 'ttymxc5', slave: 230, SWVER: '0.2.13',
    PORT: 'P0, Modbus, Slave 230', DATATIME: tick,
    event_history: '32',
    fw_error: '0',
    relay_mode: islanded ? '1' : '0',
    relay1_state: '1',
    relay2_state: '1',
    relay1_error: '0',
    relay2_error: '0',
    v1n_grid_v: metric(islanded ? 0 : v1, 1),
    v2n_grid_v: metric(islanded ? 0 : v2, 1),
    v1n_pv_v: metric(v1 + 0.3, 1),
    v2n_pv_v: metric(v2 + 0.3, 1),
    ...tail,
  });
  devices.push({
    ISDETAIL: true, SERIAL: ess.gatewaySerial, TYPE: 'GATEWAY', ...error, MODEL: 'SchneiderElectric-ConextGateway',
    DESCR: descr('Gateway', ess.gatewaySerial), DEVICE_TYPE: 'Gateway', interface: 'sunspec', mac_address: ess.gatewayMac, slave: 1,
    SWVER: 'V1', PORT: 'P0, SunSpec, Slave 1', ...tail,
  });
  devices.push({
    ISDETAIL: true, SERIAL: ess.storageInverterSerial, TYPE: 'SCHNEIDER-XWPRO', ...error, MODEL: 'SchneiderElectric-XW6848-21',
    DESCR: descr('Storage Inverter', ess.storageInverterSerial), DEVICE_TYPE: 'Storage Inverter', interface: 'sunspec',
    mac_address: ess.gatewayMac, parent: 11, slave: 10, SWVER: 'V1', PORT: 'P0, SunSpec, Slave 10', ...tail, PARENT: ess.essSerial,
  });
  devices.push({
    ISDETAIL: true, SERIAL: ess.bmsSerial, TYPE: 'EQUINOX-BMS', ...error, MODEL: 'SchneiderElectric-SP1', DESCR: descr('ESS BMS', ess.bmsSerial),
    DEVICE_TYPE: 'ESS BMS', interface: 'sunspec', mac_address: ess.gatewayMac, parent: 11, slave: 230, PORT: 'P0, SunSpec, Slave 230', ...tail,
    PARENT: ess.essSerial,
  });
  for (const serial of ess.batterySerials) {
    devices.push({
      ISDETAIL: true, SERIAL: serial, TYPE: 'BATTERY', ...error, MODEL: 'POWERAMP-Komodo 1.2', DESCR: descr('Battery', serial),
      DEVICE_TYPE: 'Battery', hw_version: '4.34', interface: 'none', parent: 11, SWVER: '2.8', PORT: 'P0, None, Slave -1', ...tail,
      PARENT: ess.essSerial,
    });
  }
  devices.push({
    ISDETAIL: true, SERIAL: ess.essSerial, TYPE: 'EQUINOX-ESS', ...error, MODEL: 'SPWR-Equinox-model',
    DESCR: descr('Energy Storage System', ess.essSerial), DEVICE_TYPE: 'Energy Storage System', hw_version: '0', interface: 'none',
    SWVER: '0', PORT: 'P0, Parent, Slave -1', ...tail,
  });
  return devices;
}
