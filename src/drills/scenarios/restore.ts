/**
 * restore: bring a backup-restore recovery region up from the newest copy of the primary's Aurora
 * cluster in its own vault, with that region's APIs and global data planes only (static stability).
 *
 * AWS Backup restores the cluster and nothing else; the writer instance is created afterwards
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-aur.html). The restore metadata
 * are RestoreDBClusterFromSnapshot's parameters, strings each
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBClusterFromSnapshot.html;
 * StartRestoreJob: https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartRestoreJob.html).
 * The recovery points are found with ListRecoveryPointsByBackupVault filtered by resource type and
 * source resource ARN (ByResourceType, ByResourceArn:
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListRecoveryPointsByBackupVault.html).
 *
 * The app tier finds its database through the DB secret (the only secret its instances may read,
 * components/compute/tierFleet.ts), so the restored endpoint is written there: the replica is
 * read-only and is promoted in its own region first (StopReplicationToReplica,
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/standalone-secret.html), then
 * PutSecretValue adds `host`, `port`, `engine` and `dbClusterIdentifier`, the keys of Secrets
 * Manager's JSON structure for database credentials
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_secret_json_structure.html).
 * DNS moves as in the failover drill: by health checks, never by a Route 53 change.
 */
import { call, RecoveryPointView } from "../cloud";
import { DrillError, RerunRequired } from "../errors";
import { DrillInputs, DrillRegion } from "../inputs";
import { restoreSecondsFor } from "../model";
import { BACKUP_FAULTS } from "../simBackup";
import { Scenario, Step, StepContext } from "../step";
import { scaleOut, waitCapacity } from "./capacity";
import { promoteSecretReplica, recordActiveRegion } from "./data";
import { createWriterInstance, describeCluster, drillTags, waitWriterInstance } from "./database";
import { restoredClusterTag } from "../../../components/data/backupRules";
import { CLUSTER_BACKUP_RETENTION_DAYS } from "../../../components/data/dataPlacement";
import { asProblem, gateAmi, gateSecretReplica } from "./gates";
import { confirmSwitches, lostRegionSwitchOverride, switchStep } from "./switch";
import { verifyService } from "./traffic";

/** AWS Backup's resource type of an Aurora cluster's recovery points. */
export const AURORA_RESOURCE_TYPE = "Aurora";
/** Only a finished copy restores; CREATING and PARTIAL points do not. */
const RESTORABLE_STATUS = "COMPLETED";
/** Restore jobs in these states will not finish: the drill stops and offers the undo. */
export const RESTORE_JOB_FAILED = ["FAILED", "ABORTED"];

function restoreOf(inputs: DrillInputs) {
  if (!inputs.restore) throw new DrillError("the restore drill needs a backup-restore pair (regional.backup outputs of the secondary); load it through the restore scenario");
  return inputs.restore;
}

export function newestRecoveryPoint(points: readonly RecoveryPointView[]): RecoveryPointView | undefined {
  return points.filter((p) => p.status === RESTORABLE_STATUS).sort((a, b) => b.createdAt - a.createdAt)[0];
}

const listCall = (inputs: DrillInputs, to: DrillRegion) =>
  call(to.region, "Backup", "ListRecoveryPointsByBackupVault", { BackupVaultName: restoreOf(inputs).vaultName, ByResourceType: AURORA_RESOURCE_TYPE, ByResourceArn: restoreOf(inputs).sourceClusterArn });

async function newest(ctx: StepContext, inputs: DrillInputs, to: DrillRegion): Promise<RecoveryPointView | undefined> {
  const r = restoreOf(inputs);
  return newestRecoveryPoint(await ctx.cloud.listRecoveryPoints(to.region, { vaultName: r.vaultName, resourceArn: r.sourceClusterArn, resourceType: AURORA_RESOURCE_TYPE }));
}

/** The newest completed copy; the gate refuses one older than the database RPO target (its age is the data the restore loses). */
export function findRecoveryPoint(inputs: DrillInputs, to: DrillRegion): Step {
  const r = restoreOf(inputs);
  const rpo = inputs.primary.config.objectives.rpoSeconds.database;
  return {
    name: "find-recovery-point", kind: "find-recovery-point", gate: "recovery-point-age", region: to.region, required: true, operation: "Backup.ListRecoveryPointsByBackupVault",
    purpose: `the newest completed copy of ${r.sourceClusterArn} in vault ${r.vaultName} is younger than the ${rpo} s database RPO target`,
    calls: [listCall(inputs, to)],
    precondition: (ctx) => asProblem(async () => {
      const p = await newest(ctx, inputs, to);
      if (!p) return `vault ${r.vaultName} holds no completed Aurora recovery point of ${r.sourceClusterArn}; check the links stack's copy plan and the primary's copy-job alarm`;
      const age = Math.round((ctx.clock.now() - p.createdAt) / 1000);
      return age > rpo ? `the newest recovery point ${p.arn} was created ${new Date(p.createdAt).toISOString()}, ${age} s ago, more than the ${rpo} s database RPO target: restoring it loses more than promised` : undefined;
    }),
    action: async (ctx) => {
      const p = await newest(ctx, inputs, to);
      if (!p) throw new Error(`vault ${r.vaultName} holds no completed Aurora recovery point of ${r.sourceClusterArn}: there is nothing to restore, forced or not`);
      ctx.facts.recoveryPointArn = p.arn;
      ctx.facts.recoveryPointCreatedAt = p.createdAt;
      ctx.facts.recoveryPointAgeSeconds = Math.round((ctx.clock.now() - p.createdAt) / 1000);
      ctx.log(`  recovery point ${p.arn}, created ${new Date(p.createdAt).toISOString()} (${ctx.facts.recoveryPointAgeSeconds} s ago)`);
    },
  };
}

/** StartRestoreJob metadata for an Aurora cluster: the region's cluster name, its isolated subnets, database security group and key. */
export function restoreMetadata(inputs: DrillInputs, to: DrillRegion): Record<string, string> {
  const r = restoreOf(inputs);
  const db = to.config.database;
  return {
    DBClusterIdentifier: to.dbClusterIdentifier,
    Engine: db.engine,
    // No EngineVersion: RestoreDBClusterFromSnapshot defaults to the snapshot's own, and members
    // upgrade minor versions by themselves (the stack ignores engine-version drift), so the
    // configured one may be older than the snapshot, which RDS does not restore to.
    DBSubnetGroupName: r.dbSubnetGroupName,
    VpcSecurityGroupIds: JSON.stringify([r.securityGroupId]),
    // The copy is encrypted with this region's key (the multi-region replica); the restore keeps it.
    KmsKeyId: to.kmsKeyArn,
    DeletionProtection: "true",
    CopyTagsToSnapshot: "true",
  };
}

/** The same recovery point into the same cluster is one job: a resumed drill repeats the call and AWS Backup starts nothing new. */
/**
 * Stable within one drill (a resumed drill finds its own job), new for each drill: AWS answers a
 * repeated token with the earlier job and starts nothing, so a token reused after a FAILED restore
 * would never restore again (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartRestoreJob.html).
 */
const idempotencyToken = (to: DrillRegion, createdAt: number | string, runStartedAt: number | string) => `${to.dbClusterIdentifier}-${createdAt}-${runStartedAt}`;

export function restoreCluster(inputs: DrillInputs, to: DrillRegion): Step {
  const r = restoreOf(inputs);
  const id = to.dbClusterIdentifier;
  return {
    name: "restore-cluster", kind: "restore-database", region: to.region, required: true, operation: "Backup.StartRestoreJob", marks: ["recovery-start"],
    purpose: `restore the recovery point into a new cluster ${id} in ${to.region}'s isolated subnets`,
    calls: [call(to.region, "Backup", "StartRestoreJob", {
      RecoveryPointArn: "<from find-recovery-point>", IamRoleArn: r.restoreRoleArn, ResourceType: AURORA_RESOURCE_TYPE, Metadata: restoreMetadata(inputs, to), IdempotencyToken: idempotencyToken(to, "<its creation, epoch ms>", "<drill start, epoch ms>"),
    })],
    alreadyDone: async (ctx) => (ctx.facts.restoreJobId ? `restore job ${ctx.facts.restoreJobId} was started` : undefined),
    action: async (ctx) => {
      if (!ctx.facts.recoveryPointArn || ctx.facts.recoveryPointCreatedAt === undefined) throw new Error("no recovery point was chosen; run find-recovery-point first");
      ctx.facts.restoreJobId = await ctx.cloud.startRestoreJob(to.region, {
        recoveryPointArn: ctx.facts.recoveryPointArn, iamRoleArn: r.restoreRoleArn, resourceType: AURORA_RESOURCE_TYPE, metadata: restoreMetadata(inputs, to), idempotencyToken: idempotencyToken(to, ctx.facts.recoveryPointCreatedAt, ctx.facts.runStartedAt ?? "unknown-run"),
      });
      ctx.log(`  restore job ${ctx.facts.restoreJobId}`);
    },
    undo: {
      description: `delete what the restore created (a drill only; the recovery point is untouched): aws rds delete-db-instance --region ${to.region} --db-instance-identifier <each instance of ${id}>; ` +
        `aws rds modify-db-cluster --region ${to.region} --db-cluster-identifier ${id} --no-deletion-protection; aws rds delete-db-cluster --region ${to.region} --db-cluster-identifier ${id} --skip-final-snapshot`,
      calls: [call(to.region, "RDS", "ModifyDBCluster", { DBClusterIdentifier: id, DeletionProtection: false }), call(to.region, "RDS", "DeleteDBCluster", { DBClusterIdentifier: id, SkipFinalSnapshot: true })],
    },
  };
}

/** Polls the job with backoff; FAILED or ABORTED stops the drill (nothing serves from the restore yet, so stopping is safe). */
export function waitRestore(inputs: DrillInputs, to: DrillRegion): Step {
  const expected = restoreSecondsFor(inputs.primary.config.database.sizeGiB);
  return {
    name: "wait-restore", kind: "wait-restore", region: to.region, required: true, operation: "Backup.DescribeRestoreJob",
    purpose: `the restore job completes and ${to.dbClusterIdentifier} is available (the model assumes ${expected} s for ${inputs.primary.config.database.sizeGiB} GiB)`,
    calls: [call(to.region, "Backup", "DescribeRestoreJob", { RestoreJobId: "<from restore-cluster>" }), ...describeCluster(to)],
    verify: {
      what: `${to.dbClusterIdentifier} is restored and available`, timeoutSeconds: 3 * expected, pollSeconds: 15, maxPollSeconds: 60,
      check: async (ctx) => {
        const job = await ctx.cloud.describeRestoreJob(to.region, ctx.facts.restoreJobId!);
        if (RESTORE_JOB_FAILED.includes(job.status))
          throw new RerunRequired(`restore job ${job.id} is ${job.status}: ${job.statusMessage ?? "no status message"}. Nothing serves from it yet; delete any half-created cluster (the undo below) and fix the cause (runbooks/restore.md, "When a step fails")`);
        if (job.status !== "COMPLETED") return `restore job ${job.id} is ${job.status}`;
        const c = await ctx.cloud.describeDbCluster(to.region, to.dbClusterIdentifier);
        return c.status === "available" || `cluster ${to.dbClusterIdentifier} is ${c.status}`;
      },
    },
  };
}

/**
 * The restored cluster is kept as the cluster it replaces: Aurora gives it one day of automated
 * backups ("the default backup retention period is one day regardless of how the DB cluster is
 * created", https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Backups.html;
 * whether AWS Backup's Aurora restore metadata passes BackupRetentionPeriod on is not documented,
 * so the drill sets it after the restore with ModifyDBCluster), and no backup plan selects a cluster
 * no stack manages: the tag below is what the backup-restore secondary's plan selects by, whose rule
 * copies to the primary's vault. The stack's tags go on too, as on every drill-made resource.
 */
export function protectRestoredCluster(to: DrillRegion): Step {
  const days = CLUSTER_BACKUP_RETENTION_DAYS;
  const selection = restoredClusterTag(to.dbClusterIdentifier);
  const tags = { ...drillTags(to), [selection.key]: selection.value };
  return {
    name: "protect-restored-cluster", kind: "protect-restored-cluster", region: to.region, required: true, operation: "RDS.ModifyDBCluster",
    purpose: `keep ${days} days of backups of ${to.dbClusterIdentifier} (not Aurora's 1) and tag it ${selection.key}=${selection.value}, which ${to.region}'s backup plan selects and copies out of the region`,
    calls: [
      ...describeCluster(to),
      call(to.region, "RDS", "ModifyDBCluster", { DBClusterIdentifier: to.dbClusterIdentifier, BackupRetentionPeriod: days, ApplyImmediately: true }),
      call(to.region, "RDS", "AddTagsToResource", { ResourceName: to.dbClusterArn, Tags: tags }),
    ],
    alreadyDone: async (ctx) => {
      const c = await ctx.cloud.describeDbCluster(to.region, to.dbClusterIdentifier);
      return (c.backupRetentionDays ?? 0) >= days && c.tags?.[selection.key] === selection.value ? `${to.dbClusterIdentifier} keeps ${c.backupRetentionDays} days of backups and carries ${selection.key}` : undefined;
    },
    action: async (ctx) => {
      const c = await ctx.cloud.describeDbCluster(to.region, to.dbClusterIdentifier);
      if ((c.backupRetentionDays ?? 0) < days) await ctx.cloud.setDbClusterBackupRetention(to.region, to.dbClusterIdentifier, days);
      await ctx.cloud.tagDbResource(to.region, to.dbClusterArn, tags);
      ctx.log(`  ${to.dbClusterIdentifier}: backup retention ${days} days (was ${c.backupRetentionDays ?? "unknown"}), tagged ${selection.key}=${selection.value}`);
    },
  };
}

/** The secret's JSON object, or one clear error; the value itself is never printed. */
function secretObject(text: string, secretArn: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new Error(`secret ${secretArn} does not hold a JSON object (the primary stack writes {"username", "password"}); the app tier could not read a host from it`);
}

/** Writes the restored cluster's endpoint into the (promoted) DB secret the app tier reads. */
export function pointAppTier(to: DrillRegion): Step {
  const secret = to.dbSecretArn;
  const endpointOf = async (ctx: StepContext) => {
    const c = await ctx.cloud.describeDbCluster(to.region, to.dbClusterIdentifier);
    if (!c.endpoint) throw new Error(`cluster ${to.dbClusterIdentifier} reports no endpoint yet`);
    return c;
  };
  return {
    name: "point-app-tier", kind: "point-app-tier", region: to.region, required: true, operation: "SecretsManager.PutSecretValue",
    purpose: `write the restored cluster's endpoint into ${to.region}'s DB secret, where the app tier reads its connection`,
    calls: [
      describeCluster(to)[0],
      call(to.region, "SecretsManager", "GetSecretValue", { SecretId: secret }),
      call(to.region, "SecretsManager", "PutSecretValue", { SecretId: secret, SecretString: `<the secret's JSON plus host, port, engine and dbClusterIdentifier of ${to.dbClusterIdentifier}; never printed>` }),
    ],
    alreadyDone: async (ctx) => {
      const c = await endpointOf(ctx);
      const now = secretObject(await ctx.cloud.getSecretValue(to.region, secret), secret);
      return now.host === c.endpoint ? `the secret already names ${c.endpoint}` : undefined;
    },
    action: async (ctx) => {
      const c = await endpointOf(ctx);
      const value = secretObject(await ctx.cloud.getSecretValue(to.region, secret), secret);
      ctx.facts.previousDbEndpoint = ctx.facts.previousDbEndpoint ?? {
        ...(typeof value.host === "string" ? { host: value.host } : {}), ...(typeof value.port === "number" ? { port: value.port } : {}),
      };
      await ctx.cloud.putSecretValue(to.region, secret, JSON.stringify({ ...value, host: c.endpoint, ...(c.port ? { port: c.port } : {}), engine: to.config.database.engine, dbClusterIdentifier: to.dbClusterIdentifier }));
      ctx.log(`  ${secret} now names ${c.endpoint}`);
    },
    undo: {
      description: `write the host and port the DB secret in ${to.region} named before the drill back into it (the secret stays promoted: re-replicate it from the primary with the failback drill)`,
      calls: [call(to.region, "SecretsManager", "GetSecretValue", { SecretId: secret }), call(to.region, "SecretsManager", "PutSecretValue", { SecretId: secret, SecretString: "<the secret's JSON with the previous host and port; never printed>" })],
      run: async (ctx) => {
        const value = secretObject(await ctx.cloud.getSecretValue(to.region, secret), secret);
        const before = ctx.facts.previousDbEndpoint ?? {};
        const { host: _h, port: _p, engine: _e, dbClusterIdentifier: _d, ...rest } = value;
        await ctx.cloud.putSecretValue(to.region, secret, JSON.stringify({ ...rest, ...before }));
      },
    },
  };
}

export function restoreSteps(inputs: DrillInputs, from: DrillRegion, to: DrillRegion): Step[] {
  return [
    findRecoveryPoint(inputs, to),
    gateSecretReplica(from, to, false),
    gateAmi(to),
    // First: from here on the restore becomes the data of record, so the old primary must not win
    // DNS back. While the recovery region has no healthy capacity both records are unhealthy and
    // Route 53 answers PRIMARY anyway; DNS moves once the restored region serves.
    switchStep(inputs, from, false, { protectsCutover: true, overridable: lostRegionSwitchOverride(from) }),
    // The secondary switched off as well would keep DNS on PRIMARY (the old region) after the restore: best effort, its switch may live in the lost region.
    switchStep(inputs, to, true, { bestEffort: true, purpose: `switch ${to.region} on (idempotent): switched off, its record could not win DNS once the restored region serves` }),
    restoreCluster(inputs, to),
    waitRestore(inputs, to),
    protectRestoredCluster(to),
    createWriterInstance(to),
    waitWriterInstance(to),
    promoteSecretReplica(to),
    pointAppTier(to),
    scaleOut(inputs, to),
    waitCapacity(to),
    verifyService(inputs, to),
    recordActiveRegion(inputs, to),
    confirmSwitches([{ region: from, on: false }]),
  ];
}

export const restore: Scenario = {
  name: "restore",
  summary: "backup-restore: restore the newest copied Aurora backup into the secondary, point the app tier at it, scale up, let DNS move",
  direction: (inputs, active) => {
    if (active === inputs.secondary.region) throw new DrillError(`${active} is already the active region; a restore brings up the backup-restore secondary ${inputs.secondary.region} while ${inputs.primary.region} serves or is lost`);
    return { from: inputs.primary, to: inputs.secondary };
  },
  steps: restoreSteps,
  modelRto: "unplanned",
  movesActiveRegion: true,
  needs: "backup-restore",
  faults: ["throttling", "timeout", "primary-region-down", "secondary-switched-off", ...BACKUP_FAULTS],
};
