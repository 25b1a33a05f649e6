// Grid outages and cloud cover: `PATCH /__emu/world` on any device (they share one world).
import { html, useState } from 'htm-preact';
import { control } from './api-client.js';
import { useAction } from './action.js';
import { durationValue } from './clock-controls.js';

/**
 * @param {{ device: string, gridUp: boolean, cloudCover: number, seeded: boolean, refresh: () => Promise<void> }} props
 */
export function WorldControls({ device, gridUp, cloudCover, seeded, refresh }) {
  const { run, busy, Message } = useAction(refresh);
  const [outageFor, setOutageFor] = useState('2h');
  const [cover, setCover] = useState(String(Math.round(cloudCover * 100)));
  const world = (/** @type {string} */ what, /** @type {object} */ body) => run(what, () => control(device, 'PATCH', 'world', body));

  return html`
    <fieldset class="control-group" aria-busy=${busy}>
      <legend>Grid and weather</legend>
      <p>The grid is <strong data-testid="grid-now">${gridUp ? 'up' : 'down'}</strong>.</p>
      <div class="row">
        <button type="button" data-testid="grid-down" onClick=${() => world('Grid down', { grid: 'down' })}>Grid down now</button>
        <button type="button" data-testid="grid-up" onClick=${() => world('Restore grid', { grid: 'up' })}>Restore the grid</button>
      </div>
      <form class="row" onSubmit=${(/** @type {Event} */ e) => { e.preventDefault(); void world('Outage', { grid: 'down', for: durationValue(outageFor) }); }}>
        <label>Outage lasting
          <input type="text" value=${outageFor} data-testid="outage-for" onInput=${(/** @type {Event} */ e) => setOutageFor(/** @type {HTMLInputElement} */ (e.currentTarget).value)} />
        </label>
        <button type="submit">Grid down for this long</button>
      </form>
      <form class="row" onSubmit=${(/** @type {Event} */ e) => { e.preventDefault(); void world('Cloud cover', { cloudCover: Number(cover) / 100 }); }}>
        <label>Cloud cover, % ${seeded ? '(now seeded weather)' : ''}
          <input type="number" min="0" max="100" step="1" value=${cover} data-testid="cloud-input" onInput=${(/** @type {Event} */ e) => setCover(/** @type {HTMLInputElement} */ (e.currentTarget).value)} />
        </label>
        <button type="submit">Set cloud cover</button>
        <button type="button" onClick=${() => world('Seeded weather', { cloudCover: null })}>Seeded weather</button>
      </form>
      <${Message} />
    </fieldset>`;
}
