/**
 * Capacity steps: raise the recovery region's groups to the primary's desired capacity (capped at
 * each group's max) and wait until the instances are InService and healthy; scale a standby back.
 * The runbook sets desired capacity directly: target tracking alone adds minutes of alarm evaluation.
 */
import { stackCapacity } from "../../../components/compute/capacity";
import { call } from "../cloud";
import { DrillInputs, DrillRegion, Tier } from "../inputs";
import { DEFAULT_TARGET_HEALTH, INSTANCE_LAUNCH_SECONDS } from "../model";
import { Step } from "../step";

/** What each tier of `r` runs once it carries the full load: the primary's desired, within the group's max. */
export function fullCapacity(inputs: DrillInputs, r: DrillRegion, tier: Tier): number {
  return Math.min(inputs.primary.config.capacity[tier].desired, r.config.capacity[tier].max);
}

const describe = (r: DrillRegion) => call(r.region, "AutoScaling", "DescribeAutoScalingGroups", { AutoScalingGroupNames: r.groups.map((g) => g.name) });

export function scaleOut(inputs: DrillInputs, to: DrillRegion): Step {
  return {
    name: "scale-out-recovery", kind: "scale-out", region: to.region, required: true, operation: "AutoScaling.SetDesiredCapacity", marks: ["recovery-start"],
    purpose: `raise ${to.region}'s tiers to full capacity (${to.groups.map((g) => `${g.tier} ${fullCapacity(inputs, to, g.tier)}`).join(", ")})`,
    calls: [describe(to), ...to.groups.map((g) => call(to.region, "AutoScaling", "SetDesiredCapacity", { AutoScalingGroupName: g.name, DesiredCapacity: fullCapacity(inputs, to, g.tier) }))],
    // Before a retry too (runner act): a SetDesiredCapacity that timed out may have landed.
    alreadyDone: async (ctx) => {
      const groups = await ctx.cloud.describeGroups(to.region, to.groups.map((g) => g.name));
      const short = to.groups.filter((g) => { const now = groups.find((x) => x.name === g.name); return !now || now.desired < Math.min(fullCapacity(inputs, to, g.tier), now.max); });
      return short.length === 0 && ctx.facts.previousDesired ? `every group in ${to.region} already wants its full capacity` : undefined;
    },
    action: async (ctx) => {
      const groups = await ctx.cloud.describeGroups(to.region, to.groups.map((g) => g.name));
      const missing = to.groups.filter((g) => !groups.some((x) => x.name === g.name));
      if (missing.length) throw new Error(`Auto Scaling group ${missing.map((g) => g.name).join(", ")} does not exist in ${to.region}`);
      // What undo restores, recorded before the first change and never overwritten by a retry (which would read the raised values).
      ctx.facts.previousDesired = { ...Object.fromEntries(groups.map((g) => [g.name, g.desired])), ...ctx.facts.previousDesired };
      for (const g of to.groups) {
        const now = groups.find((x) => x.name === g.name)!;
        const want = Math.min(fullCapacity(inputs, to, g.tier), now.max);
        if (now.desired < want) await ctx.cloud.setDesiredCapacity(to.region, g.name, want);
      }
    },
    undo: {
      description: `set each group in ${to.region} back to its desired capacity before the drill`,
      recorded: (facts) => (facts.previousDesired ? `recorded before the drill: ${Object.entries(facts.previousDesired).map(([n, d]) => `${n} ${d}`).join(", ")}` : undefined),
      calls: to.groups.map((g) => call(to.region, "AutoScaling", "SetDesiredCapacity", { AutoScalingGroupName: g.name, DesiredCapacity: "<before the drill>" })),
      run: async (ctx) => {
        for (const [name, desired] of Object.entries(ctx.facts.previousDesired ?? {})) await ctx.cloud.setDesiredCapacity(to.region, name, desired);
      },
    },
  };
}

/** A fresh launch plus a default target group's healthy threshold (slower than the model's warm-pool start), three times over, before giving up. */
export const CAPACITY_TIMEOUT_SECONDS = 3 * (INSTANCE_LAUNCH_SECONDS + DEFAULT_TARGET_HEALTH.healthyThreshold * DEFAULT_TARGET_HEALTH.intervalSeconds);

export function waitCapacity(to: DrillRegion): Step {
  return {
    name: "wait-capacity-healthy", kind: "wait-capacity", region: to.region, required: true, operation: "AutoScaling.DescribeAutoScalingGroups",
    purpose: `every instance ${to.region}'s groups want is InService and healthy`,
    calls: [describe(to)],
    verify: {
      what: `the groups in ${to.region} run their desired capacity`, timeoutSeconds: CAPACITY_TIMEOUT_SECONDS, pollSeconds: 10, maxPollSeconds: 15,
      check: async (ctx) => {
        const groups = await ctx.cloud.describeGroups(to.region, to.groups.map((g) => g.name));
        const short = groups.filter((g) => g.inService < g.desired);
        return short.length === 0 || short.map((g) => `${g.name} ${g.inService}/${g.desired} in service`).join(", ");
      },
    },
  };
}

/** After failback the former recovery region goes back to its standby size (its stack's capacity plan). */
export function restoreStandbyCapacity(r: DrillRegion): Step {
  const plan = stackCapacity(r.config);
  const desired = (tier: Tier) => (plan[tier].builds ? plan[tier].desired : 0);
  return {
    name: "restore-standby-capacity", kind: "scale-in", region: r.region, required: false, operation: "AutoScaling.SetDesiredCapacity",
    purpose: `return ${r.region}'s groups to their standby size (${r.groups.map((g) => `${g.tier} ${desired(g.tier)}`).join(", ")})`,
    calls: r.groups.map((g) => call(r.region, "AutoScaling", "SetDesiredCapacity", { AutoScalingGroupName: g.name, DesiredCapacity: desired(g.tier) })),
    action: async (ctx) => {
      for (const g of r.groups) await ctx.cloud.setDesiredCapacity(r.region, g.name, desired(g.tier));
    },
  };
}
