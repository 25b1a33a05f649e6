// Container entry point: `voltbench up` configured by VOLTBENCH_* variables, then the container's
// arguments (which win), always with the JSON ready line: wait strategies and the health check read it.
//   docker run voltbench --only pvs --seed 7        docker run -e VOLTBENCH_ONLY=pvs voltbench
import { rmSync, writeFileSync } from 'node:fs';
// The bundled CLI (dist/cli/, a handful of files) rather than tsc's per-module output (dist/src/cli/,
// hundreds of modules): it starts in a fraction of the time, which is what a container's start is.
import { main } from '../dist/cli/main.js';

/** Where the health check finds the URLs the emulators really listen on. */
export const READY_FILE = '/tmp/voltbench-ready.json';

const argv = process.argv.slice(2);
// Another command (`voltbench <command> …`, or --version) passes through untouched; flags alone mean `up`.
if (argv.length > 0 && ((!argv[0].startsWith('-') && argv[0] !== 'up') || argv[0] === '--version' || argv[0] === '-V')) {
  await main(argv);
} else {
  rmSync(READY_FILE, { force: true });
  // Tee the first stdout line (the ready line) into READY_FILE, then get out of the way.
  const write = process.stdout.write.bind(process.stdout);
  let pending = '';
  process.stdout.write = (chunk, ...rest) => {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    const end = pending.indexOf('\n');
    if (end !== -1) {
      process.stdout.write = write;
      if (pending.startsWith('{"ready":true')) writeFileSync(READY_FILE, pending.slice(0, end));
    }
    return write(chunk, ...rest);
  };
  const rest = argv[0] === 'up' ? argv.slice(1) : argv;
  // VOLTBENCH_* variables come first and the arguments after them: the last occurrence of a flag wins.
  await main(['up', '--json', ...rest], { env: process.env });
}
