// docs/scenarios.md, "From TypeScript": a library scenario played to its end, and the same scenario
// played part of the way with its devices on free ports.
// #region scenarios
import { expect, it } from 'vitest';
import { loadScenario, runScenario, startVoltbench } from 'voltbench/testing';

it('plays grid-outage to its end with every expectation met', async () => {
  const report = await runScenario(loadScenario('grid-outage'), { speed: 'max' });
  expect(report.passed).toBe(true);
});

it('stops in the middle of the outage to look around', async () => {
  const vb = await startVoltbench({ scenario: 'grid-outage', devices: ['pvs', 'ups'] });
  try {
    await vb.play('6h30m'); // the outage runs from 6h to 8h
    expect((await vb.control('pvs').world()).gridUp).toBe(false);
    await vb.play(); // on to the end
    expect((await vb.control('ups').world()).gridUp).toBe(true);
  } finally {
    await vb.close();
  }
});
// #endregion
