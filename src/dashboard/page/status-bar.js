// The world at a glance: virtual time and speed, sun and weather, grid up or down, and whether the
// page is receiving live updates.
import { html } from 'htm-preact';
import * as f from './format.js';

/**
 * @param {{ overview: import('./types/api.js').Overview, connection: string }} props
 */
export function StatusBar({ overview, connection }) {
  const { clock, world } = overview;
  return html`
    <dl class="status-bar" aria-label="World">
      <div><dt>Virtual time</dt><dd data-testid="virtual-time" data-ms=${clock.now}>${f.instant(clock.now)}<br /><small>${f.localTime(clock.now, world.config.utcOffsetMinutes)}</small></dd></div>
      <div><dt>Speed</dt><dd data-testid="clock-speed" data-speed=${clock.speed}>${f.speed(clock.speed)}</dd></div>
      <div><dt>Sun</dt><dd data-testid="irradiance">${Math.round(world.irradianceWm2)} W/m²</dd></div>
      <div><dt>Weather</dt><dd data-testid="cloud-cover">${Math.round(world.cloudCover * 100)} % cloud, ${world.ambientTempC.toFixed(1)} °C</dd></div>
      <div><dt>Grid</dt><dd data-testid="grid-state" class=${world.gridUp ? 'ok' : 'alarm'}>${world.gridUp ? 'grid up' : 'grid down'}</dd></div>
      <div><dt>Updates</dt><dd data-testid="connection" class=${connection === 'live' ? 'ok' : 'warn'}>${connection === 'disconnected' ? 'disconnected: reload the page' : connection}</dd></div>
    </dl>`;
}
