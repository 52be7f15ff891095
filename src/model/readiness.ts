/**
 * What readiness costs: the standby's running instances, its warm pools (stopped instances pay
 * their EBS volumes only) and its standing DB instances, per month, for each DR strategy, next to
 * the RTO that strategy buys. Pure: sizes come from the same capacity and warm-pool plans the
 * stacks build, prices from ./prices.ts.
 *
 * Counted: what differs between strategies in the recovery region's compute and database
 * instances. Not counted: load balancers, NAT gateways, Aurora storage and I/O, S3, data transfer
 * (backup-restore builds none of the first two; the others build the same ones).
 */
import { stackCapacity } from "../../components/compute/capacity";
import { stackWarmPools } from "../../components/compute/warmPool";
import { DR_STRATEGIES, DrStrategy, StackConfig } from "../../stacks/configSchema";
import { auroraHourly, ec2Hourly, GP3_USD_PER_GIB_MONTH, HOURS_PER_MONTH, PRICE_SOURCES, PRICE_TABLE_DATE, PRICE_TABLE_REGIONS, RESTORE_TEST_USD, ROOT_VOLUME_GIB } from "./prices";
import { estimateRecovery, RecoveryAssumptions } from "./recovery";

export interface ReadinessCost {
  readonly strategy: DrStrategy;
  /** Instance-hours per month of the standby's running web and app instances. */
  readonly instanceHours: number;
  /** Stopped instances waiting in warm pools (they pay EBS only). */
  readonly pooledInstances: number;
  /** GiB-months of root volumes: running and pooled instances. */
  readonly ebsGibMonths: number;
  /** DB instance-hours per month of the standby's Aurora member. */
  readonly databaseInstanceHours: number;
  /** USD per month of the above at the price table's on-demand prices. */
  readonly usdPerMonth: number;
  /** Instance types or classes the price table does not list (priced at 0; the report says so). */
  readonly unpriced: readonly string[];
  /** The modelled unplanned RTO with this strategy. */
  readonly rtoSeconds: number;
}

/** The standby's readiness cost with the given strategy (the secondary's config otherwise unchanged). */
export function readinessCost(primary: StackConfig, secondary: StackConfig, strategy: DrStrategy, assumptions?: Partial<RecoveryAssumptions>): ReadinessCost {
  const p = { ...primary, strategy };
  const s = { ...secondary, strategy, warmPool: strategy === secondary.strategy ? secondary.warmPool : {} };
  const plan = stackCapacity(s);
  const pools = stackWarmPools(s, plan);
  const unpriced: string[] = [];
  let usd = 0;
  let instanceHours = 0;
  let pooledInstances = 0;
  for (const tier of ["web", "app"] as const) {
    const t = plan[tier];
    const running = t.builds ? t.desired : 0;
    const hourly = ec2Hourly(t.instanceType);
    if (hourly === undefined && running > 0) unpriced.push(t.instanceType);
    instanceHours += running * HOURS_PER_MONTH;
    usd += running * HOURS_PER_MONTH * (hourly ?? 0);
    pooledInstances += pools[tier]?.pooledInstances ?? 0;
  }
  const ebsGibMonths = (instanceHours / HOURS_PER_MONTH + pooledInstances) * ROOT_VOLUME_GIB;
  usd += ebsGibMonths * GP3_USD_PER_GIB_MONTH;
  const databaseInstanceHours = plan.database.builds ? plan.database.instances * HOURS_PER_MONTH : 0;
  const dbHourly = auroraHourly(s.database.instanceClass);
  if (dbHourly === undefined && databaseInstanceHours > 0) unpriced.push(s.database.instanceClass);
  usd += databaseInstanceHours * (dbHourly ?? 0);
  const rtoSeconds = estimateRecovery({ primary: p, secondary: s, assumptions, start: p.recovery.mode }).rto.seconds;
  return { strategy, instanceHours, pooledInstances, ebsGibMonths, databaseInstanceHours, usdPerMonth: Math.round(usd * 100) / 100, unpriced, rtoSeconds };
}

/** Every strategy's readiness cost and RTO, cheapest first as DR_STRATEGIES lists them. */
export function readinessByStrategy(primary: StackConfig, secondary: StackConfig, assumptions?: Partial<RecoveryAssumptions>): ReadinessCost[] {
  return DR_STRATEGIES.map((strategy) => readinessCost(primary, secondary, strategy, assumptions));
}

/** A Markdown table of the costs, with the price table's date, regions and sources. */
export function formatReadiness(rows: readonly ReadinessCost[], current: DrStrategy): string {
  const out = [
    "| strategy | modelled RTO s | instance-hours / month | stopped warm-pool instances | EBS GiB-months | DB instance-hours / month | USD / month |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => `| ${r.strategy === current ? `**${r.strategy}** (configured)` : r.strategy} | ${r.rtoSeconds} | ${r.instanceHours} | ${r.pooledInstances} | ${r.ebsGibMonths} | ${r.databaseInstanceHours} | ${r.usdPerMonth.toFixed(2)}${r.unpriced.length ? ` (not priced: ${r.unpriced.join(", ")})` : ""} |`),
    // Any strategy: restore testing (dr:backup.restoreTesting) is charged per test, not per month.
    `| restore testing (any strategy), per test | - | - | - | - | - | ${RESTORE_TEST_USD.toFixed(2)} per restored resource and test, plus the restored resource while kept for validation |`,
    "",
    `On-demand Linux prices of ${PRICE_TABLE_DATE} for ${PRICE_TABLE_REGIONS.join(" and ")} (src/model/prices.ts; sources: ${Object.values(PRICE_SOURCES).join(", ")}), ` +
      `${HOURS_PER_MONTH} h a month, gp3 at $${GP3_USD_PER_GIB_MONTH}/GiB-month, ${ROOT_VOLUME_GIB} GiB root volumes (assumed: the AMI decides). ` +
      "Stopped warm-pool instances pay their EBS volumes only. Load balancers, NAT gateways, Aurora storage, S3 and data transfer are not counted.",
  ];
  return out.join("\n");
}
