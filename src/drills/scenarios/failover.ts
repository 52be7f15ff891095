import { Scenario } from "../step";
import { otherRegion, regionOf } from "../inputs";
import { checkRecoveryRegion } from "./database";
import { gateAmi, gateRecoveryHealth, gateSecretReplica } from "./gates";
import { recoverySteps } from "./recovery";
import { AURORA_UNPLANNED_FAILOVER_SECONDS } from "../model";

/**
 * Unplanned regional outage: every required step calls only the recovery region, the old region's
 * switch where it lives (never in the old region) or a global data plane (public DNS); the canary
 * in the failed region is best effort. There is no lag gate: the lag at cut-over is measured and
 * reported as the data lost. The old region is switched off first (pilot light: once its writer
 * and capacity stand), so it cannot win DNS back when it returns, and DNS moves even while its
 * load balancer still answers (a partial outage).
 */
export const failover: Scenario = {
  name: "failover",
  summary: "unplanned outage of the active region: promote the other with FailoverGlobalCluster (AllowDataLoss), data loss bounded by replication lag",
  direction: (inputs, active) => ({ from: regionOf(inputs, active), to: otherRegion(inputs, active) }),
  steps: (inputs, from, to) => [
    checkRecoveryRegion(inputs, from, to),
    gateRecoveryHealth(to),
    gateSecretReplica(from, to, false),
    gateAmi(to),
    ...recoverySteps("failover", inputs, from, to),
  ],
  // On a game day (the old region answers) DNS moves by the switch; a lost region moves it sooner, at endpoint detection.
  modelRto: "switched-failover",
  fromMayBeDown: true,
  movesActiveRegion: true,
  faults: ["throttling", "timeout", "lag-over-target", "primary-region-down", "primary-region-returns", "partial-outage", "crash-after-cutover", "insufficient-capacity", "replication-paused", "secondary-switched-off", "recovery-cloudwatch-impaired", "crash-after-switch-off"],
  disruption: (_inputs, from, to) => ({
    warning: `FailoverGlobalCluster with AllowDataLoss: writes to ${from.region} not yet replicated to ${to.region} (the replication lag) are LOST, and writes fail until ${to.region} writes (typically ${AURORA_UNPLANNED_FAILOVER_SECONDS} s, up to a few minutes); production traffic moves to ${to.region}`,
  }),
};
