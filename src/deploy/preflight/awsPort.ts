/**
 * The narrow port between the preflights and AWS: the few describe calls they read and the few
 * changes `dr destroy` makes behind explicit flags. Every call names its region; the SDK adapter
 * (awsAdapter.ts) implements it, and tests pass a fake. Nothing here imports the AWS SDK.
 */

/** An Application Load Balancer and what would stop its deletion. */
export interface LoadBalancerFacts {
  readonly name: string;
  readonly arn: string;
  /** The `deletion_protection.enabled` attribute. */
  readonly deletionProtection: boolean;
  /** The `access_logs.s3.bucket` attribute: a bucket the stack also owns and must empty. */
  readonly accessLogBucket?: string;
}

/** An Aurora cluster or global cluster: its identifier and `DeletionProtection`. */
export interface ClusterFacts {
  readonly identifier: string;
  readonly deletionProtection: boolean;
}

/** A global database member, as DescribeGlobalClusters lists it (GlobalClusterMembers). */
export interface GlobalClusterMemberFacts {
  readonly clusterArn: string;
  /** IsWriter: the member with read-write capability (the global database's primary cluster). */
  readonly isWriter: boolean;
}

/** An Aurora global database: deletion protection and its members, the writer among them. */
export interface GlobalClusterFacts extends ClusterFacts {
  readonly members?: readonly GlobalClusterMemberFacts[];
}

/** A DB instance of a cluster, as DescribeDBInstances lists it. */
export interface DbInstanceFacts {
  readonly identifier: string;
  /** DBInstanceStatus ("available", "creating", "deleting", ...). */
  readonly status: string;
}

/** What a bucket holds, counted from the first page of ListObjectVersions. */
export interface BucketFacts {
  readonly name: string;
  /** Object versions (current and noncurrent) on the first page. */
  readonly versions: number;
  /** Delete markers on the first page. */
  readonly deleteMarkers: number;
  /** More than the first page: the counts are a lower bound. */
  readonly truncated: boolean;
}

export interface SecretFacts {
  readonly name: string;
  readonly arn: string;
  /** Set when the secret is scheduled for deletion: its name is held until some time after this date. */
  readonly deletedDate?: Date;
}

export interface SnapshotFacts {
  readonly identifier: string;
  readonly createdAt?: Date;
}

/** The AWS calls the preflights make. Missing resources give undefined, never an error. */
export interface PreflightAws {
  /** IAM is global: true when the role exists (GetRole), false on NoSuchEntity. */
  roleExists(roleName: string): Promise<boolean>;
  /** Load balancers in the region that sit in `vpcId` or are named in `names`. */
  loadBalancers(region: string, query: { readonly vpcId?: string; readonly names: readonly string[] }): Promise<LoadBalancerFacts[]>;
  dbCluster(region: string, identifier: string): Promise<ClusterFacts | undefined>;
  /** Every Aurora cluster of the region whose DBSubnetGroup is `subnetGroupName` (DescribeDBClusters, every page); [] when none. */
  clustersInSubnetGroup(region: string, subnetGroupName: string): Promise<ClusterFacts[]>;
  globalCluster(region: string, identifier: string): Promise<GlobalClusterFacts | undefined>;
  /** Every DB instance of the cluster (DescribeDBInstances filtered by db-cluster-id); [] when none. */
  clusterInstances(region: string, clusterIdentifier: string): Promise<DbInstanceFacts[]>;
  bucketContents(region: string, bucket: string): Promise<BucketFacts | undefined>;
  secret(region: string, secretId: string): Promise<SecretFacts | undefined>;
  clusterSnapshot(region: string, identifier: string): Promise<SnapshotFacts | undefined>;

  liftLoadBalancerDeletionProtection(region: string, arn: string): Promise<void>;
  liftClusterDeletionProtection(region: string, identifier: string): Promise<void>;
  liftGlobalClusterDeletionProtection(region: string, identifier: string): Promise<void>;
  /** Deletes every object version and delete marker; returns how many were deleted. */
  emptyBucket(region: string, bucket: string): Promise<number>;
}

/** AWS refused a call for lack of permission: names the action, the resource and the fix. */
export class AwsAccessDeniedError extends Error {
  constructor(readonly action: string, readonly region: string, readonly resource: string, awsMessage: string) {
    super(`AWS denied ${action} on ${resource} in ${region} (${awsMessage}). ` +
      `Grant ${action} to the identity running dr (check AWS_PROFILE and its policies, and any SCP), then run the command again.`);
    this.name = "AwsAccessDeniedError";
  }
}

/** Any other AWS failure, after retries: names the call so the operator knows what failed where. */
export class AwsCallError extends Error {
  constructor(readonly action: string, readonly region: string, readonly resource: string, readonly code: string, awsMessage: string, readonly attempts: number) {
    super(`${action} on ${resource} in ${region} failed after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${code}: ${awsMessage}`);
    this.name = "AwsCallError";
  }
}
