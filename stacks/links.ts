/**
 * The links stack (the README's ownership table): every cross-region piece that would otherwise
 * sit in a region other than its owner's, so that no region stack registers anything in, holds a
 * provider for, or invokes anything through another region. Deployed after the primary and every
 * secondary (it reads their outputs), destroyed first.
 *
 * It owns the primary bucket's ONE replication configuration (a rule per secondary: S3 keeps one
 * configuration per bucket), the alarms on S3 replication metrics published in the primary's
 * region, and the Route 53 health-check alarms (metrics only in us-east-1) of every region not in
 * us-east-1, with their topics and the topics' key.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HealthCheckAlarm, ROUTE53_METRICS_REGION } from "../components/observability/healthCheckAlarm";
import { AlertDestination, alertDestinations } from "../components/observability/alertDestinations";
import { ReplicationAlarms, S3ReplicationRuleAlarmArgs } from "../components/observability/replicationAlarms";
import { alarmTopicKeyPolicy } from "../components/security/keyPolicy";
import { KEY_DELETION_WINDOW_DAYS } from "../components/security/multiRegionKey";
import { BucketReplication, replicationRuleId } from "../components/storage/bucketReplication";
import { ConfigError, ConfigProblem, LinksConfig } from "./configSchema";
import { LinksStackOutputs, PrimaryExports, readPrimaryExports, readSecondaryExports, RegionExports, SecondaryExports } from "./contract";
import { recoveryCopyPlan } from "./backup";
import { RegionalProviders } from "./providers";
import { inCloudPlan } from "./regionSwitchPlan";
import { activeRegionProblems, referencedStack, referencesStack } from "./stackSet";

export async function linksStack(config: LinksConfig): Promise<LinksStackOutputs> {
  const primaryRef = new pulumi.StackReference(config.primaryStack);
  const secondaryRefs = config.secondaryStacks.map((name) => new pulumi.StackReference(name));
  const primary = await readPrimaryExports(primaryRef, config.primaryStack);
  const secondaries = await Promise.all(config.secondaryStacks.map((name, i) => readSecondaryExports(secondaryRefs[i], name)));
  const problems = linksProblems(config, primary, secondaries);
  if (problems.length) throw new ConfigError(`the config of stack "${pulumi.getStack()}" against the stacks it joins`, problems);

  const app = config.appName;
  const activeRegion = primary.shared.activeRegion;
  const providers = new RegionalProviders({ appName: app, environment: config.environment, role: config.role, strategy: primary.shared.strategy, tags: config.tags });
  const primaryRegion = primary.shared.region;
  const primaryProvider = providers.for(primaryRegion);

  const replication = new BucketReplication(`${app}-replication-from-${primaryRegion}`, {
    sourceBucketName: primary.regional.dataBucketName,
    sourceBucketArn: primary.regional.dataBucketArn,
    sourceKmsKeyArn: primary.regional.kmsKeyArn,
    sourceRegion: primaryRegion,
    // Each secondary's replica key: its stack reads it from the primary and exports it as its own.
    destinations: secondaries.map((s) => ({ bucketArn: s.regional.dataBucketArn, kmsKeyArn: s.regional.kmsKeyArn, region: s.regional.region })),
    // Every bucket was versioned by its own stack, deployed before this one.
  }, { provider: primaryProvider, dependsOn: [primaryRef, ...secondaryRefs] });

  // S3 publishes a rule's failures in its source region and its latency in its destination
  // region (https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html): both halves
  // published in the primary's region are alarmed here, the others by each secondary at home.
  const rules: S3ReplicationRuleAlarmArgs[] = secondaries.flatMap((s) => [
    { sourceBucketName: primary.regional.dataBucketName, destinationBucketName: s.regional.dataBucketName, ruleId: replicationRuleId(primaryRegion, s.regional.region), sourceRegion: primaryRegion, destinationRegion: s.regional.region },
    { sourceBucketName: s.regional.dataBucketName, destinationBucketName: primary.regional.dataBucketName, ruleId: replicationRuleId(s.regional.region, primaryRegion), sourceRegion: s.regional.region, destinationRegion: primaryRegion },
  ]);
  const replicationAlarms = new ReplicationAlarms(`${app}-replication-alarms-${primaryRegion}`, {
    region: primaryRegion,
    alarmTopicArn: primary.regional.alarmTopicArn,
    s3: rules,
  }, { provider: primaryProvider });

  // The links stack's own topics get the destinations of its own stack file (dr:alerts).
  const health = healthCheckAlarms(app, providers, [primary.regional, ...secondaries.map((s) => s.regional)], alertDestinations(config.alerts));

  // Replication copies every delete and corruption within seconds; point-in-time backups copied into
  // each recovery region's locked vault are what recover from that. The copy needs every destination
  // vault, which exists only once the secondaries are deployed: hence here, in the primary's region.
  const backupCopy = recoveryCopyPlan(`${app}-backup-copy`, primary.regional.backup, secondaries.map((s) => ({ ...s.regional.backup, region: s.regional.region })), primaryProvider, primary.regional.alarmTopicArn, primaryRegion);

  const regionSwitchPlan = inCloudPlan(config, primary, secondaries, providers);

  return {
    activeRegion,
    primaryReplication: { roleArn: replication.roleArn, ruleIds: replication.ruleIds },
    replicationAlarmNames: replicationAlarms.alarmNames,
    healthCheckAlarmNames: health.alarmNames,
    // Every topic this stack created, by the region its alarms watch: what an operator subscribes a
    // Chatbot channel or a further endpoint to.
    alarmTopicArns: health.topicArns,
    backupCopyPlanId: backupCopy.plan.planId,
    regionSwitchPlan,
  };
}

/**
 * Route 53 publishes health-check metrics only in us-east-1, and an alarm notifies topics of its
 * own region (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html).
 * A region stack in us-east-1 alarms on its own check; every other region's alarm, its topic and
 * the topics' key live here. Regions serving nothing by design (a pilot-light standby) get none:
 * their check is unhealthy until a failover scales them out.
 */
function healthCheckAlarms(app: string, providers: RegionalProviders, regions: readonly RegionExports[], subscriptions: readonly AlertDestination[]): { alarmNames: Record<string, pulumi.Output<string>>; topicArns: Record<string, pulumi.Output<string>> } {
  const watched = regions.filter((r) => r.region !== ROUTE53_METRICS_REGION && r.healthCheckId && r.servesTraffic);
  if (watched.length === 0) return { alarmNames: {}, topicArns: {} };
  const provider = providers.for(ROUTE53_METRICS_REGION);
  const accountId = aws.getCallerIdentityOutput({}, { provider }).accountId;
  const topicKey = new aws.kms.Key(`${app}-health-alarm-key`, {
    description: `${app}: encrypts the Route 53 health-check alarm topics in ${ROUTE53_METRICS_REGION}`,
    enableKeyRotation: true,
    deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
    policy: accountId.apply((id) => alarmTopicKeyPolicy(id, ROUTE53_METRICS_REGION)),
    // Like every key of the platform: deleting it with the stack would leave encrypted messages unreadable.
  }, { provider, retainOnDelete: true });
  const alarms = watched.map((r) => [r.region, new HealthCheckAlarm(`${app}-health-alarm-${r.region}`, {
    healthCheckId: r.healthCheckId!,
    providerRegion: ROUTE53_METRICS_REGION,
    topicKmsKeyArn: topicKey.arn,
    subject: `${r.region} (${r.webLoadBalancerDnsName ?? "web tier"})`,
    subscriptions,
  }, { provider })] as const);
  return {
    alarmNames: Object.fromEntries(alarms.map(([region, a]) => [region, a.alarmName])),
    topicArns: Object.fromEntries(alarms.map(([region, a]) => [region, a.topicArn])),
  };
}

/** The stacks read must be the deployment the config names: their primary, their regions, one app. */
function linksProblems(config: LinksConfig, primary: PrimaryExports, secondaries: readonly SecondaryExports[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (primary.shared.appName !== config.appName)
    problems.push({ key: "dr:appName", value: config.appName, message: `differs from ${JSON.stringify(primary.shared.appName)} in stack ${config.primaryStack}; every stack must use the same value` });
  secondaries.forEach((s, i) => {
    const name = config.secondaryStacks[i];
    if (!referencesStack(s.primaryStack, referencedStack(config.primaryStack)))
      problems.push({ key: "dr:secondaryStacks", value: name, message: `joined the primary stack named ${s.primaryStack}, not ${config.primaryStack}; list only secondaries of ${config.primaryStack}` });
  });
  const regions = secondaries.map((s) => s.regional.region);
  const missing = primary.shared.replicaRegions.filter((r) => !regions.includes(r));
  if (missing.length)
    problems.push({ key: "dr:secondaryStacks", value: config.secondaryStacks, message: `has no stack in ${missing.join(", ")}, a replica region of ${config.primaryStack}; add the secondary stack of every replica region (deploy it first), since the primary bucket's one replication configuration needs a rule for each` });
  const extra = regions.filter((r) => !primary.shared.replicaRegions.includes(r));
  if (extra.length)
    problems.push({ key: "dr:secondaryStacks", value: config.secondaryStacks, message: `names stacks in ${extra.join(", ")}, which ${config.primaryStack} does not list in dr:replicaRegions; add the region there or remove the stack` });
  problems.push(...activeRegionProblems(config.activeRegion, primary.shared, config.primaryStack));
  for (const [i, s] of secondaries.entries())
    if (s.shared.activeRegion !== primary.shared.activeRegion)
      problems.push({ key: "dr:activeRegion", value: s.shared.activeRegion, message: `is what stack ${config.secondaryStacks[i]} was deployed with, but ${config.primaryStack} says ${primary.shared.activeRegion}; deploy every stack with the same dr:activeRegion first` });
  return problems;
}
