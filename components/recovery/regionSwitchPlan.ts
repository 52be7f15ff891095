/**
 * The ARC Region switch plan and what it needs outside the regions: its execution role (generated
 * from the blocks present), the approval role a person assumes for a ManualApproval step, and the
 * customer-key-encrypted bucket its execution reports go to. The plan's control plane is us-east-1
 * only (https://docs.aws.amazon.com/r53recovery/latest/dg/data-and-control-planes-rs.html): pass a
 * us-east-1 provider. Executions run from the data plane of the region being activated, so the
 * plan, created before any outage, keeps working while us-east-1's control plane does not.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KEY_DELETION_WINDOW_DAYS } from "../security/multiRegionKey";
import { ReportBucket } from "../storage/reportBucket";

/** The control plane's only region. */
export const REGION_SWITCH_CONTROL_REGION = "us-east-1";
export const REPORT_PREFIX = "region-switch-reports";

/** The service that assumes the execution role (security_iam_region_switch_trust_policy.html). */
export const EXECUTION_ROLE_PRINCIPAL = "arc-region-switch.amazonaws.com";

/**
 * What every execution role needs whatever its blocks: iam:SimulatePrincipalPolicy (plan evaluation
 * checks the role's permissions with it, and a ManualApproval's approver role's too: AWS's managed
 * AmazonApplicationRecoveryControllerRegionSwitchPlanExecutionPolicy allows it on roles for "plan
 * evaluation") and read access to the plan and its executions
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_complete_policy.html).
 */
export const EXECUTION_BASE_STATEMENTS = (roleArn: string, approvalRoleArn?: string): PolicyStatement[] => [
  { Sid: "PlanEvaluation", Effect: "Allow", Action: ["iam:SimulatePrincipalPolicy"], Resource: approvalRoleArn ? [roleArn, approvalRoleArn] : [roleArn] },
  { Sid: "ReadPlanAndExecutions", Effect: "Allow", Action: ["arc-region-switch:GetPlan", "arc-region-switch:GetPlanExecution", "arc-region-switch:ListPlanExecutions"], Resource: ["*"] },
];

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: string[];
  readonly Resource: string[];
}

/** The plan as generated from the drills (src/regionswitch/planSpec.ts), plain values. */
export interface RegionSwitchPlanSpec {
  readonly name: string;
  readonly primaryRegion: string;
  readonly regions: string[];
  readonly recoveryTimeObjectiveMinutes: number;
  readonly workflows: aws.types.input.arcregionswitch.PlanWorkflow[];
  readonly associatedAlarms: aws.types.input.arcregionswitch.PlanAssociatedAlarm[];
  readonly triggers: aws.types.input.arcregionswitch.PlanTrigger[];
}

export interface RegionSwitchPlanArgs {
  /** The plan, generated from the drills; resolved once the stacks' outputs are read. */
  readonly spec: RegionSwitchPlanSpec;
  /** What the plan's blocks need of the execution role, on their own ARNs (generated from the blocks present). */
  readonly blockStatements: readonly PolicyStatement[];
  /** The account that owns the plan, its roles and the report bucket. */
  readonly accountId: string;
  /** The approval role's name: its ARN is already in the spec's ManualApproval blocks (approvalRoleArn). */
  readonly approvalRoleName: string;
  /** Whether a ManualApproval block names the approval role (evaluation then checks its permission). Default false. */
  readonly approvalSteps?: boolean;
}

/** The approval role's ARN, known before the role exists (the plan's ManualApproval names it). */
export function approvalRoleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

const policyJson = (statements: PolicyStatement[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

export class RegionSwitchPlan extends pulumi.ComponentResource {
  readonly planArn: pulumi.Output<string>;
  readonly planName: pulumi.Output<string>;
  readonly executionRoleArn: pulumi.Output<string>;
  readonly approvalRoleArn: pulumi.Output<string>;
  readonly reportBucketName: pulumi.Output<string>;

  constructor(name: string, args: RegionSwitchPlanArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dr:recovery:RegionSwitchPlan", name, {}, opts);
    const { spec } = args;
    const approvalRole = new aws.iam.Role(`${name}-approval-role`, {
      name: args.approvalRoleName,
      description: `assumed by the person who approves a ManualApproval step of Region switch plan ${spec.name}`,
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${args.accountId}:root` }, Action: "sts:AssumeRole" }] }),
    }, { parent: this });
    const key = new aws.kms.Key(`${name}-report-key`, {
      description: `encrypts the execution reports of Region switch plan ${spec.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
      // The account administers the key, which lets IAM policies grant its use: the execution role's own
      // policy grants it kms:Encrypt and kms:GenerateDataKey for the reports.
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${args.accountId}:root` }, Action: "kms:*", Resource: "*" }] }),
    }, { parent: this, retainOnDelete: true });
    const reports = new ReportBucket(`${name}-reports`, { kmsKeyArn: key.arn }, { parent: this });

    const role = new aws.iam.Role(`${name}-execution-role`, {
      description: `Region switch plan ${spec.name}: exactly what its execution blocks do`,
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: EXECUTION_ROLE_PRINCIPAL }, Action: "sts:AssumeRole" }] }),
    }, { parent: this });
    const execution = new aws.iam.RolePolicy(`${name}-execution-policy`, {
      role: role.id,
      // Reports: PutObject into this bucket (evaluation checks it: working-with-rs-plan-evaluation.html),
      // and with a customer key kms:GenerateDataKey and kms:Encrypt on it (security_iam_region_switch_reports.html).
      policy: pulumi.all([reports.bucketArn, key.arn, role.arn, approvalRole.arn]).apply(([bucketArn, keyArn, roleArn, approverArn]) => policyJson([
        // Every plan's base (security_iam_region_switch_complete_policy.html): evaluation simulates this
        // role's own policies against the blocks, and execution reads the plan and its executions.
        ...EXECUTION_BASE_STATEMENTS(roleArn, args.approvalSteps ? approverArn : undefined),
        ...args.blockStatements,
        { Sid: "Reports", Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${bucketArn}/*`] },
        { Sid: "ReportsKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: [keyArn] },
      ])),
    }, { parent: this });

    const plan = new aws.arcregionswitch.Plan(`${name}-plan`, {
      name: spec.name,
      description: "generated from the failover and failback drills (src/regionswitch): the drills and this plan run the same steps",
      executionRole: role.arn,
      recoveryApproach: "activePassive",
      primaryRegion: spec.primaryRegion,
      regions: spec.regions,
      recoveryTimeObjectiveMinutes: spec.recoveryTimeObjectiveMinutes,
      workflows: spec.workflows,
      associatedAlarms: spec.associatedAlarms,
      ...(spec.triggers.length ? { triggers: spec.triggers } : {}),
      reportConfigurations: [{ reportOutputs: [{ s3Configurations: [{ bucketOwner: args.accountId, bucketPath: pulumi.interpolate`s3://${reports.bucketName}/${REPORT_PREFIX}` }] }] }],
    }, { parent: this, dependsOn: [execution] });

    // Triggers start executions as the execution role; without triggers it may not start any.
    if (spec.triggers.length)
      new aws.iam.RolePolicy(`${name}-trigger-policy`, { role: role.id, policy: plan.arn.apply((arn) => policyJson([{ Sid: "Triggers", Effect: "Allow", Action: ["arc-region-switch:StartPlanExecution"], Resource: [arn] }])) }, { parent: this });
    new aws.iam.RolePolicy(`${name}-approval-policy`, {
      role: approvalRole.id,
      policy: plan.arn.apply((arn) => policyJson([{ Sid: "Approve", Effect: "Allow", Action: ["arc-region-switch:ApprovePlanExecutionStep", "arc-region-switch:GetPlanExecution"], Resource: [arn] }])),
    }, { parent: this });

    this.planArn = plan.arn;
    this.planName = plan.name;
    this.executionRoleArn = role.arn;
    this.approvalRoleArn = approvalRole.arn;
    this.reportBucketName = reports.bucketName;
    this.registerOutputs({ planArn: this.planArn, planName: this.planName, executionRoleArn: this.executionRoleArn, approvalRoleArn: this.approvalRoleArn, reportBucketName: this.reportBucketName });
  }
}
