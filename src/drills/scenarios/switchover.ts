import { Scenario } from "../step";
import { otherRegion, regionOf } from "../inputs";
import { checkRegions } from "./database";
import { gateAmi, gateRecoveryHealth, gateReplicationLag, gateSecretReplica } from "./gates";
import { recoverySteps } from "./recovery";

/** Planned move of the writer and traffic to the other region, no data loss: both regions must answer. */
export const switchover: Scenario = {
  name: "switchover",
  summary: "planned move to the other region with no data loss (SwitchoverGlobalCluster); both regions must be healthy",
  direction: (inputs, active) => ({ from: regionOf(inputs, active), to: otherRegion(inputs, active) }),
  steps: (inputs, from, to) => [
    checkRegions(inputs, from, to),
    gateReplicationLag(to),
    gateRecoveryHealth(to),
    gateSecretReplica(from, to, false),
    gateAmi(to),
    ...recoverySteps("switchover", inputs, from, to),
  ],
  modelRto: "planned-switchover",
  movesActiveRegion: true,
};
