// `/__emu/points`: the 98 UL33 points with their map data and current values, and a PATCH that
// pins any of them (alarms included) or releases them with null. A thin face of
// UpsEmulator.points() / patchState({ points }).

import type { FastifyInstance } from 'fastify';
import { UL33_POINTS, Ul33PinsSchema } from '../../contracts/kehua-ups/index.js';
import { controlValidatorCompiler } from '../core/schema-check.js';
import { ControlInputError } from '../core/errors.js';
import { controlErrorHandler, useControlJsonParser } from '../core/http/control-routes.js';
import type { UpsEmulator } from './emulator.js';
import { hex2 } from './slave.js';

export interface PointView {
  id: number;
  key: string;
  command: string;
  index: number;
  type: 'FLOAT' | 'BYTE';
  nameEn: string;
  nameZh: string;
  unit: string | null;
  value: number;
  /** The documented meaning of a BYTE value, when there is one. */
  meaning: string | null;
  pinned: boolean;
}

export function pointViews(ups: UpsEmulator): PointView[] {
  const values = ups.points();
  const pinned = ups.pinnedPoints;
  return UL33_POINTS.map((p) => {
    const value = values[p.key];
    return {
      id: p.id,
      key: p.key,
      command: hex2(p.cid2),
      index: p.index,
      type: p.type,
      nameEn: p.nameEn,
      nameZh: p.nameZh,
      unit: p.unit ?? null,
      value,
      meaning: p.values?.meanings[value] ?? null,
      pinned: p.key in pinned,
    };
  });
}

function invalid(): never {
  throw new ControlInputError('send a JSON object of {pointKey: value or null}');
}

export function upsControlRoutes(ups: UpsEmulator) {
  return async function routes(app: FastifyInstance): Promise<void> {
    useControlJsonParser(app);
    app.setValidatorCompiler(controlValidatorCompiler);
    app.setErrorHandler(controlErrorHandler);
    app.get('/__emu/points', { config: { description: 'the 98 UL33 points: map data, current value, whether pinned' } }, async () => pointViews(ups));
    app.patch(
      '/__emu/points',
      { config: { description: 'pin points to values, alarms included ({"pointKey": value}), or release them with null' }, schema: { body: Ul33PinsSchema } },
      async (request) => {
        ups.patchState({ points: request.body ?? invalid() });
        return pointViews(ups);
      },
    );
  };
}
