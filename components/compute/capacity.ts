/**
 * How many instances each tier and the database run, by DR strategy and role. Pure (no Pulumi
 * imports): the service-tier and data-tier components size themselves from it, `plan` reports it,
 * and the RTO model reads the standby's size from it. Role and strategy change capacity, never the
 * code path: a tier that does not build still gets a plan, with `builds: false`.
 *
 * Rules:
 * - primary: always as configured.
 * - pilot-light secondary: every tier at 0 instances (min and desired 0, max kept so it can scale
 *   out on failover); the Aurora secondary is headless (a member cluster with no DB instances).
 * - warm-standby secondary: a scaled-down fleet of at least one instance per tier
 *   (ceil(configured / WARM_STANDBY_FLEET_DIVISOR)), max kept; one database reader.
 * - active-active secondary: as configured.
 * - backup-restore secondary: no running compute and no database. Each tier's load balancer,
 *   launch template and group exist at 0 instances (max kept), like pilot light, because recovery
 *   must not need `pulumi up` or a Route 53 record change (README, static stability): the
 *   runbook restores the cluster from the newest copied backup, then sets desired capacity, and
 *   DNS moves by health checks. Not building the tiers would make recovery deploy them first.
 */
import { DEFAULT_AZ_COUNT, DrStrategy, Role } from "../strategy";

/** A tier's Auto Scaling sizes; the same shape as `StackConfig["capacity"]["web"]`. */
export interface TierSizing {
  readonly min: number;
  readonly desired: number;
  readonly max: number;
  readonly instanceType: string;
}

/** What a tier runs in this stack. */
export interface TierCapacityPlan extends TierSizing {
  /** False when the strategy builds no standing tier in this role (no strategy does today; kept for plans and the model). */
  readonly builds: boolean;
  /** Ways this sizing weakens recovery, in words an operator can act on. */
  readonly warnings: readonly string[];
}

/** What the Aurora member cluster runs in this stack. */
export interface DatabaseCapacityPlan {
  /** DB instances in the member cluster (0 when headless or not built). */
  readonly instances: number;
  /** A member cluster with storage and replication but no DB instances (pilot light). */
  readonly headless: boolean;
  /** False when no member cluster is built at all (backup-restore secondary). */
  readonly builds: boolean;
  readonly warnings: readonly string[];
}

/** Warm standby runs this fraction (rounded up) of the configured fleet. */
export const WARM_STANDBY_FLEET_DIVISOR = 3;
/** Warm standby never runs fewer instances than this per tier, so it serves the moment DNS flips. */
export const WARM_STANDBY_MIN_INSTANCES = 1;
/** Warm standby keeps one reader: it serves reads and is promoted without creating an instance. */
export const WARM_STANDBY_DB_INSTANCES = 1;
/** Pilot light and backup-restore keep the tier's launch template and group but no running instances. */
export const PILOT_LIGHT_INSTANCES = 0;
/** A headless Aurora secondary: replicated storage without DB instances. */
export const PILOT_LIGHT_DB_INSTANCES = 0;

export type TierName = "web" | "app";

/** Problems with a tier's sizing (empty when usable); every problem names the field, its value and the fix. */
export function tierSizingProblems(tier: TierSizing, label = "tier"): string[] {
  const problems: string[] = [];
  for (const field of ["min", "desired", "max"] as const) {
    const v = tier[field];
    if (!Number.isInteger(v) || v < 0) problems.push(`${label}.${field} = ${v}: must be a whole number of instances, 0 or more`);
  }
  if (Number.isInteger(tier.max) && tier.max < 1) problems.push(`${label}.max = ${tier.max}: must be at least 1 so the tier can scale out on failover`);
  if (problems.length === 0 && (tier.min > tier.desired || tier.desired > tier.max))
    problems.push(`${label} = ${tier.min}/${tier.desired}/${tier.max} (min/desired/max): must satisfy min <= desired <= max`);
  return problems;
}

/**
 * The sizing a compute tier runs with, for a strategy and role. `azCount` only shapes the warnings
 * (a fleet smaller than the AZ count serves from fewer AZs). Throws on unusable sizing.
 */
export function capacityFor(strategy: DrStrategy, role: Role, tier: TierSizing, azCount: number = DEFAULT_AZ_COUNT, name: TierName | string = "tier"): TierCapacityPlan {
  const problems = tierSizingProblems(tier, name);
  if (problems.length) throw new Error(`Invalid capacity for the ${name} tier:\n  - ${problems.join("\n  - ")}`);
  const { instanceType, max } = tier;
  if (role === "primary" || strategy === "active-active") {
    const warnings = tier.desired < azCount ? [fewerThanAzs(name, tier.desired, azCount, "always")] : [];
    return { instanceType, min: tier.min, desired: tier.desired, max, builds: true, warnings };
  }
  switch (strategy) {
    case "pilot-light":
    case "backup-restore": {
      // Both keep the group and launch template with nothing running; only the database differs.
      const label = strategy === "pilot-light" ? "pilot light): after failover" : "backup-restore): after the database is restored";
      return {
        instanceType, min: PILOT_LIGHT_INSTANCES, desired: PILOT_LIGHT_INSTANCES, max, builds: true,
        warnings: [`${name} tier runs ${PILOT_LIGHT_INSTANCES} instances (${label} it serves only once instances launch and pass load-balancer health checks`],
      };
    }
    case "warm-standby": {
      const desired = scaledDown(tier.desired);
      const min = scaledDown(tier.min);
      const warnings = desired < azCount ? [fewerThanAzs(name, desired, azCount, "until it scales out")] : [];
      return { instanceType, min, desired, max, builds: true, warnings };
    }
  }
}

/** The Aurora member cluster's size for a strategy and role. `instances` is the configured count. */
export function databaseCapacityFor(strategy: DrStrategy, role: Role, instances: number, azCount: number = DEFAULT_AZ_COUNT): DatabaseCapacityPlan {
  if (!Number.isInteger(instances) || instances < 1)
    throw new Error(`Invalid database capacity: instances = ${instances}: must be a whole number from 1 to 15`);
  if (role === "primary" || strategy === "active-active") return { instances, headless: false, builds: true, warnings: instanceWarnings(instances, azCount) };
  switch (strategy) {
    case "pilot-light":
      return {
        instances: PILOT_LIGHT_DB_INSTANCES, headless: true, builds: true,
        warnings: ["database is headless (pilot light): failover must first create a DB instance (about ten minutes) before it can promote the cluster"],
      };
    case "warm-standby":
      return { instances: WARM_STANDBY_DB_INSTANCES, headless: false, builds: true, warnings: instanceWarnings(WARM_STANDBY_DB_INSTANCES, azCount) };
    case "backup-restore":
      return {
        instances: 0, headless: false, builds: false,
        warnings: ["database is not built (backup-restore): recovery restores it from a backup copy, and loses what was written since that backup"],
      };
  }
}

/** The settings of a stack config that decide its capacity (a `StackConfig` satisfies it). */
export interface CapacityInputs {
  readonly role: Role;
  readonly strategy: DrStrategy;
  readonly azCount: number;
  readonly natStrategy: "per-az" | "single";
  readonly capacity: { readonly web: TierSizing; readonly app: TierSizing };
  readonly database: { readonly instances: number };
}

export interface StackCapacityPlan {
  readonly web: TierCapacityPlan;
  readonly app: TierCapacityPlan;
  readonly database: DatabaseCapacityPlan;
  /** Every warning of the tiers and database, plus stack-wide ones (a single NAT gateway). */
  readonly warnings: readonly string[];
}

/** The whole stack's capacity, with every warning collected once (for `pulumi.log.warn` and the plan report). */
export function stackCapacity(c: CapacityInputs): StackCapacityPlan {
  const web = capacityFor(c.strategy, c.role, c.capacity.web, c.azCount, "web");
  const app = capacityFor(c.strategy, c.role, c.capacity.app, c.azCount, "app");
  const database = databaseCapacityFor(c.strategy, c.role, c.database.instances, c.azCount);
  const warnings = [...web.warnings, ...app.warnings, ...database.warnings];
  if (c.natStrategy === "single")
    warnings.push(`one NAT gateway for ${c.azCount} AZs: losing its AZ cuts outbound traffic of every private subnet, including after failover`);
  return { web, app, database, warnings };
}

function scaledDown(n: number): number {
  return Math.max(WARM_STANDBY_MIN_INSTANCES, Math.ceil(n / WARM_STANDBY_FLEET_DIVISOR));
}

function fewerThanAzs(name: string, instances: number, azCount: number, when: string): string {
  const azs = instances === 1 ? "one AZ" : `${instances} of ${azCount} AZs`;
  return `${name} tier runs ${instances} instance${instances === 1 ? "" : "s"} for ${azCount} AZs: it serves from ${azs} ${when}`;
}

function instanceWarnings(instances: number, azCount: number): string[] {
  if (instances === 1) return [`database runs 1 instance for ${azCount} AZs: one AZ of readers, and losing that AZ leaves no instance to fail over to in the region`];
  return [];
}
