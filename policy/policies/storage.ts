/**
 * S3 guardrails. In @pulumi/aws 7 a bucket's versioning, encryption, public access block and policy
 * are separate resources pointing at it, so bucket checks are stack policies that look for the
 * bucket's companion resources (by property dependency, or by the bucket's name/ARN).
 */
import type { DrPolicy, ResourceView, StackView } from "../model";
import { describe, isAccessLogBucketPart, isSet, isTrue, isUnknown, list, obj, ofType, refersTo, str, T } from "../resources";

/** The resources of a type in the stack that configure this bucket (their `bucket` input names it). */
export function companions(stack: StackView, bucket: ResourceView, type: string): ResourceView[] {
  return ofType(stack.resources, type).filter((c) => refersTo(c, "bucket", bucket));
}

/** The data-holding buckets (everything but ALB access-log buckets) and the log buckets of a stack. */
function bucketsOf(stack: StackView): { data: ResourceView[]; logs: ResourceView[] } {
  const buckets = ofType(stack.resources, T.bucket);
  return { data: buckets.filter((b) => !isAccessLogBucketPart(b)), logs: buckets.filter(isAccessLogBucketPart) };
}

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html ; replication needs it on both buckets:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html
const versioning: DrPolicy = {
  name: "s3-bucket-versioning",
  description: "Every S3 bucket that holds data (ALB access-log buckets excepted) has versioning enabled, so overwrites and deletes can be undone and the bucket can replicate.",
  pillar: "Reliability",
  enforcement: "mandatory",
  kind: "stack",
  validate: (stack, _ctx, report) => {
    for (const bucket of bucketsOf(stack).data) {
      if (isTrue(obj(bucket.inputs.versioning).enabled)) continue;
      const configs = companions(stack, bucket, T.bucketVersioning);
      const statuses = configs.map((c) => str(obj(c.inputs.versioningConfiguration).status) ?? "(not set)");
      if (statuses.includes("Enabled")) continue;
      report(configs.length
        ? `${describe(bucket)}: versioning is off (${configs.map(describe).join(", ")} has versioningConfiguration.status = ${statuses.join(", ")}); set versioningConfiguration.status to "Enabled".`
        : `${describe(bucket)}: has no BucketVersioning; add an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled" for it.`, bucket.urn);
    }
  },
};

const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
const publicAccess: DrPolicy = {
  name: "s3-public-access-blocked",
  description: "Every S3 bucket has a public access block with all four settings on.",
  pillar: "Security",
  enforcement: "mandatory",
  kind: "stack",
  validate: (stack, _ctx, report) => {
    for (const bucket of ofType(stack.resources, T.bucket)) {
      const blocks = companions(stack, bucket, T.bucketPublicAccessBlock);
      if (!blocks.length) {
        report(`${describe(bucket)}: has no BucketPublicAccessBlock; add one with ${PUBLIC_ACCESS_FLAGS.join(", ")} all true.`, bucket.urn);
        continue;
      }
      const off = PUBLIC_ACCESS_FLAGS.filter((f) => !blocks.some((b) => isTrue(b.inputs[f])));
      if (off.length) report(`${describe(bucket)}: public access is not fully blocked (${off.join(", ")} not true on ${blocks.map(describe).join(", ")}); set ${off.join(", ")} to true.`, bucket.urn);
    }
  },
};

/** Whether a policy document denies every request made without TLS (aws:SecureTransport false). */
export function deniesInsecureTransport(policy: unknown): boolean {
  const doc = obj(policy);
  const statements = Array.isArray(doc.Statement) ? list(doc.Statement) : [obj(doc.Statement)];
  return statements.some((s) => {
    const actions = [s.Action].flat();
    return s.Effect === "Deny" && (actions.includes("s3:*") || actions.includes("*")) &&
      String(obj(obj(s.Condition).Bool)["aws:SecureTransport"]) === "false";
  });
}

const TLS_FIX = `add a statement with Effect "Deny", Action "s3:*", Principal "*" and Condition Bool aws:SecureTransport "false"`;

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html ("Enforce encryption of data in transit")
const tlsOnly: DrPolicy = {
  name: "s3-tls-only",
  description: "Every S3 bucket has a bucket policy, and a policy it carries inline denies requests that do not use TLS (aws:SecureTransport false); s3-bucket-policy-tls checks the BucketPolicy documents.",
  pillar: "Security",
  enforcement: "mandatory",
  kind: "stack",
  validate: (stack, _ctx, report) => {
    for (const bucket of ofType(stack.resources, T.bucket)) {
      const inline = bucket.inputs.policy;
      if (companions(stack, bucket, T.bucketPolicy).length && inline === undefined) continue;
      // Unknown in a preview's stack view: the provider turns a document into JSON text only once its ARNs are known.
      if (inline !== undefined && (isUnknown(inline) || deniesInsecureTransport(inline))) continue;
      report(`${describe(bucket)}: ${inline !== undefined ? "its inline policy does not deny" : "has no bucket policy denying"} requests without TLS; ${TLS_FIX}.`, bucket.urn);
    }
  },
};

/**
 * The document of each BucketPolicy, read from the inputs the program gives it (Analyze), where a
 * document object keeps its statements known at preview and only the ARNs in it are unknown. The
 * stack view cannot serve: the provider makes the document JSON text, unknown as a whole until
 * every ARN in it is known (TransformJSONDocument, https://github.com/pulumi/pulumi-terraform-bridge/issues/339).
 */
const bucketPolicyTls: DrPolicy = {
  name: "s3-bucket-policy-tls",
  description: "Every S3 bucket policy document denies requests that do not use TLS (aws:SecureTransport false).",
  pillar: "Security",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.bucketPolicy],
  validate: (policy, _ctx, report) => {
    const doc = policy.inputs.policy;
    if (isUnknown(doc))
      report(`${describe(policy)}: its policy document is computed as a whole (JSON text made from unknown values), so it cannot be read until they are known; give the policy as a document object (only its ARNs then wait), and make sure it denies requests without TLS.`, undefined, true);
    else if (!deniesInsecureTransport(doc)) report(`${describe(policy)}: its document does not deny requests without TLS; ${TLS_FIX}.`);
  },
};

/** The default encryption rules of a bucket, from its encryption resources or its inline setting. */
function encryptionDefaults(stack: StackView, bucket: ResourceView): { algorithm?: string; key?: string }[] {
  const rules = [
    ...companions(stack, bucket, T.bucketEncryption).flatMap((c) => list(c.inputs.rules)),
    ...[obj(obj(bucket.inputs.serverSideEncryptionConfiguration).rule)].filter((r) => Object.keys(r).length),
  ];
  return rules.map((r) => {
    const d = obj(r.applyServerSideEncryptionByDefault);
    // A key computed from a resource (unknown at preview) is a customer key: AWS managed keys are named by literal alias.
    return { algorithm: str(d.sseAlgorithm), key: isSet(d.kmsMasterKeyId) ? String(d.kmsMasterKeyId) : undefined };
  });
}

// ALB log delivery accepts only SSE-S3: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
// ("The only server-side encryption option that's supported is Amazon S3-managed keys (SSE-S3)").
const encryption: DrPolicy = {
  name: "s3-encryption",
  description: "Data buckets default to SSE-KMS with a customer managed key; ALB access-log buckets to SSE-S3, the only encryption ALB log delivery accepts.",
  pillar: "Security",
  enforcement: "mandatory",
  kind: "stack",
  validate: (stack, _ctx, report) => {
    const { data, logs } = bucketsOf(stack);
    for (const bucket of data) {
      const rules = encryptionDefaults(stack, bucket);
      const kms = rules.find((r) => r.algorithm?.startsWith("aws:kms"));
      if (!kms) report(`${describe(bucket)}: default encryption is ${rules.map((r) => r.algorithm).join(", ") || "not configured"}, not SSE-KMS; add a BucketServerSideEncryptionConfiguration rule with sseAlgorithm "aws:kms" and kmsMasterKeyId the region's customer key.`, bucket.urn);
      else if (!kms.key || kms.key.startsWith("alias/aws/")) report(`${describe(bucket)}: SSE-KMS uses ${kms.key ?? "the AWS managed key"}, not a customer managed key; set kmsMasterKeyId to the region's customer key ARN.`, bucket.urn);
    }
    for (const bucket of logs) {
      const rules = encryptionDefaults(stack, bucket);
      if (!rules.length || rules.some((r) => r.algorithm !== "AES256"))
        report(`${describe(bucket)}: an ALB access-log bucket must use SSE-S3 (sseAlgorithm "AES256"), found ${rules.map((r) => r.algorithm).join(", ") || "no default encryption"}; ALB log delivery fails on SSE-KMS buckets.`, bucket.urn);
    }
  },
};

// RTC needs metrics: https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html ;
// delete markers replicate only when asked: https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html ;
// KMS objects only when opted in, with a destination key: https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
const replication: DrPolicy = {
  name: "s3-replication-rtc",
  description: "Every S3 replication rule uses Replication Time Control with metrics, replicates delete markers, and replicates SSE-KMS objects under a destination-region key.",
  pillar: "Reliability",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.bucketReplication],
  validate: (config, _ctx, report) => {
    const rules = list(config.inputs.rules);
    if (!rules.length) report(`${describe(config)}: has no replication rules; add one rule per destination bucket.`);
    for (const rule of rules.filter((r) => r.status !== "Disabled")) {
      const id = str(rule.id) ?? "(no id)";
      const dest = obj(rule.destination);
      const missing: string[] = [];
      if (obj(dest.replicationTime).status !== "Enabled") missing.push(`destination.replicationTime.status "Enabled" (RTC, 15 minutes)`);
      if (obj(dest.metrics).status !== "Enabled") missing.push(`destination.metrics.status "Enabled" (RTC requires metrics)`);
      if (obj(rule.deleteMarkerReplication).status !== "Enabled") missing.push(`deleteMarkerReplication.status "Enabled"`);
      if (obj(obj(rule.sourceSelectionCriteria).sseKmsEncryptedObjects).status !== "Enabled") missing.push(`sourceSelectionCriteria.sseKmsEncryptedObjects.status "Enabled"`);
      if (!isSet(obj(dest.encryptionConfiguration).replicaKmsKeyId)) missing.push("destination.encryptionConfiguration.replicaKmsKeyId (the destination region's key)");
      if (missing.length) report(`${describe(config)} rule ${id}: set ${missing.join("; ")}.`);
    }
  },
};

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html
const lifecycle: DrPolicy = {
  name: "s3-lifecycle",
  description: "Every S3 bucket has a lifecycle configuration, so logs, old versions and failed uploads expire instead of accruing cost.",
  pillar: "Cost Optimization",
  enforcement: "advisory",
  kind: "stack",
  validate: (stack, _ctx, report) => {
    for (const bucket of ofType(stack.resources, T.bucket))
      if (!list(bucket.inputs.lifecycleRules).length && !companions(stack, bucket, T.bucketLifecycle).length)
        report(`${describe(bucket)}: has no lifecycle configuration; add a BucketLifecycleConfiguration that expires noncurrent versions, logs and incomplete multipart uploads.`, bucket.urn);
  },
};

export const policies: readonly DrPolicy[] = [versioning, publicAccess, tlsOnly, bucketPolicyTls, encryption, replication, lifecycle];
