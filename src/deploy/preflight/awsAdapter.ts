/**
 * The preflight port over AWS SDK v3: one client per service and region, created on first use with
 * the region set explicitly (never the ambient AWS_REGION), so a destroy that spans three regions
 * talks to each region's endpoint. The SDK's own retries are off (maxAttempts 1) and this adapter
 * retries throttling itself, so the retry rule is one piece of code the tests can see.
 */
import { ElasticLoadBalancingV2Client, DescribeLoadBalancerAttributesCommand, DescribeLoadBalancersCommand, ModifyLoadBalancerAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { DescribeDBClustersCommand, DescribeDBClusterSnapshotsCommand, DescribeDBInstancesCommand, DescribeGlobalClustersCommand, ModifyDBClusterCommand, ModifyGlobalClusterCommand, RDSClient } from "@aws-sdk/client-rds";
import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import { DescribeSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AwsAccessDeniedError, AwsCallError, BucketFacts, ClusterFacts, DbInstanceFacts, GlobalClusterFacts, LoadBalancerFacts, PreflightAws, SecretFacts, SnapshotFacts } from "./awsPort";

/** IAM is a global service whose endpoint lives in us-east-1 (aws partition). */
export const IAM_REGION = "us-east-1";
/** Attempts per call, the first included, before a throttled call is reported. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** First back-off; doubled on each further attempt (0.25 s, 0.5 s, 1 s, 2 s). */
export const DEFAULT_BASE_DELAY_MS = 250;
/** S3 DeleteObjects takes at most 1,000 keys per request. */
export const S3_DELETE_BATCH = 1000;

// Error names as the SDK v3 clients raise them (the exception class names), plus the wire codes of
// the query-protocol services, which some errors still carry in `Code`.
const NOT_FOUND = new Set([
  "NoSuchEntityException", "NoSuchEntity", // IAM GetRole: the role does not exist
  "DBClusterNotFoundFault", "GlobalClusterNotFoundFault", "DBClusterSnapshotNotFoundFault",
  "NoSuchBucket", "NotFound", "ResourceNotFoundException", "LoadBalancerNotFoundException", "LoadBalancerNotFound",
]);
const ACCESS_DENIED = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError", "AuthorizationErrorException"]);
const THROTTLED = new Set([
  "Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded",
  "RequestThrottled", "RequestThrottledException", "SlowDown", "BandwidthLimitExceeded", "PriorRequestNotComplete",
]);

export type ErrorClass = "not-found" | "access-denied" | "throttled" | "other";

/** The error's AWS code: the SDK's exception name, or the `Code` some protocols add. */
export function awsErrorCode(err: unknown): string {
  const e = err as { name?: unknown; Code?: unknown } | null;
  if (e && typeof e.Code === "string" && e.Code) return e.Code;
  return e && typeof e.name === "string" ? e.name : "UnknownError";
}

export function classifyAwsError(err: unknown): ErrorClass {
  const code = awsErrorCode(err);
  if (NOT_FOUND.has(code)) return "not-found";
  if (ACCESS_DENIED.has(code)) return "access-denied";
  const status = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  if (THROTTLED.has(code) || status === 429) return "throttled";
  return "other";
}

export interface SdkPreflightAwsOptions {
  /** Attempts per call for throttled requests. Default 5. */
  readonly maxAttempts?: number;
  /** First back-off in ms, doubled per attempt. Default 250. */
  readonly baseDelayMs?: number;
  /** Waits between attempts; tests pass one that does not wait. Default: setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
}

interface Clients {
  elb: ElasticLoadBalancingV2Client;
  rds: RDSClient;
  s3: S3Client;
  secrets: SecretsManagerClient;
}

export class SdkPreflightAws implements PreflightAws {
  private readonly clients = new Map<string, Partial<Clients>>();
  private iam?: IAMClient;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: SdkPreflightAwsOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The regions a client was created for, per service ("rds:us-west-2"); tests read it. */
  createdClients(): string[] {
    return [...this.clients].flatMap(([region, c]) => Object.keys(c).map((service) => `${service}:${region}`)).sort();
  }

  private client<K extends keyof Clients>(service: K, region: string): Clients[K] {
    const perRegion = this.clients.get(region) ?? {};
    this.clients.set(region, perRegion);
    const config = { region, maxAttempts: 1 };
    const make: { [S in keyof Clients]: () => Clients[S] } = {
      elb: () => new ElasticLoadBalancingV2Client(config),
      rds: () => new RDSClient(config),
      s3: () => new S3Client(config),
      secrets: () => new SecretsManagerClient(config),
    };
    const existing = perRegion[service];
    if (existing) return existing;
    const created = make[service]();
    perRegion[service] = created;
    return created;
  }

  /** Runs one AWS call: retries throttling with back-off, maps not-found to undefined and denial to a clear error. */
  private async call<T>(action: string, region: string, resource: string, run: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (err) {
        const kind = classifyAwsError(err);
        if (kind === "not-found") return undefined;
        const message = err instanceof Error ? err.message : String(err);
        if (kind === "access-denied") throw new AwsAccessDeniedError(action, region, resource, message);
        if (kind !== "throttled" || attempt >= this.maxAttempts) throw new AwsCallError(action, region, resource, awsErrorCode(err), message, attempt);
        await this.sleep(this.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  async roleExists(roleName: string): Promise<boolean> {
    this.iam ??= new IAMClient({ region: IAM_REGION, maxAttempts: 1 });
    const iam = this.iam;
    const role = await this.call("iam:GetRole", "global (IAM)", `role ${roleName}`, () => iam.send(new GetRoleCommand({ RoleName: roleName })));
    return role?.Role !== undefined;
  }

  async loadBalancers(region: string, query: { readonly vpcId?: string; readonly names: readonly string[] }): Promise<LoadBalancerFacts[]> {
    const elb = this.client("elb", region);
    const found: Array<{ name: string; arn: string }> = [];
    let marker: string | undefined;
    do {
      const page = await this.call("elasticloadbalancing:DescribeLoadBalancers", region, "load balancers", () => elb.send(new DescribeLoadBalancersCommand({ Marker: marker })));
      for (const lb of page?.LoadBalancers ?? []) {
        if (!lb.LoadBalancerArn || !lb.LoadBalancerName) continue;
        if ((query.vpcId !== undefined && lb.VpcId === query.vpcId) || query.names.includes(lb.LoadBalancerName)) found.push({ name: lb.LoadBalancerName, arn: lb.LoadBalancerArn });
      }
      marker = page?.NextMarker;
    } while (marker);
    const facts: LoadBalancerFacts[] = [];
    for (const lb of found) {
      const attrs = await this.call("elasticloadbalancing:DescribeLoadBalancerAttributes", region, `load balancer ${lb.name}`,
        () => elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb.arn })));
      if (!attrs) continue;
      const value = (key: string) => attrs.Attributes?.find((a) => a.Key === key)?.Value;
      const logs = value("access_logs.s3.enabled") === "true" ? value("access_logs.s3.bucket") : undefined;
      facts.push({ ...lb, deletionProtection: value("deletion_protection.enabled") === "true", ...(logs ? { accessLogBucket: logs } : {}) });
    }
    return facts;
  }

  async dbCluster(region: string, identifier: string): Promise<ClusterFacts | undefined> {
    const rds = this.client("rds", region);
    const out = await this.call("rds:DescribeDBClusters", region, `DB cluster ${identifier}`, () => rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier })));
    const c = out?.DBClusters?.[0];
    return c ? { identifier: c.DBClusterIdentifier ?? identifier, deletionProtection: c.DeletionProtection === true } : undefined;
  }

  async clustersInSubnetGroup(region: string, subnetGroupName: string): Promise<ClusterFacts[]> {
    const rds = this.client("rds", region);
    const found: ClusterFacts[] = [];
    let marker: string | undefined;
    // DescribeDBClusters has no subnet-group filter (its filters: clone-group-id, db-cluster-id,
    // db-cluster-resource-id, domain, engine): every cluster's DBSubnetGroup is compared here.
    // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBClusters.html
    do {
      const page = await this.call("rds:DescribeDBClusters", region, `DB clusters in subnet group ${subnetGroupName}`,
        () => rds.send(new DescribeDBClustersCommand({ Marker: marker })));
      for (const c of page?.DBClusters ?? []) {
        if (c.DBSubnetGroup === subnetGroupName && c.DBClusterIdentifier) found.push({ identifier: c.DBClusterIdentifier, deletionProtection: c.DeletionProtection === true });
      }
      marker = page?.Marker;
    } while (marker);
    return found;
  }

  async globalCluster(region: string, identifier: string): Promise<GlobalClusterFacts | undefined> {
    const rds = this.client("rds", region);
    const out = await this.call("rds:DescribeGlobalClusters", region, `global cluster ${identifier}`, () => rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: identifier })));
    const c = out?.GlobalClusters?.[0];
    if (!c) return undefined;
    // GlobalClusterMembers[].IsWriter marks the member with read-write capability:
    // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_GlobalClusterMember.html
    const members = (c.GlobalClusterMembers ?? [])
      .filter((m): m is typeof m & { DBClusterArn: string } => typeof m.DBClusterArn === "string")
      .map((m) => ({ clusterArn: m.DBClusterArn, isWriter: m.IsWriter === true }));
    return { identifier: c.GlobalClusterIdentifier ?? identifier, deletionProtection: c.DeletionProtection === true, members };
  }

  async clusterInstances(region: string, clusterIdentifier: string): Promise<DbInstanceFacts[]> {
    const rds = this.client("rds", region);
    const found: DbInstanceFacts[] = [];
    let marker: string | undefined;
    // The db-cluster-id filter lists the DB instances of that cluster only:
    // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstances.html
    do {
      const page = await this.call("rds:DescribeDBInstances", region, `DB instances of cluster ${clusterIdentifier}`,
        () => rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: "db-cluster-id", Values: [clusterIdentifier] }], Marker: marker })));
      for (const i of page?.DBInstances ?? []) {
        if (i.DBInstanceIdentifier) found.push({ identifier: i.DBInstanceIdentifier, status: i.DBInstanceStatus ?? "unknown" });
      }
      marker = page?.Marker;
    } while (marker);
    return found;
  }

  async clusterSnapshot(region: string, identifier: string): Promise<SnapshotFacts | undefined> {
    const rds = this.client("rds", region);
    const out = await this.call("rds:DescribeDBClusterSnapshots", region, `DB cluster snapshot ${identifier}`,
      () => rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: identifier })));
    const s = out?.DBClusterSnapshots?.[0];
    return s ? { identifier: s.DBClusterSnapshotIdentifier ?? identifier, ...(s.SnapshotCreateTime ? { createdAt: s.SnapshotCreateTime } : {}) } : undefined;
  }

  async bucketContents(region: string, bucket: string): Promise<BucketFacts | undefined> {
    const s3 = this.client("s3", region);
    const page = await this.call("s3:ListBucketVersions", region, `bucket ${bucket}`, () => s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: S3_DELETE_BATCH })));
    if (!page) return undefined;
    return { name: bucket, versions: page.Versions?.length ?? 0, deleteMarkers: page.DeleteMarkers?.length ?? 0, truncated: page.IsTruncated === true };
  }

  async secret(region: string, secretId: string): Promise<SecretFacts | undefined> {
    const sm = this.client("secrets", region);
    const out = await this.call("secretsmanager:DescribeSecret", region, `secret ${secretId}`, () => sm.send(new DescribeSecretCommand({ SecretId: secretId })));
    if (!out) return undefined;
    return { name: out.Name ?? secretId, arn: out.ARN ?? secretId, ...(out.DeletedDate ? { deletedDate: out.DeletedDate } : {}) };
  }

  async liftLoadBalancerDeletionProtection(region: string, arn: string): Promise<void> {
    const elb = this.client("elb", region);
    await this.call("elasticloadbalancing:ModifyLoadBalancerAttributes", region, `load balancer ${arn}`,
      () => elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: [{ Key: "deletion_protection.enabled", Value: "false" }] })));
  }

  async liftClusterDeletionProtection(region: string, identifier: string): Promise<void> {
    const rds = this.client("rds", region);
    await this.call("rds:ModifyDBCluster", region, `DB cluster ${identifier}`,
      () => rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: identifier, DeletionProtection: false, ApplyImmediately: true })));
  }

  async liftGlobalClusterDeletionProtection(region: string, identifier: string): Promise<void> {
    const rds = this.client("rds", region);
    await this.call("rds:ModifyGlobalCluster", region, `global cluster ${identifier}`,
      () => rds.send(new ModifyGlobalClusterCommand({ GlobalClusterIdentifier: identifier, DeletionProtection: false })));
  }

  async emptyBucket(region: string, bucket: string): Promise<number> {
    const s3 = this.client("s3", region);
    let deleted = 0;
    // Always list from the start: each pass deletes what it listed, so the next first page is the rest.
    for (;;) {
      const page = await this.call("s3:ListBucketVersions", region, `bucket ${bucket}`, () => s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: S3_DELETE_BATCH })));
      const objects = [...(page?.Versions ?? []), ...(page?.DeleteMarkers ?? [])]
        .filter((o): o is { Key: string; VersionId?: string } => typeof o.Key === "string")
        .map((o) => ({ Key: o.Key, VersionId: o.VersionId }));
      if (objects.length === 0) return deleted;
      const out = await this.call("s3:DeleteObjectVersion", region, `bucket ${bucket}`,
        () => s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } })));
      const errors = out?.Errors ?? [];
      if (errors.length) {
        const first = errors[0];
        throw new AwsCallError("s3:DeleteObjectVersion", region, `bucket ${bucket}`, first.Code ?? "DeleteFailed", `${errors.length} of ${objects.length} versions not deleted, first ${first.Key} (${first.Message ?? "no message"})`, 1);
      }
      deleted += objects.length;
    }
  }
}
