/**
 * Region switch steps (../regionSwitch): take a region out of DNS or let it back in, without
 * touching Route 53's control plane and without any API of the region being switched. The call goes
 * to the switch's host region (CloudWatch) or an ARC cluster endpoint, never to the switched region.
 */
import { allRegions, DrillInputs, DrillRegion, roleName } from "../inputs";
import { regionSwitchSeconds } from "../../model/timings";
import { readSwitchCall, RegionSwitch, setSwitchCall, switchCallRegion, switchCli, switchOperation } from "../regionSwitch";
import { Mark, Step, StepContext } from "../step";

export interface SwitchStepOptions {
  readonly marks?: readonly Mark[];
  readonly purpose?: string;
  /** The switch protects a writer a cut-over made (failover, switchover): undone by hand, after switching back. */
  readonly protectsCutover?: boolean;
  /** Required, but `--force <gate>` may go on without it (then resume tries it again). */
  readonly overridable?: Step["overridable"];
  /** Best effort: the switch's host may be the failed region (a secondary's CloudWatch switch lives in the primary's region). */
  readonly bestEffort?: boolean;
}

const stateWord = (on: boolean) => (on ? "on" : "off");

/** `switch-off-primary`, `switch-on-secondary`...: one write to the region's switch, idempotent. */
export function switchStep(inputs: DrillInputs, r: DrillRegion, on: boolean, o: SwitchStepOptions = {}): Step {
  const s = r.regionSwitch;
  const undoCall = setSwitchCall(s, !on);
  return {
    name: `switch-${stateWord(on)}-${roleName(inputs, r)}`, kind: on ? "switch-on" : "switch-off", switched: s, region: switchCallRegion(s), required: !o.bestEffort, operation: switchOperation(s),
    ...(o.marks ? { marks: o.marks } : {}),
    ...(o.overridable ? { overridable: o.overridable, reapplyOnResume: true } : {}),
    purpose: o.purpose ?? switchPurpose(inputs, r, on),
    calls: [setSwitchCall(s, on)],
    action: (ctx) => ctx.cloud.setRegionSwitch(s, on),
    // A best-effort switch-on has no undo: its state before is unknown, and a standby switched on is the safe state.
    ...(o.bestEffort ? {} : { undo: {
      description: `switch ${r.region} ${stateWord(!on)} again (npm run dr -- drill switch ${r.region} ${stateWord(!on)}, or ${switchCli(s, !on)})`,
      calls: [undoCall], run: (ctx) => ctx.cloud.setRegionSwitch(s, !on), ...(o.protectsCutover ? { afterSwitchBack: true } : {}),
    } }),
  };
}

/** What switching `r` does to DNS: nothing yet for a region that holds no failover record (a third region). */
function switchPurpose(inputs: DrillInputs, r: DrillRegion, on: boolean): string {
  if (r !== inputs.primary && r !== inputs.secondary)
    return `switch ${r.region} ${stateWord(on)}: it holds no failover record yet, so DNS does not change; the state applies once a record change makes it the SECONDARY`;
  return on ? `switch ${r.region} on: its record may win DNS again once its endpoint check passes` : `switch ${r.region} off: its record loses DNS whatever its load balancer answers, until it is switched on`;
}

/** Reads each switch; the state words an operator sees (`drill switch` without arguments). */
export async function switchStates(ctx: Pick<StepContext, "cloud">, regions: readonly DrillRegion[]): Promise<{ region: DrillRegion; state: string }[]> {
  const out: { region: DrillRegion; state: string }[] = [];
  for (const r of regions) out.push({ region: r, state: await ctx.cloud.getRegionSwitch(r.regionSwitch) });
  return out;
}

export function readSwitchesCalls(regions: readonly DrillRegion[]) {
  return regions.map((r) => readSwitchCall(r.regionSwitch));
}

/**
 * Waits until every switch the drill moved reads as wanted (CloudWatch: the alarm has evaluated
 * the datum, one period). Placed after the recovery is measured, so it never delays it; a switch
 * that never gets there fails the drill (a recovered old primary could win DNS back).
 */
export function confirmSwitches(wanted: readonly { readonly region: DrillRegion; readonly on: boolean }[]): Step {
  const first: RegionSwitch = wanted[0].region.regionSwitch;
  const seconds = regionSwitchSeconds(first.mechanism);
  return {
    name: "confirm-switches", kind: "confirm-switch", region: switchCallRegion(first), required: true, operation: readSwitchCall(first).service + "." + readSwitchCall(first).operation,
    purpose: `the switches read ${wanted.map((w) => `${w.region.region} ${stateWord(w.on)}`).join(", ")}`,
    calls: wanted.map((w) => readSwitchCall(w.region.regionSwitch)),
    verify: {
      what: `the switches read ${wanted.map((w) => `${w.region.region} ${stateWord(w.on)}`).join(", ")}`, timeoutSeconds: 3 * seconds, pollSeconds: 10, maxPollSeconds: 30,
      check: async (ctx) => {
        const states = await switchStates(ctx, wanted.map((w) => w.region));
        const wrong = states.filter((x, i) => x.state !== stateWord(wanted[i].on));
        return wrong.length === 0 || wrong.map((x) => `${x.region.region} reads ${x.state}`).join(", ");
      },
    },
  };
}

/**
 * A lost region's switch-off needs the switch's host (CloudWatch in the recovery region) or the ARC
 * cluster. When that is impaired too, the recovery may go on without it only while the lost region
 * answers nothing: its endpoint check then moves DNS, but nothing keeps it from winning DNS back
 * when it returns, so the drill ends not complete and resume switches it off again.
 */
export function lostRegionSwitchOverride(from: DrillRegion): NonNullable<Step["overridable"]> {
  return { gate: "region-switch", when: `${from.region} answers nothing (its endpoint check then moves DNS); switch it off before it returns ('drill resume' tries again)` };
}

/** Every region's switch must be on (readiness): a region switched off cannot take over, and both records off answer PRIMARY. */
export function checkSwitchesOn(inputs: DrillInputs): Step {
  const regions = allRegions(inputs);
  return {
    name: "check-switches", kind: "check", region: switchCallRegion(inputs.primary.regionSwitch), required: true, operation: readSwitchCall(inputs.primary.regionSwitch).service + "." + readSwitchCall(inputs.primary.regionSwitch).operation,
    purpose: `every region's switch is on (${regions.map((r) => r.region).join(", ")})`,
    calls: readSwitchesCalls(regions),
    precondition: async (ctx) => {
      const states = await switchStates(ctx, regions);
      const off = states.filter((x) => x.state === "off");
      const unknown = states.filter((x) => x.state === "unknown");
      const problems = [
        ...(off.length ? [`switched off: ${off.map((x) => x.region.region).join(", ")} (a region switched off cannot win DNS; after a failover that is intended until failback)`] : []),
        // INSUFFICIENT_DATA: no datum since the alarm was created or changed; Route 53 keeps the check's last status, which nobody can read here.
        ...(unknown.length ? [`state unknown: ${unknown.map((x) => x.region.region).join(", ")} (no switch datum since the alarm was created or changed; write it)`] : []),
      ];
      return problems.length ? `${problems.join("; ")}; fix: npm run dr -- drill switch <region> on` : undefined;
    },
  };
}
