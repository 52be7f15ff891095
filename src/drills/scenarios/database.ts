/**
 * Database steps: where the global database stands, the pilot light's writer instance, and the
 * cut-over itself. SwitchoverGlobalCluster never allows data loss; FailoverGlobalCluster with
 * AllowDataLoss is used only by `failover`. Both name the target by ARN so Aurora finds it in its
 * region. They are sent to different regions, as the Aurora guide's CLI examples do
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html):
 * a switchover to the region of the CURRENT PRIMARY (`aws rds --region region_of_primary
 * switchover-global-cluster`; both regions answer in a planned move), a failover to the region of
 * the secondary being promoted (`--region region_of_selected_secondary`; the primary may be dark).
 * The API references do not say which region serves either call (unconfirmed beyond the guide's
 * examples; game-day check in runbooks/switchover.md):
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverGlobalCluster.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverGlobalCluster.html
 * While either runs, DescribeGlobalClusters reports a FailoverState (pending, switching-over,
 * failing-over): resume reads it so a cut-over is never issued twice:
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverState.html
 * After a FailoverGlobalCluster the old primary comes back as a secondary once its region recovers
 * (the Aurora guide and https://aws.amazon.com/blogs/database/introducing-aurora-global-database-failover/);
 * SwitchoverGlobalCluster is documented for falling back to it. Failback checks membership rather
 * than trusting that, because a cluster detached in the outage must be re-added first.
 */
import { call, CloudError, GlobalClusterView } from "../cloud";
import { DrillInputs, DrillRegion } from "../inputs";
import { AURORA_INSTANCE_CREATE_SECONDS, AURORA_SWITCHOVER_SECONDS, AURORA_UNPLANNED_FAILOVER_SECONDS } from "../model";
import { stackTags } from "../../../stacks/providers";
import { retrying } from "../runner";
import { Step, StepContext } from "../step";

export type CutoverKind = "switchover" | "failover";

/** AuroraGlobalDBReplicationLag of a secondary cluster, published in its own region. */
export const lagCall = (r: DrillRegion) =>
  call(r.region, "CloudWatch", "GetMetricData", { Namespace: "AWS/RDS", MetricName: "AuroraGlobalDBReplicationLag", DBClusterIdentifier: r.dbClusterIdentifier, Stat: "Maximum", Period: 60 });

export const describeGlobal = (inputs: DrillInputs, r: DrillRegion) => call(r.region, "RDS", "DescribeGlobalClusters", { GlobalClusterIdentifier: inputs.globalClusterIdentifier });
/** DescribeDBClusters, then DescribeDBInstances for the members' status. */
export const describeCluster = (r: DrillRegion) => [
  call(r.region, "RDS", "DescribeDBClusters", { DBClusterIdentifier: r.dbClusterIdentifier }),
  call(r.region, "RDS", "DescribeDBInstances", { Filters: [{ Name: "db-cluster-id", Values: [r.dbClusterIdentifier] }] }),
];

export function writerArn(gc: GlobalClusterView): string | undefined {
  return gc.members.find((m) => m.writer)?.arn;
}

/** Problems of the global database for a cut-over from `from` to `to`, as seen from `to`. */
function topologyProblem(gc: GlobalClusterView, from: DrillRegion, to: DrillRegion, rejoinHint: boolean): string | undefined {
  if (gc.failover) return `a ${gc.failover.dataLossAllowed ? "failover" : "switchover"} is already ${gc.failover.status} towards ${gc.failover.toArn}; wait for it, or resume the journal of the drill that started it`;
  const writer = writerArn(gc);
  if (writer === to.dbClusterArn) return `${to.region} (${to.dbClusterIdentifier}) is already the writer; nothing to cut over`;
  if (!gc.members.some((m) => m.arn === to.dbClusterArn))
    return rejoinHint
      ? `${to.dbClusterArn} is not a member of the global database. After FailoverGlobalCluster Aurora rebuilds the old primary as a secondary once its region recovers ` +
        `(https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html); wait for it, or if it was detached, add it back as a secondary ('pulumi up --stack ${to.stack}')`
      : `${to.dbClusterArn} is not a member of global database; check dbClusterArn of stack ${to.stack}`;
  if (writer !== from.dbClusterArn) return `the writer is ${writer ?? "nobody"}, not ${from.dbClusterArn}; check dr:activeRegion and the outputs passed`;
  return undefined;
}

/** Planned drills need both regions to answer: the global database in the recovery region, the old writer in its own. */
export function checkRegions(inputs: DrillInputs, from: DrillRegion, to: DrillRegion, rejoinHint = false): Step {
  return {
    name: "check-regions", kind: "check", region: to.region, required: true, operation: "RDS.DescribeGlobalClusters",
    purpose: `both regions answer; ${from.region} writes, ${to.region} is a member${rejoinHint ? " again (rejoined after the failover)" : ""}`,
    calls: [describeGlobal(inputs, to), ...describeCluster(from)],
    precondition: async (ctx) => {
      const problem = topologyProblem(await ctx.cloud.describeGlobalCluster(to.region, inputs.globalClusterIdentifier), from, to, rejoinHint);
      if (problem) return problem;
      try {
        // Retried here (not by the runner) so that a region that stays silent becomes this check's answer.
        await retrying(ctx, { n: 0 }, () => ctx.cloud.describeDbCluster(from.region, from.dbClusterIdentifier));
      } catch (err) {
        if (err instanceof CloudError) return `${from.region} does not answer (${err.message}); a planned cut-over needs both regions: run 'drill failover' instead`;
        throw err;
      }
      return undefined;
    },
  };
}

/** Failover asks only the recovery region: the failed one may answer nothing. */
export function checkRecoveryRegion(inputs: DrillInputs, from: DrillRegion, to: DrillRegion): Step {
  return {
    name: "check-recovery-region", kind: "check", region: to.region, required: true, operation: "RDS.DescribeGlobalClusters",
    purpose: `${to.region} answers and its cluster is a member of the global database, ready to take the writer`,
    calls: [describeGlobal(inputs, to), ...describeCluster(to)],
    precondition: async (ctx) => {
      const gc = await ctx.cloud.describeGlobalCluster(to.region, inputs.globalClusterIdentifier);
      const problem = topologyProblem(gc, from, to, false);
      if (problem && !problem.startsWith("the writer is")) return problem;
      const cluster = await ctx.cloud.describeDbCluster(to.region, to.dbClusterIdentifier);
      return cluster.status === "available" ? undefined : `cluster ${to.dbClusterIdentifier} is ${cluster.status}, not available`;
    },
  };
}

/**
 * The tags of what a drill creates: the stack's own (app, environment, dr:role, dr:strategy,
 * dr:stack, then dr:tags), which the platform's tag policy requires on every resource, with
 * managed-by saying Pulumi does not manage it.
 */
export function drillTags(r: DrillRegion): Record<string, string> {
  const c = r.config;
  return { ...stackTags({ appName: c.appName, environment: c.environment, role: c.role, strategy: c.strategy, tags: c.tags }, r.stack), "managed-by": "dr-drill" };
}

/** A headless (pilot-light) member gets a writer-to-be before promotion: promotion needs an instance. */
/** The writer-to-be of a headless member: the drill and the in-cloud plan's Lambda create the same one. */
export const writerInstanceId = (clusterId: string) => `${clusterId}-drill-writer`;

export function createWriterInstance(to: DrillRegion): Step {
  const instanceId = writerInstanceId(to.dbClusterIdentifier);
  const tags = drillTags(to);
  return {
    name: "create-writer-instance", kind: "add-writer", region: to.region, required: true, operation: "RDS.CreateDBInstance", marks: ["recovery-start"],
    purpose: `give the headless cluster in ${to.region} a DB instance to promote`,
    calls: [...describeCluster(to), call(to.region, "RDS", "CreateDBInstance", { DBInstanceIdentifier: instanceId, DBClusterIdentifier: to.dbClusterIdentifier, DBInstanceClass: to.config.database.instanceClass, Engine: to.config.database.engine, PubliclyAccessible: false, Tags: tags })],
    alreadyDone: async (ctx) => {
      const c = await ctx.cloud.describeDbCluster(to.region, to.dbClusterIdentifier);
      return c.instances.length ? `cluster already has instance(s) ${c.instances.map((i) => i.id).join(", ")}` : undefined;
    },
    action: (ctx) => ctx.cloud.createDbInstance(to.region, { clusterId: to.dbClusterIdentifier, instanceId, instanceClass: to.config.database.instanceClass, engine: to.config.database.engine, tags }),
    undo: { description: `delete DB instance ${instanceId} (aws rds delete-db-instance --region ${to.region} --db-instance-identifier ${instanceId})`, calls: [call(to.region, "RDS", "DeleteDBInstance", { DBInstanceIdentifier: instanceId })] },
  };
}

export function waitWriterInstance(to: DrillRegion): Step {
  return {
    name: "wait-writer-instance", kind: "wait-writer", region: to.region, required: true, operation: "RDS.DescribeDBClusters",
    purpose: `the new DB instance in ${to.region} is available`,
    calls: describeCluster(to),
    verify: {
      what: `a DB instance of ${to.dbClusterIdentifier} is available`, timeoutSeconds: 2 * AURORA_INSTANCE_CREATE_SECONDS, pollSeconds: 15, maxPollSeconds: 15,
      check: async (ctx) => {
        const c = await ctx.cloud.describeDbCluster(to.region, to.dbClusterIdentifier);
        return c.instances.some((i) => i.status === "available") || `instances: ${c.instances.map((i) => `${i.id} ${i.status}`).join(", ") || "none"}`;
      },
    },
  };
}

/**
 * The replication lag the cut-over starts from (the data a failover loses), read just before it and
 * journaled as its own step, so a crash right after the cut-over cannot lose the measurement.
 */
export function readLagAtCutover(to: DrillRegion): Step {
  return {
    // Best effort: a measurement for the report (RPO "unknown" without it) must never hold back a
    // cut-over, as it would with CloudWatch impaired in the recovery region.
    name: "read-lag-at-cutover", kind: "measure-lag", region: to.region, required: false, operation: "CloudWatch.GetMetricData",
    purpose: `record the replication lag into ${to.region} at the moment of the cut-over`,
    calls: [lagCall(to)],
    action: async (ctx) => {
      const lag = await ctx.cloud.replicationLagSeconds(to.region, to.dbClusterIdentifier);
      if (lag !== undefined) ctx.facts.lagAtCutoverSeconds = lag;
    },
  };
}

/** Where a cut-over is sent (see the top of this file): a switchover to the current primary's region, a failover to the promoted secondary's. */
export function cutoverRegion(kind: CutoverKind, from: DrillRegion, to: DrillRegion): string {
  return kind === "switchover" ? from.region : to.region;
}

/** The cut-over: moves the writer; its FailoverState makes it safe to resume. */
export function cutover(kind: CutoverKind, inputs: DrillInputs, from: DrillRegion, to: DrillRegion): Step {
  const operation = kind === "switchover" ? "SwitchoverGlobalCluster" : "FailoverGlobalCluster";
  const params = { GlobalClusterIdentifier: inputs.globalClusterIdentifier, TargetDbClusterIdentifier: to.dbClusterArn, ...(kind === "failover" ? { AllowDataLoss: true } : {}) };
  const region = cutoverRegion(kind, from, to);
  return {
    name: `${kind}-database`, kind: kind === "switchover" ? "database-switchover" : "database-failover", region, required: true, operation: `RDS.${operation}`, marks: ["cutover"],
    purpose: kind === "switchover" ? `move the writer to ${to.region} with no data loss (secondaries synchronize first)` : `promote ${to.region} to writer now, losing what had not replicated (AllowDataLoss)`,
    calls: [
      call(region, "RDS", operation, params),
      describeGlobal(inputs, to),
    ],
    alreadyDone: async (ctx) => {
      const gc = await ctx.cloud.describeGlobalCluster(to.region, inputs.globalClusterIdentifier);
      if (gc.failover?.toArn === to.dbClusterArn) return `${operation} towards ${to.region} is ${gc.failover.status} (DescribeGlobalClusters FailoverState)`;
      if (writerArn(gc) === to.dbClusterArn) return `${to.region} is already the writer`;
      return undefined;
    },
    resumeCheck: async (ctx) => {
      const gc = await ctx.cloud.describeGlobalCluster(to.region, inputs.globalClusterIdentifier);
      if (gc.failover?.toArn === to.dbClusterArn || writerArn(gc) === to.dbClusterArn) return undefined;
      return `the journal shows ${operation} towards ${to.region} started, but the writer is now ${writerArn(gc) ?? "nobody"}${gc.failover ? ` (${gc.failover.status} towards ${gc.failover.toArn})` : ""}: ` +
        `the database moved since (a failback?), so this journal is stale. Refusing to issue ${operation} again${kind === "failover" ? " (AllowDataLoss would throw away what the current writer took since)" : ""}; ` +
        `check the writer with 'aws rds describe-global-clusters --region ${to.region} --global-cluster-identifier ${inputs.globalClusterIdentifier}' and start a new drill if a cut-over is still wanted`;
    },
    action: async (ctx: StepContext) => {
      if (kind === "switchover") await ctx.cloud.switchoverGlobalCluster(region, inputs.globalClusterIdentifier, to.dbClusterArn);
      else await ctx.cloud.failoverGlobalCluster(region, inputs.globalClusterIdentifier, to.dbClusterArn);
    },
    verify: {
      what: `the global database accepted the ${kind}`, timeoutSeconds: 120, pollSeconds: 2, maxPollSeconds: 10,
      check: async (ctx) => {
        const gc = await ctx.cloud.describeGlobalCluster(to.region, inputs.globalClusterIdentifier);
        return gc.failover?.toArn === to.dbClusterArn || writerArn(gc) === to.dbClusterArn || `status ${gc.status}, no ${kind} towards ${to.region} yet`;
      },
    },
    undo: kind === "switchover"
      ? { description: `switch back: npm run dr -- drill switchover (from ${to.region} to ${from.region}), no data loss`, calls: [call(cutoverRegion("switchover", to, from), "RDS", "SwitchoverGlobalCluster", { GlobalClusterIdentifier: inputs.globalClusterIdentifier, TargetDbClusterIdentifier: from.dbClusterArn })] }
      : { description: `a failover cannot be undone; once ${from.region} recovers and rejoins, run npm run dr -- drill failback`, calls: [] },
  };
}

/**
 * Done when the recovery region's cluster writes. A switchover must also have finished (both
 * regions answer, so Aurora ends it). A failover is accepted on the writer alone: while the old
 * primary is unreachable Aurora may keep reporting the operation in FailoverState (it finishes
 * rebuilding the old primary as a secondary only once that region answers), and the service must
 * not wait for a region that is down:
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html
 */
export function cutoverFinished(kind: CutoverKind, gc: GlobalClusterView, to: DrillRegion): true | string {
  const writes = writerArn(gc) === to.dbClusterArn;
  return (writes && (kind === "failover" || !gc.failover)) || `writer ${writerArn(gc) ?? "none"}${gc.failover ? `, ${gc.failover.status}` : ""}`;
}

/**
 * How long the drill waits for the new writer by default. AWS gives no upper bound: the new primary
 * "typically" takes its role "within a few minutes" after a failover, and a switchover takes longer
 * the larger the lag it first drains (both in the Aurora guide:
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html).
 * Fifteen minutes is three times the model's slowest figure (the 300 s switchover); `--cutover-timeout`
 * changes it, and the wait prints its progress so a long one is visibly alive.
 */
export const DEFAULT_CUTOVER_TIMEOUT_SECONDS = 900;

export function waitDatabaseCutover(kind: CutoverKind, inputs: DrillInputs, to: DrillRegion): Step {
  const timeoutSeconds = inputs.cutoverTimeoutSeconds ?? DEFAULT_CUTOVER_TIMEOUT_SECONDS;
  return {
    name: "wait-database-cutover", kind: "wait-database", region: to.region, required: true, operation: "RDS.DescribeGlobalClusters",
    purpose: `${to.region} is the writer and the ${kind} has finished (waiting up to ${timeoutSeconds} s, --cutover-timeout)`,
    calls: [describeGlobal(inputs, to)],
    verify: {
      what: `${to.dbClusterIdentifier} writes (the ${kind} typically takes ${kind === "switchover" ? AURORA_SWITCHOVER_SECONDS : AURORA_UNPLANNED_FAILOVER_SECONDS} s)`, timeoutSeconds, pollSeconds: 5, maxPollSeconds: 15,
      check: async (ctx) => cutoverFinished(kind, await ctx.cloud.describeGlobalCluster(to.region, inputs.globalClusterIdentifier), to),
    },
  };
}
