/**
 * What readiness costs: every monthly charge the recovery region pays while it stands by, for
 * each DR strategy, next to the RTO that strategy buys. Pure: sizes come from the same capacity
 * and warm-pool plans the stacks build, prices from ./prices.ts at the recovery region's own rates
 * (a region without rates of its own is priced at the reference region's and flagged estimated).
 *
 * The cost is a list of rows, each from one small function of COST_ROW_SOURCES: counting a new
 * charge is one function and one entry there. Counted: running instances, EBS of running and
 * stopped warm-pool instances, standing DB instances, NAT gateways, load balancers, Aurora storage
 * and I/O, the vault's copies of the primary's database, the KMS key and requests, the DB secret's
 * replica and its calls. Not counted: data transfer, NAT data processing and load-balancer LCUs
 * (traffic), S3 storage and replication (the bucket's size is not configured).
 */
import { stackCapacity, StackCapacityPlan } from "../../components/compute/capacity";
import { stackWarmPools, WarmPoolPlan } from "../../components/compute/warmPool";
import { SWITCH_MECHANISMS, SwitchMechanism } from "../../components/dns/regionSwitch";
import { DR_STRATEGIES, DrStrategy, StackConfig } from "../../stacks/configSchema";
import {
  ARC_CLUSTER_USD_PER_HOUR, auroraHourly, CLOUDWATCH_ALARM_USD_PER_MONTH, CLOUDWATCH_CUSTOM_METRIC_USD_PER_MONTH, ec2Hourly, GP3_USD_PER_GIB_MONTH, HOURS_PER_MONTH, PRICE_SOURCES, PRICE_TABLE_DATE, ratesFor, REFERENCE_REGION, REGION_SWITCH_PLAN_USD_PER_MONTH, RegionRates, RESTORE_TEST_USD, ROOT_VOLUME_GIB, ROUTE53_HEALTH_CHECK_USD_PER_MONTH, SWITCH_PRICE_SOURCES,
} from "./prices";
import { estimateRecovery, RecoveryAssumptions } from "./recovery";

/** Usage the stack files do not say; assumptions, printed with the table. */
export interface ReadinessUsage {
  /** Aurora I/O requests a month in the standby cluster (replicated writes), millions. */
  readonly auroraIoMillionsPerMonth: number;
  /** KMS requests a month in the recovery region (storage, secrets, volumes), thousands. */
  readonly kmsRequestsThousandsPerMonth: number;
  /** Secrets Manager API calls a month to the replica (instances read it at boot), thousands. */
  readonly secretCallsThousandsPerMonth: number;
}

export const DEFAULT_READINESS_USAGE: ReadinessUsage = { auroraIoMillionsPerMonth: 10, kmsRequestsThousandsPerMonth: 100, secretCallsThousandsPerMonth: 10 };

/** One charge: what is counted, how much, at what unit price, from which source. */
export interface CostRow {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  /** USD per unit; undefined when the price table does not list it (the row costs 0 and says so). */
  readonly usdPerUnit: number | undefined;
  readonly usdPerMonth: number;
  readonly source: string;
  /** The quantity is an assumption (ReadinessUsage, or a size the stacks do not set). */
  readonly assumed?: boolean;
}

/** What each row function reads: the standby's config with the strategy applied, its plans and rates. */
export interface ReadinessInput {
  readonly primary: StackConfig;
  readonly secondary: StackConfig;
  readonly plan: StackCapacityPlan;
  readonly pools: Readonly<Record<"web" | "app", WarmPoolPlan | undefined>>;
  readonly rates: RegionRates;
  readonly usage: ReadinessUsage;
}

export type CostRowSource = (i: ReadinessInput) => CostRow[];

const row = (item: string, quantity: number, unit: string, usdPerUnit: number | undefined, source: string, assumed = false): CostRow =>
  ({ item, quantity, unit, usdPerUnit, usdPerMonth: round(quantity * (usdPerUnit ?? 0)), source, ...(assumed ? { assumed } : {}) });
const round = (usd: number) => Math.round(usd * 100) / 100;
const running = (i: ReadinessInput, tier: "web" | "app") => (i.plan[tier].builds ? i.plan[tier].desired : 0);
const standingCluster = (i: ReadinessInput) => i.plan.database.builds && i.secondary.strategy !== "backup-restore";

function instanceRows(i: ReadinessInput): CostRow[] {
  return (["web", "app"] as const).filter((t) => running(i, t) > 0).map((t) =>
    row(`${t} instances running (${i.plan[t].instanceType})`, running(i, t) * HOURS_PER_MONTH, "instance-hours", ec2Hourly(i.plan[t].instanceType), PRICE_SOURCES.ec2));
}

function ebsRows(i: ReadinessInput): CostRow[] {
  const volumes = running(i, "web") + running(i, "app") + (i.pools.web?.pooledInstances ?? 0) + (i.pools.app?.pooledInstances ?? 0);
  return volumes ? [row(`root volumes of running and stopped warm-pool instances (${ROOT_VOLUME_GIB} GiB each, assumed)`, volumes * ROOT_VOLUME_GIB, "GiB-months", GP3_USD_PER_GIB_MONTH, PRICE_SOURCES.ebs)] : [];
}

function databaseInstanceRows(i: ReadinessInput): CostRow[] {
  const n = standingCluster(i) ? i.plan.database.instances : 0;
  return n ? [row(`Aurora DB instances (${i.secondary.database.instanceClass})`, n * HOURS_PER_MONTH, "instance-hours", auroraHourly(i.secondary.database.instanceClass), PRICE_SOURCES.aurora)] : [];
}

function natRows(i: ReadinessInput): CostRow[] {
  const gateways = i.secondary.natStrategy === "single" ? 1 : i.secondary.azCount;
  return [row(`NAT gateways (${i.secondary.natStrategy}; data processing not counted)`, gateways * HOURS_PER_MONTH, "gateway-hours", i.rates.natGatewayHourly, PRICE_SOURCES.nat)];
}

function loadBalancerRows(i: ReadinessInput): CostRow[] {
  return [row("Application Load Balancers, web and app (LCUs not counted)", 2 * HOURS_PER_MONTH, "ALB-hours", i.rates.albHourly, PRICE_SOURCES.elb)];
}

/** A global database bills each member region for its copy of the cluster volume and its I/O. */
function auroraStorageRows(i: ReadinessInput): CostRow[] {
  if (!standingCluster(i)) return [];
  return [
    row("Aurora storage (the global database's copy, dr:database.sizeGiB)", i.secondary.database.sizeGiB, "GB-months", i.rates.auroraStorageGibMonth, PRICE_SOURCES.aurora),
    row("Aurora I/O (replicated writes)", i.usage.auroraIoMillionsPerMonth, "million requests", i.rates.auroraIoPerMillion, PRICE_SOURCES.aurora, true),
  ];
}

/** The links stack copies the primary's database into this region's vault whatever the strategy: at least one full copy is stored. */
function backupStorageRows(i: ReadinessInput): CostRow[] {
  return [row("backup vault: copies of the primary's Aurora cluster (one full copy; increments not counted)", i.primary.database.sizeGiB, "GB-months", i.rates.backupAuroraGibMonth, PRICE_SOURCES.backup, true)];
}

function kmsRows(i: ReadinessInput): CostRow[] {
  return [
    row("KMS replica key of the multi-region key", 1, "key-months", i.rates.kmsKeyMonth, PRICE_SOURCES.kms),
    row("KMS requests", i.usage.kmsRequestsThousandsPerMonth / 10, "10,000 requests", i.rates.kmsPer10kRequests, PRICE_SOURCES.kms, true),
  ];
}

function secretsRows(i: ReadinessInput): CostRow[] {
  return [
    row("Secrets Manager replica of the DB secret (billed as a secret)", 1, "secret-months", i.rates.secretMonth, PRICE_SOURCES.secretsManager),
    row("Secrets Manager API calls", i.usage.secretCallsThousandsPerMonth / 10, "10,000 calls", i.rates.secretsPer10kCalls, PRICE_SOURCES.secretsManager, true),
  ];
}

/** What the region switch of a deployment costs a month with one mechanism (the same for every strategy). */
export interface RegionSwitchCost {
  readonly mechanism: SwitchMechanism;
  /** Regions switched: the primary and each of dr:replicaRegions. */
  readonly regions: number;
  /** CloudWatch alarms and custom metrics (cloudwatch-alarm: one each per region). */
  readonly alarms: number;
  readonly metrics: number;
  /** Route 53 checks: a switch check and a calculated record check per region. */
  readonly healthChecks: number;
  /** ARC cluster-hours a month (arc-routing-control: one cluster). */
  readonly clusterHours: number;
  readonly usdPerMonth: number;
}

/** The switch's monthly price with a mechanism, for a deployment of `regions` regions. */
export function regionSwitchCost(mechanism: SwitchMechanism, regions: number): RegionSwitchCost {
  const cloudWatch = mechanism === "cloudwatch-alarm";
  const alarms = cloudWatch ? regions : 0;
  const healthChecks = 2 * regions;
  const clusterHours = cloudWatch ? 0 : HOURS_PER_MONTH;
  const total = alarms * (CLOUDWATCH_ALARM_USD_PER_MONTH + CLOUDWATCH_CUSTOM_METRIC_USD_PER_MONTH) + healthChecks * ROUTE53_HEALTH_CHECK_USD_PER_MONTH + clusterHours * ARC_CLUSTER_USD_PER_HOUR;
  return { mechanism, regions, alarms, metrics: alarms, healthChecks, clusterHours, usdPerMonth: round(total) };
}

/** Both mechanisms' switch cost for the primary's deployment (its region and dr:replicaRegions). */
export function regionSwitchCosts(primary: StackConfig): RegionSwitchCost[] {
  const regions = 1 + (primary.replicaRegions ?? []).filter((r) => r !== primary.region).length;
  return SWITCH_MECHANISMS.map((m) => regionSwitchCost(m, regions));
}

/** The configured mechanism's switch (every region's, built by the primary), whatever the strategy. */
function regionSwitchRows(i: ReadinessInput): CostRow[] {
  const c = regionSwitchCosts(i.primary).find((x) => x.mechanism === i.primary.regionSwitch.mechanism)!;
  return [
    ...(c.alarms ? [
      row("region switch: CloudWatch alarms (one per region, hosted outside it)", c.alarms, "alarm-months", CLOUDWATCH_ALARM_USD_PER_MONTH, SWITCH_PRICE_SOURCES.cloudwatch),
      row("region switch: custom metrics written by the drills", c.metrics, "metric-months", CLOUDWATCH_CUSTOM_METRIC_USD_PER_MONTH, SWITCH_PRICE_SOURCES.cloudwatch),
    ] : []),
    ...(c.clusterHours ? [row("region switch: Route 53 ARC cluster", c.clusterHours, "cluster-hours", ARC_CLUSTER_USD_PER_HOUR, SWITCH_PRICE_SOURCES.arc)] : []),
    row("region switch: Route 53 switch and calculated record checks (two per region)", c.healthChecks, "health-check-months", ROUTE53_HEALTH_CHECK_USD_PER_MONTH, SWITCH_PRICE_SOURCES.route53),
  ];
}

/** Every charge counted, in the order of the table. Add a charge: write its function, list it here. */
export const COST_ROW_SOURCES: readonly CostRowSource[] = [
  instanceRows,
  ebsRows,
  databaseInstanceRows,
  natRows,
  loadBalancerRows,
  auroraStorageRows,
  backupStorageRows,
  kmsRows,
  secretsRows,
  regionSwitchRows,
];

export function costRows(i: ReadinessInput, sources: readonly CostRowSource[] = COST_ROW_SOURCES): CostRow[] {
  return sources.flatMap((f) => f(i));
}

export interface ReadinessCost {
  readonly strategy: DrStrategy;
  /** The recovery region, whose rates price the rows. */
  readonly region: string;
  /** True when the region has no rates of its own: priced at REFERENCE_REGION's. */
  readonly estimated: boolean;
  readonly rows: readonly CostRow[];
  /** Instance-hours per month of the standby's running web and app instances. */
  readonly instanceHours: number;
  /** Stopped instances waiting in warm pools (they pay EBS only). */
  readonly pooledInstances: number;
  /** DB instance-hours per month of the standby's Aurora member. */
  readonly databaseInstanceHours: number;
  /** The total of the rows, USD per month. */
  readonly usdPerMonth: number;
  /** Instance types or classes the price table does not list (priced at 0; the report says so). */
  readonly unpriced: readonly string[];
  /** The modelled unplanned RTO with this strategy. */
  readonly rtoSeconds: number;
}

/** The standby's readiness cost with the given strategy (the secondary's config otherwise unchanged). */
export function readinessCost(primary: StackConfig, secondary: StackConfig, strategy: DrStrategy, assumptions?: Partial<RecoveryAssumptions>, usage: ReadinessUsage = DEFAULT_READINESS_USAGE): ReadinessCost {
  const p = { ...primary, strategy };
  const s = { ...secondary, strategy, warmPool: strategy === secondary.strategy ? secondary.warmPool : {} };
  const plan = stackCapacity(s);
  const pools = stackWarmPools(s, plan);
  const { rates, estimated } = ratesFor(s.region);
  const input: ReadinessInput = { primary: p, secondary: s, plan, pools, rates, usage };
  const rows = costRows(input);
  const unpriced = rows.filter((r) => r.usdPerUnit === undefined && r.quantity > 0).map((r) => /\(([^)]+)\)$/.exec(r.item)?.[1] ?? r.item);
  return {
    strategy, region: s.region, estimated, rows,
    instanceHours: (running(input, "web") + running(input, "app")) * HOURS_PER_MONTH,
    pooledInstances: (pools.web?.pooledInstances ?? 0) + (pools.app?.pooledInstances ?? 0),
    databaseInstanceHours: standingCluster(input) ? plan.database.instances * HOURS_PER_MONTH : 0,
    usdPerMonth: round(rows.reduce((sum, r) => sum + r.usdPerMonth, 0)),
    unpriced,
    rtoSeconds: estimateRecovery({ primary: p, secondary: s, assumptions, start: p.recovery.mode }).rto.seconds,
  };
}

/** Every strategy's readiness cost and RTO, cheapest first as DR_STRATEGIES lists them. */
export function readinessByStrategy(primary: StackConfig, secondary: StackConfig, assumptions?: Partial<RecoveryAssumptions>): ReadinessCost[] {
  return DR_STRATEGIES.map((strategy) => readinessCost(primary, secondary, strategy, assumptions));
}

const usd = (n: number) => n.toFixed(2);

/** Markdown: the strategies side by side, then the configured strategy's rows with sources and the total. */
export function formatReadiness(rows: readonly ReadinessCost[], current: DrStrategy, switches?: { readonly costs: readonly RegionSwitchCost[]; readonly configured: SwitchMechanism }): string {
  const configured = rows.find((r) => r.strategy === current) ?? rows[0];
  const priced = configured.estimated
    ? `**estimated**: ${configured.region} has no rates in src/model/prices.ts, so it is priced at ${REFERENCE_REGION}'s; add its rates to REGION_RATES`
    : `${configured.region}'s rates`;
  const out = [
    "| strategy | modelled RTO s | instance-hours / month | stopped warm-pool instances | DB instance-hours / month | USD / month |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => `| ${r.strategy === current ? `**${r.strategy}** (configured)` : r.strategy} | ${r.rtoSeconds} | ${r.instanceHours} | ${r.pooledInstances} | ${r.databaseInstanceHours} | ${usd(r.usdPerMonth)}${r.estimated ? " (estimated)" : ""}${r.unpriced.length ? ` (not priced: ${r.unpriced.join(", ")})` : ""} |`),
    // Any strategy: restore testing (dr:backup.restoreTesting) is charged per test, not per month.
    `| restore testing (any strategy), per test | - | - | - | - | ${RESTORE_TEST_USD.toFixed(2)} per restored resource and test, plus the restored resource while kept for validation |`,
    // A fixed price per plan, whatever the strategy that has one (pilot-light, warm-standby).
    `| in-cloud ARC Region switch plan (pilot-light, warm-standby; links stack), per plan | - | - | - | - | ${REGION_SWITCH_PLAN_USD_PER_MONTH.toFixed(2)} per month, fixed |`,
    // Any strategy: the region switch, per mechanism (the configured one's rows are in every total above).
    ...(switches?.costs ?? []).map((c) => `| region switch (any strategy): ${c.mechanism === switches!.configured ? `**${c.mechanism}** (configured, in the totals)` : c.mechanism} | - | - | - | - | ${usd(c.usdPerMonth)} |`),
    "",
    `What ${configured.strategy} costs in ${configured.region}, per month (${priced}; prices of ${PRICE_TABLE_DATE}, ${HOURS_PER_MONTH} h a month):`,
    "",
    "| item | quantity | unit | USD / unit | USD / month | source |",
    "| --- | ---: | --- | ---: | ---: | --- |",
    ...configured.rows.map((r) => `| ${r.item}${r.assumed ? " (assumed usage)" : ""} | ${r.quantity} | ${r.unit} | ${r.usdPerUnit === undefined ? "not priced" : r.usdPerUnit} | ${usd(r.usdPerMonth)} | ${r.source} |`),
    `| **total** | | | | **${usd(configured.usdPerMonth)}**${configured.estimated ? " (estimated)" : ""} | |`,
    "",
    "Stopped warm-pool instances pay their EBS volumes only. Not counted: data transfer, NAT data processing and load-balancer LCUs (traffic), S3 storage and replication.",
  ];
  return out.join("\n");
}
