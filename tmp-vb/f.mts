import { startVoltbench } from '../src/testing/index.js';
const vb = await startVoltbench({ devices: ['growatt'], speed: 0 });
const u = vb.getControlUrl('growatt');
for (const body of ['{"kind":"latency","ms":1,"match":null}', '{"kind":"reset","match":null}', '{"kind":"status","status":503,"headers":null, "times":1}']) {
  const r = await fetch(`${u}/__emu/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  console.log(body, r.status, (await r.text()).slice(0, 200));
}
await vb.close();
