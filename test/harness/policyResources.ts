/**
 * Resource views for policy unit tests, with the inputs the components really register (copied
 * from plan/plan.json of the example stacks), so a policy test fails the way a real stack would.
 */
import type { DrPolicy, ResourceView, StackView } from "../../policy/model";
import { allPolicies } from "../../policy/registry";
import { runPolicies, StackUnderPolicy, Violation } from "../../policy/run";

export const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/mrk-72c49d431f989adbf3a48e9f49b6e680";
export const REPLICA_KEY_ARN = "arn:aws:kms:us-west-2:123456789012:key/mrk-72c49d431f989adbf3a48e9f49b6e680";
export const PLATFORM_TAGS = { app: "orders", environment: "prod", "dr:role": "primary", "dr:strategy": "warm-standby", "dr:stack": "primary", "managed-by": "pulumi" };
/** The aws provider's inputs as the engine records them: nested values as JSON text. */
export const providerInputs = (region = "us-east-1", tags: Record<string, string> = PLATFORM_TAGS) => ({ region, defaultTags: JSON.stringify({ tags }) });

export interface ResourceOptions {
  readonly stack?: string;
  /** Type of the component the resource sits in (its URN's type chain). */
  readonly component?: string;
  readonly region?: string;
  readonly outputs?: Record<string, unknown>;
  readonly deps?: Record<string, string[]>;
  readonly provider?: Record<string, unknown>;
  readonly custom?: boolean;
}

export function res(type: string, name: string, inputs: Record<string, unknown>, o: ResourceOptions = {}): ResourceView {
  const chain = o.component ? `pulumi:pulumi:Stack$${o.component}$${type}` : `pulumi:pulumi:Stack$${type}`;
  return {
    type, name, urn: `urn:pulumi:${o.stack ?? "primary"}::dr-platform::${chain}::${name}`, inputs, outputs: o.outputs ?? {},
    region: o.region ?? "us-east-1", providerInputs: o.provider ?? providerInputs(o.region), propertyDependencies: o.deps ?? {}, custom: o.custom ?? true,
  };
}

export function policyNamed(name: string): DrPolicy {
  const found = allPolicies().find((p) => p.name === name);
  if (!found) throw new Error(`no policy named ${name}`);
  return found;
}

export const stackOf = (resources: ResourceView[], over: Partial<StackView> = {}): StackView => ({ stack: "primary", role: "primary", region: "us-east-1", resources, ...over });

/** The violations one policy reports on one stack seen alone, as CrossGuard sees it (or on several, each the others' peer, as plan sees them). */
export function violations(policy: string, stacks: StackView | StackUnderPolicy[], allowedRegions?: string[]): readonly Violation[] {
  const under = Array.isArray(stacks) ? stacks : [{ view: stacks, allowedRegions }];
  return runPolicies(under, [policyNamed(policy)], Array.isArray(stacks))[0].violations;
}
export const messages = (policy: string, stacks: StackView | StackUnderPolicy[], allowedRegions?: string[]) => violations(policy, stacks, allowedRegions).map((v) => v.message);

const DATA = "dr:storage:DataBucket";
const LOGS = "dr:storage:AccessLogBucket";

/** A data bucket with everything the DataBucket component registers beside it, referring to it by property dependency. */
export function dataBucketSet(stack = "primary", region = "us-east-1", keyArn = KEY_ARN): Record<string, ResourceView> {
  const name = stack === "primary" ? "orders-data-bucket-83c42e0" : "orders-data-bucket-b40c345";
  const bucket = res("aws:s3/bucket:Bucket", "orders-data-bucket", { forceDestroy: false }, { stack, component: DATA, region, outputs: { bucket: name, arn: `arn:aws:s3:::${name}` } });
  const o = { stack, component: DATA, region, deps: { bucket: [bucket.urn] } };
  return {
    bucket,
    versioning: res("aws:s3/bucketVersioning:BucketVersioning", "orders-data-versioning", { bucket: name, versioningConfiguration: { status: "Enabled" } }, o),
    encryption: res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "orders-data-encryption",
      { bucket: name, rules: [{ applyServerSideEncryptionByDefault: { kmsMasterKeyId: keyArn, sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] }, o),
    publicAccess: res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "orders-data-public-access",
      { blockPublicAcls: true, blockPublicPolicy: true, bucket: name, ignorePublicAcls: true, restrictPublicBuckets: true }, o),
    policy: res("aws:s3/bucketPolicy:BucketPolicy", "orders-data-policy", { bucket: name, policy: tlsOnlyPolicy(name) }, o),
    lifecycle: res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "orders-data-lifecycle",
      { bucket: name, rules: [{ id: "expire-noncurrent", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 30 } }] }, o),
  };
}

export function accessLogBucketSet(): Record<string, ResourceView> {
  const name = "orders-alb-logs-bucket-c82588c";
  const bucket = res("aws:s3/bucket:Bucket", "orders-alb-logs-bucket", { forceDestroy: false }, { component: LOGS, outputs: { bucket: name, arn: `arn:aws:s3:::${name}` } });
  const o = { component: LOGS, deps: { bucket: [bucket.urn] } };
  return {
    bucket,
    encryption: res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "orders-alb-logs-encryption",
      { bucket: name, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, o),
    publicAccess: res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "orders-alb-logs-public-access",
      { blockPublicAcls: true, blockPublicPolicy: true, bucket: name, ignorePublicAcls: true, restrictPublicBuckets: true }, o),
    policy: res("aws:s3/bucketPolicy:BucketPolicy", "orders-alb-logs-policy", { bucket: name, policy: tlsOnlyPolicy(name) }, o),
    lifecycle: res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "orders-alb-logs-lifecycle",
      { bucket: name, rules: [{ expiration: { days: 90 }, id: "expire-access-logs", status: "Enabled" }] }, o),
  };
}

export function tlsOnlyPolicy(bucket: string): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }] });
}

/** The replication rule BucketReplication registers (secondary -> primary direction). */
export const replicationRule = (destinationArn = "arn:aws:s3:::orders-data-bucket-83c42e0", replicaKey = KEY_ARN) => ({
  deleteMarkerReplication: { status: "Enabled" },
  destination: { bucket: destinationArn, encryptionConfiguration: { replicaKmsKeyId: replicaKey }, metrics: { eventThreshold: { minutes: 15 }, status: "Enabled" }, replicationTime: { status: "Enabled", time: { minutes: 15 } }, storageClass: "STANDARD" },
  filter: {}, id: "dr-replication-to-us-east-1", priority: 1,
  sourceSelectionCriteria: { replicaModifications: { status: "Enabled" }, sseKmsEncryptedObjects: { status: "Enabled" } }, status: "Enabled",
});

/** The web tier's launch template as ServiceTier registers it. */
export const launchTemplateInputs = () => ({
  blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { deleteOnTermination: "true", encrypted: "true", kmsKeyId: KEY_ARN, volumeType: "gp3" } }],
  imageId: "ami-0123456789abcdef0", instanceType: "t3.medium",
  metadataOptions: { httpEndpoint: "enabled", httpPutResponseHopLimit: 1, httpTokens: "required", instanceMetadataTags: "disabled" },
  networkInterfaces: [{ associatePublicIpAddress: "false", deleteOnTermination: "true", deviceIndex: 0, securityGroups: ["sg-9d2dfdea612868000"] }],
  tags: { Name: "orders-web", "dr:tier": "web" },
});

/** The web ALB as ServiceTier registers it. */
export const webAlbInputs = () => ({
  accessLogs: { bucket: "orders-alb-logs-bucket-c82588c", enabled: true, prefix: "web" }, dropInvalidHeaderFields: true, enableDeletionProtection: true,
  idleTimeout: 60, internal: false, ipAddressType: "ipv4", loadBalancerType: "application", securityGroups: ["sg-1c2027c983ab7b286"],
  subnets: ["subnet-190e860905e10e770", "subnet-71e296eac4faa8621", "subnet-c4bffc4db7646d499"], tags: { Name: "orders-web", "dr:tier": "web" },
});

/** The primary's Aurora member cluster as DataTier registers it. */
export const primaryClusterInputs = () => ({
  backupRetentionPeriod: 14, clusterIdentifier: "orders-prod-us-east-1", databaseName: "app", deletionProtection: true, engine: "aurora-postgresql",
  engineVersion: "16.6", globalClusterIdentifier: "orders-prod", kmsKeyId: KEY_ARN, masterPassword: "[secret]", masterUsername: "dbadmin",
  storageEncrypted: true, tags: { Name: "orders-prod-us-east-1", "dr:role": "primary" },
});
