// The page's live data: one fetch of each view at start, then `/api/events` (server-sent events)
// keeps them current. Samples and traffic can arrive hundreds of times a second at high clock
// speeds; they are buffered and rendered at most once per animation frame.
import { useEffect, useRef, useState } from 'htm-preact';
import { getJson } from './api-client.js';

/** @typedef {import('./types/api.js').Overview} Overview */
/** @typedef {import('./types/api.js').Sample} Sample */
/** @typedef {import('./types/api.js').TrafficEntry} TrafficEntry */
/** @typedef {import('./types/api.js').ScenarioView} ScenarioView */

/** Samples kept for the charts (virtual time; at one a second about 14 h). */
export const MAX_SAMPLES = 50_000;
/** Traffic entries kept, newest first. */
export const MAX_TRAFFIC = 500;

/**
 * @typedef {object} Live
 * @property {Overview | null} overview
 * @property {Sample[]} samples oldest first
 * @property {number} samplesVersion changes whenever `samples` does
 * @property {TrafficEntry[]} traffic newest first
 * @property {ScenarioView | null} scenario
 * @property {'connecting' | 'live' | 'reconnecting' | 'disconnected'} connection (disconnected: reload the page)
 * @property {string | null} error
 * @property {() => Promise<void>} refresh fetch the overview again (after a control call)
 */

/** @returns {Live} */
export function useLive() {
  const [overview, setOverview] = useState(/** @type {Overview | null} */ (null));
  const [scenario, setScenario] = useState(/** @type {ScenarioView | null} */ (null));
  const [connection, setConnection] = useState(/** @type {Live['connection']} */ ('connecting'));
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const [samplesVersion, setSamplesVersion] = useState(0);
  const [traffic, setTraffic] = useState(/** @type {TrafficEntry[]} */ ([]));
  const samples = useRef(/** @type {Sample[]} */ ([]));
  const pendingTraffic = useRef(/** @type {TrafficEntry[]} */ ([]));
  const frame = useRef(0);

  const refresh = async () => {
    try {
      const next = /** @type {Overview} */ (await getJson('/api/overview'));
      setOverview(next);
      setScenario(next.scenario);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  useEffect(() => {
    let closed = false;
    const flush = () => {
      frame.current = 0;
      if (closed) return;
      setSamplesVersion((v) => v + 1);
      const incoming = pendingTraffic.current.splice(0);
      if (incoming.length > 0) setTraffic((list) => mergeTraffic(incoming, list));
    };
    const schedule = () => {
      if (frame.current === 0) frame.current = requestAnimationFrame(flush);
    };

    void refresh();
    const loadHistory = () =>
      getJson(`/api/history?since=0`)
        .then((history) => {
          samples.current = mergeHistory(/** @type {Sample[]} */ (history), samples.current);
          schedule();
        })
        .catch((e) => setError(e instanceof Error ? e.message : String(e)));
    void loadHistory();
    getJson(`/api/traffic?limit=${MAX_TRAFFIC}`)
      .then((list) => setTraffic((current) => mergeTraffic(current, /** @type {TrafficEntry[]} */ (list))))
      .catch((e) => setError(e instanceof Error ? e.message : String(e)));

    const events = new EventSource('/api/events');
    // The browser reconnects by itself; what was missed meanwhile is fetched again.
    let openedBefore = false;
    events.onopen = () => {
      setConnection('live');
      if (openedBefore) {
        void refresh();
        void loadHistory();
      }
      openedBefore = true;
    };
    events.onerror = () => setConnection(events.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting');
    events.addEventListener('overview', (e) => {
      const next = /** @type {Overview} */ (JSON.parse(/** @type {MessageEvent} */ (e).data));
      setOverview(next);
      setScenario(next.scenario);
    });
    events.addEventListener('sample', (e) => {
      addSample(samples.current, /** @type {Sample} */ (JSON.parse(/** @type {MessageEvent} */ (e).data)));
      schedule();
    });
    events.addEventListener('traffic', (e) => {
      pendingTraffic.current.push(/** @type {TrafficEntry} */ (JSON.parse(/** @type {MessageEvent} */ (e).data)));
      schedule();
    });
    events.addEventListener('scenario', (e) => setScenario(/** @type {ScenarioView} */ (JSON.parse(/** @type {MessageEvent} */ (e).data))));
    return () => {
      closed = true;
      events.close();
      if (frame.current !== 0) cancelAnimationFrame(frame.current);
    };
  }, []);

  return { overview, samples: samples.current, samplesVersion, traffic, scenario, connection, error, refresh };
}

/**
 * Appends a sample in virtual-time order, as the server's history keeps them: one at the same
 * instant as the last replaces it (a control call on a stopped clock), one before it means the
 * clock was rewound (a world reset), and the later ones go.
 * @param {Sample[]} list
 * @param {Sample} sample
 */
export function addSample(list, sample) {
  while (list.length > 0 && /** @type {Sample} */ (list[list.length - 1]).t >= sample.t) list.pop();
  list.push(sample);
  if (list.length > MAX_SAMPLES * 1.1) list.splice(0, list.length - MAX_SAMPLES);
}

/** @param {Sample[]} history @param {Sample[]} live samples that arrived meanwhile */
function mergeHistory(history, live) {
  const lastT = history[history.length - 1]?.t ?? -Infinity;
  return [...history, ...live.filter((s) => s.t > lastT)].slice(-MAX_SAMPLES);
}

/**
 * Newest first, each request once (by device and sequence number).
 * @param {TrafficEntry[]} newer in arrival order or newest first
 * @param {TrafficEntry[]} older newest first
 */
function mergeTraffic(newer, older) {
  /** @type {Map<string, TrafficEntry>} */
  const byKey = new Map();
  for (const entry of [...newer, ...older]) byKey.set(`${entry.device}#${entry.seq}`, entry);
  return [...byKey.values()].sort(newestFirst).slice(0, MAX_TRAFFIC);
}

/** @param {TrafficEntry} a @param {TrafficEntry} b */
function newestFirst(a, b) {
  const byTime = Date.parse(b.at) - Date.parse(a.at);
  return byTime !== 0 ? byTime : a.device === b.device ? b.seq - a.seq : a.device < b.device ? -1 : 1;
}
