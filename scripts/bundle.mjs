// Bundles the CLI (`dist/cli/`) from the TypeScript sources with esbuild, in well under a second.
// One file per device (each built-in device's code is its own chunk, imported when that device
// starts), so `voltbench up` loads a handful of files instead of several hundred modules: module
// loading, not our code, is what start-up time is made of. The library entry points
// (`voltbench/testing`, the clients) stay tsc's per-module output with declarations.
//   node scripts/bundle.mjs            build
//   node scripts/bundle.mjs --check    exit 1 if the bundle is older than any source file
import { cpSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const OUT_DIR = join(root, 'dist', 'cli');
export const STAMP = join(OUT_DIR, 'build-stamp.json');
/** The dashboard page, served as written (no build step): copied where an install without src/ finds it. */
const PAGE_SOURCE = join(root, 'src', 'dashboard', 'page');
export const PAGE_OUT = join(root, 'dist', 'dashboard', 'page');
const SOURCE_DIRS = ['emulators', 'contracts', 'src'];

/** The newest modification time among the bundle's sources (tests excluded), in ms. */
export function newestSource() {
  let newest = statSync(join(root, 'package.json')).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(root, dir));
  for (const config of ['tsconfig.json', 'tsconfig.build.json']) newest = Math.max(newest, statSync(join(root, config)).mtimeMs);
  return newest;
}

export async function bundle() {
  const sourcesAt = newestSource();
  // Loaded here, not at the top: the CLI imports this module for newestSource() on every start.
  const { build } = await import('esbuild');
  // Chunk names carry content hashes: clear out the last build's.
  rmSync(OUT_DIR, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    metafile: true,
    entryPoints: { main: 'src/cli/main.ts' },
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    chunkNames: 'chunks/[name]-[hash]',
    // serialport loads a native addon, testcontainers is an optional peer: both stay packages.
    external: ['serialport', '@serialport/*', 'testcontainers'],
    // Bundled CommonJS (Fastify and its dependencies) calls require() for node built-ins.
    banner: { js: "import { createRequire as __voltbenchRequire } from 'node:module'; const require = __voltbenchRequire(import.meta.url);" },
    legalComments: 'none',
    // Smaller files parse faster, and parsing is most of start-up.
    minify: true,
    logLevel: 'warning',
  });
  // Which sources went into which output file: tests check that each device's code sits in a chunk of its own.
  writeFileSync(join(OUT_DIR, 'meta.json'), JSON.stringify(result.metafile));
  // The page's type-checking files (tsconfig.json, types/) are not served.
  rmSync(PAGE_OUT, { recursive: true, force: true });
  cpSync(PAGE_SOURCE, PAGE_OUT, { recursive: true, filter: (path) => !path.endsWith('tsconfig.json') && !path.endsWith('.d.ts') && !/[\\/]types$/.test(path) });
  writeFileSync(STAMP, `${JSON.stringify({ sourcesAt })}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundle();
}
