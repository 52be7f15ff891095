import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { requireAwsProvider } from "../providers";
import { ExperimentSpec, experimentRolePolicy, experimentTrustPolicy, GAME_DAY_TAG, REPORT_WINDOW } from "./gameDayPlan";

export interface FaultExperimentArgs {
  /** The scenario's targets and actions (gameDayPlan.experimentSpec). Required. */
  readonly spec: ExperimentSpec;
  /** The owning stack's name (the dr:stack tag the role's instance permissions are scoped to). Required. */
  readonly stack: string;
  /** The experiment's region (the provider's). Required. */
  readonly region: string;
  /** ARNs of the CloudWatch alarms (1-5, same region) that stop the experiment. Required. */
  readonly stopAlarmArns: readonly pulumi.Input<string>[];
  /** The encrypted bucket the experiment report is written to. Required. */
  readonly reportBucket: { readonly name: pulumi.Input<string>; readonly arn: pulumi.Input<string> };
  /** The region's customer key (report objects, instance volumes). Required. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The region's data bucket ARN (for replication pauses). Required. */
  readonly dataBucketArn: pulumi.Input<string>;
}

/**
 * One AWS FIS experiment template and the role it runs with: the role trusts fis.amazonaws.com for
 * this account's experiments in this region only and holds exactly the calls the template's
 * actions make. Stop conditions are the platform's alarms; the report goes to the encrypted bucket.
 * Nothing runs until someone starts an experiment (`npm run dr -- gameday <scenario>`).
 */
export class FaultExperiment extends pulumi.ComponentResource {
  readonly templateId: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: FaultExperimentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dr:resilience:FaultExperiment", name, {}, opts);
    requireAwsProvider(this, `FaultExperiment ${name}`);
    const { spec } = args;
    const reportPrefix = `${spec.scenario}/`;
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

    const role = new aws.iam.Role(`${name}-role`, {
      description: `AWS FIS runs the ${spec.scenario} game day with this role`,
      assumeRolePolicy: account.apply((id) => JSON.stringify(experimentTrustPolicy(id, args.region))),
    }, { parent: this });
    const policy = new aws.iam.RolePolicy(`${name}-role`, {
      role: role.id,
      policy: pulumi.all([account, args.reportBucket.arn, args.kmsKeyArn, args.dataBucketArn]).apply(([id, bucketArn, kmsKeyArn, dataBucketArn]) =>
        JSON.stringify(experimentRolePolicy(spec, { account: id, region: args.region, stack: args.stack, reportBucketArn: bucketArn, reportPrefix, kmsKeyArn, dataBucketArn }))),
    }, { parent: this });

    const template = new aws.fis.ExperimentTemplate(`${name}-template`, {
      description: spec.description.slice(0, 512),
      roleArn: role.arn,
      stopConditions: args.stopAlarmArns.map((value) => ({ source: "aws:cloudwatch:alarm", value })),
      targets: spec.targets.map((t) => ({
        name: t.name,
        resourceType: t.resourceType,
        resourceTags: Object.entries(t.tags).map(([key, value]) => ({ key, value })),
        selectionMode: t.selectionMode,
        filters: t.filters?.map((f) => ({ path: f.path, values: [...f.values] })),
      })),
      actions: spec.actions.map((a) => ({
        name: a.name,
        actionId: a.actionId,
        description: a.description,
        parameters: Object.entries(a.parameters).map(([key, value]) => ({ key, value })),
        target: { key: a.target.key, value: a.target.name },
      })),
      // A target that resolves to nothing fails the experiment: a game day that faults nothing proves nothing.
      experimentOptions: { accountTargeting: "single-account", emptyTargetResolutionMode: "fail" },
      experimentReportConfiguration: {
        outputs: { s3Configuration: { bucketName: args.reportBucket.name, prefix: reportPrefix } },
        preExperimentDuration: REPORT_WINDOW,
        postExperimentDuration: REPORT_WINDOW,
      },
      tags: { [GAME_DAY_TAG]: spec.scenario },
      // The role's permissions must exist before FIS validates the template against them.
    }, { parent: this, dependsOn: [policy] });

    this.templateId = template.id;
    this.roleArn = role.arn;
    this.registerOutputs({ templateId: this.templateId, roleArn: this.roleArn });
  }
}
