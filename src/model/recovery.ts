/**
 * The recovery-time (RTO) and data-loss (RPO) model of a regional failover, computed from the stack
 * configs and the standby's capacity plan. Pure: `plan` prints it, tests check it term by term.
 *
 * Unplanned failover timeline (the primary region is lost):
 *   detection  Route 53 health checkers stop getting answers; after `failureThreshold` failed checks,
 *              each `intervalSeconds` apart, the last one waiting out its connection timeout, the
 *              primary's failover record turns unhealthy.
 *   then, in parallel, because none waits for another:
 *     DNS       Route 53 answers with the SECONDARY record at once; resolvers keep the cached PRIMARY
 *               answer for up to its TTL.
 *     decision, then
 *       database  the runbook fails the global database over to the secondary (a headless pilot-light
 *                 cluster first needs a DB instance; backup-restore restores a cluster from a backup).
 *       capacity  the runbook raises the standby's desired capacity to the primary's; instances start
 *                 from the warm pool (or launch) and pass one target-group check (backup-restore
 *                 first deploys the tiers).
 * Unplanned RTO = detection + max(DNS, decision + database, decision + capacity). This assumes the
 * health-check path does not need a writable database; if it does, capacity waits for the database.
 *
 * When the endpoint checks cannot see the loss (a game day, or a partial outage: the database lost
 * while the load balancer serves), DNS moves only when the runbook switches the old region off
 * (each failover record is healthy only while its endpoint check AND its region switch are):
 *   switched failover = decision + max(hold + switch + DNS, database, capacity), where `switch` is
 *   the switch's own delay (CloudWatch: one alarm period + pickup) and `hold` is what the runbook
 *   waits for before switching (pilot light: its writer and capacity; a standing standby: nothing).
 * A planned switchover has no detection: the database moves first, then the switch moves DNS
 * (switchover + switch + DNS), in parallel with any scale-out.
 */
import { StackCapacityPlan, stackCapacity } from "../../components/compute/capacity";
import { poolCoversScaleOut, stackWarmPools } from "../../components/compute/warmPool";
import { newTargetServingSeconds } from "../../components/compute/targetHealth";
import type { DataStore, StackConfig } from "../../stacks/configSchema";
import { DEFAULT_RECOVERY_START } from "../../components/recovery/recoveryStart";
import { decisionTerm, START_MODES, StartMode } from "./startModes";
import { DataLossTerm, minutes, RecoveryAssumptions, RecoveryTerm, STRATEGY_DATABASE, StrategyDatabase, term, TRIGGER_SECONDS, resolveAssumptions } from "./strategyTerms";
import {
  AURORA_INSTANCE_CREATE_SECONDS, AURORA_SWITCHOVER_SECONDS, detectionSeconds, regionSwitchSeconds, SWITCH_ALARM_PICKUP_SECONDS, ELB_ALIAS_TTL_SECONDS, HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS, HEALTH_CHECK_METRIC_PERIOD_SECONDS,
  S3_RTC_BOUND_SECONDS, S3_TYPICAL_SECONDS, scaleOutSeconds, SECRET_REPLICA_BOUND_SECONDS, SECRET_TYPICAL_SECONDS, TIMING_SOURCES,
} from "./timings";

// The simulator and tests import everything from here: ./timings.ts holds the cited figures,
// ./strategyTerms.ts the assumptions and per-strategy terms, ./timeline.ts the step durations.
export * from "./timings";
export * from "./strategyTerms";
export * from "./timeline";
export * from "./startModes";

/** Where the AWS figures are documented; `formatRecovery` prints them. */
export const RECOVERY_REFERENCES: Readonly<Record<string, string>> = {
  "health-check timing (10 s or 30 s interval, failure threshold)": TIMING_SOURCES.healthCheckTiming,
  "health-check timeouts (4 s connect, 2 s response)": TIMING_SOURCES.healthCheckTimeouts,
  "health-check metrics once a minute; SNS notice can take several minutes": TIMING_SOURCES.healthCheckMetrics,
  "alias records to ELB have a fixed 60 s TTL": TIMING_SOURCES.aliasTtl,
  "global database promoted in less than a minute": TIMING_SOURCES.globalDatabaseFailover,
  "global database failover API": TIMING_SOURCES.globalDatabaseFailoverApi,
  "global database switchover": TIMING_SOURCES.globalDatabaseSwitchover,
  "global database lag (typically < 1 s)": TIMING_SOURCES.globalDatabaseLag,
  "warm pools (Stopped pays EBS only)": TIMING_SOURCES.warmPools,
  "warm-pool instances serve in as low as 30 s": TIMING_SOURCES.warmPoolStart,
  "new targets need one passing check": TIMING_SOURCES.targetGroupHealth,
  "continuous backup: 1 s point-in-time restore, 35 days": "https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html",
  "cross-region copies of continuous backups are snapshots on the rule's schedule": "https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery-copying.html",
  "S3 Replication Time Control (99.99 % in 15 min)": TIMING_SOURCES.s3Rtc,
};

/** One store's RPO target against what it can promise. */
export interface StoreVerdict {
  readonly store: DataStore;
  readonly boundSeconds: number;
  readonly targetSeconds: number;
  readonly pass: boolean;
  /** Names the store, its bound and its source; for a failing store, also the fix. */
  readonly message: string;
}

export interface Verdict {
  readonly seconds: number;
  readonly targetSeconds: number;
  readonly pass: boolean;
  /** The term (or store) that contributes most, or the first store that fails its target. */
  readonly dominant: string;
}

export interface RecoveryEstimate {
  readonly strategy: StackConfig["strategy"];
  /** Who starts recovery in this estimate (the decision term). */
  readonly startMode: StartMode;
  readonly assumptions: RecoveryAssumptions;
  readonly terms: {
    readonly decision: RecoveryTerm;
    readonly detection: RecoveryTerm;
    readonly dns: RecoveryTerm;
    readonly databaseSwitchover: RecoveryTerm;
    readonly databaseFailover: RecoveryTerm;
    readonly capacity: RecoveryTerm;
    /** A region switch call until Route 53 treats the region's record by its new state. */
    readonly regionSwitch: RecoveryTerm;
  };
  /** The terms summed into the unplanned RTO, in timeline order. */
  readonly criticalPath: readonly RecoveryTerm[];
  readonly rto: Verdict;
  /** The three parallel branches after detection (DNS; decision + database; decision + capacity), in seconds. */
  readonly branches: readonly { readonly name: string; readonly seconds: number }[];
  /** Planned switchover: no detection; switchover (after creating a writer when headless; a restore for backup-restore) and DNS run in parallel with scale-out. */
  readonly plannedSwitchoverSeconds: number;
  /** A failover the endpoint checks cannot see (game day, partial outage): DNS moves by the region switch. */
  readonly switchedFailoverSeconds: number;
  readonly dataLoss: readonly DataLossTerm[];
  readonly stores: readonly StoreVerdict[];
  readonly rpo: Verdict;
  readonly warnings: readonly string[];
}

export interface RecoveryInput {
  readonly primary: StackConfig;
  readonly secondary: StackConfig;
  /** The secondary's capacity plan; computed from `secondary` when absent. */
  readonly standby?: StackCapacityPlan;
  readonly assumptions?: Partial<RecoveryAssumptions>;
  /** Who starts recovery; default `drill` (the drill engine at detection, what drills compare with). The plan passes dr:recovery.mode. */
  readonly start?: StartMode;
}

export function estimateRecovery(input: RecoveryInput): RecoveryEstimate {
  const { primary, secondary } = input;
  const a = resolveAssumptions(input.primary, input.assumptions);
  const standby = input.standby ?? stackCapacity(secondary);
  const strategy = secondary.strategy;
  const db = STRATEGY_DATABASE[strategy];
  const warnings: string[] = [];

  const hc = primary.healthCheck;
  const detection = term("detection", detectionSeconds(hc),
    `Route 53 health check: interval ${hc.intervalSeconds} s x threshold ${hc.failureThreshold} + checker timeout ${HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS} s`,
    hc.failureThreshold === 1
      ? "a threshold of 1 detects soonest but fails over on a single lost check (a brief blip); 2-3 rides out blips"
      : `checkers must fail to connect on ${hc.failureThreshold} consecutive checks, so shorter blips do not fail over; a lower threshold detects sooner but fails over on brief blips` +
        (hc.intervalSeconds === 30 ? `; a 10 s interval (extra cost) cuts this to ${detectionSeconds({ ...hc, intervalSeconds: 10 })} s` : ""));
  const startMode = input.start ?? "drill";
  const decision = startMode === "drill" ? drillDecision(a) : decisionTerm(startMode, primary.recovery, detection.seconds);
  const dns = a.dnsRecord === "alias"
    ? term("dns", ELB_ALIAS_TTL_SECONDS, `alias failover record to the ALB: no TTL of its own, ELB's fixed ${ELB_ALIAS_TTL_SECONDS} s TTL applies`,
      "Route 53 switches the answer as soon as the health check fails; resolvers may serve the cached primary answer for up to this long")
    : term("dns", primary.dnsTtl, `non-alias failover record: dr:dnsTtl ${primary.dnsTtl} s`,
      "resolvers may serve the cached primary answer for up to the record's TTL; clients that ignore TTLs are outside this model");

  const switchover = term("database switchover (planned)", AURORA_SWITCHOVER_SECONDS,
    `switchover-global-cluster (SwitchoverGlobalCluster): a few minutes, ${minutes(AURORA_SWITCHOVER_SECONDS)} assumed (secondaries are synchronized first)`,
    "no data loss; needs a healthy primary region, so it serves drills and region rotation, not outages");
  const databaseFailover = db.failover(a);
  const capacity = capacityTerm(primary, secondary, standby, a, warnings);
  const mechanism = primary.regionSwitch.mechanism;
  const regionSwitch = term("region switch", regionSwitchSeconds(mechanism),
    mechanism === "cloudwatch-alarm"
      ? `CloudWatch-alarm switch: PutMetricData counts on the alarm's next 60 s period (standard resolution), + ${SWITCH_ALARM_PICKUP_SECONDS} s assumed until Route 53's check follows the alarm`
      : "ARC routing control: UpdateRoutingControlState, then its RECOVERY_CONTROL check follows (assumed, undocumented)",
    "moves DNS when the endpoint checks cannot (a game day, or the database lost while the load balancer serves), and keeps a recovered old primary out of DNS until failback");

  // DNS moves at detection; the database and capacity wait for the runbook's trigger.
  const branches = [
    { name: "dns", path: [dns], seconds: dns.seconds },
    { name: "decision + database", path: [decision, databaseFailover], seconds: decision.seconds + databaseFailover.seconds },
    { name: "decision + capacity", path: [decision, capacity], seconds: decision.seconds + capacity.seconds },
  ];
  const slowest = branches.reduce((x, y) => (y.seconds > x.seconds ? y : x));
  const criticalPath = [detection, ...slowest.path.filter((t, i) => t.seconds > 0 || i === slowest.path.length - 1)];
  const rtoSeconds = detection.seconds + slowest.seconds;
  const objectives = primary.objectives;
  const rto = verdict(rtoSeconds, objectives.rtoSeconds, criticalPath.reduce((x, y) => (y.seconds > x.seconds ? y : x)).name);
  const plannedSwitchoverSeconds = Math.max(db.plannedSeconds(a) + regionSwitch.seconds + dns.seconds, capacity.seconds);
  // Pilot light switches the old region off only once its writer and capacity stand (DNS held back).
  const hold = strategy !== "backup-restore" && standby.database.headless ? Math.max(AURORA_INSTANCE_CREATE_SECONDS, capacity.seconds) : 0;
  const switchedFailoverSeconds = decision.seconds + Math.max(hold + regionSwitch.seconds + dns.seconds, databaseFailover.seconds, capacity.seconds);

  const dataLoss = dataLossTerms(primary, db, a);
  const stores = dataLoss.map((d) => storeVerdict(d, objectives.rpoSeconds[d.store]));
  const failing = stores.find((v) => !v.pass);
  const worst = dataLoss.reduce((x, y) => (y.seconds > x.seconds ? y : x));
  const rpoStore = failing ?? stores.find((v) => v.store === worst.store)!;
  const rpo = { seconds: rpoStore.boundSeconds, targetSeconds: rpoStore.targetSeconds, pass: !failing, dominant: rpoStore.store };
  if (!rto.pass) warnings.push(`RTO ${rto.seconds} s exceeds the ${rto.targetSeconds} s target; ${rto.dominant} dominates`);
  for (const v of stores) if (!v.pass) warnings.push(v.message);
  return {
    strategy, startMode, assumptions: a,
    terms: { decision, detection, dns, databaseSwitchover: switchover, databaseFailover, capacity, regionSwitch },
    criticalPath, rto, branches: branches.map(({ name, seconds }) => ({ name, seconds })), plannedSwitchoverSeconds, switchedFailoverSeconds, dataLoss, stores, rpo, warnings,
  };
}

/** The drill engine run at detection, or the runbook trigger the assumptions name (TRIGGER_SECONDS, which the simulator's timeline reads too). */
function drillDecision(a: RecoveryAssumptions): RecoveryTerm {
  if (a.trigger === "automation" && !a.decisionSeconds) return decisionTerm("drill", DEFAULT_RECOVERY_START, 0);
  return term("decision", TRIGGER_SECONDS[a.trigger] + a.decisionSeconds,
    (a.trigger === "automation" ? "the drill engine is run at detection" : `the HealthCheckAlarm on Route 53's one-minute HealthCheckStatus metric: at least ${HEALTH_CHECK_METRIC_PERIOD_SECONDS} s`) +
      (a.decisionSeconds ? ` + assumed operator reaction ${a.decisionSeconds} s` : ""),
    "Aurora does not fail a global database over by itself, and nothing scales the standby out by itself: something must start the runbook; DNS does not wait for it");
}

export interface StartModeRto {
  readonly mode: StartMode;
  /** dr:recovery.mode of the primary: what the plan's verdict and `--strict` judge. */
  readonly configured: boolean;
  readonly decision: RecoveryTerm;
  readonly rto: Verdict;
}

/** The unplanned RTO for every way recovery can start, side by side (the report's table). */
export function rtoByStartMode(input: RecoveryInput): StartModeRto[] {
  return START_MODES.map((mode) => {
    const e = estimateRecovery({ ...input, start: mode });
    return { mode, configured: mode === input.primary.recovery.mode, decision: e.terms.decision, rto: e.rto };
  });
}

function capacityTerm(primary: StackConfig, secondary: StackConfig, standby: StackCapacityPlan, a: RecoveryAssumptions, warnings: string[]): RecoveryTerm {
  const pools = stackWarmPools(secondary, standby);
  const health = secondary.targetHealth;
  const short: string[] = [];
  let slowest = 0;
  for (const tier of ["web", "app"] as const) {
    const want = primary.capacity[tier].desired;
    const plan = standby[tier];
    if (plan.max < want) warnings.push(`secondary ${tier} tier max ${plan.max} is below the primary's desired ${want}: after failover it cannot carry the full load; raise dr:capacity.${tier}.max`);
    if (plan.builds && plan.desired >= want) continue;
    const from = plan.builds ? plan.desired : 0;
    const warm = plan.builds && poolCoversScaleOut(pools[tier], from, Math.min(want, plan.max));
    short.push(`${tier} ${plan.builds ? plan.desired : "not built"} -> ${Math.min(want, plan.max)} ${warm ? `from the warm pool (start ${a.warmPoolStartSeconds} s)` : `by fresh launch (${a.instanceLaunchSeconds} s)`}`);
    slowest = Math.max(slowest, scaleOutSeconds(warm, health, a.instanceLaunchSeconds, a.warmPoolStartSeconds));
  }
  if (short.length === 0)
    return term("capacity", 0, "standby already runs the primary's desired capacity", "nothing to scale out");
  const deploy = standby.web.builds && standby.app.builds ? 0 : a.infraDeploySeconds;
  const parts = [
    ...(deploy ? [`deploy the tiers (assumed ${minutes(deploy)})`] : []),
    `slowest tier ready ${slowest - newTargetServingSeconds(health)} s`,
    `one target-group check (interval ${health.intervalSeconds} s; a new target needs one pass)`,
  ];
  return term("capacity", deploy + slowest, `scale out (${short.join("; ")}): ${parts.join(" + ")}`,
    "the runbook sets desired capacity directly (target tracking alone adds minutes of alarm evaluation); the standby's running instances serve meanwhile");
}

function dataLossTerms(primary: StackConfig, db: StrategyDatabase, a: RecoveryAssumptions): DataLossTerm[] {
  return [
    db.loss(primary, a),
    { store: "objects", label: "S3", seconds: S3_RTC_BOUND_SECONDS, typicalSeconds: S3_TYPICAL_SECONDS,
      source: `S3 Replication Time Control: 99.99 % of objects within ${S3_RTC_BOUND_SECONDS / 60} min`,
      note: "most objects replicate in seconds; the bound is what can be promised, and 0.01 % may take longer" },
    { store: "secrets", label: "secrets", seconds: SECRET_REPLICA_BOUND_SECONDS, typicalSeconds: SECRET_TYPICAL_SECONDS,
      source: "Secrets Manager replica: changes replicate within seconds; no published bound, one minute assumed",
      note: "rotation writes only in the primary region; promote the replica with StopReplicationToReplica" },
  ];
}

/** A store's target against its bound; the message names the store, the bound and its source. */
export function storeVerdict(d: DataLossTerm, targetSeconds: number): StoreVerdict {
  const pass = targetSeconds >= d.seconds;
  const message = pass
    ? `${d.store} (${d.label}): target ${targetSeconds} s, can promise ${d.seconds} s (${d.source})`
    : `${d.store} (${d.label}): RPO target ${targetSeconds} s asks for less than the store can promise, ${d.seconds} s (${d.source}); set dr:objectives.rpoSeconds.${d.store} to ${d.seconds} or more`;
  return { store: d.store, boundSeconds: d.seconds, targetSeconds, pass, message };
}

function verdict(seconds: number, targetSeconds: number, dominant: string): Verdict {
  return { seconds, targetSeconds, pass: seconds <= targetSeconds, dominant };
}

/** A readable table of the estimate, for the plan report and the terminal. */
export function formatRecovery(e: RecoveryEstimate): string {
  const t = e.terms;
  const rows: [string, string, string][] = [
    ["term", "seconds", "source"],
    ...[t.decision, t.detection, t.dns, t.databaseFailover, t.capacity, t.databaseSwitchover, t.regionSwitch].map((x): [string, string, string] => [x.name, String(x.seconds), x.source]),
  ];
  const out = [`Recovery model (${e.strategy}, loss of the primary region)`, ...table(rows)];
  out.push(`  unplanned RTO = ${e.criticalPath.map((x) => `${x.name} ${x.seconds}`).join(" + ")} = ${e.rto.seconds} s` +
    ` (DNS moves at detection; database and capacity wait for the decision; the slowest branch counts)`);
  out.push(`  parallel branches after detection: ${e.branches.map((b) => `${b.name} ${b.seconds} s`).join(", ")}`);
  out.push(`  RTO ${e.rto.seconds} s vs target ${e.rto.targetSeconds} s: ${e.rto.pass ? "PASS" : "FAIL"}; dominant term: ${e.rto.dominant}`);
  out.push(`  failover the endpoint checks cannot see (game day, partial outage; DNS moved by the region switch): ${e.switchedFailoverSeconds} s`);
  out.push(`  planned switchover: ${e.plannedSwitchoverSeconds} s (database, then the switch moves DNS), no data loss`, "");
  const lossRows: [string, string, string][] = [
    ["store", "bound s", "target s, verdict; source"],
    ...e.dataLoss.map((d, i): [string, string, string] =>
      [`${d.store} (${d.label})`, String(d.seconds), `${e.stores[i].targetSeconds} ${e.stores[i].pass ? "PASS" : "FAIL"}; ${d.source} (typical ${d.typicalSeconds} s)`]),
  ];
  out.push("Data-loss window (RPO), per store", ...table(lossRows));
  out.push(`  RPO ${e.rpo.pass ? "PASS: every store within its target" : `FAIL: ${e.stores.filter((v) => !v.pass).map((v) => v.store).join(", ")} asks for less than it can promise`}; ` +
    `${e.rpo.pass ? "largest bound" : "first failing store"}: ${e.rpo.dominant} (${e.rpo.seconds} s vs target ${e.rpo.targetSeconds} s)`, "");
  out.push("Notes:", ...[t.detection, t.dns, t.databaseFailover, t.capacity, t.decision].map((x) => `  - ${x.name}: ${x.note}`));
  out.push(...e.dataLoss.map((d) => `  - ${d.store} (${d.label}): ${d.note}`));
  out.push("References:", ...Object.entries(RECOVERY_REFERENCES).map(([what, url]) => `  - ${what}: ${url}`));
  if (e.warnings.length) out.push("Warnings:", ...e.warnings.map((w) => `  ! ${w}`));
  return out.join("\n");
}

function table(rows: readonly [string, string, string][]): string[] {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return rows.map((r) => `  ${r[0].padEnd(w0)}  ${r[1].padStart(w1)}  ${r[2]}`);
}
