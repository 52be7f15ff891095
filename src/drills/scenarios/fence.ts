/**
 * The fence: how a region's Route 53 failover record is made to lose without touching Route 53.
 *
 * Route 53 changes are control-plane calls served from us-east-1, so no recovery step makes them.
 * Instead, a listener rule on the region's web ALB answers the health-check path with a fixed 503;
 * the region's Route 53 health check (HTTPS on <region>.<domain>, same path) then fails, and
 * failover routing answers with the other region's record. The rule is an ELBv2 call in that
 * region alone, so it works whenever that region answers: it is best effort while the region is
 * down, and the next drill (or readiness) re-applies it once it answers. Only the health path is
 * fenced; other paths keep serving, so nothing else in the region breaks.
 *
 * Fixed-response actions and path-pattern conditions on ALB listener rules:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html
 * Route 53 counts 2xx/3xx as healthy, anything else as a failure:
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 */
import { call, Call } from "../cloud";

/** Rules are evaluated lowest priority first; 1 puts the fence before any rule the program adds. */
export const FENCE_RULE_PRIORITY = 1;
export const FENCE_STATUS_CODE = "503";

export function fenceRule(healthPath: string) {
  return {
    Priority: FENCE_RULE_PRIORITY,
    Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: [healthPath] } }],
    Actions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: FENCE_STATUS_CODE, ContentType: "text/plain", MessageBody: "fenced by dr drill" } }],
  };
}

/** The calls that find the HTTPS listener and its fence rule. */
export function fenceLookupCalls(region: string, loadBalancerName: string): Call[] {
  return [
    call(region, "ElasticLoadBalancingV2", "DescribeLoadBalancers", { Names: [loadBalancerName] }),
    call(region, "ElasticLoadBalancingV2", "DescribeListeners", { LoadBalancerArn: `<ARN of ${loadBalancerName}>` }),
    call(region, "ElasticLoadBalancingV2", "DescribeRules", { ListenerArn: `<HTTPS listener of ${loadBalancerName}>` }),
  ];
}

export function fenceCalls(region: string, loadBalancerName: string, healthPath: string, on: boolean): Call[] {
  return [
    ...fenceLookupCalls(region, loadBalancerName),
    on
      ? call(region, "ElasticLoadBalancingV2", "CreateRule", { ListenerArn: `<HTTPS listener of ${loadBalancerName}>`, ...fenceRule(healthPath) })
      : call(region, "ElasticLoadBalancingV2", "DeleteRule", { RuleArn: `<fence rule of ${loadBalancerName}>` }),
  ];
}
