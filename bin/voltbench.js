#!/usr/bin/env node
// Runs the compiled CLI; `npm install` (prepare) or `npm run build` produces dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('voltbench: the compiled CLI is missing; run "npm install" or "npm run build" first\n');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv.slice(2));
