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
