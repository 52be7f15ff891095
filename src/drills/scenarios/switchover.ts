import { Scenario } from "../step";
import { otherRegion, regionOf } from "../inputs";
import { checkRegions } from "./database";
import { gateAmi, gateRecoveryHealth, gateReplicationLag, gateSecretReplica } from "./gates";
import { recoverySteps } from "./recovery";
import { AURORA_SWITCHOVER_SECONDS } from "../model";

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
  faults: ["throttling", "timeout", "lag-over-target", "primary-region-down", "primary-region-returns", "partial-outage", "crash-after-cutover", "insufficient-capacity", "replication-paused"],
  disruption: (_inputs, from, to) => ({
    warning: `writes stop while SwitchoverGlobalCluster moves the writer from ${from.region} to ${to.region} (no data loss; typically ${AURORA_SWITCHOVER_SECONDS} s, longer with more lag to drain), and production traffic moves to ${to.region}`,
  }),
};
