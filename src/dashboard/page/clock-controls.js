// Play/pause, speed, advance and set: `POST /__emu/clock` on any device (they share one clock).
import { html, useRef, useState } from 'htm-preact';
import { control } from './api-client.js';
import { useAction } from './action.js';

const SPEEDS = [1, 10, 60, 600, 3600];

/**
 * @param {{ device: string, speed: number, nowMs: number, refresh: () => Promise<void> }} props
 *   `device`: the device whose control API takes the command.
 */
export function ClockControls({ device, speed, nowMs, refresh }) {
  const { run, busy, Message } = useAction(refresh);
  // The speed to resume at: the last running speed seen (1 when the page met a paused clock).
  const resumeAt = useRef(speed > 0 ? speed : 1);
  if (speed > 0) resumeAt.current = speed;
  const [speedInput, setSpeedInput] = useState(String(speed > 0 ? speed : resumeAt.current));
  const [advance, setAdvance] = useState('1h');
  const [setTo, setSetTo] = useState('');
  const clock = (/** @type {string} */ what, /** @type {object} */ body) => run(what, () => control(device, 'POST', 'clock', body));
  const paused = speed === 0;

  return html`
    <fieldset class="control-group" aria-busy=${busy}>
      <legend>Clock</legend>
      <div class="row">
        <button type="button" data-testid="play-pause" onClick=${() => clock(paused ? 'Play' : 'Pause', { speed: paused ? resumeAt.current : 0 })}>
          ${paused ? `▶ Play at ${resumeAt.current}×` : '⏸ Pause'}
        </button>
      </div>
      <form class="row" onSubmit=${(/** @type {Event} */ e) => { e.preventDefault(); void clock('Speed', { speed: Number(speedInput) }); }}>
        <label>Speed (× real time, 0 = paused)
          <input type="number" min="0" step="any" list="speed-choices" value=${speedInput} data-testid="speed-input"
            onInput=${(/** @type {Event} */ e) => setSpeedInput(/** @type {HTMLInputElement} */ (e.currentTarget).value)} />
        </label>
        <datalist id="speed-choices">${SPEEDS.map((s) => html`<option value=${s} />`)}</datalist>
        <button type="submit">Set speed</button>
      </form>
      <form class="row" onSubmit=${(/** @type {Event} */ e) => { e.preventDefault(); void clock('Advance', { advance: durationValue(advance) }); }}>
        <label>Advance by (e.g. 90s, 15m, 1h30m, 2d)
          <input type="text" value=${advance} data-testid="advance-input" onInput=${(/** @type {Event} */ e) => setAdvance(/** @type {HTMLInputElement} */ (e.currentTarget).value)} />
        </label>
        <button type="submit" data-testid="advance">Advance</button>
      </form>
      <form class="row" onSubmit=${(/** @type {Event} */ e) => { e.preventDefault(); void clock('Set time', { set: setTo.trim() }); }}>
        <label>Set the time (forward only, ISO 8601 with a zone)
          <input type="text" value=${setTo} placeholder=${new Date(nowMs + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z')} data-testid="set-input"
            onInput=${(/** @type {Event} */ e) => setSetTo(/** @type {HTMLInputElement} */ (e.currentTarget).value)} />
        </label>
        <button type="submit">Set time</button>
      </form>
      <${Message} />
    </fieldset>`;
}

/** A duration as the control API takes it: a number is milliseconds, anything else goes as written. @param {string} text */
export function durationValue(text) {
  const trimmed = text.trim();
  return /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}
