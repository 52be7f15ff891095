import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CONTINUOUS_BACKUP_MAX_RETENTION_DAYS, scheduleIntervalSeconds } from "./backupRules";
import { requireAwsProvider } from "../providers";

/**
 * AWS Backup's shortest start window: a job not started within it is cancelled. The shortest keeps
 * a late backup from widening the data-loss window by hours (AWS's default is 8 h).
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html (StartWindowMinutes;
 * the same page gives AWS's default schedule, cron(0 5 ? * * *), which DEFAULT_BACKUP_SCHEDULE keeps, and the 36,500-day cap)
 */
export const BACKUP_START_WINDOW_MINUTES = 60;
/** A job still running after a day is stuck; failing it raises the backup-job alarms instead of waiting a week (AWS's default). */
export const BACKUP_COMPLETION_WINDOW_MINUTES = 24 * 60;

/** A copy of every recovery point the rule makes into a vault of another region (or account). */
export interface BackupCopyTarget {
  /** The destination vault's ARN (see backupVaultArn: it is predictable from name, region and account). */
  readonly vaultArn: pulumi.Input<string>;
  /** Days the copy is kept; must fit the destination vault's lock range. */
  readonly retentionDays: number;
}

export interface BackupPlanArgs {
  /** Vault in the provider's region that receives the recovery points. Required. */
  readonly vaultName: pulumi.Input<string>;
  /** AWS Backup cron expression (UTC). Required. */
  readonly schedule: string;
  /** Days each recovery point is kept in `vaultName`; at most 35 when continuous. Required. */
  readonly retentionDays: number;
  /** Continuous backup for point-in-time restore (Aurora, S3); AWS allows it for one plan per S3 bucket. Required. */
  readonly continuous: boolean;
  /** Copies into vaults of other regions. Default: none. */
  readonly copyTo?: readonly BackupCopyTarget[];
  /** ARNs of the resources to protect (the Aurora cluster, the data bucket). Required, at least one. */
  readonly resourceArns: pulumi.Input<string>[];
  /** Role AWS Backup assumes (a BackupServiceRole for backups). Required. */
  readonly roleArn: pulumi.Input<string>;
  /**
   * Tags that also select resources (STRINGEQUALS; a resource with any of them is selected, as are
   * `resourceArns`: AWS Backup ORs ListOfTags with Resources), for resources no stack manages, such
   * as a cluster a restore creates. Default: none.
   */
  readonly selectByTags?: readonly { readonly key: string; readonly value: string }[];
  /** Minutes a job may wait to start before AWS Backup expires it (at least 60). Default: BACKUP_START_WINDOW_MINUTES. */
  readonly startWindowMinutes?: number;
  /** Resources the selection must wait for, such as a bucket's versioning (AWS Backup refuses unversioned buckets). Default: none. */
  readonly selectionDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * One backup plan with one rule, and its selection of resources by ARN. The same component serves
 * the primary's local plan and a plan whose rule copies to other regions (owned by the stack that
 * may know every destination vault). Pass the provider of the protected resources' region.
 */
export class BackupPlan extends pulumi.ComponentResource {
  readonly planId: pulumi.Output<string>;
  readonly planArn: pulumi.Output<string>;
  readonly selectionId: pulumi.Output<string>;

  constructor(name: string, args: BackupPlanArgs, opts?: pulumi.ComponentResourceOptions) {
    validateBackupPlanArgs(name, args);
    super("dr:data:BackupPlan", name, {}, opts);
    requireAwsProvider(this, `BackupPlan ${name}`);

    const plan = new aws.backup.Plan(`${name}-plan`, {
      name,
      rules: [{
        ruleName: args.continuous ? "continuous" : "scheduled",
        targetVaultName: args.vaultName,
        schedule: args.schedule,
        scheduleExpressionTimezone: "Etc/UTC",
        startWindow: args.startWindowMinutes ?? BACKUP_START_WINDOW_MINUTES,
        completionWindow: BACKUP_COMPLETION_WINDOW_MINUTES,
        enableContinuousBackup: args.continuous,
        lifecycle: { deleteAfter: args.retentionDays },
        // A copy of a continuous backup becomes a snapshot taken on this rule's schedule:
        // https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery-copying.html
        copyActions: (args.copyTo ?? []).map((c) => ({ destinationVaultArn: c.vaultArn, lifecycle: { deleteAfter: c.retentionDays } })),
      }],
    }, { parent: this });

    const selection = new aws.backup.Selection(`${name}-selection`, {
      name: `${name}-resources`.slice(0, 50),
      planId: plan.id,
      iamRoleArn: args.roleArn,
      resources: args.resourceArns,
      // https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html: Resources and ListOfTags are ORed.
      ...(args.selectByTags?.length ? { selectionTags: args.selectByTags.map((t) => ({ type: "STRINGEQUALS", key: t.key, value: t.value })) } : {}),
    }, { parent: this, dependsOn: args.selectionDependsOn });

    this.planId = plan.id;
    this.planArn = plan.arn;
    this.selectionId = selection.id;
    this.registerOutputs({ planId: this.planId, planArn: this.planArn, selectionId: this.selectionId });
  }
}

/** Checks the arguments a caller controls; throws one error naming every problem. */
export function validateBackupPlanArgs(name: string, args: BackupPlanArgs): void {
  const problems: string[] = [];
  if (scheduleIntervalSeconds(args.schedule) === undefined) problems.push(`schedule "${args.schedule}" is not an AWS Backup cron expression such as cron(0 5 ? * * *)`);
  if (!Number.isInteger(args.retentionDays) || args.retentionDays < 1) problems.push(`retentionDays is ${args.retentionDays}; use a whole number of days, at least 1`);
  if (args.continuous && args.retentionDays > CONTINUOUS_BACKUP_MAX_RETENTION_DAYS)
    problems.push(`retentionDays is ${args.retentionDays} with continuous backup; continuous backups keep at most ${CONTINUOUS_BACKUP_MAX_RETENTION_DAYS} days`);
  for (const [i, c] of (args.copyTo ?? []).entries()) {
    if (!Number.isInteger(c.retentionDays) || c.retentionDays < 1) problems.push(`copyTo[${i}].retentionDays is ${c.retentionDays}; use a whole number of days, at least 1`);
  }
  if (args.resourceArns.length === 0) problems.push("resourceArns is empty; name the resources the plan protects");
  // StartWindowMinutes must be at least 60 (API_BackupRuleInput.html).
  if (args.startWindowMinutes !== undefined && (!Number.isInteger(args.startWindowMinutes) || args.startWindowMinutes < 60))
    problems.push(`startWindowMinutes is ${args.startWindowMinutes}; AWS Backup needs a whole number of minutes, at least 60`);
  if (problems.length) throw new Error(`BackupPlan ${name}: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
