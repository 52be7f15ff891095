import { Scenario } from "../step";
import { restoreStandbyCapacity } from "./capacity";
import { DrillInputError } from "../inputs";
import { activeRegionCommands, copyBackRotatedSecret, reestablishSecretReplica } from "./data";
import { checkRegions } from "./database";
import { gateAmi, gateRecoveryHealth, gateReplicationLag, gateSecretReplica } from "./gates";
import { recoverySteps } from "./recovery";
import { switchStep } from "./switch";

/**
 * Back to the original primary after a failover: the secret replica is re-established first (the
 * password rotated during the outage copied back), the old primary must have rejoined the global
 * database as a secondary, then a switchover with no data loss, and only then is the original
 * primary switched on again (its record is PRIMARY, so DNS follows it).
 */
export const failback: Scenario = {
  name: "failback",
  summary: "return to the original primary after a failover: secret replica re-established, old primary rejoined, switchover back with no data loss",
  // Always back to the stack whose role is primary; check-regions refuses when it already writes.
  direction: (inputs, active) => {
    if (active !== inputs.primary.region)
      throw new DrillInputError([
        `dr:activeRegion is ${active} in the stack files; failback needs ${inputs.primary.region}'s record to be PRIMARY again: run ${activeRegionCommands(inputs, inputs.primary.region).join(" and ")}, then 'pulumi up' each stack ` +
          `(while its cluster is still read-only, ${inputs.primary.region}'s switch keeps its record out of DNS; 'drill switch' shows it), then run failback`,
      ]);
    return { from: inputs.secondary, to: inputs.primary };
  },
  steps: (inputs, from, to) => [
    checkRegions(inputs, from, to, true),
    copyBackRotatedSecret(from, to),
    reestablishSecretReplica(from, to),
    gateReplicationLag(to),
    gateRecoveryHealth(to),
    gateSecretReplica(from, to, true),
    gateAmi(to),
    // The recovery region stays switched on: switched off, both records would be unhealthy in the
    // next outage, and Route 53 then answers PRIMARY.
    ...recoverySteps("switchover", inputs, from, to, false),
    restoreStandbyCapacity(from),
    switchStep(inputs, from, true, { purpose: `keep ${from.region} switched on (idempotent): a standby must be able to win DNS in the next outage` }),
  ],
  modelRto: "planned-switchover",
  simulateAfterFailover: true,
  movesActiveRegion: true,
};
