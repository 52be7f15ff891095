/**
 * Preflight gates: each refuses the drill (unless `--force <gate>`) while recovering would lose
 * more than promised or land on a region that cannot serve. Readiness runs them as checks.
 */
import { call, CloudError } from "../cloud";
import { DrillRegion } from "../inputs";
import { Step, StepContext } from "../step";
import { describeCluster, lagCall } from "./database";

/** The health endpoint Route 53 checks: HTTPS on the regional name (components/dns/regionalDns.ts). */
export function healthUrl(r: Pick<DrillRegion, "region" | "config">): string {
  return `https://${r.region}.${r.config.domain}${r.config.healthCheck.path}`;
}

/** A precondition that reports an AWS "not found" (or similar fatal answer) as the gate's problem. */
export async function asProblem(fn: () => Promise<string | undefined>): Promise<string | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CloudError && err.kind === "fatal") return err.message;
    throw err;
  }
}

/**
 * Lag of the recovery region's cluster; the metric is published in that region, so it stays
 * readable in an outage. A headless (pilot-light) member may publish none: AWS documents the metric
 * for secondary clusters (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html)
 * but not whether a cluster without DB instances emits it (unconfirmed; game-day check in
 * runbooks/switchover.md). No data from a cluster with no instance is therefore no refusal: a
 * switchover synchronizes every secondary before it swaps roles (RPO 0, Aurora guide
 * aurora-global-database-disaster-recovery.html), and read-lag-at-cutover reads it again once the
 * writer instance exists. No data from a cluster that runs instances still refuses.
 */
export function gateReplicationLag(to: DrillRegion): Step {
  const rpo = to.config.objectives.rpoSeconds.database;
  return {
    name: "gate-replication-lag", kind: "gate", gate: "replication-lag", region: to.region, required: true, operation: "CloudWatch.GetMetricData",
    purpose: `Aurora replication lag into ${to.region} is within the ${rpo} s RPO target`,
    calls: [lagCall(to), ...describeCluster(to)],
    precondition: async (ctx) => {
      const lag = await ctx.cloud.replicationLagSeconds(to.region, to.dbClusterIdentifier);
      if (lag !== undefined) {
        ctx.log(`  saw: AuroraGlobalDBReplicationLag ${lag} s for ${to.dbClusterIdentifier} (target ${rpo} s)`);
        return lag > rpo ? `Aurora replication lag ${lag} s exceeds the RPO target ${rpo} s` : undefined;
      }
      const cluster = await ctx.cloud.describeDbCluster(to.region, to.dbClusterIdentifier);
      const seen = `no AuroraGlobalDBReplicationLag datapoint for ${to.dbClusterIdentifier} in the last 10 minutes; the cluster is ${cluster.status} with ${cluster.instances.length} DB instance(s)`;
      if (cluster.instances.length === 0) {
        ctx.log(`  saw: ${seen}. A headless member may publish no lag (undocumented); a switchover synchronizes it before promoting, and the lag is read again once its writer exists`);
        return undefined;
      }
      return `${seen}; a member with instances publishes it: is ${to.dbClusterIdentifier} a member of the global database?`;
    },
  };
}

export function gateRecoveryHealth(to: DrillRegion): Step {
  return {
    name: "gate-recovery-health", kind: "gate", gate: "recovery-health", region: to.region, required: true, operation: "RDS.DescribeDBClusters",
    purpose: `${to.region}'s cluster is available and every group that runs instances has healthy ones`,
    calls: [
      ...describeCluster(to),
      call(to.region, "AutoScaling", "DescribeAutoScalingGroups", { AutoScalingGroupNames: to.groups.map((g) => g.name) }),
    ],
    precondition: (ctx) => asProblem(async () => {
      const cluster = await ctx.cloud.describeDbCluster(to.region, to.dbClusterIdentifier);
      if (cluster.status !== "available") return `cluster ${to.dbClusterIdentifier} is ${cluster.status}, not available`;
      const groups = await ctx.cloud.describeGroups(to.region, to.groups.map((g) => g.name));
      const missing = to.groups.filter((g) => !groups.some((x) => x.name === g.name));
      if (missing.length) return `Auto Scaling group(s) ${missing.map((g) => g.name).join(", ")} do not exist in ${to.region}`;
      // Target health through the groups (health-check type ELB): what the load balancer will send traffic to.
      // A pilot light runs no instances: nothing to check yet, and scale-out comes before the cut-over.
      const down = groups.filter((g) => g.desired > 0 && g.inService === 0);
      return down.length ? `no healthy instance in ${down.map((g) => g.name).join(", ")}` : undefined;
    }),
  };
}

/**
 * The DB secret must exist in the recovery region. Towards a secondary it is the primary secret's
 * read-only replica; towards the original primary (failback) the primary secret must replicate to
 * the other region again, in sync.
 */
export function gateSecretReplica(from: DrillRegion, to: DrillRegion, towardsPrimary: boolean): Step {
  return {
    name: "gate-secret-replica", kind: "gate", gate: "secret-replica", region: to.region, required: true, operation: "SecretsManager.DescribeSecret",
    purpose: `the DB secret is present in ${to.region}${towardsPrimary ? ` and replicates to ${from.region} in sync` : ` as a replica of ${from.region}'s`}`,
    calls: [call(to.region, "SecretsManager", "DescribeSecret", { SecretId: to.dbSecretArn })],
    precondition: (ctx) => asProblem(async () => {
      const s = await ctx.cloud.describeSecret(to.region, to.dbSecretArn);
      if (towardsPrimary) {
        const replica = s.replicas.find((r) => r.region === from.region);
        return replica?.status === "InSync" ? undefined : `secret ${to.dbSecretArn} has ${replica ? `a ${replica.status} replica` : "no replica"} in ${from.region}; run step reestablish-secret-replica`;
      }
      return s.primaryRegion === from.region || s.primaryRegion === undefined ? undefined : `secret ${to.dbSecretArn} replicates from ${s.primaryRegion}, not ${from.region}`;
    }),
  };
}

export function gateAmi(to: DrillRegion): Step {
  return {
    name: "gate-ami", kind: "gate", gate: "ami", region: to.region, required: true, operation: "EC2.DescribeImages",
    purpose: `the AMI copy ${to.amiId} is available in ${to.region}`,
    calls: [call(to.region, "EC2", "DescribeImages", { ImageIds: [to.amiId] })],
    precondition: async (ctx: StepContext) => {
      const state = await ctx.cloud.imageState(to.region, to.amiId);
      return state === "available" ? undefined : `AMI ${to.amiId} is ${state ?? "missing"} in ${to.region}; new instances cannot launch there`;
    },
  };
}
