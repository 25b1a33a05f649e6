// defineDevice gives `create` its options' static type, with no annotations: checked by the
// type-check (`npm run typecheck`), with a runtime assertion so the file is also a test that runs.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineDevice, Type, type DeviceContext } from 'voltbench/device';

const device = defineDevice({
  apiVersion: 1,
  name: 'typed',
  title: 'Typed options',
  options: Type.Object({
    phases: Type.Integer({ minimum: 1, maximum: 3, default: 3, description: 'phases' }),
    mode: Type.Union([Type.Literal('net'), Type.Literal('gross')], { default: 'net', description: 'mode' }),
    label: Type.Optional(Type.String({ description: 'label' })),
  }),
  listeners: { api: { kind: 'http', defaultPort: 7097, description: 'API' } },
  async create(context) {
    expectTypeOf(context.options).toEqualTypeOf<{ phases: number; mode: 'net' | 'gross'; label?: string }>();
    expectTypeOf(context).toMatchTypeOf<DeviceContext<{ phases: number; mode: 'net' | 'gross'; label?: string }>>();
    const built = await context.http({ routes: async () => {}, state: () => context.options });
    return { emulator: built.emulator, serve: { api: built.app } };
  },
});

describe('defineDevice', () => {
  it('returns the descriptor unchanged and keeps the name as a literal type', () => {
    expectTypeOf(device.name).toEqualTypeOf<'typed'>();
    expect(device.name).toBe('typed');
    expect(Object.keys(device.options!.properties)).toEqual(['phases', 'mode', 'label']);
  });
});
