import { RateLimiter } from '../emulators/growatt/rate-limiter.js';
const rl = new RateLimiter();
const t = Date.parse('2026-06-21T10:00:00Z');
let last = performance.now();
for (let i = 0; i < 120_000; i++) {
  rl.admit('tok', 'mixLastData', { mix_sn: 'A', junk: String(i) }, t + i);
  if (i % 20000 === 19999) { const now = performance.now(); console.log(i + 1, (now - last).toFixed(0), 'ms', Math.round(process.memoryUsage().heapUsed / 1e6), 'MB'); last = now; }
}
