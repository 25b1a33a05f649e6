// The power-flow picture of each device: PV, house, battery and grid around the inverter (or
// mains, battery and load for a UPS), each flow in words beside its arrow.
import { html } from 'htm-preact';
import * as f from './format.js';

/** @typedef {import('./types/api.js').DeviceView} DeviceView */
/** @typedef {import('./types/api.js').SiteReadings} SiteReadings */

/** @param {{ devices: DeviceView[], gridUp: boolean }} props */
export function SiteView({ devices, gridUp }) {
  if (devices.length === 0) return html`<p>No device is running.</p>`;
  return html`<div class="site-grid">${devices.map((d) => html`<${DeviceFlow} key=${d.name} device=${d} gridUp=${gridUp} />`)}</div>`;
}

/** @param {{ device: DeviceView, gridUp: boolean }} props */
function DeviceFlow({ device, gridUp }) {
  const r = device.readings;
  return html`
    <section class="device-card" aria-labelledby=${`site-${device.name}`} data-device=${device.name}>
      <h3 id=${`site-${device.name}`}>${device.title} <small>${device.label}</small></h3>
      ${r.ups
        ? html`<${UpsFlow} ups=${r.ups} soc=${r.socPct} />`
        : Object.keys(r).length === 0
          ? html`<p class="no-readings">No power readings from this device.</p>`
          : html`<${EnergyFlow} readings=${r} gridUp=${gridUp} />`}
      <p class="device-meta">${device.requests} requests${device.faults.length > 0 ? html`, <strong>${device.faults.length} fault${device.faults.length > 1 ? 's' : ''} active</strong>` : ''}</p>
    </section>`;
}

/** @param {{ readings: SiteReadings, gridUp: boolean }} props */
function EnergyFlow({ readings: r, gridUp }) {
  return html`
    <div class="flow">
      ${r.pvW !== undefined
        ? html`<${Node} area="pv" label="PV" value=${f.pvFlow(r.pvW)} testid="pv" watts=${r.pvW} arrow=${r.pvW >= 5 ? '↓' : ''} />`
        : html`<div class="flow-pv flow-none"></div>`}
      ${r.gridW !== undefined
        ? html`<${Node} area="grid" label="Grid" value=${gridUp ? f.gridFlow(r.gridW) : Math.abs(r.gridW) < 5 ? 'grid down' : `grid down, ${f.gridFlow(r.gridW)}`}
            testid="grid" watts=${r.gridW} tone=${!gridUp ? 'alarm' : r.gridW > 5 ? 'import' : r.gridW < -5 ? 'export' : ''} arrow=${r.gridW > 5 ? '→' : r.gridW < -5 ? '←' : ''} />`
        : html`<div class="flow-grid flow-none"></div>`}
      <div class="flow-hub" aria-hidden="true">⚡</div>
      ${r.loadW !== undefined
        ? html`<${Node} area="house" label="House" value=${f.houseFlow(r.loadW)} testid="house" watts=${r.loadW} arrow=${r.loadW >= 5 ? '→' : ''} />`
        : html`<div class="flow-house flow-none"></div>`}
      ${r.batteryW !== undefined || r.socPct !== undefined
        ? html`<${Node} area="battery" label="Battery" value=${r.batteryW !== undefined ? f.batteryFlow(r.batteryW) : 'no battery reading'} testid="battery"
            watts=${r.batteryW} tone=${(r.batteryW ?? 0) > 5 ? 'charge' : (r.batteryW ?? 0) < -5 ? 'discharge' : ''}
            arrow=${(r.batteryW ?? 0) > 5 ? '↓' : (r.batteryW ?? 0) < -5 ? '↑' : ''}>
            ${r.socPct !== undefined ? html`<${Soc} pct=${r.socPct} />` : ''}
          <//>`
        : html`<div class="flow-battery flow-none"></div>`}
    </div>`;
}

/** @param {{ ups: NonNullable<SiteReadings['ups']>, soc: number | undefined }} props */
function UpsFlow({ ups, soc }) {
  return html`
    <div class="flow">
      <${Node} area="grid" label="Mains" value=${ups.mainsOk ? 'mains present' : 'mains lost'} testid="mains" tone=${ups.mainsOk ? '' : 'alarm'} arrow=${ups.mainsOk ? '→' : '✕'} />
      <div class="flow-hub" aria-hidden="true">UPS</div>
      <${Node} area="house" label="Load" value=${`supplying ${f.power(ups.loadW)}`} testid="ups-load" watts=${ups.loadW} arrow="→" />
      <${Node} area="battery" label="Battery" value=${ups.onBattery ? 'on battery' : 'standby'} testid="ups-battery" tone=${ups.onBattery ? 'discharge' : ''} arrow=${ups.onBattery ? '↑' : ''}>
        <span data-testid="ups-battery-v" data-value=${ups.batteryV}>${ups.batteryV.toFixed(1)} V</span>
        <span data-testid="ups-backup" data-value=${ups.backupMin}>backup ${f.backupTime(ups.backupMin)}</span>
        ${soc !== undefined ? html`<${Soc} pct=${soc} />` : ''}
      <//>
    </div>`;
}

/**
 * @param {{ area: string, label: string, value: string, testid: string, watts?: number, tone?: string, arrow?: string, children?: unknown }} props
 */
function Node({ area, label, value, testid, watts, tone = '', arrow = '', children }) {
  return html`
    <div class=${`flow-node flow-${area} ${tone ? `tone-${tone}` : ''}`} data-testid=${testid} data-watts=${watts ?? ''}>
      <span class="flow-label">${label}${arrow ? html` <span class="flow-arrow" aria-hidden="true">${arrow}</span>` : ''}</span>
      <span class="flow-value">${value}</span>
      ${children}
    </div>`;
}

/** @param {{ pct: number }} props */
function Soc({ pct }) {
  return html`
    <label class="soc">state of charge <span data-testid="soc" data-value=${pct}>${f.percent(pct)}</span>
      <meter min="0" max="100" low="20" high="80" optimum="100" value=${pct}>${f.percent(pct)}</meter>
    </label>`;
}
