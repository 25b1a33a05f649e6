import { describe, expect, it } from 'vitest';
import { upArgsFromEnv } from './env-args.js';
import { parseUpArgs } from './up.js';
import { UsageError } from './usage-error.js';

describe('upArgsFromEnv', () => {
  it('maps VOLTBENCH_<FLAG> to --<flag>, ignores other variables and empty values, in a stable order', () => {
    const args = upArgsFromEnv({ VOLTBENCH_SEED: '7', PATH: '/bin', VOLTBENCH_ONLY: 'pvs,ups', VOLTBENCH_SCENARIO: '', VOLTBENCH_: 'x', VOLTBENCH_PVS_PORT: '9000' });
    expect(args).toEqual(['--only', 'pvs,ups', '--pvs-port', '9000', '--seed', '7']);
  });

  it('reads boolean flags as yes/no and rejects anything else', () => {
    expect(upArgsFromEnv({ VOLTBENCH_PVS_LATENCY: 'true', VOLTBENCH_GROWATT_NO_RATE_LIMIT: '1', VOLTBENCH_JSON: 'off' })).toEqual(['--growatt-no-rate-limit', '--pvs-latency']);
    expect(() => upArgsFromEnv({ VOLTBENCH_PVS_LATENCY: 'maybe' })).toThrow(UsageError);
    expect(() => upArgsFromEnv({ VOLTBENCH_PVS_LATENCY: 'maybe' })).toThrow('VOLTBENCH_PVS_LATENCY must be true or false, got "maybe"');
  });

  it('feeds the up parser, and command-line flags after the environment win', () => {
    const options = parseUpArgs([...upArgsFromEnv({ VOLTBENCH_HOST: '0.0.0.0', VOLTBENCH_SEED: '7', VOLTBENCH_SPEED: '60', VOLTBENCH_PVS_LATENCY: 'yes' }), '--seed', '8']);
    expect(options).toMatchObject({ host: '0.0.0.0', seed: 8, speed: 60, pvsLatency: true });
  });

  it('an unknown variable reaches the parser as an unknown flag, so a typo is reported rather than ignored', () => {
    expect(() => parseUpArgs(upArgsFromEnv({ VOLTBENCH_SEEED: '7' }))).toThrow(/--seeed/);
  });
});
