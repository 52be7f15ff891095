/** Network guardrails: what may be open to the internet, AZ spread of every tier, health-checked failover records. */
import type { DrPolicy, PolicyContext, ResourceView } from "../model";
import { describe, identities, isSet, isTrue, list, num, ofType, refersTo, shareReference, str, strings, T, UNKNOWN } from "../resources";

/** The only ports open to the whole internet: HTTPS, and HTTP that the listener redirects. */
export const INTERNET_PORTS: readonly number[] = [80, 443];
const ANY_V4 = "0.0.0.0/0";
const ANY_V6 = "::/0";

interface OpenRule {
  readonly rule: ResourceView;
  readonly label: string;
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  /** Whether a load balancer's securityGroups input names the rule's group. */
  readonly onGroupOf: (lb: ResourceView) => boolean;
}

/** Every ingress rule of the stack open to 0.0.0.0/0 or ::/0, whichever resource declares it. */
function openIngress(resources: readonly ResourceView[]): OpenRule[] {
  const out: OpenRule[] = [];
  for (const r of ofType(resources, T.vpcIngressRule))
    if (r.inputs.cidrIpv4 === ANY_V4 || r.inputs.cidrIpv6 === ANY_V6)
      out.push({ rule: r, label: describe(r), protocol: String(r.inputs.ipProtocol), fromPort: num(r.inputs.fromPort), toPort: num(r.inputs.toPort), onGroupOf: (lb) => shareReference(r, "securityGroupId", lb, "securityGroups") });
  for (const r of ofType(resources, T.securityGroupRule))
    if (r.inputs.type === "ingress" && (strings(r.inputs.cidrBlocks).includes(ANY_V4) || strings(r.inputs.ipv6CidrBlocks).includes(ANY_V6)))
      out.push({ rule: r, label: describe(r), protocol: String(r.inputs.protocol), fromPort: num(r.inputs.fromPort), toPort: num(r.inputs.toPort), onGroupOf: (lb) => shareReference(r, "securityGroupId", lb, "securityGroups") });
  for (const sg of ofType(resources, T.securityGroup))
    for (const [i, rule] of list(sg.inputs.ingress).entries())
      if (strings(rule.cidrBlocks).includes(ANY_V4) || strings(rule.ipv6CidrBlocks).includes(ANY_V6))
        out.push({ rule: sg, label: `${describe(sg)} ingress[${i}]`, protocol: String(rule.protocol), fromPort: num(rule.fromPort), toPort: num(rule.toPort), onGroupOf: (lb) => refersTo(lb, "securityGroups", sg) });
  return out;
}

const isInternetFacingAlb = (lb: ResourceView) => !isTrue(lb.inputs.internal) && (str(lb.inputs.loadBalancerType) ?? "application") === "application";

// https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html ; the ALB needs only its listener ports:
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html
const openIngressPolicy: DrPolicy = {
  name: "security-group-internet-ingress",
  description: "No security group opens anything to 0.0.0.0/0 or ::/0 but TCP 80 and 443, and those only on the group of an internet-facing Application Load Balancer.",
  pillar: "Security",
  enforcement: "mandatory",
  kind: "stack",
  validate: (stack, _ctx, report) => {
    const publicAlbs = ofType(stack.resources, T.loadBalancer).filter(isInternetFacingAlb);
    for (const open of openIngress(stack.resources)) {
      const ports = open.fromPort === open.toPort ? String(open.fromPort) : `${open.fromPort ?? "?"}-${open.toPort ?? "?"}`;
      const webPort = ["tcp", "6"].includes(open.protocol) && open.fromPort === open.toPort && INTERNET_PORTS.includes(open.fromPort ?? -1);
      if (!webPort) report(`${open.label}: opens ${open.protocol} ${ports} to the internet; only TCP ${INTERNET_PORTS.join(" and ")} may be, on an internet-facing load balancer. Narrow the source to a security group or a known CIDR.`, open.rule.urn);
      else if (!publicAlbs.some(open.onGroupOf)) report(`${open.label}: opens TCP ${ports} to the internet on a group no internet-facing load balancer uses; open it only on the web load balancer's group, reach instances through it.`, open.rule.urn);
    }
  },
};

/** Tiers and how many AZs (subnets, one per AZ) each spans. */
function tierSpans(resources: readonly ResourceView[]): { tier: ResourceView; what: string; count: number }[] {
  const spans: { tier: ResourceView; what: string; count: number }[] = [];
  for (const vpc of ofType(resources, T.awsxVpc)) {
    const azs = strings(vpc.inputs.availabilityZoneNames).length || (num(vpc.inputs.numberOfAvailabilityZones) ?? 3);
    spans.push({ tier: vpc, what: "availabilityZoneNames", count: azs });
    for (const spec of list(vpc.inputs.subnetSpecs)) {
      const blocks = strings(spec.cidrBlocks);
      if (blocks.length) spans.push({ tier: vpc, what: `subnetSpecs ${String(spec.type)} cidrBlocks`, count: blocks.length });
    }
  }
  for (const asg of ofType(resources, T.autoScalingGroup))
    spans.push({ tier: asg, what: "vpcZoneIdentifiers", count: Math.max(strings(asg.inputs.vpcZoneIdentifiers).length, strings(asg.inputs.availabilityZones).length) });
  for (const lb of ofType(resources, T.loadBalancer))
    spans.push({ tier: lb, what: "subnets", count: Math.max(strings(lb.inputs.subnets).length, list(lb.inputs.subnetMappings).length) });
  for (const group of ofType(resources, T.dbSubnetGroup)) spans.push({ tier: group, what: "subnetIds", count: strings(group.inputs.subnetIds).length });
  return spans;
}

// https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_fault_isolation_multiaz_region_system.html
const multiAz: DrPolicy = {
  name: "multi-az-tiers",
  description: "Every tier (VPC subnets, load balancers, Auto Scaling groups, database subnet groups) spans at least 2 Availability Zones.",
  pillar: "Reliability",
  enforcement: "mandatory",
  kind: "stack",
  validate: (stack, _ctx, report) => {
    for (const { tier, what, count } of tierSpans(stack.resources))
      if (count < 2) report(`${describe(tier)}: ${what} covers ${count} AZ(s); give it one subnet in each of at least 2 AZs (dr:azCount >= 2).`, tier.urn);
  },
};

/** Endpoint checks (Route 53 probes the endpoint) and switch checks (state held outside the region). */
const ENDPOINT_CHECK_TYPES = ["HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP"];
const SWITCH_CHECK_TYPES = ["CLOUDWATCH_METRIC", "RECOVERY_CONTROL"];

/**
 * Why a failover record's health is not AND(endpoint check, switch), or undefined when it is or
 * cannot be seen. Checks are matched by URN (property dependencies) or id, so it runs at a first
 * preview; a child held by another stack (a secondary's switch, from the primary's exports) is
 * typed when a peer stack shows it (`plan`), and counts as the switch otherwise.
 */
function recordHealthProblem(record: ResourceView, ctx: PolicyContext): string | undefined {
  if (!ctx.stack) return undefined;
  const checks = ofType([...ctx.stack.resources, ...(ctx.peers ?? []).flatMap((p) => p.resources)], T.healthCheck);
  const health = checks.find((h) => refersTo(record, "healthCheckId", h));
  if (!health) return undefined;
  if (health.inputs.type !== "CALCULATED") return `its health check ${health.name} is ${String(health.inputs.type)}; use a CALCULATED check over the endpoint check and the region's switch (childHealthThreshold 2), or a region switched off wins DNS back by its endpoint alone`;
  const children = strings(health.inputs.childHealthchecks);
  const resolved = checks.filter((h) => refersTo(health, "childHealthchecks", h));
  const types = resolved.map((h) => String(h.inputs.type));
  // A known id no visible check answers to: a check another stack holds (a secondary's switch, read
  // from the primary's exports), which a policy seeing one stack cannot type. A value unknown at
  // preview is this stack's own check, named by property dependency instead.
  const foreignSwitch = children.some((c) => c !== UNKNOWN && !checks.some((h) => identities(h).has(c)));
  if (!types.some((t) => ENDPOINT_CHECK_TYPES.includes(t))) return `its CALCULATED check ${health.name} has no endpoint check among its children; add the region's HTTPS check, or an endpoint failure no longer moves DNS`;
  if (!types.some((t) => SWITCH_CHECK_TYPES.includes(t)) && !foreignSwitch) return `its CALCULATED check ${health.name} has no switch among its children (a ${SWITCH_CHECK_TYPES.join(" or ")} check); add the region's switch (stacks/regionSwitch.ts)`;
  if (num(health.inputs.childHealthThreshold) !== children.length) return `its CALCULATED check ${health.name} needs ${health.inputs.childHealthThreshold} of ${children.length} children healthy; set childHealthThreshold to ${children.length} (endpoint AND switch)`;
  return undefined;
}

// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html ;
// alias records evaluate target health instead: https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias.html#rrsets-values-alias-evaluate-target-health
// Calculated checks: https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
const failoverHealth: DrPolicy = {
  name: "route53-failover-health",
  description: "Route 53 failover records carry a health check, or (alias records) evaluate the target's health; where the stack is visible, that check is a CALCULATED AND of an endpoint check and a region switch.",
  pillar: "Reliability",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.record],
  validate: (record, ctx, report) => {
    const failover = list(record.inputs.failoverRoutingPolicies)[0];
    if (!failover) return;
    const role = String(failover.type ?? "?");
    if (isSet(record.inputs.healthCheckId) || record.propertyDependencies.healthCheckId?.length) {
      const problem = recordHealthProblem(record, ctx);
      if (problem) report(`${describe(record)} (${role} failover): ${problem}.`);
      return;
    }
    const aliases = list(record.inputs.aliases);
    if (!aliases.length) report(`${describe(record)} (${role} failover): a non-alias failover record needs healthCheckId; attach a Route 53 health check, or DNS never fails over.`);
    else if (!aliases.every((a) => isTrue(a.evaluateTargetHealth))) report(`${describe(record)} (${role} failover): alias without a health check does not evaluate target health; set aliases[].evaluateTargetHealth: true or attach healthCheckId.`);
  },
};

export const policies: readonly DrPolicy[] = [openIngressPolicy, multiAz, failoverHealth];
