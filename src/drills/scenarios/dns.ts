/**
 * DNS failover test without touching data: fence the active region's health path, watch Route 53
 * mark it unhealthy and answer with the standby's record, watch public resolvers follow, then take
 * the fence off and watch DNS come back. Uses Route 53's control plane (GetHealthCheckStatus,
 * TestDNSAnswer), which is fine for a test run while every region is up, never for a failover.
 */
import { call, Cloud, GLOBAL } from "../cloud";
import { DrillInputs, DrillRegion, otherRegion, regionOf } from "../inputs";
import { dnsTimings } from "../model";
import { Scenario, Step, StepContext, Verification } from "../step";
import { fenceCalls } from "./fence";
import { answersWith, resolveCalls } from "./traffic";

const statusCall = (r: DrillRegion) => call(GLOBAL, "Route53", "GetHealthCheckStatus", { HealthCheckId: r.healthCheckId });
const testAnswerCall = (inputs: DrillInputs) => call(GLOBAL, "Route53", "TestDNSAnswer", { HostedZoneId: inputs.hostedZoneId, RecordName: inputs.domain, RecordType: "A" });

async function route53AnswersWith(ctx: StepContext, inputs: DrillInputs, r: DrillRegion): Promise<true | string> {
  const [answer, lb] = await Promise.all([ctx.cloud.testDnsAnswer(inputs.hostedZoneId, inputs.domain), ctx.cloud.resolve(r.webLoadBalancerDnsName)]);
  return answer.some((a) => lb.includes(a)) || `Route 53 answers ${answer.join(", ") || "nothing"}, not ${r.region}`;
}

function wait(name: string, purpose: string, calls: Step["calls"], timeoutSeconds: number, check: Verification["check"], marks?: Step["marks"]): Step {
  return {
    name, purpose, region: GLOBAL, required: true, operation: `${calls[0].service}.${calls[0].operation}`, calls, marks,
    verify: { what: purpose, timeoutSeconds, pollSeconds: 5, maxPollSeconds: 10, check },
  };
}

export function dnsSteps(inputs: DrillInputs, active: DrillRegion, standby: DrillRegion): Step[] {
  const { detectionSeconds, cacheSeconds } = dnsTimings(inputs);
  const detect = 3 * detectionSeconds;
  const cached = 3 * (detectionSeconds + cacheSeconds);
  const path = active.config.healthCheck.path;
  const healthy = async (cloud: Cloud, r: DrillRegion) => cloud.healthCheckHealthy(r.healthCheckId);
  return [
    {
      name: "check-dns-baseline", region: GLOBAL, required: true, operation: "Route53.GetHealthCheckStatus",
      purpose: `both health checks pass and Route 53 answers with ${active.region}`,
      calls: [statusCall(active), statusCall(standby), testAnswerCall(inputs), call(GLOBAL, "DNS", "Resolve", { Name: active.webLoadBalancerDnsName })],
      precondition: async (ctx) => {
        for (const r of [active, standby]) if (!(await healthy(ctx.cloud, r))) return `health check ${r.healthCheckId} of ${r.region} is unhealthy; a DNS test needs both healthy`;
        const answer = await route53AnswersWith(ctx, inputs, active);
        return answer === true ? undefined : answer;
      },
    },
    {
      name: "fence-active", region: active.region, required: true, operation: "ElasticLoadBalancingV2.CreateRule", marks: ["recovery-start"],
      purpose: `answer 503 on ${active.region}'s health path (the listener-rule fence)`,
      calls: fenceCalls(active.region, active.webLoadBalancerName, path, true),
      action: (ctx) => ctx.cloud.setFence(active.region, active.webLoadBalancerName, path, true),
      undo: { description: `take the fence off ${active.region}`, calls: fenceCalls(active.region, active.webLoadBalancerName, path, false), run: (ctx) => ctx.cloud.setFence(active.region, active.webLoadBalancerName, path, false) },
    },
    wait("wait-health-check-unhealthy", `Route 53 marks ${active.region} unhealthy`, [statusCall(active)], detect,
      async (ctx) => !(await healthy(ctx.cloud, active)) || `${active.healthCheckId} still healthy`),
    wait("wait-route53-answer-standby", `Route 53 answers with ${standby.region}`, [testAnswerCall(inputs), call(GLOBAL, "DNS", "Resolve", { Name: standby.webLoadBalancerDnsName })], detect,
      (ctx) => route53AnswersWith(ctx, inputs, standby)),
    wait("wait-resolvers-answer-standby", `public resolvers answer with ${standby.region}`, resolveCalls(inputs, standby), cached,
      (ctx) => answersWith(ctx.cloud, inputs, standby), ["recovered"]),
    {
      name: "unfence-active", region: active.region, required: true, operation: "ElasticLoadBalancingV2.DeleteRule",
      purpose: `take the fence off ${active.region}`,
      calls: fenceCalls(active.region, active.webLoadBalancerName, path, false),
      action: (ctx) => ctx.cloud.setFence(active.region, active.webLoadBalancerName, path, false),
    },
    wait("wait-health-check-healthy", `Route 53 marks ${active.region} healthy again`, [statusCall(active)], detect,
      async (ctx) => (await healthy(ctx.cloud, active)) || `${active.healthCheckId} still unhealthy`),
    wait("wait-resolvers-answer-active", `public resolvers answer with ${active.region} again`, resolveCalls(inputs, active), cached,
      (ctx) => answersWith(ctx.cloud, inputs, active)),
  ];
}

export const dns: Scenario = {
  name: "dns",
  summary: "health-check-driven DNS failover test: fence the active region's health path, watch DNS move and come back; no data touched",
  direction: (inputs, active) => ({ from: regionOf(inputs, active), to: otherRegion(inputs, active) }),
  steps: (inputs, from, to) => dnsSteps(inputs, from, to),
  modelRto: "dns",
  movesActiveRegion: false,
};
