/**
 * `dr destroy`'s preflight: from each stack's outputs, ask AWS what would stop or trap the destroy
 * (stackFindings decides), print it, apply only what the given flags ask for, and refuse to start
 * while anything else blocks. Talks to AWS only through the PreflightAws port.
 */
import { SECRET_RECOVERY_WINDOW_DAYS } from "../../../components/security/databaseCredentials";
import { PreflightAws } from "./awsPort";
import { Finding, FixFlag, renderVerdict, stackFindings, StackFacts, verdict } from "./destroyBlockers";
import { StackTargets } from "./targets";

/** Asks AWS about every resource a stack's outputs name, in the stack's region. */
export async function gatherFacts(aws: PreflightAws, t: StackTargets): Promise<StackFacts> {
  const loadBalancers = await aws.loadBalancers(t.region, { vpcId: t.vpcId, names: t.loadBalancerNames });
  // The ALBs write access logs to a bucket of the same stack; it must be empty to go too.
  const bucketNames = [...new Set([...t.bucketNames, ...loadBalancers.map((lb) => lb.accessLogBucket).filter((b): b is string => b !== undefined)])];
  const buckets = [];
  for (const name of bucketNames) {
    const b = await aws.bucketContents(t.region, name);
    if (b) buckets.push(b);
  }
  const secrets = [];
  for (const arn of t.secretArns) {
    const s = await aws.secret(t.region, arn);
    if (s) secrets.push(s);
  }
  const cluster = t.clusterIdentifier ? await aws.dbCluster(t.region, t.clusterIdentifier) : undefined;
  const globalCluster = t.globalClusterIdentifier ? await aws.globalCluster(t.region, t.globalClusterIdentifier) : undefined;
  const existing = t.finalSnapshotIdentifier ? await aws.clusterSnapshot(t.region, t.finalSnapshotIdentifier) : undefined;
  return {
    stack: t.stack,
    region: t.region,
    loadBalancers,
    cluster,
    globalCluster,
    buckets,
    secrets,
    // The program deletes its secret with this window (DatabaseCredentials).
    secretRecoveryWindowDays: SECRET_RECOVERY_WINDOW_DAYS,
    finalSnapshot: t.finalSnapshotIdentifier ? { identifier: t.finalSnapshotIdentifier, existing } : undefined,
    kmsKeys: t.kmsKeys,
  };
}

export interface DestroyPreflightResult {
  /** True when the destroy may start (every blocker handled by a flag and fixed). */
  readonly ok: boolean;
  readonly findings: readonly Finding[];
}

/** Applies one finding's fix through the port; only findings a flag selected get here. */
async function applyFix(aws: PreflightAws, f: Finding, progress: (line: string) => void): Promise<void> {
  switch (f.kind) {
    case "load-balancer-deletion-protection":
      return aws.liftLoadBalancerDeletionProtection(f.region, f.resource);
    case "cluster-deletion-protection":
      return aws.liftClusterDeletionProtection(f.region, f.resource);
    case "global-cluster-deletion-protection":
      return aws.liftGlobalClusterDeletionProtection(f.region, f.resource);
    case "bucket-not-empty": {
      const n = await aws.emptyBucket(f.region, f.resource);
      progress(`  deleted ${n} object version(s) and delete marker(s) from ${f.resource}`);
      return;
    }
    default:
      throw new Error(`no automatic fix for ${f.kind} ${f.resource}; follow the printed steps`);
  }
}

/**
 * Runs the preflight over the stacks about to be destroyed (in destroy order). With `checkOnly`
 * nothing is changed. Otherwise, when nothing blocks but what the flags handle, applies those
 * fixes and reports ok; when anything else blocks, changes nothing and reports not ok.
 */
export async function runDestroyPreflight(
  aws: PreflightAws,
  targets: readonly StackTargets[],
  options: { readonly flags: ReadonlySet<FixFlag>; readonly checkOnly?: boolean; readonly now?: Date },
  out: (line: string) => void,
): Promise<DestroyPreflightResult> {
  const findings: Finding[] = [];
  for (const t of targets) findings.push(...stackFindings(await gatherFacts(aws, t), options.now ?? new Date()));
  const v = verdict(findings, options.flags);
  if (findings.length === 0) out("destroy preflight: nothing stops or traps this destroy");
  else for (const line of renderVerdict(v)) out(line);
  if (v.blocking.length > 0) {
    out(`destroy preflight: ${v.blocking.length} blocker(s); nothing was changed or destroyed. Handle them (flags or steps above) and run again.`);
    return { ok: false, findings };
  }
  if (options.checkOnly) return { ok: true, findings };
  for (const f of v.toFix) {
    out(`${f.flag}: ${f.kind} ${f.resource} (${f.region})`);
    await applyFix(aws, f, out);
  }
  return { ok: true, findings };
}
