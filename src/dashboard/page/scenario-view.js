// A running scenario: its timeline with the current position, the events applied and each
// expectation's verdict as it is judged.
import { html } from 'htm-preact';
import * as f from './format.js';

/** @typedef {import('./types/api.js').ScenarioView} ScenarioView */

const VERDICT = /** @type {const} */ ({ pending: '… pending', pass: '✓ pass', fail: '✗ fail' });

/** @param {{ scenario: ScenarioView, outages: { from: number, to: number | null }[] }} props  outages: the world's, planned ones included */
export function ScenarioView({ scenario: s, outages }) {
  const span = Math.max(1, s.endMs - s.startMs);
  const at = (/** @type {number} */ ms) => `${Math.min(100, Math.max(0, ((ms - s.startMs) / span) * 100))}%`;
  const shown = outages.filter((o) => (o.to ?? Infinity) > s.startMs && o.from < s.endMs);
  const passed = s.expectations.filter((e) => e.verdict === 'pass').length;
  const failed = s.expectations.filter((e) => e.verdict === 'fail').length;
  return html`
    <section class="scenario" aria-labelledby="scenario-title" data-testid="scenario">
      <h2 id="scenario-title">Scenario ${s.name} <small data-testid="scenario-result">${s.finished ? (s.passed ? '— finished: passed' : '— finished: FAILED') : '— running'}</small></h2>
      <p>${f.instant(s.startMs)} to ${f.instant(s.endMs)}; now ${f.instant(s.nowMs)}. Expectations: ${passed} passed, ${failed} failed, ${s.expectations.length - passed - failed} pending.</p>
      ${s.error ? html`<p class="message error" role="alert">The run stopped: ${s.error}</p>` : ''}
      <div class="timeline" role="img" aria-label=${`Timeline, ${Math.round(((s.nowMs - s.startMs) / span) * 100)} % through`}>
        ${shown.map((o) => html`<span class="outage" style=${`left:${at(o.from)};width:calc(${at(o.to ?? s.endMs)} - ${at(o.from)})`}></span>`)}
        ${s.events.map((e) => html`<span class=${`tick ${e.applied ? 'applied' : ''}`} style=${`left:${at(e.atMs)}`} title=${e.description}></span>`)}
        <span class="now" style=${`left:${at(s.nowMs)}`}></span>
      </div>
      <p class="timeline-key">Red line: now. Ticks: events (green once applied).${shown.length > 0
        ? ` Shaded: grid down ${shown.map((o) => `${f.instant(o.from)} to ${o.to === null ? 'open end' : f.instant(o.to)}`).join(', ')}.`
        : ''}</p>
      <div class="scenario-lists">
        <div>
          <h3>Events</h3>
          <ol>${s.events.map((e) => html`<li class=${e.applied ? 'applied' : ''} data-applied=${e.applied}>${f.instant(e.atMs)}: ${e.description} — <strong>${e.applied ? 'applied' : 'to come'}</strong></li>`)}</ol>
        </div>
        <div>
          <h3>Expectations</h3>
          <ol>${s.expectations.map((e) => html`<li class=${`verdict-${e.verdict}`} data-verdict=${e.verdict}>
            ${checkedWhen(e)}: ${e.description} — <strong>${VERDICT[e.verdict]}</strong>${e.detail ? html`<br /><small>${e.detail}</small>` : ''}</li>`)}</ol>
        </div>
      </div>
    </section>`;
}

/** When an expectation is checked: an instant, or a window. @param {{ atMs: number, toMs?: number }} e */
function checkedWhen(e) {
  return e.toMs === undefined || e.toMs === e.atMs ? f.instant(e.atMs) : `${f.instant(e.atMs)} to ${f.instant(e.toMs)}`;
}
