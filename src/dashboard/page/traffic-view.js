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
                  <td class=${statusTone(t)}>${statusText(t)}</td>
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

/** A YD/T 1363 exchange (the UPS): its log line is the frame, which starts with `~`. @param {TrafficEntry} t */
function isFrame(t) {
  return t.url.startsWith('~');
}

/** The HTTP status, a frame's RTN, or what became of an unanswered request. @param {TrafficEntry} t */
function statusText(t) {
  if (t.status === null) return t.outcome;
  return isFrame(t) ? `RTN ${t.status.toString(16).toUpperCase().padStart(2, '0')}` : String(t.status);
}

/** @param {TrafficEntry} t */
function statusTone(t) {
  if (t.outcome !== 'answered' || t.status === null) return 'alarm';
  return (isFrame(t) ? t.status !== 0 : t.status >= 400) ? 'alarm' : 'ok';
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
      <p>${entry.at} · ${statusText(entry)} · ${Math.round(entry.durationMs)} ms${entry.faults.length ? ` · faults: ${entry.faults.join(', ')}` : ''}</p>
      ${error ? html`<p class="message error" role="alert">${error}</p>` : ''}
      ${detail === null && !error ? html`<p>Loading…</p>` : ''}
      ${detail && !detail.entry.captured ? html`<p>Bytes were not captured: the request arrived while no page was open.</p>` : ''}
      ${detail?.frames ? html`<${Frames} frames=${detail.frames} />` : ''}
      ${detail?.request ? html`<h4>Request bytes</h4><pre data-testid="request-bytes">${detail.request.text}</pre>` : ''}
      ${detail?.response ? html`<h4>Response bytes</h4><pre data-testid="response-bytes">${detail.response.text}</pre>` : ''}
      ${detail?.omittedBytes ? html`<p data-testid="omitted-bytes">${detail.omittedBytes} more bytes were exchanged than kept (the capture keeps 16 KiB of each part).</p>` : ''}
    </section>`;
}

/** @param {{ frames: FrameView[] }} props */
function Frames({ frames }) {
  return html`
    <div class="frames" data-testid="frames">
      <h4>Frames</h4>
      ${frames.map((f) => html`
        <div class="frame" data-direction=${f.direction}>
          <strong>${f.direction === 'in' ? '→ in (to the UPS)' : '← out (from the UPS)'}</strong>
          <dl>
            <div class="info"><dt>hex</dt><dd data-field="hex">${f.hex}</dd></div>
            <div class="info"><dt>ASCII</dt><dd data-field="ascii">${f.ascii}</dd></div>
            ${f.decoded
              ? html`
                  <div><dt>VER</dt><dd data-field="ver">${f.decoded.ver}</dd></div>
                  <div><dt>ADR</dt><dd data-field="adr">${f.decoded.adr}</dd></div>
                  <div><dt>CID1</dt><dd data-field="cid1">${f.decoded.cid1}</dd></div>
                  ${f.direction === 'in'
                    ? html`<div><dt>CID2</dt><dd data-field="cid2">${f.decoded.cid2}</dd></div>`
                    : html`<div><dt>RTN</dt><dd data-field="rtn">${f.decoded.rtn ?? '—'}</dd></div>`}
                  <div><dt>checksum</dt><dd data-field="valid">${f.decoded.valid ? 'valid' : 'INVALID'}</dd></div>
                  <div class="info"><dt>INFO</dt><dd data-field="info">${f.decoded.info || '(empty)'}</dd></div>`
              : html`<div class="info"><dt>fields</dt><dd>not a YD/T 1363 frame</dd></div>`}
          </dl>
        </div>`)}
    </div>`;
}
