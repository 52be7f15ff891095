/**
 * What the recovery model assumes beyond the stack config (the runbook's trigger, per-step
 * figures) and how each DR strategy recovers its database and what it can lose: one row per
 * strategy in STRATEGY_DATABASE, so a strategy's terms change here and nowhere else (issue 11
 * changes backup-restore's). Pure; recovery.ts re-exports everything.
 */
import type { DataStore, StackConfig } from "../../stacks/configSchema";
import {
  AURORA_INSTANCE_CREATE_SECONDS, AURORA_SWITCHOVER_SECONDS, AURORA_TYPICAL_LAG_SECONDS, AURORA_UNPLANNED_FAILOVER_SECONDS,
  BACKUP_COPY_INTERVAL_SECONDS, HEALTH_CHECK_METRIC_PERIOD_SECONDS, INFRA_DEPLOY_SECONDS, INSTANCE_LAUNCH_SECONDS,
  BACKUP_RESTORE_FIGURES, RESTORE_FROM_SNAPSHOT_SECONDS, restoreSecondsFor, WARM_POOL_START_SECONDS,
} from "./timings";
import { PITR_GRANULARITY_SECONDS, scheduleIntervalSeconds } from "../../components/data/backupRules";

/**
 * What starts the runbook once Route 53 has marked the primary unhealthy.
 * - automation: recovery automation that watches the same health condition from the recovery
 *   region starts at detection (the drill engine; not yet deployed as in-cloud automation);
 * - health-check-alarm: the platform's HealthCheckAlarm on Route 53's HealthCheckStatus, a
 *   one-minute metric (AWS warns the SNS notice can take several minutes; one period is the floor).
 */
export type RunbookTrigger = "automation" | "health-check-alarm";
export const TRIGGER_SECONDS: Readonly<Record<RunbookTrigger, number>> = {
  automation: 0,
  "health-check-alarm": HEALTH_CHECK_METRIC_PERIOD_SECONDS,
};

/** Figures that depend on the AMI, the runbook and the data, rather than on the stack config. */
export interface RecoveryAssumptions {
  /** How the failover records point at the load balancers; the platform uses alias records. */
  readonly dnsRecord: "alias" | "non-alias";
  /** What starts the runbook after detection. */
  readonly trigger: RunbookTrigger;
  /** Operator time on top of the trigger (0 when automation runs the runbook). */
  readonly decisionSeconds: number;
  readonly instanceLaunchSeconds: number;
  readonly warmPoolStartSeconds: number;
  readonly databaseFailoverSeconds: number;
  readonly restoreFromSnapshotSeconds: number;
  readonly infraDeploySeconds: number;
  readonly backupCopyIntervalSeconds: number;
}

export const DEFAULT_ASSUMPTIONS: RecoveryAssumptions = {
  dnsRecord: "alias",
  trigger: "automation",
  decisionSeconds: 0,
  instanceLaunchSeconds: INSTANCE_LAUNCH_SECONDS,
  warmPoolStartSeconds: WARM_POOL_START_SECONDS,
  databaseFailoverSeconds: AURORA_UNPLANNED_FAILOVER_SECONDS,
  restoreFromSnapshotSeconds: RESTORE_FROM_SNAPSHOT_SECONDS,
  infraDeploySeconds: INFRA_DEPLOY_SECONDS,
  backupCopyIntervalSeconds: BACKUP_COPY_INTERVAL_SECONDS,
};

/**
 * The assumptions for failing `primary` over: the defaults, then what its config decides (the backup
 * copy interval from dr:backup.schedule, the restore time from dr:database.sizeGiB), then `given`.
 */
export function resolveAssumptions(primary: StackConfig, given: Partial<RecoveryAssumptions> = {}): RecoveryAssumptions {
  const interval = scheduleIntervalSeconds(primary.backup.schedule);
  return {
    ...DEFAULT_ASSUMPTIONS,
    restoreFromSnapshotSeconds: restoreSecondsFor(primary.database.sizeGiB),
    ...(interval === undefined ? {} : { backupCopyIntervalSeconds: interval }),
    ...given,
  };
}

export interface RecoveryTerm {
  readonly name: string;
  readonly seconds: number;
  /** Where the figure comes from: the config values and the AWS behaviour behind it. */
  readonly source: string;
  readonly note: string;
}

export interface DataLossTerm {
  readonly store: DataStore;
  /** How the report names the store's replication ("Aurora", "S3", "secrets"). */
  readonly label: string;
  /** The bound that can be promised (what the store's target is compared with). */
  readonly seconds: number;
  readonly typicalSeconds: number;
  readonly source: string;
  readonly note: string;
}

/** How one strategy recovers its database and what it can lose. */
export interface StrategyDatabase {
  /** The unplanned database term. */
  readonly failover: (a: RecoveryAssumptions) => RecoveryTerm;
  /** Seconds of the database part of a planned switchover. */
  readonly plannedSeconds: (a: RecoveryAssumptions) => number;
  /** What the database can promise to lose. */
  readonly loss: (primary: StackConfig, a: RecoveryAssumptions) => DataLossTerm;
}

const FAILOVER_LOSS_NOTE = "loses writes not yet replicated (see RPO); the old primary rejoins as a secondary only after it recovers";
const failoverSource = (a: RecoveryAssumptions) =>
  `failover-global-cluster --allow-data-loss: AWS states a secondary is promoted "in less than a minute"; ${a.databaseFailoverSeconds} s modelled`;
const globalLoss = (primary: StackConfig): DataLossTerm => ({
  store: "database", label: "Aurora", seconds: AURORA_TYPICAL_LAG_SECONDS, typicalSeconds: AURORA_TYPICAL_LAG_SECONDS,
  source: `global database replication lag, typically under ${AURORA_TYPICAL_LAG_SECONDS} s; the replication-lag alarm fires above the database RPO target`,
  note: primary.database.engine === "aurora-postgresql"
    ? "the alarm tells you when the bound is at risk; Aurora PostgreSQL can also enforce it (rds.global_db_rpo) by pausing commits"
    : "the alarm tells you when the bound is at risk; nothing stops writes while lag exceeds it",
});

export const STRATEGY_DATABASE: Readonly<Record<StackConfig["strategy"], StrategyDatabase>> = {
  "active-active": {
    failover: (a) => term("database failover (unplanned)", a.databaseFailoverSeconds, failoverSource(a), FAILOVER_LOSS_NOTE),
    plannedSeconds: () => AURORA_SWITCHOVER_SECONDS,
    loss: globalLoss,
  },
  "warm-standby": {
    failover: (a) => term("database failover (unplanned)", a.databaseFailoverSeconds, failoverSource(a), FAILOVER_LOSS_NOTE),
    plannedSeconds: () => AURORA_SWITCHOVER_SECONDS,
    loss: globalLoss,
  },
  "pilot-light": {
    failover: (a) => term("database failover (unplanned)", AURORA_INSTANCE_CREATE_SECONDS + a.databaseFailoverSeconds,
      `headless secondary: DB instance creation (${minutes(AURORA_INSTANCE_CREATE_SECONDS)}) + ${failoverSource(a)}`,
      `pilot light must create the writer instance before promotion; ${FAILOVER_LOSS_NOTE}`),
    plannedSeconds: () => AURORA_INSTANCE_CREATE_SECONDS + AURORA_SWITCHOVER_SECONDS,
    loss: globalLoss,
  },
  "backup-restore": {
    failover: (a) => term("database restore (unplanned)", a.restoreFromSnapshotSeconds + AURORA_INSTANCE_CREATE_SECONDS,
      `restore from the latest backup copy (assumed ${minutes(a.restoreFromSnapshotSeconds)}: ${BACKUP_RESTORE_FIGURES.restoreFixedSeconds} s + ${BACKUP_RESTORE_FIGURES.restoreSecondsPerGiB} s/GiB of dr:database.sizeGiB) + DB instance creation (${minutes(AURORA_INSTANCE_CREATE_SECONDS)})`,
      "backup-restore has no standing database; measure the restore in a drill, it grows with data size"),
    plannedSeconds: (a) => a.restoreFromSnapshotSeconds + AURORA_INSTANCE_CREATE_SECONDS,
    loss: (_primary, a) => ({
      store: "database", label: "Aurora", seconds: a.backupCopyIntervalSeconds, typicalSeconds: a.backupCopyIntervalSeconds / 2,
      source: `backup copies to the recovery region every ${hours(a.backupCopyIntervalSeconds)} (dr:backup.schedule)`,
      note: `everything written since the last copied backup is lost, plus the copy's own duration; continuous backup restores to any ${PITR_GRANULARITY_SECONDS} s point only in the primary region, since cross-region copies are snapshots`,
    }),
  },
};

export function term(name: string, seconds: number, source: string, note: string): RecoveryTerm {
  return { name, seconds, source, note };
}

export function minutes(s: number): string {
  return s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}

export function hours(s: number): string {
  return s % 3600 === 0 ? `${s / 3600} h` : minutes(s);
}

