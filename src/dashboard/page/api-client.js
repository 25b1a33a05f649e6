// The dashboard server's routes (src/dashboard/api.ts) as the page calls them.

/**
 * @template T
 * @param {string} path
 * @returns {Promise<T>}
 */
export async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await messageOf(response)}`);
  return /** @type {Promise<T>} */ (response.json());
}

/**
 * @typedef {{ ok: true, status: number, body: unknown } | { ok: false, status: number, message: string }} ControlResult
 */

/**
 * One call to a device's control API through the dashboard (`/api/devices/<name>/__emu/...`). A 400
 * keeps the control API's own message, which the page shows as is.
 * @param {string} device
 * @param {'GET' | 'POST' | 'PATCH' | 'DELETE'} method
 * @param {string} path after `/__emu/`, e.g. `clock`
 * @param {unknown} [body]
 * @returns {Promise<ControlResult>}
 */
export async function control(device, method, path, body) {
  /** @type {RequestInit} */
  const init = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  let response;
  try {
    response = await fetch(`/api/devices/${encodeURIComponent(device)}/__emu/${path}`, init);
  } catch (error) {
    return { ok: false, status: 0, message: `the dashboard did not answer (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!response.ok) return { ok: false, status: response.status, message: await messageOf(response) };
  const text = await response.text();
  return { ok: true, status: response.status, body: text === '' ? null : safeJson(text) };
}

/** @param {Response} response */
async function messageOf(response) {
  const text = await response.text().catch(() => '');
  const parsed = safeJson(text);
  if (parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string') return parsed.message;
  return text || response.statusText || `HTTP ${response.status}`;
}

/** @param {string} text */
function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
