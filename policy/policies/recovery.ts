/**
 * Cross-region guardrails: each secondary's data stores have their partner in the primary region,
 * and no data store, replica, replication destination, backup copy or AMI copy leaves
 * dr:allowedRegions. They read the whole stack set when the caller has it (`plan`); CrossGuard sees
 * one stack, so the parts that need another stack are skipped there.
 */
import type { DrPolicy, PolicyContext, ResourceView, StackView } from "../model";
import { arnRegions, describe, isApplicationDataBucket, isSet, list, obj, ofType, refersTo, str, T } from "../resources";

const allResources = (stack: StackView, ctx: PolicyContext): ResourceView[] => [...stack.resources, ...(ctx.peers ?? []).flatMap((p) => p.resources)];
const primaries = (ctx: PolicyContext): StackView[] => (ctx.peers ?? []).filter((p) => p.role === "primary");

/** Problems with one secondary stack's partners; `undefined` entries are checks this caller cannot see. */
function partnerProblems(stack: StackView, ctx: PolicyContext): { urn?: string; message: string }[] {
  const problems: { urn?: string; message: string }[] = [];
  for (const cluster of ofType(stack.resources, T.cluster))
    if (!isSet(cluster.inputs.globalClusterIdentifier))
      problems.push({ urn: cluster.urn, message: `${describe(cluster)}: is not a member of the Aurora global database; set globalClusterIdentifier to the primary's global cluster id.` });

  const configs = ofType(allResources(stack, ctx), T.bucketReplication);
  for (const bucket of ofType(stack.resources, T.bucket).filter(isApplicationDataBucket)) {
    if (!configs.some((c) => refersTo(c, "bucket", bucket)))
      problems.push({ urn: bucket.urn, message: `${describe(bucket)}: replicates nowhere; add a BucketReplicationConfig from it back to the primary bucket, so writes made after a failover reach the primary for failback.` });
    const replicatedInto = configs.some((c) => refersTo(c, "rules", bucket));
    if (!replicatedInto && ctx.peers)
      problems.push({ urn: bucket.urn, message: `${describe(bucket)}: no replication rule in the stack set writes into it; add a rule on the primary bucket with this bucket as destination (owned by the links stack).` });
  }

  const hasFleet = ofType(stack.resources, T.launchTemplate).length > 0;
  if (hasFleet && !ofType(stack.resources, T.amiCopy).length)
    problems.push({ message: `stack ${stack.stack}: launch templates but no AmiCopy; copy the golden AMI into ${stack.region ?? "this region"} (aws.ec2.AmiCopy), so the fleet boots while the primary region is down.` });

  const region = stack.region;
  for (const primary of region ? primaries(ctx) : []) {
    if (!ofType(primary.resources, T.kmsReplicaKey).some((k) => k.region === region))
      problems.push({ message: `stack ${stack.stack}: primary stack ${primary.stack} holds no KMS replica key in ${region}; add ${region} to its dr:replicaRegions.` });
    if (!ofType(primary.resources, T.secret).some((s) => list(s.inputs.replicas).some((r) => r.region === region)))
      problems.push({ message: `stack ${stack.stack}: no secret of primary stack ${primary.stack} replicates to ${region}; add ${region} to its dr:replicaRegions.` });
  }
  return problems;
}

// https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html
const partners: DrPolicy = {
  name: "secondary-data-partners",
  description: "In each secondary stack every data store has its cross-region partner: Aurora global-database membership, an S3 replication pair, a secret replica and KMS replica key from the primary, an AMI copy.",
  pillar: "Reliability",
  enforcement: "mandatory",
  kind: "stack",
  validate: (stack, ctx, report) => {
    if (stack.role !== "secondary") return;
    for (const p of partnerProblems(stack, ctx)) report(p.message, p.urn);
  },
};

/** Types that store data (or key material protecting it): where they live is where the data lives. */
export const DATA_STORE_TYPES: ReadonlySet<string> = new Set([
  T.bucket, T.cluster, T.clusterInstance, T.kmsKey, T.kmsReplicaKey, T.secret, T.amiCopy,
  "aws:backup/vault:Vault", "aws:dynamodb/table:Table", "aws:ec2/ebsSnapshotCopy:EbsSnapshotCopy", "aws:rds/clusterSnapshot:ClusterSnapshot",
  "aws:efs/fileSystem:FileSystem", "aws:ebs/snapshotCopy:SnapshotCopy",
]);

/** Where one resource puts data: its own region and the regions of its replicas, copies and replication destinations. */
export function dataRegions(r: ResourceView, everything: readonly ResourceView[]): { region: string; what: string }[] {
  const out: { region: string; what: string }[] = [];
  if (DATA_STORE_TYPES.has(r.type) && r.region && !["global", "multi-region"].includes(r.region)) out.push({ region: r.region, what: describe(r) });
  for (const replica of list(r.inputs.replicas)) {
    const region = str(replica.region) ?? str(replica.regionName);
    if (region) out.push({ region, what: `${describe(r)} replica` });
  }
  if (r.type === T.bucketReplication) {
    for (const rule of list(r.inputs.rules)) {
      for (const region of arnRegions(obj(obj(rule.destination).encryptionConfiguration).replicaKmsKeyId, r, "rules", everything, [T.kmsKey, T.kmsReplicaKey]))
        out.push({ region, what: `${describe(r)} rule ${str(rule.id) ?? ""} destination` });
    }
    for (const dest of everything.filter((b) => b.type === T.bucket && refersTo(r, "rules", b)))
      if (dest.region) out.push({ region: dest.region, what: `${describe(r)} destination ${describe(dest)}` });
  }
  for (const rule of list(r.inputs.rules))
    for (const copy of list(rule.copyActions)) {
      for (const region of arnRegions(copy.destinationVaultArn, r, "rules", everything, ["aws:backup/vault:Vault"]))
        out.push({ region, what: `${describe(r)} backup copy` });
    }
  return out;
}

// Data sovereignty: https://docs.aws.amazon.com/whitepapers/latest/aws-risk-and-compliance/data-residency.html
const residency: DrPolicy = {
  name: "data-residency",
  description: "No data store, replica, replication destination, backup copy or AMI copy lives outside dr:allowedRegions.",
  pillar: "Security",
  enforcement: "mandatory",
  kind: "stack",
  validate: (stack, ctx, report) => {
    const allowed = ctx.allowedRegions;
    const fromStack = ctx.allowedRegionsFromStack;
    if (allowed && fromStack && [...allowed].sort().join(",") !== [...fromStack].sort().join(","))
      report(`the policy config's allowedRegions (${allowed.join(", ")}) overrides the stack's dr:allowedRegions (${fromStack.join(", ")}), and they disagree; this check uses the policy config's list. Make the two lists the same, or drop the policy-config file so the stack's list applies.`, undefined, true);
    if (!allowed?.length) return;
    const everything = allResources(stack, ctx);
    for (const r of stack.resources) {
      const seen = new Set<string>();
      for (const { region, what } of dataRegions(r, everything)) {
        if (allowed.includes(region) || seen.has(`${what}@${region}`)) continue;
        seen.add(`${what}@${region}`);
        report(`${what}: stores data in ${region}, outside dr:allowedRegions (${allowed.join(", ")}); move it to an allowed region or add ${region} to dr:allowedRegions in every stack file.`, r.urn);
      }
    }
  },
};

export const policies: readonly DrPolicy[] = [partners, residency];
