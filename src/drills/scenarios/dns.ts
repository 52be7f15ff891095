/**
 * DNS failover test: switch the active region off, watch Route 53 answer with the standby's record
 * and public resolvers follow, then switch it on and watch DNS come back. It measures the switch's
 * own delay (CloudWatch: an alarm period and Route 53's pickup), which the model assumes. It changes
 * no data, but it is DISRUPTIVE: while DNS points at the standby, production traffic reaches a
 * region whose database is a read-only secondary (only active-active forwards writes), so writes
 * fail until DNS comes back; `--execute` asks the operator to type that they accept the write
 * outage. Uses Route 53's control plane (GetHealthCheckStatus, TestDNSAnswer), which is fine for a
 * test run while every region is up, never for a failover.
 */
import { stackCapacity } from "../../../components/compute/capacity";
import { call, Cloud, GLOBAL } from "../cloud";
import { DrillInputs, DrillRegion, otherRegion, regionOf } from "../inputs";
import { dnsTimings } from "../model";
import { Scenario, Step, StepContext, Verification } from "../step";
import { readSwitchesCalls, switchStates, switchStep } from "./switch";
import { answersWith, resolveCalls } from "./traffic";

const statusCall = (r: DrillRegion) => call(GLOBAL, "Route53", "GetHealthCheckStatus", { HealthCheckId: r.healthCheckId });
const testAnswerCall = (inputs: DrillInputs) => call(GLOBAL, "Route53", "TestDNSAnswer", { HostedZoneId: inputs.hostedZoneId, RecordName: inputs.domain, RecordType: "A" });

async function route53AnswersWith(ctx: StepContext, inputs: DrillInputs, r: DrillRegion): Promise<true | string> {
  const [answer, lb] = await Promise.all([ctx.cloud.testDnsAnswer(inputs.hostedZoneId, inputs.domain), ctx.cloud.resolve(r.webLoadBalancerDnsName)]);
  return answer.some((a) => lb.includes(a)) || `Route 53 answers ${answer.join(", ") || "nothing"}, not ${r.region}`;
}

function wait(name: string, purpose: string, calls: Step["calls"], timeoutSeconds: number, check: Verification["check"], marks?: Step["marks"]): Step {
  return {
    name, kind: "wait-dns", purpose, region: GLOBAL, required: true, operation: `${calls[0].service}.${calls[0].operation}`, calls, marks,
    verify: { what: purpose, timeoutSeconds, pollSeconds: 5, maxPollSeconds: 10, check },
  };
}

/** A standby whose web tier stands at 0 instances until a recovery scales it out (pilot light, backup-restore): its endpoint check fails by design. */
function servesNothing(r: DrillRegion): boolean {
  return stackCapacity(r.config).web.desired === 0;
}

function servesNothingHint(inputs: DrillInputs, r: DrillRegion): string {
  return `. With dr:strategy ${inputs.strategy}, ${r.region} runs no web instances until a recovery scales it out (dr:capacity.web desired 0 there), ` +
    "so its endpoint check fails by design and switching the active region off would not move DNS to it (Route 53 answers PRIMARY when both records are unhealthy): " +
    "the dns drill tests a standby that serves (warm standby, active-active). Instead, rehearse DNS failover with 'npm run dr -- drill failover --simulate' " +
    "(it scales the standby out, then switches), and check the switches and health checks with 'npm run dr -- drill readiness'";
}

export function dnsSteps(inputs: DrillInputs, active: DrillRegion, standby: DrillRegion): Step[] {
  const { switchSeconds, cacheSeconds } = dnsTimings(inputs);
  const moved = 3 * switchSeconds;
  const cached = 3 * (switchSeconds + cacheSeconds);
  const healthy = async (cloud: Cloud, r: DrillRegion) => cloud.healthCheckHealthy(r.healthCheckId);
  const off = switchStep(inputs, active, false, { marks: ["recovery-start"], purpose: `switch ${active.region} off: its record loses DNS although its endpoint stays healthy` });
  return [
    {
      name: "check-dns-baseline", kind: "check", region: GLOBAL, required: true, operation: "Route53.GetHealthCheckStatus",
      purpose: `both endpoint checks pass, both switches are on and Route 53 answers with ${active.region}`,
      calls: [statusCall(active), statusCall(standby), ...readSwitchesCalls([active, standby]), testAnswerCall(inputs), call(GLOBAL, "DNS", "Resolve", { Name: active.webLoadBalancerDnsName })],
      precondition: async (ctx) => {
        for (const r of [active, standby]) if (!(await healthy(ctx.cloud, r))) return `health check ${r.healthCheckId} of ${r.region} is unhealthy; a DNS test needs both healthy${servesNothing(r) ? servesNothingHint(inputs, r) : ""}`;
        const off = (await switchStates(ctx, [active, standby])).filter((x) => x.state !== "on");
        if (off.length) return `switch(es) not on: ${off.map((x) => `${x.region.region} ${x.state}`).join(", ")}; a DNS test starts with both on ('drill switch <region> on')`;
        const answer = await route53AnswersWith(ctx, inputs, active);
        return answer === true ? undefined : answer;
      },
    },
    off,
    wait("wait-route53-answer-standby", `Route 53 answers with ${standby.region}`, [testAnswerCall(inputs), call(GLOBAL, "DNS", "Resolve", { Name: standby.webLoadBalancerDnsName })], moved,
      (ctx) => route53AnswersWith(ctx, inputs, standby)),
    wait("wait-resolvers-answer-standby", `public resolvers answer with ${standby.region}`, resolveCalls(inputs, standby), cached,
      (ctx) => answersWith(ctx.cloud, inputs, standby), ["recovered"]),
    switchStep(inputs, active, true, { purpose: `switch ${active.region} on again` }),
    wait("wait-route53-answer-active", `Route 53 answers with ${active.region} again`, [testAnswerCall(inputs), call(GLOBAL, "DNS", "Resolve", { Name: active.webLoadBalancerDnsName })], moved,
      (ctx) => route53AnswersWith(ctx, inputs, active)),
    wait("wait-resolvers-answer-active", `public resolvers answer with ${active.region} again`, resolveCalls(inputs, active), cached,
      (ctx) => answersWith(ctx.cloud, inputs, active)),
  ];
}

export const dns: Scenario = {
  name: "dns",
  summary: "DNS failover test: switch the active region off, watch DNS move to the standby and come back when it is switched on; disruptive: writes fail while production traffic reaches the standby's read-only database",
  direction: (inputs, active) => ({ from: regionOf(inputs, active), to: otherRegion(inputs, active) }),
  steps: (inputs, from, to) => dnsSteps(inputs, from, to),
  modelRto: "dns",
  movesActiveRegion: false,
  faults: ["throttling", "primary-region-down", "primary-region-returns"],
  disruption: (inputs, from, to) => {
    const { detectionSeconds, cacheSeconds } = dnsTimings(inputs);
    const outage = 2 * (detectionSeconds + cacheSeconds);
    return inputs.strategy === "active-active"
      ? { warning: `production traffic moves to ${to.region} and back (about ${outage} s in all); its database forwards writes to ${from.region} (active-active), so writes keep working` }
      : {
        warning: `production traffic moves to ${to.region}, whose database is a read-only secondary: WRITES FAIL for about ${outage} s (until DNS comes back to ${from.region}); nothing is lost, but users see errors`,
        confirmWith: "accept write outage",
      };
  },
};
