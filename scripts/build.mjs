// `npm run build`: the library (tsc: dist/src, dist/emulators, … with declarations) and the bundled
// CLI (dist/cli, see bundle.mjs). `--if-stale` (npm's `prepare`) skips both when dist/ is newer than
// every source: npx runs `prepare` again when it first links the checkout, and that must not rebuild
// a current dist/ (14 s, and under any tests that are running from it).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, newestSource, STAMP as BUNDLE_STAMP } from './bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const LIBRARY_STAMP = join(root, 'dist', 'build-stamp.json');

function builtAt(stamp) {
  try {
    return JSON.parse(readFileSync(stamp, 'utf8')).sourcesAt;
  } catch {
    return -1;
  }
}

const sourcesAt = newestSource();
if (process.argv.includes('--if-stale') && builtAt(LIBRARY_STAMP) >= sourcesAt && builtAt(BUNDLE_STAMP) >= sourcesAt) process.exit(0);

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
writeFileSync(LIBRARY_STAMP, `${JSON.stringify({ sourcesAt })}\n`);
await bundle();
