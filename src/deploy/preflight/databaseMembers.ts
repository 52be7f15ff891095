/**
 * Destroy traps a failover drill leaves in the Aurora clusters, decided from facts AWS reported:
 * pure functions, tested with tables. Kept beside destroyBlockers.ts (which holds the resource
 * rules) because both need facts no stack output records: what exists in the cluster now, and
 * which member of the global database writes now.
 */
import { isPlacedInstanceIdentifier } from "../../../components/data/dataPlacement";
import { ClusterFacts, DbInstanceFacts, GlobalClusterFacts } from "./awsPort";
import { Finding } from "./destroyBlockers";

/** What the drills can change in one stack's database behind Pulumi's back. */
export interface DatabaseMemberFacts {
  readonly stack: string;
  readonly region: string;
  /** The stack's Aurora cluster, when it has one and it exists. */
  readonly clusterIdentifier?: string;
  /** Every DB instance of that cluster (DescribeDBInstances, db-cluster-id filter). */
  readonly instances?: readonly DbInstanceFacts[];
  /**
   * The instances the stack manages, from its `regional.dbInstanceIdentifiers` output; undefined
   * when the stack predates that output, and then the DataTier naming convention decides.
   */
  readonly managedInstanceIdentifiers?: readonly string[];
  /** The global database, for the stack that owns it (the primary). */
  readonly globalCluster?: GlobalClusterFacts;
  /** A backup-restore secondary's restore subnet group, the clusters in it (a restore drill's, in no Pulumi state) and their instances. */
  readonly restored?: { readonly subnetGroupName: string; readonly clusters: readonly ClusterFacts[]; readonly instances: Readonly<Record<string, readonly DbInstanceFacts[]>> };
}

/** DBInstanceStatus of an instance already on its way out: it no longer holds the cluster. */
const DELETING_STATUS = "deleting";

/** `arn:aws:rds:<region>:<account>:cluster:<id>` -> region and id (undefined parts when not an RDS cluster ARN). */
export function parseClusterArn(arn: string): { region?: string; identifier?: string } {
  const m = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):\d*:cluster:(.+)$/.exec(arn);
  return m ? { region: m[1], identifier: m[2] } : {};
}

/** The cluster's instances in no Pulumi state (e.g. the failover drill's `<cluster>-drill-writer`). */
export function unmanagedInstances(f: DatabaseMemberFacts): DbInstanceFacts[] {
  const cluster = f.clusterIdentifier;
  if (!cluster) return [];
  const managed = (id: string) => f.managedInstanceIdentifiers ? f.managedInstanceIdentifiers.includes(id) : isPlacedInstanceIdentifier(cluster, id);
  return (f.instances ?? []).filter((i) => i.status !== DELETING_STATUS && !managed(i.identifier));
}

/** Every database trap of one stack, in the order the destroy meets them. */
export function databaseMemberFindings(f: DatabaseMemberFacts): Finding[] {
  const at = { stack: f.stack, region: f.region };
  const out: Finding[] = [];
  // DeleteDBCluster fails while the cluster "still contains DB instances in non-deleting state";
  // Pulumi deletes only the instances in its state, so one created outside it keeps the cluster:
  // https://repost.aws/knowledge-center/rds-error-delete-aurora-cluster
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DeleteCluster.html
  for (const i of unmanagedInstances(f)) {
    out.push({
      ...at, kind: "unmanaged-db-instance", severity: "blocks-destroy", resource: i.identifier,
      message: `DB instance ${i.identifier} (${i.status}) of Aurora cluster ${f.clusterIdentifier} is in no Pulumi state (a failover drill creates <cluster>-drill-writer); ` +
        "RDS refuses to delete the cluster while it holds an instance that is not being deleted. Delete it first (runbooks/failback.md)",
      steps: [
        `aws rds delete-db-instance --region ${f.region} --db-instance-identifier ${i.identifier}`,
        `aws rds wait db-instance-deleted --region ${f.region} --db-instance-identifier ${i.identifier}`,
      ],
    });
  }
  const writer = writerFinding(f);
  if (writer) out.push(writer);
  out.push(...restoredClusterFindings(f));
  return out;
}

/**
 * A cluster the restore drill (or a real restore) created in the backup-restore secondary's
 * `-restore` subnet group is in no Pulumi state, and it holds that subnet group and the database
 * security group: RDS refuses to delete a DB subnet group a cluster uses
 * (InvalidDBSubnetGroupStateFault: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBSubnetGroup.html),
 * and EC2 a security group an interface uses (DependencyViolation), so the destroy would stop on
 * them. Deleting the cluster is the operator's decision: it may be what serves (runbooks/restore.md).
 * AWS Backup restore testing restores into a standing cluster's own subnet group (stacks/gameDays.ts)
 * and keeps each restored cluster for its validation window: the same trap, while a test runs.
 */
function restoredClusterFindings(f: DatabaseMemberFacts): Finding[] {
  if (!f.restored) return [];
  const { subnetGroupName, clusters, instances } = f.restored;
  return clusters.map((c) => {
    const live = (instances[c.identifier] ?? []).filter((i) => i.status !== DELETING_STATUS);
    return {
      stack: f.stack, region: f.region, kind: "restored-cluster-in-restore-subnet-group" as const, severity: "blocks-destroy" as const, resource: c.identifier,
      message: `Aurora cluster ${c.identifier} (restored from backup, in no Pulumi state) uses DB subnet group ${subnetGroupName} of stack ${f.stack} and its database security group; ` +
        "RDS refuses to delete a subnet group a cluster uses, so the destroy would stop there. " +
        (subnetGroupName === f.clusterIdentifier
          ? "In the stack's own subnet group it is an AWS Backup restore test's (tag awsbackup-restore-test): AWS Backup deletes it when the test's validation window ends; wait for that, or delete it"
          : "If it serves traffic, return to the primary first (runbooks/restore.md, \"Returning to the primary region\"); then delete it, keeping a final snapshot"),
      steps: [
        ...live.flatMap((i) => [`aws rds delete-db-instance --region ${f.region} --db-instance-identifier ${i.identifier}`, `aws rds wait db-instance-deleted --region ${f.region} --db-instance-identifier ${i.identifier}`]),
        ...(c.deletionProtection ? [`aws rds modify-db-cluster --region ${f.region} --db-cluster-identifier ${c.identifier} --no-deletion-protection --apply-immediately`] : []),
        `aws rds delete-db-cluster --region ${f.region} --db-cluster-identifier ${c.identifier} --final-db-snapshot-identifier ${c.identifier}-restored-final-<yyyymmddhhmm>`,
        `aws rds wait db-cluster-deleted --region ${f.region} --db-cluster-identifier ${c.identifier}`,
      ],
    };
  });
}

/**
 * The destroy order (links, secondaries, then the primary) holds only while the primary stack's
 * cluster is the global database's writer: Aurora detaches the secondaries first and the writer
 * last, and the global database goes only when no member is left.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-detaching.html
 * ("You can't delete the Aurora global database until after you remove (detach) all associated
 * Aurora DB clusters, leaving the primary for last"),
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteGlobalCluster.html,
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RemoveFromGlobalCluster.html.
 * After a failover without failback a secondary stack's cluster writes, so destroying that stack
 * first would try to detach the writer while members remain.
 */
function writerFinding(f: DatabaseMemberFacts): Finding | undefined {
  const g = f.globalCluster;
  const own = f.clusterIdentifier;
  if (!g || !own || !g.members || g.members.length === 0) return undefined;
  const writers = g.members.filter((m) => m.isWriter);
  if (writers.length === 1 && parseClusterArn(writers[0].clusterArn).identifier === own) return undefined;
  const at = { stack: f.stack, region: f.region, kind: "global-writer-not-primary" as const, severity: "blocks-destroy" as const, resource: g.identifier };
  const check = `aws rds describe-global-clusters --region ${f.region} --global-cluster-identifier ${g.identifier} --query 'GlobalClusters[0].GlobalClusterMembers[].[DBClusterArn,IsWriter]' --output text`;
  if (writers.length === 0) {
    return {
      ...at,
      message: `no member of Aurora global database ${g.identifier} is the writer now (a failover or switchover is under way); the destroy order needs ${own} (stack ${f.stack}) to be the writer. Wait until one member writes and run the preflight again`,
      steps: [check],
    };
  }
  const w = parseClusterArn(writers[0].clusterArn);
  const ownArn = g.members.find((m) => parseClusterArn(m.clusterArn).identifier === own)?.clusterArn;
  const steps = [
    "npm run dr -- drill failback --execute   # moves the writer back to the primary stack's cluster (runbooks/failback.md); then run the destroy again",
  ];
  if (ownArn) {
    steps.push(
      `# or by hand: switch the writer over to ${own} (no data loss), then confirm it is the writer:`,
      `aws rds switchover-global-cluster --region ${f.region} --global-cluster-identifier ${g.identifier} --target-db-cluster-identifier ${ownArn}`,
      check,
    );
  } else {
    steps.push(`# ${own} is not a member of ${g.identifier}: add it back as a secondary first ('pulumi up --stack ${f.stack}'), as runbooks/failback.md describes`);
  }
  return {
    ...at,
    message: `Aurora global database ${g.identifier} is written by ${w.identifier ?? writers[0].clusterArn}${w.region ? ` in ${w.region}` : ""}, not by ${own} of stack ${f.stack}: a failover happened without a failback. ` +
      "The destroy removes secondary stacks first, and Aurora detaches the writer only after every other member is gone, so it would fail part-way. Fail back first",
    steps,
  };
}
