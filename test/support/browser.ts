// A real browser for the dashboard's tests: the system Chromium (Debian's `chromium`, which
// .ci/run installs) driven by playwright-core. Without one the tests skip, saying why; CI fails a
// run where they skipped although it provisioned Chromium (.ci/summary.mjs --require-browser).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The browser to drive: `VOLTBENCH_CHROMIUM`, else Debian's path. */
export function chromiumPath(): string {
  return process.env['VOLTBENCH_CHROMIUM'] || DEFAULT_CHROMIUM;
}

/** Why the browser tests cannot run here, or null when they can. */
export function browserSkipReason(): string | null {
  const path = chromiumPath();
  if (existsSync(path)) return null;
  return `no Chromium at ${path} (install Debian's chromium, or set VOLTBENCH_CHROMIUM to a Chromium binary)`;
}

export async function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
}

/** What a page reported as broken: console errors and uncaught exceptions, as text. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    // An event stream closed by a navigation or by the page's end is not an error.
    if (!request.url().endsWith('/api/events')) errors.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? '?'})`);
  });
  return errors;
}

/** reports/ (gitignored; CI keeps it as the run's artifacts), for screenshots. */
export function reportsDir(): string {
  const dir = join(process.cwd(), 'reports', 'dashboard');
  mkdirSync(dir, { recursive: true });
  return dir;
}
