/**
 * The drills' one link to the RTO/RPO model (src/model/recovery.ts): its estimate for the pair, and
 * the timing constants the simulator and the step timeouts use. Importing the model's own named
 * constants keeps simulated and modelled timings from drifting apart.
 */
import { stackCapacity } from "../../components/compute/capacity";
import { estimateRecovery, failoverTimings, FailoverTimings, instanceReadySeconds, RecoveryEstimate, resolveAssumptions } from "../model/recovery";
import { DrillInputs } from "./inputs";

export {
  AURORA_INSTANCE_CREATE_SECONDS, AURORA_SWITCHOVER_SECONDS, AURORA_TYPICAL_LAG_SECONDS, AURORA_UNPLANNED_FAILOVER_SECONDS,
  ELB_ALIAS_TTL_SECONDS, HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS, INSTANCE_LAUNCH_SECONDS, S3_RTC_BOUND_SECONDS, S3_TYPICAL_SECONDS,
  SECRET_REPLICA_BOUND_SECONDS, SECRET_TYPICAL_SECONDS, restoreSecondsFor,
} from "../model/recovery";
export { DEFAULT_TARGET_HEALTH, newTargetServingSeconds } from "../../components/compute/targetHealth";

/*
 * Everything the drills read from the model goes through the functions below, so a change of the
 * model's shape (it grows per-store objectives, warm pools...) touches this file only.
 */

/** The model's estimate for failing over from the primary stack to the secondary. */
export function modelFor(inputs: DrillInputs): RecoveryEstimate {
  return estimateRecovery({ primary: inputs.primary.config, secondary: inputs.secondary.config });
}

export type ModelRtoKind = "planned-switchover" | "unplanned" | "switched-failover" | "dns" | "none";

/**
 * The modelled figure a scenario's measured RTO is compared with. A failover drill switches the
 * old region off first; with that region answering (a game day) DNS moves by the switch, so it is
 * compared with the switched figure (a lost region moves DNS sooner, at endpoint detection: `unplanned`).
 */
export function modelRtoSeconds(e: RecoveryEstimate, kind: ModelRtoKind): number | undefined {
  if (kind === "planned-switchover") return e.plannedSwitchoverSeconds;
  if (kind === "unplanned") return e.rto.seconds;
  if (kind === "switched-failover") return e.switchedFailoverSeconds;
  if (kind === "dns") return e.terms.regionSwitch.seconds + e.terms.dns.seconds;
  return undefined;
}

/** Route 53 detection (failed checks until the record turns), the region switch's delay and resolver caching, in seconds. */
export function dnsTimings(inputs: DrillInputs): { detectionSeconds: number; cacheSeconds: number; switchSeconds: number } {
  const t = failoverTimings(inputs.primary.config, inputs.secondary.config);
  return { detectionSeconds: t.detectionSeconds, cacheSeconds: t.dnsCacheSeconds, switchSeconds: t.regionSwitchSeconds };
}

/**
 * The model's step durations for moving into `region` from the other region of the pair (the
 * simulator's one source of timings): failing the primary over into the secondary, or, for
 * failback, the secondary back into the primary.
 */
export function timingsInto(inputs: DrillInputs, region: string): FailoverTimings & { readonly promoteSeconds: number; readonly freshLaunchSeconds: number } {
  const into = [inputs.primary, ...inputs.others].find((r) => r.region === region) ?? inputs.secondary;
  const from = into === inputs.primary ? inputs.secondary : inputs.primary;
  const t = failoverTimings(from.config, into.config);
  const a = resolveAssumptions(from.config);
  // The promotion alone: the simulator creates a headless cluster's writer as its own step, so the
  // pilot-light database term (creation + promotion) is not what FailoverGlobalCluster takes.
  const promoteSeconds = stackCapacity(into.config).database.headless ? a.databaseFailoverSeconds : t.databaseSeconds;
  // Beyond what the model scales out to (never in a drill), an instance launches fresh.
  return { ...t, promoteSeconds, freshLaunchSeconds: instanceReadySeconds(false, a.instanceLaunchSeconds, a.warmPoolStartSeconds) };
}

/** The model's figure for a scenario's RTO. */
export function scenarioModelRto(inputs: DrillInputs, kind: Parameters<typeof modelRtoSeconds>[1], intoRegion?: string): number | undefined {
  return modelRtoSeconds(intoRegion === inputs.primary.region ? modelIntoPrimary(inputs) : modelFor(inputs), kind);
}

/**
 * The model's estimate for moving back into the primary's region (failback, or a switchover there):
 * the primary stack is full size whatever dr:strategy says (only a secondary is scaled down or
 * headless), so its database needs no writer created first: a standing cluster's figures (the
 * pilot light's 600 s writer creation would count a step failback never runs).
 */
function modelIntoPrimary(inputs: DrillInputs): RecoveryEstimate {
  const into = inputs.primary.config;
  return estimateRecovery({ primary: inputs.secondary.config, secondary: into.strategy === "active-active" ? into : { ...into, strategy: "warm-standby" } });
}

/** Where the model misses the objectives (empty when it meets them). */
export function modelShortfalls(inputs: DrillInputs): string[] {
  const e = modelFor(inputs);
  return [...(e.rto.pass ? [] : [`RTO ${e.rto.seconds} s > ${e.rto.targetSeconds} s`]), ...(e.rpo.pass ? [] : [`RPO ${e.rpo.seconds} s > ${e.rpo.targetSeconds} s`])];
}
