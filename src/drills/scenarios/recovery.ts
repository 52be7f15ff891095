/**
 * The recovery sequence every cut-over shares (switchover, failover, failback). A headless
 * (pilot-light) region first gets its writer instance and its tiers scaled out and healthy, then
 * promotion, then DNS: Route 53 answers PRIMARY while both records are unhealthy, so moving DNS to
 * a region with nothing healthy would gain nothing. A region that already runs instances scales
 * out while the cut-over runs (the model counts them in parallel), and its fence moves once the
 * new capacity is healthy.
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
  const prepare = isHeadless(to)
    ? [createWriterInstance(to), scaleOut(inputs, to), waitWriterInstance(to), waitCapacity(to), ...db]
    : [scaleOut(inputs, to), ...db, waitCapacity(to)];
  return [
    writeCanary(from, planned),
    ...prepare,
    ...(planned ? [] : [promoteSecretReplica(to)]),
    unfenceRecovery(to),
    ...(fenceFrom ? [fenceOldPrimary(from, planned)] : []),
    waitDatabaseCutover(kind, inputs, to),
    verifyService(inputs, to),
    checkCanary(to, false),
    recordActiveRegion(inputs, to),
  ];
}
