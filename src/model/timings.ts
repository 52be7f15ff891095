/**
 * The timings a regional failover is made of, each a named constant with its source, and the pure
 * functions that combine them. The recovery model (./recovery.ts) and the drill simulator read the
 * same figures from here (re-exported by ./recovery.ts), so a simulated failover and the modelled
 * one can only disagree about how the steps overlap, never about how long a step takes.
 *
 * "cited" figures come from AWS documentation or AWS-published material (URL beside each);
 * "assumed" ones are not published anywhere and must be measured in a drill for your AMI and data.
 */

import { newTargetServingSeconds, TargetHealthSettings } from "../../components/compute/targetHealth";
import { SwitchMechanism, SWITCH_PERIOD_SECONDS } from "../../components/dns/regionSwitch";

// --- Detection (Route 53 health checks) -------------------------------------------------------

/** Route 53 HTTP/HTTPS checkers give an endpoint 4 s to accept the TCP connection (then 2 s to answer); a lost region never connects. Cited: TIMING_SOURCES.healthCheckTimeouts. */
export const HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS = 4;
/** Route 53's fast request interval (the other is 30 s; fast costs more per check). Cited: TIMING_SOURCES.healthCheckTiming. */
export const ROUTE53_FAST_INTERVAL_SECONDS = 10;

// --- DNS --------------------------------------------------------------------------------------

/** An alias record has no TTL of its own; Route 53 uses the target's, and ELB's is a fixed 60 s. Cited: TIMING_SOURCES.aliasTtl. */
export const ELB_ALIAS_TTL_SECONDS = 60;

// --- Region switch (what takes a region out of DNS after a failover) ------------------------------

/**
 * CloudWatch-alarm switch: the PutMetricData datum counts on the alarm's next one-minute period
 * (standard resolution: Route 53 reads no other for alarm-based checks; cited by SWITCH_PERIOD_SECONDS),
 * then Route 53's health check picks the alarm's state up. The pickup is not documented: assumed,
 * measure it in a drill (dns drill, --execute).
 */
export const SWITCH_ALARM_PICKUP_SECONDS = 30;
/** ARC routing control: the state change on the cluster until its RECOVERY_CONTROL health check follows; undocumented, assumed. */
export const ARC_SWITCH_SECONDS = 10;

/** Seconds from the switch call until Route 53 treats the region's record by the new state. */
export function regionSwitchSeconds(mechanism: SwitchMechanism): number {
  return mechanism === "cloudwatch-alarm" ? SWITCH_PERIOD_SECONDS + SWITCH_ALARM_PICKUP_SECONDS : ARC_SWITCH_SECONDS;
}

// --- Trigger (what starts the runbook) ----------------------------------------------------------

/**
 * Route 53 publishes HealthCheckStatus to CloudWatch once a minute, so an alarm on it (the
 * platform's HealthCheckAlarm: period 60 s, 1 evaluation period) fires up to one period after
 * Route 53 has marked the region unhealthy. Cited: TIMING_SOURCES.healthCheckMetrics.
 */
export const HEALTH_CHECK_METRIC_PERIOD_SECONDS = 60;

/**
 * A CloudWatch alarm on a high-resolution metric with a 10 s or 30 s period is evaluated every 10 s,
 * so it fires up to one evaluation after its last breaching period. Cited: TIMING_SOURCES.highResolutionAlarms.
 */
export const HIGH_RES_ALARM_EVALUATION_SECONDS = 10;
/**
 * From an ARC Region switch trigger's alarm going red to the plan's first step: AWS publishes no
 * figure (a trigger fires on the alarm's transition; TIMING_SOURCES.regionSwitchTriggers). Assumed:
 * measure it on a game day (GetPlanExecution's startTime against the alarm's state-change time).
 */
export const REGION_SWITCH_TRIGGER_START_SECONDS = 60;

// --- Database (Aurora global database) ----------------------------------------------------------

/**
 * Aurora global database failover (FailoverGlobalCluster with AllowDataLoss): AWS states a
 * secondary region is promoted to full read/write "in less than a minute" (typical, not a bound).
 * Cited: TIMING_SOURCES.globalDatabaseFailover.
 */
export const AURORA_UNPLANNED_FAILOVER_SECONDS = 60;
/** Aurora global database switchover (SwitchoverGlobalCluster): synchronizes secondaries first, then swaps roles; a few minutes. Assumed. */
export const AURORA_SWITCHOVER_SECONDS = 300;
/** Creating an Aurora DB instance in an existing cluster (pilot light's headless secondary); typically about ten minutes. Assumed. */
export const AURORA_INSTANCE_CREATE_SECONDS = 600;
/** Restoring an Aurora cluster from a snapshot copy; grows with data size. Assumed: measure it in a restore drill. */
export const RESTORE_FROM_SNAPSHOT_SECONDS = 3600;
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
/** Deploying the missing tiers (load balancers, groups, cluster) with `pulumi up` for backup-restore. Assumed: measure it. */
export const INFRA_DEPLOY_SECONDS = 900;

// --- Capacity (EC2 Auto Scaling) ----------------------------------------------------------------

/** A fresh EC2 launch: boot and first-boot application setup until the instance answers its health check. Assumed: measure it for your AMI. */
export const INSTANCE_LAUNCH_SECONDS = 120;
/**
 * Starting a pre-initialized, stopped instance from a warm pool: first-boot setup already ran, so
 * only the OS boot and application start remain. AWS: pre-initialized warm-pool instances "can be
 * launched to serve traffic in as low as 30 seconds" (a best case; measure yours).
 * Cited: TIMING_SOURCES.warmPoolStart.
 */
export const WARM_POOL_START_SECONDS = 30;

// --- Data loss ------------------------------------------------------------------------------------

/** Aurora global database replication lag is typically under one second. Cited: TIMING_SOURCES.globalDatabaseLag. */
export const AURORA_TYPICAL_LAG_SECONDS = 1;
/** S3 Replication Time Control replicates 99.99 % of objects within 15 minutes (most within seconds). Cited: TIMING_SOURCES.s3Rtc. */
export const S3_RTC_BOUND_SECONDS = 900;
export const S3_TYPICAL_SECONDS = 15;
/** Secrets Manager replicates a secret's changes to its replicas within seconds; AWS publishes no bound, so a minute is assumed. */
export const SECRET_REPLICA_BOUND_SECONDS = 60;
export const SECRET_TYPICAL_SECONDS = 5;
/** How often backups are copied to the recovery region (backup-restore's data-loss bound); the backup plan decides it. Assumed. */
export const BACKUP_COPY_INTERVAL_SECONDS = 24 * 3600;

/** Where the cited figures are documented; the plan report prints them. */
export const TIMING_SOURCES = {
  healthCheckTiming: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html",
  healthCheckTimeouts: "https://repost.aws/knowledge-center/route-53-fix-unhealthy-health-checks",
  healthCheckMetrics: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html",
  aliasTtl: "https://aws.amazon.com/route53/faqs/",
  globalDatabaseFailover: "https://disaster-recovery.workshop.aws/en/services/databases/aurora/global-database.html",
  globalDatabaseFailoverApi: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverGlobalCluster.html",
  globalDatabaseSwitchover: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverGlobalCluster.html",
  globalDatabaseLag: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html",
  warmPools: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-warm-pools.html",
  warmPoolStart: "https://www.infoq.com/news/2021/05/aws-warm-pools/",
  targetGroupHealth: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html",
  s3Rtc: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html",
  highResolutionAlarms: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html",
  regionSwitchTriggers: "https://docs.aws.amazon.com/r53recovery/latest/dg/working-with-rs-triggers.html",
} as const;

// --- Pure combinations ----------------------------------------------------------------------------

/** Route 53 marks an endpoint unhealthy after `failureThreshold` failed checks `intervalSeconds` apart, the last one waiting out the connect timeout. */
export function detectionSeconds(hc: { readonly intervalSeconds: number; readonly failureThreshold: number }): number {
  return hc.intervalSeconds * hc.failureThreshold + HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS;
}

/** How long one instance takes from the scale-out call to serving: started from a warm pool, or launched fresh. */
export function instanceReadySeconds(fromWarmPool: boolean, launchSeconds = INSTANCE_LAUNCH_SECONDS, warmStartSeconds = WARM_POOL_START_SECONDS): number {
  return fromWarmPool ? warmStartSeconds : launchSeconds;
}

/**
 * Scale-out until the new instances serve: instance ready, then the one target-group check a newly
 * registered target must pass (at most one interval; newTargetServingSeconds in targetHealth.ts).
 */
export function scaleOutSeconds(fromWarmPool: boolean, th: TargetHealthSettings, launchSeconds = INSTANCE_LAUNCH_SECONDS, warmStartSeconds = WARM_POOL_START_SECONDS): number {
  return instanceReadySeconds(fromWarmPool, launchSeconds, warmStartSeconds) + newTargetServingSeconds(th);
}
