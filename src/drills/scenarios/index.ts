/**
 * The scenario registry. A scenario is a value (./step Scenario): adding one (the restore drill,
 * say) means writing its module and registering it here; the engine, dry-run, journal and reports
 * need no change.
 */
import { DrillError } from "../errors";
import { Scenario } from "../step";
import { dns } from "./dns";
import { failback } from "./failback";
import { failover } from "./failover";
import { readiness } from "./readiness";
import { restore } from "./restore";
import { switchover } from "./switchover";

const registry = new Map<string, Scenario>([switchover, failover, failback, dns, readiness, restore].map((s) => [s.name, s]));

export function registerScenario(s: Scenario): void {
  registry.set(s.name, s);
}

export function scenarioNames(): string[] {
  return [...registry.keys()];
}

export function scenario(name: string): Scenario {
  const s = registry.get(name);
  if (!s) throw new DrillError(`unknown drill scenario "${name}"; use one of ${scenarioNames().join(", ")}`);
  return s;
}
