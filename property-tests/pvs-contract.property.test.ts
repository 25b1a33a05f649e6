import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMMAND_NAMES,
  checkDeviceListInvariants,
  checkEssCrossLinks,
  validateCommandResponse,
  validateEssStatus,
} from '../contracts/sunpower-pvs/index.js';
import { devicesOfKind } from '../src/clients/sunpower-pvs/index.js';
import { advance, pvsFor, siteCase } from './support/pvs-site.js';

const errorsOf = (result: { ok: boolean; errors?: readonly string[] }) => (result.ok ? [] : result.errors ?? ['invalid']);

describe('PVS: every response validates against the contract and the client parses it', () => {
  it('for any site and any sequence of clock advances', async () => {
    await fc.assert(
      fc.asyncProperty(siteCase, fc.array(advance, { minLength: 1, maxLength: 4 }), async (c, steps) => {
        const pvs = await pvsFor(c);
        try {
          for (const step of steps) {
            pvs.clock.advance(step);
            const response = await pvs.app.inject({ url: '/cgi-bin/dl_cgi?Command=DeviceList' });
            const body = JSON.parse(response.body);
            expect(errorsOf(validateCommandResponse('DeviceList', body))).toEqual([]);
            expect(errorsOf(checkDeviceListInvariants(body))).toEqual([]);
            const parsed = await pvs.client.deviceList();
            expect(parsed.devices).toHaveLength(body.devices.length);
            expect(parsed.skipped).toEqual([]);
            expect(devicesOfKind(parsed.devices, 'inverter')).toHaveLength(c.site.panels!);
            expect(devicesOfKind(parsed.devices, 'unknown')).toHaveLength(0);
            for (const command of COMMAND_NAMES.filter((n) => n !== 'DeviceList')) {
              const other = await pvs.app.inject({ url: `/cgi-bin/dl_cgi?Command=${command}&SerialNumber=${body.devices[0].SERIAL}` });
              expect(errorsOf(validateCommandResponse(command, JSON.parse(other.body))), command).toEqual([]);
            }
            if (c.site.essBatteries! > 0) {
              const ess = JSON.parse((await pvs.app.inject({ url: '/cgi-bin/dl_cgi/energy-storage-system/status' })).body);
              expect(errorsOf(validateEssStatus(ess))).toEqual([]);
              expect(errorsOf(checkEssCrossLinks(body, ess))).toEqual([]);
              await pvs.client.essStatus();
            }
          }
        } finally {
          await pvs.app.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
