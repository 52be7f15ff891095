/**
 * Traffic steps: the fence (./fence) moved from the region losing the writer to the region gaining
 * it, then the proof that clients arrive: public resolvers answer with the new region's load
 * balancer and its health endpoint passes. No Route 53 control-plane call is made here.
 */
import { call, Cloud, GLOBAL } from "../cloud";
import { DrillInputs, DrillRegion } from "../inputs";
import { dnsTimings } from "../model";
import { Step } from "../step";
import { fenceCalls } from "./fence";
import { healthUrl } from "./gates";

export function unfenceRecovery(to: DrillRegion, name = "unfence-recovery", purpose = `take any fence off ${to.region}'s health path so its Route 53 health check can pass`): Step {
  const path = to.config.healthCheck.path;
  return {
    name, region: to.region, required: true, operation: "ElasticLoadBalancingV2.DeleteRule", purpose,
    calls: fenceCalls(to.region, to.webLoadBalancerName, path, false),
    action: (ctx) => ctx.cloud.setFence(to.region, to.webLoadBalancerName, path, false),
  };
}

/**
 * Makes the old writer's failover record lose until failback: a read-only region must not win DNS
 * back. Route 53 answers the PRIMARY record whenever its health check passes
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html, Failover),
 * so when the old primary's region comes back unfenced, traffic returns to a read-only cluster.
 * Best effort in a failover (that region may answer nothing), so resume tries it again when it
 * was skipped, and `drill fence` applies it on its own the moment the region answers.
 */
export function fenceOldPrimary(from: DrillRegion, required: boolean): Step {
  const path = from.config.healthCheck.path;
  return {
    name: "fence-old-primary", region: from.region, required, operation: "ElasticLoadBalancingV2.CreateRule", reapplyOnResume: true,
    purpose: `answer 503 on ${from.region}'s health path so its record loses DNS${required ? "" : " (best effort: the region may not answer; resume or 'drill fence' re-applies it)"}`,
    calls: fenceCalls(from.region, from.webLoadBalancerName, path, true),
    action: (ctx) => ctx.cloud.setFence(from.region, from.webLoadBalancerName, path, true),
    undo: {
      description: `take the fence off ${from.region} (ELBv2 DeleteRule of the priority-1 rule on ${from.webLoadBalancerName}'s HTTPS listener)`, afterSwitchBack: true,
      calls: fenceCalls(from.region, from.webLoadBalancerName, path, false), run: (ctx) => ctx.cloud.setFence(from.region, from.webLoadBalancerName, path, false),
    },
  };
}

/** Whether public resolvers answer the app's name with `r`'s load balancer addresses. */
export async function answersWith(cloud: Pick<Cloud, "resolve">, inputs: DrillInputs, r: DrillRegion): Promise<true | string> {
  const [answer, lb] = await Promise.all([cloud.resolve(inputs.domain), cloud.resolve(r.webLoadBalancerDnsName)]);
  return answer.some((a) => lb.includes(a)) || `${inputs.domain} resolves to ${answer.join(", ") || "nothing"}, not ${r.region}'s load balancer (${lb.join(", ")})`;
}

export const resolveCalls = (inputs: DrillInputs, r: DrillRegion) => [
  call(GLOBAL, "DNS", "Resolve", { Name: inputs.domain }),
  call(GLOBAL, "DNS", "Resolve", { Name: r.webLoadBalancerDnsName }),
];

/** The end of the RTO clock: clients resolve to the new region and its health endpoint passes. */
export function verifyService(inputs: DrillInputs, to: DrillRegion): Step {
  const { detectionSeconds, cacheSeconds } = dnsTimings(inputs);
  return {
    name: "verify-service", region: to.region, required: true, operation: "DNS.Resolve", marks: ["recovered"],
    purpose: `${inputs.domain} resolves to ${to.region} and ${healthUrl(to)} answers 200`,
    calls: [...resolveCalls(inputs, to), call(to.region, "HTTPS", "GET", { Url: healthUrl(to) })],
    verify: {
      // Detection of the fenced record plus resolver caching, three times over, before giving up.
      what: `clients reach ${to.region}`, timeoutSeconds: 3 * (detectionSeconds + cacheSeconds), pollSeconds: 5, maxPollSeconds: 10,
      check: async (ctx) => {
        const dns = await answersWith(ctx.cloud, inputs, to);
        if (dns !== true) return dns;
        const status = await ctx.cloud.httpStatus(healthUrl(to));
        return status === 200 || `${healthUrl(to)} answers ${status}`;
      },
    },
  };
}
