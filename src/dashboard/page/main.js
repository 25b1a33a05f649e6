// The dashboard page: the world's status, then one view at a time (site, charts, traffic, controls,
// and the scenario when one runs), all kept live by `/api/events`.
import { html, render, useEffect, useState } from 'htm-preact';
import { useAction } from './action.js';
import { control, getJson } from './api-client.js';
import { ChartsView } from './charts-view.js';
import { ClockControls } from './clock-controls.js';
import { DeviceControls } from './device-controls.js';
import { useLive } from './live.js';
import { ScenarioView } from './scenario-view.js';
import { SiteView } from './site-view.js';
import { StatusBar } from './status-bar.js';
import { TrafficView } from './traffic-view.js';
import { WorldControls } from './world-controls.js';

/** @typedef {'site' | 'charts' | 'traffic' | 'controls' | 'scenario'} ViewName */
const VIEWS = /** @type {{ name: ViewName, label: string }[]} */ ([
  { name: 'site', label: 'Site' },
  { name: 'charts', label: 'Charts' },
  { name: 'traffic', label: 'Traffic' },
  { name: 'controls', label: 'Controls' },
  { name: 'scenario', label: 'Scenario' },
]);

/** The view named in the address (`#charts`), so a view can be linked and reloaded. */
function viewFromHash() {
  const name = location.hash.slice(1);
  return VIEWS.some((v) => v.name === name) ? /** @type {ViewName} */ (name) : 'site';
}

function App() {
  const live = useLive();
  const [view, setView] = useState(viewFromHash);
  const [faultSchema, setFaultSchema] = useState(/** @type {import('./fault-form.js').JsonSchema | null} */ (null));
  useEffect(() => {
    getJson('/api/fault-schema').then((s) => setFaultSchema(/** @type {import('./fault-form.js').JsonSchema} */ (s))).catch(() => {});
    const onHash = () => setView(viewFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const { overview } = live;
  if (overview === null) {
    return html`<main><h1>voltbench</h1><p role="status">${live.error ? `Cannot reach the dashboard API: ${live.error}` : 'Loading…'}</p></main>`;
  }
  const views = VIEWS.filter((v) => v.name !== 'scenario' || live.scenario !== null);
  const current = views.some((v) => v.name === view) ? view : 'site';
  const controlDevice = overview.devices.find((d) => d.controlUrl !== null)?.name ?? overview.devices[0]?.name ?? '';
  const names = overview.devices.map((d) => d.name);

  return html`
    <header>
      <h1>voltbench <small>${names.join(' · ')}</small></h1>
      <${StatusBar} overview=${overview} connection=${live.connection} />
      <nav aria-label="Views">
        ${views.map((v) => html`<a href=${`#${v.name}`} class="tab" aria-current=${v.name === current ? 'page' : undefined} data-view=${v.name}>${v.label}</a>`)}
      </nav>
    </header>
    <main id="view" data-view=${current}>
      ${live.error ? html`<p class="message error" role="alert">${live.error}</p>` : ''}
      ${current === 'site' ? html`<h2 class="visually-hidden">Site</h2><${SiteView} devices=${overview.devices} gridUp=${overview.world.gridUp} />` : ''}
      ${current === 'charts' ? html`<h2 class="visually-hidden">Charts</h2><${ChartsView} samples=${live.samples} version=${live.samplesVersion} devices=${overview.devices} />` : ''}
      ${current === 'traffic' ? html`<h2 class="visually-hidden">Traffic</h2><${TrafficView} traffic=${live.traffic} devices=${names} />` : ''}
      ${current === 'controls'
        ? html`<h2 class="visually-hidden">Controls</h2>
            <div class="controls-grid">
              <${ClockControls} device=${controlDevice} speed=${overview.clock.speed} nowMs=${overview.clock.now} refresh=${live.refresh} />
              <${WorldControls} device=${controlDevice} gridUp=${overview.world.gridUp} cloudCover=${overview.world.cloudCover}
                seeded=${overview.world.config.cloudCover === null} refresh=${live.refresh} />
              ${overview.devices.map((d) => html`<${DeviceControls} key=${d.name} device=${d} faultSchema=${faultSchema} refresh=${live.refresh} />`)}
              <${ResetWorld} device=${controlDevice} refresh=${live.refresh} />
            </div>`
        : ''}
      ${current === 'scenario' && live.scenario ? html`<${ScenarioView} scenario=${live.scenario} outages=${overview.world.outages} />` : ''}
    </main>`;
}

/** @param {{ device: string, refresh: () => Promise<void> }} props */
function ResetWorld({ device, refresh }) {
  const { run, busy, Message } = useAction(refresh);
  return html`
    <fieldset class="control-group" aria-busy=${busy}>
      <legend>Reset the world</legend>
      <p>Rewinds the shared clock and weather (and resets ${device}); each device's own reset is with its controls.</p>
      <button type="button" onClick=${() => run('Reset the world', () => control(device, 'POST', 'reset', { world: true }))}>Reset clock and weather</button>
      <${Message} />
    </fieldset>`;
}

const root = document.getElementById('app');
if (root) {
  root.textContent = ''; // the no-JavaScript notice
  render(html`<${App} />`, root);
}
