/**
 * The recovery-time (RTO) and data-loss (RPO) model of a regional failover, computed from the stack
 * configs and the standby's capacity plan. Pure: `plan` prints it, tests check it term by term.
 *
 * Unplanned failover timeline (the primary region is lost):
 *   detection  Route 53 health checkers stop getting answers; after `failureThreshold` failed checks,
 *              each `intervalSeconds` apart, the last one waiting out its connection timeout, the
 *              primary's failover record turns unhealthy.
 *   then, in parallel, because none waits for another:
 *     DNS       Route 53 answers with the SECONDARY record at once; resolvers keep the cached PRIMARY
 *               answer for up to its TTL.
 *     database  the runbook fails the global database over to the secondary (a headless pilot-light
 *               cluster first needs a DB instance; backup-restore restores a cluster from a backup).
 *     capacity  the runbook raises the standby's desired capacity to the primary's; instances launch
 *               and pass the target group's health checks (backup-restore first deploys the tiers).
 * Unplanned RTO = decision + detection + max(DNS, database, capacity). This assumes the health-check
 * path does not need a writable database; if it does, capacity waits for the database as well.
 * A planned switchover has no detection: switchover + DNS, run in parallel with any scale-out.
 */
import { StackCapacityPlan, stackCapacity } from "../../components/compute/capacity";
import { StackConfig } from "../../stacks/configSchema";
import { DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS, DEFAULT_HEALTHY_THRESHOLD } from "../../components/compute/targetHealth";
import { PITR_GRANULARITY_SECONDS, scheduleIntervalSeconds } from "../../components/data/backupRules";

/** Route 53 HTTP/HTTPS checkers give an endpoint 4 s to accept the TCP connection (then 2 s to answer); a lost region never connects. */
export const HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS = 4;
/** An alias record has no TTL of its own; Route 53 uses the target's, and ELB's is a fixed 60 s. */
export const ELB_ALIAS_TTL_SECONDS = 60;
/** Aurora global database failover (FailoverGlobalCluster with AllowDataLoss): AWS cites about a minute; two allow for its variance. */
export const AURORA_UNPLANNED_FAILOVER_SECONDS = 120;
/** Aurora global database switchover (SwitchoverGlobalCluster): synchronizes secondaries first, then swaps roles; a few minutes. */
export const AURORA_SWITCHOVER_SECONDS = 300;
/** Creating an Aurora DB instance in an existing cluster (pilot light's headless secondary); typically about ten minutes. */
export const AURORA_INSTANCE_CREATE_SECONDS = 600;
/** Restoring an Aurora cluster from a snapshot copy; grows with data size. An assumption, not an AWS figure: measure it in a restore drill. */
export const RESTORE_FROM_SNAPSHOT_SECONDS = 3600;
/** How often backups are copied to the recovery region (backup-restore's data-loss bound); the backup plan decides it. */
export const BACKUP_COPY_INTERVAL_SECONDS = 24 * 3600;
/**
 * backup-restore's restore time from the data size (dr:database.sizeGiB): a fixed part (cluster
 * creation, storage allocation in three AZs, status checks) plus a part per GiB loaded from S3 into
 * the cluster volume. AWS publishes no throughput: it says restores "can take up to a few hours" and
 * grow less than linearly with size (https://repost.aws/knowledge-center/aurora-mysql-slow-snapshot-restore,
 * https://repost.aws/knowledge-center/aurora-mysql-snapshot-restore-options). Both figures are
 * assumptions, linear so they err long for big clusters; 100 GiB gives RESTORE_FROM_SNAPSHOT_SECONDS.
 * Replace them with what the restore drill measures.
 */
export const BACKUP_RESTORE_FIGURES = {
  restoreFixedSeconds: 1800,
  restoreSecondsPerGiB: 18,
} as const;

/** Restore time for a cluster of `sizeGiB` under BACKUP_RESTORE_FIGURES. */
export function restoreSecondsFor(sizeGiB: number): number {
  return BACKUP_RESTORE_FIGURES.restoreFixedSeconds + sizeGiB * BACKUP_RESTORE_FIGURES.restoreSecondsPerGiB;
}
/** Deploying the missing tiers (load balancers, groups, cluster) with `pulumi up` for backup-restore. An assumption: measure it. */
export const INFRA_DEPLOY_SECONDS = 900;
/** EC2 launch, boot and application start until the instance answers its health check. An assumption: measure it for your AMI. */
export const INSTANCE_LAUNCH_SECONDS = 120;
/** The target-group check the service tier builds: consecutive passes, this far apart, before a new instance gets traffic. */
export const TARGET_GROUP_HEALTHY_THRESHOLD = DEFAULT_HEALTHY_THRESHOLD;
export const TARGET_GROUP_INTERVAL_SECONDS = DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS;
/** Aurora global database replication lag is typically under one second. */
export const AURORA_TYPICAL_LAG_SECONDS = 1;
/** S3 Replication Time Control replicates 99.99 % of objects within 15 minutes (most within seconds). */
export const S3_RTC_BOUND_SECONDS = 900;
export const S3_TYPICAL_SECONDS = 15;
/** Secrets Manager replicates a secret's changes to its replicas within seconds; AWS publishes no bound, so allow a minute. */
export const SECRET_REPLICA_BOUND_SECONDS = 60;
export const SECRET_TYPICAL_SECONDS = 5;

/** Where the AWS figures above are documented; `formatRecovery` prints them. */
export const RECOVERY_REFERENCES: Readonly<Record<string, string>> = {
  "health-check timing": "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html",
  "health-check timeouts (4 s connect, 2 s response)": "https://repost.aws/knowledge-center/route-53-fix-unhealthy-health-checks",
  "alias records to ELB have a fixed 60 s TTL": "https://aws.amazon.com/route53/faqs/",
  "global database failover": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverGlobalCluster.html",
  "global database switchover": "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverGlobalCluster.html",
  "global database lag (typically < 1 s)": "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html",
  "S3 Replication Time Control (99.99 % in 15 min)": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html",
  "continuous backup: 1 s point-in-time restore, 35 days": "https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html",
  "cross-region copies of continuous backups are snapshots on the rule's schedule": "https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery-copying.html",
};

/** Figures that depend on the AMI, the target group and the runbook, rather than on the stack config. */
export interface RecoveryAssumptions {
  /** How the failover records point at the load balancers; the platform uses alias records. */
  readonly dnsRecord: "alias" | "non-alias";
  /** Time from the alarm to starting the runbook; 0 when automation starts it. */
  readonly decisionSeconds: number;
  readonly instanceLaunchSeconds: number;
  readonly targetGroupHealthyThreshold: number;
  readonly targetGroupIntervalSeconds: number;
  readonly restoreFromSnapshotSeconds: number;
  readonly infraDeploySeconds: number;
  readonly backupCopyIntervalSeconds: number;
}

export const DEFAULT_ASSUMPTIONS: RecoveryAssumptions = {
  dnsRecord: "alias",
  decisionSeconds: 0,
  instanceLaunchSeconds: INSTANCE_LAUNCH_SECONDS,
  targetGroupHealthyThreshold: TARGET_GROUP_HEALTHY_THRESHOLD,
  targetGroupIntervalSeconds: TARGET_GROUP_INTERVAL_SECONDS,
  restoreFromSnapshotSeconds: RESTORE_FROM_SNAPSHOT_SECONDS,
  infraDeploySeconds: INFRA_DEPLOY_SECONDS,
  backupCopyIntervalSeconds: BACKUP_COPY_INTERVAL_SECONDS,
};

export interface RecoveryTerm {
  readonly name: string;
  readonly seconds: number;
  /** Where the figure comes from: the config values and the AWS behaviour behind it. */
  readonly source: string;
  readonly note: string;
}

export interface DataLossTerm {
  readonly store: string;
  /** The bound that can be promised (what the target is compared with). */
  readonly seconds: number;
  readonly typicalSeconds: number;
  readonly source: string;
  readonly note: string;
}

export interface Verdict {
  readonly seconds: number;
  readonly targetSeconds: number;
  readonly pass: boolean;
  /** The term (or store) that contributes most. */
  readonly dominant: string;
}

export interface RecoveryEstimate {
  readonly strategy: StackConfig["strategy"];
  readonly terms: {
    readonly decision: RecoveryTerm;
    readonly detection: RecoveryTerm;
    readonly dns: RecoveryTerm;
    readonly databaseSwitchover: RecoveryTerm;
    readonly databaseFailover: RecoveryTerm;
    readonly capacity: RecoveryTerm;
  };
  /** The terms summed into the unplanned RTO, in timeline order. */
  readonly criticalPath: readonly RecoveryTerm[];
  readonly rto: Verdict;
  /** Planned switchover: no detection; switchover (after creating a writer when headless; a restore for backup-restore) and DNS run in parallel with scale-out. */
  readonly plannedSwitchoverSeconds: number;
  readonly dataLoss: readonly DataLossTerm[];
  readonly rpo: Verdict;
  readonly warnings: readonly string[];
}

export interface RecoveryInput {
  readonly primary: StackConfig;
  readonly secondary: StackConfig;
  /** The secondary's capacity plan; computed from `secondary` when absent. */
  readonly standby?: StackCapacityPlan;
  readonly assumptions?: Partial<RecoveryAssumptions>;
}

export function estimateRecovery(input: RecoveryInput): RecoveryEstimate {
  const { primary, secondary } = input;
  const a: RecoveryAssumptions = { ...DEFAULT_ASSUMPTIONS, ...fromBackupConfig(primary), ...input.assumptions };
  const standby = input.standby ?? stackCapacity(secondary);
  const strategy = secondary.strategy;
  const warnings: string[] = [];

  const hc = primary.healthCheck;
  const detection = term("detection", hc.intervalSeconds * hc.failureThreshold + HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS,
    `Route 53 health check: interval ${hc.intervalSeconds} s x threshold ${hc.failureThreshold} + checker timeout ${HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS} s`,
    hc.intervalSeconds === 30
      ? `checkers must fail to connect on ${hc.failureThreshold} consecutive checks; a 10 s interval (extra cost) cuts this to ${10 * hc.failureThreshold + HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS} s`
      : `checkers must fail to connect on ${hc.failureThreshold} consecutive checks; a lower threshold detects sooner but fails over on brief blips`);
  const decision = term("decision", a.decisionSeconds,
    a.decisionSeconds ? `assumed operator reaction: ${a.decisionSeconds} s` : "automation starts the runbook on the health-check alarm",
    "Aurora does not fail a global database over by itself: someone or something must start the runbook");
  const dns = a.dnsRecord === "alias"
    ? term("dns", ELB_ALIAS_TTL_SECONDS, `alias failover record to the ALB: no TTL of its own, ELB's fixed ${ELB_ALIAS_TTL_SECONDS} s TTL applies`,
      "Route 53 switches the answer as soon as the health check fails; resolvers may serve the cached primary answer for up to this long")
    : term("dns", primary.dnsTtl, `non-alias failover record: dr:dnsTtl ${primary.dnsTtl} s`,
      "resolvers may serve the cached primary answer for up to the record's TTL; clients that ignore TTLs are outside this model");

  const switchover = term("database switchover (planned)", AURORA_SWITCHOVER_SECONDS,
    `switchover-global-cluster (SwitchoverGlobalCluster): a few minutes, ${minutes(AURORA_SWITCHOVER_SECONDS)} assumed (secondaries are synchronized first)`,
    "no data loss; needs a healthy primary region, so it serves drills and region rotation, not outages");
  const databaseFailover = failoverTerm(standby, a);
  const capacity = capacityTerm(primary, standby, a, warnings);

  const parallel = [dns, databaseFailover, capacity];
  const slowest = parallel.reduce((x, y) => (y.seconds > x.seconds ? y : x));
  const criticalPath = [decision, detection, slowest].filter((t) => t.seconds > 0 || t === slowest);
  const rtoSeconds = criticalPath.reduce((sum, t) => sum + t.seconds, 0);
  const objectives = primary.objectives;
  const rto = verdict(rtoSeconds, objectives.rtoSeconds, criticalPath.reduce((x, y) => (y.seconds > x.seconds ? y : x)).name);
  const plannedDatabase = !standby.database.builds ? databaseFailover.seconds
    : standby.database.headless ? AURORA_INSTANCE_CREATE_SECONDS + switchover.seconds : switchover.seconds;
  const plannedSwitchoverSeconds = Math.max(plannedDatabase, dns.seconds, capacity.seconds);

  const dataLoss = dataLossTerms(primary, strategy, objectives.rpoSeconds, a);
  const worst = dataLoss.reduce((x, y) => (y.seconds > x.seconds ? y : x));
  const rpo = verdict(worst.seconds, objectives.rpoSeconds, worst.store);
  if (!rto.pass) warnings.push(`RTO ${rto.seconds} s exceeds the ${rto.targetSeconds} s target; ${rto.dominant} dominates`);
  if (!rpo.pass) warnings.push(`RPO bound ${rpo.seconds} s (${rpo.dominant}) exceeds the ${rpo.targetSeconds} s target`);
  return {
    strategy,
    terms: { decision, detection, dns, databaseSwitchover: switchover, databaseFailover, capacity },
    criticalPath, rto, plannedSwitchoverSeconds, dataLoss, rpo, warnings,
  };
}

/** What the primary's backup config and data size decide: the copy interval (dr:backup.schedule) and the restore time (dr:database.sizeGiB). */
function fromBackupConfig(primary: StackConfig): Partial<RecoveryAssumptions> {
  const interval = scheduleIntervalSeconds(primary.backup.schedule);
  return { restoreFromSnapshotSeconds: restoreSecondsFor(primary.database.sizeGiB), ...(interval === undefined ? {} : { backupCopyIntervalSeconds: interval }) };
}

function failoverTerm(standby: StackCapacityPlan, a: RecoveryAssumptions): RecoveryTerm {
  const failover = `failover-global-cluster --allow-data-loss: AWS cites about a minute, ${minutes(AURORA_UNPLANNED_FAILOVER_SECONDS)} allowed`;
  const lossNote = "loses writes not yet replicated (see RPO); the old primary rejoins as a secondary only after it recovers";
  if (!standby.database.builds)
    return term("database restore (unplanned)", a.restoreFromSnapshotSeconds + AURORA_INSTANCE_CREATE_SECONDS,
      `restore from the latest backup copy (assumed ${minutes(a.restoreFromSnapshotSeconds)}: ${BACKUP_RESTORE_FIGURES.restoreFixedSeconds} s + ${BACKUP_RESTORE_FIGURES.restoreSecondsPerGiB} s/GiB of dr:database.sizeGiB) + DB instance creation (${minutes(AURORA_INSTANCE_CREATE_SECONDS)})`,
      "backup-restore has no standing database; measure the restore in a drill, it grows with data size");
  if (standby.database.headless || standby.database.instances === 0)
    return term("database failover (unplanned)", AURORA_INSTANCE_CREATE_SECONDS + AURORA_UNPLANNED_FAILOVER_SECONDS,
      `headless secondary: DB instance creation (${minutes(AURORA_INSTANCE_CREATE_SECONDS)}) + ${failover}`,
      `pilot light must create the writer instance before promotion; ${lossNote}`);
  return term("database failover (unplanned)", AURORA_UNPLANNED_FAILOVER_SECONDS, failover, lossNote);
}

function capacityTerm(primary: StackConfig, standby: StackCapacityPlan, a: RecoveryAssumptions, warnings: string[]): RecoveryTerm {
  const short: string[] = [];
  for (const tier of ["web", "app"] as const) {
    const want = primary.capacity[tier].desired;
    const plan = standby[tier];
    if (plan.max < want) warnings.push(`secondary ${tier} tier max ${plan.max} is below the primary's desired ${want}: after failover it cannot carry the full load; raise dr:capacity.${tier}.max`);
    if (!plan.builds || plan.desired < want) short.push(`${tier} ${plan.builds ? plan.desired : "not built"} -> ${Math.min(want, plan.max)}`);
  }
  if (short.length === 0)
    return term("capacity", 0, "standby already runs the primary's desired capacity", "nothing to scale out");
  const health = a.targetGroupHealthyThreshold * a.targetGroupIntervalSeconds;
  const scaleOut = a.instanceLaunchSeconds + health;
  const deploy = standby.web.builds && standby.app.builds ? 0 : a.infraDeploySeconds;
  const parts = [
    ...(deploy ? [`deploy the tiers (assumed ${minutes(deploy)})`] : []),
    `instance launch ${a.instanceLaunchSeconds} s`,
    `target group healthy threshold ${a.targetGroupHealthyThreshold} x interval ${a.targetGroupIntervalSeconds} s`,
  ];
  return term("capacity", deploy + scaleOut, `scale out (${short.join(", ")}): ${parts.join(" + ")}`,
    "the runbook sets desired capacity directly (target tracking alone adds minutes of alarm evaluation); the group's health-check grace period is not on this path, it only delays replacing instances");
}

function dataLossTerms(primary: StackConfig, strategy: StackConfig["strategy"], rpoTarget: number, a: RecoveryAssumptions): DataLossTerm[] {
  const aurora: DataLossTerm = strategy === "backup-restore"
    ? { store: "Aurora", seconds: a.backupCopyIntervalSeconds, typicalSeconds: a.backupCopyIntervalSeconds / 2,
      source: `backup copies to the recovery region every ${hours(a.backupCopyIntervalSeconds)} (dr:backup.schedule)`,
      note: `everything written since the last copied backup is lost, plus the copy's own duration; continuous backup restores to any ${PITR_GRANULARITY_SECONDS} s point only in the primary region, since cross-region copies are snapshots` }
    : { store: "Aurora", seconds: rpoTarget, typicalSeconds: AURORA_TYPICAL_LAG_SECONDS,
      source: `global database replication lag, bounded by the replication-lag alarm at the ${rpoTarget} s RPO target`,
      note: primary.database.engine === "aurora-postgresql"
        ? "the alarm tells you when the bound is at risk; Aurora PostgreSQL can also enforce it (rds.global_db_rpo) by pausing commits"
        : "the alarm tells you when the bound is at risk; nothing stops writes while lag exceeds it" };
  return [
    aurora,
    { store: "S3", seconds: S3_RTC_BOUND_SECONDS, typicalSeconds: S3_TYPICAL_SECONDS,
      source: `S3 Replication Time Control: 99.99 % of objects within ${S3_RTC_BOUND_SECONDS / 60} min`,
      note: "most objects replicate in seconds; the bound is what can be promised, and 0.01 % may take longer" },
    { store: "secrets", seconds: SECRET_REPLICA_BOUND_SECONDS, typicalSeconds: SECRET_TYPICAL_SECONDS,
      source: "Secrets Manager replica: changes replicate within seconds; no published bound, one minute assumed",
      note: "rotation writes only in the primary region; promote the replica with StopReplicationToReplica" },
  ];
}

function term(name: string, seconds: number, source: string, note: string): RecoveryTerm {
  return { name, seconds, source, note };
}

function verdict(seconds: number, targetSeconds: number, dominant: string): Verdict {
  return { seconds, targetSeconds, pass: seconds <= targetSeconds, dominant };
}

function minutes(s: number): string {
  return s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}

function hours(s: number): string {
  return s % 3600 === 0 ? `${s / 3600} h` : minutes(s);
}

/** A readable table of the estimate, for the plan report and the terminal. */
export function formatRecovery(e: RecoveryEstimate): string {
  const t = e.terms;
  const rows: [string, string, string][] = [
    ["term", "seconds", "source"],
    ...[t.decision, t.detection, t.dns, t.databaseFailover, t.capacity, t.databaseSwitchover].map((x): [string, string, string] => [x.name, String(x.seconds), x.source]),
  ];
  const out = [`Recovery model (${e.strategy}, loss of the primary region)`, ...table(rows)];
  out.push(`  unplanned RTO = ${e.criticalPath.map((x) => `${x.name} ${x.seconds}`).join(" + ")} = ${e.rto.seconds} s` +
    ` (DNS, database and capacity run in parallel; the slowest counts)`);
  out.push(`  RTO ${e.rto.seconds} s vs target ${e.rto.targetSeconds} s: ${e.rto.pass ? "PASS" : "FAIL"}; dominant term: ${e.rto.dominant}`);
  out.push(`  planned switchover: ${e.plannedSwitchoverSeconds} s, no data loss`, "");
  const lossRows: [string, string, string][] = [
    ["store", "bound s", "source"],
    ...e.dataLoss.map((d): [string, string, string] => [d.store, String(d.seconds), `${d.source} (typical ${d.typicalSeconds} s)`]),
  ];
  out.push("Data-loss window (RPO)", ...table(lossRows));
  out.push(`  RPO ${e.rpo.seconds} s vs target ${e.rpo.targetSeconds} s: ${e.rpo.pass ? "PASS" : "FAIL"}; dominant store: ${e.rpo.dominant}`, "");
  out.push("Notes:", ...[t.detection, t.dns, t.databaseFailover, t.capacity, t.decision].map((x) => `  - ${x.name}: ${x.note}`));
  out.push(...e.dataLoss.map((d) => `  - ${d.store}: ${d.note}`));
  out.push("References:", ...Object.entries(RECOVERY_REFERENCES).map(([what, url]) => `  - ${what}: ${url}`));
  if (e.warnings.length) out.push("Warnings:", ...e.warnings.map((w) => `  ! ${w}`));
  return out.join("\n");
}

function table(rows: readonly [string, string, string][]): string[] {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return rows.map((r) => `  ${r[0].padEnd(w0)}  ${r[1].padStart(w1)}  ${r[2]}`);
}
