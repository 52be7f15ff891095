/**
 * The vocabulary every layer shares: DR strategies, the roles a region plays, and the default AZ
 * count. Pure data, so components size themselves from it without importing the stacks' config.
 */
export const DR_STRATEGIES = ["backup-restore", "pilot-light", "warm-standby", "active-active"] as const;
export type DrStrategy = (typeof DR_STRATEGIES)[number];
/** The roles a region's stack plays: the serving primary or a recovery secondary. */
export const REGION_ROLES = ["primary", "secondary"] as const;
export type Role = (typeof REGION_ROLES)[number];

export const DEFAULT_AZ_COUNT = 3;
