/**
 * What stops or traps a destroy, decided from facts AWS reported: pure functions, tested with tables.
 * Each finding names the stack, region and resource, says why (the AWS rule, with its source), and
 * gives either the flag that handles it or the exact AWS CLI steps.
 */
import { BucketFacts, ClusterFacts, GlobalClusterFacts, LoadBalancerFacts, SecretFacts, SnapshotFacts } from "./awsPort";

/** The facts about one stack's resources, as gathered from its outputs and AWS describe calls. */
export interface StackFacts {
  readonly stack: string;
  readonly region: string;
  readonly loadBalancers: readonly LoadBalancerFacts[];
  readonly cluster?: ClusterFacts;
  readonly globalCluster?: GlobalClusterFacts;
  readonly buckets: readonly BucketFacts[];
  /** Secrets the stack deletes on destroy, with the recovery window its program sets. */
  readonly secrets: readonly SecretFacts[];
  readonly secretRecoveryWindowDays: number;
  /** The final snapshot identifier the cluster will use, and the snapshot already holding it, if any. */
  readonly finalSnapshot?: { readonly identifier: string; readonly existing?: SnapshotFacts };
  readonly kmsKeys: ReadonlyArray<{ readonly arn: string; readonly region: string }>;
  /** The stack's backup vault (kept on destroy with its lock and access policy), if it has one. */
  readonly backupVaultName?: string;
}

export type FindingKind =
  | "load-balancer-deletion-protection"
  | "cluster-deletion-protection"
  | "global-cluster-deletion-protection"
  | "bucket-not-empty"
  | "final-snapshot-exists"
  | "secret-name-held"
  | "kms-key-retained"
  | "backup-vault-retained"
  // databaseMembers.ts: what a failover drill leaves in the clusters.
  | "unmanaged-db-instance"
  | "global-writer-not-primary"
  | "restored-cluster-in-restore-subnet-group";

/** blocks-destroy: AWS refuses the delete. blocks-redeploy: the destroy works but a redeploy collides. info: nothing fails. */
export type Severity = "blocks-destroy" | "blocks-redeploy" | "info";

export const LIFT_DELETION_PROTECTION_FLAG = "--lift-deletion-protection";
export const EMPTY_BUCKETS_FLAG = "--empty-buckets";
export type FixFlag = typeof LIFT_DELETION_PROTECTION_FLAG | typeof EMPTY_BUCKETS_FLAG;

export interface Finding {
  readonly stack: string;
  readonly region: string;
  readonly kind: FindingKind;
  readonly severity: Severity;
  /** The resource, as the AWS CLI names it (load balancer ARN, cluster id, bucket, secret name, snapshot id, key ARN). */
  readonly resource: string;
  readonly message: string;
  /** The flag of `dr destroy` that handles it, if any. */
  readonly flag?: FixFlag;
  /** The exact AWS CLI steps that handle it by hand. */
  readonly steps: readonly string[];
}

const DAY_MS = 24 * 3600 * 1000;

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** `<id>-<yyyymmddhhmm>`: a unique name for archiving a final snapshot that holds the fixed name. */
export function archivedSnapshotIdentifier(identifier: string, createdAt: Date | undefined): string {
  const stamp = (createdAt ?? new Date(0)).toISOString().replace(/[-:T]/g, "").slice(0, 12);
  return `${identifier}-${stamp}`;
}

/** Every finding for one stack, in the order a destroy meets them; `now` dates the secret's hold. */
export function stackFindings(f: StackFacts, now: Date): Finding[] {
  const at = { stack: f.stack, region: f.region };
  const out: Finding[] = [];
  // ELB refuses DeleteLoadBalancer while deletion_protection.enabled is true:
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection
  for (const lb of f.loadBalancers.filter((l) => l.deletionProtection)) {
    out.push({
      ...at, kind: "load-balancer-deletion-protection", severity: "blocks-destroy", resource: lb.arn, flag: LIFT_DELETION_PROTECTION_FLAG,
      message: `load balancer ${lb.name} has deletion protection on; AWS refuses to delete it`,
      steps: [`aws elbv2 modify-load-balancer-attributes --region ${f.region} --load-balancer-arn ${lb.arn} --attributes Key=deletion_protection.enabled,Value=false`],
    });
  }
  // RDS refuses DeleteDBCluster while DeletionProtection is true:
  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBCluster.html
  if (f.cluster?.deletionProtection) {
    out.push({
      ...at, kind: "cluster-deletion-protection", severity: "blocks-destroy", resource: f.cluster.identifier, flag: LIFT_DELETION_PROTECTION_FLAG,
      message: `Aurora cluster ${f.cluster.identifier} has deletion protection on; RDS refuses to delete it`,
      steps: [`aws rds modify-db-cluster --region ${f.region} --db-cluster-identifier ${f.cluster.identifier} --no-deletion-protection --apply-immediately`],
    });
  }
  // "The global database cluster can't be deleted when deletion protection is enabled" (ModifyGlobalCluster):
  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyGlobalCluster.html
  if (f.globalCluster?.deletionProtection) {
    out.push({
      ...at, kind: "global-cluster-deletion-protection", severity: "blocks-destroy", resource: f.globalCluster.identifier, flag: LIFT_DELETION_PROTECTION_FLAG,
      message: `Aurora global database ${f.globalCluster.identifier} has deletion protection on; RDS refuses to delete it`,
      steps: [`aws rds modify-global-cluster --region ${f.region} --global-cluster-identifier ${f.globalCluster.identifier} --no-deletion-protection`],
    });
  }
  // "All objects (including all object versions and delete markers) in the bucket must be deleted
  // before the bucket itself can be deleted": https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html
  for (const b of f.buckets) {
    const count = b.versions + b.deleteMarkers;
    if (count === 0) continue;
    const more = b.truncated ? " or more" : "";
    out.push({
      ...at, kind: "bucket-not-empty", severity: "blocks-destroy", resource: b.name, flag: EMPTY_BUCKETS_FLAG,
      message: `bucket ${b.name} holds ${b.versions}${more} object version(s) and ${b.deleteMarkers} delete marker(s); S3 refuses to delete a bucket until every version and delete marker is gone (this deletes the data for good)`,
      steps: [
        `aws s3api list-object-versions --region ${f.region} --bucket ${b.name} --max-items 1000 --query '{Objects: [Versions, DeleteMarkers][][].{Key: Key, VersionId: VersionId}}' --output json > batch.json`,
        `aws s3api delete-objects --region ${f.region} --bucket ${b.name} --delete file://batch.json   # repeat both until list-object-versions returns no Versions and no DeleteMarkers`,
      ],
    });
  }
  // DeleteDBCluster creates the final snapshot under FinalDBSnapshotIdentifier and fails when a
  // snapshot already has that identifier (DBClusterSnapshotAlreadyExistsFault):
  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBCluster.html
  const snap = f.finalSnapshot;
  if (snap?.existing) {
    const archive = archivedSnapshotIdentifier(snap.identifier, snap.existing.createdAt);
    out.push({
      ...at, kind: "final-snapshot-exists", severity: "blocks-destroy", resource: snap.identifier,
      message: `snapshot ${snap.identifier}${snap.existing.createdAt ? ` (taken ${snap.existing.createdAt.toISOString()})` : ""} already holds the final-snapshot name; deleting the cluster would fail. Archive it under another name first (it stays restorable)`,
      steps: [
        `aws rds copy-db-cluster-snapshot --region ${f.region} --source-db-cluster-snapshot-identifier ${snap.identifier} --target-db-cluster-snapshot-identifier ${archive} --copy-tags`,
        `aws rds wait db-cluster-snapshot-available --region ${f.region} --db-cluster-snapshot-identifier ${archive}`,
        `aws rds delete-db-cluster-snapshot --region ${f.region} --db-cluster-snapshot-identifier ${snap.identifier}`,
      ],
    });
  }
  // A deleted secret keeps its name until the recovery window ends; CreateSecret with that name
  // fails meanwhile ("The secret is scheduled for deletion"):
  // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html
  // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html (DeletedDate)
  for (const s of f.secrets) {
    const restore = `aws secretsmanager restore-secret --region ${f.region} --secret-id ${s.name}   # keeps the password the final snapshot was taken with; then 'pulumi import' it, or delete it for good:`;
    const purge = `aws secretsmanager delete-secret --region ${f.region} --secret-id ${s.name} --force-delete-without-recovery   # irreversible: the DB master password is lost (reset it after a restore with aws rds modify-db-cluster --master-user-password)`;
    if (s.deletedDate) {
      out.push({
        ...at, kind: "secret-name-held", severity: "blocks-redeploy", resource: s.name,
        message: `secret ${s.name} is already scheduled for deletion (on or after ${isoDate(s.deletedDate)}); until then a deploy that creates it fails`,
        steps: [restore, purge],
      });
    } else {
      const freeFrom = new Date(now.getTime() + f.secretRecoveryWindowDays * DAY_MS);
      out.push({
        ...at, kind: "secret-name-held", severity: "blocks-redeploy", resource: s.name,
        message: `secret ${s.name} will be held for its ${f.secretRecoveryWindowDays}-day recovery window after this destroy (until about ${isoDate(freeFrom)}); redeploying sooner fails until it is restored or purged`,
        steps: [`# after the destroy, to redeploy within ${f.secretRecoveryWindowDays} days:`, restore, purge],
      });
    }
  }
  // Keys encrypting final snapshots and backups are kept on delete (retainOnDelete); a pending
  // deletion is at least 7 days: https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
  for (const k of f.kmsKeys) {
    out.push({
      ...at, region: k.region, kind: "kms-key-retained", severity: "info", resource: k.arn,
      message: `KMS key ${k.arn} outlives the destroy so final snapshots and backups stay restorable; schedule its deletion only once those are gone (replica keys before the primary key)`,
      steps: [`aws kms schedule-key-deletion --region ${k.region} --key-id ${k.arn} --pending-window-in-days 30`],
    });
  }
  // The vault, its lock and its policy are kept (retainOnDelete): its recovery points must outlive a
  // destroy, and a locked vault refuses to lose them early anyway. Its name stays taken: vault names
  // are unique per account and region, so the next deploy's CreateBackupVault fails with
  // AlreadyExistsException (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html)
  // unless it adopts the kept vault. A bare `pulumi import` would not do: the vault sits under its
  // BackupVault component, so an import without that parent gets another URN and the program would
  // still try to create it; dr:backup.adoptVault imports it where the program registers it.
  if (f.backupVaultName) {
    out.push({
      ...at, kind: "backup-vault-retained", severity: "blocks-redeploy", resource: f.backupVaultName,
      message: `backup vault ${f.backupVaultName} (with its lock and access policy) outlives the destroy so its recovery points stay restorable; its name stays taken, so a redeploy of ${f.stack} fails (AlreadyExistsException) unless it adopts the kept vault`,
      steps: [
        `pulumi config set --stack ${f.stack} --path dr:backup.adoptVault true   # before the redeploy: 'pulumi up' imports the kept vault, lock and policy (ids: ${f.backupVaultName})`,
        `pulumi config set --stack ${f.stack} --path dr:backup.adoptVault false   # after that 'pulumi up' succeeded: the stack holds the vault again; the next 'pulumi up' writes the configured vault policy (dr:backup.policyAdminArns) if the kept one differs`,
      ],
    });
  }
  return out;
}

/** What one flag changes, for the findings it handles: one line per resource, named exactly. */
export function describeFix(f: Finding): string {
  switch (f.kind) {
    case "load-balancer-deletion-protection": return `set deletion_protection.enabled=false on load balancer ${f.resource} (${f.region})`;
    case "cluster-deletion-protection": return `set DeletionProtection=false on Aurora cluster ${f.resource} (${f.region})`;
    case "global-cluster-deletion-protection": return `set DeletionProtection=false on Aurora global database ${f.resource} (${f.region})`;
    case "bucket-not-empty": return `delete every object version and delete marker in bucket ${f.resource} (${f.region})`;
    default: return `${f.kind} ${f.resource} (${f.region})`;
  }
}

export interface PreflightVerdict {
  /** Findings the given flags handle: the destroy applies these first. */
  readonly toFix: readonly Finding[];
  /** Findings that stop the destroy: neither handled by a given flag nor fixable by one. */
  readonly blocking: readonly Finding[];
  /** Traps for a redeploy and information: printed, never stopping the destroy. */
  readonly notes: readonly Finding[];
}

export function verdict(findings: readonly Finding[], flags: ReadonlySet<FixFlag>): PreflightVerdict {
  const destroyBlockers = findings.filter((f) => f.severity === "blocks-destroy");
  return {
    toFix: destroyBlockers.filter((f) => f.flag !== undefined && flags.has(f.flag)),
    blocking: destroyBlockers.filter((f) => f.flag === undefined || !flags.has(f.flag)),
    notes: findings.filter((f) => f.severity !== "blocks-destroy"),
  };
}

/** The report printed before a destroy: grouped by stack and region, each with its flag or steps. */
export function renderVerdict(v: PreflightVerdict): string[] {
  const lines: string[] = [];
  const where = (f: Finding) => `[${f.stack} ${f.region}]`;
  if (v.toFix.length) {
    lines.push("The destroy will first change, as the flags given ask:");
    for (const f of v.toFix) lines.push(`  ${where(f)} ${describeFix(f)}  (${f.flag})`);
  }
  if (v.blocking.length) {
    lines.push("These stop the destroy:");
    for (const f of v.blocking) {
      lines.push(`  ${where(f)} ${f.message}`);
      lines.push(f.flag ? `    handle with ${f.flag}, or by hand:` : "    handle by hand:");
      for (const s of f.steps) lines.push(`      ${s}`);
    }
  }
  if (v.notes.length) {
    lines.push("After the destroy (nothing fails now):");
    for (const f of v.notes) {
      lines.push(`  ${where(f)} ${f.message}`);
      for (const s of f.steps) lines.push(`      ${s}`);
    }
  }
  return lines;
}
