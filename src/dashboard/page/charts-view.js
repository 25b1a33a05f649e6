// Charts over virtual time, one per device: a window of the last hours that follows the clock, or
// scrolled back with the slider.
import { html, useEffect, useMemo, useRef, useState } from 'htm-preact';
import { Chart } from './chart.js';
import * as f from './format.js';

/** @typedef {import('./types/api.js').Sample} Sample */
/** @typedef {import('./types/api.js').SiteReadings} SiteReadings */
/** @typedef {import('./types/api.js').DeviceView} DeviceView */
/** @typedef {import('./chart.js').SeriesSpec} SeriesSpec */

const HOUR = 3_600_000;
const WINDOWS = [1, 3, 6, 12, 24].map((h) => h * HOUR);
/** Charts redraw at most this often (wall ms), however fast samples arrive. */
const REDRAW_MS = 250;

/** @type {{ key: keyof SiteReadings, spec: SeriesSpec }[]} */
const ENERGY_SERIES = [
  { key: 'pvW', spec: { label: 'PV W', color: '#b7791f', scale: 'W' } },
  { key: 'loadW', spec: { label: 'house W', color: '#2b6cb0', scale: 'W' } },
  { key: 'gridW', spec: { label: 'grid W (+ import)', color: '#c53030', scale: 'W', dash: [6, 3] } },
  { key: 'batteryW', spec: { label: 'battery W (+ charge)', color: '#2f855a', scale: 'W' } },
  { key: 'socPct', spec: { label: 'state of charge %', color: '#6b46c1', scale: '%', dash: [2, 3] } },
];

/** @type {{ read: (r: SiteReadings) => number | undefined, spec: SeriesSpec }[]} */
const UPS_SERIES = [
  { read: (r) => r.ups?.batteryV, spec: { label: 'battery V', color: '#2f855a', scale: 'V' } },
  { read: (r) => r.ups?.backupMin, spec: { label: 'backup min', color: '#6b46c1', scale: 'min', dash: [6, 3] } },
];

/** @param {{ samples: Sample[], version: number, devices: DeviceView[] }} props */
export function ChartsView({ samples, version, devices }) {
  const [windowMs, setWindowMs] = useState(6 * HOUR);
  const [follow, setFollow] = useState(true);
  const [endMs, setEndMs] = useState(0);
  const shown = useThrottled(version, REDRAW_MS);

  const view = useMemo(() => {
    const first = samples[0]?.t ?? 0;
    const last = samples[samples.length - 1]?.t ?? 0;
    const end = follow ? last : Math.min(Math.max(endMs, first), last);
    // The window shows at most `windowMs`; before the first sample there is nothing to show.
    const start = end > first ? Math.max(end - windowMs, first) : end - windowMs;
    const from = lowerBound(samples, start - windowMs * 0.05);
    const slice = samples.slice(from, upperBound(samples, end) + 1);
    const x = slice.map((s) => s.t / 1000);
    const charts = devices.map((device) => {
      const isUps = device.readings.ups !== undefined;
      /** @type {SeriesSpec[]} */
      const series = [];
      /** @type {(number | null)[][]} */
      const ys = [];
      if (isUps) {
        for (const s of UPS_SERIES) {
          series.push(s.spec);
          ys.push(slice.map((sample) => value(s.read, sample.devices[device.name])));
        }
      } else {
        for (const s of ENERGY_SERIES) {
          if (device.readings[s.key] === undefined && !slice.some((sample) => sample.devices[device.name]?.[s.key] !== undefined)) continue;
          series.push(s.spec);
          ys.push(slice.map((sample) => value((r) => /** @type {number | undefined} */ (r[s.key]), sample.devices[device.name])));
        }
      }
      return { device, series, data: /** @type {import('uplot').AlignedData} */ ([x, ...ys]) };
    });
    return { first, last, start, end, charts };
  }, [shown, windowMs, follow, endMs, devices.map((d) => d.name).join(',')]);
  const { first, last, start, end, charts } = view;

  if (samples.length === 0) return html`<p data-testid="charts-empty">No samples yet: the charts fill in as virtual time passes.</p>`;
  const range = /** @type {[number, number]} */ ([start / 1000, end / 1000]);
  return html`
    <div class="charts">
      <fieldset class="chart-controls">
        <legend>Window</legend>
        <label>Span
          <select value=${windowMs} onChange=${(/** @type {Event} */ e) => setWindowMs(Number(/** @type {HTMLSelectElement} */ (e.currentTarget).value))}>
            ${WINDOWS.map((w) => html`<option value=${w}>last ${f.span(w)}</option>`)}
          </select>
        </label>
        <label><input type="checkbox" checked=${follow} onChange=${(/** @type {Event} */ e) => { setFollow(/** @type {HTMLInputElement} */ (e.currentTarget).checked); setEndMs(last); }} /> follow the clock</label>
        <label class="grow">Window ends at ${f.instant(end)}
          <input type="range" min=${first} max=${Math.max(last, first + 1)} step="1000" value=${end}
            onInput=${(/** @type {Event} */ e) => { setFollow(false); setEndMs(Number(/** @type {HTMLInputElement} */ (e.currentTarget).value)); }} />
        </label>
      </fieldset>
      ${charts.map((c) => html`<${Chart} key=${c.device.name} testid=${`chart-${c.device.name}`} title=${`${c.device.title}: ${c.device.readings.ups ? 'battery voltage and backup time' : c.series.some((s) => s.scale === '%') ? 'power and state of charge' : 'power'} (UTC)`}
          series=${c.series} data=${c.data} range=${range} />`)}
    </div>`;
}

/**
 * @param {(r: SiteReadings) => number | undefined} read
 * @param {SiteReadings | undefined} readings
 */
function value(read, readings) {
  const v = readings === undefined ? undefined : read(readings);
  return v === undefined || !Number.isFinite(v) ? null : v;
}

/** First index with t >= ms. @param {Sample[]} list @param {number} ms */
function lowerBound(list, ms) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (/** @type {Sample} */ (list[mid]).t < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Last index with t <= ms. @param {Sample[]} list @param {number} ms */
function upperBound(list, ms) {
  return lowerBound(list, ms + 1) - 1;
}

/**
 * The value, updated at most every `ms` wall milliseconds (the last change always lands).
 * @template T @param {T} value @param {number} ms @returns {T}
 */
function useThrottled(value, ms) {
  const [shown, setShown] = useState(value);
  const lastAt = useRef(0);
  useEffect(() => {
    const wait = lastAt.current + ms - performance.now();
    if (wait <= 0) {
      lastAt.current = performance.now();
      setShown(value);
      return;
    }
    const timer = setTimeout(() => {
      lastAt.current = performance.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value]);
  return shown;
}
