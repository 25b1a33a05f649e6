// The CLI as shipped (dist/cli/, bundled by scripts/bundle.mjs): `voltbench up` must load a device's
// code only when that device starts. esbuild's metafile says which sources went into which file and
// how the files import each other; a device's emulator must sit behind a dynamic import.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Meta {
  outputs: Record<string, { inputs: Record<string, unknown>; imports: { path: string; kind: string }[]; entryPoint?: string }>;
}

const meta = JSON.parse(readFileSync(new URL('../dist/cli/meta.json', import.meta.url), 'utf8')) as Meta;
const DEVICE_SOURCES = {
  pvs: 'emulators/sunpower-pvs/emulator.ts',
  senec: 'emulators/senec/emulator.ts',
  growatt: 'emulators/growatt/emulator.ts',
  ups: 'emulators/kehua-ups/emulator.ts',
};

/** Every output file a file pulls in with static imports, itself included. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file) || !(file in meta.outputs)) return seen;
  seen.add(file);
  for (const i of meta.outputs[file]!.imports) if (i.kind === 'import-statement') staticClosure(i.path, seen);
  return seen;
}

const outputOf = (source: string) => Object.keys(meta.outputs).find((file) => source in meta.outputs[file]!.inputs);

describe('the bundled CLI', () => {
  const main = Object.keys(meta.outputs).find((file) => meta.outputs[file]!.entryPoint === 'src/cli/main.ts')!;
  const up = outputOf('src/cli/up.ts')!;

  it('has one entry and an up command loaded on demand', () => {
    expect(main).toBe('dist/cli/main.js');
    expect(staticClosure(main).has(up)).toBe(false);
  });

  it.each(Object.entries(DEVICE_SOURCES))('keeps the %s emulator out of what `up` loads before choosing devices', (_device, source) => {
    const file = outputOf(source);
    expect(file).toBeDefined();
    expect(staticClosure(up).has(file!)).toBe(false);
    expect(staticClosure(main).has(file!)).toBe(false);
  });

  it('puts each device in a different file, so one device loads without the others', () => {
    const files = Object.values(DEVICE_SOURCES).map(outputOf);
    expect(new Set(files).size).toBe(files.length);
    for (const file of files) {
      const closure = staticClosure(file!);
      const others = files.filter((f) => f !== file);
      expect(others.filter((f) => closure.has(f!))).toEqual([]);
    }
  });
});
