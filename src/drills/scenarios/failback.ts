import { Scenario } from "../step";
import { restoreStandbyCapacity } from "./capacity";
import { copyBackRotatedSecret, reestablishSecretReplica } from "./data";
import { checkRegions } from "./database";
import { gateAmi, gateRecoveryHealth, gateReplicationLag, gateSecretReplica } from "./gates";
import { recoverySteps } from "./recovery";

/**
 * Back to the original primary after a failover: the secret replica is re-established first (the
 * password rotated during the outage copied back), the old primary must have rejoined the global
 * database as a secondary, then a switchover with no data loss and the DNS roles restored.
 */
export const failback: Scenario = {
  name: "failback",
  summary: "return to the original primary after a failover: secret replica re-established, old primary rejoined, switchover back with no data loss",
  // Always back to the stack whose role is primary; check-regions refuses when it already writes.
  direction: (inputs) => ({ from: inputs.secondary, to: inputs.primary }),
  steps: (inputs, from, to) => [
    checkRegions(inputs, from, to, true),
    copyBackRotatedSecret(from, to),
    reestablishSecretReplica(from, to),
    gateReplicationLag(to),
    gateRecoveryHealth(to),
    gateSecretReplica(from, to, true),
    gateAmi(to),
    ...recoverySteps("switchover", inputs, from, to),
    restoreStandbyCapacity(from),
  ],
  modelRto: "planned-switchover",
  movesActiveRegion: true,
};
