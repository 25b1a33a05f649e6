import { readFileSync } from 'node:fs';
function agg(file) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const m = snap.snapshot.meta; const nf = m.node_fields; const types = m.node_types[0];
  const N = nf.length; const iType = nf.indexOf('type'), iName = nf.indexOf('name'), iSize = nf.indexOf('self_size');
  const out = new Map();
  const nodes = snap.nodes, strings = snap.strings;
  for (let i = 0; i < nodes.length; i += N) {
    const type = types[nodes[i + iType]];
    let name = type === 'object' || type === 'closure' ? strings[nodes[i + iName]] : `(${type})`;
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '(string)';
    const e = out.get(name) ?? { count: 0, size: 0 }; e.count++; e.size += nodes[i + iSize]; out.set(name, e);
  }
  return out;
}
const a = agg(process.argv[2]), b = agg(process.argv[3]);
const rows = [];
for (const [k, vb] of b) { const va = a.get(k) ?? { count: 0, size: 0 }; rows.push([k, vb.count - va.count, vb.size - va.size, vb.count]); }
rows.sort((x, y) => y[2] - x[2]);
for (const r of rows.slice(0, 25)) console.log(r[0].slice(0, 60).padEnd(60), 'Δcount', r[1], 'Δbytes', r[2], 'count', r[3]);
