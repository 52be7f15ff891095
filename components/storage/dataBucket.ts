import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DATA_BUCKET_TAG } from "../resilience/gameDayPlan";
import { lockDownBucket, tlsOnlyBucketPolicy } from "./bucketLockdown";
import { kmsKeyArnProblems, kmsKeyRegion } from "./bucketReplication";
import { requireAwsProvider } from "../providers";

/** Overwritten or deleted objects stay recoverable for a quarter, then stop costing storage. */
export const DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 90;
/** Uploads abandoned by a crashed client are billed until aborted. */
const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

export interface DataBucketArgs {
  /** ARN of the customer KMS key (in this bucket's region) that encrypts every object. Required. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Days a noncurrent object version is kept before it expires. Default 90. */
  readonly noncurrentVersionExpirationDays?: number;
  /** Let `pulumi destroy` delete a bucket that still holds objects. Default false. */
  readonly forceDestroy?: boolean;
}

/**
 * A region's application-data bucket: versioned (a replication prerequisite, and undo for
 * overwrites), SSE-KMS under the region's customer key with S3 Bucket Keys, no public access, ACLs
 * disabled, TLS-only, and noncurrent versions expired after a retention period. Pass the provider
 * of the bucket's region in `opts.provider`.
 */
export class DataBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  /** The bucket's versioning; a BucketReplication must depend on it (S3 rejects replication of an unversioned bucket). */
  readonly versioning: aws.s3.BucketVersioning;

  constructor(name: string, args: DataBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    validateDataBucketArgs(args);
    super("dr:storage:DataBucket", name, {}, opts);
    requireAwsProvider(this, `DataBucket ${name}`);
    const noncurrentDays = args.noncurrentVersionExpirationDays ?? DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS;
    const forceDestroy = args.forceDestroy ?? false;
    if (forceDestroy) {
      pulumi.log.warn("forceDestroy is on: destroying this stack deletes every object version in the bucket, and with them the copy replication made for failback", this);
    }

    // S3 uses only a key of the bucket's own region; the provider's region is known only at run time.
    const providerRegion = aws.getRegionOutput({}, { parent: this }).region;
    const kmsKeyArn = pulumi.all([providerRegion, args.kmsKeyArn]).apply(([region, arn]) => {
      const keyRegion = kmsKeyRegion(arn);
      if (keyRegion !== undefined && keyRegion !== region) {
        throw new Error(`DataBucket ${name}: kmsKeyArn "${arn}" is a key in ${keyRegion}, but the bucket is in ${region}; pass this region's key (for a multi-region key, its replica here)`);
      }
      return arn;
    });

    // The tag marks the one bucket a game day may pause replication of (components/resilience/gameDayPlan.ts).
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy, tags: { [DATA_BUCKET_TAG.key]: DATA_BUCKET_TAG.value } }, { parent: this });

    this.versioning = new aws.s3.BucketVersioning(`${name}-versioning`, {
      bucket: bucket.bucket,
      versioningConfiguration: { status: "Enabled" },
    }, { parent: this });

    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
      bucket: bucket.bucket,
      rules: [{
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn },
        // One data key per bucket instead of one KMS call per object: cuts KMS cost and throttling.
        bucketKeyEnabled: true,
      }],
    }, { parent: this });

    const { publicAccessBlock } = lockDownBucket(name, bucket.bucket, this);

    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
      bucket: bucket.bucket,
      rules: [{
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays },
        abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS },
      }],
      // Noncurrent-version rules act only once versioning is on.
    }, { parent: this, dependsOn: [this.versioning] });

    tlsOnlyBucketPolicy(name, bucket, this, publicAccessBlock);

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}

/** Checks the arguments a caller controls; throws one error naming every problem. */
export function validateDataBucketArgs(args: DataBucketArgs): void {
  const problems = kmsKeyArnProblems("kmsKeyArn", args.kmsKeyArn, undefined);
  const days = args.noncurrentVersionExpirationDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
    problems.push(`noncurrentVersionExpirationDays is ${days}; use a whole number of days, at least 1`);
  }
  if (problems.length) throw new Error(`DataBucket: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
