/**
 * Traffic steps: the proof that clients arrive once the region switches (./switch) have moved DNS:
 * public resolvers answer with the new region's load balancer and its health endpoint passes. No
 * Route 53 control-plane call is made here.
 */
import { call, Cloud, GLOBAL } from "../cloud";
import { DrillInputs, DrillRegion } from "../inputs";
import { dnsTimings } from "../model";
import { Step } from "../step";
import { healthUrl } from "./gates";

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
  const { detectionSeconds, cacheSeconds, switchSeconds } = dnsTimings(inputs);
  return {
    name: "verify-service", kind: "verify-service", region: to.region, required: true, operation: "DNS.Resolve", marks: ["recovered"],
    purpose: `${inputs.domain} resolves to ${to.region} and ${healthUrl(to)} answers 200`,
    calls: [...resolveCalls(inputs, to), call(to.region, "HTTPS", "GET", { Url: healthUrl(to) })],
    verify: {
      // The slower of endpoint detection and the switch, plus resolver caching, three times over, before giving up.
      what: `clients reach ${to.region} (if DNS stays away, read the switches: npm run dr -- drill switch)`, timeoutSeconds: 3 * (Math.max(detectionSeconds, switchSeconds) + cacheSeconds), pollSeconds: 5, maxPollSeconds: 10,
      check: async (ctx) => {
        const dns = await answersWith(ctx.cloud, inputs, to);
        if (dns !== true) return dns;
        const status = await ctx.cloud.httpStatus(healthUrl(to));
        return status === 200 || `${healthUrl(to)} answers ${status}`;
      },
    },
  };
}
