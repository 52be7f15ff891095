/**
 * The simulator's AWS Backup part, for a backup-restore pair: the recovery points the links stack's
 * plan copied into the secondary vault (with their creation times), restore jobs that take the
 * model's restore time for the database size (restoreSecondsFor, BACKUP_RESTORE_FIGURES in
 * src/model/timings.ts), and the clusters they create. Kept apart from ./simulator so changes to the
 * simulated failover timings and to backups merge without touching each other.
 */
import { scheduleIntervalSeconds } from "../../components/data/backupRules";
import { BACKUP_COPY_INTERVAL_SECONDS, restoreSecondsFor } from "../model/timings";
import { CloudError, RecoveryPointView, RestoreJobView } from "./cloud";
import { DrillInputs } from "./inputs";

export const BACKUP_FAULTS = ["no-recent-recovery-point", "restore-job-fails"] as const;
export type BackupFault = (typeof BACKUP_FAULTS)[number];

/** The engine port AWS gives a cluster without an explicit one (5432 PostgreSQL, 3306 MySQL). */
const DEFAULT_PORTS: Readonly<Record<string, number>> = { "aurora-postgresql": 5432, "aurora-mysql": 3306 };
/** The status message a simulated failed restore job reports (a cause the runbook lists). */
export const SIM_RESTORE_FAILURE = "simulated: the restore role cannot use the KMS key of the recovery point (kms:CreateGrant denied)";

export interface SimRecoveryPoint { arn: string; createdAt: number; status: string; resourceArn: string; resourceType: string }
export interface SimRestoreJob { id: string; region: string; clusterId: string; recoveryPointArn: string; startedAt: number; doneAt: number; fails: boolean }
/** A restored cluster: Aurora gives it one day of automated backups and no tags unless the restore says otherwise. */
export interface SimRestoredCluster { region: string; id: string; availableAt: number; endpoint: string; port: number; backupRetentionDays: number; tags: Record<string, string> }
/** Aurora's default backup retention, "one day regardless of how the DB cluster is created" (Aurora.Managing.Backups.html). */
export const AURORA_DEFAULT_BACKUP_RETENTION_DAYS = 1;
export interface SimBackup {
  /** The region whose vault holds the copies (the backup-restore secondary). */
  region: string;
  vaultName: string;
  points: SimRecoveryPoint[];
  jobs: SimRestoreJob[];
  clusters: SimRestoredCluster[];
}

/** The primary's backup interval (dr:backup.schedule), or the model's assumed one for a schedule it cannot read. */
export function backupIntervalSeconds(inputs: DrillInputs): number {
  return scheduleIntervalSeconds(inputs.primary.config.backup.schedule) ?? BACKUP_COPY_INTERVAL_SECONDS;
}

/**
 * The vault before a restore drill: the newest Aurora copy is half a backup interval old (the
 * model's typical loss for backup-restore), the one before it an interval older, plus a newer copy of
 * the data bucket that an Aurora restore must not pick. With no-recent-recovery-point the newest
 * Aurora copy is twice the database RPO target old. Undefined for a pair that does not restore.
 */
export function initialBackup(inputs: DrillInputs, faults: readonly string[], start: number): SimBackup | undefined {
  const restore = inputs.restore;
  if (!restore) return undefined;
  const interval = backupIntervalSeconds(inputs);
  const newestAge = faults.includes("no-recent-recovery-point") ? 2 * inputs.primary.config.objectives.rpoSeconds.database : interval / 2;
  const arn = (n: number) => `arn:aws:backup:${inputs.secondary.region}:111122223333:recovery-point:sim-${n}`;
  const aurora = (n: number, age: number): SimRecoveryPoint => ({ arn: arn(n), createdAt: start - age * 1000, status: "COMPLETED", resourceArn: restore.sourceClusterArn, resourceType: "Aurora" });
  return {
    region: inputs.secondary.region, vaultName: restore.vaultName, jobs: [], clusters: [],
    points: [
      aurora(1, newestAge + interval),
      aurora(2, newestAge),
      { arn: arn(3), createdAt: start - (newestAge / 2) * 1000, status: "COMPLETED", resourceArn: `arn:aws:s3:::${inputs.primary.dataBucketName}`, resourceType: "S3" },
    ],
  };
}

export function listRecoveryPoints(b: SimBackup, region: string, p: { vaultName: string; resourceArn: string; resourceType: string }): RecoveryPointView[] {
  if (region !== b.region || p.vaultName !== b.vaultName) throw new CloudError("fatal", "ResourceNotFoundException", `${region} Backup`, `no backup vault ${p.vaultName} in ${region}`);
  return b.points.filter((x) => x.resourceArn === p.resourceArn && x.resourceType === p.resourceType).map((x) => ({ ...x }));
}

/** Starts (or, with the same idempotency token, finds) a restore job; the cluster appears at once, as `creating`. */
export function startRestoreJob(b: SimBackup, inputs: DrillInputs, region: string, now: number, faults: readonly string[], p: { recoveryPointArn: string; metadata: Readonly<Record<string, string>>; idempotencyToken: string }): string {
  const where = `${region} Backup.StartRestoreJob`;
  const existing = b.jobs.find((j) => j.id === `sim-restore-${p.idempotencyToken}`);
  if (existing) return existing.id;
  if (!b.points.some((x) => x.arn === p.recoveryPointArn)) throw new CloudError("fatal", "ResourceNotFoundException", where, `no recovery point ${p.recoveryPointArn}`);
  const clusterId = p.metadata.DBClusterIdentifier;
  if (!clusterId) throw new CloudError("fatal", "InvalidParameterValueException", where, "metadata lacks DBClusterIdentifier");
  if (b.clusters.some((c) => c.region === region && c.id === clusterId)) throw new CloudError("fatal", "InvalidParameterValueException", where, `DB cluster ${clusterId} already exists`);
  const seconds = restoreSecondsFor(inputs.primary.config.database.sizeGiB);
  const fails = faults.includes("restore-job-fails");
  const job: SimRestoreJob = { id: `sim-restore-${p.idempotencyToken}`, region, clusterId, recoveryPointArn: p.recoveryPointArn, startedAt: now, doneAt: now + (fails ? seconds / 2 : seconds) * 1000, fails };
  b.jobs.push(job);
  b.clusters.push({
    region, id: clusterId, availableAt: fails ? Number.MAX_SAFE_INTEGER : job.doneAt, endpoint: `${clusterId}.cluster-sim.${region}.rds.amazonaws.com`, port: DEFAULT_PORTS[p.metadata.Engine] ?? 5432,
    backupRetentionDays: AURORA_DEFAULT_BACKUP_RETENTION_DAYS, tags: {},
  });
  return job.id;
}

export function describeRestoreJob(b: SimBackup, region: string, id: string, now: number): RestoreJobView {
  const job = b.jobs.find((j) => j.id === id && j.region === region);
  if (!job) throw new CloudError("fatal", "ResourceNotFoundException", `${region} Backup.DescribeRestoreJob`, `no restore job ${id}`);
  if (now < job.doneAt) return { id, status: now - job.startedAt < 60_000 ? "PENDING" : "RUNNING" };
  return job.fails ? { id, status: "FAILED", statusMessage: SIM_RESTORE_FAILURE } : { id, status: "COMPLETED", createdResourceArn: `arn:aws:rds:${region}:111122223333:cluster:${job.clusterId}` };
}

/**
 * The restored cluster as DescribeDBClusters sees it, in the region a backup-restore pair restores
 * into: undefined elsewhere (the simulator's standing clusters answer), a DBClusterNotFoundFault
 * before the restore created it.
 */
export function restoredCluster(b: SimBackup | undefined, region: string, clusterId: string, now: number): { status: string; endpoint: string; port: number; backupRetentionDays: number; tags: Record<string, string> } | undefined {
  if (!b || region !== b.region) return undefined;
  const c = restoredRecord(b, region, clusterId, "DescribeDBClusters");
  const failed = b.jobs.some((j) => j.clusterId === clusterId && j.fails && now >= j.doneAt);
  return { status: failed ? "inaccessible-encryption-credentials" : now >= c.availableAt ? "available" : "creating", endpoint: c.endpoint, port: c.port, backupRetentionDays: c.backupRetentionDays, tags: { ...c.tags } };
}

function restoredRecord(b: SimBackup, region: string, clusterId: string, operation: string): SimRestoredCluster {
  const c = b.clusters.find((x) => x.region === region && x.id === clusterId);
  if (!c) throw new CloudError("fatal", "DBClusterNotFoundFault", `${region} RDS.${operation}`, `DBCluster ${clusterId} not found`);
  return c;
}

/** ModifyDBCluster BackupRetentionPeriod on a restored cluster: RDS takes 1-35 days, and only from an available cluster. */
export function setRestoredRetention(b: SimBackup, region: string, clusterId: string, days: number, now: number): void {
  const c = restoredRecord(b, region, clusterId, "ModifyDBCluster");
  if (!Number.isInteger(days) || days < 1 || days > 35) throw new CloudError("fatal", "InvalidParameterValue", `${region} RDS.ModifyDBCluster`, `BackupRetentionPeriod ${days} is outside 1-35`);
  if (now < c.availableAt) throw new CloudError("fatal", "InvalidDBClusterStateFault", `${region} RDS.ModifyDBCluster`, `DB cluster ${clusterId} is not available`);
  c.backupRetentionDays = days;
}

/** AddTagsToResource on a restored cluster's ARN. */
export function tagRestored(b: SimBackup, region: string, arn: string, tags: Readonly<Record<string, string>>): void {
  const id = /:cluster:(.+)$/.exec(arn)?.[1] ?? "";
  Object.assign(restoredRecord(b, region, id, "AddTagsToResource").tags, tags);
}
