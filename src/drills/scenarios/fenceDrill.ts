/**
 * `drill fence`: after a failover, put the fence on the old primary region the moment it answers
 * again. The failover could only try it (best effort while that region was down); once the region
 * recovers its PRIMARY record passes its health check and Route 53 answers it
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html, Failover),
 * sending traffic to a cluster that is now a read-only secondary. Idempotent: run it again and
 * again until it completes; it refuses while the old primary still writes (nothing to fence).
 */
import { DrillRegion } from "../inputs";
import { Scenario } from "../step";
import { describeGlobal, writerArn } from "./database";
import { fenceOldPrimary } from "./traffic";

export const fence: Scenario = {
  name: "fence",
  summary: "after a failover, fence the old primary region (idempotent) so its PRIMARY record cannot win DNS while its cluster is read-only; run it the moment that region answers",
  // The old primary is the stack whose role is primary until failback brings the writer back to it.
  direction: (inputs) => ({ from: inputs.primary, to: inputs.secondary }),
  steps: (inputs, from: DrillRegion, to: DrillRegion) => [
    {
      name: "check-writer-moved", region: to.region, required: true, operation: "RDS.DescribeGlobalClusters",
      purpose: `${to.region}'s cluster writes (a failover happened), so ${from.region} must not win DNS`,
      calls: [describeGlobal(inputs, to)],
      precondition: async (ctx) => {
        const writer = writerArn(await ctx.cloud.describeGlobalCluster(to.region, inputs.globalClusterIdentifier));
        return writer === to.dbClusterArn ? undefined
          : `the writer is ${writer ?? "nobody"}, not ${to.dbClusterArn}: the fence is for ${from.region} after a failover to ${to.region}; fencing now would take traffic from the writer`;
      },
    },
    fenceOldPrimary(from, true),
  ],
  modelRto: "none",
  movesActiveRegion: false,
  simulateAfterFailover: true,
};
