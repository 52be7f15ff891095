import * as pulumi from "@pulumi/pulumi";
import { AmiReplica } from "../components/compute/amiReplica";
import { BucketReplication, DEFAULT_REPLICATION_RULE_ID } from "../components/storage/bucketReplication";
import { ReplicationAlarms } from "../components/observability/replicationAlarms";
import { ConfigError, StackConfig } from "./configSchema";
import { forRegion, PrimaryExports, readPrimaryExports, RegionStackOutputs } from "./contract";
import { regionExports } from "./exports";
import { backupExports, copyRetentionProblem, regionBackups } from "./backup";
import { buildRegion, Region, regionalProvider } from "./region";
import { pairProblems, sharedSettings } from "./stackSet";

/**
 * A secondary region: validated against what the primary exports before anything is registered,
 * then built like any region from the primary's replicated key, secret and AMI, joined to the
 * global database, and owner of S3 replication in both directions and of the copy of its own
 * backups into the primary's vault (DESIGN.md's ownership table).
 */
export async function secondaryStack(config: StackConfig): Promise<{ primaryStack: string; regional: RegionStackOutputs; replication: Record<string, unknown> }> {
  const primaryStackName = config.primaryStack!;
  const primary = await readPrimaryExports(new pulumi.StackReference(primaryStackName), primaryStackName);
  const problems = pairProblems(primary.shared, primaryStackName, sharedSettings(config));
  if (config.strategy !== "backup-restore" && !primary.globalClusterIdentifier)
    problems.push({ key: "dr:strategy", value: config.strategy, message: `needs the Aurora global database, but primary "${primaryStackName}" exports none; deploy the primary with the same strategy first` });
  // The copy lands in the primary's vault, whose lock refuses recovery points kept outside its range.
  const copyProblem = copyRetentionProblem(config.backup.copyRetentionDays, [primary.regional.backup]);
  if (copyProblem) problems.push({ key: "dr:backup.copyRetentionDays", value: config.backup.copyRetentionDays, message: `this stack's backups are copied into the vault of primary "${primaryStackName}", and ${config.backup.copyRetentionDays} days is ${copyProblem}` });
  if (problems.length) throw new ConfigError(`the config of stack "${pulumi.getStack()}" against primary "${primaryStackName}"`, problems);

  const app = config.appName;
  const provider = regionalProvider(config, config.region);
  const kmsKeyArn = forRegion(primary.replicaKeyArns, config.region, "replicaKeyArns", primaryStackName);
  const dbSecretArn = forRegion(primary.dbSecretReplicaArns, config.region, "dbSecretReplicaArns", primaryStackName);
  const ami = new AmiReplica(`${app}-ami`, { sourceAmiId: primary.regional.amiId, sourceRegion: primary.shared.region, region: config.region, kmsKeyArn }, { provider });

  const region = await buildRegion(config, {
    provider,
    kmsKeyArn,
    amiId: ami.amiId,
    dbSecretArn,
    // A secondary member joins by global cluster id and gets no credentials: it has none of its own.
    database: { globalClusterIdentifier: primary.globalClusterIdentifier ?? undefined },
  });
  const replication = replicateDataBuckets(config, primary, region, kmsKeyArn);
  // The copy names the primary's vault by ARN only: the copy job runs here, so no provider for the primary's region is needed.
  const backups = regionBackups(config, region, kmsKeyArn, [{ vaultArn: primary.regional.backup.vaultArn, retentionDays: config.backup.copyRetentionDays }]);

  return {
    primaryStack: primaryStackName,
    regional: regionExports(region, config.region, { amiId: ami.amiId, dbSecretArn, kmsKeyArn, backup: backupExports(config, backups) }),
    replication,
  };
}

/**
 * S3 replication in both directions, so objects written after a failover flow back for failback.
 * Each direction's configuration lives in its source bucket's region; metrics are split across
 * the two regions, so each region gets alarms for both rules.
 */
function replicateDataBuckets(config: StackConfig, primary: PrimaryExports, region: Region, kmsKeyArn: string): Record<string, unknown> {
  const app = config.appName;
  const primaryRegion = primary.shared.region;
  const primaryProvider = regionalProvider(config, primaryRegion);
  const local = region.dataBucket;
  // The primary's outputs exist only once its `pulumi up` finished, versioning included; this bucket's is a resource to wait for.
  const afterVersioning = { dependsOn: [local.versioning] };
  const toSecondary = new BucketReplication(`${app}-replication-to-${config.region}`, {
    sourceBucketName: primary.regional.dataBucketName,
    sourceBucketArn: primary.regional.dataBucketArn,
    sourceKmsKeyArn: primary.regional.kmsKeyArn,
    sourceRegion: primaryRegion,
    destinationBucketArn: local.bucketArn,
    destinationKmsKeyArn: kmsKeyArn,
    destinationRegion: config.region,
    ruleId: `${DEFAULT_REPLICATION_RULE_ID}-to-${config.region}`,
  }, { provider: primaryProvider, ...afterVersioning });
  const toPrimary = new BucketReplication(`${app}-replication-to-${primaryRegion}`, {
    sourceBucketName: local.bucketName,
    sourceBucketArn: local.bucketArn,
    sourceKmsKeyArn: kmsKeyArn,
    sourceRegion: config.region,
    destinationBucketArn: primary.regional.dataBucketArn,
    destinationKmsKeyArn: primary.regional.kmsKeyArn,
    destinationRegion: primaryRegion,
    ruleId: `${DEFAULT_REPLICATION_RULE_ID}-to-${primaryRegion}`,
  }, { provider: region.provider, ...afterVersioning });

  const rules = [
    { sourceBucketName: primary.regional.dataBucketName, destinationBucketName: local.bucketName, ruleId: `${DEFAULT_REPLICATION_RULE_ID}-to-${config.region}`, sourceRegion: primaryRegion, destinationRegion: config.region },
    { sourceBucketName: local.bucketName, destinationBucketName: primary.regional.dataBucketName, ruleId: `${DEFAULT_REPLICATION_RULE_ID}-to-${primaryRegion}`, sourceRegion: config.region, destinationRegion: primaryRegion },
  ];
  new ReplicationAlarms(`${app}-replication-alarms-${config.region}`, {
    region: config.region,
    alarmTopicArn: region.alarms.topicArn,
    aurora: region.database ? { clusterIdentifier: region.database.clusterIdentifier, rpoTargetSeconds: config.objectives.rpoSeconds } : undefined,
    s3: rules,
  }, { provider: region.provider });
  new ReplicationAlarms(`${app}-replication-alarms-${primaryRegion}`, {
    region: primaryRegion,
    alarmTopicArn: primary.regional.alarmTopicArn,
    s3: rules,
  }, { provider: primaryProvider });

  return { toSecondaryRoleArn: toSecondary.roleArn, toPrimaryRoleArn: toPrimary.roleArn };
}
