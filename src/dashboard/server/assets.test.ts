import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot, pageDir, safeRelativePath, vendorFiles } from './assets.js';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

function install(layout: { src?: boolean; dist?: boolean }): string {
  root = mkdtempSync(join(tmpdir(), 'voltbench-assets-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'voltbench' }));
  for (const [where, present] of [['src', layout.src], ['dist', layout.dist]] as const) {
    if (!present) continue;
    mkdirSync(join(root, where, 'dashboard', 'page'), { recursive: true });
    writeFileSync(join(root, where, 'dashboard', 'page', 'index.html'), '<!doctype html>');
  }
  return root;
}

describe('dashboard assets', () => {
  it('the page comes from the sources in a checkout and from dist/ where there are none (the image, the package)', () => {
    expect(pageDir(install({ src: true, dist: true }))).toBe(join(root!, 'src', 'dashboard', 'page'));
    expect(pageDir(install({ dist: true }))).toBe(join(root!, 'dist', 'dashboard', 'page'));
    expect(() => pageDir(install({}))).toThrow(/dashboard page is missing/);
  });

  it('the package root is found from a module deep inside it, as from the bundle in dist/cli/chunks', () => {
    const base = install({ dist: true });
    mkdirSync(join(base, 'dist', 'cli', 'chunks'), { recursive: true });
    expect(packageRoot(join(base, 'dist', 'cli', 'chunks', 'dashboard-x.js'))).toBe(base);
  });

  it('vendored files resolve to existing files in node_modules', () => {
    const files = vendorFiles();
    expect(Object.keys(files).sort()).toEqual(['htm-preact.js', 'uplot.css', 'uplot.js']);
    for (const file of Object.values(files)) expect(existsSync(file), file).toBe(true);
  });

  it('page paths stay inside the page folder', () => {
    expect(safeRelativePath('main.js')).toBe(true);
    expect(safeRelativePath('views/site.js')).toBe(true);
    for (const bad of ['../package.json', 'a/../../b', '/etc/passwd', '.env', 'a//b', 'a\\b', '']) expect(safeRelativePath(bad), bad).toBe(false);
  });
});
