import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arnRegionProblem, failOnRegionMismatch } from "./healthCheckAlarm";
import { DashboardPanel, RunbookAnchor } from "./alarmCatalogue";
import { cataloguedAlarm, Entry } from "./catalogueEntry";
import { requireAwsProvider } from "../providers";
import { REGION_NAME as REGION } from "../regions";
import { AuroraEngine } from "../data/dataPlacement";
import { EngineVersionFloors, meetsVersionFloor } from "../data/engineVersion";

/**
 * S3 Replication Time Control replicates 99.99% of objects within 15 minutes; a latency above
 * that is an RTC miss, not a slow moment.
 */
export const S3_RTC_BOUND_SECONDS = 900;
/** Aurora lag metrics are published per minute; three minutes over target rides out one large transaction's spike. */
const AURORA_PERIOD_SECONDS = 60;
const AURORA_EVALUATION_PERIODS = 3;
/** S3 replication metrics are per minute and best effort; five minutes keeps one late datapoint from paging. */
const S3_LATENCY_PERIOD_SECONDS = 60;
const S3_LATENCY_EVALUATION_PERIODS = 5;
/** Any failed replication operation is data the other region will not have; alarm on the first minute. */
const S3_FAILED_PERIOD_SECONDS = 60;
const S3_FAILED_EVALUATION_PERIODS = 1;

/**
 * Which engine versions publish AuroraGlobalDBRPOLag: "For all Aurora PostgreSQL-based global
 * databases and for Aurora MySQL-based global databases starting with engine versions 3.04.0 and
 * higher or 2.12.0 and higher, use Amazon CloudWatch to view the AuroraGlobalDBRPOLag metric ...
 * For lower minor versions of Aurora MySQL-based global databases, view the
 * AuroraGlobalDBReplicationLag metric instead."
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html
 */
const RPO_LAG_FLOORS: EngineVersionFloors = { "aurora-postgresql": [], "aurora-mysql": [[2, 12, 0], [3, 4, 0]] };

/** Whether the engine version publishes AuroraGlobalDBRPOLag; undefined when the version cannot be read. */
export function publishesRpoLag(engine: AuroraEngine, engineVersion: string): boolean | undefined {
  return meetsVersionFloor(engine, engineVersion, RPO_LAG_FLOORS);
}

export interface AuroraReplicationAlarmArgs {
  /**
   * Identifier of a member cluster of the global database, in this component's region. Aurora
   * publishes the lag metrics only while the member is a secondary; give every member with
   * instances its own alarms, so whichever member a switchover demotes is watched. Required.
   */
  readonly clusterIdentifier: pulumi.Input<string>;
  /** Engine of the global database. Required. */
  readonly engine: AuroraEngine;
  /** Engine version of the global database; AuroraGlobalDBRPOLag is alarmed on only where this version publishes it. Required. */
  readonly engineVersion: string;
  /** The RPO target in seconds; lag above it means a failover now would lose more than promised. Required. */
  readonly rpoTargetSeconds: number;
  /**
   * DB instances of the member cluster; must be at least 1. AWS documents the lag metrics for
   * secondary clusters but nowhere that a headless member (no instances, pilot light) publishes
   * them (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attach.console.headless.html,
   * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-monitoring.html):
   * with missing data breaching, an alarm on a headless member would sit in ALARM by design.
   * Required.
   */
  readonly instances: number;
  /**
   * The member was demoted by a failover and is being rebuilt as a secondary (its stack is the
   * primary, dr:activeRegion names another region). Its lag is large by design until the rebuild
   * ends, so its lag alarms keep evaluating (dashboard, console) but notify nobody; failback sets
   * dr:activeRegion back and the next deploy turns notifications on again. Default false.
   */
  readonly rebuilding?: boolean;
}

export interface S3ReplicationRuleAlarmArgs {
  /** Name of the bucket the replication rule belongs to. Required. */
  readonly sourceBucketName: pulumi.Input<string>;
  /** Name of the bucket the rule replicates into. Required. */
  readonly destinationBucketName: pulumi.Input<string>;
  /** Id of the replication rule (metrics are per rule). Required. */
  readonly ruleId: string;
  /** Region of the source bucket. Required. */
  readonly sourceRegion: string;
  /** Region of the destination bucket. Required. */
  readonly destinationRegion: string;
}

export interface ReplicationAlarmsArgs {
  /** Region of the provider passed in opts, the alarms and the topic. Required. */
  readonly region: string;
  /** SNS topic in `region` that every alarm notifies on ALARM and on OK. Required. */
  readonly alarmTopicArn: pulumi.Input<string>;
  /** Aurora global-database lag alarms on the member cluster in this region. Default: none. */
  readonly aurora?: AuroraReplicationAlarmArgs;
  /**
   * S3 replication rules that touch this region. Each rule's metrics are split across regions
   * (S3 User Guide, "Using S3 Replication metrics"): ReplicationLatency is published in the
   * destination bucket's region, OperationsFailedReplication in the source bucket's region. So
   * this component alarms on a rule's latency when `region` is its destination and on its
   * failures when `region` is its source. Default: none.
   */
  readonly s3?: readonly S3ReplicationRuleAlarmArgs[];
}

type AlarmSpec = Pick<aws.cloudwatch.MetricAlarmArgs,
  "alarmDescription" | "namespace" | "metricName" | "dimensions" | "statistic" | "period" | "evaluationPeriods" | "datapointsToAlarm" | "comparisonOperator" | "threshold" | "treatMissingData" | "unit">;

/**
 * Alarms on the cross-region replication links that land in one region: Aurora global-database
 * lag against the RPO target, S3 replication latency against the RTC bound, and failed S3
 * replication operations. Every alarm notifies the region's SNS topic on ALARM and on OK.
 */
export class ReplicationAlarms extends pulumi.ComponentResource {
  readonly alarmNames: pulumi.Output<string[]>;
  /** Every alarm, for the region's dashboard and the plan report. */
  readonly catalogue: Entry[] = [];

  constructor(name: string, args: ReplicationAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    validateReplicationAlarmsArgs(args);
    super("dr:observability:ReplicationAlarms", name, {}, opts);
    const provider = requireAwsProvider(this, `ReplicationAlarms ${name}`);
    // An alarm can only notify a topic in its own region; the provider's region and an ARN known
    // only at deploy time are checked once known.
    failOnRegionMismatch(provider, args.region, `ReplicationAlarms ${name}`, [{ input: "alarmTopicArn", arn: args.alarmTopicArn, service: "sns" }]);
    const actions = [args.alarmTopicArn];
    const rules = args.s3 ?? [];
    // RPO targets are per data store (dr:objectives.rpoSeconds); the recovery model checks the
    // objects' target against RTC's bound, so the database's target is no longer compared with it here.

    const alarms: aws.cloudwatch.MetricAlarm[] = [];
    const alarm = (key: string, panel: DashboardPanel, runbook: RunbookAnchor, spec: AlarmSpec, actionsEnabled = true) =>
      alarms.push(cataloguedAlarm(`${name}-${key}`, { panel, runbook, region: args.region, topics: actions, actionsEnabled }, spec, this.catalogue, this));

    if (args.aurora) {
      const thresholdMs = args.aurora.rpoTargetSeconds * 1000;
      // DBClusterIdentifier is Aurora's cluster dimension (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/dimensions.html).
      // CloudWatch matches an alarm's dimension set exactly; the console groups the lag metrics under
      // (DBClusterIdentifier, SourceRegion) too, but AWS's own Aurora labs read them under
      // DBClusterIdentifier alone in the secondary region, the set used here
      // (https://github.com/aws-samples/amazon-aurora-labs-for-mysql/blob/master/docs/global/monitor/index.md).
      const dimensions = { DBClusterIdentifier: args.aurora.clusterIdentifier };
      // Both metrics are in milliseconds and published only by a member while it is a secondary:
      // "Some CloudWatch metrics, such as replication lag, are only available for secondary
      // Regions. Thus, a switchover changes how to view those metrics and set alarms on them"
      // (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html).
      // So every member with instances carries these alarms in its own region (the primary stack
      // too), and silence is judged as missing, not breaching: the member that is primary right now
      // publishes nothing, and a breaching alarm on it would sit in ALARM from the first switchover
      // on. Silence leaves the alarm in INSUFFICIENT_DATA, which notifies nobody (alarm and OK
      // actions only) but shows on the console; a datapoint above the target pages as before.
      const cluster = args.aurora.clusterIdentifier;
      const target = args.aurora.rpoTargetSeconds;
      const lagMetrics: Array<[string, string, pulumi.Output<string>]> = [
        ["aurora-replication-lag", "AuroraGlobalDBReplicationLag",
          pulumi.interpolate`Aurora global database: storage replication into ${cluster} (while it is a secondary) is more than ${target} s (the RPO target) behind the primary. No data while ${cluster} is the primary.`],
      ];
      // AuroraGlobalDBRPOLag counts committed user transactions only, the figure a failover loses;
      // older Aurora MySQL versions never publish it, and an alarm on it would only ever sit silent.
      if (publishesRpoLag(args.aurora.engine, args.aurora.engineVersion)) {
        lagMetrics.push(["aurora-rpo-lag", "AuroraGlobalDBRPOLag",
          pulumi.interpolate`Aurora global database: committed transactions reach ${cluster} (while it is a secondary) more than ${target} s (the RPO target) after the primary; a failover now would lose more than the RPO. No data while ${cluster} is the primary.`]);
      }
      for (const [key, metricName, alarmDescription] of lagMetrics) {
        alarm(key, "aurora-lag", "aurora-replication-lag", {
          alarmDescription: args.aurora.rebuilding ? pulumi.interpolate`${alarmDescription} Notifications off: ${cluster} is being rebuilt as a secondary after a failover (dr:activeRegion names another region).` : alarmDescription,
          namespace: "AWS/RDS",
          metricName,
          dimensions,
          statistic: "Maximum",
          period: AURORA_PERIOD_SECONDS,
          evaluationPeriods: AURORA_EVALUATION_PERIODS,
          comparisonOperator: "GreaterThanThreshold",
          threshold: thresholdMs,
          treatMissingData: "missing",
        }, !args.aurora.rebuilding);
      }
    }

    for (const rule of rules) {
      const dimensions = { SourceBucket: rule.sourceBucketName, DestinationBucket: rule.destinationBucketName, RuleId: rule.ruleId };
      if (rule.destinationRegion === args.region) {
        alarm(`s3-${rule.ruleId}-latency`, "s3-replication", "s3-replication", {
          alarmDescription: pulumi.interpolate`S3 replication rule ${rule.ruleId} (${rule.sourceBucketName} -> ${rule.destinationBucketName}) is more than ${S3_RTC_BOUND_SECONDS} s behind: Replication Time Control missed.`,
          namespace: "AWS/S3",
          metricName: "ReplicationLatency",
          dimensions,
          statistic: "Maximum",
          period: S3_LATENCY_PERIOD_SECONDS,
          evaluationPeriods: S3_LATENCY_EVALUATION_PERIODS,
          comparisonOperator: "GreaterThanThreshold",
          threshold: S3_RTC_BOUND_SECONDS,
          // CloudWatch starts reporting replication metrics only 15 minutes after RTC is enabled
          // on a rule (https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html):
          // breaching silence would page on every fresh deploy. "missing" keeps the alarm in
          // INSUFFICIENT_DATA until the first datapoint, then judges the datapoints there are.
          treatMissingData: "missing",
        });
      }
      if (rule.sourceRegion === args.region) {
        alarm(`s3-${rule.ruleId}-failed`, "s3-replication", "s3-replication", {
          alarmDescription: pulumi.interpolate`S3 replication rule ${rule.ruleId} (${rule.sourceBucketName} -> ${rule.destinationBucketName}) failed to replicate operations; those objects are missing in ${rule.destinationRegion}.`,
          namespace: "AWS/S3",
          metricName: "OperationsFailedReplication",
          dimensions,
          statistic: "Sum",
          period: S3_FAILED_PERIOD_SECONDS,
          evaluationPeriods: S3_FAILED_EVALUATION_PERIODS,
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
          // S3 publishes failures only when replication happens ("Is this metric still published if
          // replication doesn't occur? No", repl-metrics.html): no data means nothing failed.
          treatMissingData: "notBreaching",
        });
      }
    }

    this.alarmNames = pulumi.all(alarms.map((a) => a.name));
    this.registerOutputs({ alarmNames: this.alarmNames });
  }
}

/** Every problem with the arguments, each naming the input, its value and the fix. */
export function replicationAlarmsProblems(args: ReplicationAlarmsArgs): string[] {
  const problems: string[] = [];
  const regionOk = typeof args.region === "string" && REGION.test(args.region);
  if (!regionOk) problems.push(`region is "${args.region}", not an AWS region name; pass the region of the provider in opts, such as us-west-2`);
  if (regionOk && typeof args.alarmTopicArn === "string") {
    const p = arnRegionProblem("alarmTopicArn", args.alarmTopicArn, "sns", args.region);
    if (p) problems.push(p);
  }
  const rules = args.s3 ?? [];
  if (!args.aurora && rules.length === 0) problems.push("aurora and s3 are both empty, so there is nothing to alarm on; give this region's Aurora member cluster, S3 replication rules, or both");
  if (args.aurora) {
    const rpo = args.aurora.rpoTargetSeconds;
    if (!Number.isFinite(rpo) || rpo <= 0) problems.push(`aurora.rpoTargetSeconds is ${rpo}; use a positive number of seconds (the stack's objectives.rpoSeconds)`);
    if (publishesRpoLag(args.aurora.engine, args.aurora.engineVersion) === undefined)
      problems.push(`aurora.engineVersion is "${args.aurora.engineVersion}", not an ${args.aurora.engine} version; pass the global cluster's version, such as ${args.aurora.engine === "aurora-postgresql" ? "16.6" : "8.0.mysql_aurora.3.08.0"}`);
    if (!(args.aurora.instances >= 1))
      problems.push(`aurora.instances is ${args.aurora.instances}; a headless member (no DB instances) has no documented lag metrics, so an alarm on it would sit in ALARM by design: omit aurora for a headless member`);
  }
  // Child alarms are named by rule id and side; two rules producing the same name would collide.
  const childNames = new Set<string>();
  rules.forEach((rule, i) => {
    const at = `s3[${i}]`;
    if (!/^[\x21-\x7e]{1,255}$/.test(rule.ruleId ?? "")) problems.push(`${at}.ruleId is "${rule.ruleId}"; use the replication rule's id (1 to 255 printable characters, no spaces), as in the replication configuration`);
    for (const field of ["sourceRegion", "destinationRegion"] as const)
      if (!REGION.test(rule[field] ?? "")) problems.push(`${at}.${field} is "${rule[field]}", not an AWS region name; use the bucket's region, such as us-east-1`);
    if (regionOk && rule.sourceRegion !== args.region && rule.destinationRegion !== args.region)
      problems.push(`${at} replicates ${rule.sourceRegion} -> ${rule.destinationRegion}, and S3 publishes none of its metrics in ${args.region}; create these alarms in ${rule.destinationRegion} (latency) and ${rule.sourceRegion} (failures)`);
    if (typeof rule.sourceBucketName === "string" && rule.sourceBucketName === rule.destinationBucketName)
      problems.push(`${at}.destinationBucketName is "${rule.destinationBucketName}", the same as the source; name the bucket the rule replicates into`);
    const sides = [rule.destinationRegion === args.region ? "latency" : undefined, rule.sourceRegion === args.region ? "failed" : undefined];
    for (const side of sides.filter((s) => s !== undefined)) {
      const child = `${rule.ruleId}-${side}`;
      if (childNames.has(child)) problems.push(`${at}.ruleId "${rule.ruleId}" is already used by another rule whose ${side === "latency" ? "destination" : "source"} is ${args.region}; give the rules distinct ids`);
      childNames.add(child);
    }
  });
  return problems;
}

/** Throws one error naming every problem; called before anything is registered. */
export function validateReplicationAlarmsArgs(args: ReplicationAlarmsArgs): void {
  const problems = replicationAlarmsProblems(args);
  if (problems.length) throw new Error(`ReplicationAlarms: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
