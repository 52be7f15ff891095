/**
 * The recovery sequence every cut-over shares (switchover, failover, failback). DNS moves by the
 * region switches (./switch), in this order per strategy:
 * - failover, standing standby (warm standby, active-active): the old region is switched off
 *   first, a required step served by a surviving region; on a game day it is the loss the model's
 *   clock starts from (a lost region fails its endpoint check by itself, sooner). Route 53 moves DNS
 *   while the scale-out and the promotion run, as the model assumes.
 * - failover, pilot light: a writer and healthy capacity first, then the switch, then promotion:
 *   DNS is kept back until the recovery region can serve. Until the cut-over the old region still
 *   holds the writer, so if it answers again meanwhile, serving it is right; the switch is off
 *   before the writer moves, so it never wins DNS back after.
 * - switchover and failback: the database moves first; then the switch moves DNS (the new region
 *   on, the old off; failback leaves the standby on, so it can win DNS in the next outage).
 * Every sequence ends by confirming the switches read as wanted (after the recovery is measured).
 */
import { stackCapacity } from "../../../components/compute/capacity";
import { DrillInputs, DrillRegion } from "../inputs";
import { Step } from "../step";
import { scaleOut, waitCapacity } from "./capacity";
import { checkCanary, promoteSecretReplica, recordActiveRegion, writeCanary } from "./data";
import { createWriterInstance, cutover, CutoverKind, readLagAtCutover, waitDatabaseCutover, waitWriterInstance } from "./database";
import { confirmSwitches, lostRegionSwitchOverride, switchStep } from "./switch";
import { verifyService } from "./traffic";

export function isHeadless(r: DrillRegion): boolean {
  return stackCapacity(r.config).database.headless;
}

/** `switchFromOff` false: failback, which leaves the region it leaves switched on (a standby must be able to win DNS in the next outage). */
export function recoverySteps(kind: CutoverKind, inputs: DrillInputs, from: DrillRegion, to: DrillRegion, switchFromOff = true): Step[] {
  const planned = kind === "switchover";
  const db = [readLagAtCutover(to), cutover(kind, inputs, from, to)];
  const off = switchStep(inputs, from, false, { protectsCutover: true, ...(planned ? {} : { overridable: lostRegionSwitchOverride(from) }) });
  // A failover moves DNS only if the recovery region's record can be healthy: with its switch off too
  // (left off by an earlier drill or by hand), both records are unhealthy and Route 53 answers PRIMARY,
  // the lost region. Right after the switch-off (a few seconds apart; Route 53 sees both on the same
  // evaluation), best effort: its CloudWatch switch lives in the lost region, where Route 53 keeps its
  // last known status (runbooks/failover.md, switch-on-secondary).
  const on = switchStep(inputs, to, true, { bestEffort: true, purpose: `switch ${to.region} on (idempotent): switched off, its record could not win DNS and Route 53 would answer PRIMARY, the failed region` });
  // A failover reads only the switch it moved: the recovery region's own switch may live in the lost region.
  const confirm = confirmSwitches(!planned ? [{ region: from, on: false }] : switchFromOff ? [{ region: from, on: false }, { region: to, on: true }] : [{ region: to, on: true }]);
  const finish = [verifyService(inputs, to), checkCanary(to, false), recordActiveRegion(inputs, to), confirm];
  if (planned) {
    // The database moves first; the switch then moves DNS (the new region on if needed, the old off).
    const dns = [switchStep(inputs, to, true), ...(switchFromOff ? [off] : [])];
    const prepare = isHeadless(to)
      ? [writeCanary(from, true), createWriterInstance(to), scaleOut(inputs, to), waitWriterInstance(to), waitCapacity(to), ...db]
      : [writeCanary(from, true), scaleOut(inputs, to), ...db, waitCapacity(to)];
    return [...prepare, waitDatabaseCutover(kind, inputs, to), ...dns, ...finish];
  }
  if (isHeadless(to)) {
    // Pilot light: DNS kept back until the writer and healthy capacity stand; the switch precedes the cut-over.
    return [writeCanary(from, false), createWriterInstance(to), scaleOut(inputs, to), waitWriterInstance(to), waitCapacity(to), off, on, ...db,
      promoteSecretReplica(to), waitDatabaseCutover(kind, inputs, to), ...finish];
  }
  // Standing standby: the switch-off is the loss on a game day (the model's clock starts there) and
  // moves DNS by itself; scale-out and promotion run meanwhile.
  return [{ ...off, marks: ["recovery-start"] }, on, writeCanary(from, false), scaleOut(inputs, to), ...db, promoteSecretReplica(to), waitCapacity(to),
    waitDatabaseCutover(kind, inputs, to), ...finish];
}
