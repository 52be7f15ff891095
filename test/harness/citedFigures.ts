/**
 * The published (or stated) figures tests derive expected RTOs from, written here with their sources
 * and NOT imported from src/model: a test that took the model's own constants could not catch the
 * model drifting from what AWS says.
 */

/** Route 53 HTTPS checkers wait 4 s for a connection (https://repost.aws/knowledge-center/route-53-fix-unhealthy-health-checks). */
export const CONNECT_TIMEOUT = 4;
/** An alias record to an ALB takes ELB's fixed 60 s TTL (https://aws.amazon.com/route53/faqs/). */
export const ALIAS_TTL = 60;
/** Aurora global database: a secondary is promoted "in less than a minute" (https://disaster-recovery.workshop.aws/en/services/databases/aurora/global-database.html). */
export const AURORA_FAILOVER = 60;
/** SwitchoverGlobalCluster takes "a few minutes": 300 s assumed (no AWS figure). */
export const AURORA_SWITCHOVER = 300;
/** A new Aurora DB instance, about 10 minutes: an assumption. */
export const DB_INSTANCE_CREATE = 600;
/** Warm-pool instances "can be launched to serve traffic in as low as 30 seconds" (https://www.infoq.com/news/2021/05/aws-warm-pools/). */
export const WARM_POOL_START = 30;
/** A fresh launch until the instance answers: 120 s assumed (no AWS figure; measure per AMI). */
export const FRESH_LAUNCH = 120;
/** Aurora global database lag is typically under 1 s (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html). */
export const TYPICAL_LAG = 1;
/** Route 53 publishes HealthCheckStatus once a minute, so a page on it waits one period (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html). */
export const HEALTH_CHECK_METRIC_PERIOD = 60;
/** Alarms with a 10 s or 30 s period "are evaluated every 10 seconds" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html). */
export const HIGH_RES_ALARM_EVALUATION = 10;
/** From a Region switch trigger's alarm going red to the plan starting: no AWS figure; 60 s assumed. */
export const REGION_SWITCH_TRIGGER_START = 60;
/**
 * The CloudWatch region switch's alarm counts a datum on its next one-minute period: Route 53 reads
 * only standard-resolution metrics for alarm-based checks (https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html),
 * and standard resolution is 60 s (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html).
 */
export const SWITCH_ALARM_PERIOD = 60;
/** Route 53's check following the alarm's state: undocumented, 30 s assumed (measure it with the dns drill). */
export const SWITCH_PICKUP = 30;
/** S3 Replication Time Control replicates 99.99 % of objects within 15 minutes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html); the canary's wait. */
export const S3_RTC_BOUND = 900;
