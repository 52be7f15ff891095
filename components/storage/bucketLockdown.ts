import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface BucketLockdown {
  readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  readonly ownership: aws.s3.BucketOwnershipControls;
}

/**
 * What every bucket of the platform gets: all four public-access blocks, and ACLs off
 * (BucketOwnerEnforced) so every object, replicas and ELB logs included, belongs to this account and
 * is governed by policy alone. Children are named `${name}-public-access` and `${name}-ownership`.
 */
export function lockDownBucket(name: string, bucket: pulumi.Input<string>, parent: pulumi.Resource): BucketLockdown {
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
    bucket,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  }, { parent });
  const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, {
    bucket,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  }, { parent, dependsOn: [publicAccessBlock] });
  return { publicAccessBlock, ownership };
}

/**
 * The statement every bucket policy of the platform holds: no request without TLS. Put it in a
 * document (not JSON text made in an apply), so only the ARNs wait for the bucket and the statement
 * is known at the first preview, where the policy pack checks it.
 */
export function denyInsecureTransport(bucketArn: pulumi.Output<string>): aws.iam.PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** A bucket policy of the TLS-only statement alone, named `${name}-policy`, made after the public-access block. */
export function tlsOnlyBucketPolicy(name: string, bucket: aws.s3.Bucket, parent: pulumi.Resource, publicAccessBlock: aws.s3.BucketPublicAccessBlock): aws.s3.BucketPolicy {
  return new aws.s3.BucketPolicy(`${name}-policy`, {
    bucket: bucket.bucket,
    policy: { Version: "2012-10-17", Statement: [denyInsecureTransport(bucket.arn)] },
    // S3 refuses concurrent changes to a bucket's access settings (OperationAborted).
  }, { parent, dependsOn: [publicAccessBlock] });
}
