/**
 * `dr destroy`'s preflight: from each stack's outputs, ask AWS what would stop or trap the destroy
 * (stackFindings decides) and print it; the CLI refuses to start while anything blocks that no given
 * flag handles, and applies only what the flags ask for. Talks to AWS only through the PreflightAws port.
 */
import { SECRET_RECOVERY_WINDOW_DAYS } from "../../../components/security/databaseCredentials";
import { DbInstanceFacts, PreflightAws } from "./awsPort";
import { databaseMemberFindings, DatabaseMemberFacts } from "./databaseMembers";
import { describeFix, Finding, FixFlag, renderVerdict, stackFindings, StackFacts, verdict } from "./destroyBlockers";
import { StackTargets } from "./targets";

/** Asks AWS about every resource a stack's outputs name, in the stack's region. */
export async function gatherFacts(aws: PreflightAws, t: StackTargets): Promise<StackFacts> {
  // A stack that names no VPC and no load balancer (links: only its plan's report bucket) owns none.
  const loadBalancers = t.vpcId !== undefined || t.loadBalancerNames.length ? await aws.loadBalancers(t.region, { vpcId: t.vpcId, names: t.loadBalancerNames }) : [];
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
    backupVaultName: t.backupVaultName,
  };
}

/** The cluster's DB instances now, beside what the stack manages, and the global database's members. */
export async function gatherDatabaseMembers(aws: PreflightAws, t: StackTargets, facts: StackFacts): Promise<DatabaseMemberFacts> {
  const clusterIdentifier = facts.cluster?.identifier;
  // Clusters outside Pulumi's state in the stack's DB subnet groups: the restore drill's in a
  // backup-restore secondary's `-restore` group, and AWS Backup restore tests' in a standing
  // cluster's own group (named as the cluster; gameDays.ts), which live until their validation window ends.
  const group = t.restoreSubnetGroupName ?? (clusterIdentifier ? t.clusterIdentifier : undefined);
  return {
    stack: t.stack,
    region: t.region,
    clusterIdentifier,
    instances: clusterIdentifier ? await aws.clusterInstances(t.region, clusterIdentifier) : undefined,
    managedInstanceIdentifiers: t.managedInstanceIdentifiers,
    globalCluster: facts.globalCluster,
    ...(group ? { restored: await restoredClusters(aws, t.region, group, clusterIdentifier) } : {}),
  };
}

/** The clusters in a DB subnet group but the stack's own (`own`), with their DB instances. */
export async function restoredClusters(aws: PreflightAws, region: string, subnetGroupName: string, own?: string): Promise<NonNullable<DatabaseMemberFacts["restored"]>> {
  const clusters = (await aws.clustersInSubnetGroup(region, subnetGroupName)).filter((c) => c.identifier !== own);
  const instances: Record<string, DbInstanceFacts[]> = {};
  for (const c of clusters) instances[c.identifier] = await aws.clusterInstances(region, c.identifier);
  return { subnetGroupName, clusters, instances };
}

export interface DestroyCheck {
  /** True when nothing blocks but what the given flags handle. */
  readonly ok: boolean;
  readonly findings: readonly Finding[];
  /** The findings the flags handle; `applyFixes` changes exactly these. */
  readonly toFix: readonly Finding[];
}

/**
 * Asks AWS about every stack about to be destroyed (in destroy order) and prints what would stop
 * or trap the destroy, with the flag or the AWS CLI steps for each. Changes nothing.
 */
export async function checkDestroy(
  aws: PreflightAws,
  targets: readonly StackTargets[],
  flags: ReadonlySet<FixFlag>,
  out: (line: string) => void,
  now: Date = new Date(),
): Promise<DestroyCheck> {
  const findings: Finding[] = [];
  for (const t of targets) {
    const facts = await gatherFacts(aws, t);
    findings.push(...stackFindings(facts, now), ...databaseMemberFindings(await gatherDatabaseMembers(aws, t, facts)));
  }
  const v = verdict(findings, flags);
  if (findings.length === 0) out("destroy preflight: nothing stops or traps this destroy");
  else for (const line of renderVerdict(v)) out(line);
  if (v.blocking.length > 0) out(`destroy preflight: ${v.blocking.length} blocker(s); nothing was changed or destroyed. Handle them (flags or steps above) and run again.`);
  return { ok: v.blocking.length === 0, findings, toFix: v.toFix };
}

/** Applies the fixes the flags selected, one resource at a time, naming each before it changes. */
export async function applyFixes(aws: PreflightAws, toFix: readonly Finding[], out: (line: string) => void): Promise<void> {
  for (const f of toFix) {
    out(`${f.flag}: ${describeFix(f)}`);
    await applyFix(aws, f, out);
  }
}

/** Applies one finding's fix through the port; only findings a flag selected get here. */
async function applyFix(aws: PreflightAws, f: Finding, out: (line: string) => void): Promise<void> {
  switch (f.kind) {
    case "load-balancer-deletion-protection":
      return aws.liftLoadBalancerDeletionProtection(f.region, f.resource);
    case "cluster-deletion-protection":
      return aws.liftClusterDeletionProtection(f.region, f.resource);
    case "global-cluster-deletion-protection":
      return aws.liftGlobalClusterDeletionProtection(f.region, f.resource);
    case "bucket-not-empty": {
      const n = await aws.emptyBucket(f.region, f.resource);
      out(`  deleted ${n} object version(s) and delete marker(s) from ${f.resource}`);
      return;
    }
    default:
      throw new Error(`no automatic fix for ${f.kind} ${f.resource}; follow the printed steps`);
  }
}
