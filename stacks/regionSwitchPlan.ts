/**
 * The links stack's in-cloud ARC Region switch plan: generated from the failover and failback
 * drills on the stacks' outputs, between the primary and the secondary that holds the SECONDARY
 * record. It lives here because the plan's control plane is us-east-1 only (a stack reference to
 * every region's outputs and a us-east-1 provider are the links stack's already); the regions keep
 * their own Lambdas and alarms, so a secondary's static stability is unchanged.
 */
import * as pulumi from "@pulumi/pulumi";
import { alertDestinations } from "../components/observability/alertDestinations";
import { EventAlert } from "../components/observability/eventAlert";
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
  const evaluationWarnings = expectedEvaluationWarnings(inputs, planEventsRuleName(config));
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
  const alert = planEventsAlert(config, accountId, providers);
  return {
    planArn: plan.planArn,
    planName: plan.planName,
    executionRoleArn: plan.executionRoleArn,
    approvalRoleArn: plan.approvalRoleArn,
    reportBucketName: plan.reportBucketName,
    alertTopicArn: alert.topicArn,
    workflows: Object.fromEntries(spec.workflows.map((w) => [w.workflow.workflowTargetRegion, w.workflow.steps.map((x) => x.name)])),
    unmapped: Object.fromEntries(spec.workflows.map((w) => [w.workflow.workflowTargetRegion, w.unmapped.map((u) => `${u.step} (${u.kind}): ${u.why}`)])),
    evaluationWarnings,
  };
}

/** ARC Region switch's events (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-arc-region-switch.html). */
export const ARC_REGION_SWITCH_EVENT_SOURCE = "aws.arc-region-switch";
export const PLAN_EXECUTION_DETAIL_TYPE = "ARC Region Switch Plan Execution";
export const PLAN_EVALUATION_DETAIL_TYPE = "ARC Region Switch Plan Evaluation";

/** At most 16 + 1 + 16 + 26 = 59 characters (dr:appName, dr:environment): within EventBridge's 64. */
export function planEventsRuleName(config: Pick<LinksConfig, "appName" | "environment">): string {
  return `${config.appName}-${config.environment}-region-switch-plan-events`;
}

/**
 * Pages on every event of a plan execution and every plan evaluation warning. ARC sends its events
 * to EventBridge in the region where the plan was created, the control plane's us-east-1
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/eventbridge-region-switch.html).
 * - Executions: which detail field marks a failure is not documented, so nothing is filtered; an
 *   execution runs only during a recovery, when on-call wants every event.
 * - Evaluations: ARC evaluates the plan every 30 minutes but emits an evaluation event only when the
 *   evaluation returns a warning, and repeats an uncleared warning once every 24 hours (same page).
 *   So every evaluation event is a warning, and nothing is filtered on its example-only fields: a
 *   filter on a misnamed field would lose the page silently, while a noisy page shows itself.
 */
function planEventsAlert(config: LinksConfig, accountId: string, providers: RegionalProviders): EventAlert {
  return new EventAlert(`${config.appName}-region-switch-events`, {
    region: REGION_SWITCH_CONTROL_REGION,
    accountId,
    ruleName: planEventsRuleName(config),
    source: ARC_REGION_SWITCH_EVENT_SOURCE,
    detailTypes: [PLAN_EXECUTION_DETAIL_TYPE, PLAN_EVALUATION_DETAIL_TYPE],
    description: "An ARC Region switch plan execution reported progress (follow it to the end), or the plan's evaluation found a warning (the plan may fail when needed: fix it now).",
    runbook: "region-switch-plan-failed",
    subscriptions: alertDestinations(config.alerts),
  }, { provider: providers.for(REGION_SWITCH_CONTROL_REGION) });
}
