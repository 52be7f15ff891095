/**
 * `drill switch [<region> on|off]`: reads every region's switch, or switches one region in or out
 * of DNS. It works for every strategy (backup-restore pairs too): it needs only the switches, whose
 * state lives outside the region they switch (a CloudWatch alarm in another region, or an ARC
 * cluster), so switching a failed region off needs none of its APIs. Switching off the one region
 * of the failover pair still on is refused: with both records unhealthy Route 53 answers PRIMARY
 * whatever its health (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html).
 */
import * as path from "path";
import { Cloud, formatCall } from "./cloud";
import { realClock } from "./clock";
import { DrillRequest, DrillResult, EXIT, outputsSource } from "./drill";
import { dryRunLines } from "./dryRun";
import { DrillError } from "./errors";
import { allRegions, DrillInputs, DrillRegion } from "./inputs";
import { loadInputs, readProjectStacks } from "./load";
import { readSwitchCall, switchCallRegion, switchCli } from "./regionSwitch";
import { runSteps } from "./runner";
import { confirmSwitches, readSwitchesCalls, switchStates, switchStep } from "./scenarios/switch";
import { initialState } from "./simState";
import { SimulatedCloud } from "./simulator";
import { Step } from "./step";

export type SwitchRequest = Pick<DrillRequest, "mode" | "outputs" | "cwd" | "yes" | "log" | "confirm" | "awsCloud" | "readOutputs" | "pulumiAvailable"> & {
  /** The region to switch; none: show every region's switch. */
  readonly region?: string;
  readonly state?: string;
};

/** The failover record each region holds (stack roles, stacks/dnsRoles.ts). */
function recordOf(inputs: DrillInputs, r: DrillRegion): string {
  return r === inputs.primary ? "PRIMARY" : r === inputs.secondary ? "SECONDARY" : "no failover record";
}

function where(r: DrillRegion): string {
  const s = r.regionSwitch;
  return s.mechanism === "cloudwatch-alarm" ? `alarm ${s.alarmName} in ${s.hostRegion}` : `routing control ${s.routingControlArn}`;
}

/** Refuses to switch off the last region of the failover pair that is on. */
function otherStillOn(inputs: DrillInputs, target: DrillRegion): Step | undefined {
  const other = target === inputs.primary ? inputs.secondary : target === inputs.secondary ? inputs.primary : undefined;
  if (!other) return undefined;
  return {
    name: "check-other-switch", kind: "check", region: switchCallRegion(other.regionSwitch), required: true, operation: `${readSwitchCall(other.regionSwitch).service}.${readSwitchCall(other.regionSwitch).operation}`,
    purpose: `${other.region} (${recordOf(inputs, other)}) is switched on, so switching ${target.region} off moves DNS to it`,
    calls: [readSwitchCall(other.regionSwitch)],
    precondition: async (ctx) => {
      const state = await ctx.cloud.getRegionSwitch(other.regionSwitch);
      return state === "on" ? undefined
        : `${other.region}'s switch reads ${state}: with both failover records unhealthy Route 53 answers PRIMARY whatever its health, so switching ${target.region} off would not move DNS; switch ${other.region} on first (npm run dr -- drill switch ${other.region} on)`;
    },
  };
}

export async function runSwitch(r: SwitchRequest): Promise<DrillResult> {
  const cwd = path.resolve(r.cwd);
  const project = readProjectStacks(cwd);
  const source = outputsSource(r);
  const files = Object.fromEntries(Object.entries(r.outputs ?? {}).map(([k, v]) => [k, path.resolve(v)]));
  const inputs = await loadInputs(project, source, files, r.readOutputs, "switch", true);
  const regions = allRegions(inputs);
  if (r.region === undefined) return show(r, inputs, regions);
  const target = regions.find((x) => x.region === r.region);
  if (!target) throw new DrillError(`drill switch ${r.region}: not a region of this deployment; use one of ${regions.map((x) => x.region).join(", ")}`);
  if (r.state !== "on" && r.state !== "off") throw new DrillError(`drill switch ${r.region} ${r.state ?? ""}: say on or off (npm run dr -- drill switch ${r.region} off)`);
  const on = r.state === "on";
  const guard = on ? undefined : otherStillOn(inputs, target);
  const steps = [...(guard ? [guard] : []), switchStep(inputs, target, on), confirmSwitches([{ region: target, on }])];
  if (r.mode === "dry-run") {
    r.log(`# drill switch ${target.region} ${r.state} --dry-run (${target.regionSwitch.mechanism}, ${where(target)}); nothing is changed`);
    for (const line of dryRunLines(steps)) r.log(line);
    r.log(`# by hand: ${switchCli(target.regionSwitch, on)}`);
    return { exitCode: EXIT.completed };
  }
  if (r.mode === "execute" && !r.yes && !(await r.confirm?.(`This switches ${target.region} ${r.state} in AWS (${where(target)}). Type "switch" to continue: `))) {
    r.log("aborted: nothing was changed");
    return { exitCode: EXIT.aborted };
  }
  const sim = r.mode === "simulate" ? new SimulatedCloud(inputs, initialState(inputs, [])) : undefined;
  const cloud: Cloud = sim ?? r.awsCloud!(inputs, []);
  const clock = sim?.clock ?? realClock;
  const outcome = await runSteps({ steps, ctx: { inputs, cloud, clock, from: target, to: target, facts: {}, log: r.log }, force: [] });
  if (outcome.kind !== "completed") {
    r.log(`${outcome.kind} at ${outcome.step}: ${outcome.reason}`);
    r.log(`!!! ${target.region} was NOT switched ${r.state}; by hand: ${switchCli(target.regionSwitch, on)} (break-glass: runbooks/switch.md)`);
    return { exitCode: outcome.kind === "refused" ? EXIT.refused : EXIT.failed };
  }
  await printStates(r, inputs, regions, cloud);
  return { exitCode: EXIT.completed };
}

async function show(r: SwitchRequest, inputs: DrillInputs, regions: DrillRegion[]): Promise<DrillResult> {
  if (r.mode === "dry-run") {
    // Offline (the default) nothing is read: say so, and how to see the states, so the calls are not taken for them.
    r.log("# drill switch --dry-run (the default): the calls that would read every region's switch; no switch is read and nothing is changed. " +
      "To see the states: --execute (reads AWS) or --simulate (the simulated pair: every switch on)");
    for (const c of readSwitchesCalls(regions)) r.log(formatCall(c));
    return { exitCode: EXIT.completed };
  }
  const cloud: Cloud = r.mode === "simulate" ? new SimulatedCloud(inputs, initialState(inputs, [])) : r.awsCloud!(inputs, []);
  await printStates(r, inputs, regions, cloud);
  return { exitCode: EXIT.completed };
}

async function printStates(r: SwitchRequest, inputs: DrillInputs, regions: DrillRegion[], cloud: Cloud): Promise<void> {
  const states = await switchStates({ cloud }, regions);
  for (const { region, state } of states)
    r.log(`${region.region} (stack ${region.stack}, ${recordOf(inputs, region)}): switch ${state} — ${region.regionSwitch.mechanism}, ${where(region)}`);
}
