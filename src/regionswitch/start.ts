/**
 * `dr region-switch start --to <region>`: starts the in-cloud plan against the data plane of the
 * region being activated (the control plane is us-east-1 only and not highly available:
 * https://docs.aws.amazon.com/r53recovery/latest/dg/data-and-control-planes-rs.html), prints the
 * AWS CLI equivalent, polls the execution and prints the measured RTO Region switch reports
 * (GetPlanExecution actualRecoveryTime, an ISO 8601 duration: plan run time plus the time until
 * the application-health alarms are green). `--simulate` runs the generated plan's steps, in plan
 * order, on the drill simulator. No AWS SDK client for Region switch is published on npm, so real
 * executions go through the AWS CLI (the same command the dry-run prints).
 */
import { execFile } from "child_process";
import { promisify } from "util";
import { DrillRequest, DrillResult, runDrill } from "../drills/drill";
import { DrillError } from "../drills/errors";
import { DrillInputs, DrillRegion, TIERS } from "../drills/inputs";
import { Step } from "../drills/step";
import { APPROVAL_STEP_NAME, COVERS, FAILBACK_STEP_SUFFIX, planActionKeys, RegionResources, stepNameSuffix, translateWorkflow } from "./translate";

export type StartMode = "dry-run" | "simulate" | "execute";

export interface StartRequest {
  readonly to: string;
  readonly ungraceful: boolean;
  readonly mode: StartMode;
  readonly cwd: string;
  /** The links stack's regionSwitchPlan.planArn (execute; the dry-run prints a placeholder without it). */
  readonly planArn?: string;
  readonly log: (line: string) => void;
  /** The Region switch data plane (execute); tests inject a fake. */
  readonly port?: RegionSwitchPort;
  /** Seconds between polls (execute). */
  readonly pollSeconds?: number;
  readonly sleep?: (seconds: number) => Promise<void>;
  /** Simulation: the journal to write (default: drills/<scenario>-<time>.jsonl). */
  readonly journal?: string;
}

export interface PlanExecution {
  readonly executionState: string;
  readonly actualRecoveryTime?: string;
}

export interface RegionSwitchPort {
  start(region: string, planArn: string, mode: "graceful" | "ungraceful"): Promise<string>;
  get(region: string, planArn: string, executionId: string): Promise<PlanExecution>;
}

const TERMINAL = ["completed", "completedWithExceptions", "completedMonitoringApplicationHealth", "canceled", "planExecutionTimedOut", "failed"];
const PLAN_ARN_PLACEHOLDER = "<regionSwitchPlan.planArn: pulumi stack output regionSwitchPlan --stack links>";

export function startCommand(region: string, planArn: string, ungraceful: boolean): string {
  return `aws arc-region-switch start-plan-execution --region ${region} --plan-arn ${planArn} --target-region ${region} --action activate --mode ${ungraceful ? "ungraceful" : "graceful"}`;
}

/** PT1M30S -> 90 seconds. */
export function isoDurationSeconds(iso: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m) return undefined;
  const [d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0));
  return Math.round(d * 86400 + h * 3600 + min * 60 + s);
}

/** Placeholder ARNs for a simulation: the plan's shape needs them, the simulator never calls them. */
function simulatedResources(inputs: DrillInputs): Record<string, RegionResources> {
  const account = inputs.primary.dbClusterArn.split(":")[4];
  const keys = planActionKeys(inputs.primary.region, inputs.secondary.region, { headless: true, switchLambdas: true });
  const of = (r: DrillRegion): RegionResources => ({
    lambdaArns: Object.fromEntries(keys.map((k) => [k, `arn:aws:lambda:${r.region}:${account}:function:${inputs.appName}-${k}`])),
    autoScalingGroupArns: Object.fromEntries(TIERS.map((t) => [t, `arn:aws:autoscaling:${r.region}:${account}:autoScalingGroup:sim:autoScalingGroupName/${inputs.appName}-${t}`])),
  });
  return { [inputs.primary.region]: of(inputs.primary), [inputs.secondary.region]: of(inputs.secondary) };
}

/** The drill steps the generated plan runs, in plan order, with the approval wait where the plan has it. */
export function planSteps(steps: Step[], inputs: DrillInputs, from: DrillRegion, to: DrillRegion): Step[] {
  const recovery = inputs.secondary.config.recovery;
  const { workflow, mapped } = translateWorkflow(steps, {
    inputs, from, to, resources: simulatedResources(inputs),
    approvalRoleArn: recovery.approval ? "arn:aws:iam::111122223333:role/simulated-approver" : undefined,
  }, "simulated");
  const approval: Step = {
    name: APPROVAL_STEP_NAME, kind: "gate", region: to.region, required: true, operation: "none", calls: [],
    purpose: `a person approves the database cut-over (dr:recovery.approvalSeconds ${recovery.approvalSeconds} s assumed)`,
    action: (ctx) => ctx.clock.sleep(recovery.approvalSeconds),
  };
  // The plan's names back to the drill's (failback's carry a suffix).
  const suffix = stepNameSuffix(inputs, to);
  const names = workflow.steps.map((s) => s.name.slice(0, s.name.length - suffix.length));
  // A block that covers a wait step (the Aurora block until the writer moved, the Auto Scaling block
  // until the instances are InService) ends only when that wait would: the simulation runs the wait
  // right after the block, or the next block would start (and RTO be measured) before the cut-over ends.
  const covered = (m: Step): Step[] => {
    const waits = COVERS[m.kind];
    const wait = waits ? steps.slice(steps.indexOf(m) + 1).find((s) => s.kind === waits) : undefined;
    return wait ? [wait] : [];
  };
  return names.flatMap((n) => {
    if (n === APPROVAL_STEP_NAME) return [approval];
    const m = mapped.find((x) => x.name === n)!;
    return [m, ...covered(m)];
  });
}

export async function startRegionSwitch(r: StartRequest): Promise<{ exitCode: number; drill?: DrillResult; rtoSeconds?: number }> {
  if (r.mode === "simulate" || r.mode === "dry-run") {
    // The direction decides the workflow: the secondary is activated by the failover drill's steps, the primary by failback's.
    const request: DrillRequest = { scenario: "failover", mode: r.mode === "simulate" ? "simulate" : "dry-run", cwd: r.cwd, log: r.log, yes: true, selectSteps: planSteps, journal: r.journal };
    const { readProjectStacks } = await import("../drills/load");
    const project = readProjectStacks(r.cwd);
    const scenario = r.to === project.primary.config.region ? "failback" : r.to === project.secondary.config.region ? "failover" : undefined;
    if (!scenario) throw new DrillError(`--to ${r.to} is neither the primary's region ${project.primary.config.region} nor the secondary's ${project.secondary.config.region}; the plan activates one of them`);
    r.log(`# region-switch start --to ${r.to} (${r.ungraceful ? "ungraceful" : "graceful"}): from the data plane of ${r.to}; AWS CLI equivalent:`);
    r.log(`  ${startCommand(r.to, r.planArn ?? PLAN_ARN_PLACEHOLDER, r.ungraceful)}`);
    const drill = await runDrill({ ...request, scenario });
    return { exitCode: drill.exitCode, drill, rtoSeconds: drill.measurements?.rtoSeconds };
  }
  if (!r.planArn) throw new DrillError(`--execute needs --plan-arn: read it with 'pulumi stack output regionSwitchPlan --stack links' (planArn)`);
  const port = r.port ?? awsCliPort();
  const mode = r.ungraceful ? "ungraceful" : "graceful";
  r.log(`starting ${r.planArn} (${mode}) to activate ${r.to}, from ${r.to}'s data plane:\n  ${startCommand(r.to, r.planArn, r.ungraceful)}`);
  const executionId = await port.start(r.to, r.planArn, mode);
  r.log(`execution ${executionId}; polling: aws arc-region-switch get-plan-execution --region ${r.to} --plan-arn ${r.planArn} --execution-id ${executionId}`);
  const sleep = r.sleep ?? ((s: number) => new Promise<void>((res) => setTimeout(res, s * 1000)));
  let last = "";
  for (;;) {
    const e = await port.get(r.to, r.planArn, executionId);
    if (e.executionState !== last) r.log(`  ${e.executionState}${e.executionState === "pendingManualApproval" ? ` (approve as the plan's approval role: aws arc-region-switch approve-plan-execution-step --region ${r.to} --plan-arn ${r.planArn} --execution-id ${executionId} --step-name ${APPROVAL_STEP_NAME} --approval approve; activating the primary, --step-name ${APPROVAL_STEP_NAME}${FAILBACK_STEP_SUFFIX})` : ""}`);
    last = e.executionState;
    if (TERMINAL.includes(e.executionState)) {
      const seconds = e.actualRecoveryTime ? isoDurationSeconds(e.actualRecoveryTime) : undefined;
      if (seconds !== undefined) r.log(`measured RTO ${seconds} s (Region switch actualRecoveryTime ${e.actualRecoveryTime})`);
      return { exitCode: e.executionState.startsWith("completed") ? 0 : 1, rtoSeconds: seconds };
    }
    await sleep(r.pollSeconds ?? 15);
  }
}

/** The AWS CLI as the data-plane client (no npm SDK client exists for Region switch). */
export function awsCliPort(): RegionSwitchPort {
  const run = async (args: string[]) => JSON.parse((await promisify(execFile)("aws", [...args, "--output", "json"])).stdout) as Record<string, unknown>;
  return {
    start: async (region, planArn, mode) => String((await run(["arc-region-switch", "start-plan-execution", "--region", region, "--plan-arn", planArn, "--target-region", region, "--action", "activate", "--mode", mode])).executionId),
    get: async (region, planArn, executionId) => {
      const out = await run(["arc-region-switch", "get-plan-execution", "--region", region, "--plan-arn", planArn, "--execution-id", executionId]);
      return { executionState: String(out.executionState), actualRecoveryTime: out.actualRecoveryTime === undefined ? undefined : String(out.actualRecoveryTime) };
    },
  };
}
