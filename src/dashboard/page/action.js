// A control call's outcome for the user: the control API's own message when it refuses (a 400
// says what to send instead), a short confirmation when it accepts.
import { html, useState } from 'htm-preact';

/** @typedef {import('./api-client.js').ControlResult} ControlResult */
/** @typedef {(what: string, call: () => Promise<ControlResult>) => Promise<ControlResult>} Run */

/**
 * @param {() => Promise<void>} afterSuccess e.g. fetch the overview again
 * @returns {{ run: Run, busy: boolean, Message: () => unknown }}
 */
export function useAction(afterSuccess) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(/** @type {{ ok: boolean, text: string } | null} */ (null));
  const run = async (/** @type {string} */ what, /** @type {() => Promise<ControlResult>} */ call) => {
    setBusy(true);
    try {
      const result = await call();
      setMessage(result.ok ? { ok: true, text: `${what}: done` } : { ok: false, text: `${what}: ${result.status ? `${result.status} ` : ''}${result.message}` });
      if (result.ok) await afterSuccess();
      return result;
    } finally {
      setBusy(false);
    }
  };
  const Message = () =>
    message === null
      ? html`<p class="message" role="status"></p>`
      : message.ok
        ? html`<p class="message ok" role="status">${message.text}</p>`
        : html`<p class="message error" role="alert" data-testid="control-error">${message.text}</p>`;
  return { run, busy, Message };
}
