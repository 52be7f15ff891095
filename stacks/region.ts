/**
 * What every region builds, whatever its role: the provider pinned to the region, the network, the
 * security-group chain, the web and app tiers, the Aurora member, the data bucket, DNS and alarms.
 * Role and strategy change sizes (stackCapacity), never this code path.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogBucket } from "../components/storage/accessLogBucket";
import { stackCapacity, TierCapacityPlan } from "../components/compute/capacity";
import { stackWarmPools } from "../components/compute/warmPool";
import { DataBucket } from "../components/storage/dataBucket";
import { DataTier } from "../components/data/dataTier";
import { DEFAULT_PORTS } from "../components/data/dataPlacement";
import { HealthCheckAlarm, ROUTE53_METRICS_REGION } from "../components/observability/healthCheckAlarm";
import { regionalKeyPolicy } from "../components/security/keyPolicy";
import { RegionalNetwork } from "../components/network/network";
import { RegionAlarms } from "../components/observability/regionAlarms";
import { RegionalDns } from "../components/dns/regionalDns";
import { SecurityGroupChain } from "../components/network/securityChain";
import { ServiceTier, TierName } from "../components/compute/serviceTier";
import { chooseFleetZones, offeringsOf } from "../components/compute/fleetZones";
import { appEndpointName } from "../components/dns/tierDns";
import { StackConfig } from "./configSchema";

/** The tags every resource of the stack carries: app, environment and DR role first (the policy pack requires them). */
export function platformTags(config: StackConfig): Record<string, string> {
  return {
    app: config.appName,
    environment: config.environment,
    "dr:role": config.role,
    "dr:strategy": config.strategy,
    "dr:stack": pulumi.getStack(),
    "managed-by": "pulumi",
    ...config.tags,
  };
}

/** A provider pinned to one region, tagging everything it creates with the app and its DR role. */
export function regionalProvider(config: StackConfig, region: string): aws.Provider {
  return new aws.Provider(`aws-${region}`, { region, defaultTags: { tags: platformTags(config) } });
}

/**
 * The AZs the stack spans: the first `azCount` that need no opt-in and offer every instance type
 * the fleet runs, in the order the region reports them.
 */
export async function chooseAvailabilityZones(config: StackConfig, provider: aws.Provider, instanceTypes: readonly string[]): Promise<string[]> {
  const zones = await aws.getAvailabilityZones({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, { provider });
  if (zones.names.length < config.azCount) {
    throw new Error(`dr:azCount is ${config.azCount} but ${config.region} offers this account ${zones.names.length} AZ(s) (${zones.names.join(", ")}); set dr:azCount to ${zones.names.length} or less`);
  }
  if (instanceTypes.length === 0) return zones.names.slice(0, config.azCount);
  const offered = await aws.ec2.getInstanceTypeOfferings({ locationType: "availability-zone", filters: [{ name: "instance-type", values: [...instanceTypes] }] }, { provider });
  return chooseFleetZones({ region: config.region, candidates: zones.names, instanceTypes, count: config.azCount, offerings: offeringsOf(offered) });
}

/** How this region's Aurora member joins the global database. */
export interface DatabaseMembership {
  readonly globalClusterIdentifier?: pulumi.Input<string>;
  /** Primary only: the master credentials (a secondary member gets none). */
  readonly credentials?: { readonly username: string; readonly password: pulumi.Input<string>; readonly databaseName: string };
}

export interface RegionInputs {
  readonly provider: aws.Provider;
  /** The region's customer key: the multi-region primary key, or its replica. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The AMI the fleet runs: the golden AMI, or its copy in this region. */
  readonly amiId: pulumi.Input<string>;
  /** The DB secret in this region (the primary secret or its read-only replica). */
  readonly dbSecretArn: pulumi.Input<string>;
  readonly database: DatabaseMembership;
}

export interface Region {
  readonly provider: aws.Provider;
  readonly network: RegionalNetwork;
  readonly dataBucket: DataBucket;
  readonly tiers: Partial<Record<TierName, ServiceTier>>;
  readonly database?: DataTier;
  /** The database security group (DB port from app instances only); a restored cluster joins it too. */
  readonly databaseSecurityGroupId: pulumi.Output<string>;
  readonly dns?: RegionalDns;
  readonly alarms: RegionAlarms;
}

/** Aurora cluster identifiers must be unique across every region of a global database. */
export function clusterIdentifier(config: StackConfig): string {
  return `${config.appName}-${config.environment}-${config.region}`;
}

export async function buildRegion(config: StackConfig, inputs: RegionInputs): Promise<Region> {
  const { provider } = inputs;
  const app = config.appName;
  // The components warn about the weaknesses they see (one AZ of readers, a lone instance); `plan` reports capacity.warnings.
  const capacity = stackCapacity(config);
  const fleetTypes = [capacity.web, capacity.app].filter((t) => t.builds).map((t) => t.instanceType);
  const availabilityZones = await chooseAvailabilityZones(config, provider, [...new Set(fleetTypes)]);
  // The same pools the recovery model prices scale-out from.
  const warmPools = stackWarmPools(config, capacity);

  const network = new RegionalNetwork(`${app}-network`, {
    region: config.region,
    cidr: config.vpcCidr,
    availabilityZones,
    natStrategy: config.natStrategy,
    flowLogKmsKeyArn: inputs.kmsKeyArn,
  }, { provider });
  const databasePort = DEFAULT_PORTS[config.database.engine];
  const chain = new SecurityGroupChain(`${app}-security`, { vpcId: network.vpcId, databasePort }, { provider });
  const dataBucket = new DataBucket(`${app}-data`, { kmsKeyArn: inputs.kmsKeyArn }, { provider });

  const tiers: Partial<Record<TierName, ServiceTier>> = {};
  let accessLogs: AccessLogBucket | undefined;
  const tierSpecs: Array<[TierName, TierCapacityPlan]> = [["web", capacity.web], ["app", capacity.app]];
  for (const [tier, plan] of tierSpecs) {
    if (!plan.builds) continue;
    accessLogs ??= new AccessLogBucket(`${app}-alb-logs`, { region: config.region }, { provider });
    const web = tier === "web";
    tiers[tier] = new ServiceTier(`${app}-${tier}`, {
      tier,
      internetFacing: web,
      region: config.region,
      vpcId: network.vpcId,
      loadBalancerSubnetIds: web ? network.publicSubnetIds : network.privateSubnetIds,
      instanceSubnetIds: network.privateSubnetIds,
      availabilityZones,
      loadBalancerSecurityGroupId: web ? chain.webAlbSecurityGroupId : chain.appAlbSecurityGroupId,
      instanceSecurityGroupId: web ? chain.webInstancesSecurityGroupId : chain.appInstancesSecurityGroupId,
      amiId: inputs.amiId,
      instanceType: plan.instanceType,
      capacity: { min: plan.min, desired: plan.desired, max: plan.max },
      healthCheck: { path: config.healthCheck.path, ...config.targetHealth },
      warmPool: warmPools[tier],
      certificate: web
        ? { domainName: config.domain, subjectAlternativeNames: [`${config.region}.${config.domain}`], hostedZoneId: config.hostedZoneId }
        : { domainName: appEndpointName(config.region, config.domain), hostedZoneId: config.hostedZoneId },
      // The web tier reaches the app tier by the name on its certificate (exported as appEndpoint).
      endpointName: web ? undefined : appEndpointName(config.region, config.domain),
      // Provider default tags skip Auto Scaling groups and what a template launches (https://www.hashicorp.com/blog/default-tags-in-the-terraform-aws-provider).
      launchTags: platformTags(config),
      accessLogBucket: accessLogs.bucketName,
      ebsKmsKeyArn: inputs.kmsKeyArn,
      // Only the app tier talks to the database, so only it may read the credentials.
      secretArns: web ? [] : [inputs.dbSecretArn],
      secretsKmsKeyArn: web ? undefined : inputs.kmsKeyArn,
    }, { provider });
  }

  const database = capacity.database.builds
    ? new DataTier(`${app}-db`, {
      engine: config.database.engine,
      engineVersion: config.database.engineVersion,
      instanceClass: config.database.instanceClass,
      instanceCount: capacity.database.instances,
      availabilityZones,
      subnetIds: network.isolatedSubnetIds,
      securityGroupId: chain.databaseSecurityGroupId,
      kmsKeyArn: inputs.kmsKeyArn,
      clusterIdentifier: clusterIdentifier(config),
      role: config.role,
      globalClusterIdentifier: inputs.database.globalClusterIdentifier,
      masterUsername: inputs.database.credentials?.username,
      masterPassword: inputs.database.credentials?.password,
      databaseName: inputs.database.credentials?.databaseName,
      // Latency routing sends writes to both regions; the read-only secondary member forwards them.
      globalWriteForwarding: config.strategy === "active-active" && config.role === "secondary",
    }, { provider })
    : undefined;

  const webTier = tiers.web;
  const dns = webTier
    ? new RegionalDns(`${app}-dns`, {
      hostedZoneId: config.hostedZoneId,
      domain: config.domain,
      region: config.region,
      routing: config.strategy === "active-active" ? "latency" : "failover",
      failoverRole: config.strategy === "active-active" ? undefined : config.role === "primary" ? "PRIMARY" : "SECONDARY",
      loadBalancerDnsName: webTier.loadBalancerDnsName,
      loadBalancerZoneId: webTier.loadBalancerZoneId,
      healthCheck: config.healthCheck,
    }, { provider })
    : undefined;

  const alarms = new RegionAlarms(`${app}-alarms`, {
    kmsKeyArn: inputs.kmsKeyArn,
    loadBalancers: Object.entries(tiers).map(([key, t]) => ({ key, arnSuffix: t.loadBalancerArnSuffix, targetGroupArnSuffix: t.targetGroupArnSuffix })),
    autoScalingGroups: tierSpecs.filter(([tier]) => tiers[tier]).map(([key, plan]) => ({ key, name: tiers[key]!.autoScalingGroupName, desired: plan.desired })),
    databaseClusterIdentifier: database && capacity.database.instances > 0 ? database.clusterIdentifier : undefined,
  }, { provider });

  if (dns) healthCheckStatusAlarm(config, provider, alarms, dns);
  return { provider, network, dataBucket, tiers, database, databaseSecurityGroupId: chain.databaseSecurityGroupId, dns, alarms };
}

/**
 * Route 53 publishes health-check metrics only in us-east-1, and an alarm notifies topics of its own
 * region. A stack in us-east-1 uses its regional topic; any other stack gets a us-east-1 provider and
 * a small key of its own there for the alarm's topic (its multi-region key has no replica there).
 */
function healthCheckStatusAlarm(config: StackConfig, provider: aws.Provider, alarms: RegionAlarms, dns: RegionalDns): HealthCheckAlarm {
  const name = `${config.appName}-health-alarm`;
  if (config.region === ROUTE53_METRICS_REGION) {
    return new HealthCheckAlarm(name, { healthCheckId: dns.healthCheckId, providerRegion: ROUTE53_METRICS_REGION, alarmTopicArn: alarms.topicArn, subject: dns.regionalName }, { provider });
  }
  const metricsProvider = regionalProvider(config, ROUTE53_METRICS_REGION);
  const accountId = aws.getCallerIdentityOutput({}, { provider: metricsProvider }).accountId;
  const topicKey = new aws.kms.Key(`${name}-key`, {
    description: `${config.appName}: encrypts the ${config.region} health-check alarm topic in ${ROUTE53_METRICS_REGION}`,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: accountId.apply((id) => regionalKeyPolicy(id, ROUTE53_METRICS_REGION)),
  }, { provider: metricsProvider });
  return new HealthCheckAlarm(name, { healthCheckId: dns.healthCheckId, providerRegion: ROUTE53_METRICS_REGION, topicKmsKeyArn: topicKey.arn, subject: dns.regionalName }, { provider: metricsProvider });
}
