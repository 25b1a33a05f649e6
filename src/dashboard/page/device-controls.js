// Per device: firmware or profile switch, reboot, fault injection with the active faults listed
// (each removable), and reset.
import { html, useState } from 'htm-preact';
import { control } from './api-client.js';
import { useAction } from './action.js';
import { FaultForm } from './fault-form.js';

/** @typedef {import('./types/api.js').DeviceView} DeviceView */
/** @typedef {import('./types/api.js').Fault} Fault */
/** @typedef {import('./types/api.js').ProfileSwitch} Profile */
/** @typedef {import('./fault-form.js').JsonSchema} JsonSchema */

/** @param {{ device: DeviceView, faultSchema: JsonSchema | null, refresh: () => Promise<void> }} props */
export function DeviceControls({ device, faultSchema, refresh }) {
  const { run, busy, Message } = useAction(refresh);
  const name = device.name;
  return html`
    <section class="control-group device-controls" aria-labelledby=${`controls-${name}`} aria-busy=${busy} data-device=${name}>
      <h3 id=${`controls-${name}`}>${device.title} <small>${device.label}</small></h3>
      <div class="row">
        ${device.profiles.map((profile) => html`<${ProfileSwitch} key=${profile.key} device=${device} profile=${profile} run=${run} />`)}
        ${device.actions.includes('reboot') ? html`<button type="button" onClick=${() => run('Reboot', () => control(name, 'PATCH', 'state', { reboot: true }))}>Reboot</button>` : ''}
        <button type="button" onClick=${() => run('Reset', () => control(name, 'POST', 'reset', {}))}>Reset ${name}</button>
      </div>
      <h4>Faults</h4>
      <${FaultList} device=${name} faults=${device.faults} run=${run} />
      ${faultSchema ? html`<${FaultForm} device=${name} kinds=${device.faultKinds} schema=${faultSchema} run=${run} />` : html`<p>Loading the fault schema…</p>`}
      <${Message} />
    </section>`;
}

/**
 * @param {{ device: DeviceView, profile: Profile, run: import('./action.js').Run }} props
 */
function ProfileSwitch({ device, profile, run }) {
  const [choice, setChoice] = useState(profile.value);
  // The first switch keeps the plain id (`profile-senec`); more of one device add their key.
  const id = device.profiles[0] === profile ? `profile-${device.name}` : `profile-${device.name}-${profile.key}`;
  // An action (SENEC's, the PVS's `firmware`) goes at the top level, a setting (the UPS's `dialect`) inside `settings`.
  const body = profile.via === 'setting' ? { settings: { [profile.key]: choice } } : { [profile.key]: choice };
  return html`
    <form class="row" onSubmit=${(/** @type {Event} */ e) => { e.preventDefault(); void run(`Switch ${profile.key}`, () => control(device.name, 'PATCH', 'state', body)); }}>
      <label for=${id}>${profile.key} (now ${profile.value})
        <select id=${id} value=${choice} onChange=${(/** @type {Event} */ e) => setChoice(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
          ${profile.choices.map((c) => html`<option value=${c}>${c}</option>`)}
        </select>
      </label>
      <button type="submit">Switch</button>
    </form>`;
}

/** @param {{ device: string, faults: Fault[], run: import('./action.js').Run }} props */
function FaultList({ device, faults, run }) {
  if (faults.length === 0) return html`<p data-testid=${`faults-${device}`}>No fault active.</p>`;
  return html`
    <ul class="fault-list" data-testid=${`faults-${device}`}>
      ${faults.map((fault) => html`
        <li key=${fault.id} data-fault-id=${fault.id}>
          <span>${describeFault(fault)}</span>
          <button type="button" aria-label=${`Remove fault ${fault.id} (${fault.kind})`} onClick=${() => run('Remove fault', () => control(device, 'DELETE', `faults/${encodeURIComponent(fault.id)}`))}>Remove</button>
        </li>`)}
      ${faults.length > 1 ? html`<li><button type="button" onClick=${() => run('Clear faults', () => control(device, 'DELETE', 'faults'))}>Remove all</button></li>` : ''}
    </ul>`;
}

/** One line per fault: its kind, what it does, to which requests, for how long. @param {Fault} f */
export function describeFault(f) {
  /** @type {string[]} */
  const parts = [f.kind];
  if (f.kind === 'status') parts.push(String(f.status));
  if ((f.kind === 'latency' || f.kind === 'delay') && f.ms) parts.push(`${f.ms} ms${f.jitterMs ? ` ± ${f.jitterMs}` : ''}`);
  if (['corrupt', 'escape', 'garbage', 'flip'].includes(f.kind)) parts.push(`×${f.count}`);
  if (f.kind === 'truncate') parts.push(f.bytes !== undefined ? `to ${f.bytes} B` : `to ${Math.round((f.fraction ?? 0) * 100)} %`);
  if (f.kind === 'split') parts.push(`${f.pieces} pieces, ${f.gapMs} ms apart`);
  if (f.match.path) parts.push(`path ${f.match.path}`);
  if (f.match.command) parts.push(`command ${f.match.command}`);
  if (f.remaining !== null) parts.push(`${f.remaining} left`);
  if (f.probability < 1) parts.push(`p=${f.probability}`);
  if (f.to !== null) parts.push(`until ${new Date(f.to).toISOString()}`);
  parts.push(`${f.hits} hit${f.hits === 1 ? '' : 's'}`);
  return parts.join(' · ');
}
