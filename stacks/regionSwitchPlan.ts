/**
 * The links stack's in-cloud ARC Region switch plan: generated from the failover and failback
 * drills on the stacks' outputs, between the primary and the secondary that holds the SECONDARY
 * record. It lives here because the plan's control plane is us-east-1 only (a stack reference to
 * every region's outputs and a us-east-1 provider are the links stack's already); the regions keep
 * their own Lambdas and alarms, so a secondary's static stability is unchanged.
 */
import * as pulumi from "@pulumi/pulumi";
import { alertDestinations } from "../components/observability/alertDestinations";
import { EventAlert, EventAlertRule } from "../components/observability/eventAlert";
import { approvalRoleArn, REGION_SWITCH_CONTROL_REGION, RegionSwitchPlan } from "../components/recovery/regionSwitchPlan";
import { drillInputs, RawOutputs } from "../src/drills/inputs";
import { AlarmRef, executionRoleStatements, expectedEvaluationWarnings, planSpec } from "../src/regionswitch/planSpec";
import { flatSteps, PlanTranslationError, RegionResources } from "../src/regionswitch/translate";
import { ConfigError, LinksConfig } from "./configSchema";
import { Exported, PrimaryExports, RegionSwitchPlanExports, SecondaryExports } from "./contract";
import { RegionalProviders } from "./providers";
import { referencedStack } from "./stackSet";

export function inCloudPlan(config: LinksConfig, primary: PrimaryExports, secondaries: readonly SecondaryExports[], providers: RegionalProviders): Exported<RegionSwitchPlanExports> | null {
  const index = secondaries.findIndex((s) => s.regional.region === primary.shared.replicaRegions[0]);
  const secondary = secondaries[index];
  const p = primary.regional.recovery;
  const s = secondary?.regional.recovery;
  if (!p || !s || !primary.globalClusterIdentifier) return null;
  const stacks = { primary: referencedStack(config.primaryStack), secondary: referencedStack(config.secondaryStacks[index]) };
  const inputs = drillInputs(
    { stack: stacks.primary, config: p.stackConfig, outputs: primary as unknown as RawOutputs },
    { stack: stacks.secondary, config: s.stackConfig, outputs: secondary as unknown as RawOutputs },
    [stacks.primary, stacks.secondary, pulumi.getStack()],
  );
  const accountId = (inputs.primary.dbClusterArn.split(":")[4] ?? "").trim();
  const approvalRoleName = `${config.appName}-${config.environment}-dr-approver`;
  const resources: Record<string, RegionResources> = {
    [inputs.primary.region]: { lambdaArns: p.lambdaArns, autoScalingGroupArns: p.autoScalingGroupArns },
    [inputs.secondary.region]: { lambdaArns: s.lambdaArns, autoScalingGroupArns: s.autoScalingGroupArns },
  };
  const healthAlarms = [p.healthAlarm, s.healthAlarm].filter((a): a is AlarmRef => !!a);
  let spec;
  try {
    spec = planSpec({
      inputs, resources, recovery: s.stackConfig.recovery,
      rtoSeconds: p.stackConfig.objectives.rtoSeconds, approvalRoleArn: approvalRoleArn(accountId, approvalRoleName),
      healthAlarms, triggerAlarm: s.triggerAlarm ?? undefined,
    });
  } catch (err) {
    if (err instanceof PlanTranslationError) throw new ConfigError(`the Region switch plan of stack "${pulumi.getStack()}"`, [{ key: "dr:recovery", value: s.stackConfig.recovery, message: err.message }]);
    throw err;
  }
  // Each warning ARC's evaluation will raise on this deployment pages once a day: say so where the user deploys.
  const evaluationWarnings = expectedEvaluationWarnings(inputs, planEventsRuleName(config, "warnings"));
  for (const w of evaluationWarnings) pulumi.log.warn(`Region switch plan ${spec.name}: ${w}`);
  const workflows = spec.workflows.map((w) => w.workflow);
  const arc = primary.regionSwitch.mechanism === "arc-routing-control" ? primary.regionSwitch : undefined;
  if (arc && !(arc.clusterArn && arc.controlPanelArn))
    throw new ConfigError(`the Region switch plan of stack "${pulumi.getStack()}"`, [{ key: "dr:regionSwitch", value: { mechanism: arc.mechanism }, message: `stack "${config.primaryStack}" exports no regionSwitch.clusterArn and controlPanelArn, which the plan's role needs to read the routing controls' control panel: deploy it with this version of the program first ('pulumi up --stack ${stacks.primary}')` }]);
  const plan = new RegionSwitchPlan(`${config.appName}-region-switch`, {
    spec: { ...spec, workflows },
    blockStatements: executionRoleStatements(workflows, primary.globalClusterIdentifier, spec.associatedAlarms.map((a) => a.resourceIdentifier),
      arc ? { clusterArn: arc.clusterArn!, controlPanelArn: arc.controlPanelArn! } : undefined),
    accountId, approvalRoleName,
    approvalSteps: workflows.some((w) => flatSteps(w.steps).some((s) => s.executionBlockType === "ManualApproval")),
  }, { provider: providers.for(REGION_SWITCH_CONTROL_REGION) });
  const alerts = planEventsAlerts(config, accountId, spec.regions, providers);
  return {
    planArn: plan.planArn,
    planName: plan.planName,
    executionRoleArn: plan.executionRoleArn,
    approvalRoleArn: plan.approvalRoleArn,
    reportBucketName: plan.reportBucketName,
    alertTopicArns: pulumi.all(Object.fromEntries(Object.entries(alerts).map(([region, a]) => [region, a.topicArn]))),
    workflows: Object.fromEntries(spec.workflows.map((w) => [w.workflow.workflowTargetRegion, w.workflow.steps.map((x) => x.name)])),
    unmapped: Object.fromEntries(spec.workflows.map((w) => [w.workflow.workflowTargetRegion, w.unmapped.map((u) => `${u.step} (${u.kind}): ${u.why}`)])),
    evaluationWarnings,
  };
}

/** ARC Region switch's events (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-arc-region-switch.html). */
export const ARC_REGION_SWITCH_EVENT_SOURCE = "aws.arc-region-switch";
/** A field every execution event carries, and no evaluation warning (eventbridge-region-switch.html's samples). */
export const EXECUTION_EVENT_FIELD = "executionId";

/** The name of the plan's event rules, `executions` or `warnings`: at most 16 + 1 + 16 + 25 = 58 characters (dr:appName, dr:environment), within EventBridge's 64. */
export function planEventsRuleName(config: Pick<LinksConfig, "appName" | "environment">, id: "executions" | "warnings"): string {
  return `${config.appName}-${config.environment}-region-switch-${id}`;
}

/**
 * Pages on every ARC Region switch event, in two rules on the documented source, split by content
 * rather than by detail-type (the guide's sample evaluation warning carries the execution
 * detail-type, and its pattern example spells that detail-type in another case):
 * - `executions`: events with `detail.executionId`. Which field marks a failure is not documented,
 *   so nothing more is filtered; an execution runs only during a recovery, when on-call wants every event.
 * - `warnings`: every other event, chiefly evaluation warnings. ARC evaluates the plan every 30
 *   minutes but sends an event only when an evaluation returns a warning, and repeats an uncleared
 *   warning once every 24 hours. Its own rule lets on-call pause these pages without pausing executions.
 * Together the rules match every event of the source: a new kind of event pages too.
 * ARC sends events in the region where the plan was created, us-east-1
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/eventbridge-region-switch.html). Where an
 * execution that runs in another region's data plane sends them is not documented, and us-east-1
 * may be the region that failed: the rules stand in every plan region too, each with its own topic
 * (an event sent to both pages twice; one sent to none pages nobody).
 */
function planEventsAlerts(config: LinksConfig, accountId: string, planRegions: readonly string[], providers: RegionalProviders): Record<string, EventAlert> {
  const rules: EventAlertRule[] = [
    {
      id: "executions",
      ruleName: planEventsRuleName(config, "executions"),
      pattern: { source: [ARC_REGION_SWITCH_EVENT_SOURCE], detail: { [EXECUTION_EVENT_FIELD]: [{ exists: true }] } },
      description: "An ARC Region switch plan execution reported progress (started, a step, paused, failed, completed): follow it to the end.",
      runbook: "region-switch-plan-failed",
    },
    {
      id: "warnings",
      ruleName: planEventsRuleName(config, "warnings"),
      pattern: { source: [ARC_REGION_SWITCH_EVENT_SOURCE], detail: { [EXECUTION_EVENT_FIELD]: [{ exists: false }] } },
      description: "ARC Region switch sent an event that is not an execution's, chiefly a plan evaluation warning: the plan may fail when it is needed.",
      runbook: "region-switch-plan-warning",
    },
  ];
  const regions = [...new Set([REGION_SWITCH_CONTROL_REGION, ...planRegions])];
  return Object.fromEntries(regions.map((region) => [region, new EventAlert(`${config.appName}-region-switch-events-${region}`, {
    region,
    accountId,
    rules,
    subscriptions: alertDestinations(config.alerts),
  }, { provider: providers.for(region) })]));
}
