import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arnRegionProblem, failOnRegionMismatch } from "./healthCheckAlarm";
import { requireAwsProvider } from "../providers";

/**
 * AWS Backup publishes its job metrics to CloudWatch every 5 minutes, in namespace AWS/Backup, per
 * BackupVaultName (and per BackupVaultName and ResourceType):
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html ; one period of that length
 * alarms on the first failed job instead of after the next day's backup.
 */
export const BACKUP_METRICS_NAMESPACE = "AWS/Backup";
export const BACKUP_METRICS_PERIOD_SECONDS = 300;

/** The job failures that leave a region without the recovery point (or the copy) its plan promised. */
export const BACKUP_JOB_FAILURE_METRICS = {
  "backup-jobs-failed": { metricName: "NumberOfBackupJobsFailed", what: "backup job(s) failed: no new recovery point" },
  "copy-jobs-failed": { metricName: "NumberOfCopyJobsFailed", what: "cross-region copy job(s) failed: the other region has no copy of the newest recovery point" },
} as const;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export interface BackupJobAlarmsArgs {
  /** Region of the provider passed in opts, of the vault, the alarms and the topic. Required. */
  readonly region: string;
  /** The region's backup vault: jobs are counted per BackupVaultName. Required. */
  readonly vaultName: pulumi.Input<string>;
  /** SNS topic in `region` notified on ALARM and on OK. Required. */
  readonly alarmTopicArn: pulumi.Input<string>;
}

/**
 * Alarms on failed backup and copy jobs of one region's vault, in that region (each region watches
 * its own jobs, so the surviving one keeps alerting). A copy job runs in its source region, so the
 * copies out of this vault are counted here. No datapoints means no job ran: not a failure.
 */
export class BackupJobAlarms extends pulumi.ComponentResource {
  readonly alarmNames: pulumi.Output<string[]>;

  constructor(name: string, args: BackupJobAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    validateBackupJobAlarmsArgs(args);
    super("dr:observability:BackupJobAlarms", name, {}, opts);
    const provider = requireAwsProvider(this, `BackupJobAlarms ${name}`);
    failOnRegionMismatch(provider, args.region, `BackupJobAlarms ${name}`, [{ input: "alarmTopicArn", arn: args.alarmTopicArn, service: "sns" }]);
    const actions = [args.alarmTopicArn];

    const alarms = Object.entries(BACKUP_JOB_FAILURE_METRICS).map(([key, { metricName, what }]) =>
      new aws.cloudwatch.MetricAlarm(`${name}-${key}`, {
        alarmDescription: pulumi.interpolate`AWS Backup vault ${args.vaultName} (${args.region}): ${what}. See the job's status message in the AWS Backup console.`,
        namespace: BACKUP_METRICS_NAMESPACE,
        metricName,
        dimensions: { BackupVaultName: args.vaultName },
        statistic: "Sum",
        period: BACKUP_METRICS_PERIOD_SECONDS,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        // AWS Backup publishes a job metric only while jobs exist; a vault with no jobs yet is not failing.
        treatMissingData: "notBreaching",
        actionsEnabled: true,
        alarmActions: actions,
        okActions: actions,
      }, { parent: this }));

    this.alarmNames = pulumi.all(alarms.map((a) => a.name));
    this.registerOutputs({ alarmNames: this.alarmNames });
  }
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
  if (args.vaultName === "") problems.push(`vaultName is empty; pass the name of the region's backup vault`);
  return problems;
}

/** Throws one error naming every problem; called before anything is registered. */
export function validateBackupJobAlarmsArgs(args: BackupJobAlarmsArgs): void {
  const problems = backupJobAlarmsProblems(args);
  if (problems.length) throw new Error(`BackupJobAlarms: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
