import { startVoltbench } from '../src/testing/index.js';
import { GrowattClient } from '../src/clients/growatt/index.js';
import { KehuaUpsClient } from '../src/clients/kehua-ups/index.js';
import { SenecClient } from '../src/clients/senec/index.js';
import { PvsClient } from '../src/clients/sunpower-pvs/index.js';
import v8 from 'node:v8';
const only = (process.argv[2] ?? 'pvs,senec,growatt,ups').split(',');
const minutes = Number(process.argv[3] ?? 2);
const vb = await startVoltbench({ devices: only as any, speed: 3600, seed: 1 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let stop = false;
const loops: Promise<void>[] = [];
const loop = async (f: () => Promise<unknown>) => { while (!stop) { try { await f(); } catch (e) { console.log(String(e).slice(0, 200)); } await sleep(250); } };
if (only.includes('pvs')) { const c = new PvsClient({ baseUrl: vb.getPvsUrl(), retries: 0 }); loops.push(loop(() => c.deviceList())); }
if (only.includes('senec')) { const c = new SenecClient({ baseUrl: vb.getSenecHttpsUrl(), retries: 0 }); loops.push(loop(() => c.powerFlow())); }
if (only.includes('growatt')) { const c = new GrowattClient({ token: vb.getGrowattToken(), baseUrl: vb.getGrowattUrl(), scheduler: { enabled: false } }); const p = (await c.plantList()).plants[0]!.plant_id; const sn = (await c.deviceList(p)).devices[0]!.device_sn; let i = 0; loops.push(loop(() => (i++ % 10 === 0 ? c.plantData(p) : c.mixLastData(sn)))); }
if (only.includes('ups')) { const c = new KehuaUpsClient({ transport: vb.getUpsUrl() }); loops.push(loop(() => c.snapshot())); }
const t0 = Date.now();
const mb = (n: number) => (n / 1048576).toFixed(1);
while (Date.now() - t0 < minutes * 60_000) {
  await sleep(15_000);
  (globalThis as any).gc();
  const m = process.memoryUsage();
  if (process.argv[4] && !(globalThis as any).snapA && Date.now() - t0 > 60_000) { (globalThis as any).snapA = 1; v8.writeHeapSnapshot(`tmp-vb/a.heapsnapshot`); }
  console.log(`${((Date.now() - t0) / 60000).toFixed(1)} min  heap ${mb(m.heapUsed)}  ext ${mb(m.external)}  ab ${mb(m.arrayBuffers)}  rss ${mb(m.rss)}  virt ${new Date(vb.world.clock.now()).toISOString()}`);
}
if (process.argv[4]) v8.writeHeapSnapshot(`tmp-vb/b.heapsnapshot`);
stop = true; await Promise.all(loops); await vb.close(); process.exit(0);
