// A form for every fault kind a device takes, built from the control API's fault schema
// (`/api/fault-schema`): the kind-specific fields for the chosen kind, then the limits every kind
// takes (match, times, probability, a virtual-time window).
import { html, useState } from 'htm-preact';
import { control } from './api-client.js';
import { durationValue } from './clock-controls.js';

/**
 * @typedef {{ type?: string, description?: string, anyOf?: JsonSchema[], const?: unknown, properties?: Record<string, JsonSchema>,
 *   patternProperties?: Record<string, JsonSchema>, minimum?: number, maximum?: number, expects?: string }} JsonSchema
 */

/** Fields every kind takes. */
const LIMITS = ['match', 'times', 'probability', 'from', 'to', 'for'];
/** Fields whose description names no kind, by the kind they belong to. */
const UNPREFIXED = /** @type {Record<string, string>} */ ({ contentType: 'status', headers: 'status' });

/**
 * The kinds a field applies to: its description starts with them (`latency/delay: …`).
 * @param {string} name @param {JsonSchema} schema @returns {string[] | 'all'}
 */
export function kindsOf(name, schema) {
  if (LIMITS.includes(name)) return 'all';
  const prefix = /^([a-z]+(?:\/[a-z]+)*):/.exec(schema.description ?? '');
  if (prefix?.[1]) return prefix[1].split('/');
  const owner = UNPREFIXED[name];
  return owner ? [owner] : 'all';
}

/** @param {JsonSchema} schema @returns {string[]} */
export function kindChoices(schema) {
  const kind = schema.properties?.kind;
  return (kind?.anyOf ?? []).map((k) => String(k.const));
}

/**
 * @param {{ device: string, kinds: string[], schema: JsonSchema, run: import('./action.js').Run }} props
 */
export function FaultForm({ device, kinds, schema, run }) {
  const offered = kindChoices(schema).filter((k) => kinds.includes(k));
  const [kind, setKind] = useState(offered[0] ?? '');
  const [values, setValues] = useState(/** @type {Record<string, string>} */ ({}));
  const [localError, setLocalError] = useState(/** @type {string | null} */ (null));
  const properties = Object.entries(schema.properties ?? {}).filter(([name]) => name !== 'kind');
  const own = properties.filter(([name, s]) => { const k = kindsOf(name, s); return k !== 'all' && k.includes(kind); });
  const limits = properties.filter(([name, s]) => kindsOf(name, s) === 'all');
  const id = (/** @type {string} */ field) => `fault-${device}-${field}`;
  const set = (/** @type {string} */ field) => (/** @type {Event} */ e) => setValues({ ...values, [field]: /** @type {HTMLInputElement} */ (e.currentTarget).value });

  const submit = async (/** @type {Event} */ e) => {
    e.preventDefault();
    let spec;
    try {
      spec = buildSpec(kind, [...own, ...limits], values);
    } catch (error) {
      setLocalError(error instanceof Error ? error.message : String(error));
      return;
    }
    setLocalError(null);
    const result = await run(`Inject ${kind}`, () => control(device, 'POST', 'faults', spec));
    if (result.ok) setValues({});
  };

  /** @param {[string, JsonSchema]} entry */
  const field = ([name, s]) => {
    if (s.properties) {
      return html`${s.expects ? html`<small>${name}: ${s.expects}</small>` : ''}${Object.entries(s.properties).map(([sub, subSchema]) => html`
        <label for=${id(`${name}-${sub}`)}>${name} ${sub}
          <input id=${id(`${name}-${sub}`)} type="text" value=${values[`${name}.${sub}`] ?? ''} placeholder=${subSchema.description ?? ''}
            onInput=${set(`${name}.${sub}`)} data-field=${`${name}.${sub}`} />
        </label>`)}`;
    }
    const hint = s.description ?? s.expects ?? '';
    const numeric = s.type === 'number' || s.type === 'integer';
    return html`
      <label for=${id(name)}>${name}${hint ? html` <small>${hint}</small>` : ''}
        ${name === 'body' || s.patternProperties
          ? html`<textarea id=${id(name)} rows="2" value=${values[name] ?? ''} placeholder=${s.patternProperties ? '{"retry-after": "30"}' : ''} onInput=${set(name)} data-field=${name}></textarea>`
          : html`<input id=${id(name)} type=${numeric ? 'number' : 'text'} step="any" min=${s.minimum} max=${s.maximum} value=${values[name] ?? ''}
              onInput=${set(name)} data-field=${name} />`}
      </label>`;
  };

  if (offered.length === 0) return html`<p>This device takes no fault kind the control API lists.</p>`;
  return html`
    <form class="fault-form" onSubmit=${submit} data-testid=${`fault-form-${device}`}>
      <label for=${id('kind')}>Fault kind
        <select id=${id('kind')} value=${kind} data-field="kind" onChange=${(/** @type {Event} */ e) => { setKind(/** @type {HTMLSelectElement} */ (e.currentTarget).value); setValues({}); }}>
          ${offered.map((k) => html`<option value=${k}>${k}</option>`)}
        </select>
      </label>
      ${own.length > 0 ? html`<fieldset><legend>${kind} options</legend>${own.map(field)}</fieldset>` : ''}
      <details><summary>Limits: which requests, how many, when</summary>${limits.map(field)}</details>
      ${localError ? html`<p class="message error" role="alert">${localError}</p>` : ''}
      <button type="submit">Inject ${kind}</button>
    </form>`;
}

/**
 * The fault spec from the form's text values, typed as the schema says; empty fields are left out.
 * @param {string} kind @param {[string, JsonSchema][]} fields @param {Record<string, string>} values
 */
export function buildSpec(kind, fields, values) {
  /** @type {Record<string, unknown>} */
  const spec = { kind };
  for (const [name, s] of fields) {
    if (s.properties) {
      /** @type {Record<string, string>} */
      const nested = {};
      for (const sub of Object.keys(s.properties)) {
        const v = values[`${name}.${sub}`]?.trim();
        if (v) nested[sub] = v;
      }
      if (Object.keys(nested).length > 0) spec[name] = nested;
      continue;
    }
    const raw = values[name];
    if (raw === undefined || raw.trim() === '') continue;
    if (s.patternProperties) {
      try {
        spec[name] = JSON.parse(raw);
      } catch {
        throw new Error(`${name} must be a JSON object such as {"retry-after": "30"}`);
      }
    } else if (s.type === 'number' || s.type === 'integer') spec[name] = Number(raw);
    else if (s.anyOf) spec[name] = durationValue(raw);
    else spec[name] = raw;
  }
  return spec;
}
