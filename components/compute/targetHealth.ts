/**
 * How a service tier's target group decides an instance is healthy. Pure, because the recovery
 * model prices scale-out with the same figures the service tier builds (dr:targetHealth).
 *
 * ALB rules (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html):
 * interval 5-300 s, healthy and unhealthy thresholds 2-10, timeout shorter than the interval; a
 * newly registered target must pass ONE check to be healthy (the healthy threshold applies when an
 * unhealthy target recovers).
 */
export const MIN_TARGET_HEALTH_INTERVAL_SECONDS = 5;
export const MAX_TARGET_HEALTH_INTERVAL_SECONDS = 300;
export const MIN_TARGET_HEALTH_THRESHOLD = 2;
export const MAX_TARGET_HEALTH_THRESHOLD = 10;
/** ALB's fastest interval: a started instance serves within 5 s of answering, and a dead one is out in 15 s. */
export const DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS = MIN_TARGET_HEALTH_INTERVAL_SECONDS;
/** Consecutive passes before a recovered (once unhealthy) instance receives traffic again: ALB's minimum. */
export const DEFAULT_HEALTHY_THRESHOLD = MIN_TARGET_HEALTH_THRESHOLD;
/** Three failures, not two: one slow answer (a GC pause) must not pull an instance during a failover. */
export const DEFAULT_UNHEALTHY_THRESHOLD = 3;
/** Passes a newly registered target needs before it serves (fixed by ALB). */
export const NEW_TARGET_PASSES = 1;

/** Target-group health settings (the shape of dr:targetHealth). */
export interface TargetHealthSettings {
  readonly intervalSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

export const DEFAULT_TARGET_HEALTH: TargetHealthSettings = {
  intervalSeconds: DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS,
  healthyThreshold: DEFAULT_HEALTHY_THRESHOLD,
  unhealthyThreshold: DEFAULT_UNHEALTHY_THRESHOLD,
};

/** The settings with every unset field at its default. */
export function resolveTargetHealth(given: Partial<TargetHealthSettings> = {}): TargetHealthSettings {
  return {
    intervalSeconds: given.intervalSeconds ?? DEFAULT_TARGET_HEALTH.intervalSeconds,
    healthyThreshold: given.healthyThreshold ?? DEFAULT_TARGET_HEALTH.healthyThreshold,
    unhealthyThreshold: given.unhealthyThreshold ?? DEFAULT_TARGET_HEALTH.unhealthyThreshold,
  };
}

/** Seconds until a newly registered, answering target gets traffic: at most one interval for its one check. */
export function newTargetServingSeconds(s: TargetHealthSettings): number {
  return s.intervalSeconds * NEW_TARGET_PASSES;
}

/** Seconds an instance that stopped answering keeps receiving traffic: unhealthy threshold x interval. */
export function deadTargetRemovalSeconds(s: TargetHealthSettings): number {
  return s.intervalSeconds * s.unhealthyThreshold;
}
