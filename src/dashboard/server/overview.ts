// The site as the page shows it, read through each device's control operations only
// (EmulatorControl): the dashboard knows no device by name.

import type { RunningDevice, Voltbench } from '../../../emulators/registry.js';
import type { DeviceView, Overview, Sample, ScenarioView, SiteReadings } from '../api.js';

export function deviceView(device: RunningDevice): DeviceView {
  const control = device.control;
  // Readings first: a device may catch its simulation up to now for them (the Growatt's fleet), and
  // the state view then shows that.
  const readings = control.readings();
  return {
    name: device.name,
    title: device.descriptor.title,
    label: device.label,
    urls: { ...device.urls },
    controlUrl: device.controlUrl,
    state: control.state(),
    readings,
    profiles: control.profiles(),
    actions: control.statePatchShape()?.actions ?? [],
    faultKinds: control.faultKinds(),
    faults: control.faults(),
    requests: control.health().requests,
  };
}

export function overviewOf(voltbench: Voltbench, scenario: ScenarioView | null): Overview {
  return {
    clock: voltbench.world.clock.snapshot(),
    world: voltbench.world.snapshot(),
    devices: voltbench.devices.map(deviceView),
    scenario,
  };
}

export function sampleOf(voltbench: Voltbench): Sample {
  const devices: Record<string, SiteReadings> = {};
  for (const device of voltbench.devices) devices[device.name] = device.control.readings();
  const t = voltbench.world.clock.now();
  return { t, gridUp: voltbench.world.gridUp(t), devices };
}
