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
import { databaseCapacityFor } from "../../components/compute/capacity";
import { PolicyStatement } from "../../components/recovery/regionSwitchPlan";
import { RecoveryStart } from "../../components/recovery/recoveryStart";
import { DrillInputs } from "../drills/inputs";
import { failback } from "../drills/scenarios/failback";
import { failover } from "../drills/scenarios/failover";
import { flatSteps, PLAN_BLOCK_LIMIT, PLAN_NAME_MAX_LENGTH, PlanTranslationError, PlanWorkflow, RegionResources, targetPercent, TranslatedWorkflow, translateWorkflow } from "./translate";

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

/**
 * What ARC's evaluation of this plan will warn about on a correct deployment. ARC evaluates a plan
 * several times an hour and repeats an uncleared warning once every 24 hours as an EventBridge event
 * (eventbridge-region-switch.html), which the links stack's region-switch events rule pages on: each
 * entry is a page a day. Checks: working-with-rs-plan-evaluation.html.
 * - Aurora block: "DB instances exist in both clusters" fails while the recovery member is headless
 *   (pilot light) until the plan's add-writer step has created its writer.
 * - EC2 Auto Scaling block: the activated region's group max must reach ceil(percent x the other
 *   region's capacity), the most it ran in 24 h (ec2-auto-scaling-block.html); a group scaling out
 *   under its target-tracking policy may run up to its max, so that max is the source compared.
 */
export function expectedEvaluationWarnings(inputs: DrillInputs, eventsRuleName: string): string[] {
  const { primary, secondary } = inputs;
  const out: string[] = [];
  if (databaseCapacityFor(secondary.config.strategy, "secondary", secondary.config.database.instances).headless)
    out.push(`Aurora Global Database block: ${secondary.region}'s member cluster is headless (pilot light), so the check "DB instances exist in both clusters" warns until the plan's add-writer step has run; expected: it pages once a day through the EventBridge rule ${eventsRuleName}`);
  for (const [to, from] of [[secondary, primary], [primary, secondary]] as const)
    for (const tier of ["web", "app"] as const) {
      const percent = targetPercent(inputs, to, tier);
      const need = Math.ceil((percent * from.config.capacity[tier].max) / 100);
      const max = to.config.capacity[tier].max;
      if (max < need)
        out.push(`EC2 Auto Scaling block (${tier} tier, activating ${to.region}): ${to.region}'s group may grow to ${max} instances, fewer than ${need} (${percent} % of ${from.region}'s max ${from.config.capacity[tier].max}, which it reaches when it scales out): on a day it does, the capacity check warns and pages once a day through the EventBridge rule ${eventsRuleName}; set dr:capacity.${tier}.max to at least ${need} in stack "${to.stack}"`);
    }
  return out;
}

/** arn:aws:rds:region:account:cluster:id -> the global cluster's ARN (global clusters have no region). */
export function globalClusterArn(memberArn: string, globalClusterIdentifier: string): string {
  const m = /^arn:(aws[a-z-]*):rds:[^:]*:(\d+):/.exec(memberArn);
  if (!m) throw new PlanTranslationError(`${memberArn} is not an RDS cluster ARN`);
  return `arn:${m[1]}:rds::${m[2]}:global-cluster:${globalClusterIdentifier}`;
}

/** The ARC cluster and control panel of the routing controls an ARCRoutingControl block sets. */
export interface RoutingControlHome {
  readonly clusterArn: string;
  readonly controlPanelArn: string;
}

/**
 * The execution role's statements, generated from the blocks the workflows hold, as AWS's sample
 * policy of each block has them (plan evaluation simulates the role's policies against what each
 * block needs: working-with-rs-plan-evaluation.html): every mutating action on the plan's own
 * resources; read-only Describe/Get calls on `*` where the sample has them on `*`
 * (autoscaling:DescribeAutoScalingGroups, cloudwatch:GetMetricStatistics, rds:DescribeDBClusters,
 * rds:DescribeGlobalClusters). Per-block samples: security_iam_region_switch_{aurora,
 * ec2_autoscaling,lambda,arc_routing}.html; alarms: security_iam_region_switch_reports.html. The
 * reports' and triggers' statements name the bucket and the plan, which the RegionSwitchPlan
 * component adds once they exist.
 */
export function executionRoleStatements(workflows: readonly PlanWorkflow[], globalClusterIdentifier: string, alarmArns: readonly string[], routingControlHome?: RoutingControlHome): PolicyStatement[] {
  const blocks = workflows.flatMap((w) => flatSteps(w.steps));
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  const out: PolicyStatement[] = [];
  const aurora = blocks.flatMap((b) => b.globalAuroraConfigs ?? []);
  if (aurora.length) {
    const clusters = uniq(aurora.flatMap((a) => a.databaseClusterArns));
    const resources = uniq([globalClusterArn(clusters[0], globalClusterIdentifier), ...clusters]);
    out.push({ Sid: "AuroraGlobalDatabaseRead", Effect: "Allow", Action: ["rds:DescribeDBClusters", "rds:DescribeGlobalClusters"], Resource: ["*"] });
    out.push({ Sid: "AuroraGlobalDatabase", Effect: "Allow", Action: ["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"], Resource: resources });
  }
  const asgs = uniq(blocks.flatMap((b) => b.ec2AsgCapacityIncreaseConfigs ?? []).flatMap((c) => c.asgs.map((a) => a.arn)));
  if (asgs.length) {
    out.push({ Sid: "EC2AutoScaling", Effect: "Allow", Action: ["autoscaling:UpdateAutoScalingGroup"], Resource: asgs });
    out.push({ Sid: "EC2AutoScalingRead", Effect: "Allow", Action: ["autoscaling:DescribeAutoScalingGroups", "cloudwatch:GetMetricStatistics"], Resource: ["*"] });
  }
  const lambdas = uniq(blocks.flatMap((b) => b.customActionLambdaConfigs ?? []).flatMap((c) => c.lambdas.map((l) => l.arn)));
  if (lambdas.length) out.push({ Sid: "CustomActionLambda", Effect: "Allow", Action: ["lambda:GetFunction", "lambda:InvokeFunction"], Resource: lambdas });
  const controls = uniq(blocks.flatMap((b) => b.arcRoutingControlConfigs ?? []).flatMap((c) => c.regionAndRoutingControls.flatMap((r) => r.routingControls.map((x) => x.routingControlArn))));
  if (controls.length) {
    // Evaluation checks the role may read the control panel (and its cluster); the block sets the
    // controls with UpdateRoutingControlStates (security_iam_region_switch_arc_routing.html).
    if (!routingControlHome) throw new PlanTranslationError(`the plan's ARCRoutingControl blocks set ${controls.join(", ")}, but no cluster and control panel were given for them: deploy the primary stack with this version of the program first (it exports regionSwitch.clusterArn)`);
    out.push({ Sid: "ARCControlPanel", Effect: "Allow", Action: ["route53-recovery-control-config:DescribeCluster", "route53-recovery-control-config:DescribeControlPanel"], Resource: [routingControlHome.clusterArn, routingControlHome.controlPanelArn] });
    out.push({ Sid: "ARCRoutingControl", Effect: "Allow", Action: ["route53-recovery-cluster:GetRoutingControlState", "route53-recovery-cluster:UpdateRoutingControlStates"], Resource: controls });
  }
  if (alarmArns.length) out.push({ Sid: "Alarms", Effect: "Allow", Action: ["cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms"], Resource: uniq([...alarmArns]) });
  return out;
}

