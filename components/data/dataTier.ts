import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  AURORA_ENGINES, AuroraEngine, CLUSTER_BACKUP_RETENTION_DAYS, DEFAULT_PORTS, LOG_EXPORTS, MAX_INSTANCES_PER_CLUSTER, MAX_RDS_IDENTIFIER_LENGTH,
  finalSnapshotIdentifier, isGlobalDatabaseClass, placeInstances, rdsIdentifierProblems, regionOfAz, windowMinutes,
} from "./dataPlacement";
import { requireAwsProvider } from "../providers";
import { writeForwardingProblem } from "./writeForwarding";

export { DEFAULT_PORTS } from "./dataPlacement";

export type DataTierRole = "primary" | "secondary";

/** Two weeks of point-in-time recovery (CLUSTER_BACKUP_RETENTION_DAYS, which restored clusters get too). */
export const DEFAULT_BACKUP_RETENTION_DAYS = CLUSTER_BACKUP_RETENTION_DAYS;
/** Below a week, a problem found at the weekly review can no longer be restored from. */
export const MIN_BACKUP_RETENTION_DAYS = 7;
/** 03:00-04:00 UTC: off-peak for the default US regions. */
export const DEFAULT_BACKUP_WINDOW = "03:00-04:00";
/** RDS requires a backup window of at least 30 minutes. */
const MIN_BACKUP_WINDOW_MINUTES = 30;
/** Performance Insights' free retention tier. */
const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;
/** Enhanced monitoring granularity when a monitoring role is given. */
export const DEFAULT_MONITORING_INTERVAL_SECONDS = 60;
const ARN_REGION = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/;

export interface DataTierArgs {
  /** Aurora engine. Required. */
  readonly engine: AuroraEngine;
  /** Engine version; for a global member it must equal the global cluster's version (drift is then ignored). Required. */
  readonly engineVersion: string;
  /** DB instance class; a global database needs memory-optimized db.r5+ or db.x2 classes. Required. */
  readonly instanceClass: string;
  /** DB instances to run; 0 makes a headless secondary (pilot light). Required. */
  readonly instanceCount: number;
  /** AZs of the provider's region; instances go one per AZ, round-robin in this order. Required. */
  readonly availabilityZones: readonly string[];
  /** Isolated subnets for the DB subnet group. Required. */
  readonly subnetIds: pulumi.Input<string[]>;
  /** Database security group of the security-group chain (DB port from app instances only). Required. */
  readonly securityGroupId: pulumi.Input<string>;
  /** Customer KMS key in this region, for storage and Performance Insights. Required. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** DB cluster identifier, unique across all regions (e.g. `${app}-${region}`). Required. */
  readonly clusterIdentifier: string;
  /** Writer member (primary) or read-only member of a global database (secondary). Required. */
  readonly role: DataTierRole;
  /** Aurora global database to join. Default: none (standalone cluster; only valid for a primary). */
  readonly globalClusterIdentifier?: pulumi.Input<string>;
  /** Master user name; primary only. Default: none (required for a primary). */
  readonly masterUsername?: string;
  /** Master password (pass a secret); primary only. Default: none (required for a primary). */
  readonly masterPassword?: pulumi.Input<string>;
  /** Initial database name; primary only. Default: none (no database created). */
  readonly databaseName?: string;
  /** Days of automated backups, at least 7. Default 14. */
  readonly backupRetentionDays?: number;
  /**
   * An AWS Backup continuous rule selects this cluster, so AWS Backup manages the cluster's automated
   * backups and their retention; `pulumi up` then ignores drift in backupRetentionPeriod. Default false.
   */
  readonly continuousBackupByAwsBackup?: boolean;
  /** Daily backup window "hh:mm-hh:mm" in UTC, at least 30 minutes. Default "03:00-04:00". */
  readonly preferredBackupWindow?: string;
  /** Refuse deletion of the cluster. Default true. */
  readonly deletionProtection?: boolean;
  /**
   * Forward writes from this member while it is a read-only secondary to the primary member
   * (active-active). Set it on every member of the global database, the primary too: AWS uses the
   * primary's setting "immediately if the primary is demoted by a global cluster API operation"
   * (a switchover), so the demoted old primary keeps taking the writes latency routing sends it.
   * Default false.
   */
  readonly globalWriteForwarding?: boolean;
  /** IAM role for enhanced monitoring (monitoring.rds.amazonaws.com). Default: none (enhanced monitoring off). */
  readonly monitoringRoleArn?: pulumi.Input<string>;
}

/**
 * Cluster inputs that change outside Pulumi, so `pulumi up` must not set them back.
 * - Global members: a managed switchover or failover moves global membership and the writer role,
 *   and a global upgrade changes every member's version; without these the next `up` would try to
 *   undo a completed failover (or replace the cluster). replicationSourceIdentifier is never set
 *   here, but AWS reports one on members after a switchover.
 * - Continuous backup by AWS Backup: its recovery points are the cluster's automated backups
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/rds-backup.html: "Continuous backups
 *   created by AWS Backup are considered automated backups in Amazon RDS"), whose retention AWS
 *   Backup sets from the rule and changes itself
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery-retention-period.html),
 *   also when the rule stops (https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery-stopping.html).
 *   An `up` resetting backupRetentionPeriod would fight AWS Backup on every run. The input stays
 *   set (at least 7 days) for the cluster's creation and the policy checks.
 */
export function clusterIgnoreChanges(isGlobal: boolean, continuousBackupByAwsBackup: boolean): string[] {
  return [
    ...(isGlobal ? ["globalClusterIdentifier", "engineVersion", "replicationSourceIdentifier"] : []),
    ...(continuousBackupByAwsBackup ? ["backupRetentionPeriod"] : []),
  ];
}

/**
 * One Aurora member cluster in one region: subnet group, encrypted cluster and its instances spread
 * over the AZs. The same code builds the primary (writer) and a secondary (read-only, possibly
 * headless) member of an Aurora global database.
 */
export class DataTier extends pulumi.ComponentResource {
  readonly clusterIdentifier: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  /** The global database this member belongs to (as registered; a switchover does not change it). */
  readonly globalClusterIdentifier: pulumi.Output<string | undefined>;
  readonly endpoint: pulumi.Output<string>;
  readonly readerEndpoint: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly instanceIdentifiers: pulumi.Output<string[]>;
  readonly clusterResourceId: pulumi.Output<string>;

  constructor(name: string, args: DataTierArgs, opts?: pulumi.ComponentResourceOptions) {
    validateDataTierArgs(args);
    super("dr:data:DataTier", name, {}, opts);
    requireAwsProvider(this, `DataTier ${name}`);
    const backupRetentionPeriod = args.backupRetentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS;
    const preferredBackupWindow = args.preferredBackupWindow ?? DEFAULT_BACKUP_WINDOW;
    const deletionProtection = args.deletionProtection ?? true;
    const port = DEFAULT_PORTS[args.engine];
    const monitoringInterval = args.monitoringRoleArn ? DEFAULT_MONITORING_INTERVAL_SECONDS : 0;
    const isGlobal = args.globalClusterIdentifier !== undefined;
    const placements = placeInstances(args.clusterIdentifier, args.availabilityZones, args.instanceCount);

    if (!deletionProtection) pulumi.log.warn(`deletion protection is off for ${args.clusterIdentifier}: one mistaken destroy deletes the region's copy of the data`, this);
    if (args.instanceCount === 1) pulumi.log.warn(`${args.clusterIdentifier} runs one DB instance: losing its AZ leaves the cluster without an instance until Aurora replaces it; run 2 or more in distinct AZs`, this);

    const subnetGroup = new aws.rds.SubnetGroup(`${name}-subnets`, {
      name: args.clusterIdentifier,
      description: `Isolated subnets of ${args.clusterIdentifier}`,
      subnetIds: args.subnetIds,
    }, { parent: this });

    const cluster = new aws.rds.Cluster(`${name}-cluster`, {
      clusterIdentifier: args.clusterIdentifier,
      engine: args.engine,
      // Global databases exist only in provisioned mode.
      engineMode: "provisioned",
      // AWS requires a member's engine and version to match its global cluster's at creation.
      engineVersion: args.engineVersion,
      globalClusterIdentifier: args.globalClusterIdentifier,
      // A secondary inherits users and schema from the global database; AWS rejects credentials on it.
      masterUsername: args.role === "primary" ? args.masterUsername : undefined,
      masterPassword: args.role === "primary" ? args.masterPassword : undefined,
      databaseName: args.role === "primary" ? args.databaseName : undefined,
      // No manageMasterUserPassword: managed passwords are unavailable for global clusters, so the
      // password comes in as a generated secret kept in a replicated Secrets Manager secret.
      // Writes reaching a secondary (active-active) fail on a read-only member unless forwarded.
      // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding.html
      // On the primary member the setting "is used immediately if the primary is demoted by a global
      // cluster API operation, but it does nothing until then"
      // (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html): set on
      // both members, a switchover leaves the demoted member forwarding too.
      enableGlobalWriteForwarding: args.globalWriteForwarding ? true : undefined,
      storageEncrypted: true,
      kmsKeyId: args.kmsKeyArn,
      deletionProtection,
      backupRetentionPeriod,
      preferredBackupWindow,
      skipFinalSnapshot: false,
      // Deterministic so a restore runbook can name it; a second destroy needs the old snapshot renamed first.
      finalSnapshotIdentifier: finalSnapshotIdentifier(args.clusterIdentifier),
      copyTagsToSnapshot: true,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: [...LOG_EXPORTS[args.engine]],
      port,
      vpcSecurityGroupIds: [args.securityGroupId],
      dbSubnetGroupName: subnetGroup.name,
      tags: { Name: args.clusterIdentifier, "dr:role": args.role },
    }, {
      parent: this,
      ignoreChanges: clusterIgnoreChanges(isGlobal, args.continuousBackupByAwsBackup ?? false),
    });

    const instances = placements.map((p) => new aws.rds.ClusterInstance(`${name}-instance-${p.key}`, {
      identifier: p.identifier,
      clusterIdentifier: cluster.id,
      engine: args.engine,
      // No engineVersion: instances follow the cluster, so a global upgrade causes no instance drift.
      instanceClass: args.instanceClass,
      availabilityZone: p.az,
      promotionTier: p.promotionTier,
      dbSubnetGroupName: subnetGroup.name,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: args.kmsKeyArn,
      performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
      monitoringInterval,
      monitoringRoleArn: args.monitoringRoleArn,
      tags: { Name: p.identifier, "dr:role": args.role },
    }, {
      parent: this,
      // Identifiers are fixed so operators can name instances in an outage; a replacement must
      // therefore free the name first (the other instances keep serving meanwhile).
      deleteBeforeReplace: true,
    }));

    this.clusterIdentifier = cluster.clusterIdentifier;
    this.clusterArn = cluster.arn;
    this.globalClusterIdentifier = cluster.globalClusterIdentifier;
    this.endpoint = cluster.endpoint;
    this.readerEndpoint = cluster.readerEndpoint;
    this.port = cluster.port;
    this.instanceIdentifiers = pulumi.all(instances.map((i) => i.identifier));
    this.clusterResourceId = cluster.clusterResourceId;
    this.registerOutputs({
      clusterIdentifier: this.clusterIdentifier,
      clusterArn: this.clusterArn,
      globalClusterIdentifier: this.globalClusterIdentifier,
      endpoint: this.endpoint,
      readerEndpoint: this.readerEndpoint,
      port: this.port,
      instanceIdentifiers: this.instanceIdentifiers,
      clusterResourceId: this.clusterResourceId,
    });
  }
}

/** Checks the arguments a caller controls; throws one error naming every problem. */
export function validateDataTierArgs(args: DataTierArgs): void {
  const problems: string[] = [];
  const isGlobal = args.globalClusterIdentifier !== undefined;
  if (!AURORA_ENGINES.includes(args.engine)) problems.push(`engine is "${args.engine}"; use one of ${AURORA_ENGINES.join(", ")}`);
  if (!args.engineVersion) problems.push(`engineVersion is empty; pass the version of the global cluster (or of the standalone cluster)`);

  if (isGlobal && !isGlobalDatabaseClass(args.instanceClass)) {
    problems.push(/^db\.t/.test(args.instanceClass)
      ? `instanceClass is "${args.instanceClass}", a burstable class; Aurora global databases need memory-optimized classes, such as db.r6g.large`
      : `instanceClass is "${args.instanceClass}", not an Aurora global-database class; use db.r5 or newer (db.r6g.large, db.r7g.xlarge) or db.x2g`);
  } else if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(args.instanceClass)) {
    problems.push(`instanceClass is "${args.instanceClass}"; use an RDS instance class such as db.r6g.large`);
  }

  if (!Number.isInteger(args.instanceCount) || args.instanceCount < 0 || args.instanceCount > MAX_INSTANCES_PER_CLUSTER) {
    problems.push(`instanceCount is ${args.instanceCount}; use a whole number from 0 to ${MAX_INSTANCES_PER_CLUSTER}`);
  } else if (args.role === "primary" && args.instanceCount === 0) {
    problems.push("instanceCount is 0 on a primary; the primary needs at least 1 instance (its writer); headless clusters are for secondaries");
  }

  const azs = args.availabilityZones;
  if (azs.length === 0 && args.instanceCount > 0) problems.push("availabilityZones is empty; pass the region's AZs to place instances in");
  if (new Set(azs).size !== azs.length) problems.push(`availabilityZones [${azs.join(", ")}] repeats an AZ; list each AZ once`);
  const regions = new Set(azs.map(regionOfAz));
  if (regions.size > 1) problems.push(`availabilityZones [${azs.join(", ")}] span regions ${[...regions].join(", ")}; pass AZs of the provider's region only`);
  const region = regions.size === 1 ? [...regions][0] : undefined;
  const keyRegion = typeof args.kmsKeyArn === "string" ? ARN_REGION.exec(args.kmsKeyArn)?.[1] : undefined;
  if (region && keyRegion && keyRegion !== region) {
    problems.push(`kmsKeyArn ${args.kmsKeyArn} is a key in ${keyRegion}, but the cluster is in ${region}; pass the key (or multi-region replica key) of ${region}`);
  }

  const idProblems = rdsIdentifierProblems(args.clusterIdentifier);
  if (idProblems.length) {
    problems.push(`clusterIdentifier "${args.clusterIdentifier}" ${idProblems.join("; ")}; use lowercase letters, digits and single hyphens, unique across regions, such as "app-us-east-1"`);
  } else {
    const longest = placeInstances(args.clusterIdentifier, azs.length ? azs : ["x"], Math.max(0, Math.min(args.instanceCount, MAX_INSTANCES_PER_CLUSTER)))
      .map((p) => p.identifier).sort((a, b) => b.length - a.length)[0];
    if (longest && longest.length > MAX_RDS_IDENTIFIER_LENGTH) {
      problems.push(`clusterIdentifier "${args.clusterIdentifier}" makes instance identifier "${longest}" ${longest.length} characters long; shorten the cluster identifier so instance identifiers stay within ${MAX_RDS_IDENTIFIER_LENGTH}`);
    }
  }

  if (args.role !== "primary" && args.role !== "secondary") problems.push(`role is "${args.role}"; use "primary" or "secondary"`);
  if (args.role === "secondary") {
    if (!isGlobal) problems.push("globalClusterIdentifier is missing on a secondary; a secondary exists only as a member of the primary's global database, pass its id");
    const given = (["masterUsername", "masterPassword", "databaseName"] as const).filter((k) => args[k] !== undefined);
    for (const k of given) {
      const shown = k === "masterPassword" ? "(value withheld)" : `"${args[k] as string}"`;
      problems.push(`${k} is set to ${shown} on a secondary; AWS rejects credentials and database names on a global secondary member (it inherits them from the primary), remove it`);
    }
  }
  if (args.globalWriteForwarding) {
    // Any member of a global database may carry it (the primary's takes effect once demoted); a
    // standalone cluster has nothing to forward to.
    if (!isGlobal) problems.push(`globalWriteForwarding is true on a ${args.role} outside a global database; only a member of a global database forwards writes, pass globalClusterIdentifier or remove it`);
    const forwarding = writeForwardingProblem(args.engine, args.engineVersion);
    if (forwarding) problems.push(`globalWriteForwarding is true but ${forwarding}; upgrade engineVersion or turn forwarding off`);
  }
  if (args.role === "primary") {
    if (args.masterUsername === undefined) problems.push("masterUsername is missing on a primary; pass the master user name (such as \"dbadmin\")");
    else if (!/^[a-zA-Z][a-zA-Z0-9_]{0,15}$/.test(args.masterUsername) || ["rdsadmin", "postgres"].includes(args.masterUsername.toLowerCase())) {
      problems.push(`masterUsername is "${args.masterUsername}"; use 1 to 16 letters, digits or underscores starting with a letter, not a reserved name (rdsadmin, postgres), such as "dbadmin"`);
    }
    if (args.masterPassword === undefined) problems.push("masterPassword is missing on a primary; pass a generated password as a secret (managed passwords are unavailable for global clusters)");
    else if (typeof args.masterPassword === "string" && (args.masterPassword.length < 8 || /[/"@\s]/.test(args.masterPassword))) {
      problems.push("masterPassword (value withheld) is shorter than 8 characters or holds /, \", @ or a space; generate one without those characters");
    }
    if (args.databaseName !== undefined && !/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(args.databaseName)) {
      problems.push(`databaseName is "${args.databaseName}"; start with a letter and use only letters, digits and underscores (at most 63)`);
    }
  }

  const retention = args.backupRetentionDays;
  if (retention !== undefined && (!Number.isInteger(retention) || retention < MIN_BACKUP_RETENTION_DAYS || retention > 35)) {
    problems.push(`backupRetentionDays is ${retention}; use a whole number of days from ${MIN_BACKUP_RETENTION_DAYS} to 35`);
  }
  if (args.preferredBackupWindow !== undefined) {
    const minutes = windowMinutes(args.preferredBackupWindow);
    if (minutes === undefined || minutes < MIN_BACKUP_WINDOW_MINUTES) {
      problems.push(`preferredBackupWindow is "${args.preferredBackupWindow}"; use "hh:mm-hh:mm" in UTC spanning at least ${MIN_BACKUP_WINDOW_MINUTES} minutes, such as "${DEFAULT_BACKUP_WINDOW}"`);
    }
  }
  if (problems.length) throw new Error(`DataTier ${args.clusterIdentifier}: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
