/**
 * The whole ARC Region switch plan, pure: both workflows translated from the drills (activate the
 * secondary from the failover drill, activate the primary from the failback drill), the alarms and
 * triggers, the limits AWS enforces, and the execution role's policy generated from the blocks present.
 *
 * AWS rules relied on (https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Plan.html and
 * https://docs.aws.amazon.com/r53recovery/latest/dg/): exactly two regions, a name of at most 32
 * characters, at most 100 blocks (quotas.region-switch.html); each trigger
 * condition names an associated alarm of type trigger (working-with-rs-triggers.html).
 */
import { PolicyStatement } from "../../components/recovery/regionSwitchPlan";
import { RecoveryStart } from "../../components/recovery/recoveryStart";
import { DrillInputs } from "../drills/inputs";
import { failback } from "../drills/scenarios/failback";
import { failover } from "../drills/scenarios/failover";
import { flatSteps, PLAN_BLOCK_LIMIT, PLAN_NAME_MAX_LENGTH, PlanTranslationError, PlanWorkflow, RegionResources, TranslatedWorkflow, translateWorkflow } from "./translate";

/** A trigger fires again at most this often: one recovery at a time. */
export const TRIGGER_MIN_DELAY_MINUTES = 60;
const PLAN_NAME_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

export interface AlarmRef {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
}

export interface PlanSpecInputs {
  readonly inputs: DrillInputs;
  readonly resources: Readonly<Record<string, RegionResources>>;
  readonly recovery: RecoveryStart;
  readonly rtoSeconds: number;
  readonly approvalRoleArn: string;
  /** Each region's application-health alarm (green once the region serves): actualRecoveryTime waits for it. */
  readonly healthAlarms: readonly AlarmRef[];
  /** The recovery region's trigger alarm (alarm start), when the secondary built one. */
  readonly triggerAlarm?: AlarmRef;
}

export interface PlanSpec {
  readonly name: string;
  readonly primaryRegion: string;
  readonly regions: [string, string];
  readonly recoveryTimeObjectiveMinutes: number;
  readonly workflows: readonly TranslatedWorkflow[];
  readonly associatedAlarms: { alarmType: "applicationHealth" | "trigger"; mapBlockKey: string; resourceIdentifier: string }[];
  readonly triggers: { action: "activate"; targetRegion: string; minDelayMinutesBetweenExecutions: number; description: string; conditions: { associatedAlarmName: string; condition: "red" }[] }[];
}

/** The plan's name: one per deployment, at most 32 characters. */
export function planName(appName: string, environment: string): string {
  return `${appName}-${environment}-dr`;
}

/** One clear error naming the keys that make the name, before anything is registered. */
export function planNameProblem(appName: string, environment: string): string | undefined {
  const name = planName(appName, environment);
  const keys = `dr:appName "${appName}", dr:environment "${environment}", plus "-dr"`;
  if (name.length > PLAN_NAME_MAX_LENGTH)
    return `the Region switch plan name "${name}" (${keys}) is ${name.length} characters; ARC Region switch allows ${PLAN_NAME_MAX_LENGTH}: shorten dr:appName or dr:environment by ${name.length - PLAN_NAME_MAX_LENGTH}`;
  // The plan ARN's pattern (API_StartPlanExecution.html): letters, digits and inner hyphens.
  if (!PLAN_NAME_PATTERN.test(name)) return `the Region switch plan name "${name}" (${keys}) may hold only letters, digits and hyphens, starting and ending with a letter or digit: change dr:appName or dr:environment`;
  return undefined;
}

export function planSpec(p: PlanSpecInputs): PlanSpec {
  const { inputs } = p;
  const problem = planNameProblem(inputs.appName, inputs.primary.config.environment);
  if (problem) throw new PlanTranslationError(problem);
  if (!inputs.globalClusterIdentifier) throw new PlanTranslationError(`strategy ${inputs.strategy} keeps no Aurora global database; the Region switch plan supports pilot-light and warm-standby`);
  const { primary, secondary } = inputs;
  const approvalRoleArn = p.recovery.approval ? p.approvalRoleArn : undefined;
  const common = { inputs, resources: p.resources, approvalRoleArn };
  const workflows = [
    translateWorkflow(failover.steps(inputs, primary, secondary), { ...common, from: primary, to: secondary },
      `activate ${secondary.region}: the failover drill's steps (graceful: switchover with no data loss; ungraceful: FailoverGlobalCluster)`),
    translateWorkflow(failback.steps(inputs, secondary, primary), { ...common, from: secondary, to: primary },
      `activate ${primary.region}: the failback drill's steps`),
  ];
  const blocks = workflows.reduce((n, w) => n + flatSteps(w.workflow.steps).length, 0);
  if (blocks > PLAN_BLOCK_LIMIT) throw new PlanTranslationError(`the Region switch plan would hold ${blocks} execution blocks; ARC allows ${PLAN_BLOCK_LIMIT} per plan`);
  const trigger = p.recovery.mode === "alarm" ? p.triggerAlarm : undefined;
  if (p.recovery.mode === "alarm" && !trigger)
    throw new PlanTranslationError(`dr:recovery.mode is alarm, but stack "${secondary.stack}" exports no trigger alarm (regional.recovery.triggerAlarm); deploy it with dr:recovery.mode alarm first`);
  if (trigger && trigger.region !== secondary.region)
    throw new PlanTranslationError(`the trigger alarm ${trigger.name} is in ${trigger.region}; it must live in the recovery region ${secondary.region}`);
  return {
    name: planName(inputs.appName, primary.config.environment),
    primaryRegion: primary.region,
    regions: [primary.region, secondary.region],
    recoveryTimeObjectiveMinutes: Math.max(1, Math.ceil(p.rtoSeconds / 60)),
    workflows,
    associatedAlarms: [
      ...p.healthAlarms.map((a) => ({ alarmType: "applicationHealth" as const, mapBlockKey: a.name, resourceIdentifier: a.arn })),
      ...(trigger ? [{ alarmType: "trigger" as const, mapBlockKey: trigger.name, resourceIdentifier: trigger.arn }] : []),
    ],
    triggers: trigger
      ? [{ action: "activate", targetRegion: secondary.region, minDelayMinutesBetweenExecutions: TRIGGER_MIN_DELAY_MINUTES, description: `activate ${secondary.region} when ${primary.region}'s endpoint fails, as seen from ${secondary.region}`, conditions: [{ associatedAlarmName: trigger.name, condition: "red" }] }]
      : [],
  };
}

/** arn:aws:rds:region:account:cluster:id -> the global cluster's ARN (global clusters have no region). */
export function globalClusterArn(memberArn: string, globalClusterIdentifier: string): string {
  const m = /^arn:(aws[a-z-]*):rds:[^:]*:(\d+):/.exec(memberArn);
  if (!m) throw new PlanTranslationError(`${memberArn} is not an RDS cluster ARN`);
  return `arn:${m[1]}:rds::${m[2]}:global-cluster:${globalClusterIdentifier}`;
}

/**
 * The execution role's statements, generated from the blocks the workflows hold: every mutating
 * action on the plan's own resources, read-only Describe/Get calls on `*` only where the service
 * has no resource-level permission for them (autoscaling:DescribeAutoScalingGroups,
 * cloudwatch:GetMetricStatistics). Per-block permissions:
 * security_iam_region_switch_{aurora,ec2_autoscaling,lambda}.html; alarms:
 * working-with-rs-plan-evaluation.html. The reports' and triggers' statements name the bucket and the
 * plan, which the RegionSwitchPlan component adds once they exist.
 */
export function executionRoleStatements(workflows: readonly PlanWorkflow[], globalClusterIdentifier: string, alarmArns: readonly string[]): PolicyStatement[] {
  const blocks = workflows.flatMap((w) => flatSteps(w.steps));
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  const out: PolicyStatement[] = [];
  const aurora = blocks.flatMap((b) => b.globalAuroraConfigs ?? []);
  if (aurora.length) {
    const clusters = uniq(aurora.flatMap((a) => a.databaseClusterArns));
    const resources = uniq([globalClusterArn(clusters[0], globalClusterIdentifier), ...clusters]);
    out.push({ Sid: "AuroraGlobalDatabase", Effect: "Allow", Action: ["rds:DescribeDBClusters", "rds:DescribeGlobalClusters", "rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"], Resource: resources });
  }
  const asgs = uniq(blocks.flatMap((b) => b.ec2AsgCapacityIncreaseConfigs ?? []).flatMap((c) => c.asgs.map((a) => a.arn)));
  if (asgs.length) {
    out.push({ Sid: "EC2AutoScaling", Effect: "Allow", Action: ["autoscaling:UpdateAutoScalingGroup"], Resource: asgs });
    out.push({ Sid: "EC2AutoScalingRead", Effect: "Allow", Action: ["autoscaling:DescribeAutoScalingGroups", "cloudwatch:GetMetricStatistics"], Resource: ["*"] });
  }
  const lambdas = uniq(blocks.flatMap((b) => b.customActionLambdaConfigs ?? []).flatMap((c) => c.lambdas.map((l) => l.arn)));
  if (lambdas.length) out.push({ Sid: "CustomActionLambda", Effect: "Allow", Action: ["lambda:GetFunction", "lambda:InvokeFunction"], Resource: lambdas });
  const controls = uniq(blocks.flatMap((b) => b.arcRoutingControlConfigs ?? []).flatMap((c) => c.regionAndRoutingControls.flatMap((r) => r.routingControls.map((x) => x.routingControlArn))));
  if (controls.length) out.push({ Sid: "ARCRoutingControl", Effect: "Allow", Action: ["route53-recovery-cluster:GetRoutingControlState", "route53-recovery-cluster:UpdateRoutingControlState"], Resource: controls });
  if (alarmArns.length) out.push({ Sid: "Alarms", Effect: "Allow", Action: ["cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms"], Resource: uniq([...alarmArns]) });
  return out;
}

