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
import { clusterIdentifier, DEFAULT_PORTS } from "../components/data/dataPlacement";
import { HealthCheckAlarm, ROUTE53_METRICS_REGION } from "../components/observability/healthCheckAlarm";
import { RegionalNetwork } from "../components/network/network";
import { RegionAlarms } from "../components/observability/regionAlarms";
import { ReplicationAlarms } from "../components/observability/replicationAlarms";
import { alertDestinations } from "../components/observability/alertDestinations";
import { Entry } from "../components/observability/catalogueEntry";
import { RegionDashboard } from "../components/observability/regionDashboard";
import { RegionalDns } from "../components/dns/regionalDns";
import { SecurityGroupChain } from "../components/network/securityChain";
import { ServiceTier, TierName } from "../components/compute/serviceTier";
import { chooseFleetZones, offeringsOf } from "../components/compute/fleetZones";
import { appEndpointName } from "../components/dns/tierDns";
import { StackConfig } from "./configSchema";
import { failoverRoleOf } from "./dnsRoles";
import { ProviderTags, stackTags } from "./providers";

/** What a region stack's providers tag everything with. */
export function providerTags(config: StackConfig): ProviderTags {
  return { appName: config.appName, environment: config.environment, role: config.role, strategy: config.strategy, tags: config.tags };
}

/** The tags of everything the stack creates, for what provider default tags do not reach (groups, launched instances). */
export function platformTags(config: StackConfig): Record<string, string> {
  return stackTags(providerTags(config));
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
  /**
   * The region serving traffic (dr:activeRegion resolved). It decides what pages (a standby serving
   * nothing by design gets no health-check alarm), never a Route 53 record (stacks/dnsRoles.ts).
   */
  readonly activeRegion: string;
  /** The first of the primary's dr:replicaRegions: the one secondary that holds the SECONDARY failover record. */
  readonly firstSecondaryRegion: string | undefined;
  /** This region's switch check (built by the primary, hosted outside this region): a child of the record's health. */
  readonly switchHealthCheckId: pulumi.Input<string>;
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
  /** DB instances of the region's Aurora member (0 for a headless pilot-light member). */
  readonly databaseInstances: number;
  /** Whether the region serves traffic by design (see RegionExports.servesTraffic). */
  readonly servesTraffic: boolean;
  /** The alarm catalogue of the region's stack: every alarm it creates (and metrics alarmed elsewhere), for its dashboard. */
  readonly catalogue: Entry[];
}

/** Aurora cluster identifiers must be unique across every region of a global database. */
export { clusterIdentifier };

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
      // The primary member carries it too: AWS applies it the moment a switchover demotes the
      // primary (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html),
      // so the old primary forwards the writes latency routing still sends it.
      globalWriteForwarding: config.strategy === "active-active",
      // The region's backup plan (stacks/backup.ts) selects this cluster with dr:backup's rule.
      continuousBackupByAwsBackup: config.backup.continuous,
    }, { provider })
    : undefined;

  const webTier = tiers.web;
  // Fixed by the stack's role, never by dr:activeRegion: swapping roles between two stacks' deploys
  // passes through two records of one type, which Route 53 refuses (stacks/dnsRoles.ts).
  const failoverRole = failoverRoleOf(config, inputs.firstSecondaryRegion);
  const dns = webTier
    ? new RegionalDns(`${app}-dns`, {
      hostedZoneId: config.hostedZoneId,
      domain: config.domain,
      region: config.region,
      routing: config.strategy === "active-active" ? "latency" : failoverRole ? "failover" : "regional-only",
      failoverRole,
      loadBalancerDnsName: webTier.loadBalancerDnsName,
      loadBalancerZoneId: webTier.loadBalancerZoneId,
      healthCheck: config.healthCheck,
      switchHealthCheckId: inputs.switchHealthCheckId,
    }, { provider })
    : undefined;

  // In the active region every tier must keep its configured desired count in service; elsewhere the
  // standby's own count. The alarm also follows the group's GroupDesiredCapacity, so a failover's
  // scale-out raises the bar before anyone redeploys with the new dr:activeRegion.
  const active = config.region === inputs.activeRegion;
  const alarms = new RegionAlarms(`${app}-alarms`, {
    region: config.region,
    subscriptions: alertDestinations(config.alerts),
    kmsKeyArn: inputs.kmsKeyArn,
    loadBalancers: Object.entries(tiers).map(([key, t]) => ({ key, arnSuffix: t.loadBalancerArnSuffix, targetGroupArnSuffix: t.targetGroupArnSuffix })),
    autoScalingGroups: tierSpecs.filter(([tier]) => tiers[tier]).map(([key, plan]) => ({ key, name: tiers[key]!.autoScalingGroupName, floor: active ? config.capacity[key].desired : plan.desired })),
    databaseClusterIdentifier: database && capacity.database.instances > 0 ? database.clusterIdentifier : undefined,
  }, { provider });

  // Lag alarms on this region's member, in this region, whatever its role today: Aurora publishes
  // lag only for the member that is a secondary, and a switchover swaps which one that is. A
  // headless member publishes none (see AuroraReplicationAlarmArgs.instances).
  const catalogue: Entry[] = [...alarms.catalogue];
  if (database && capacity.database.instances > 0 && inputs.database.globalClusterIdentifier !== undefined) {
    const lag = new ReplicationAlarms(`${app}-db-lag-alarms-${config.region}`, {
      region: config.region,
      alarmTopicArn: alarms.topicArn,
      aurora: {
        clusterIdentifier: database.clusterIdentifier,
        engine: config.database.engine,
        engineVersion: config.database.engineVersion,
        rpoTargetSeconds: config.objectives.rpoSeconds.database,
        instances: capacity.database.instances,
        // The primary stack's member while another region serves: demoted by a failover and rebuilt
        // as a secondary, it lags by design until the rebuild ends (failback restores dr:activeRegion).
        rebuilding: config.role === "primary" && !active,
      },
    }, { provider });
    catalogue.push(...lag.catalogue);
  }

  const servesTraffic = capacity.web.builds && (capacity.web.desired > 0 || config.region === inputs.activeRegion);
  // Route 53 publishes health-check metrics only in us-east-1: a stack there alarms on its own
  // check; for every other region the links stack owns the alarm, so no stack reaches into another
  // region. A standby serving nothing by design is unhealthy by design, so nothing pages on it.
  if (dns && servesTraffic && config.region === ROUTE53_METRICS_REGION) {
    const health = new HealthCheckAlarm(`${app}-health-alarm`, { healthCheckId: dns.healthCheckId, providerRegion: ROUTE53_METRICS_REGION, alarmTopicArn: alarms.topicArn, subject: dns.regionalName }, { provider });
    catalogue.push(...health.catalogue);
  } else if (dns) {
    // The alarm on this region's check lives in the links stack (us-east-1) or nowhere (a standby
    // serving nothing); the dashboard still shows the check's status, read from us-east-1.
    catalogue.push({ panel: "health-check", region: ROUTE53_METRICS_REGION, metrics: [{ namespace: "AWS/Route53", metricName: "HealthCheckStatus", dimensions: { HealthCheckId: dns.healthCheckId }, stat: "Minimum", region: ROUTE53_METRICS_REGION }] });
  }
  return { provider, network, dataBucket, tiers, database, databaseSecurityGroupId: chain.databaseSecurityGroupId, dns, alarms, databaseInstances: capacity.database.builds ? capacity.database.instances : 0, servesTraffic, catalogue };
}

/**
 * The region's DR dashboard, from every alarm its stack created (call it last). Dashboards are
 * account-wide, so the name carries the region.
 */
export function regionDashboard(config: StackConfig, region: Region): RegionDashboard {
  return new RegionDashboard(`${config.appName}-dr-dashboard`, {
    region: config.region,
    dashboardName: `${config.appName}-${config.environment}-dr-${config.region}`,
    heading: `${config.appName} ${config.environment}: disaster recovery, ${config.region} (${config.role} stack, ${config.strategy})`,
    entries: region.catalogue,
    notes: {
      "s3-replication": "The S3 replication alarms published in this region belong to the stacks that own each rule's other end (the links stack for the primary's region); see the plan report's alarm list.",
      "region-switch": "No region switch is held in this region's CloudWatch (the arc-routing-control mechanism keeps switches in the ARC cluster; see the README, region switch).",
    },
  }, { provider: region.provider });
}
