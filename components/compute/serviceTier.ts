import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { requireAwsProvider } from "../providers";
// Shared with the security-group chain so the listener and backend ports match the rules that open them.
import { DEFAULT_HTTPS_PORT, DEFAULT_INSTANCE_PORT } from "../network/securityChain";
import { DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS, DEFAULT_HEALTHY_THRESHOLD, DEFAULT_UNHEALTHY_THRESHOLD } from "./targetHealth";
import { WarmPoolPlan } from "./warmPool";

export { DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS, DEFAULT_HEALTHY_THRESHOLD, DEFAULT_UNHEALTHY_THRESHOLD };

export type TierName = "web" | "app";

export const DEFAULT_HEALTH_CHECK_PATH = "/healthz";
/** Time for a new instance to boot and pass checks before ELB health can replace it. */
export const DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS = 300;
export const DEFAULT_TARGET_CPU_UTILIZATION = 50;
/** AWS's own default, written out so a policy can see it. */
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
/** TLS 1.3 with TLS 1.2 fallback and forward-secret ciphers only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** Short drain: requests are short-lived, and a long drain slows every rolling refresh and failover. */
const DEREGISTRATION_DELAY_SECONDS = 30;
/** A rolling refresh keeps nearly the whole fleet serving. */
const REFRESH_MIN_HEALTHY_PERCENT = 90;
const SSM_CORE_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";
const VALIDATION_RECORD_TTL_SECONDS = 60;
const GROUP_METRICS = [
  "GroupMinSize", "GroupMaxSize", "GroupDesiredCapacity", "GroupInServiceInstances",
  "GroupPendingInstances", "GroupStandbyInstances", "GroupTerminatingInstances", "GroupTotalInstances",
] as const;

/** Instance counts of the Auto Scaling group; 0 is allowed (a pilot-light standby). */
export interface TierCapacity {
  readonly min: number;
  readonly desired: number;
  readonly max: number;
}

/** Target-group health check. */
export interface TierHealthCheck {
  /** Path the load balancer requests. Default "/healthz". */
  readonly path?: string;
  /** Seconds between checks, 5 to 300. Default 5. */
  readonly intervalSeconds?: number;
  /** Consecutive passes before an unhealthy target serves again, 2 to 10. Default 2. */
  readonly healthyThreshold?: number;
  /** Consecutive failures before a target is taken out, 2 to 10. Default 3. */
  readonly unhealthyThreshold?: number;
}

/** The ACM certificate the HTTPS listener serves, validated by DNS. */
export interface TierCertificate {
  /** Name the certificate is for, such as app.example.com. Required. */
  readonly domainName: string;
  /** Further names on the certificate. Default none. */
  readonly subjectAlternativeNames?: readonly string[];
  /** Route 53 zone that holds the validation records. Required. */
  readonly hostedZoneId: string;
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
  readonly launchTemplateId: pulumi.Output<string>;
  readonly instanceRoleArn: pulumi.Output<string>;
  readonly certificateArn: pulumi.Output<string>;

  constructor(name: string, args: ServiceTierArgs, opts?: pulumi.ComponentResourceOptions) {
    validateServiceTierArgs(args);
    super("dr:compute:ServiceTier", name, {}, opts);
    requireAwsProvider(this, `ServiceTier ${name}`);
    const tier = args.tier;
    const instancePort = args.instancePort ?? DEFAULT_INSTANCE_PORT;
    const httpsPort = args.httpsPort ?? DEFAULT_HTTPS_PORT;
    const hc = {
      path: args.healthCheck?.path ?? DEFAULT_HEALTH_CHECK_PATH,
      interval: args.healthCheck?.intervalSeconds ?? DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS,
      healthyThreshold: args.healthCheck?.healthyThreshold ?? DEFAULT_HEALTHY_THRESHOLD,
      unhealthyThreshold: args.healthCheck?.unhealthyThreshold ?? DEFAULT_UNHEALTHY_THRESHOLD,
    };
    const gracePeriod = args.healthCheckGracePeriodSeconds ?? DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS;
    const targetCpu = args.targetCpuUtilization ?? DEFAULT_TARGET_CPU_UTILIZATION;
    const secretArns = args.secretArns ?? [];
    const tags = { Name: name, "dr:tier": tier };
    const { min, desired, max } = args.capacity;
    if (desired > 0 && desired < args.availabilityZones.length) {
      pulumi.log.warn(`${tier} tier runs ${desired} instance(s) across ${args.availabilityZones.length} AZs: some AZs serve nothing, and losing an AZ with the only instance cuts capacity until a replacement boots`, this);
    }

    // --- Certificate -------------------------------------------------------------------------
    const cert = new aws.acm.Certificate(`${name}-cert`, {
      domainName: args.certificate.domainName,
      subjectAlternativeNames: [...(args.certificate.subjectAlternativeNames ?? [])],
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      tags,
    }, { parent: this });
    const validationRecords = validationDomains(args.certificate).map((domain) => {
      const option = cert.domainValidationOptions.apply((options) => {
        const found = options.find((o) => o.domainName === domain);
        if (!found) throw new Error(`ServiceTier ${name}: ACM returned no DNS validation record for ${domain}`);
        return found;
      });
      return new aws.route53.Record(`${name}-cert-validation-${domain}`, {
        zoneId: args.certificate.hostedZoneId,
        name: option.resourceRecordName,
        type: option.resourceRecordType,
        records: [option.resourceRecordValue],
        ttl: VALIDATION_RECORD_TTL_SECONDS,
        // ACM issues the same validation CNAME for a name in every region, so the primary and the
        // secondary stack both declare this record; without allowOverwrite the second stack fails
        // with "record already exists". Both write the identical value, so overwriting is safe.
        allowOverwrite: true,
      }, { parent: this });
    });
    const validation = new aws.acm.CertificateValidation(`${name}-cert-validation`, {
      certificateArn: cert.arn,
      validationRecordFqdns: validationRecords.map((r) => r.fqdn),
    }, { parent: this });

    // --- Load balancer -----------------------------------------------------------------------
    const lb = new aws.lb.LoadBalancer(`${name}-alb`, {
      loadBalancerType: "application",
      internal: !args.internetFacing,
      ipAddressType: "ipv4",
      subnets: args.loadBalancerSubnetIds,
      securityGroups: [args.loadBalancerSecurityGroupId],
      // Requests with malformed headers are a classic request-smuggling vector; drop them at the edge.
      dropInvalidHeaderFields: true,
      // A load balancer's DNS name is what Route 53 failover points at; deleting one by mistake is
      // an outage. Turn this off deliberately (runbook) before tearing a region down.
      enableDeletionProtection: true,
      idleTimeout: args.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS,
      accessLogs: { bucket: args.accessLogBucket, prefix: tier, enabled: true },
      tags,
    }, { parent: this });

    const targetGroup = new aws.lb.TargetGroup(`${name}-tg`, {
      vpcId: args.vpcId,
      targetType: "instance",
      protocol: "HTTP",
      port: instancePort,
      deregistrationDelay: DEREGISTRATION_DELAY_SECONDS,
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: hc.path,
        interval: hc.interval,
        // The timeout must be shorter than the interval.
        timeout: Math.min(5, hc.interval - 1),
        healthyThreshold: hc.healthyThreshold,
        unhealthyThreshold: hc.unhealthyThreshold,
        matcher: "200",
      },
      tags,
    }, { parent: this });

    new aws.lb.Listener(`${name}-https`, {
      loadBalancerArn: lb.arn,
      protocol: "HTTPS",
      port: httpsPort,
      // The validation's ARN, not the certificate's: the listener waits until the certificate is issued.
      certificateArn: validation.certificateArn,
      sslPolicy: TLS_POLICY,
      defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
      tags,
    }, { parent: this });

    if (tier === "web") {
      new aws.lb.Listener(`${name}-http-redirect`, {
        loadBalancerArn: lb.arn,
        protocol: "HTTP",
        port: 80,
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(httpsPort), statusCode: "HTTP_301" } }],
        tags,
      }, { parent: this });
    }

    // --- Instance identity -------------------------------------------------------------------
    const role = new aws.iam.Role(`${name}-instance`, {
      description: `Instances of the ${tier} tier: SSM management and read access to their secrets only`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags,
    }, { parent: this });
    // Session Manager replaces SSH: no key pairs, no inbound port, every session logged.
    new aws.iam.RolePolicyAttachment(`${name}-ssm-core`, { role: role.name, policyArn: SSM_CORE_POLICY_ARN }, { parent: this });
    if (secretArns.length > 0) {
      new aws.iam.RolePolicy(`${name}-secrets`, {
        role: role.id,
        policy: pulumi.all([pulumi.all([...secretArns]), args.secretsKmsKeyArn]).apply(([arns, keyArn]) =>
          JSON.stringify(instanceSecretsPolicy(arns, keyArn ?? "", args.region))),
      }, { parent: this });
    }
    const profile = new aws.iam.InstanceProfile(`${name}-instance`, { role: role.name, tags }, { parent: this });

    // --- Launch template and Auto Scaling group ----------------------------------------------
    // The root device name differs between AMIs (/dev/xvda, /dev/sda1); a mapping under the wrong
    // name adds a second volume and leaves the root on the AMI's own settings.
    const ami = aws.ec2.getAmiOutput({ filters: [{ name: "image-id", values: [args.amiId] }] }, { parent: this });
    const launchTemplate = new aws.ec2.LaunchTemplate(`${name}-lt`, {
      description: `${tier} tier instances`,
      imageId: args.amiId,
      instanceType: args.instanceType,
      iamInstanceProfile: { arn: profile.arn },
      // IMDSv2 only: session tokens defeat SSRF-style credential theft through open proxies. A hop
      // limit of 1 keeps the token from leaving the instance (e.g. from inside a container).
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      blockDeviceMappings: [{
        deviceName: ami.rootDeviceName,
        ebs: { encrypted: "true", kmsKeyId: args.ebsKmsKeyArn, volumeType: "gp3", deleteOnTermination: "true" },
      }],
      // Instances live in private subnets and leave through NAT; a public IP would bypass the ALB.
      networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: [args.instanceSecurityGroupId], deleteOnTermination: "true" }],
      monitoring: { enabled: true },
      updateDefaultVersion: true,
      tagSpecifications: [
        { resourceType: "instance", tags },
        { resourceType: "volume", tags },
        { resourceType: "network-interface", tags },
      ],
      tags,
    }, { parent: this });

    const group = new aws.autoscaling.Group(`${name}-asg`, {
      vpcZoneIdentifiers: args.instanceSubnetIds,
      minSize: min,
      desiredCapacity: desired,
      maxSize: max,
      launchTemplate: { id: launchTemplate.id, version: "$Latest" },
      targetGroupArns: [targetGroup.arn],
      // ELB checks, not EC2 status checks: an instance whose app is down is replaced, not kept.
      healthCheckType: "ELB",
      healthCheckGracePeriod: gracePeriod,
      instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: REFRESH_MIN_HEALTHY_PERCENT } },
      enabledMetrics: [...GROUP_METRICS],
      metricsGranularity: "1Minute",
      tags: [{ key: "Name", value: name, propagateAtLaunch: false }],
      // Pre-initialized, stopped instances: a failover scale-out starts them instead of launching new ones.
      warmPool: args.warmPool && {
        poolState: args.warmPool.poolState,
        minSize: args.warmPool.minSize,
        maxGroupPreparedCapacity: args.warmPool.maxGroupPreparedCapacity,
        instanceReusePolicy: { reuseOnScaleIn: args.warmPool.reuseOnScaleIn },
      },
    }, { parent: this });

    new aws.autoscaling.Policy(`${name}-cpu-target`, {
      autoscalingGroupName: group.name,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
        targetValue: targetCpu,
      },
    }, { parent: this });

    this.loadBalancerArn = lb.arn;
    this.loadBalancerArnSuffix = lb.arnSuffix;
    this.loadBalancerDnsName = lb.dnsName;
    this.loadBalancerZoneId = lb.zoneId;
    this.loadBalancerName = lb.name;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;
    this.autoScalingGroupName = group.name;
    this.launchTemplateId = launchTemplate.id;
    this.instanceRoleArn = role.arn;
    this.certificateArn = validation.certificateArn;
    this.registerOutputs({
      loadBalancerArn: this.loadBalancerArn,
      loadBalancerArnSuffix: this.loadBalancerArnSuffix,
      loadBalancerDnsName: this.loadBalancerDnsName,
      loadBalancerZoneId: this.loadBalancerZoneId,
      loadBalancerName: this.loadBalancerName,
      targetGroupArnSuffix: this.targetGroupArnSuffix,
      autoScalingGroupName: this.autoScalingGroupName,
      launchTemplateId: this.launchTemplateId,
      instanceRoleArn: this.instanceRoleArn,
      certificateArn: this.certificateArn,
    });
  }
}

/**
 * The names needing their own validation record. "*.x" and "x" share one record in ACM; declaring
 * it twice would make two resources fight over it, so the wildcard folds into its apex.
 */
export function validationDomains(certificate: TierCertificate): string[] {
  const names = [certificate.domainName, ...(certificate.subjectAlternativeNames ?? [])];
  const out: string[] = [];
  for (const n of names) {
    const base = n.startsWith("*.") ? n.slice(2) : n;
    const key = names.includes(base) ? base : n;
    if (!out.includes(key)) out.push(key);
  }
  return out;
}

/** The inline policy of a tier's instances: read exactly these secrets, decrypt only through Secrets Manager. */
export function instanceSecretsPolicy(secretArns: readonly string[], secretsKmsKeyArn: string, region: string): { Version: string; Statement: object[] } {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [...secretArns] },
      {
        Sid: "DecryptSecretsViaSecretsManager",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: secretsKmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
      },
    ],
  };
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
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
  if (!inRange(hc.intervalSeconds, 5, 300)) fail(`healthCheck.intervalSeconds is ${hc.intervalSeconds}; use 5 to 300 seconds`);
  if (!inRange(hc.healthyThreshold, 2, 10)) fail(`healthCheck.healthyThreshold is ${hc.healthyThreshold}; use 2 to 10`);
  if (!inRange(hc.unhealthyThreshold, 2, 10)) fail(`healthCheck.unhealthyThreshold is ${hc.unhealthyThreshold}; use 2 to 10`);
  if (!inRange(args.instancePort, 1, 65535)) fail(`instancePort is ${args.instancePort}; use a port from 1 to 65535`);
  if (!inRange(args.httpsPort, 1, 65535) || args.httpsPort === 80) fail(`httpsPort is ${args.httpsPort}; use a port from 1 to 65535 other than 80 (443 unless clients expect otherwise)`);
  if (!inRange(args.healthCheckGracePeriodSeconds, 0, 7200)) fail(`healthCheckGracePeriodSeconds is ${args.healthCheckGracePeriodSeconds}; use 0 to 7200 seconds`);
  if (!inRange(args.targetCpuUtilization, 1, 100)) fail(`targetCpuUtilization is ${args.targetCpuUtilization}; use a percentage from 1 to 100`);
  if (!inRange(args.idleTimeoutSeconds, 1, 4000)) fail(`idleTimeoutSeconds is ${args.idleTimeoutSeconds}; use 1 to 4000 seconds`);
  const cert = args.certificate;
  if (!cert.domainName || /\s/.test(cert.domainName)) fail(`certificate.domainName is "${cert.domainName}"; give the name clients use, such as app.example.com`);
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
