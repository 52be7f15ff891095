import { Scenario } from "../step";
import { restoreStandbyCapacity } from "./capacity";
import { copyBackRotatedSecret, reestablishSecretReplica } from "./data";
import { checkRegions } from "./database";
import { gateAmi, gateRecoveryHealth, gateReplicationLag, gateSecretReplica } from "./gates";
import { recoverySteps } from "./recovery";
import { switchStep } from "./switch";
import { AURORA_SWITCHOVER_SECONDS } from "../model";

/**
 * Back to the original primary after a failover: the old primary must have rejoined the global
 * database as a secondary, and every gate that can refuse runs before anything changes (copying the
 * secret back overwrites the original primary's secret, so a refusal after it would leave a change
 * behind). Then the secret replica is re-established (the password rotated during the outage copied
 * back) and checked, then a switchover with no data loss, and only then is the original primary
 * switched on again (its record is PRIMARY, so DNS follows it).
 */
export const failback: Scenario = {
  name: "failback",
  summary: "return to the original primary after a failover: secret replica re-established, old primary rejoined, switchover back with no data loss",
  // Always from the secondary back to the stack whose role is primary, whatever dr:activeRegion
  // records (it is the secondary until failback completes; the drill prints the commands that
  // record the primary afterwards). Record roles are fixed by stack role (stacks/dnsRoles.ts), so no
  // record has to change first; check-regions refuses when the primary already writes.
  direction: (inputs) => ({ from: inputs.secondary, to: inputs.primary }),
  steps: (inputs, from, to) => [
    checkRegions(inputs, from, to, true),
    gateReplicationLag(to),
    gateRecoveryHealth(to),
    gateAmi(to),
    copyBackRotatedSecret(from, to),
    reestablishSecretReplica(from, to),
    // Checks what the two steps above built; its own gate, so --force secret-replica still applies.
    gateSecretReplica(from, to, true),
    // The recovery region stays switched on: switched off, both records would be unhealthy in the
    // next outage, and Route 53 then answers PRIMARY.
    ...recoverySteps("switchover", inputs, from, to, false),
    restoreStandbyCapacity(from),
    switchStep(inputs, from, true, { purpose: `keep ${from.region} switched on (idempotent): a standby must be able to win DNS in the next outage` }),
  ],
  modelRto: "planned-switchover",
  simulateAfterFailover: true,
  movesActiveRegion: true,
  faults: ["throttling", "lag-over-target", "crash-after-cutover", "replication-paused"],
  disruption: (_inputs, from, to) => ({
    warning: `writes stop while SwitchoverGlobalCluster moves the writer back from ${from.region} to ${to.region} (no data loss; typically ${AURORA_SWITCHOVER_SECONDS} s), and production traffic moves to ${to.region}`,
  }),
};
