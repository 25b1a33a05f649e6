#!/usr/bin/env node
// Runs the bundled CLI (dist/cli/, made by `npm install` or `npm run build`). In a source checkout it
// first makes sure the bundle is not older than the sources, and rebundles if it is (well under a
// second), so `npm start` never runs stale code and never waits for a full build.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
const bundler = new URL('../scripts/bundle.mjs', import.meta.url);
const stamp = new URL('../dist/cli/build-stamp.json', import.meta.url);

if (existsSync(fileURLToPath(bundler)) && existsSync(fileURLToPath(new URL('../node_modules/esbuild/', import.meta.url)))) {
  const { bundle, newestSource } = await import(bundler.href);
  let built = -1;
  try {
    built = JSON.parse(readFileSync(stamp, 'utf8')).sourcesAt;
  } catch {
    // no bundle yet
  }
  if (built < newestSource()) {
    process.stderr.write('voltbench: sources changed since the last build; bundling the CLI\n');
    await bundle();
  }
}
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('voltbench: the CLI is not built; run "npm install" or "npm run build" first\n');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv.slice(2));
