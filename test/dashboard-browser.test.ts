/**
 * The dashboard page in a real browser (the system Chromium through playwright-core), against
 * voltbench started in-process on a manual clock, so every value has one virtual instant to be
 * compared at. What the page shows is checked against the devices' own control APIs and typed
 * clients, never against the dashboard's API it was drawn from. One browser, one page per width.
 * Without Chromium the tests skip and say why (test/support/browser.ts).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startVoltbench, type Voltbench } from '../emulators/registry.js';
import { GrowattClient } from '../src/clients/growatt/index.js';
import { KehuaUpsClient, UpsError } from '../src/clients/kehua-ups/index.js';
import { SenecClient } from '../src/clients/senec/index.js';
import { devicesOfKind, PvsClient, PvsHttpError } from '../src/clients/sunpower-pvs/index.js';
import { startDashboard, type RunningDashboard } from '../src/dashboard/server/index.js';
import { scenarioFeed } from '../src/dashboard/server/scenario-feed.js';
import { loadScenario, startScenario } from '../src/scenarios/index.js';
import { browserSkipReason, collectPageErrors, launchChromium, reportsDir } from './support/browser.js';

const skipReason = browserSkipReason();
if (skipReason !== null) console.warn(`browser tests SKIPPED: ${skipReason}`);

/** 11:00 in the default Californian world: sun on the panels, the SENEC battery charging. */
const START = Date.parse('2026-06-21T19:00:00Z');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 800 };
/** Waits for the page and the devices: generous, the machine may be busy. */
const POLL = { timeout: 10_000 };

let vb: Voltbench;
let dashboard: RunningDashboard;
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  if (skipReason !== null) return;
  vb = await startVoltbench({ devices: ['pvs', 'senec', 'growatt', 'ups'], host: '127.0.0.1', seed: 7, speed: 0, start: START, freePorts: true });
  closers.push(() => vb.close());
  dashboard = await startDashboard({ voltbench: vb, host: '127.0.0.1', port: 0 });
  closers.push(() => dashboard.close());
  browser = await launchChromium();
  closers.push(() => browser.close());
  page = await browser.newPage({ viewport: DESKTOP });
  pageErrors = collectPageErrors(page);
  await page.goto(dashboard.url);
}, 60_000);

afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => {});
});

beforeEach((context) => {
  if (skipReason === null) return;
  context.task.meta.skipReason = skipReason; // vitest's JSON report keeps it; CI names each skipped browser test
  context.skip();
});

// --- the devices' own APIs -------------------------------------------------------------------------

function controlUrl(device: string): string {
  const url = vb.emulators[device]?.controlUrl;
  if (!url) throw new Error(`${device} has no control URL`);
  return url;
}

async function controlApi<T = unknown>(device: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${controlUrl(device)}/__emu/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

const getState = async <T>(device: string) => (await controlApi<T>(device, 'GET', 'state')).body;
const clockNow = async () => (await controlApi<{ now: number; speed: number }>('pvs', 'GET', 'clock')).body;
const world = async () => (await controlApi<{ gridUp: boolean; irradianceWm2: number; cloudCover: number }>('pvs', 'GET', 'world')).body;

function pvsClient(): PvsClient {
  return new PvsClient({ baseUrl: vb.emulators.pvs!.ready['url']!, retries: 0 });
}

// --- the page ----------------------------------------------------------------------------------------

async function showView(name: 'site' | 'charts' | 'traffic' | 'controls', on: Page = page): Promise<void> {
  await on.click(`nav a[data-view="${name}"]`);
  await on.waitForSelector(`main[data-view="${name}"]`);
}

/** The page's text of one element, waited for. */
async function textOf(selector: string, on: Page = page): Promise<string> {
  return (await on.locator(selector).first().textContent({ timeout: 5_000 })) ?? '';
}

/** Watts in a flow's words ("exporting 5.05 kW", "using 687 W"), as a number of watts. */
function wattsIn(text: string): number {
  const match = /(\d+(?:\.\d+)?)\s*(kW|W)/.exec(text);
  if (!match) throw new Error(`no power in "${text}"`);
  return Number(match[1]) * (match[2] === 'kW' ? 1000 : 1);
}

/** A backup time in words ("backup 4 h 20 min", "backup 35 min") in minutes. */
function minutesIn(text: string): number {
  const match = /(?:(\d+) h )?(\d+) min/.exec(text);
  if (!match) throw new Error(`no duration in "${text}"`);
  return Number(match[1] ?? 0) * 60 + Number(match[2]);
}

/** The shown figure agrees with the control API's to its rounding (kW with two decimals, or whole W). */
function expectShownWatts(text: string, watts: number): void {
  expect(Math.abs(wattsIn(text) - Math.abs(watts)), `"${text}" vs ${watts} W`).toBeLessThanOrEqual(Math.abs(watts) >= 10_000 ? 50 : Math.abs(watts) >= 1000 ? 5 : 0.5);
}

async function screenshot(name: string, on: Page = page): Promise<void> {
  await on.screenshot({ path: join(reportsDir(), `${name}.png`), fullPage: true });
}

/** Waits until the page's status bar shows the control API's current virtual instant. */
async function pageAtClock(): Promise<number> {
  const { now } = await clockNow();
  await expect.poll(async () => Number(await page.getAttribute('[data-testid="virtual-time"]', 'data-ms')), POLL).toBe(now);
  return now;
}

describe('the dashboard page in Chromium', () => {
  it('loads with no console error and shows what the control APIs report at the same virtual instant', async () => {
    await page.waitForSelector('.device-card', { timeout: 10_000 });
    expect(await page.locator('.device-card').count()).toBe(vb.devices.length);
    await expect.poll(() => textOf('[data-testid="connection"]'), POLL).toBe('live');

    // The clock is manual: one instant for the page and every control API.
    const clock = await clockNow();
    expect(clock.speed).toBe(0);
    await pageAtClock();
    expect(await textOf('[data-testid="virtual-time"]')).toContain(new Date(clock.now).toISOString().slice(0, 19).replace('T', ' '));
    expect(await textOf('[data-testid="clock-speed"]')).toMatch(/paused/);

    const w = await world();
    expect(await textOf('[data-testid="grid-state"]')).toBe(w.gridUp ? 'grid up' : 'grid down');
    expect(Number((await textOf('[data-testid="irradiance"]')).replace(/\D+$/, ''))).toBe(Math.round(w.irradianceWm2));
    expect(await textOf('[data-testid="cloud-cover"]')).toMatch(new RegExp(`^${Math.round(w.cloudCover * 100)} % cloud`));

    const card = (device: string, part: string) => `[data-device="${device}"] [data-testid="${part}"]`;
    /** A flow node's words ("charging 1.88 kW"), without its label or state-of-charge line. */
    const flow = (device: string, part: string) => `${card(device, part)} .flow-value`;

    // SENEC: its state's flow, each in words with its direction.
    const senec = await getState<{ socPct: number; flow: { pvW: number; houseW: number; gridW: number; batteryW: number } }>('senec');
    expect(senec.flow.pvW).toBeGreaterThan(1000); // a daytime instant, so the comparison means something
    expectShownWatts(await textOf(flow('senec', 'pv')), senec.flow.pvW);
    expectShownWatts(await textOf(flow('senec', 'house')), senec.flow.houseW);
    const senecGrid = await textOf(flow('senec', 'grid'));
    expectShownWatts(senecGrid, senec.flow.gridW);
    expect(senecGrid).toContain(senec.flow.gridW < 0 ? 'exporting' : 'importing');
    const senecBattery = await textOf(flow('senec', 'battery'));
    expectShownWatts(senecBattery, senec.flow.batteryW);
    expect(senecBattery).toContain(senec.flow.batteryW > 0 ? 'charging' : 'discharging');
    expect(await textOf(card('senec', 'soc'))).toBe(`${Math.round(senec.socPct)} %`);

    // PVS: its power sample (kW).
    const pvs = await getState<{ power: { pvKw: number; loadKw: number; gridKw: number } }>('pvs');
    expectShownWatts(await textOf(flow('pvs', 'pv')), pvs.power.pvKw * 1000);
    expectShownWatts(await textOf(flow('pvs', 'house')), pvs.power.loadKw * 1000);
    expect(await textOf(flow('pvs', 'grid'))).toContain(pvs.power.gridKw < 0 ? 'exporting' : 'importing');
    expectShownWatts(await textOf(flow('pvs', 'grid')), pvs.power.gridKw * 1000);

    // UPS: mains, battery voltage, backup time, load.
    const ups = await getState<{ status: { gridUp: boolean; batteryVoltage: number; backupTimeMin: number; loadW: number; batterySocPct: number } }>('ups');
    expect(await textOf(flow('ups', 'mains'))).toContain(ups.status.gridUp ? 'mains present' : 'mains lost');
    expect(Number(await page.getAttribute(card('ups', 'ups-battery-v'), 'data-value'))).toBeCloseTo(ups.status.batteryVoltage, 3);
    expect(await textOf(card('ups', 'ups-battery-v'))).toBe(`${ups.status.batteryVoltage.toFixed(1)} V`);
    expect(minutesIn(await textOf(card('ups', 'ups-backup')))).toBeCloseTo(ups.status.backupTimeMin, -0.5);
    expectShownWatts(await textOf(flow('ups', 'ups-load')), ups.status.loadW);
    expect(await textOf(card('ups', 'soc'))).toBe(`${Math.round(ups.status.batterySocPct)} %`);

    await screenshot('site-desktop');
    expect(pageErrors).toEqual([]);
  });

  it('charts: one per device, its window ending at the virtual instant the clock shows', async () => {
    // Time moves (through a control API, not the page): the charts follow.
    await controlApi('pvs', 'POST', 'clock', { advance: '20m' });
    await controlApi('pvs', 'POST', 'clock', { advance: '20m' });
    const now = await pageAtClock();
    await showView('charts');
    for (const device of vb.devices) await page.waitForSelector(`[data-testid="chart-${device.name}"] canvas`);
    await expect.poll(() => textOf('.chart-controls .grow'), POLL).toContain(new Date(now).toISOString().slice(0, 19).replace('T', ' '));
    // Each energy chart names its series in the legend; the UPS chart its voltage and backup time.
    expect(await textOf('[data-testid="chart-senec"] .u-legend')).toMatch(/PV W.*house W.*grid W.*battery W.*state of charge/s);
    expect(await textOf('[data-testid="chart-ups"] .u-legend')).toMatch(/battery V.*backup min/s);
    await screenshot('charts-desktop');
    expect(pageErrors).toEqual([]);
  });

  it('"Grid down" makes every device report the outage through its own client; the page says so in words', async () => {
    const senec = new SenecClient({ baseUrl: vb.emulators.senec!.ready['httpsUrl']!, retries: 0, timeoutMs: 5_000 });
    const growattReady = vb.emulators.growatt!.ready as { url: string; token: string };
    const growatt = new GrowattClient({ baseUrl: growattReady.url, token: growattReady.token, scheduler: { enabled: false } });
    const growattState = await getState<{ accounts: { firstPlants: { devices: string[] }[] }[] }>('growatt');
    const sn = growattState.accounts[0]!.firstPlants[0]!.devices[0]!;
    const ups = new KehuaUpsClient({ transport: vb.emulators.ups!.urls['api']!, retries: 0, timeoutMs: 5_000 });
    closers.push(() => ups.close());
    const pvs = pvsClient();
    const inverterStates = async () => new Set(devicesOfKind(await pvs.deviceList(), 'inverter').map((i) => i.state));
    const date = new Date(START).toISOString().slice(0, 10);

    // Before: the grid is up everywhere.
    expect((await senec.meter()).frequencyHz).toBeGreaterThan(45);
    expect(await inverterStates()).toEqual(new Set(['working']));
    expect((await growatt.alarmData({ sn, date })).count).toBe(0);
    expect((await ups.readAlarms()).points['mainsVoltageStatus']!.meaning).toBe('normal');

    await showView('controls');
    await page.click('[data-testid="grid-down"]');
    await expect.poll(() => textOf('[data-testid="grid-state"]'), POLL).toBe('grid down');
    expect((await world()).gridUp).toBe(false);
    // The PVS's inverters see it from their next 15 s tick, Growatt's alarm from its next cycle: a
    // minute later, advanced from the page.
    const before = (await clockNow()).now;
    await page.fill('[data-testid="advance-input"]', '1m');
    await page.click('[data-testid="advance"]');
    await expect.poll(async () => (await clockNow()).now, POLL).toBe(before + 60_000);
    await pageAtClock();

    expect((await senec.meter()).frequencyHz).toBe(0);
    expect(await inverterStates()).toEqual(new Set(['error']));
    const alarms = await growatt.alarmData({ sn, date });
    expect(alarms.count).toBe(1);
    expect(alarms.alarms[0]).toMatchObject({ alarmMessage: 'No AC Connection', status: 1 });
    expect((await ups.readAlarms()).points['mainsVoltageStatus']!.meaning).toBe('abnormal');

    // The site says it in words, not only in colour.
    await showView('site');
    expect(await textOf('[data-device="senec"] [data-testid="grid"]')).toContain('grid down');
    expect(await textOf('[data-device="ups"] [data-testid="mains"]')).toContain('mains lost');
    await screenshot('site-grid-down-desktop');

    await showView('controls');
    await page.click('[data-testid="grid-up"]');
    await expect.poll(() => textOf('[data-testid="grid-state"]'), POLL).toBe('grid up');
    expect((await world()).gridUp).toBe(true);
    senec.close();
    expect(pageErrors).toEqual([]);
  });

  it("shows the control API's own 400 message when it refuses a command", async () => {
    await showView('controls');
    const direct = await controlApi<{ message: string }>('pvs', 'POST', 'clock', { advance: 'soon' });
    expect(direct.status).toBe(400);
    const before = (await clockNow()).now;
    await page.fill('[data-testid="advance-input"]', 'soon');
    await page.click('[data-testid="advance"]');
    await expect.poll(() => textOf('[data-testid="control-error"]'), POLL).toContain(direct.body.message);
    expect((await clockNow()).now).toBe(before);
    // Chromium logs the refused request itself; nothing else went wrong.
    expect(pageErrors).toEqual([expect.stringMatching(/status of 400 .*\/api\/devices\/pvs\/__emu\/clock/)]);
    pageErrors.length = 0;
  });

  it('a 503 injected from the page reaches the next PVS DeviceList, and is listed until removed', async () => {
    await showView('controls');
    const form = page.locator('[data-testid="fault-form-pvs"]');
    await form.locator('select[data-field="kind"]').selectOption('status');
    await form.locator('input[data-field="status"]').fill('503');
    await form.locator('summary').click();
    await form.locator('input[data-field="match.command"]').fill('DeviceList');
    await form.locator('input[data-field="times"]').fill('1');
    await form.locator('button[type="submit"]').click();

    await expect.poll(async () => (await controlApi<{ id: string }[]>('pvs', 'GET', 'faults')).body.length, POLL).toBe(1);
    const [fault] = (await controlApi<{ id: string; kind: string; status: number; match: { command?: string }; remaining: number | null }[]>('pvs', 'GET', 'faults')).body;
    expect(fault).toMatchObject({ kind: 'status', status: 503, match: { command: 'DeviceList' }, remaining: 1 });
    await page.waitForSelector(`[data-testid="faults-pvs"] [data-fault-id="${fault!.id}"]`);
    await screenshot('controls-desktop');

    const error = await pvsClient().deviceList().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PvsHttpError);
    expect((error as PvsHttpError).status).toBe(503);
    expect((await pvsClient().deviceList()).devices.length).toBeGreaterThan(0); // `times: 1` is used up

    // Another one, removed from the page: the control API no longer lists it.
    await form.locator('select[data-field="kind"]').selectOption('latency');
    await form.locator('input[data-field="ms"]').fill('50');
    await form.locator('button[type="submit"]').click();
    await expect.poll(async () => (await controlApi<unknown[]>('pvs', 'GET', 'faults')).body.length, POLL).toBe(1);
    const [latency] = (await controlApi<{ id: string; kind: string }[]>('pvs', 'GET', 'faults')).body;
    expect(latency!.kind).toBe('latency');
    await page.locator(`[data-testid="faults-pvs"] [data-fault-id="${latency!.id}"] button`).click();
    await expect.poll(async () => (await controlApi<unknown[]>('pvs', 'GET', 'faults')).body.length, POLL).toBe(0);
    await page.waitForSelector('[data-testid="faults-pvs"]:has-text("No fault active")');
    expect(pageErrors).toEqual([]);
  });

  it('a request sent by a client appears in the traffic list and opens to its exact bytes; a UPS frame to its decoded fields', async () => {
    const url = `${vb.emulators.pvs!.ready['url']}/cgi-bin/dl_cgi?Command=DeviceList`;
    const body = await (await fetch(url)).text();
    const [latest] = (await controlApi<{ seq: number; command?: string }[]>('pvs', 'GET', 'requests?limit=1')).body;
    expect(latest!.command).toBe('DeviceList');

    await showView('traffic');
    const row = page.locator(`tr[data-device="pvs"][data-seq="${latest!.seq}"]`);
    await row.waitFor({ timeout: 5_000 });
    expect(await row.textContent()).toContain('DeviceList');
    await row.locator('button').click();
    const requestBytes = await textOf('[data-testid="request-bytes"]');
    expect(requestBytes.startsWith('GET /cgi-bin/dl_cgi?Command=DeviceList HTTP/1.1\r\n')).toBe(true);
    const responseBytes = await textOf('[data-testid="response-bytes"]');
    expect(responseBytes).toMatch(/^HTTP\/1\.1 200 /);
    // The head, then the body as the client read it: whole, or its start and how much more there was.
    const shownBody = responseBytes.slice(responseBytes.indexOf('\r\n\r\n') + 4);
    expect(shownBody.length).toBeGreaterThan(0);
    expect(body.startsWith(shownBody)).toBe(true);
    if (shownBody.length < body.length) {
      const omitted = Number(/(\d+) more bytes/.exec(await textOf('[data-testid="omitted-bytes"]'))?.[1]);
      expect(shownBody.length + omitted).toBe(body.length);
    }
    await screenshot('traffic-desktop');

    // The UPS: one command over TCP, its frames beside their fields.
    const ups = new KehuaUpsClient({ transport: vb.emulators.ups!.urls['api']!, retries: 0, timeoutMs: 5_000 });
    closers.push(() => ups.close());
    await ups.readAlarms();
    const [frameRequest] = (await controlApi<{ seq: number; command?: string }[]>('ups', 'GET', 'requests?limit=1')).body;
    const upsRow = page.locator(`tr[data-device="ups"][data-seq="${frameRequest!.seq}"]`);
    await upsRow.waitFor({ timeout: 5_000 });
    await upsRow.locator('button').click();
    await page.waitForSelector('[data-testid="frames"]');
    const sent = page.locator('[data-testid="frames"] [data-direction="in"]').first();
    expect(await sent.locator('[data-field="cid2"]').textContent()).toBe(frameRequest!.command); // as the UPS's own request log names it
    expect(await sent.locator('[data-field="hex"]').textContent()).toMatch(/^7E[0-9A-F]+0D$/); // ~ … CR
    expect(await sent.locator('[data-field="valid"]').textContent()).toBe('valid');
    const reply = page.locator('[data-testid="frames"] [data-direction="out"]').first();
    expect(await reply.locator('[data-field="rtn"]').textContent()).toBe('00');
    await screenshot('traffic-ups-desktop');
    expect(pageErrors).toEqual([]);
  });

  it('set the time, cloud cover, a firmware switch and a reboot from the page: the control APIs report each', async () => {
    await showView('controls');
    const clockGroup = page.locator('fieldset', { has: page.locator('legend', { hasText: 'Clock' }) });
    const target = (await clockNow()).now + 2 * 3_600_000;
    await page.fill('[data-testid="set-input"]', new Date(target).toISOString());
    await clockGroup.locator('button', { hasText: 'Set time' }).click();
    await expect.poll(async () => (await clockNow()).now, POLL).toBe(target);
    await pageAtClock();

    await page.fill('[data-testid="cloud-input"]', '80');
    await page.click('button:has-text("Set cloud cover")');
    await expect.poll(async () => (await world()).cloudCover, POLL).toBeCloseTo(0.8, 6);

    const senecControls = page.locator('.device-controls[data-device="senec"]');
    const before = await getState<{ firmware: string; rebooting: boolean }>('senec');
    const other = before.firmware === 'v3-0825' ? 'v3-0826' : 'v3-0825';
    await senecControls.locator('select#profile-senec').selectOption(other);
    await senecControls.locator('button', { hasText: 'Switch' }).click();
    await expect.poll(async () => (await getState<{ firmware: string }>('senec')).firmware, POLL).toBe(other);
    await expect.poll(() => textOf('.device-controls[data-device="senec"] label[for="profile-senec"]'), POLL).toContain(`now ${other}`);

    expect(before.rebooting).toBe(false);
    await senecControls.locator('button', { hasText: 'Reboot' }).click();
    await expect.poll(async () => (await getState<{ rebooting: boolean }>('senec')).rebooting, POLL).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it("switch the UPS to the GXE dialect from the page: the UPS then answers the GXE's commands and refuses the KEHUA map's", async () => {
    await showView('controls');
    const upsControls = page.locator('.device-controls[data-device="ups"]');
    const dialectForm = upsControls.locator('form', { has: page.locator('select#profile-ups') });
    const kehua = new KehuaUpsClient({ transport: vb.emulators.ups!.urls['api']!, retries: 0, timeoutMs: 5_000 });
    const gxe = new KehuaUpsClient({ transport: vb.emulators.ups!.urls['api']!, retries: 0, timeoutMs: 5_000, dialect: 'gxe' });
    closers.push(() => kehua.close(), () => gxe.close());
    expect((await kehua.status()).dialect).toBe('kehua');
    await expect(gxe.status()).rejects.toBeInstanceOf(UpsError); // KEHUA's 42H is unknown, its 44H not the GXE's layout

    await upsControls.locator('select#profile-ups').selectOption('gxe');
    await dialectForm.locator('button', { hasText: 'Switch' }).click();
    await expect.poll(async () => (await getState<{ settings: { dialect: string } }>('ups')).settings.dialect, POLL).toBe('gxe');
    const status = await gxe.status();
    expect(status.dialect).toBe('gxe');
    expect(status.onBattery).toBe((await world()).gridUp === false);
    await expect(kehua.status()).rejects.toThrow(/RTN 04|unknown CID2|04H/i); // the GXE has no 41H

    await upsControls.locator('select#profile-ups').selectOption('kehua');
    await dialectForm.locator('button', { hasText: 'Switch' }).click();
    await expect.poll(async () => (await getState<{ settings: { dialect: string } }>('ups')).settings.dialect, POLL).toBe('kehua');
    expect((await kehua.status()).dialect).toBe('kehua');
    expect(pageErrors).toEqual([]);
  });

  it('at phone width: no sideways scrolling, views reachable and controls usable from the keyboard with a visible focus', async () => {
    const phone = await browser.newPage({ viewport: PHONE, isMobile: true, hasTouch: true });
    closers.push(() => phone.close());
    const phoneErrors = collectPageErrors(phone);
    await phone.goto(dashboard.url);
    await phone.waitForSelector('.device-card');
    for (const view of ['site', 'charts', 'traffic', 'controls'] as const) {
      await showView(view, phone);
      if (view === 'charts') await phone.waitForSelector('[data-testid="chart-senec"] canvas');
      await phone.waitForTimeout(100);
      const width = await phone.evaluate<number>('document.documentElement.scrollWidth'); // (this file has no DOM types: expressions as text)
      expect(width, `${view} at 375 px`).toBeLessThanOrEqual(PHONE.width);
      await screenshot(`${view}-phone`, phone);
    }

    // Keyboard only, from a fresh load: Tab to the Controls link, Enter follows it, Tab on to the
    // play button, Enter starts the clock and Enter again stops it; the focus ring shows throughout.
    await phone.goto(`${dashboard.url}#site`);
    await phone.reload(); // a hash change alone keeps the focus where the mouse left it
    await phone.bringToFront(); // the window with the keyboard focus: only it shows focus rings
    await phone.waitForSelector('.device-card');
    const focused = (attribute: string) => phone.locator(':focus').getAttribute(attribute, { timeout: 1_000 }).catch(() => null);
    const tabTo = async (attribute: string, value: string) => {
      for (let i = 0; i < 20 && (await focused(attribute)) !== value; i++) await phone.keyboard.press('Tab');
      expect(await focused(attribute)).toBe(value);
      expect(await phone.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none');
    };
    await tabTo('data-view', 'controls');
    await phone.keyboard.press('Enter');
    await phone.waitForSelector('main[data-view="controls"]');
    await tabTo('data-testid', 'play-pause');
    await phone.keyboard.press('Enter');
    await expect.poll(async () => (await clockNow()).speed, POLL).toBe(1);
    await expect.poll(() => phone.textContent('[data-testid="play-pause"]'), POLL).toContain('Pause');
    await phone.keyboard.press('Enter');
    await expect.poll(async () => (await clockNow()).speed, POLL).toBe(0);
    expect(phoneErrors).toEqual([]);
  });
});

describe('a scenario on the dashboard', () => {
  it('shows its timeline, the events applied and each verdict as the runner judges them', async () => {
    const scenario = loadScenario('pvs-supervisor-reboot'); // a reboot at 1h50m, then the supervisor back
    const session = await startScenario(scenario, { speed: 'max' });
    closers.push(() => session.voltbench.close());
    const board = await startDashboard({ voltbench: session.voltbench, scenario: scenarioFeed(session), host: '127.0.0.1', port: 0 });
    closers.push(() => board.close());
    const view = await browser.newPage({ viewport: DESKTOP });
    closers.push(() => view.close());
    const errors = collectPageErrors(view);
    await view.goto(`${board.url}#scenario`);
    await view.waitForSelector('[data-testid="scenario"]');
    const verdicts = () => view.locator('[data-testid="scenario"] [data-verdict]').evaluateAll((items) => items.map((i) => i.getAttribute('data-verdict')));
    const applied = () => view.locator('[data-testid="scenario"] [data-applied="true"]').count();

    // Before it plays: nothing applied, nothing judged.
    expect(await verdicts()).toEqual(scenario.expectations.map(() => 'pending'));
    expect(await applied()).toBe(0);

    // Part-way (the supervisor restarting): the verdicts the runner has reached, the events it has applied.
    const part = await session.run({ until: '1h55m' });
    expect(part.events).toBeGreaterThan(0);
    expect(part.events).toBeLessThan(scenario.events.length);
    expect(part.checks.length).toBeGreaterThan(0);
    expect(part.checks.length).toBeLessThan(scenario.expectations.length);
    const judged = scenario.expectations.map((_, i) => {
      const check = part.checks.find((c) => c.index === i);
      return check === undefined ? 'pending' : check.ok ? 'pass' : 'fail';
    });
    await expect.poll(verdicts, POLL).toEqual(judged);
    await expect.poll(applied, POLL).toBe(part.events);
    expect(await view.textContent('[data-testid="scenario-result"]')).toContain('running');
    await screenshot('scenario-desktop', view);

    const rest = await session.run();
    expect(rest.finished).toBe(true);
    await expect.poll(verdicts, POLL).toEqual(rest.checks.sort((a, b) => a.index - b.index).map((c) => (c.ok ? 'pass' : 'fail')));
    await expect.poll(() => view.textContent('[data-testid="scenario-result"]'), POLL).toContain(rest.passed ? 'finished: passed' : 'finished: FAILED');
    expect(await applied()).toBe(scenario.events.length);
    expect(errors).toEqual([]);
  });
});

describe('at --speed 3600', () => {
  it('the charts follow the clock (an hour a wall second) while a client polls', async () => {
    const fast = await startVoltbench({ devices: ['pvs', 'senec'], host: '127.0.0.1', seed: 3, speed: 3600, start: Date.parse('2026-03-20T14:00:00Z'), freePorts: true });
    closers.push(() => fast.close());
    const board = await startDashboard({ voltbench: fast, host: '127.0.0.1', port: 0 });
    closers.push(() => board.close());
    const view = await browser.newPage({ viewport: DESKTOP });
    closers.push(() => view.close());
    const errors = collectPageErrors(view);
    const clock = async () => ((await (await fetch(`${fast.emulators.pvs!.controlUrl}/__emu/clock`)).json()) as { now: number }).now;
    const windowEnd = async () => Date.parse(`${/(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC/.exec((await view.textContent('.chart-controls .grow')) ?? '')?.[1]?.replace(' ', 'T')}Z`);
    const pvsUrl = `${fast.emulators.pvs!.ready['url']}/cgi-bin/dl_cgi?Command=DeviceList`;
    const polling = setInterval(() => void fetch(pvsUrl).then((r) => r.arrayBuffer()).catch(() => {}), 100);
    try {
      await view.goto(`${board.url}#charts`);
      await view.waitForSelector('[data-testid="chart-senec"] canvas');
      const first = await windowEnd();
      expect(Number.isFinite(first)).toBe(true);
      // Three virtual hours later the window has moved with the clock, and is not ahead of it.
      const target = (await clock()) + 3 * 3_600_000;
      await expect.poll(windowEnd, POLL).toBeGreaterThanOrEqual(target);
      expect(await windowEnd()).toBeLessThanOrEqual(await clock());
      // The traffic the client made is listed too.
      await showView('traffic', view);
      await view.waitForSelector('tr[data-device="pvs"]');
      await screenshot('charts-fast', view);
    } finally {
      clearInterval(polling);
    }
    expect(errors).toEqual([]);
  });
});
