import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lockDownBucket, tlsOnlyBucketPolicy } from "./bucketLockdown";
import { requireAwsProvider } from "../providers";

/** Reports are evidence for audits: a year, then they expire. */
export const DEFAULT_REPORT_RETENTION_DAYS = 365;

export interface ReportBucketArgs {
  /** The region's customer KMS key; every report is encrypted with it. Required. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Days a report is kept. Default 365. */
  readonly retentionDays?: number;
}

/**
 * Where reports land (a region's FIS experiment reports, the Region switch plan's execution reports):
 * versioned, SSE-KMS with a customer key, no public access, ACLs off, TLS only, reports (and their old
 * versions) expiring after a retention period. In the region of the service that writes it. Evidence,
 * not application data: the policy pack does not ask it to replicate or be backed up, and no game day
 * selects it as the data bucket.
 */
export class ReportBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: ReportBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    const retentionDays = args.retentionDays ?? DEFAULT_REPORT_RETENTION_DAYS;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error(`ReportBucket ${name}: retentionDays is ${retentionDays}; use a whole number of days, 1 or more`);
    super("dr:storage:ReportBucket", name, {}, opts);
    requireAwsProvider(this, `ReportBucket ${name}`);

    const bucket = new aws.s3.Bucket(`${name}-bucket`, {}, { parent: this });
    // Versioned: a report is evidence, and an overwrite or delete must be undoable.
    const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" } }, { parent: this });
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
      bucket: bucket.bucket,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
    }, { parent: this });
    const { publicAccessBlock } = lockDownBucket(name, bucket.bucket, this);
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
      bucket: bucket.bucket,
      rules: [{ id: "expire-reports", status: "Enabled", filter: {}, expiration: { days: retentionDays }, noncurrentVersionExpiration: { noncurrentDays: retentionDays } }],
      // Noncurrent-version rules act only once versioning is on.
    }, { parent: this, dependsOn: [versioning] });
    tlsOnlyBucketPolicy(name, bucket, this, publicAccessBlock);

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
