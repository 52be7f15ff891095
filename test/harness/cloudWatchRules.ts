/**
 * What CloudWatch accepts in PutMetricAlarm, and which metrics AWS services publish: with which
 * dimension sets, how often, when (always, or only while nonzero), in which region. The mock engine
 * accepts any alarm; these rules are what AWS would refuse, or what would make an alarm never (or
 * always) fire. Every rule names the page it comes from. Pure: tests hand in recorded inputs.
 */

export const PAGES = {
  putMetricAlarm: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
  metricDataQuery: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html",
  alarmEvaluation: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html",
  /** "Each bullet in the Dimensions column is a combination of dimensions that are published together." */
  publishedDimensions: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/UsingResourceTagsForTelemetry.html",
  albMetrics: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html",
  auroraDimensions: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/dimensions.html",
  auroraGlobalLag: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html",
  /** AWS's Aurora labs: the console group (DBClusterIdentifier, SourceRegion), and a dashboard reading the lag under DBClusterIdentifier alone. */
  auroraGlobalLabs: "https://github.com/aws-samples/amazon-aurora-labs-for-mysql/blob/master/docs/global/monitor/index.md",
  s3ReplicationMetrics: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html",
  backupMetrics: "https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html",
  /** Group metrics exist only once EnableMetricsCollection ran on the group; "The only valid value is 1Minute". */
  autoScalingGroupMetrics: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_EnableMetricsCollection.html",
  eventBridgeMetrics: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html",
  route53Metrics: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html",
  route53AlarmIdentifier: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html",
} as const;

/** PutMetricAlarm: Statistic's valid values; extended statistics (percentiles) go elsewhere. */
export const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"] as const;
/** PutMetricAlarm: TreatMissingData's valid values. */
export const TREAT_MISSING_DATA = ["breaching", "notBreaching", "ignore", "missing"] as const;
/** PutMetricAlarm: ComparisonOperator's values for static thresholds. */
export const COMPARISON_OPERATORS = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"] as const;
/** PutMetricAlarm Period: "Valid values are 10, 20, 30, and any multiple of 60"; 10-30 only for metrics stored at 1-second resolution. */
export const HIGH_RESOLUTION_PERIODS = [10, 20, 30] as const;
/** PutMetricAlarm: Period x EvaluationPeriods at most 7 days, and at most 1 day for periods under an hour. */
export const MAX_EVALUATION_RANGE_SECONDS = 7 * 24 * 3600;
export const MAX_SUB_HOUR_EVALUATION_RANGE_SECONDS = 24 * 3600;
/** MetricDataQuery in PutMetricAlarm: at most 20 queries, 10 of them metrics and 10 expressions. */
export const MAX_ALARM_QUERIES = 20;
export const MAX_ALARM_METRIC_STATS = 10;
export const MAX_ALARM_EXPRESSIONS = 10;
/** MetricDataQuery Id: letters, digits and underscore, starting with a lowercase letter. */
export const QUERY_ID = /^[a-z][A-Za-z0-9_]*$/;

interface QueryMetric {
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions?: Record<string, string>;
  readonly period?: number;
  readonly stat?: string;
}

interface Query {
  readonly id?: string;
  readonly expression?: string;
  readonly returnData?: boolean;
  readonly metric?: QueryMetric;
}

/** PutMetricAlarm AlarmName: 1 to 255 characters. */
export const MAX_ALARM_NAME_LENGTH = 255;

/** A MetricAlarm's inputs as the engine records them (what the provider sends to PutMetricAlarm). */
export interface AlarmInputs {
  readonly name?: string;
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions?: Record<string, string>;
  readonly statistic?: string;
  readonly extendedStatistic?: string;
  readonly period?: number;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  readonly threshold?: number;
  readonly comparisonOperator?: string;
  readonly treatMissingData?: string;
  readonly metricQueries?: readonly Query[];
}

/** One metric an alarm reads, with the period and statistic it reads it at. */
export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly period: number;
  readonly stat: string;
}

/** The metrics an alarm reads: its single metric, or its metric-math queries' metrics. */
export function alarmMetrics(a: AlarmInputs): AlarmMetric[] {
  if (a.metricName !== undefined)
    return [{ namespace: String(a.namespace), metricName: a.metricName, dimensions: a.dimensions ?? {}, period: Number(a.period), stat: String(a.statistic) }];
  return (a.metricQueries ?? []).filter((q) => q.metric).map((q) => ({
    namespace: String(q.metric!.namespace), metricName: String(q.metric!.metricName), dimensions: q.metric!.dimensions ?? {}, period: Number(q.metric!.period), stat: String(q.metric!.stat),
  }));
}

/** The period the alarm evaluates at: its own, or its metrics' (PutMetricAlarm takes no Period with Metrics). */
export function alarmPeriod(a: AlarmInputs): number {
  return a.metricName !== undefined ? Number(a.period) : Math.max(...alarmMetrics(a).map((m) => m.period));
}

const validPeriod = (p: number) => Number.isInteger(p) && p > 0 && ((HIGH_RESOLUTION_PERIODS as readonly number[]).includes(p) || p % 60 === 0);

/** Everything PutMetricAlarm would refuse in these inputs (empty when AWS accepts them). */
export function putMetricAlarmProblems(a: AlarmInputs): string[] {
  const problems: string[] = [];
  if (a.name !== undefined && !(a.name.length >= 1 && a.name.length <= MAX_ALARM_NAME_LENGTH)) problems.push(`AlarmName is ${a.name.length} characters; AWS takes 1 to ${MAX_ALARM_NAME_LENGTH} (${PAGES.putMetricAlarm})`);
  const single = a.metricName !== undefined;
  const math = (a.metricQueries ?? []).length > 0;
  // PutMetricAlarm: with Metrics, none of MetricName, Namespace, Dimensions, Period, Statistic may be given.
  if (single === math) problems.push(`give either MetricName or Metrics (metric math), not ${single ? "both" : "neither"} (${PAGES.putMetricAlarm})`);
  if (math && [a.namespace, a.dimensions, a.period, a.statistic].some((v) => v !== undefined))
    problems.push(`a metric-math alarm takes no Namespace, Dimensions, Period or Statistic of its own (${PAGES.putMetricAlarm})`);
  if (single) {
    if (!a.namespace) problems.push(`Namespace is missing (${PAGES.putMetricAlarm})`);
    if ((a.statistic === undefined) === (a.extendedStatistic === undefined)) problems.push(`give exactly one of Statistic and ExtendedStatistic (${PAGES.putMetricAlarm})`);
    if (a.statistic !== undefined && !(STATISTICS as readonly string[]).includes(a.statistic)) problems.push(`Statistic ${a.statistic} is not one of ${STATISTICS.join(", ")} (${PAGES.putMetricAlarm})`);
    if (Object.keys(a.dimensions ?? {}).length > 30) problems.push(`more than 30 dimensions (${PAGES.putMetricAlarm})`);
  }
  if (math) problems.push(...metricQueryProblems(a.metricQueries!));
  for (const m of alarmMetrics(a))
    if (!validPeriod(m.period)) problems.push(`period ${m.period} of ${m.metricName} is not 10, 20, 30 or a multiple of 60 (${PAGES.putMetricAlarm})`);
  const n = a.evaluationPeriods;
  if (!(Number.isInteger(n) && n! >= 1)) problems.push(`EvaluationPeriods ${n} is not a whole number of 1 or more (${PAGES.putMetricAlarm})`);
  else {
    const period = alarmPeriod(a);
    const limit = period < 3600 ? MAX_SUB_HOUR_EVALUATION_RANGE_SECONDS : MAX_EVALUATION_RANGE_SECONDS;
    if (period * n! > limit) problems.push(`Period x EvaluationPeriods = ${period} x ${n} s exceeds ${limit} s (${PAGES.putMetricAlarm})`);
    // M out of N: M breaching datapoints among the last N (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).
    if (a.datapointsToAlarm !== undefined && !(Number.isInteger(a.datapointsToAlarm) && a.datapointsToAlarm >= 1 && a.datapointsToAlarm <= n!))
      problems.push(`DatapointsToAlarm ${a.datapointsToAlarm} is not between 1 and EvaluationPeriods ${n} (${PAGES.alarmEvaluation})`);
  }
  if (!(COMPARISON_OPERATORS as readonly string[]).includes(String(a.comparisonOperator))) problems.push(`ComparisonOperator ${a.comparisonOperator} is not a static-threshold operator (${PAGES.putMetricAlarm})`);
  if (typeof a.threshold !== "number" || !Number.isFinite(a.threshold)) problems.push(`Threshold ${a.threshold} is not a number (${PAGES.putMetricAlarm})`);
  if (a.treatMissingData !== undefined && !(TREAT_MISSING_DATA as readonly string[]).includes(a.treatMissingData))
    problems.push(`TreatMissingData ${a.treatMissingData} is not one of ${TREAT_MISSING_DATA.join(", ")} (${PAGES.putMetricAlarm})`);
  return problems;
}

/** Lower-case words of an expression: the query ids it reads (function names are upper case). */
const idsIn = (expression: string) => [...expression.matchAll(/\b[a-z][A-Za-z0-9_]*\b/g)].map(([w]) => w);

/** What PutMetricAlarm refuses in a metric-math alarm's Metrics array. */
export function metricQueryProblems(queries: readonly Query[]): string[] {
  const problems: string[] = [];
  const stats = queries.filter((q) => q.metric);
  const expressions = queries.filter((q) => q.expression !== undefined);
  if (queries.length > MAX_ALARM_QUERIES || stats.length > MAX_ALARM_METRIC_STATS || expressions.length > MAX_ALARM_EXPRESSIONS)
    problems.push(`${queries.length} queries (${stats.length} metrics, ${expressions.length} expressions); an alarm takes at most ${MAX_ALARM_QUERIES}, ${MAX_ALARM_METRIC_STATS} of each kind (${PAGES.metricDataQuery})`);
  const ids = queries.map((q) => String(q.id));
  for (const id of ids) if (!QUERY_ID.test(id)) problems.push(`query id "${id}" must start with a lowercase letter and hold only letters, digits and underscores (${PAGES.metricDataQuery})`);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dupes.length) problems.push(`query ids ${dupes.join(", ")} repeat (${PAGES.metricDataQuery})`);
  for (const q of queries) {
    if ((q.metric === undefined) === (q.expression === undefined)) problems.push(`query ${q.id} must have exactly one of MetricStat and Expression (${PAGES.metricDataQuery})`);
    for (const ref of q.expression ? idsIn(q.expression) : [])
      if (!ids.includes(ref)) problems.push(`expression of ${q.id} reads "${ref}", which no query defines (${PAGES.metricDataQuery})`);
  }
  // ReturnData defaults to true: every query but the alarm's one must say false.
  const returned = queries.filter((q) => q.returnData !== false);
  if (returned.length !== 1) problems.push(`${returned.length} queries return data (ReturnData true or omitted); an alarm needs exactly one (${PAGES.metricDataQuery})`);
  else if (returned[0].expression === undefined) problems.push(`the query that returns data, ${returned[0].id}, is a metric, not an expression (${PAGES.metricDataQuery})`);
  return problems;
}

/** When a metric has datapoints. */
export type Reporting =
  /** Every period while the resource exists (and, for group metrics, collection is enabled). */
  | "always"
  /** Only for periods in which the value is nonzero: silence is zero. */
  | "nonzero"
  /** Only by a global-database member while it is a secondary: silence on the primary is normal. */
  | "secondary";

/** Which region's CloudWatch receives a metric. */
export type PublishedIn =
  /** The region of the resource the dimensions name. */
  | "resource"
  /** US East (N. Virginia), whatever the resource's region. */
  | "us-east-1"
  /** An S3 replication rule's destination bucket's region. */
  | "destination"
  /** An S3 replication rule's source bucket's region. */
  | "source";

export interface PublishedMetric {
  readonly namespace: string;
  readonly metricNames: readonly string[];
  /** Dimension-name sets published together; CloudWatch matches an alarm's set exactly, so any other set has no data. */
  readonly dimensionSets: readonly (readonly string[])[];
  /** Seconds between datapoints: an alarm period shorter than this sees gaps. */
  readonly resolutionSeconds: number;
  readonly reporting: Reporting;
  readonly publishedIn: PublishedIn;
  readonly pages: readonly string[];
  /** A fact no page confirms, kept because the alarms rely on it; listed in the report. */
  readonly unconfirmed?: string;
}

/** The AWS-published metrics the platform's alarms read. */
export const PUBLISHED_METRICS: readonly PublishedMetric[] = [
  {
    namespace: "AWS/ApplicationELB", metricNames: ["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "RequestCount"],
    dimensionSets: [["LoadBalancer"], ["AvailabilityZone", "LoadBalancer"], ["LoadBalancer", "TargetGroup"], ["AvailabilityZone", "LoadBalancer", "TargetGroup"]],
    // Counts are reported for periods with a nonzero value; the LoadBalancer value is app/<name>/<id>.
    resolutionSeconds: 60, reporting: "nonzero", publishedIn: "resource", pages: [PAGES.albMetrics, PAGES.publishedDimensions],
  },
  {
    namespace: "AWS/ApplicationELB", metricNames: ["UnHealthyHostCount"],
    dimensionSets: [["LoadBalancer", "TargetGroup"], ["AvailabilityZone", "LoadBalancer", "TargetGroup"]],
    resolutionSeconds: 60, reporting: "always", publishedIn: "resource", pages: [PAGES.albMetrics, PAGES.publishedDimensions],
  },
  {
    // Group metrics exist only while collection is enabled on the group (EnableMetricsCollection), at one-minute granularity.
    namespace: "AWS/AutoScaling", metricNames: ["GroupInServiceInstances", "GroupDesiredCapacity"],
    dimensionSets: [["AutoScalingGroupName"]],
    resolutionSeconds: 60, reporting: "always", publishedIn: "resource", pages: [PAGES.autoScalingGroupMetrics],
  },
  {
    // Instance metrics aggregated per cluster: the Aurora dimension DBClusterIdentifier.
    namespace: "AWS/RDS", metricNames: ["CPUUtilization", "FreeableMemory"],
    dimensionSets: [["DBClusterIdentifier"], ["DBClusterIdentifier", "Role"], ["DBInstanceIdentifier"]],
    resolutionSeconds: 60, reporting: "always", publishedIn: "resource", pages: [PAGES.auroraDimensions],
  },
  {
    // Published only in secondary Regions ("replication lag ... only available for secondary Regions").
    namespace: "AWS/RDS", metricNames: ["AuroraGlobalDBReplicationLag", "AuroraGlobalDBRPOLag"],
    dimensionSets: [["DBClusterIdentifier"], ["DBClusterIdentifier", "SourceRegion"]],
    resolutionSeconds: 60, reporting: "secondary", publishedIn: "resource", pages: [PAGES.auroraGlobalLag, PAGES.auroraGlobalLabs],
  },
  {
    namespace: "AWS/S3", metricNames: ["ReplicationLatency"],
    dimensionSets: [["DestinationBucket", "RuleId", "SourceBucket"]],
    // Published even when nothing replicates, once the rule's replication metrics are enabled.
    resolutionSeconds: 60, reporting: "always", publishedIn: "destination", pages: [PAGES.s3ReplicationMetrics],
  },
  {
    namespace: "AWS/S3", metricNames: ["OperationsFailedReplication"],
    dimensionSets: [["DestinationBucket", "RuleId", "SourceBucket"]],
    // "Is this metric still published if replication doesn't occur? No."
    resolutionSeconds: 60, reporting: "nonzero", publishedIn: "source", pages: [PAGES.s3ReplicationMetrics],
  },
  {
    // "AWS Backup emits updated metrics to CloudWatch every 5 minutes"; "Reporting criteria: There is a nonzero value".
    namespace: "AWS/Backup", metricNames: ["NumberOfBackupJobsFailed", "NumberOfBackupJobsExpired", "NumberOfBackupJobsAborted", "NumberOfBackupJobsCompleted"],
    dimensionSets: [["BackupVaultName"], ["BackupVaultName", "ResourceType"]],
    resolutionSeconds: 300, reporting: "nonzero", publishedIn: "resource", pages: [PAGES.backupMetrics, PAGES.publishedDimensions],
  },
  {
    // "The vault name of copy jobs is that of their destination vault."
    namespace: "AWS/Backup", metricNames: ["NumberOfCopyJobsFailed", "NumberOfCopyJobsCompleted"],
    dimensionSets: [["BackupVaultName"], ["BackupVaultName", "ResourceType"]],
    resolutionSeconds: 300, reporting: "nonzero", publishedIn: "source", pages: [PAGES.backupMetrics, PAGES.publishedDimensions],
    unconfirmed: "the page names the destination vault but not the region a copy job's metrics are published in; the alarms assume the region the copy runs in (its plan's)",
  },
  {
    namespace: "AWS/Events", metricNames: ["FailedInvocations"],
    dimensionSets: [["RuleName"], ["EventBusName", "RuleName"]],
    resolutionSeconds: 60, reporting: "nonzero", publishedIn: "resource", pages: [PAGES.eventBridgeMetrics, PAGES.publishedDimensions],
  },
  {
    // Route 53 health-check metrics are published in us-east-1 only, whatever the endpoint's region.
    namespace: "AWS/Route53", metricNames: ["HealthCheckStatus"],
    dimensionSets: [["HealthCheckId"]],
    resolutionSeconds: 60, reporting: "always", publishedIn: "us-east-1", pages: [PAGES.route53Metrics, PAGES.publishedDimensions],
  },
];

/** The published metric an alarm metric names, or undefined for a namespace AWS does not publish (DR/...). */
export function publishedMetric(namespace: string, metricName: string): PublishedMetric | undefined {
  return PUBLISHED_METRICS.find((p) => p.namespace === namespace && p.metricNames.includes(metricName));
}

/**
 * What keeps an alarm's AWS metric from ever having data, or having it at the alarm's period:
 * unknown to the catalogue, a dimension set the service does not publish, a period shorter than the
 * metric's resolution (standard-resolution AWS metrics: no 10-30 s periods).
 */
export function publishedMetricProblems(m: AlarmMetric): string[] {
  const p = publishedMetric(m.namespace, m.metricName);
  if (!p) return m.namespace.startsWith("AWS/") ? [`${m.namespace}/${m.metricName} is not in the catalogue of published metrics; add it with its page`] : [];
  const problems: string[] = [];
  const names = Object.keys(m.dimensions).sort();
  if (!p.dimensionSets.some((set) => set.length === names.length && [...set].sort().every((n, i) => n === names[i])))
    problems.push(`${m.metricName} is published with dimensions ${p.dimensionSets.map((s) => `(${s.join(", ")})`).join(" or ")}, not (${names.join(", ")}): the alarm would never see data (${p.pages.join(", ")})`);
  if (m.period < p.resolutionSeconds || m.period % p.resolutionSeconds !== 0)
    problems.push(`${m.metricName} has a datapoint every ${p.resolutionSeconds} s; a period of ${m.period} s sees gaps (${p.pages[0]})`);
  return problems;
}

/**
 * What silence must mean for an alarm on a metric reported only while nonzero: for "above 0"
 * (failures) nothing happened, so not breaching; for "below 1" (nothing completed) silence is the
 * very thing to page on, so breaching. For a metric only a secondary publishes, silence on the
 * primary is normal: missing (or not breaching). Undefined when nothing is wrong.
 */
export function missingDataProblem(a: AlarmInputs, reporting: Reporting): string | undefined {
  const t = a.treatMissingData ?? "missing";
  const raisesOnZero = (a.comparisonOperator === "LessThanThreshold" && Number(a.threshold) > 0) || (a.comparisonOperator === "LessThanOrEqualToThreshold" && Number(a.threshold) >= 0);
  if (reporting === "nonzero") {
    const want = raisesOnZero ? "breaching" : "notBreaching";
    if (t !== want) return `the metric is reported only while nonzero, so silence is zero: treatMissingData must be ${want}, not ${t}`;
  }
  if (reporting === "secondary" && (t === "breaching" || t === "ignore"))
    return `the metric is published only by a secondary member, so silence on the primary is normal: treatMissingData ${t} would hold a false state`;
  return undefined;
}
