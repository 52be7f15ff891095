import { Scenario } from "../step";
import { otherRegion, regionOf } from "../inputs";
import { checkRecoveryRegion } from "./database";
import { gateAmi, gateRecoveryHealth, gateSecretReplica } from "./gates";
import { recoverySteps } from "./recovery";

/**
 * Unplanned regional outage: every required step calls only the recovery region or a global data
 * plane (public DNS); steps aimed at the failed region (canary, fence) are best effort. There is
 * no lag gate: the lag at cut-over is measured and reported as the data lost.
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
  modelRto: "unplanned",
  fromMayBeDown: true,
  movesActiveRegion: true,
};
