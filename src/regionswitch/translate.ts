/**
 * The in-cloud plan is the drills, translated: pure, no Pulumi import. Each drill step becomes the
 * ARC Region switch execution block that does the same thing, in the same order, or is listed as a
 * precondition (or a wait the block before it already covers) that the plan has no block for. The
 * mapping is a Record over every step kind, so a new kind without a mapping fails the type check.
 *
 * Block behaviour relied on (https://docs.aws.amazon.com/r53recovery/latest/dg/):
 * - AuroraGlobalDatabase `switchoverOnly` calls SwitchoverGlobalCluster (no data loss); its
 *   ungraceful `failover` calls FailoverGlobalCluster in ungraceful executions only
 *   (aurora-global-database-block.html). Both wait until the writer moved: the drill's wait step is covered.
 * - EC2AutoScaling raises min and desired to targetPercent of the other region's capacity and waits
 *   for InService instances; it never scales down (ec2-auto-scaling-block.html). Exactly one ASG per
 *   region per block, both regions' named (arc-region-switch/latest/api/API_Ec2AsgCapacityIncreaseConfiguration.html),
 *   so one block per tier, in Parallel where the drill scales the tiers together.
 * - CustomActionLambda names the action's Lambda in each of the plan's two regions and runs the one in
 *   the activating or deactivating region (custom-action-lambda-block.html).
 */
import { Tier, DrillInputs, DrillRegion } from "../drills/inputs";
import { Step, StepKind } from "../drills/step";

/** ARC Region switch quotas (quotas.region-switch.html): execution blocks per plan. */
export const PLAN_BLOCK_LIMIT = 100;
/** Plan names are at most 32 characters (API_Plan.html). */
export const PLAN_NAME_MAX_LENGTH = 32;
/** The step a ManualApproval adds before the database step (no drill step: a person approves). */
export const APPROVAL_STEP_NAME = "approve-database-cutover";

export type BlockType = "AuroraGlobalDatabase" | "EC2AutoScaling" | "CustomActionLambda" | "ARCRoutingControl" | "ManualApproval" | "Parallel";

/** One workflow step, shaped as @pulumi/aws's arcregionswitch PlanWorkflowStep input. */
export interface PlanStep {
  readonly name: string;
  readonly description: string;
  readonly executionBlockType: BlockType;
  readonly globalAuroraConfigs?: {
    readonly behavior: "switchoverOnly" | "failover";
    readonly globalClusterIdentifier: string;
    readonly databaseClusterArns: string[];
    readonly ungracefuls: { readonly ungraceful: "failover" }[];
    readonly timeoutMinutes: number;
  }[];
  readonly ec2AsgCapacityIncreaseConfigs?: {
    readonly asgs: { readonly arn: string }[];
    readonly capacityMonitoringApproach: "sampledMaxInLast24Hours";
    readonly targetPercent: number;
    readonly timeoutMinutes: number;
  }[];
  readonly customActionLambdaConfigs?: {
    readonly lambdas: { readonly arn: string }[];
    readonly regionToRun: "activatingRegion" | "deactivatingRegion";
    readonly retryIntervalMinutes: number;
    readonly timeoutMinutes: number;
    readonly ungracefuls?: { readonly behavior: "skip" }[];
  }[];
  readonly arcRoutingControlConfigs?: {
    readonly regionAndRoutingControls: { readonly region: string; readonly routingControls: { readonly routingControlArn: string; readonly state: "On" | "Off" }[] }[];
    readonly timeoutMinutes: number;
  }[];
  readonly executionApprovalConfigs?: { readonly approvalRole: string; readonly timeoutMinutes: number }[];
  readonly parallelConfigs?: { readonly steps: PlanStep[] }[];
}

export interface PlanWorkflow {
  readonly workflowTargetAction: "activate";
  readonly workflowTargetRegion: string;
  readonly workflowDescription: string;
  readonly steps: PlanStep[];
}

/** What the region stacks built for the plan in one region (stacks/contract.ts RecoveryExports). */
export interface RegionResources {
  /** The custom-action Lambdas of the region, by action key (lambdaKey below). */
  readonly lambdaArns: Readonly<Record<string, string>>;
  readonly autoScalingGroupArns: Readonly<Partial<Record<Tier, string>>>;
}

export interface TranslationContext {
  readonly inputs: DrillInputs;
  /** The region the workflow activates, and the one it moves away from. */
  readonly to: DrillRegion;
  readonly from: DrillRegion;
  readonly resources: Readonly<Record<string, RegionResources>>;
  /** A ManualApproval before the database step when set (dr:recovery.approval). */
  readonly approvalRoleArn?: string;
}

/** A drill step the plan runs no block for, and why. */
export interface Unmapped {
  readonly step: string;
  readonly kind: StepKind;
  readonly region: string;
  readonly why: string;
}

export interface TranslatedWorkflow {
  readonly workflow: PlanWorkflow;
  /** The drill steps that became blocks, in plan order. */
  readonly mapped: readonly Step[];
  readonly unmapped: readonly Unmapped[];
}

type BlockMapping = "database" | "scale-out" | "lambda" | "switch";
/** A step the plan has a block for, or none (and why, for the report). */
export type KindMapping = { readonly block: BlockMapping } | { readonly none: "precondition" | "covered" | "after-recovery" | "unsupported"; readonly why: string };
/** Every kind must be mapped: a kind missing here is a type error. */
export type KindMappingTable<K extends string> = { readonly [P in K]: KindMapping };

export const KIND_MAPPING: KindMappingTable<StepKind> = {
  "check": { none: "precondition", why: "read-only check of the recovery region; the plan's evaluation (every 30 min) checks the global cluster and groups instead" },
  "gate": { none: "precondition", why: "safety gate: check it before you start the plan ('npm run dr -- drill readiness'); the plan has no conditional block" },
  "canary-write": { none: "after-recovery", why: "RPO measurement of the drill; the plan measures recovery time only" },
  "canary-check": { none: "after-recovery", why: "RPO measurement of the drill; the plan measures recovery time only" },
  "measure-lag": { none: "after-recovery", why: "RPO measurement of the drill (the lag at the cut-over)" },
  "add-writer": { block: "lambda" },
  "wait-writer": { block: "lambda" },
  "scale-out": { block: "scale-out" },
  "wait-capacity": { none: "covered", why: "the EC2AutoScaling block waits until the instances are InService" },
  "scale-in": { block: "lambda" },
  "database-switchover": { block: "database" },
  "database-failover": { block: "database" },
  "wait-database": { none: "covered", why: "the AuroraGlobalDatabase block waits until the writer moved" },
  "promote-secret": { block: "lambda" },
  "copy-back-secret": { block: "lambda" },
  "reestablish-secret-replica": { block: "lambda" },
  "switch-off": { block: "switch" },
  "switch-on": { block: "switch" },
  "confirm-switch": { none: "after-recovery", why: "confirm afterwards that the switches read as wanted ('npm run dr -- drill switch'); the switch's alarm evaluates a minute after the write" },
  "wait-dns": { none: "unsupported", why: "DNS drill only: not part of a recovery" },
  "verify-service": { block: "lambda" },
  "record-active-region": { none: "after-recovery", why: "record dr:activeRegion in every stack file afterwards ('pulumi config set dr:activeRegion <region>')" },
  "find-recovery-point": { none: "unsupported", why: "backup-restore: Region switch has no restore block; run 'npm run dr -- drill restore'" },
  "restore-database": { none: "unsupported", why: "backup-restore: Region switch has no restore block" },
  "wait-restore": { none: "unsupported", why: "backup-restore: Region switch has no restore block" },
  "protect-restored-cluster": { none: "unsupported", why: "backup-restore: Region switch has no restore block" },
  "point-app-tier": { none: "unsupported", why: "backup-restore: Region switch has no restore block" },
};

/** The action key of a Lambda a region stack builds for a step kind (switches: per switched region). */
export function lambdaKey(kind: StepKind, switchedRegion?: string): string {
  return kind === "switch-off" || kind === "switch-on" ? `${kind}-${switchedRegion}` : kind;
}

/** Lambda actions every region stack builds (RecoveryActions), beside the switches. */
export const REGION_LAMBDA_KINDS = ["promote-secret", "verify-service", "scale-in"] as const satisfies readonly StepKind[];
/** Built for real where the database member is headless (pilot light): the writer a promotion needs; the primary builds a refusing copy. */
export const HEADLESS_LAMBDA_KINDS = ["add-writer", "wait-writer"] as const satisfies readonly StepKind[];
/** Built for real in the primary's stack (failback re-replicates the secret from there); the secondary builds a refusing copy. */
export const PRIMARY_LAMBDA_KINDS = ["copy-back-secret", "reestablish-secret-replica"] as const satisfies readonly StepKind[];

/**
 * Every action key the plan's Lambda blocks may name, each of which BOTH plan regions build: the
 * region actions, the headless member's writer actions (when the plan has a headless member), the
 * failback's secret actions, and with CloudWatch switches each region's switch on and off.
 */
export function planActionKeys(primaryRegion: string, secondaryRegion: string, o: { readonly headless: boolean; readonly switchLambdas: boolean }): string[] {
  const switches = o.switchLambdas ? [primaryRegion, secondaryRegion].flatMap((r) => [lambdaKey("switch-off", r), lambdaKey("switch-on", r)]) : [];
  return [...REGION_LAMBDA_KINDS, ...(o.headless ? HEADLESS_LAMBDA_KINDS : []), ...PRIMARY_LAMBDA_KINDS, ...switches];
}

/** A plan step's description: the drill step's kind and region first (the test reads them back), then its purpose. */
export function describeStep(step: Pick<Step, "kind" | "region" | "purpose">): string {
  const text = `${step.kind} in ${step.region}: ${step.purpose}`;
  return text.length > 250 ? `${text.slice(0, 247)}...` : text;
}

/** Parses describeStep's prefix. */
export function stepOrigin(description: string): { kind: string; region: string } | undefined {
  const m = /^([a-z-]+) in ([a-z0-9-]+): /.exec(description);
  return m ? { kind: m[1], region: m[2] } : undefined;
}

/** Every step and nested step of a workflow: the blocks counted against PLAN_BLOCK_LIMIT. */
export function flatSteps(steps: readonly PlanStep[]): PlanStep[] {
  return steps.flatMap((s) => [s, ...(s.parallelConfigs ?? []).flatMap((p) => flatSteps(p.steps))]);
}

export class PlanTranslationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanTranslationError";
  }
}

/**
 * `targetPercent` of the EC2AutoScaling block: the drill's full capacity of the tier over the
 * primary's desired (the source the block samples). ARC scales to ceil(percent/100 x source)
 * (ec2-auto-scaling-block.html, "How it works"), so the percent rounds down: rounded up, a group
 * whose max is below the source's desired would be asked for one instance more than its max.
 */
export function targetPercent(inputs: DrillInputs, to: DrillRegion, tier: Tier): number {
  const source = inputs.primary.config.capacity[tier].desired;
  const full = Math.min(source, to.config.capacity[tier].max);
  return Math.max(1, Math.floor((100 * full) / source));
}

/** Minutes a block may take: the drill's verification timeout (or the covered wait step's), at least 5. */
const minutes = (step: Step) => Math.max(5, Math.ceil((step.verify?.timeoutSeconds ?? 300) / 60));
/** The wait step a block covers (the block waits itself), whose timeout the block takes. */
export const COVERS: Partial<Record<StepKind, StepKind>> = { "scale-out": "wait-capacity", "database-switchover": "wait-database", "database-failover": "wait-database" };

function lambdaStep(step: Step, c: TranslationContext, runIn: DrillRegion, key: string): PlanStep {
  // The block names the action's Lambda in EACH of the plan's regions (custom-action-lambda-block.html:
  // "required to specify two Lambda functions ... one in each of the plan's Regions"); regionToRun
  // picks the copy that runs. Both copies exist because every plan region builds every plan action.
  const lambdas = [c.inputs.primary, c.inputs.secondary].map((r) => {
    const arn = c.resources[r.region]?.lambdaArns[key];
    if (!arn)
      throw new PlanTranslationError(`drill step ${step.name} needs the custom-action Lambda "${key}" in ${r.region} (the block names it in both of the plan's regions), but stack "${r.stack}" exports none (regional.recovery.lambdaArns); deploy "${r.stack}" with this version of the program first ('pulumi up --stack ${r.stack}')`);
    return { arn };
  });
  return {
    name: step.name, description: describeStep(step), executionBlockType: "CustomActionLambda",
    customActionLambdaConfigs: [{
      lambdas, regionToRun: runIn === c.to ? "activatingRegion" : "deactivatingRegion", retryIntervalMinutes: 1, timeoutMinutes: minutes(step),
      // A best-effort drill step (aimed at a region that may not answer) is skipped in an ungraceful execution.
      ...(step.required ? {} : { ungracefuls: [{ behavior: "skip" as const }] }),
    }],
  };
}

function regionNamed(c: TranslationContext, region: string, step: Step): DrillRegion {
  if (region === c.to.region) return c.to;
  if (region === c.from.region) return c.from;
  throw new PlanTranslationError(`drill step ${step.name} acts in ${region}, neither ${c.to.region} nor ${c.from.region}: a Region switch plan spans exactly these two regions`);
}

function translateStep(step: Step, c: TranslationContext, covered?: Step): PlanStep[] {
  const timeoutMinutes = Math.max(minutes(step), covered ? minutes(covered) : 0);
  const mapping = KIND_MAPPING[step.kind];
  if ("none" in mapping) return [];
  switch (mapping.block) {
    case "database": {
      const approval: PlanStep[] = c.approvalRoleArn
        ? [{ name: APPROVAL_STEP_NAME, description: `approval in ${c.to.region}: a person approves the database cut-over (dr:recovery.approval)`, executionBlockType: "ManualApproval", executionApprovalConfigs: [{ approvalRole: c.approvalRoleArn, timeoutMinutes: 60 }] }]
        : [];
      return [...approval, {
        name: step.name, description: describeStep(step), executionBlockType: "AuroraGlobalDatabase",
        globalAuroraConfigs: [{
          // Graceful: no data loss (both regions healthy); ungraceful (an outage): FailoverGlobalCluster.
          behavior: "switchoverOnly", globalClusterIdentifier: c.inputs.globalClusterIdentifier,
          databaseClusterArns: [c.inputs.primary.dbClusterArn, c.inputs.secondary.dbClusterArn],
          ungracefuls: [{ ungraceful: "failover" }], timeoutMinutes,
        }],
      }];
    }
    case "scale-out": {
      const blocks: PlanStep[] = c.to.groups.map((g) => {
        // The block names the tier's group in BOTH regions (API_Ec2AsgCapacityIncreaseConfiguration:
        // asgs is a fixed 2 items): it sizes the activated region's group from the other one's.
        const asgs = [c.inputs.primary, c.inputs.secondary].map((r) => {
          const arn = c.resources[r.region]?.autoScalingGroupArns[g.tier];
          if (!arn) throw new PlanTranslationError(`drill step ${step.name} scales the ${g.tier} tier of ${c.to.region}, which the EC2AutoScaling block sizes from ${r.region}'s, but stack "${r.stack}" exports no Auto Scaling group ARN for it (regional.recovery.autoScalingGroupArns); deploy it with this version of the program first`);
          return { arn };
        });
        return {
          name: `${step.name}-${g.tier}`, description: describeStep({ ...step, purpose: `${g.tier} tier: ${step.purpose}` }), executionBlockType: "EC2AutoScaling",
          ec2AsgCapacityIncreaseConfigs: [{ asgs, capacityMonitoringApproach: "sampledMaxInLast24Hours", targetPercent: targetPercent(c.inputs, c.to, g.tier), timeoutMinutes }],
        };
      });
      // The drill raises every tier at once: so does the plan.
      return blocks.length === 1 ? [{ ...blocks[0], name: step.name }] : [{ name: step.name, description: describeStep(step), executionBlockType: "Parallel", parallelConfigs: [{ steps: blocks }] }];
    }
    case "lambda": {
      // scale-in shrinks the region being left: its Lambda runs there; everything else runs in the region being activated.
      const runIn = step.kind === "scale-in" ? regionNamed(c, step.region, step) : c.to;
      return [lambdaStep(step, c, runIn, lambdaKey(step.kind))];
    }
    case "switch": {
      const s = step.switched;
      if (!s) throw new PlanTranslationError(`drill step ${step.name} (${step.kind}) names no region switch`);
      if (s.mechanism === "arc-routing-control")
        return [{
          name: step.name, description: describeStep(step), executionBlockType: "ARCRoutingControl",
          arcRoutingControlConfigs: [{ regionAndRoutingControls: [{ region: s.region, routingControls: [{ routingControlArn: s.routingControlArn, state: step.kind === "switch-on" ? "On" : "Off" }] }], timeoutMinutes: 5 }],
        }];
      // cloudwatch-alarm: a Lambda in the activating region writes the switch metric in the switch's host region.
      return [lambdaStep(step, c, c.to, lambdaKey(step.kind, s.region))];
    }
  }
}

/**
 * Failback's step names carry this suffix: both workflows come from drills sharing step names
 * (scale-out-recovery, verify-service), and a plan's step names stay unique across its workflows,
 * as in AWS's sample plans, so an execution's step (approve-plan-execution-step --step-name) is unambiguous.
 */
export const FAILBACK_STEP_SUFFIX = "-failback";

/** The suffix of the step names of the workflow activating `to` ("" for the secondary's). */
export function stepNameSuffix(inputs: Pick<DrillInputs, "primary">, to: Pick<DrillRegion, "region">): string {
  return to.region === inputs.primary.region ? FAILBACK_STEP_SUFFIX : "";
}

const withSuffix = (steps: readonly PlanStep[], suffix: string): PlanStep[] =>
  steps.map((s) => ({ ...s, name: `${s.name}${suffix}`, ...(s.parallelConfigs ? { parallelConfigs: s.parallelConfigs.map((p) => ({ steps: withSuffix(p.steps, suffix) })) } : {}) }));

/** The workflow that activates `c.to`, from the drill steps that move traffic and writes there. */
export function translateWorkflow(steps: readonly Step[], c: TranslationContext, description: string): TranslatedWorkflow {
  const planSteps: PlanStep[] = [];
  const mapped: Step[] = [];
  const unmapped: Unmapped[] = [];
  for (const [i, step] of steps.entries()) {
    const mapping = KIND_MAPPING[step.kind];
    if ("none" in mapping) {
      if (mapping.none === "unsupported") throw new PlanTranslationError(`drill step ${step.name} (${step.kind}) has no Region switch block: ${mapping.why}`);
      unmapped.push({ step: step.name, kind: step.kind, region: step.region, why: mapping.why });
      continue;
    }
    const waits = COVERS[step.kind];
    planSteps.push(...translateStep(step, c, waits ? steps.slice(i + 1).find((x) => x.kind === waits) : undefined));
    mapped.push(step);
  }
  return { workflow: { workflowTargetAction: "activate", workflowTargetRegion: c.to.region, workflowDescription: description, steps: withSuffix(planSteps, stepNameSuffix(c.inputs, c.to)) }, mapped, unmapped };
}
