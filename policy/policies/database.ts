/** Aurora guardrails: instance classes a global database accepts, encryption, protection, backups, member credentials, AZ spread. */
import type { DrPolicy } from "../model";
import { describe, isSet, isTrue, num, ofType, roleTag, str, T } from "../resources";

/**
 * Classes an Aurora global database accepts: memory-optimized db.r5 and newer, db.x2, or Serverless v2
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations:
 * burstable db.t* classes are not supported).
 */
export const GLOBAL_DATABASE_CLASS = /^db\.(r[5-9][a-z]*|x2[a-z]*)\.(large|\d*xlarge)$|^db\.serverless$/;
/** At least a week of point-in-time recovery (Aurora allows 1 to 35 days). */
export const MIN_BACKUP_RETENTION_DAYS = 7;

const memoryOptimized: DrPolicy = {
  name: "aurora-memory-optimized",
  description: "Aurora instances use memory-optimized classes (db.r5 or newer, db.x2, or Serverless v2); a global database rejects burstable db.t* classes.",
  pillar: "Performance Efficiency",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.clusterInstance],
  validate: (instance, _ctx, report) => {
    const cls = str(instance.inputs.instanceClass) ?? "(not set)";
    if (!GLOBAL_DATABASE_CLASS.test(cls))
      report(`${describe(instance)}: instanceClass ${cls} is ${/^db\.t/.test(cls) ? "burstable" : "not memory-optimized"}; an Aurora global database needs db.r5 or newer (such as db.r6g.large) or db.serverless.`);
  },
};

// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html
const encrypted: DrPolicy = {
  name: "aurora-encrypted",
  description: "Aurora clusters and global clusters encrypt storage; member clusters with the region's customer managed key.",
  pillar: "Security",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.cluster, T.globalCluster],
  validate: (cluster, _ctx, report) => {
    // A global cluster created from an existing cluster inherits its encryption; one created empty must ask for it.
    if (cluster.type === T.globalCluster && isSet(cluster.inputs.sourceDbClusterIdentifier)) return;
    if (!isTrue(cluster.inputs.storageEncrypted)) report(`${describe(cluster)}: storageEncrypted is not true; set storageEncrypted: true (it cannot be turned on after creation).`);
    else if (cluster.type === T.cluster && !isSet(cluster.inputs.kmsKeyId)) report(`${describe(cluster)}: encrypted with the AWS managed key; set kmsKeyId to the region's customer key (a cross-region member must name a key in its own region).`);
  },
};

// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DeleteCluster.html#USER_DeletionProtection ;
// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Backups.html (retention 1-35 days)
const protectedCluster: DrPolicy = {
  name: "aurora-deletion-protection-and-backups",
  description: `Aurora clusters are deletion-protected and keep automated backups for at least ${MIN_BACKUP_RETENTION_DAYS} days.`,
  pillar: "Reliability",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.cluster, T.globalCluster],
  validate: (cluster, _ctx, report) => {
    if (!isTrue(cluster.inputs.deletionProtection)) report(`${describe(cluster)}: deletionProtection is not true; set deletionProtection: true.`);
    if (cluster.type !== T.cluster) return;
    const days = num(cluster.inputs.backupRetentionPeriod) ?? 1;
    if (days < MIN_BACKUP_RETENTION_DAYS) report(`${describe(cluster)}: backupRetentionPeriod is ${days} day(s); set it to at least ${MIN_BACKUP_RETENTION_DAYS}.`);
  },
};

const CREDENTIAL_INPUTS = ["masterUsername", "masterPassword", "manageMasterUserPassword", "databaseName"] as const;

// A secondary member inherits users and databases from the primary:
// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-getting-started.html#aurora-global-database-attaching
const secondaryNoCredentials: DrPolicy = {
  name: "aurora-secondary-no-credentials",
  description: "A secondary member of an Aurora global database sets no master username, password or database name.",
  pillar: "Reliability",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.cluster],
  validate: (cluster, ctx, report) => {
    const role = ctx.stack?.role ?? roleTag(cluster);
    if (role !== "secondary" || !isSet(cluster.inputs.globalClusterIdentifier)) return;
    const set = CREDENTIAL_INPUTS.filter((k) => cluster.inputs[k] !== undefined && cluster.inputs[k] !== false);
    if (set.length) report(`${describe(cluster)}: a secondary global-database member sets ${set.join(", ")}; remove them (the member takes users and databases from the primary, and AWS rejects them).`);
  },
};

// Spread over AZs so one AZ's loss keeps a writer candidate: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html
const distinctAzs: DrPolicy = {
  name: "aurora-instances-distinct-azs",
  description: "The instances of each Aurora cluster are pinned to distinct Availability Zones.",
  pillar: "Reliability",
  enforcement: "mandatory",
  kind: "stack",
  validate: (stack, _ctx, report) => {
    const byCluster = new Map<string, typeof stack.resources[number][]>();
    for (const i of ofType(stack.resources, T.clusterInstance)) {
      // The cluster it depends on (known at preview), else the identifier it names.
      const dependency = stack.resources.find((c) => c.urn === (i.propertyDependencies.clusterIdentifier ?? [])[0]);
      const key = dependency?.name ?? str(i.inputs.clusterIdentifier) ?? "(unknown cluster)";
      byCluster.set(key, [...(byCluster.get(key) ?? []), i]);
    }
    for (const [cluster, instances] of byCluster) {
      if (instances.length < 2) continue;
      const unpinned = instances.filter((i) => !str(i.inputs.availabilityZone));
      for (const i of unpinned) report(`${describe(i)} of cluster ${cluster}: availabilityZone is not set; pin each instance to its own AZ.`, i.urn);
      const seen = new Map<string, string>();
      for (const i of instances.filter((x) => !unpinned.includes(x))) {
        const az = str(i.inputs.availabilityZone)!;
        if (seen.has(az)) report(`${describe(i)} of cluster ${cluster}: shares ${az} with ${seen.get(az)}; move it to another AZ so one AZ's loss leaves a failover target.`, i.urn);
        else seen.set(az, i.name);
      }
    }
  },
};

export const policies: readonly DrPolicy[] = [memoryOptimized, encrypted, protectedCluster, secondaryNoCredentials, distinctAzs];
