import * as pulumi from "@pulumi/pulumi";
import { requireAwsProvider } from "../providers";
import { REGION_NAME as REGION } from "../regions";
// Shared with the security-group chain so the listener and backend ports match the rules that open them.
import { DEFAULT_HTTPS_PORT, DEFAULT_INSTANCE_PORT } from "../network/securityChain";
import { certificateCovers, loadBalancerAlias, TierCertificate, validatedCertificate } from "../dns/tierDns";
import {
  MAX_TARGET_HEALTH_INTERVAL_SECONDS, MAX_TARGET_HEALTH_THRESHOLD, MIN_TARGET_HEALTH_INTERVAL_SECONDS, MIN_TARGET_HEALTH_THRESHOLD, resolveTargetHealth, TargetHealthSettings,
} from "./targetHealth";
import { tierFleet } from "./tierFleet";
import { tierLoadBalancer } from "./tierLoadBalancer";
import { WarmPoolPlan } from "./warmPool";

export type { TierCertificate } from "../dns/tierDns";
export { validationDomains } from "../dns/tierDns";
export { instanceSecretsPolicy } from "./tierFleet";
export { TLS_POLICY } from "./tierLoadBalancer";

export type TierName = "web" | "app";

export const DEFAULT_HEALTH_CHECK_PATH = "/healthz";
/** Time for a new instance to boot and pass checks before ELB health can replace it. */
export const DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS = 300;
export const DEFAULT_TARGET_CPU_UTILIZATION = 50;
/** AWS's own default, written out so a policy can see it. */
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

/** Instance counts of the Auto Scaling group; 0 is allowed (a pilot-light standby). */
export interface TierCapacity {
  readonly min: number;
  readonly desired: number;
  readonly max: number;
}

/** Target-group health check. */
/** The target-group check: interval and thresholds as dr:targetHealth (targetHealth.ts, its defaults and ALB's ranges), and the path. */
export interface TierHealthCheck extends Partial<TargetHealthSettings> {
  /** Path the load balancer requests. Default "/healthz". */
  readonly path?: string;
}

export interface ServiceTierArgs {
  /** Which tier this is: "web" (internet-facing) or "app" (internal). Required. */
  readonly tier: TierName;
  /** Internet-facing load balancer; must be true for web and false for app. Required. */
  readonly internetFacing: boolean;
  /** Region of the provider passed in opts (for the KMS ViaService condition). Required. */
  readonly region: string;
  /** VPC of the target group. Required. */
  readonly vpcId: pulumi.Input<string>;
  /** Subnets of the load balancer: public for web, private for app, one per AZ. Required. */
  readonly loadBalancerSubnetIds: pulumi.Input<string[]>;
  /** Private subnets the instances run in, one per AZ. Required. */
  readonly instanceSubnetIds: pulumi.Input<string[]>;
  /** The AZs the subnets are in, in order (at least 2). Required. */
  readonly availabilityZones: readonly string[];
  /** Security group of the load balancer (from SecurityGroupChain). Required. */
  readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
  /** Security group of the instances (from SecurityGroupChain). Required. */
  readonly instanceSecurityGroupId: pulumi.Input<string>;
  /** AMI the instances boot: the golden image (primary) or its copy (secondary). Required. */
  readonly amiId: pulumi.Input<string>;
  /** EC2 instance type, such as t3.medium. Required. */
  readonly instanceType: string;
  /** Auto Scaling group sizes. Required. */
  readonly capacity: TierCapacity;
  /** Port the instances serve on. Default 8080. */
  readonly instancePort?: number;
  /** HTTPS listener port. Default 443. */
  readonly httpsPort?: number;
  /** Target-group health check. Default { path "/healthz", 5 s, 2 healthy, 3 unhealthy } (targetHealth.ts). */
  readonly healthCheck?: TierHealthCheck;
  /** Certificate of the HTTPS listener, created and DNS-validated here. Required. */
  readonly certificate: TierCertificate;
  /** Name of the SSE-S3 access-log bucket in this region (AccessLogBucket.bucketName). Required. */
  readonly accessLogBucket: pulumi.Input<string>;
  /** Customer KMS key that encrypts the instances' EBS volumes. Required. */
  readonly ebsKmsKeyArn: pulumi.Input<string>;
  /** Exact ARNs of the secrets the instances may read. Default none. */
  readonly secretArns?: readonly pulumi.Input<string>[];
  /** KMS key of those secrets; required when secretArns is not empty. Default none. */
  readonly secretsKmsKeyArn?: pulumi.Input<string>;
  /** Warm pool behind the group (warmPoolFor / stackWarmPools). Default: none. */
  readonly warmPool?: WarmPoolPlan;
  /** Seconds after launch before failed ELB checks replace an instance. Default 300. */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Average CPU percentage the scaling policy holds. Default 50. */
  readonly targetCpuUtilization?: number;
  /** Load balancer idle timeout in seconds. Default 60. */
  readonly idleTimeoutSeconds?: number;
  /** Name to publish as an alias of the load balancer in certificate.hostedZoneId; must be on the certificate. Default none. */
  readonly endpointName?: string;
  /** The stack's tags, for what provider default tags do not reach: the Auto Scaling group and the instances, volumes and interfaces it launches. Default none. */
  readonly launchTags?: Readonly<Record<string, string>>;
}

/**
 * One service tier of a region: an Application Load Balancer (internet-facing for web, internal for
 * app) with an HTTPS listener on a DNS-validated ACM certificate, and an Auto Scaling group of
 * hardened instances (IMDSv2, encrypted EBS, no public IP, SSM, least-privilege secret access)
 * across the private subnets of every AZ.
 */
export class ServiceTier extends pulumi.ComponentResource {
  readonly loadBalancerArn: pulumi.Output<string>;
  readonly loadBalancerArnSuffix: pulumi.Output<string>;
  readonly loadBalancerDnsName: pulumi.Output<string>;
  readonly loadBalancerZoneId: pulumi.Output<string>;
  readonly loadBalancerName: pulumi.Output<string>;
  readonly targetGroupArnSuffix: pulumi.Output<string>;
  readonly autoScalingGroupName: pulumi.Output<string>;
  /** The group's ARN: the in-cloud plan's EC2AutoScaling block names groups by ARN. */
  readonly autoScalingGroupArn: pulumi.Output<string>;
  readonly launchTemplateId: pulumi.Output<string>;
  readonly instanceRoleArn: pulumi.Output<string>;
  readonly certificateArn: pulumi.Output<string>;
  /** The name published for the load balancer (endpointName), if any. */
  readonly endpointName: string | undefined;

  constructor(name: string, args: ServiceTierArgs, opts?: pulumi.ComponentResourceOptions) {
    validateServiceTierArgs(args);
    super("dr:compute:ServiceTier", name, {}, opts);
    requireAwsProvider(this, `ServiceTier ${name}`);
    const tier = args.tier;
    const tags = { Name: name, "dr:tier": tier };
    const { desired } = args.capacity;
    if (desired > 0 && desired < args.availabilityZones.length) {
      pulumi.log.warn(`${tier} tier runs ${desired} instance(s) across ${args.availabilityZones.length} AZs: some AZs serve nothing, and losing an AZ with the only instance cuts capacity until a replacement boots`, this);
    }

    const certificateArn = validatedCertificate(this, name, args.certificate, tags);
    const { loadBalancer, targetGroup } = tierLoadBalancer(this, name, {
      tier,
      internetFacing: args.internetFacing,
      vpcId: args.vpcId,
      subnetIds: args.loadBalancerSubnetIds,
      securityGroupId: args.loadBalancerSecurityGroupId,
      instancePort: args.instancePort ?? DEFAULT_INSTANCE_PORT,
      httpsPort: args.httpsPort ?? DEFAULT_HTTPS_PORT,
      healthCheck: (({ intervalSeconds, healthyThreshold, unhealthyThreshold }) => ({
        path: args.healthCheck?.path ?? DEFAULT_HEALTH_CHECK_PATH, interval: intervalSeconds, healthyThreshold, unhealthyThreshold,
      }))(resolveTargetHealth(args.healthCheck)),
      certificateArn,
      accessLogBucket: args.accessLogBucket,
      idleTimeoutSeconds: args.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS,
      tags,
    });
    if (args.endpointName !== undefined) {
      loadBalancerAlias(this, name, args.certificate.hostedZoneId, args.endpointName, { dnsName: loadBalancer.dnsName, zoneId: loadBalancer.zoneId });
    }
    const fleet = tierFleet(this, name, {
      tier,
      region: args.region,
      instanceSubnetIds: args.instanceSubnetIds,
      instanceSecurityGroupId: args.instanceSecurityGroupId,
      amiId: args.amiId,
      instanceType: args.instanceType,
      capacity: args.capacity,
      ebsKmsKeyArn: args.ebsKmsKeyArn,
      secretArns: args.secretArns ?? [],
      secretsKmsKeyArn: args.secretsKmsKeyArn,
      targetGroupArn: targetGroup.arn,
      healthCheckGracePeriodSeconds: args.healthCheckGracePeriodSeconds ?? DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS,
      targetCpuUtilization: args.targetCpuUtilization ?? DEFAULT_TARGET_CPU_UTILIZATION,
      tags,
      launchTags: { ...(args.launchTags ?? {}), ...tags },
      warmPool: args.warmPool,
    });

    this.loadBalancerArn = loadBalancer.arn;
    this.loadBalancerArnSuffix = loadBalancer.arnSuffix;
    this.loadBalancerDnsName = loadBalancer.dnsName;
    this.loadBalancerZoneId = loadBalancer.zoneId;
    this.loadBalancerName = loadBalancer.name;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;
    this.autoScalingGroupName = fleet.group.name;
    this.autoScalingGroupArn = fleet.group.arn;
    this.launchTemplateId = fleet.launchTemplate.id;
    this.instanceRoleArn = fleet.instanceRole.arn;
    this.certificateArn = certificateArn;
    this.endpointName = args.endpointName;
    this.registerOutputs({
      loadBalancerArn: this.loadBalancerArn,
      loadBalancerArnSuffix: this.loadBalancerArnSuffix,
      loadBalancerDnsName: this.loadBalancerDnsName,
      loadBalancerZoneId: this.loadBalancerZoneId,
      loadBalancerName: this.loadBalancerName,
      targetGroupArnSuffix: this.targetGroupArnSuffix,
      autoScalingGroupName: this.autoScalingGroupName,
      autoScalingGroupArn: this.autoScalingGroupArn,
      launchTemplateId: this.launchTemplateId,
      instanceRoleArn: this.instanceRoleArn,
      certificateArn: this.certificateArn,
      endpointName: this.endpointName,
    });
  }
}

const inRange = (n: number | undefined, lo: number, hi: number) => n === undefined || (Number.isInteger(n) && n >= lo && n <= hi);

/** Checks the arguments a caller controls; throws one error naming every problem. */
export function validateServiceTierArgs(args: ServiceTierArgs): void {
  const problems: string[] = [];
  const fail = (msg: string) => problems.push(msg);
  if (args.tier !== "web" && args.tier !== "app") fail(`tier is "${String(args.tier)}"; use "web" or "app"`);
  else if (args.tier === "web" && !args.internetFacing) fail(`internetFacing is false for tier "web"; the web tier is the public entry point, set internetFacing: true`);
  else if (args.tier === "app" && args.internetFacing) fail(`internetFacing is true for tier "app"; the app tier must stay internal, set internetFacing: false`);
  if (!REGION.test(args.region)) fail(`region is "${args.region}"; pass the provider's region, such as us-east-1`);
  const azs = args.availabilityZones.length;
  if (azs < 2) fail(`availabilityZones has ${azs} AZ(s) (${args.availabilityZones.join(", ") || "none"}); give at least 2 so the tier survives an AZ loss`);
  for (const [input, ids] of [["loadBalancerSubnetIds", args.loadBalancerSubnetIds], ["instanceSubnetIds", args.instanceSubnetIds]] as const) {
    // Only known lists can be counted here; outputs of the network are checked by AWS itself.
    if (!Array.isArray(ids)) continue;
    if (ids.length < 2) fail(`${input} has ${ids.length} subnet(s); give one subnet in each of at least 2 AZs (an ALB needs 2)`);
    else if (ids.length !== azs && azs >= 2) fail(`${input} has ${ids.length} subnets for ${azs} AZs (${args.availabilityZones.join(", ")}); pass one subnet per AZ`);
  }
  const { min, desired, max } = args.capacity;
  for (const [k, v] of Object.entries({ min, desired, max })) {
    if (!Number.isInteger(v) || v < 0) fail(`capacity.${k} is ${v}; use a whole number, 0 or more`);
  }
  if (!(min <= desired && desired <= max)) fail(`capacity is min ${min}, desired ${desired}, max ${max}; it must satisfy min <= desired <= max`);
  if (typeof args.amiId === "string" && !/^ami-[0-9a-f]{8,17}$/.test(args.amiId.trim())) {
    fail(`amiId is "${args.amiId}"; pass an AMI id such as ami-0123456789abcdef0 (the golden image, or its copy on a secondary)`);
  }
  if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(args.instanceType)) fail(`instanceType is "${args.instanceType}"; use an EC2 type such as t3.medium`);
  const hc = args.healthCheck ?? {};
  if (hc.path !== undefined && !/^\/[\x21-\x7e]*$/.test(hc.path)) fail(`healthCheck.path is "${hc.path}"; use a URL path starting with "/", such as ${DEFAULT_HEALTH_CHECK_PATH}`);
  const [minI, maxI, minT, maxT] = [MIN_TARGET_HEALTH_INTERVAL_SECONDS, MAX_TARGET_HEALTH_INTERVAL_SECONDS, MIN_TARGET_HEALTH_THRESHOLD, MAX_TARGET_HEALTH_THRESHOLD];
  if (!inRange(hc.intervalSeconds, minI, maxI)) fail(`healthCheck.intervalSeconds is ${hc.intervalSeconds}; use ${minI} to ${maxI} seconds`);
  if (!inRange(hc.healthyThreshold, minT, maxT)) fail(`healthCheck.healthyThreshold is ${hc.healthyThreshold}; use ${minT} to ${maxT}`);
  if (!inRange(hc.unhealthyThreshold, minT, maxT)) fail(`healthCheck.unhealthyThreshold is ${hc.unhealthyThreshold}; use ${minT} to ${maxT}`);
  if (!inRange(args.instancePort, 1, 65535)) fail(`instancePort is ${args.instancePort}; use a port from 1 to 65535`);
  if (!inRange(args.httpsPort, 1, 65535) || args.httpsPort === 80) fail(`httpsPort is ${args.httpsPort}; use a port from 1 to 65535 other than 80 (443 unless clients expect otherwise)`);
  if (!inRange(args.healthCheckGracePeriodSeconds, 0, 7200)) fail(`healthCheckGracePeriodSeconds is ${args.healthCheckGracePeriodSeconds}; use 0 to 7200 seconds`);
  if (!inRange(args.targetCpuUtilization, 1, 100)) fail(`targetCpuUtilization is ${args.targetCpuUtilization}; use a percentage from 1 to 100`);
  if (!inRange(args.idleTimeoutSeconds, 1, 4000)) fail(`idleTimeoutSeconds is ${args.idleTimeoutSeconds}; use 1 to 4000 seconds`);
  const cert = args.certificate;
  if (!cert.domainName || /\s/.test(cert.domainName)) fail(`certificate.domainName is "${cert.domainName}"; give the name clients use, such as app.example.com`);
  if (args.endpointName !== undefined && !certificateCovers(cert, args.endpointName))
    fail(`endpointName is "${args.endpointName}", a name not on the certificate (${[cert.domainName, ...(cert.subjectAlternativeNames ?? [])].join(", ")}); clients would fail TLS verification, publish a name the certificate covers`);
  if (!/^Z[A-Z0-9]{1,31}$/.test(cert.hostedZoneId)) fail(`certificate.hostedZoneId is "${cert.hostedZoneId}"; copy the Route 53 hosted zone id (it starts with Z)`);
  const secrets = args.secretArns ?? [];
  for (const arn of secrets) {
    if (typeof arn === "string" && (arn.includes("*") || !arn.startsWith("arn:aws:secretsmanager:"))) {
      fail(`secretArns contains "${arn}"; list exact Secrets Manager secret ARNs, without wildcards`);
    }
  }
  if (secrets.length > 0 && args.secretsKmsKeyArn === undefined) fail(`secretsKmsKeyArn is not set but secretArns lists ${secrets.length} secret(s); pass the KMS key that encrypts them`);
  if (typeof args.accessLogBucket === "string" && args.accessLogBucket.trim() === "") fail(`accessLogBucket is empty; pass AccessLogBucket.bucketName of this region`);
  if (problems.length) throw new Error(`ServiceTier: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
