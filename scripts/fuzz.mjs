// `npm run fuzz [-- --inputs N] [--seed S] [vitest filters…]`: the fuzz suite (property-tests/fuzz/)
// with N inputs per device (default 100 000), through VOLTBENCH_FUZZ_INPUTS, which the suite reads
// (`npm test` runs it with its default of 1 500). --seed fixes fast-check's seed to replay a failure.
// Prints the wall time; each file prints its RSS before and after and fails when it grew past a
// generous bound. Loopback only; every request loop is bounded by the input count.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = join(createRequire(import.meta.url).resolve('vitest/package.json'), '..', 'vitest.mjs');

let parsed;
try {
  parsed = parseArgs({ options: { inputs: { type: 'string', default: '100000' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
} catch (error) {
  console.error(`npm run fuzz: ${error.message}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log('Usage: npm run fuzz -- [--inputs N] [--seed S] [vitest filters…]\n  --inputs  inputs per device over the suite (default 100000; npm test uses 1500)\n  --seed    fast-check seed, to replay a failure');
  process.exit(0);
}
const inputs = Number(values.inputs);
if (!Number.isInteger(inputs) || inputs < 10) {
  console.error(`npm run fuzz: --inputs must be a whole number of at least 10, got "${values.inputs}"`);
  process.exit(2);
}
if (values.seed !== undefined && !/^-?\d+$/.test(values.seed)) {
  console.error(`npm run fuzz: --seed must be an integer, got "${values.seed}"`);
  process.exit(2);
}

const env = { ...process.env, VOLTBENCH_FUZZ_INPUTS: String(inputs), ...(values.seed !== undefined ? { VOLTBENCH_FUZZ_SEED: values.seed } : {}) };
const args = [vitest, 'run', ...(positionals.length > 0 ? positionals : ['property-tests/fuzz']), '--reporter=default'];
console.log(`fuzz: ${inputs} inputs per device${values.seed !== undefined ? `, seed ${values.seed}` : ''}`);
const started = performance.now();
const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
child.on('exit', (code, signal) => {
  const seconds = (performance.now() - started) / 1000;
  console.log(`fuzz: ${inputs} inputs per device in ${seconds.toFixed(1)} s (${code === 0 ? 'passed' : `failed: ${signal ?? code}`})`);
  process.exitCode = code ?? 1;
});
