// One uPlot chart over virtual time, kept alive across updates (setData, not re-creation).
import { html, useEffect, useRef } from 'htm-preact';
import uPlot from 'uplot';

/**
 * @typedef {object} SeriesSpec
 * @property {string} label
 * @property {string} color
 * @property {string} scale `W`, `%`, `V` or `min`
 * @property {number[]} [dash]
 */

/** Axis labels by scale. */
const UNITS = /** @type {Record<string, string>} */ ({ W: 'W', '%': '%', V: 'V', min: 'min' });

/**
 * @param {{ title: string, series: SeriesSpec[], data: uPlot.AlignedData, range: [number, number], testid: string }} props
 *   `data[0]` is virtual time in seconds; `range` the visible window in seconds.
 */
export function Chart({ title, series, data, range, testid }) {
  const box = useRef(/** @type {HTMLDivElement | null} */ (null));
  const plot = useRef(/** @type {uPlot | null} */ (null));
  const key = series.map((s) => s.label).join('|');

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const scales = [...new Set(series.map((s) => s.scale))];
    /** @type {uPlot.Options} */
    const options = {
      width: Math.max(280, element.clientWidth),
      height: 220,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true } },
      series: [{ label: 'UTC' }, ...series.map((s) => ({ label: s.label, stroke: s.color, scale: s.scale, width: 1.5, dash: s.dash, spanGaps: false }))],
      axes: [
        { stroke: '#445', values: (_u, splits) => splits.map(utcLabel) },
        ...scales.map((scale, i) => ({ scale, side: i === 0 ? 3 : 1, label: UNITS[scale] ?? scale, stroke: '#445', grid: { show: i === 0 } })),
      ],
      legend: { live: true },
    };
    const created = new uPlot(options, data, element);
    plot.current = created;
    const resize = new ResizeObserver(() => created.setSize({ width: Math.max(280, element.clientWidth), height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      created.destroy();
      plot.current = null;
    };
  }, [key]);

  useEffect(() => {
    const current = plot.current;
    if (!current) return;
    current.setData(data, false);
    current.setScale('x', { min: range[0], max: range[1] });
  }, [data, range[0], range[1]]);

  return html`
    <figure class="chart" data-testid=${testid}>
      <figcaption>${title}</figcaption>
      <div ref=${box} class="chart-canvas"></div>
    </figure>`;
}

/** A time tick in UTC, 24-hour: `14:30`, with the date at midnight (`06-22 00:00`). @param {number} seconds */
function utcLabel(seconds) {
  const iso = new Date(seconds * 1000).toISOString();
  const time = iso.slice(11, 16);
  return time === '00:00' ? `${iso.slice(5, 10)} ${time}` : time;
}
