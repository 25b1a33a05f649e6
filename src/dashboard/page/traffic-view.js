// The requests each device received, newest first; each opens to the bytes exchanged (HTTP) or the
// frames with their decoded YD/T 1363 fields beside the hex (the UPS).
import { html, useEffect, useState } from 'htm-preact';
import { getJson } from './api-client.js';

/** @typedef {import('./types/api.js').TrafficEntry} TrafficEntry */
/** @typedef {import('./types/api.js').TrafficDetail} TrafficDetail */
/** @typedef {import('./types/api.js').FrameView} FrameView */

/** Rows rendered at once; the list keeps more. */
const SHOWN = 200;

/** @param {{ traffic: TrafficEntry[], devices: string[] }} props */
export function TrafficView({ traffic, devices }) {
  const [device, setDevice] = useState('');
  const [open, setOpen] = useState(/** @type {TrafficEntry | null} */ (null));
  const rows = (device ? traffic.filter((t) => t.device === device) : traffic).slice(0, SHOWN);
  return html`
    <div class="traffic">
      <div class="row">
        <label for="traffic-device">Device
          <select id="traffic-device" value=${device} onChange=${(/** @type {Event} */ e) => setDevice(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
            <option value="">all devices</option>
            ${devices.map((d) => html`<option value=${d}>${d}</option>`)}
          </select>
        </label>
        <span>${rows.length} shown, newest first</span>
      </div>
      <div class="traffic-split">
        <div class="table-scroll">
          <table class="traffic-table" data-testid="traffic-table">
            <thead><tr><th scope="col">virtual time</th><th scope="col">device</th><th scope="col">request</th><th scope="col">status</th><th scope="col">ms</th><th scope="col">faults</th></tr></thead>
            <tbody>
              ${rows.map((t) => html`
                <tr key=${`${t.device}#${t.seq}`} data-device=${t.device} data-seq=${t.seq} class=${open && open.device === t.device && open.seq === t.seq ? 'selected' : ''}>
                  <td>${t.at.slice(11, 19)}</td>
                  <td>${t.device}</td>
                  <td><button type="button" class="link" onClick=${() => setOpen(t)} aria-label=${`Open ${t.device} request ${t.seq}: ${t.method} ${t.command ?? t.url}`}>
                    ${t.method} ${t.command ? html`<strong>${t.command}</strong> ` : ''}<span class="url">${t.url}</span></button></td>
                  <td class=${statusTone(t)}>${t.status ?? t.outcome}</td>
                  <td>${Math.round(t.durationMs)}</td>
                  <td>${t.faults.length > 0 ? t.faults.join(', ') : '—'}</td>
                </tr>`)}
            </tbody>
          </table>
          ${rows.length === 0 ? html`<p>No request yet.</p>` : ''}
        </div>
        ${open ? html`<${TrafficDetailView} key=${`${open.device}#${open.seq}`} entry=${open} onClose=${() => setOpen(null)} />` : ''}
      </div>
    </div>`;
}

/** @param {TrafficEntry} t */
function statusTone(t) {
  if (t.status === null) return 'alarm';
  return t.status >= 400 ? 'alarm' : 'ok';
}

/** @param {{ entry: TrafficEntry, onClose: () => void }} props */
function TrafficDetailView({ entry, onClose }) {
  const [detail, setDetail] = useState(/** @type {TrafficDetail | null} */ (null));
  const [error, setError] = useState(/** @type {string | null} */ (null));
  useEffect(() => {
    getJson(`/api/traffic/${encodeURIComponent(entry.device)}/${entry.seq}`)
      .then((d) => setDetail(/** @type {TrafficDetail} */ (d)))
      .catch((e) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  return html`
    <section class="traffic-detail" aria-label="Request detail" data-testid="traffic-detail">
      <div class="row"><h3>${entry.device} #${entry.seq}: ${entry.method} ${entry.command ?? entry.url}</h3><button type="button" onClick=${onClose}>Close</button></div>
      <p>${entry.at} · ${entry.status ?? entry.outcome} · ${Math.round(entry.durationMs)} ms${entry.faults.length ? ` · faults: ${entry.faults.join(', ')}` : ''}</p>
      ${error ? html`<p class="message error" role="alert">${error}</p>` : ''}
      ${detail === null && !error ? html`<p>Loading…</p>` : ''}
      ${detail && !detail.entry.captured ? html`<p>Bytes were not captured: the request arrived while no page was open.</p>` : ''}
      ${detail?.frames ? html`<${Frames} frames=${detail.frames} />` : ''}
      ${detail?.request ? html`<h4>Request bytes</h4><pre data-testid="request-bytes">${detail.request.text}</pre>` : ''}
      ${detail?.response ? html`<h4>Response bytes</h4><pre data-testid="response-bytes">${detail.response.text}</pre>` : ''}
      ${detail?.omittedBytes ? html`<p>${detail.omittedBytes} more bytes were exchanged than kept (the capture keeps 16 KiB of each part).</p>` : ''}
    </section>`;
}

/** @param {{ frames: FrameView[] }} props */
function Frames({ frames }) {
  return html`
    <div class="table-scroll">
      <table class="frames" data-testid="frames">
        <thead><tr><th scope="col">dir</th><th scope="col">hex</th><th scope="col">VER</th><th scope="col">ADR</th><th scope="col">CID1</th><th scope="col">CID2</th><th scope="col">RTN</th><th scope="col">INFO</th><th scope="col">checksum</th></tr></thead>
        <tbody>
          ${frames.map((f) => html`
            <tr>
              <td>${f.direction === 'in' ? '→ in' : '← out'}</td>
              <td><code class="hex">${f.hex}</code><br /><code>${f.ascii}</code></td>
              ${f.decoded
                ? html`<td>${f.decoded.ver}</td><td>${f.decoded.adr}</td><td>${f.decoded.cid1}</td><td data-testid="cid2">${f.decoded.cid2}</td><td>${f.decoded.rtn ?? '—'}</td>
                    <td><code>${f.decoded.info || '—'}</code></td><td>${f.decoded.valid ? 'valid' : 'INVALID'}</td>`
                : html`<td colspan="7">not a frame</td>`}
            </tr>`)}
        </tbody>
      </table>
    </div>`;
}
