/**
 * Reading resources the way every policy needs: typed access to loose inputs, the tags a resource
 * really gets (its own plus its provider's default tags), which component it sits in, and whether
 * one resource refers to another (by property dependency, or by id/ARN value when the reference
 * crosses stacks). Pure: no Pulumi imports.
 */
import type { ResourceView } from "./model";

/** Type tokens the policies read. */
export const T = {
  bucket: "aws:s3/bucket:Bucket",
  bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
  bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  cluster: "aws:rds/cluster:Cluster",
  clusterInstance: "aws:rds/clusterInstance:ClusterInstance",
  globalCluster: "aws:rds/globalCluster:GlobalCluster",
  dbSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
  kmsKey: "aws:kms/key:Key",
  kmsReplicaKey: "aws:kms/replicaKey:ReplicaKey",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  autoScalingGroup: "aws:autoscaling/group:Group",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  vpcIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  record: "aws:route53/record:Record",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  secret: "aws:secretsmanager/secret:Secret",
  amiCopy: "aws:ec2/amiCopy:AmiCopy",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  awsxVpc: "awsx:ec2:Vpc",
  awsProvider: "pulumi:providers:aws",
} as const;

/** Components of this platform whose buckets hold ALB access logs (SSE-S3, not versioned). */
export const ACCESS_LOG_BUCKET_COMPONENT = "dr:storage:AccessLogBucket";
/** Game-day experiment reports: per-region evidence, not application data (nothing to replicate or back up). */
export const REPORT_BUCKET_COMPONENT = "dr:storage:ReportBucket";

export type Obj = Readonly<Record<string, unknown>>;

/**
 * A value not known until the engine creates a resource: ids, ARNs and other outputs during a
 * first preview. The CrossGuard adapter turns the engine's unknown sentinels into it (so no policy
 * trips @pulumi/policy's unknown-checking proxy, which downgrades the whole policy to advisory
 * "can't run ... during preview"), and the mock engine records unknown inputs the same way.
 */
export const UNKNOWN = "[unknown]";
export const isUnknown = (v: unknown): boolean => v === UNKNOWN;
/** A known, non-empty string; an unknown value is not one. */
export const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" && v !== UNKNOWN ? v : undefined);
/**
 * Whether an input is given at all: a known string, or a value computed from another resource
 * (unknown at preview). Literal settings such as an AWS managed key alias are always known, so an
 * unknown value is one the program computes from a resource it creates.
 */
export const isSet = (v: unknown): boolean => str(v) !== undefined || isUnknown(v);
export const obj = (v: unknown): Obj => {
  const parsed = typeof v === "string" && v.startsWith("{") ? tryJson(v) : v;
  return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Obj) : {};
};
export const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => !!x && typeof x === "object" && !Array.isArray(x)) : []);
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
/** Providers and some nested blocks carry booleans as strings ("true"). */
export const isTrue = (v: unknown): boolean => v === true || v === "true";
export const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : undefined);

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The region field of an ARN ("arn:aws:kms:us-west-2:..."), if it has one (S3 bucket ARNs do not). */
export const arnRegion = (arn: unknown): string | undefined => str(str(arn)?.split(":")[3]);

/**
 * The regions an ARN input points into: the ARN's own region when it is known; when it is unknown
 * (a first preview, the ARN of a resource of this stack), the regions of the resources of `types`
 * the input depends on. An input listing several unknown ARNs gets every such dependency's region.
 */
export function arnRegions(value: unknown, r: ResourceView, input: string, everything: readonly ResourceView[], types: readonly string[]): string[] {
  const known = arnRegion(value);
  if (known) return [known];
  if (!isUnknown(value)) return [];
  return dependencies(r, input, everything, types).map((d) => d.region).filter((x): x is string => !!x);
}

/** Types of the components a resource sits in, outermost first, read from its URN's type chain. */
export function ancestorTypes(urn: string): string[] {
  const typeChain = urn.split("::")[2] ?? "";
  return typeChain.split("$").slice(0, -1);
}

export const isUnder = (r: ResourceView, componentType: string): boolean => ancestorTypes(r.urn).includes(componentType);
export const isAccessLogBucketPart = (r: ResourceView): boolean => isUnder(r, ACCESS_LOG_BUCKET_COMPONENT);
/** Buckets that hold application data: every bucket but ALB access logs and game-day reports. */
export const isApplicationDataBucket = (r: ResourceView): boolean => !isAccessLogBucketPart(r) && !isUnder(r, REPORT_BUCKET_COMPONENT);

/** Provider default tags (the aws provider passes defaultTags as JSON text). */
export function providerDefaultTags(providerInputs: Obj | undefined): Record<string, string> {
  return stringMap(obj(obj(providerInputs?.defaultTags).tags));
}

function stringMap(o: Obj): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/**
 * The tags AWS ends up with: the provider's default tags overlaid by the resource's own. Auto
 * Scaling groups take their tags as a list and get no provider default tags
 * (https://www.hashicorp.com/blog/default-tags-in-the-terraform-aws-provider: "all resources except Auto Scaling Groups").
 */
export function effectiveTags(r: ResourceView): Record<string, string> {
  if (r.type === T.autoScalingGroup)
    return Object.fromEntries(list(r.inputs.tags).flatMap((t) => (str(t.key) && typeof t.value === "string" ? [[t.key as string, t.value]] : [])));
  return { ...providerDefaultTags(r.providerInputs), ...stringMap(obj(r.inputs.tags)) };
}

/** The DR role a resource was tagged with (primary, secondary, links), if any. */
export const roleTag = (r: ResourceView): string | undefined => effectiveTags(r)["dr:role"] ?? providerDefaultTags(r.providerInputs)["dr:role"];

/** A stack's role, read from the default tags of its aws providers (every provider of a stack carries the same). */
export function stackRoleFromProviders(resources: readonly ResourceView[]): string | undefined {
  for (const r of resources) if (r.type === T.awsProvider) {
    const role = providerDefaultTags(r.inputs)["dr:role"];
    if (role) return role;
  }
  return undefined;
}

/** Every known string inside a value (lists and objects walked). */
function stringsIn(v: unknown): string[] {
  if (typeof v === "string") return isUnknown(v) ? [] : [v];
  if (Array.isArray(v)) return v.flatMap(stringsIn);
  if (v && typeof v === "object") return Object.values(v).flatMap(stringsIn);
  return [];
}

/**
 * What a resource may be referred to by: its URN, and its id, ARN and name outputs when known.
 * Within one stack the URN suffices (property dependencies name it, at preview too); the outputs
 * serve references across stacks, which carry values, not dependencies.
 */
export function identities(r: ResourceView): Set<string> {
  const ids = new Set<string>([r.urn]);
  for (const key of ["id", "arn", "bucket", "name", "keyId", "clusterIdentifier", "globalClusterIdentifier"]) {
    const v = str(r.outputs[key]);
    if (v) ids.add(v);
  }
  return ids;
}

/** What an input refers to: the URNs it depends on and the strings it holds. */
export function referenceKeys(r: ResourceView, input: string): Set<string> {
  return new Set([...(r.propertyDependencies[input] ?? []), ...stringsIn(r.inputs[input])]);
}

/** The resources of a type (or any type) that `r`'s input depends on, by property dependency. */
export function dependencies(r: ResourceView, input: string, everything: readonly ResourceView[], types?: readonly string[]): ResourceView[] {
  const urns = new Set(r.propertyDependencies[input] ?? []);
  return everything.filter((x) => urns.has(x.urn) && (!types || types.includes(x.type)));
}

/** Whether `r`'s input refers to `target` (by property dependency or by one of its identities). */
export function refersTo(r: ResourceView, input: string, target: ResourceView): boolean {
  const keys = referenceKeys(r, input);
  for (const id of identities(target)) if (keys.has(id)) return true;
  return false;
}

/** Whether two inputs share a reference (same resource by URN or same id value): how a rule and a load balancer name one security group. */
export function shareReference(a: ResourceView, aInput: string, b: ResourceView, bInput: string): boolean {
  const keys = referenceKeys(a, aInput);
  for (const k of referenceKeys(b, bInput)) if (keys.has(k)) return true;
  return false;
}

export const ofType = (resources: readonly ResourceView[], type: string): ResourceView[] => resources.filter((r) => r.type === type);

/** Names a resource in a message: logical name and type. */
export const describe = (r: ResourceView): string => `${r.type.split(":").pop()} ${r.name}`;
