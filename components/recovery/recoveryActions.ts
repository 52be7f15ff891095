/**
 * What one region contributes to the in-cloud ARC Region switch plan, in its own region (static
 * stability: a secondary's Lambdas, alarms and probe live in the secondary): the custom-action
 * Lambdas the plan's CustomActionLambda blocks run, each with a role that may do exactly its
 * action; and, in the recovery region with alarm start, the trigger's probe and its alarm (in the
 * alarm catalogue: it pages like every alarm, and the region's dashboard draws it).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cataloguedAlarm, Entry } from "../observability/catalogueEntry";
import { RegionSwitchPlacement, SWITCH_METRIC_NAME, SWITCH_METRIC_NAMESPACE, SWITCH_OFF_VALUE, SWITCH_ON_VALUE } from "../dns/regionSwitch";
import { LAMBDA_RUNTIME } from "../lambdaRuntime";
import { ACTION_HANDLER_SOURCE } from "./actionHandler";
import { RECOVERY_TRIGGER_SIGNAL } from "./recoveryStart";

const LOG_RETENTION_DAYS = 90;

type Statement = { Effect: "Allow"; Action: string[]; Resource: pulumi.Input<string>[]; Condition?: Record<string, Record<string, string>> };

export interface ActionSpec {
  /** Action key (src/regionswitch/translate.ts lambdaKey). */
  readonly key: string;
  /** DR_ACTION of the handler. */
  readonly handler: string;
  readonly environment: Record<string, pulumi.Input<string>>;
  /** Exactly what the action does, on exactly its resources. */
  readonly statements: Statement[];
  readonly timeoutSeconds?: number;
}

export interface RecoveryActionsArgs {
  /** `${appName}-${environment}`: the prefix of every function and alarm name. */
  readonly prefix: string;
  /** The region of this stack (and of the provider passed in opts). */
  readonly region: string;
  /** The Lambdas to build. */
  readonly actions: readonly ActionSpec[];
  /**
   * The probe of the primary's regional endpoint and its alarm (recovery region only): the plan's
   * trigger with alarm start (`startsPlan`), else a page from outside the primary's region.
   */
  readonly trigger?: {
    readonly alarmName: string; readonly probedRegion: string; readonly healthUrl: string; readonly alarmTopicArn: pulumi.Input<string>; readonly startsPlan: boolean;
    /** The probed region's CloudWatch switch alarm when it lives in this region: while it reads off, the probe reports no failure. */
    readonly probedSwitchAlarm?: { readonly name: string; readonly arn: pulumi.Input<string> };
  };
}

export class RecoveryActions extends pulumi.ComponentResource {
  /** Function ARNs by action key. */
  readonly lambdaArns: Record<string, pulumi.Output<string>> = {};
  readonly triggerAlarm?: { name: pulumi.Output<string>; arn: pulumi.Output<string> };
  /** The trigger alarm for the region's dashboard and the plan report (components/observability/alarmCatalogue.ts). */
  readonly catalogue: Entry[] = [];

  constructor(name: string, args: RecoveryActionsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dr:recovery:RecoveryActions", name, {}, opts);
    const fn = (spec: ActionSpec) => this.lambda(name, args.prefix, spec);
    for (const spec of args.actions) this.lambdaArns[spec.key] = fn(spec).arn;

    if (args.trigger) {
      const t = args.trigger;
      const s = RECOVERY_TRIGGER_SIGNAL;
      const probe = fn({
        key: "probe", handler: "probe", timeoutSeconds: 70,
        environment: {
          HEALTH_URL: t.healthUrl, PROBED_REGION: t.probedRegion, NAMESPACE: s.namespace, METRIC_NAME: s.metricName, PERIOD_SECONDS: String(s.periodSeconds),
          ...(t.probedSwitchAlarm ? { SWITCH_ALARM_NAME: t.probedSwitchAlarm.name } : {}),
        },
        statements: [
          { Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: ["*"], Condition: { StringEquals: { "cloudwatch:namespace": s.namespace } } },
          // DescribeAlarms takes alarm ARNs as resources (r53recovery/latest/dg/security_iam_region_switch_cloudwatch.html).
          ...(t.probedSwitchAlarm ? [{ Effect: "Allow" as const, Action: ["cloudwatch:DescribeAlarms"], Resource: [t.probedSwitchAlarm.arn] }] : []),
        ],
      });
      const rule = new aws.cloudwatch.EventRule(`${name}-probe-schedule`, { scheduleExpression: "rate(1 minute)", description: `probes ${t.healthUrl} from ${args.region} every ${s.periodSeconds} s` }, { parent: this });
      new aws.cloudwatch.EventTarget(`${name}-probe-target`, { rule: rule.name, arn: probe.arn }, { parent: this });
      new aws.lambda.Permission(`${name}-probe-permission`, { action: "lambda:InvokeFunction", function: probe.name, principal: "events.amazonaws.com", sourceArn: rule.arn }, { parent: this });
      const alarm = cataloguedAlarm(`${name}-trigger`, { panel: "health-check", runbook: "recovery-trigger", region: args.region, topics: [t.alarmTopicArn] }, {
        name: t.alarmName,
        alarmDescription: t.startsPlan
          ? `${t.probedRegion}'s endpoint fails as seen from ${args.region}: starts the Region switch plan (dr:recovery.mode alarm)`
          : `${t.probedRegion}'s endpoint fails as seen from ${args.region}: decide on a failover (dr:recovery.mode person; this page does not depend on us-east-1)`,
        namespace: s.namespace, metricName: s.metricName, dimensions: { Region: t.probedRegion }, statistic: "Minimum",
        // High-resolution alarm: 10 s periods over a metric stored at one-second resolution.
        period: s.periodSeconds, evaluationPeriods: s.evaluationPeriods, datapointsToAlarm: s.datapointsToAlarm,
        threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold",
        // A silent probe (its own failure) must not start a recovery.
        treatMissingData: "notBreaching",
      }, this.catalogue, this);
      this.triggerAlarm = { name: alarm.name, arn: alarm.arn };
    }
    this.registerOutputs({ lambdaArns: this.lambdaArns, triggerAlarm: this.triggerAlarm });
  }

  private lambda(name: string, prefix: string, spec: ActionSpec): aws.lambda.Function {
    const functionName = `${prefix}-dr-${spec.key}`;
    const child = `${name}-${spec.key}`;
    const logGroup = new aws.cloudwatch.LogGroup(`${child}-logs`, { name: `/aws/lambda/${functionName}`, retentionInDays: LOG_RETENTION_DAYS }, { parent: this });
    // The role is named after its function alone (its URN differs by type): Pulumi adds 8 characters
    // to the name and IAM allows 64, which `${child}-role` passes with a 16-character dr:appName.
    const role = new aws.iam.Role(child, {
      description: `${functionName}: the in-cloud plan's ${spec.key} action, nothing else`,
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
    }, { parent: this });
    const statements: Statement[] = [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [pulumi.interpolate`${logGroup.arn}:*`] }, ...spec.statements];
    const policy = new aws.iam.RolePolicy(`${child}-policy`, {
      role: role.id,
      policy: pulumi.output(statements).apply((s) => JSON.stringify({ Version: "2012-10-17", Statement: s })),
    }, { parent: this });
    return new aws.lambda.Function(child, {
      name: functionName,
      description: `DR in-cloud plan action: ${spec.key}`,
      runtime: LAMBDA_RUNTIME,
      handler: "index.handler",
      code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(ACTION_HANDLER_SOURCE) }),
      role: role.arn,
      timeout: spec.timeoutSeconds ?? 60,
      environment: { variables: { DR_ACTION: spec.handler, ...spec.environment } },
    }, { parent: this, dependsOn: [logGroup, policy] });
  }
}

/** The switch actions a region's Lambdas take: each writes one switch's metric in its host region. */
export function switchActions(placements: readonly RegionSwitchPlacement[], switched: readonly { region: string; effect: "on" | "off" }[]): ActionSpec[] {
  return switched.map(({ region, effect }) => {
    const p = placements.find((x) => x.switchedRegion === region);
    if (!p) throw new Error(`region switch: no switch placement for ${region}`);
    return {
      key: `switch-${effect}-${region}`, handler: "switch",
      environment: {
        HOST_REGION: p.hostRegion, SWITCHED_REGION: region, NAMESPACE: SWITCH_METRIC_NAMESPACE, METRIC_NAME: SWITCH_METRIC_NAME,
        DIMENSIONS: JSON.stringify(p.dimensions), VALUE: String(effect === "off" ? SWITCH_OFF_VALUE : SWITCH_ON_VALUE),
      },
      // PutMetricData has no resource-level permission; the namespace condition keeps it to the switch
      // metric, and aws:RequestedRegion to the switch's host region: metrics are regional, and a copy in
      // another region may write this switch there only (IAM reference_policies_condition-keys.html).
      statements: [{ Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: ["*"], Condition: { StringEquals: { "cloudwatch:namespace": SWITCH_METRIC_NAMESPACE, "aws:RequestedRegion": p.hostRegion } } }],
    };
  });
}

/**
 * The copy of a plan action in a region where no workflow of the plan runs it: a CustomActionLambda
 * block names the action's Lambda in both plan regions, so this region builds one that may do
 * nothing (its role: its own logs only) and fails, saying why, if it ever runs.
 */
export function absentAction(key: string, why: string): ActionSpec {
  return { key, handler: "absent", environment: { WHY: why }, statements: [] };
}
