/**
 * The step durations of one unplanned failover, for a simulator: the same configuration, warm
 * pools, target-group settings and cited constants the recovery model uses, one number per step
 * and nothing about how the steps overlap (that is what a simulation measures).
 */
import { stackCapacity } from "../../components/compute/capacity";
import { newTargetServingSeconds } from "../../components/compute/targetHealth";
import { poolCoversScaleOut, stackWarmPools } from "../../components/compute/warmPool";
import type { StackConfig } from "../../stacks/configSchema";
import { RecoveryAssumptions, STRATEGY_DATABASE, TRIGGER_SECONDS, resolveAssumptions } from "./strategyTerms";
import { detectionSeconds, ELB_ALIAS_TTL_SECONDS, instanceReadySeconds, regionSwitchSeconds } from "./timings";

export interface TierScaleOut {
  /** Instances the standby runs, and what the failover scales the tier to (the primary's desired, capped by max). */
  readonly from: number;
  readonly to: number;
  /** Whether the warm pool holds every added instance (start) or some launch fresh. */
  readonly fromWarmPool: boolean;
  /** Seconds from the scale-out call until an added instance answers its health check. */
  readonly instanceReadySeconds: number;
}

export interface FailoverTimings {
  /** Primary lost until Route 53 marks it unhealthy. */
  readonly detectionSeconds: number;
  /** How long resolvers may keep answering with the primary after Route 53 switches. */
  readonly dnsCacheSeconds: number;
  /** A region switch call until Route 53 treats the region's record by its new state (dr:regionSwitch.mechanism). */
  readonly regionSwitchSeconds: number;
  /** Detection until the runbook starts (trigger plus operator time). */
  readonly triggerSeconds: number;
  /** Runbook start until the database accepts writes (FailoverGlobalCluster; pilot light creates a writer first). */
  readonly databaseSeconds: number;
  /** Deploying the tiers before any scale-out (backup-restore builds none); 0 when they stand. */
  readonly deploySeconds: number;
  /** A registered, answering target until the load balancer sends it traffic. */
  readonly newTargetServingSeconds: number;
  readonly web: TierScaleOut;
  readonly app: TierScaleOut;
}

/** The durations for failing `primary` over to `secondary` under the model's assumptions (or the ones given). */
export function failoverTimings(primary: StackConfig, secondary: StackConfig, assumptions: Partial<RecoveryAssumptions> = {}): FailoverTimings {
  const a = resolveAssumptions(primary, assumptions);
  const standby = stackCapacity(secondary);
  const pools = stackWarmPools(secondary, standby);
  const tier = (name: "web" | "app"): TierScaleOut => {
    const plan = standby[name];
    const from = plan.builds ? plan.desired : 0;
    const to = Math.max(from, Math.min(primary.capacity[name].desired, plan.max));
    const fromWarmPool = to > from && plan.builds && poolCoversScaleOut(pools[name], from, to);
    return { from, to, fromWarmPool, instanceReadySeconds: instanceReadySeconds(fromWarmPool, a.instanceLaunchSeconds, a.warmPoolStartSeconds) };
  };
  return {
    detectionSeconds: detectionSeconds(primary.healthCheck),
    dnsCacheSeconds: a.dnsRecord === "alias" ? ELB_ALIAS_TTL_SECONDS : primary.dnsTtl,
    regionSwitchSeconds: regionSwitchSeconds(primary.regionSwitch.mechanism),
    triggerSeconds: TRIGGER_SECONDS[a.trigger] + a.decisionSeconds,
    databaseSeconds: STRATEGY_DATABASE[secondary.strategy].failover(a).seconds,
    deploySeconds: standby.web.builds && standby.app.builds ? 0 : a.infraDeploySeconds,
    newTargetServingSeconds: newTargetServingSeconds(secondary.targetHealth),
    web: tier("web"),
    app: tier("app"),
  };
}
