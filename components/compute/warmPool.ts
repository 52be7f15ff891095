/**
 * The EC2 Auto Scaling warm pool behind a tier's group: pre-initialized instances kept stopped, so
 * a failover scale-out starts instances instead of launching them. Pure (no Pulumi imports): the
 * service tier passes the plan to its group's `warmPool` argument, the recovery model prices
 * scale-out from it, and the plan prices keeping it.
 *
 * AWS rules (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-warm-pools.html):
 * - pool states Stopped (default; pay EBS only), Hibernated, Running (pay the instances);
 * - pool size = MaxGroupPreparedCapacity (or the group's max when unset) minus desired capacity,
 *   but never below the pool's MinSize;
 * - no warm pool on groups with a mixed instances policy or Spot instances.
 */
import { DrStrategy, Role } from "../strategy";

export const WARM_POOL_STATES = ["Stopped", "Hibernated", "Running"] as const;
export type WarmPoolState = (typeof WARM_POOL_STATES)[number];

/** Stopped: the instance costs nothing but its volumes, and starting it skips first-boot setup. */
export const DEFAULT_WARM_POOL_STATE: WarmPoolState = "Stopped";
/** After a failover the region serves; keeping extra instances warm there is a choice, not a default. */
export const DEFAULT_WARM_POOL_MIN_SIZE = 0;
/** Instances return to the pool on scale-in (failback) instead of being terminated and relaunched. */
export const DEFAULT_REUSE_ON_SCALE_IN = true;
/** Strategies that keep a warm pool unless the config turns it off; pilot light may opt in. */
export const WARM_POOL_BY_DEFAULT: readonly DrStrategy[] = ["warm-standby"];
/** Strategies that may keep one at all: those whose secondary builds its groups below full size. */
export const WARM_POOL_STRATEGIES: readonly DrStrategy[] = ["warm-standby", "pilot-light"];

/** The dr:warmPool settings (every field optional in config). */
export interface WarmPoolSettings {
  /** Keep a warm pool; default: on for warm standby, off for pilot light. */
  readonly enabled?: boolean;
  readonly poolState?: WarmPoolState;
  /** Instances the pool keeps even when the group runs at or above its prepared capacity. */
  readonly minSize?: number;
  readonly reuseOnScaleIn?: boolean;
}

/** What the group's `warmPool` argument receives, plus the sizes the model and the price table read. */
export interface WarmPoolPlan {
  readonly poolState: WarmPoolState;
  readonly minSize: number;
  /** Running instances plus pooled ones: the tier's full (configured) desired capacity. */
  readonly maxGroupPreparedCapacity: number;
  readonly reuseOnScaleIn: boolean;
  /** Instances waiting in the pool while the group runs its standby size. */
  readonly pooledInstances: number;
}

/** The group sizes a pool is planned from. */
export interface WarmPoolTier {
  /** What the group runs in this stack (the standby size). */
  readonly desired: number;
  readonly max: number;
  /** What the tier runs at full size (the configured desired capacity the primary runs). */
  readonly fullDesired: number;
}

/** Problems with the settings for this tier (empty when usable); each names the field, its value and the fix. */
export function warmPoolProblems(settings: WarmPoolSettings, tier: WarmPoolTier, label = "warmPool"): string[] {
  const problems: string[] = [];
  if (settings.poolState !== undefined && !WARM_POOL_STATES.includes(settings.poolState))
    problems.push(`${label}.poolState = ${settings.poolState}: use one of ${WARM_POOL_STATES.join(", ")}`);
  const min = settings.minSize;
  if (min !== undefined && (!Number.isInteger(min) || min < 0)) problems.push(`${label}.minSize = ${min}: use a whole number of instances, 0 or more`);
  else if (min !== undefined && tier.desired + min > tier.max)
    problems.push(`${label}.minSize = ${min}: the group's ${tier.desired} running plus ${min} pooled instances exceed its max ${tier.max}; lower minSize or raise the tier's max`);
  if (tier.fullDesired > tier.max)
    problems.push(`${label}: the tier's full size ${tier.fullDesired} exceeds its max ${tier.max}; raise the max so the pool can prepare full capacity`);
  return problems;
}

/**
 * The warm pool a tier's group keeps, or undefined when it keeps none: only a secondary whose
 * strategy runs the tier below full size, and only when enabled (by default for warm standby).
 * The pool holds exactly what scale-out to full size needs (full desired minus standby desired).
 */
export function warmPoolFor(strategy: DrStrategy, role: Role, tier: WarmPoolTier, settings: WarmPoolSettings = {}, label = "warmPool"): WarmPoolPlan | undefined {
  if (role !== "secondary" || !WARM_POOL_STRATEGIES.includes(strategy)) return undefined;
  if (!(settings.enabled ?? WARM_POOL_BY_DEFAULT.includes(strategy))) return undefined;
  const problems = warmPoolProblems(settings, tier, label);
  if (problems.length) throw new Error(`Invalid warm pool:\n  - ${problems.join("\n  - ")}`);
  const minSize = settings.minSize ?? DEFAULT_WARM_POOL_MIN_SIZE;
  const gap = Math.max(0, tier.fullDesired - tier.desired);
  if (gap === 0 && minSize === 0) return undefined;
  return {
    poolState: settings.poolState ?? DEFAULT_WARM_POOL_STATE,
    minSize,
    maxGroupPreparedCapacity: Math.max(tier.fullDesired, tier.desired),
    reuseOnScaleIn: settings.reuseOnScaleIn ?? DEFAULT_REUSE_ON_SCALE_IN,
    pooledInstances: Math.max(gap, minSize),
  };
}

/**
 * Whether scale-out from `desired` to `target` instances draws every new instance from the pool
 * (else some launch fresh and the slowest decides). Running and Hibernated pools are counted like
 * Stopped ones: never faster than a start, which errs on the slow side.
 */
export function poolCoversScaleOut(plan: WarmPoolPlan | undefined, desired: number, target: number): boolean {
  return plan !== undefined && plan.pooledInstances >= target - desired;
}

/** The settings of a stack config that decide its warm pools (a `StackConfig` satisfies it). */
export interface WarmPoolInputs {
  readonly role: Role;
  readonly strategy: DrStrategy;
  readonly capacity: { readonly web: { readonly desired: number }; readonly app: { readonly desired: number } };
  readonly warmPool: WarmPoolSettings;
}

/**
 * Each tier's warm pool for a stack, from its config and its capacity plan (what the tier runs).
 * The one function the stacks build from and the recovery model prices, so both see the same pool.
 */
export function stackWarmPools(c: WarmPoolInputs, plans: Readonly<Record<"web" | "app", { readonly desired: number; readonly max: number; readonly builds: boolean }>>): Readonly<Record<"web" | "app", WarmPoolPlan | undefined>> {
  const pool = (tier: "web" | "app") => plans[tier].builds
    ? warmPoolFor(c.strategy, c.role, { desired: plans[tier].desired, max: plans[tier].max, fullDesired: c.capacity[tier].desired }, c.warmPool, `dr:warmPool (${tier} tier)`)
    : undefined;
  return { web: pool("web"), app: pool("app") };
}
