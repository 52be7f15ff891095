import * as pulumi from "@pulumi/pulumi";
import { AmiReplica } from "../components/compute/amiReplica";
import { BucketReplication, replicationRuleId } from "../components/storage/bucketReplication";
import { ReplicationAlarms } from "../components/observability/replicationAlarms";
import { regionSwitchPlacements, SWITCH_ALARM, SWITCH_METRIC_NAME, SWITCH_METRIC_NAMESPACE } from "../components/dns/regionSwitch";
import { ConfigError, StackConfig } from "./configSchema";
import { forRegion, PrimaryExports, readPrimaryExports, SecondaryStackOutputs } from "./contract";
import { regionExports } from "./exports";
import { backupExports, copyRetentionProblem, regionBackups } from "./backup";
import { regionGameDays } from "./gameDays";
import { RegionalProviders } from "./providers";
import { buildRegion, providerTags, Region, regionDashboard } from "./region";
import { regionRecovery } from "./recovery";
import { secondarySwitchHealthCheckId, switchMechanismProblem } from "./regionSwitch";
import { pairProblems, secondaryActiveRegionCheck, sharedSettings } from "./stackSet";

/**
 * A secondary region: validated against what the primary exports before anything is registered,
 * then built like any region from the primary's replicated key, secret and AMI, joined to the
 * global database, and owner of its own bucket's replication back to the primary.
 *
 * Static stability (README): it holds a provider for its own region only, so `pulumi up` works
 * while the primary region answers nothing. What would sit in another region (the primary
 * bucket's replication configuration, alarms on metrics published elsewhere) is the links stack's.
 * It copies its own backups into the primary's vault (a copy action naming that vault's ARN).
 */
export async function secondaryStack(config: StackConfig): Promise<SecondaryStackOutputs> {
  const primaryStackName = config.primaryStack!;
  const primary = await readPrimaryExports(new pulumi.StackReference(primaryStackName), primaryStackName);
  const activeRegion = config.activeRegion ?? primary.shared.region;
  // Whatever the (perhaps unreachable) primary last exported: a disagreement only warns (static stability).
  const active = secondaryActiveRegionCheck(config.activeRegion, primary.shared, primaryStackName);
  const problems = [...pairProblems(primary.shared, primaryStackName, sharedSettings(config, activeRegion)), ...active.problems];
  if (config.strategy !== "backup-restore" && !primary.globalClusterIdentifier)
    problems.push({ key: "dr:strategy", value: config.strategy, message: `needs the Aurora global database, but primary "${primaryStackName}" exports none; deploy the primary with the same strategy first` });
  // The copy lands in the primary's vault, whose lock refuses recovery points kept outside its range.
  const copyProblem = copyRetentionProblem(config.backup.copyRetentionDays, [primary.regional.backup]);
  if (copyProblem) problems.push({ key: "dr:backup.copyRetentionDays", value: config.backup.copyRetentionDays, message: `this stack's backups are copied into the vault of primary "${primaryStackName}", and ${config.backup.copyRetentionDays} days is ${copyProblem}` });
  const switchProblem = switchMechanismProblem(config, primary, primaryStackName);
  if (switchProblem) problems.push(switchProblem);
  if (problems.length) throw new ConfigError(`the config of stack "${pulumi.getStack()}" against primary "${primaryStackName}"`, problems);
  if (active.warning) pulumi.log.warn(active.warning);

  const app = config.appName;
  const provider = new RegionalProviders(providerTags(config)).for(config.region);
  const kmsKeyArn = forRegion(primary.replicaKeyArns, config.region, "replicaKeyArns", primaryStackName);
  const dbSecretArn = forRegion(primary.dbSecretReplicaArns, config.region, "dbSecretReplicaArns", primaryStackName);
  // CopyImage is called in the destination region, which pulls the image from the source region.
  const ami = new AmiReplica(`${app}-ami`, { sourceAmiId: primary.regional.amiId, sourceRegion: primary.shared.region, region: config.region, kmsKeyArn }, { provider });

  const region = await buildRegion(config, {
    provider,
    kmsKeyArn,
    amiId: ami.amiId,
    dbSecretArn,
    activeRegion,
    firstSecondaryRegion: primary.shared.replicaRegions[0],
    // Built and hosted by the primary, outside this region; only its id comes here.
    switchHealthCheckId: secondarySwitchHealthCheckId(config.region, primary, primaryStackName),
    // A secondary member joins by global cluster id and gets no credentials: it has none of its own.
    database: { globalClusterIdentifier: primary.globalClusterIdentifier ?? undefined },
  });
  const replication = replicateBackToPrimary(config, primary, region, kmsKeyArn);
  // The copy names the primary's vault by ARN only: the copy job runs here, so no provider for the primary's region is needed.
  const backups = regionBackups(config, region, kmsKeyArn, [{ vaultArn: primary.regional.backup.vaultArn, retentionDays: config.backup.copyRetentionDays, destinationVaultName: primary.regional.backup.vaultName, destinationRegion: primary.shared.region }]);
  // Restore testing here restores the copies of the primary's data: the restore a recovery would run.
  regionGameDays({ config, region, backups, kmsKeyArn, otherRegions: [primary.shared.region], restoreTested: { auroraClusterArn: primary.regional.dbClusterArn ?? undefined, dataBucketArn: primary.regional.dataBucketArn } });
  // In-cloud plan: this region's Lambdas and (alarm start) trigger, all in this region; before the dashboard, which draws the trigger.
  const recovery = regionRecovery(config, region, { secretArn: dbSecretArn, kmsKeyArn }, { primaryRegion: primary.shared.region, replicaRegions: primary.shared.replicaRegions });
  // A switch hosted here (the primary's, in the first secondary) is the primary stack's alarm: this
  // region's dashboard shows its metric, which CloudWatch keeps here, so the switch's state is
  // visible in the region that takes over while the primary is dark.
  if (config.regionSwitch.mechanism === "cloudwatch-alarm")
    for (const p of regionSwitchPlacements(config.appName, config.environment, primary.shared.region, primary.shared.replicaRegions).filter((x) => x.hostRegion === config.region))
      region.catalogue.push({ panel: "region-switch", region: config.region, metrics: [{ namespace: SWITCH_METRIC_NAMESPACE, metricName: SWITCH_METRIC_NAME, dimensions: p.dimensions, stat: SWITCH_ALARM.statistic, region: config.region }] });
  const dashboard = regionDashboard(config, region);

  return {
    primaryStack: primaryStackName,
    shared: sharedSettings(config, activeRegion),
    regional: regionExports(region, config.region, { amiId: ami.amiId, dbSecretArn, kmsKeyArn, backup: backupExports(config, backups), dashboardName: dashboard.dashboardName, recovery }),
    replicationRoleArn: replication.roleArn,
  };
}

/**
 * This bucket's replication to the primary's, so objects written after a failover flow back for
 * failback. The configuration lives on this bucket, in this region. This region's alarms cover
 * what S3 publishes here (https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html):
 * latency of the primary's rule into this bucket (destination region) and failures of this
 * bucket's rule (source region). The other halves are published in the primary's region: the
 * links stack alarms on them.
 */
function replicateBackToPrimary(config: StackConfig, primary: PrimaryExports, region: Region, kmsKeyArn: string): BucketReplication {
  const app = config.appName;
  const primaryRegion = primary.shared.region;
  const local = region.dataBucket;
  const toPrimary = new BucketReplication(`${app}-replication-to-${primaryRegion}`, {
    sourceBucketName: local.bucketName,
    sourceBucketArn: local.bucketArn,
    sourceKmsKeyArn: kmsKeyArn,
    sourceRegion: config.region,
    destinations: [{ bucketArn: primary.regional.dataBucketArn, kmsKeyArn: primary.regional.kmsKeyArn, region: primaryRegion }],
    // This bucket's versioning is a resource to wait for; the primary's was on when its `pulumi up` finished.
  }, { provider: region.provider, dependsOn: [local.versioning] });

  const alarms = new ReplicationAlarms(`${app}-replication-alarms-${config.region}`, {
    region: config.region,
    alarmTopicArn: region.alarms.topicArn,
    // The Aurora lag alarms on this region's member are built with the region (stacks/region.ts).
    s3: [
      { sourceBucketName: primary.regional.dataBucketName, destinationBucketName: local.bucketName, ruleId: replicationRuleId(primaryRegion, config.region), sourceRegion: primaryRegion, destinationRegion: config.region },
      { sourceBucketName: local.bucketName, destinationBucketName: primary.regional.dataBucketName, ruleId: replicationRuleId(config.region, primaryRegion), sourceRegion: config.region, destinationRegion: primaryRegion },
    ],
  }, { provider: region.provider });
  region.catalogue.push(...alarms.catalogue);
  return toPrimary;
}
