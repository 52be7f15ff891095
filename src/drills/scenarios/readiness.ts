/**
 * Non-disruptive check of everything a failover needs, reporting every problem rather than the
 * first: the global database topology and lag, the recovery region's cluster, groups, secret and
 * AMI, health checks and DNS, every region's switch, a canary round trip, and the model against the
 * objectives. With three or more regions every secondary gets the recovery checks (suffixed with
 * its region): any of them may have to take over once it holds the SECONDARY record.
 */
import { call, GLOBAL } from "../cloud";
import { DrillInputs, DrillRegion, otherRegion, regionOf } from "../inputs";
import { modelShortfalls } from "../model";
import { Scenario, Step } from "../step";
import { fullCapacity } from "./capacity";
import { checkCanary, writeCanary } from "./data";
import { checkRecoveryRegion } from "./database";
import { checkSwitchesOn } from "./switch";
import { gateAmi, gateRecoveryHealth, gateReplicationLag, gateSecretReplica } from "./gates";

function check(name: string, region: string, purpose: string, calls: Step["calls"], precondition: Step["precondition"], required = true): Step {
  return { name, kind: "check", region, purpose, calls, precondition, required, operation: calls[0] ? `${calls[0].service}.${calls[0].operation}` : "none" };
}

/** What a region must have to take over from `active`. */
function recoveryChecks(inputs: DrillInputs, active: DrillRegion, standby: DrillRegion): Step[] {
  return [
    checkRecoveryRegion(inputs, active, standby),
    gateReplicationLag(standby),
    gateRecoveryHealth(standby),
    gateSecretReplica(active, standby, false),
    gateAmi(standby),
    check("check-recovery-capacity", standby.region, `${standby.region}'s groups may grow to the active region's desired capacity`,
      [call(standby.region, "AutoScaling", "DescribeAutoScalingGroups", { AutoScalingGroupNames: standby.groups.map((g) => g.name) })],
      async (ctx) => {
        const groups = await ctx.cloud.describeGroups(standby.region, standby.groups.map((g) => g.name));
        const short = standby.groups.filter((g) => (groups.find((x) => x.name === g.name)?.max ?? 0) < inputs.primary.config.capacity[g.tier].desired);
        return short.length ? `max below the active desired capacity: ${short.map((g) => `${g.name} (needs ${fullCapacity(inputs, active, g.tier)})`).join(", ")}; raise dr:capacity.<tier>.max` : undefined;
      }),
  ];
}

export function readinessSteps(inputs: DrillInputs, active: DrillRegion, standby: DrillRegion): Step[] {
  const further = inputs.others.filter((o) => o !== active && o !== standby);
  return [
    ...recoveryChecks(inputs, active, standby),
    ...further.flatMap((o) => recoveryChecks(inputs, active, o).map((s) => ({ ...s, name: `${s.name}-${o.region}` }))),
    check("check-health-checks", GLOBAL, `Route 53 sees ${active.region} healthy`,
      [call(GLOBAL, "Route53", "GetHealthCheckStatus", { HealthCheckId: active.healthCheckId })],
      async (ctx) => ((await ctx.cloud.healthCheckHealthy(active.healthCheckId)) ? undefined : `health check ${active.healthCheckId} of ${active.region} is unhealthy`)),
    check("check-dns-answer", GLOBAL, `Route 53 answers ${inputs.domain} with ${active.region}`,
      [call(GLOBAL, "Route53", "TestDNSAnswer", { HostedZoneId: inputs.hostedZoneId, RecordName: inputs.domain, RecordType: "A" }), call(GLOBAL, "DNS", "Resolve", { Name: active.webLoadBalancerDnsName })],
      async (ctx) => {
        const [answer, lb] = await Promise.all([ctx.cloud.testDnsAnswer(inputs.hostedZoneId, inputs.domain), ctx.cloud.resolve(active.webLoadBalancerDnsName)]);
        return answer.some((a) => lb.includes(a)) ? undefined : `Route 53 answers ${answer.join(", ") || "nothing"}, not ${active.region}`;
      }),
    checkSwitchesOn(inputs),
    writeCanary(active, true),
    checkCanary(standby, true),
    check("check-model", GLOBAL, "the RTO/RPO model meets the objectives", [], async () => {
      const bad = modelShortfalls(inputs);
      return bad.length ? `the model misses the objectives: ${bad.join("; ")} (see npm run plan)` : undefined;
    }, false), // a design verdict, reported but not a readiness failure: the deployment may still be ready to fail over
  ];
}

export const readiness: Scenario = {
  name: "readiness",
  summary: "non-disruptive check of everything a failover needs; reports every problem",
  direction: (inputs, active) => ({ from: regionOf(inputs, active), to: otherRegion(inputs, active) }),
  steps: (inputs, from, to) => readinessSteps(inputs, from, to),
  continueOnFailure: true,
  everySecondary: true,
  modelRto: "none",
  movesActiveRegion: false,
  faults: ["throttling", "lag-over-target", "primary-region-down", "primary-region-returns", "partial-outage", "replication-paused", "secondary-switched-off"],
};
