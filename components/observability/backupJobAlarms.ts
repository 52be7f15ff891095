import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arnRegionProblem, failOnRegionMismatch } from "./healthCheckAlarm";
import { DashboardPanel, RunbookAnchor } from "./alarmCatalogue";
import { cataloguedAlarm, Entry } from "./catalogueEntry";
import { requireAwsProvider } from "../providers";
import { REGION_NAME as REGION } from "../regions";

/**
 * AWS Backup publishes its job metrics to CloudWatch every 5 minutes, in namespace AWS/Backup, per
 * BackupVaultName (and per BackupVaultName and ResourceType), and only while the value is nonzero
 * ("Reporting criteria: There is a nonzero value"); the vault name of a copy job's metrics is its
 * DESTINATION vault: https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html
 * So silence means zero: failure alarms treat it as not breaching, freshness alarms (a count of
 * completed jobs that must not be zero for a whole window) as breaching.
 */
export const BACKUP_METRICS_NAMESPACE = "AWS/Backup";
export const BACKUP_METRICS_PERIOD_SECONDS = 300;
/** Freshness is judged hour by hour: an alarm whose period is an hour or more may look back up to 7 days. */
export const FRESHNESS_PERIOD_SECONDS = 3600;
/** PutMetricAlarm: Period x EvaluationPeriods at most 604,800 s (7 days) for periods of an hour or more. */
export const MAX_ALARM_WINDOW_SECONDS = 7 * 24 * 3600;

/**
 * The job outcomes of a vault's own backups that leave it without the recovery point its plan
 * promised, as the metrics page defines them (https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html):
 * NumberOfBackupJobsExpired counts jobs that went from CREATED to EXPIRED because they could not
 * begin within the start window; NumberOfBackupJobsAborted counts user-cancelled jobs.
 */
export const BACKUP_JOB_FAILURE_METRICS = {
  "backup-jobs-failed": { metricName: "NumberOfBackupJobsFailed", what: "backup job(s) failed: no new recovery point" },
  // EXPIRED: the job could not start within the plan's start window (another job on the resource, a maintenance window).
  "backup-jobs-expired": { metricName: "NumberOfBackupJobsExpired", what: "backup job(s) expired without starting within the start window: no new recovery point" },
  "backup-jobs-aborted": { metricName: "NumberOfBackupJobsAborted", what: "backup job(s) were cancelled (ABORTED): no new recovery point" },
} as const;

/**
 * Copies into another region's vault, made by a plan whose jobs run in this region. The metrics page
 * confirms the vault name ("The vault name of copy jobs is that of their destination vault") but not
 * the region the counts land in; these alarms assume the copy's own (its plan's) region, unconfirmed
 * (runbooks/alerts.md#backup-copy-job-failed says how to check it after the first copy).
 */
export interface BackupCopyWatch {
  /** The destination vault's name: AWS Backup reports copy jobs under it. */
  readonly destinationVaultName: pulumi.Input<string>;
  /** The destination's region, for names and descriptions. */
  readonly destinationRegion: string;
}

export interface BackupJobAlarmsArgs {
  /** Region of the provider passed in opts, of the jobs, the alarms and the topic. Required. */
  readonly region: string;
  /** SNS topic in `region` notified on ALARM and on OK. Required. */
  readonly alarmTopicArn: pulumi.Input<string>;
  /** The region's own vault: failed, expired and aborted jobs, and freshness per protected resource type. Default: none. */
  readonly vault?: {
    readonly name: pulumi.Input<string>;
    /** AWS Backup resource types the plan protects (one resource of each per vault here), such as "Aurora" and "S3". */
    readonly resourceTypes: readonly string[];
  };
  /** Copy jobs this region's plans run into other regions' vaults: failures and freshness. Default: none. */
  readonly copies?: readonly BackupCopyWatch[];
  /** How old the newest recovery point (and copy) may get: the schedule's interval plus the start window and a grace hour. Required. */
  readonly freshnessWindowSeconds: number;
}

type Spec = Pick<aws.cloudwatch.MetricAlarmArgs, "alarmDescription" | "metricName" | "dimensions" | "statistic" | "period" | "evaluationPeriods" | "datapointsToAlarm" | "comparisonOperator" | "threshold" | "treatMissingData">;

/**
 * Alarms on one region's backups, in that region (each region watches its own jobs, so the
 * surviving one keeps alerting): jobs failed, expired or aborted, and "no completed backup of this
 * resource type (no completed copy into that vault) for a whole freshness window", which is how old
 * the newest recovery point may get. CloudWatch has no metric for a recovery point's age; a count
 * of completed jobs over the window is the native equivalent and needs no function or extra role.
 * A continuous rule runs a job on its schedule too: "The continuous backup plan creates one
 * continuous recovery point and updates that recovery point whenever the job runs"
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html).
 */
export class BackupJobAlarms extends pulumi.ComponentResource {
  readonly alarmNames: pulumi.Output<string[]>;
  readonly catalogue: Entry[] = [];

  constructor(name: string, args: BackupJobAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    validateBackupJobAlarmsArgs(args);
    super("dr:observability:BackupJobAlarms", name, {}, opts);
    const provider = requireAwsProvider(this, `BackupJobAlarms ${name}`);
    failOnRegionMismatch(provider, args.region, `BackupJobAlarms ${name}`, [{ input: "alarmTopicArn", arn: args.alarmTopicArn, service: "sns" }]);
    const actions = [args.alarmTopicArn];
    const alarms: aws.cloudwatch.MetricAlarm[] = [];
    const alarm = (key: string, panel: DashboardPanel, runbook: RunbookAnchor, spec: Spec) =>
      alarms.push(cataloguedAlarm(`${name}-${key}`, { panel, runbook, region: args.region, topics: actions }, { ...spec, namespace: BACKUP_METRICS_NAMESPACE }, this.catalogue, this));
    // One period of the metrics' own length: the first bad job pages, not the next day's.
    const anyJob = { statistic: "Sum", period: BACKUP_METRICS_PERIOD_SECONDS, evaluationPeriods: 1, comparisonOperator: "GreaterThanThreshold", threshold: 0, treatMissingData: "notBreaching" } as const;
    // Every hour of the window without a completed job: the newest recovery point is older than the window.
    const hours = Math.ceil(args.freshnessWindowSeconds / FRESHNESS_PERIOD_SECONDS);
    const noneCompleted = { statistic: "Sum", period: FRESHNESS_PERIOD_SECONDS, evaluationPeriods: hours, datapointsToAlarm: hours, comparisonOperator: "LessThanThreshold", threshold: 1, treatMissingData: "breaching" } as const;

    if (args.vault) {
      const vault = args.vault.name;
      for (const [key, { metricName, what }] of Object.entries(BACKUP_JOB_FAILURE_METRICS))
        alarm(key, "backup-jobs", "backup-job-failed-expired-or-aborted", { ...anyJob, metricName, dimensions: { BackupVaultName: vault },
          alarmDescription: pulumi.interpolate`AWS Backup vault ${vault} (${args.region}): ${what}. See the job's status message in the AWS Backup console.` });
      for (const resourceType of args.vault.resourceTypes)
        alarm(`fresh-${resourceType.toLowerCase()}`, "backup-freshness", "recovery-point-too-old", { ...noneCompleted, metricName: "NumberOfBackupJobsCompleted",
          dimensions: { BackupVaultName: vault, ResourceType: resourceType },
          alarmDescription: pulumi.interpolate`AWS Backup vault ${vault} (${args.region}): no ${resourceType} backup job completed for ${hours} h, so the newest ${resourceType} recovery point is older than the backup objective (one schedule interval plus the start window).` });
    }
    for (const copy of args.copies ?? []) {
      const dest = copy.destinationVaultName;
      alarm(`copy-jobs-failed-${copy.destinationRegion}`, "backup-jobs", "backup-copy-job-failed", { ...anyJob, metricName: "NumberOfCopyJobsFailed", dimensions: { BackupVaultName: dest },
        alarmDescription: pulumi.interpolate`AWS Backup: copy job(s) from ${args.region} into vault ${dest} (${copy.destinationRegion}) failed; ${copy.destinationRegion} has no copy of the newest recovery point.` });
      alarm(`copy-fresh-${copy.destinationRegion}`, "backup-freshness", "cross-region-copy-too-old", { ...noneCompleted, metricName: "NumberOfCopyJobsCompleted", dimensions: { BackupVaultName: dest },
        alarmDescription: pulumi.interpolate`AWS Backup: no copy job from ${args.region} into vault ${dest} (${copy.destinationRegion}) completed for ${hours} h; the newest cross-region copy is older than the backup objective.` });
    }

    this.alarmNames = pulumi.all(alarms.map((a) => a.name));
    this.registerOutputs({ alarmNames: this.alarmNames });
  }
}

/**
 * The freshness window for a schedule's interval: the interval, the start window a job may wait,
 * and one grace hour for the job to run. Undefined interval (a schedule AWS Backup cannot run) gives undefined.
 */
export function freshnessWindowSeconds(intervalSeconds: number | undefined, startWindowMinutes: number): number | undefined {
  return intervalSeconds === undefined ? undefined : intervalSeconds + startWindowMinutes * 60 + FRESHNESS_PERIOD_SECONDS;
}

/** Every problem with the arguments, each naming the input, its value and the fix. */
export function backupJobAlarmsProblems(args: BackupJobAlarmsArgs): string[] {
  const problems: string[] = [];
  if (typeof args.region !== "string" || !REGION.test(args.region))
    problems.push(`region is "${args.region}", not an AWS region name; pass the region of the provider in opts, such as us-west-2`);
  else if (typeof args.alarmTopicArn === "string") {
    const p = arnRegionProblem("alarmTopicArn", args.alarmTopicArn, "sns", args.region);
    if (p) problems.push(p);
  }
  if (args.vault?.name === "") problems.push(`vault.name is empty; pass the name of the region's backup vault`);
  if (!args.vault && !args.copies?.length) problems.push("vault and copies are both empty, so there is nothing to alarm on; give the region's vault, the copies its plans make, or both");
  const w = args.freshnessWindowSeconds;
  if (!(w > 0) || Math.ceil(w / FRESHNESS_PERIOD_SECONDS) * FRESHNESS_PERIOD_SECONDS > MAX_ALARM_WINDOW_SECONDS)
    problems.push(`freshnessWindowSeconds is ${w}; CloudWatch alarms look back at most ${MAX_ALARM_WINDOW_SECONDS} s (7 days), so back up at least weekly (dr:backup.schedule)`);
  return problems;
}

/** Throws one error naming every problem; called before anything is registered. */
export function validateBackupJobAlarmsArgs(args: BackupJobAlarmsArgs): void {
  const problems = backupJobAlarmsProblems(args);
  if (problems.length) throw new Error(`BackupJobAlarms: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
