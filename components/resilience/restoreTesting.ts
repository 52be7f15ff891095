import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupServiceRole } from "../data/backupServiceRole";
import { LAMBDA_RUNTIME } from "../lambdaRuntime";
import { requireAwsProvider } from "../providers";
import { RESTORE_VALIDATION_HANDLER, RestoreTestedType, restoreTestingProblems } from "./restoreTestingRules";

/** One restore testing selection: a resource type and the protected ARNs of that type. */
export interface RestoreTestSelection {
  /** Selection name (letters, digits, underscores; at most 50). */
  readonly name: string;
  readonly resourceType: RestoreTestedType;
  readonly protectedArns: readonly pulumi.Input<string>[];
  /** Restore metadata to set instead of AWS Backup's inferred values (keys are not case sensitive). */
  readonly metadataOverrides?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export interface RestoreTestingArgs {
  /** The plan's name (restoreTestingRules.restoreTestingPlanName). Required. */
  readonly planName: string;
  /** When tests start (cron or rate expression, UTC). Required. */
  readonly schedule: string;
  /** Hours after the scheduled time within which a test must start (1-168). Required. */
  readonly startWindowHours: number;
  /** Hours the restored resources are kept for validation before AWS Backup deletes them (1-168). Required. */
  readonly validationWindowHours: number;
  /** ARN of the vault whose newest recovery points are restored. Required. */
  readonly vaultArn: pulumi.Input<string>;
  /** What to restore (1-30 selections). Required. */
  readonly selections: readonly RestoreTestSelection[];
  /** The region's customer key, for the validation function's logs. Required. */
  readonly kmsKeyArn: pulumi.Input<string>;
}

/**
 * AWS Backup restore testing in one region: a plan restoring the newest snapshot recovery point
 * of each selected resource from one vault on a schedule, a restore role AWS Backup assumes, and a
 * validation step (EventBridge rule on the restore job's COMPLETED event -> Lambda -> the verdict
 * back to AWS Backup with PutRestoreValidationResult). AWS Backup deletes what it restored when
 * the validation reports or the window closes.
 */
export class RestoreTesting extends pulumi.ComponentResource {
  readonly planArn: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  readonly validatorArn: pulumi.Output<string>;

  constructor(name: string, args: RestoreTestingArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = restoreTestingProblems(args.planName, args.selections.map((s) => ({ name: s.name, arns: s.protectedArns.length })));
    for (const [what, hours] of [["startWindowHours", args.startWindowHours], ["validationWindowHours", args.validationWindowHours]] as const)
      if (!Number.isInteger(hours) || hours < 1 || hours > 168) problems.push(`${what} is ${hours}; use a whole number of hours from 1 to 168`);
    if (problems.length) throw new Error(`RestoreTesting ${name}: invalid arguments:\n  - ${problems.join("\n  - ")}`);
    super("dr:resilience:RestoreTesting", name, {}, opts);
    requireAwsProvider(this, `RestoreTesting ${name}`);

    // The restore role: AWS Backup's managed restore policies, trusted by backup.amazonaws.com only.
    const role = new BackupServiceRole(`${name}-role`, { purpose: "restore" }, { parent: this });
    const plan = new aws.backup.RestoreTestingPlan(`${name}-plan`, {
      name: args.planName,
      scheduleExpression: args.schedule,
      scheduleExpressionTimezone: "Etc/UTC",
      startWindowHours: args.startWindowHours,
      recoveryPointSelection: {
        algorithm: "LATEST_WITHIN_WINDOW",
        includeVaults: [args.vaultArn],
        // Snapshots: continuous points restore to a moment, which restore testing cannot choose across a copy.
        recoveryPointTypes: ["SNAPSHOT"],
      },
    }, { parent: this });
    for (const s of args.selections) {
      new aws.backup.RestoreTestingSelection(`${name}-${s.name}`, {
        name: s.name,
        restoreTestingPlanName: plan.name,
        protectedResourceType: s.resourceType,
        protectedResourceArns: [...s.protectedArns],
        iamRoleArn: role.roleArn,
        validationWindowHours: args.validationWindowHours,
        restoreMetadataOverrides: s.metadataOverrides,
      }, { parent: this });
    }

    const validator = this.validation(name, args.kmsKeyArn);
    this.planArn = plan.arn;
    this.roleArn = role.roleArn;
    this.validatorArn = validator.arn;
    this.registerOutputs({ planArn: this.planArn, roleArn: this.roleArn, validatorArn: this.validatorArn });
  }

  /** The validation function, its least-privilege role and the rule that calls it. */
  private validation(name: string, kmsKeyArn: pulumi.Input<string>): aws.lambda.Function {
    const parent = this;
    const region = aws.getRegionOutput({}, { parent }).region;
    const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
    const logs = new aws.cloudwatch.LogGroup(`${name}-validator`, { retentionInDays: 90, kmsKeyId: kmsKeyArn }, { parent });
    const role = new aws.iam.Role(`${name}-validator`, {
      description: "Validates restore-test results and reports them to AWS Backup",
      assumeRolePolicy: account.apply((id) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": id } } }],
      })),
    }, { parent });
    new aws.iam.RolePolicy(`${name}-validator`, {
      role: role.id,
      policy: pulumi.all([logs.arn, region, account]).apply(([logArn, r, id]) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logArn}:*` },
          // Neither call supports resource-level permissions.
          { Sid: "ReadAndReportRestoreJobs", Effect: "Allow", Action: ["backup:DescribeRestoreJob", "backup:PutRestoreValidationResult"], Resource: "*" },
          { Sid: "CheckRestoredCluster", Effect: "Allow", Action: ["rds:DescribeDBClusters"], Resource: `arn:aws:rds:${r}:${id}:cluster:*` },
          // HeadBucket is authorized by s3:ListBucket; restored buckets get generated names.
          { Sid: "CheckRestoredBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: "arn:aws:s3:::*" },
        ],
      })),
    }, { parent });
    const fn = new aws.lambda.Function(`${name}-validator`, {
      description: "Checks a restore test's restored resource answers and reports the verdict to AWS Backup",
      runtime: LAMBDA_RUNTIME,
      handler: "index.handler",
      role: role.arn,
      timeout: 60,
      memorySize: 256,
      code: new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset(RESTORE_VALIDATION_HANDLER) }),
      loggingConfig: { logFormat: "JSON", logGroup: logs.name },
    }, { parent });
    const rule = new aws.cloudwatch.EventRule(`${name}-restore-completed`, {
      description: "A restore job (restore tests among them) completed: validate it",
      eventPattern: JSON.stringify({ source: ["aws.backup"], "detail-type": ["Restore Job State Change"], detail: { status: ["COMPLETED"] } }),
    }, { parent });
    new aws.lambda.Permission(`${name}-validator`, { action: "lambda:InvokeFunction", function: fn.name, principal: "events.amazonaws.com", sourceArn: rule.arn }, { parent });
    new aws.cloudwatch.EventTarget(`${name}-validator`, { rule: rule.name, arn: fn.arn }, { parent });
    return fn;
  }
}
