// A running scenario: its timeline with the current position, the events applied and each
// expectation's verdict as it is judged.
import { html } from 'htm-preact';
import * as f from './format.js';

/** @typedef {import('./types/api.js').ScenarioView} ScenarioView */

const VERDICT = /** @type {const} */ ({ pending: '… pending', pass: '✓ pass', fail: '✗ fail' });

/** @param {{ scenario: ScenarioView }} props */
export function ScenarioView({ scenario: s }) {
  const span = Math.max(1, s.endMs - s.startMs);
  const at = (/** @type {number} */ ms) => `${Math.min(100, Math.max(0, ((ms - s.startMs) / span) * 100))}%`;
  const passed = s.expectations.filter((e) => e.verdict === 'pass').length;
  const failed = s.expectations.filter((e) => e.verdict === 'fail').length;
  return html`
    <section class="scenario" aria-labelledby="scenario-title" data-testid="scenario">
      <h2 id="scenario-title">Scenario ${s.name} <small data-testid="scenario-result">${s.finished ? (s.passed ? '— finished: passed' : '— finished: FAILED') : '— running'}</small></h2>
      <p>${f.instant(s.startMs)} to ${f.instant(s.endMs)}; now ${f.instant(s.nowMs)}. Expectations: ${passed} passed, ${failed} failed, ${s.expectations.length - passed - failed} pending.</p>
      <div class="timeline" role="img" aria-label=${`Timeline, ${Math.round(((s.nowMs - s.startMs) / span) * 100)} % through`}>
        ${s.events.map((e) => html`<span class=${`tick ${e.applied ? 'applied' : ''}`} style=${`left:${at(e.atMs)}`} title=${e.description}></span>`)}
        <span class="now" style=${`left:${at(s.nowMs)}`}></span>
      </div>
      <div class="scenario-lists">
        <div>
          <h3>Events</h3>
          <ol>${s.events.map((e) => html`<li class=${e.applied ? 'applied' : ''}>${f.instant(e.atMs)}: ${e.description} — <strong>${e.applied ? 'applied' : 'to come'}</strong></li>`)}</ol>
        </div>
        <div>
          <h3>Expectations</h3>
          <ol>${s.expectations.map((e) => html`<li class=${`verdict-${e.verdict}`} data-verdict=${e.verdict}>
            ${e.atMs !== null ? `${f.instant(e.atMs)}: ` : ''}${e.description} — <strong>${VERDICT[e.verdict]}</strong>${e.detail ? html`<br /><small>${e.detail}</small>` : ''}</li>`)}</ol>
        </div>
      </div>
    </section>`;
}
