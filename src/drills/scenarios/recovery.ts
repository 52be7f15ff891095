/**
 * The recovery sequence every cut-over shares (switchover, failover, failback). A headless
 * (pilot-light) region first gets its writer instance and its tiers scaled out and healthy, then
 * promotion, then DNS: Route 53 answers PRIMARY while both records are unhealthy, so moving DNS to
 * a region with nothing healthy would gain nothing. A region that already runs instances scales
 * out while the cut-over runs (the model counts them in parallel); in a switchover its fence moves
 * once the new capacity is healthy, in a failover at once (the lost region's checks fail anyway).
 */
import { stackCapacity } from "../../../components/compute/capacity";
import { DrillInputs, DrillRegion } from "../inputs";
import { Step } from "../step";
import { scaleOut, waitCapacity } from "./capacity";
import { checkCanary, promoteSecretReplica, recordActiveRegion, writeCanary } from "./data";
import { createWriterInstance, cutover, CutoverKind, readLagAtCutover, waitDatabaseCutover, waitWriterInstance } from "./database";
import { fenceOldPrimary, unfenceRecovery, verifyService } from "./traffic";

export function isHeadless(r: DrillRegion): boolean {
  return stackCapacity(r.config).database.headless;
}

/** `fenceFrom` false: failback, which leaves the region it leaves unfenced (a standby must be able to win DNS in the next outage). */
export function recoverySteps(kind: CutoverKind, inputs: DrillInputs, from: DrillRegion, to: DrillRegion, fenceFrom = true): Step[] {
  const planned = kind === "switchover";
  const db = [readLagAtCutover(to), cutover(kind, inputs, from, to)];
  const dns = [unfenceRecovery(to), ...(fenceFrom ? [fenceOldPrimary(from, planned)] : [])];
  const finish = [waitDatabaseCutover(kind, inputs, to), verifyService(inputs, to), checkCanary(to, false), recordActiveRegion(inputs, to)];
  if (isHeadless(to)) {
    // Pilot light: a writer and healthy capacity before promotion, and before DNS can move.
    return [writeCanary(from, planned), createWriterInstance(to), scaleOut(inputs, to), waitWriterInstance(to), waitCapacity(to), ...db,
      ...(planned ? [] : [promoteSecretReplica(to)]), ...dns, ...finish];
  }
  if (planned) return [writeCanary(from, planned), scaleOut(inputs, to), ...db, waitCapacity(to), ...dns, ...finish];
  // Unplanned, standby running: the old primary's loss is where the model's clock starts. Its fence
  // stands in for the loss on a game day (a lost region fails its health check by itself), and
  // Route 53 moves DNS once the checks fail, without waiting for the runbook: the standby's running
  // instances serve meanwhile. Scale-out and promotion run in parallel with detection.
  const loss: Step = { ...fenceOldPrimary(from, false), marks: ["recovery-start"] };
  return [writeCanary(from, planned), loss, unfenceRecovery(to), scaleOut(inputs, to), ...db, promoteSecretReplica(to), waitCapacity(to), ...finish];
}
