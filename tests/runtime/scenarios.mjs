// Driver-side scenarios (Node, run by a runtime's driver around the runtime under test, after
// the cases of suites.mjs): a scenario is `async (env) => {name, ok, error, ms}`. Listed once
// here for the driver that runs them and for run.mjs, which counts them.
import { tabScenarios } from "./session/tabs-driver.mjs";
import { workerdScenarios } from "./session/workerd-cycles.mjs";

const SCENARIOS = {
  workerd: { session: workerdScenarios }, // (d), (l): env {base, simUrl, log}
  chromium: { session: tabScenarios }, // (c), (m): env {openPage, simUrl}
};

export const scenariosFor = (runtime, group) => SCENARIOS[runtime]?.[group] ?? [];
