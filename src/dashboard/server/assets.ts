// Where the page and its vendored libraries are on disk, wherever voltbench runs from: the sources
// (tsx, tests), tsc's dist/src, the esbuild bundle in dist/cli, or the Docker image (which has
// dist/ but no src/). Nothing is built: the page is served as written, the libraries from node_modules.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root: the first folder above this module with voltbench's package.json. */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; ) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'voltbench') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`voltbench's package.json not found above ${from}`);
    dir = parent;
  }
}

/**
 * The page's folder: the sources when present (a checkout: edits show on reload), else the copy the
 * build puts in dist/dashboard/page (the image and the published package carry no src/).
 */
export function pageDir(root: string = packageRoot()): string {
  for (const dir of [join(root, 'src', 'dashboard', 'page'), join(root, 'dist', 'dashboard', 'page')]) {
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  throw new Error(`the dashboard page is missing: no index.html in ${root}/src/dashboard/page or ${root}/dist/dashboard/page`);
}

/** A package's folder, found through its main entry (export maps hide the files we serve). */
function packageDir(name: string, root: string): string {
  const require = createRequire(join(root, 'package.json'));
  for (let dir = dirname(require.resolve(name)); ; ) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package ${name} not found`);
    dir = parent;
  }
}

/** `/vendor/<name>` → the file in node_modules it serves. */
export function vendorFiles(root: string = packageRoot()): Record<string, string> {
  const htm = packageDir('htm', root);
  const uplot = packageDir('uplot', root);
  return {
    // htm bound to Preact, hooks included, as one ES module: the page's view library.
    'htm-preact.js': join(htm, 'preact', 'standalone.module.js'),
    'uplot.js': join(uplot, 'dist', 'uPlot.esm.js'),
    'uplot.css': join(uplot, 'dist', 'uPlot.min.css'),
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
};

export function contentTypeOf(file: string): string {
  const dot = file.lastIndexOf('.');
  return TYPES[dot === -1 ? '' : file.slice(dot)] ?? 'application/octet-stream';
}

/** A relative path inside the page folder: plain names only, so no request reaches outside it. */
export function safeRelativePath(path: string): boolean {
  return /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/.test(path) && !path.split('/').some((part) => part.startsWith('..'));
}
