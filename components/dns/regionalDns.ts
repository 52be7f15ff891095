import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_CHECKER_REGIONS, REGION_NAME as REGION } from "../regions";
import { requireAwsProvider } from "../providers";
import { RECORD_HEALTH_CHILDREN } from "./regionSwitch";

/**
 * "failover" (one active region), "latency" (active-active), or "regional-only": a region that holds
 * no member of the shared name (a failover record set has exactly two members, so a third region
 * keeps only its regional name and health check until a record change makes it the SECONDARY).
 */
export type DnsRouting = "failover" | "latency" | "regional-only";
export type FailoverRole = "PRIMARY" | "SECONDARY";

/** Route 53 offers only these request intervals (seconds). */
export const HEALTH_CHECK_INTERVALS: readonly number[] = [10, 30];
/** Route 53's range for consecutive failed checks before a health check turns unhealthy. */
export const MIN_FAILURE_THRESHOLD = 1;
export const MAX_FAILURE_THRESHOLD = 10;
/** Route 53 refuses a checker-region list shorter than this (an empty list means "all regions"). */
export const MIN_CHECKER_REGIONS = 3;
/** The web ALB listens for clients on HTTPS only; checks follow the path clients take. */
const HEALTH_CHECK_PORT = 443;

const FQDN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const URL_PATH = /^\/[\x21-\x7e]*$/;

export interface RegionalDnsHealthCheck {
  /** Path the checkers request over HTTPS, such as /healthz. Required. */
  readonly path: string;
  /** Seconds between checks from each checker: 10 or 30. Required. */
  readonly intervalSeconds: number;
  /** Consecutive failures before the region counts as down, 1 to 10. Required. */
  readonly failureThreshold: number;
  /** Checker regions; empty means Route 53's default set, otherwise at least 3. Required. */
  readonly checkerRegions: readonly string[];
}

export interface RegionalDnsArgs {
  /** Route 53 public hosted zone holding the domain. Required. */
  readonly hostedZoneId: pulumi.Input<string>;
  /** The shared name clients resolve, such as orders.example.com (no trailing dot). Required. */
  readonly domain: string;
  /** Region of the load balancer behind these records; names the regional record and the set identifier. Required. */
  readonly region: string;
  /** "failover", "latency" or "regional-only" (see DnsRouting). Required. */
  readonly routing: DnsRouting;
  /** PRIMARY or SECONDARY; required with failover routing, forbidden with latency routing. Default: none. */
  readonly failoverRole?: FailoverRole;
  /** DNS name of the region's web ALB. Required. */
  readonly loadBalancerDnsName: pulumi.Input<string>;
  /** Canonical hosted zone id of the region's web ALB (not the domain's zone). Required. */
  readonly loadBalancerZoneId: pulumi.Input<string>;
  /** How Route 53 decides this region is healthy. Required. */
  readonly healthCheck: RegionalDnsHealthCheck;
  /** DNS name of the hosted zone; when given, the domain must be inside it. Default: not checked. */
  readonly zoneName?: string;
  /**
   * The region's switch: a Route 53 health check whose state lives outside this region (a
   * CLOUDWATCH_METRIC check on an alarm in another region, or a RECOVERY_CONTROL check). The record's
   * health is endpoint AND switch. Required.
   */
  readonly switchHealthCheckId: pulumi.Input<string>;
}

/**
 * What ONE stack owns in Route 53 for its region: a regional alias record (`<region>.<domain>`)
 * pointing at the region's web ALB, an HTTPS health check on that regional name, and this
 * region's member of the shared `<domain>` record set (failover PRIMARY/SECONDARY, or latency),
 * under its own set identifier. The other region's stack owns the other member; no stack
 * touches the other's records, so deploy order and destroy order stay free of cycles.
 */
export class RegionalDns extends pulumi.ComponentResource {
  /** The HTTPS endpoint check (what the health alarm watches). */
  readonly healthCheckId: pulumi.Output<string>;
  /** The record's health: the CALCULATED check, endpoint AND switch. */
  readonly recordHealthCheckId: pulumi.Output<string>;
  /** The per-region name the health check probes, such as us-east-1.orders.example.com. */
  readonly regionalName: string;
  /** The shared name clients resolve. */
  readonly recordName: string;
  /** This region's set identifier in the shared record set. */
  readonly setIdentifier: string;
  /**
   * Worst-case seconds from the region failing to Route 53 marking it unhealthy
   * (interval x threshold). Alias records have no TTL of their own, so this, plus resolver
   * caching of the ALB's own 60 s records, is the DNS share of the RTO.
   */
  readonly detectionSeconds: number;

  constructor(name: string, args: RegionalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    validateRegionalDnsArgs(args);
    super("dr:dns:RegionalDns", name, {}, opts);
    requireAwsProvider(this, `RegionalDns ${name}`);
    const domain = normalizeName(args.domain);
    const hc = args.healthCheck;
    this.regionalName = regionalNameOf(args.region, domain);
    this.recordName = domain;
    this.setIdentifier = args.region;
    this.detectionSeconds = hc.intervalSeconds * hc.failureThreshold;

    // Alias to an ALB: Route 53 answers with the ALB's own addresses and TTL, so a TTL here would
    // be rejected; evaluateTargetHealth makes an ALB with no healthy targets count as down.
    const albAlias = [{ name: args.loadBalancerDnsName, zoneId: args.loadBalancerZoneId, evaluateTargetHealth: true }];

    // The health check probes the regional name, not the shared one: the shared name answers
    // with whichever region is active, so probing it would measure the wrong region after failover.
    new aws.route53.Record(`${name}-regional`, {
      zoneId: args.hostedZoneId,
      name: this.regionalName,
      type: "A",
      aliases: albAlias,
      allowOverwrite: false,
    }, { parent: this });

    const healthCheck = new aws.route53.HealthCheck(`${name}-health`, {
      type: "HTTPS",
      port: HEALTH_CHECK_PORT,
      fqdn: this.regionalName,
      resourcePath: hc.path,
      requestInterval: hc.intervalSeconds,
      failureThreshold: hc.failureThreshold,
      // Omitted when empty: Route 53 then uses its default checker set; an empty list is rejected.
      regions: hc.checkerRegions.length ? [...hc.checkerRegions] : undefined,
      // The ALB serves several certificates by SNI; without it the handshake gets the default one.
      enableSni: true,
      // Cannot be changed after creation and costs extra; latency is watched on the ALB instead.
      measureLatency: false,
      tags: { Name: this.regionalName },
    }, { parent: this });

    // The record's health: endpoint AND switch. An endpoint failure still moves DNS by itself; a
    // region switched off stays out of DNS whatever its endpoint says, until switched on. Built for
    // a regional-only region too, so making it the SECONDARY later is only a record change.
    const recordHealth = new aws.route53.HealthCheck(`${name}-record-health`, {
      type: "CALCULATED",
      childHealthchecks: [healthCheck.id, args.switchHealthCheckId],
      childHealthThreshold: RECORD_HEALTH_CHILDREN,
      tags: { Name: `${this.regionalName} endpoint AND switch` },
    }, { parent: this });

    if (args.routing !== "regional-only") new aws.route53.Record(`${name}-shared`, {
      zoneId: args.hostedZoneId,
      name: domain,
      type: "A",
      aliases: albAlias,
      setIdentifier: this.setIdentifier,
      // Alias records may take a health check too; with it, a region whose endpoint fails the
      // HTTPS probe, or whose switch is off, leaves the answer even if the ALB still has healthy
      // targets. A changed check id is an in-place update of the record, and Pulumi replaces a
      // check create-before-delete: the record never points at a deleted check, whose status
      // Route 53 leaves undefined (https://docs.aws.amazon.com/Route53/latest/APIReference/API_DeleteHealthCheck.html).
      healthCheckId: recordHealth.id,
      failoverRoutingPolicies: args.routing === "failover" ? [{ type: args.failoverRole as FailoverRole }] : undefined,
      latencyRoutingPolicies: args.routing === "latency" ? [{ region: args.region }] : undefined,
      // Each stack owns only its own set identifier; overwriting would take over the other stack's member.
      allowOverwrite: false,
    }, { parent: this });

    this.healthCheckId = healthCheck.id;
    this.recordHealthCheckId = recordHealth.id;
    this.registerOutputs({
      healthCheckId: this.healthCheckId,
      recordHealthCheckId: this.recordHealthCheckId,
      regionalName: this.regionalName,
      recordName: this.recordName,
      setIdentifier: this.setIdentifier,
      detectionSeconds: this.detectionSeconds,
    });
  }
}

/** The per-region name under the shared domain, such as us-west-2.orders.example.com. */
export function regionalNameOf(region: string, domain: string): string {
  return `${region}.${normalizeName(domain)}`;
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

/** Every problem with the arguments, each naming the input, its value and the fix. */
export function regionalDnsProblems(args: RegionalDnsArgs): string[] {
  const problems: string[] = [];
  const domain = typeof args.domain === "string" ? normalizeName(args.domain) : "";
  if (!FQDN.test(domain)) problems.push(`domain is "${args.domain}", not a fully qualified domain name; use a name such as orders.example.com`);
  if (typeof args.region !== "string" || !REGION.test(args.region)) problems.push(`region is "${args.region}", not an AWS region name; use the load balancer's region, such as us-east-1`);
  else if (FQDN.test(domain) && !FQDN.test(regionalNameOf(args.region, domain)))
    problems.push(`domain "${domain}" leaves no room for the regional name "${regionalNameOf(args.region, domain)}" (over 253 characters); use a shorter domain`);
  if (typeof args.hostedZoneId === "string" && !HOSTED_ZONE_ID.test(args.hostedZoneId))
    problems.push(`hostedZoneId is "${args.hostedZoneId}", not a Route 53 hosted zone id; copy it from the Route 53 console (it starts with Z)`);
  if (args.zoneName !== undefined && FQDN.test(domain)) {
    const zone = normalizeName(args.zoneName);
    if (domain !== zone && !domain.endsWith(`.${zone}`))
      problems.push(`domain "${domain}" is not inside zoneName "${zone}", so neither it nor "${regionalNameOf(args.region, domain)}" can be created there; use a domain under ${zone} or the zone that holds ${domain}`);
  }
  if (args.routing !== "failover" && args.routing !== "latency" && args.routing !== "regional-only") problems.push(`routing is "${args.routing}"; use failover (one active region), latency (active-active) or regional-only (a region outside the shared name)`);
  if (args.routing === "failover" && args.failoverRole !== "PRIMARY" && args.failoverRole !== "SECONDARY")
    problems.push(`failoverRole is ${args.failoverRole === undefined ? "missing" : `"${args.failoverRole}"`} with failover routing; set PRIMARY in the primary stack and SECONDARY in the secondary`);
  if (args.routing !== "failover" && args.failoverRole !== undefined)
    problems.push(`failoverRole is "${args.failoverRole}" with ${args.routing} routing, where it has no effect; remove it or use failover routing`);
  if (args.switchHealthCheckId === undefined || args.switchHealthCheckId === "")
    problems.push(`switchHealthCheckId is missing; pass the region's switch check (stacks/regionSwitch.ts), or a returning region wins DNS back by its endpoint alone`);
  const hc = args.healthCheck;
  if (!HEALTH_CHECK_INTERVALS.includes(hc.intervalSeconds))
    problems.push(`healthCheck.intervalSeconds is ${hc.intervalSeconds}; use 10 or 30 (the only intervals Route 53 offers)`);
  if (!Number.isInteger(hc.failureThreshold) || hc.failureThreshold < MIN_FAILURE_THRESHOLD || hc.failureThreshold > MAX_FAILURE_THRESHOLD)
    problems.push(`healthCheck.failureThreshold is ${hc.failureThreshold}; use a whole number from ${MIN_FAILURE_THRESHOLD} to ${MAX_FAILURE_THRESHOLD} (Route 53's range)`);
  if (typeof hc.path !== "string" || !URL_PATH.test(hc.path)) problems.push(`healthCheck.path is "${hc.path}"; use a URL path starting with /, such as /healthz`);
  const checkers = hc.checkerRegions;
  if (checkers.length > 0 && checkers.length < MIN_CHECKER_REGIONS)
    problems.push(`healthCheck.checkerRegions is [${checkers.join(", ")}] (${checkers.length}); name at least ${MIN_CHECKER_REGIONS} (Route 53's minimum), or none for the default set`);
  const unknown = checkers.filter((r) => !HEALTH_CHECKER_REGIONS.includes(r));
  if (unknown.length) problems.push(`healthCheck.checkerRegions has ${unknown.join(", ")}, where Route 53 runs no checkers; use ${HEALTH_CHECKER_REGIONS.join(", ")}`);
  const repeated = checkers.filter((r, i) => checkers.indexOf(r) !== i);
  if (repeated.length) problems.push(`healthCheck.checkerRegions repeats ${[...new Set(repeated)].join(", ")}; list each region once`);
  return problems;
}

/** Throws one error naming every problem; called before anything is registered. */
export function validateRegionalDnsArgs(args: RegionalDnsArgs): void {
  const problems = regionalDnsProblems(args);
  if (problems.length) throw new Error(`RegionalDns: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
