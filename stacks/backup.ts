/**
 * Each region's backups: a locked, encrypted vault, a plan that backs up the region's Aurora cluster
 * (if any) and data bucket into it, and alarms on failed backup and copy jobs, everywhere; in a
 * secondary also a restore role for the restore runbook, and a copy of every recovery point into
 * the primary's vault (the primary deploys first, so its vault ARN is a stack-reference output; the
 * copy job runs in the secondary's region, so the secondary holds no provider for the primary's).
 * The primary's copy to the recovery regions needs every destination vault to exist, so it belongs
 * to the links stack (deployed after the primary and every secondary, the README's ownership table);
 * `recoveryCopyPlan` is what that stack calls.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BACKUP_START_WINDOW_MINUTES, BackupCopyTarget, BackupPlan } from "../components/data/backupPlan";
import { backupVaultName, primaryPlanTiming, restoredClusterTag, restoreSubnetGroupName, scheduleIntervalSeconds } from "../components/data/backupRules";
import { BackupServiceRole } from "../components/data/backupServiceRole";
import { BackupVault } from "../components/data/backupVault";
import { BackupCopyWatch, BackupJobAlarms, freshnessWindowSeconds } from "../components/observability/backupJobAlarms";
import { StackConfig } from "./configSchema";
import { BackupExports } from "./contract";
import { clusterIdentifier, Region } from "./region";

export interface RegionBackups {
  readonly vault: BackupVault;
  /** The region's own plan: the primary's copies nowhere (the links stack owns that copy), a secondary's copies to the primary's vault. */
  readonly plan: BackupPlan;
  readonly backupRole: BackupServiceRole;
  readonly alarms: BackupJobAlarms;
  readonly restoreRole?: BackupServiceRole;
  /** Where a restore lands when the region keeps no cluster (backup-restore): isolated subnets, database security group. */
  readonly restoreTarget?: { readonly dbSubnetGroupName: pulumi.Output<string>; readonly securityGroupId: pulumi.Output<string> };
  /** What the plan protects, for exports and the links stack's copy plan. */
  readonly protectedArns: pulumi.Input<string>[];
}

/**
 * The region's vault, plan, roles and job alarms. `copyTo` names vaults of other regions the plan
 * copies into (a secondary passes the primary's vault; check it with copyRetentionProblem first).
 */
export function regionBackups(config: StackConfig, region: Region, kmsKeyArn: pulumi.Input<string>, copyTo: readonly (BackupCopyTarget & BackupCopyWatch)[] = []): RegionBackups {
  const app = config.appName;
  const { provider } = region;
  // The policy's administrators come from config (default: the account root), never from whoever
  // runs `pulumi up`: a policy that changed with the caller would be denied to the next one.
  const vault = new BackupVault(`${app}-backup`, {
    vaultName: backupVaultName(app, config.environment, config.region),
    kmsKeyArn,
    lock: config.backup.vaultLock,
    policyAdminArns: config.backup.policyAdminArns,
    adopt: config.backup.adoptVault,
  }, { provider });

  // The primary's own plan waits for the links stack's copy plan, which selects the same resources (see PRIMARY_PLAN_DELAY_MINUTES).
  const timing = config.role === "primary" ? primaryPlanTiming(config.backup.schedule) : undefined;
  if (config.role === "primary" && !timing) throw new Error(`dr:backup.schedule = "${config.backup.schedule}" leaves the primary's own plan no turn beside the copy plan; the config check names the fix`);
  const alarms = new BackupJobAlarms(`${app}-backup-alarms`, {
    region: config.region,
    alarmTopicArn: region.alarms.topicArn,
    // AWS Backup's resource types of what the plan selects below: the bucket, and the cluster if any.
    vault: { name: vault.vaultName, resourceTypes: ["S3", ...(region.database ? ["Aurora"] : [])] },
    // A copy job runs where its plan runs, here, and is reported under its destination vault.
    copies: copyTo.map((c) => ({ destinationVaultName: c.destinationVaultName, destinationRegion: c.destinationRegion })),
    freshnessWindowSeconds: backupFreshnessWindow(config.backup.schedule, timing && timing.delayMinutes + timing.startWindowMinutes),
  }, { provider });
  region.catalogue.push(...alarms.catalogue);

  // The region's own data stores. A secondary's Aurora member is selected too: Aurora backs up every
  // cluster volume, and the global-database limitations exclude no backups or snapshots of a
  // secondary cluster (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations);
  // after a failover it is the writer, and its backups are the ones that matter.
  const protectedArns = [region.dataBucket.bucketArn, ...(region.database ? [region.database.clusterArn] : [])];
  const backupRole = new BackupServiceRole(`${app}-backup-role`, { purpose: "backup" }, { provider });
  const plan = new BackupPlan(`${app}-${config.environment}-backup`, {
    vaultName: vault.vaultName,
    schedule: timing?.schedule ?? config.backup.schedule,
    startWindowMinutes: timing?.startWindowMinutes,
    retentionDays: config.backup.retentionDays,
    continuous: config.backup.continuous,
    copyTo,
    resourceArns: protectedArns,
    // A backup-restore secondary has no cluster of its own; the one a restore creates carries this
    // tag (the restore drill puts it on), so it is backed up and copied out like the one it replaces.
    ...(config.role !== "primary" && !region.database ? { selectByTags: [restoredClusterTag(clusterIdentifier(config))] } : {}),
    roleArn: backupRole.roleArn,
    // AWS Backup for S3 requires versioning on the bucket: https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html
    selectionDependsOn: [region.dataBucket.versioning],
  }, { provider });
  const own = { vault, plan, backupRole, alarms, protectedArns };
  if (config.role === "primary") return own;

  // Restores run in the recovery region during an outage: the role must already exist there (IAM is global).
  const restoreRole = new BackupServiceRole(`${app}-restore-role`, { purpose: "restore" }, { provider });
  // Without a standing cluster, the restore needs a subnet group in the isolated subnets ready (free, and
  // creating it mid-outage would need `pulumi up`). Its name must differ from DataTier's group (see
  // restoreSubnetGroupName), or a switch to a strategy with a standing cluster collides with it.
  const subnets = region.database ? undefined : new aws.rds.SubnetGroup(`${app}-restore-subnets`, {
    name: restoreSubnetGroupName(clusterIdentifier(config)),
    description: `Isolated subnets for restoring ${clusterIdentifier(config)} from backup`,
    subnetIds: region.network.isolatedSubnetIds,
  }, { provider });
  const restoreTarget = subnets && { dbSubnetGroupName: subnets.name, securityGroupId: region.databaseSecurityGroupId };
  return { ...own, restoreRole, restoreTarget };
}


/**
 * How old a region's newest recovery point (or copy) may get before it pages, for jobs that may start
 * `waitMinutes` after the schedule (default: the start window); see freshnessWindowSeconds.
 */
export function backupFreshnessWindow(schedule: string, waitMinutes: number = BACKUP_START_WINDOW_MINUTES): number {
  return freshnessWindowSeconds(scheduleIntervalSeconds(schedule), waitMinutes) ?? 0;
}

/**
 * Why copies kept `days` would fail in some destination vault: its lock refuses a recovery point
 * whose retention is outside its range. Undefined when every destination accepts them.
 */
export function copyRetentionProblem(days: number, destinations: readonly BackupExports[]): string | undefined {
  const outside = destinations.filter((d) => days < d.lockMinRetentionDays || days > d.lockMaxRetentionDays);
  if (!outside.length) return undefined;
  return `outside the vault lock range of ${outside.map((d) => `${d.vaultName} (${d.lockMinRetentionDays}-${d.lockMaxRetentionDays} days)`).join(", ")}; every copy job would fail, so choose a value in the range`;
}

/** The backup part of a region's exports. */
export function backupExports(config: StackConfig, b: RegionBackups): { readonly [K in keyof BackupExports]: pulumi.Input<BackupExports[K]> } {
  return {
    vaultName: b.vault.vaultName,
    vaultArn: b.vault.vaultArn,
    lockMinRetentionDays: config.backup.vaultLock.minRetentionDays,
    lockMaxRetentionDays: config.backup.vaultLock.maxRetentionDays,
    planId: b.plan.planId,
    backupRoleArn: b.backupRole.roleArn,
    restoreRoleArn: b.restoreRole?.roleArn ?? null,
    restoreDbSubnetGroupName: b.restoreTarget?.dbSubnetGroupName ?? null,
    restoreSecurityGroupId: b.restoreTarget?.securityGroupId ?? null,
    protectedArns: pulumi.all(b.protectedArns),
    schedule: config.backup.schedule,
    retentionDays: config.backup.retentionDays,
    copyRetentionDays: config.backup.copyRetentionDays,
  };
}

/**
 * The plan that copies the primary's data to every recovery region: registered by the links stack
 * through its provider for the primary's region, selecting the resources the primary protects and
 * copying into each secondary's vault, on dr:backup.schedule itself (the primary's own plan waits:
 * see PRIMARY_PLAN_DELAY_MINUTES). Its rule takes snapshots (not continuous): AWS allows continuous
 * backup of an S3 bucket in one plan only, the primary's.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html
 */
export function recoveryCopyPlan(planName: string, source: BackupExports, destinations: readonly (BackupExports & { readonly region: string })[], primaryProvider: aws.Provider, alarmTopicArn: string, primaryRegion: string): { readonly plan: BackupPlan; readonly alarms: BackupJobAlarms } {
  // The primary's own dr:backup decides schedule and retentions; the links stack has none of its own.
  const backup = source;
  const outside = copyRetentionProblem(backup.copyRetentionDays, destinations);
  if (outside) throw new Error(`dr:backup.copyRetentionDays = ${backup.copyRetentionDays} is ${outside}`);
  if (!source.backupRoleArn) throw new Error(`the source vault ${source.vaultName} exports no backup role; deploy the primary with this version of the program first`);
  const plan = new BackupPlan(planName, {
    vaultName: source.vaultName,
    schedule: backup.schedule,
    retentionDays: backup.retentionDays,
    continuous: false,
    copyTo: destinations.map((d) => ({ vaultArn: d.vaultArn, retentionDays: backup.copyRetentionDays })),
    resourceArns: [...source.protectedArns],
    roleArn: source.backupRoleArn,
  }, { provider: primaryProvider });
  // The copy jobs run in the primary's region and are reported there under each destination vault:
  // their alarms live beside the plan, on the primary's topic (whose subscriptions the primary owns).
  const alarms = new BackupJobAlarms(`${planName}-alarms`, {
    region: primaryRegion,
    alarmTopicArn,
    copies: destinations.map((d) => ({ destinationVaultName: d.vaultName, destinationRegion: d.region })),
    freshnessWindowSeconds: backupFreshnessWindow(backup.schedule),
  }, { provider: primaryProvider });
  return { plan, alarms };
}
