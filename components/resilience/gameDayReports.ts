import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, lockDownBucket } from "../storage/bucketLockdown";
import { requireAwsProvider } from "../providers";

/** Reports are evidence for audits: a year, then they expire. */
export const DEFAULT_REPORT_RETENTION_DAYS = 365;

export interface GameDayReportsArgs {
  /** The region's customer KMS key; every report is encrypted with it. Required. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Days a report is kept. Default 365. */
  readonly retentionDays?: number;
}

/**
 * Where a region's FIS experiment reports land: versioned, SSE-KMS with the region's key, no public
 * access, ACLs off, TLS only, reports (and their old versions) expiring after a retention period.
 * One per region, in the region of the experiments that write it. Evidence, not application data:
 * the policy pack does not ask it to replicate or be backed up.
 */
export class GameDayReports extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: GameDayReportsArgs, opts?: pulumi.ComponentResourceOptions) {
    const retentionDays = args.retentionDays ?? DEFAULT_REPORT_RETENTION_DAYS;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error(`GameDayReports ${name}: retentionDays is ${retentionDays}; use a whole number of days, 1 or more`);
    super("dr:resilience:GameDayReports", name, {}, opts);
    requireAwsProvider(this, `GameDayReports ${name}`);

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
    new aws.s3.BucketPolicy(`${name}-policy`, {
      bucket: bucket.bucket,
      policy: { Version: "2012-10-17", Statement: [denyInsecureTransport(bucket.arn)] },
      // S3 refuses concurrent changes to a bucket's access settings (OperationAborted).
    }, { parent: this, dependsOn: [publicAccessBlock] });

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
