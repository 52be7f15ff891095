/**
 * How a service tier's target group decides an instance is healthy. Pure, because the recovery
 * model prices scale-out with the same figures the service tier builds.
 */
/** 15 s × 3 failures takes a dead instance out within a minute, a small part of the RTO. */
export const DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS = 15;
/** Consecutive passes before a new instance receives traffic. */
export const DEFAULT_HEALTHY_THRESHOLD = 3;
export const DEFAULT_UNHEALTHY_THRESHOLD = 3;
