/**
 * The narrow cloud interface (port) the drill engine talks to. Three things implement it: the AWS
 * adapter (./aws), the simulator (./simulator), and nothing else: dry-run never calls it, it prints
 * the calls each step declares. Every method names the AWS operation(s) behind it, so the declared
 * calls, the simulator's call log and the adapter's requests can be compared in tests.
 */

/** Services as dry-run prints them; DNS and HTTPS are the public data planes (resolvers, the health endpoint). */
export type Service = "STS" | "Backup" | "RDS" | "Route53" | "Route53RecoveryCluster" | "AutoScaling" | "CloudWatch" | "SecretsManager" | "EC2" | "S3" | "DNS" | "HTTPS";

/** The pseudo-region of global services (Route 53, public DNS). */
export const GLOBAL = "global";

/** One call as dry-run prints it: `<region> <Service>.<Operation> <parameters>`. */
export interface Call {
  readonly region: string;
  readonly service: Service;
  readonly operation: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export function call(region: string, service: Service, operation: string, params: Record<string, unknown> = {}): Call {
  return { region, service, operation, params };
}

export function formatCall(c: Call): string {
  const params = Object.entries(c.params).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  return [`${c.region} ${c.service}.${c.operation}`, ...params].join(" ");
}

/**
 * Socket timeouts of calls to a region the drill assumes may be down (failover's old primary).
 * A silent region fails on connect; the calls there are tiny (a canary object), so
 * seconds are plenty when it answers, and its best-effort steps cost
 * BEST_EFFORT_ATTEMPTS x these (plus one backoff), never a minute ahead of the recovery steps.
 */
export const DOWN_REGION_TIMEOUTS_MS = { connectionTimeout: 1000, requestTimeout: 3000 } as const;

/** How the engine treats a failed call: throttling and transient errors are retried with backoff; the rest stop the step. */
export type ErrorKind = "throttling" | "transient" | "fatal";

export class CloudError extends Error {
  constructor(readonly kind: ErrorKind, readonly code: string, readonly where: string, message: string) {
    super(`${where}: ${code}: ${message}`);
    this.name = "CloudError";
  }
}

export interface GlobalClusterMember {
  readonly arn: string;
  readonly writer: boolean;
}

export interface GlobalClusterView {
  readonly status: string;
  readonly members: readonly GlobalClusterMember[];
  /** Present while a switchover or failover is pending or in progress (RDS FailoverState). */
  readonly failover?: { readonly status: string; readonly toArn: string; readonly dataLossAllowed: boolean };
}

export interface DbClusterView {
  readonly arn: string;
  readonly status: string;
  /** The writer (cluster) endpoint and port, once the cluster has them. */
  readonly endpoint?: string;
  readonly port?: number;
  readonly instances: readonly { readonly id: string; readonly status: string }[];
  /** BackupRetentionPeriod: days of automated backups (Aurora gives a new or restored cluster 1 unless told). */
  readonly backupRetentionDays?: number;
  /** TagList, as a map. */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface GroupView {
  readonly name: string;
  readonly desired: number;
  readonly min: number;
  readonly max: number;
  /** Instances InService and Healthy (the group counts target-group health with health-check type ELB). */
  readonly inService: number;
}

export interface SecretView {
  /** Set on a replica: the region of its primary secret. */
  readonly primaryRegion?: string;
  /** Set on a primary: each replica region and its status (InSync, Failed, InProgress). */
  readonly replicas: readonly { readonly region: string; readonly status: string }[];
}

/** One recovery point in a backup vault (AWS Backup RecoveryPointByBackupVault). */
export interface RecoveryPointView {
  readonly arn: string;
  /** Epoch ms of CreationDate: for a copy, when the source backup was taken, so what the restore brings back. */
  readonly createdAt: number;
  /** COMPLETED, AVAILABLE, CREATING, PARTIAL, EXPIRED... */
  readonly status: string;
  readonly resourceArn: string;
  readonly resourceType: string;
}

export interface RestoreJobView {
  readonly id: string;
  /** PENDING, RUNNING, COMPLETED, ABORTED, FAILED. */
  readonly status: string;
  readonly statusMessage?: string;
  readonly createdResourceArn?: string;
}

/** A region's switch (./regionSwitch): where its state lives and how it is flipped. */
export type SwitchState = "on" | "off" | "unknown";

export interface ClusterEndpoint {
  readonly endpoint: string;
  readonly region: string;
}

export interface AlarmSwitch {
  readonly mechanism: "cloudwatch-alarm";
  /** The region this switch takes out of DNS. */
  readonly region: string;
  /** Where the metric and its alarm live: never `region`. */
  readonly hostRegion: string;
  readonly alarmName: string;
  readonly dimensions: Readonly<Record<"App" | "Region", string>>;
}

export interface RoutingControlSwitch {
  readonly mechanism: "arc-routing-control";
  readonly region: string;
  readonly routingControlArn: string;
  /** The cluster's regional endpoints; empty when the stack outputs were not given (dry-run, simulation). */
  readonly clusterEndpoints: readonly ClusterEndpoint[];
}

export type RegionSwitch = AlarmSwitch | RoutingControlSwitch;

export interface Cloud {
  /** STS GetCallerIdentity, asked in `region`: the credentials pre-check before the first step. */
  callerIdentity(region: string): Promise<{ readonly account: string; readonly arn: string }>;
  /** RDS DescribeGlobalClusters, asked in `region`. */
  describeGlobalCluster(region: string, globalClusterId: string): Promise<GlobalClusterView>;
  /** RDS DescribeDBClusters (+ DescribeDBInstances for the members' status). */
  describeDbCluster(region: string, clusterId: string): Promise<DbClusterView>;
  /** RDS CreateDBInstance in an existing (headless) cluster. */
  createDbInstance(region: string, p: { clusterId: string; instanceId: string; instanceClass: string; engine: string; tags: Readonly<Record<string, string>> }): Promise<void>;
  /** RDS ModifyDBCluster with BackupRetentionPeriod and ApplyImmediately. */
  setDbClusterBackupRetention(region: string, clusterId: string, days: number): Promise<void>;
  /** RDS AddTagsToResource on a cluster or instance ARN. */
  tagDbResource(region: string, arn: string, tags: Readonly<Record<string, string>>): Promise<void>;
  /** RDS SwitchoverGlobalCluster: no data loss; never AllowDataLoss. */
  switchoverGlobalCluster(region: string, globalClusterId: string, targetClusterArn: string): Promise<void>;
  /** RDS FailoverGlobalCluster with AllowDataLoss: the only call that may lose data; only `failover` uses it. */
  failoverGlobalCluster(region: string, globalClusterId: string, targetClusterArn: string): Promise<void>;
  /** CloudWatch GetMetricData, AuroraGlobalDBReplicationLag of a secondary cluster, in seconds; undefined without data. */
  replicationLagSeconds(region: string, clusterId: string): Promise<number | undefined>;
  /** Auto Scaling DescribeAutoScalingGroups. */
  describeGroups(region: string, names: readonly string[]): Promise<GroupView[]>;
  /** Auto Scaling SetDesiredCapacity. */
  setDesiredCapacity(region: string, name: string, desired: number): Promise<void>;
  /** A region's switch: CloudWatch DescribeAlarms in its host region (ALARM off, OK on), or ARC GetRoutingControlState on the cluster. */
  getRegionSwitch(s: RegionSwitch): Promise<SwitchState>;
  /** Switches a region on or off: CloudWatch PutMetricData in its host region, or ARC UpdateRoutingControlState endpoint by endpoint; idempotent. */
  setRegionSwitch(s: RegionSwitch, on: boolean): Promise<void>;
  /** Route 53 GetHealthCheckStatus: healthy when most checkers report success (control plane: readiness and dns only). */
  healthCheckHealthy(healthCheckId: string): Promise<boolean>;
  /** Route 53 TestDNSAnswer: what Route 53 itself answers for the name (control plane: readiness and dns only). */
  testDnsAnswer(hostedZoneId: string, name: string): Promise<string[]>;
  /** Public resolution (node:dns): what clients get, caches included. */
  resolve(name: string): Promise<string[]>;
  /** HTTPS GET of a health endpoint; the status code. */
  httpStatus(url: string): Promise<number>;
  /** Secrets Manager DescribeSecret. */
  describeSecret(region: string, secretId: string): Promise<SecretView>;
  /** Secrets Manager GetSecretValue (AWSCURRENT); the value never leaves the engine. */
  getSecretValue(region: string, secretId: string): Promise<string>;
  /** Secrets Manager PutSecretValue. */
  putSecretValue(region: string, secretId: string, value: string): Promise<void>;
  /** Secrets Manager StopReplicationToReplica, called in the replica's region. */
  stopReplicationToReplica(region: string, secretId: string): Promise<void>;
  /** Secrets Manager ReplicateSecretToRegions with ForceOverwriteReplicaSecret. */
  replicateSecretToRegion(region: string, secretId: string, replicaRegion: string, kmsKeyId: string): Promise<void>;
  /** EC2 DescribeImages: the image's state, or undefined when it does not exist. */
  imageState(region: string, amiId: string): Promise<string | undefined>;
  /** Backup ListRecoveryPointsByBackupVault filtered by source resource ARN and type, every page. */
  listRecoveryPoints(region: string, p: { vaultName: string; resourceArn: string; resourceType: string }): Promise<RecoveryPointView[]>;
  /** Backup StartRestoreJob; the restore job id. The idempotency token makes a repeated call (resume) start nothing new. */
  startRestoreJob(region: string, p: { recoveryPointArn: string; iamRoleArn: string; resourceType: string; metadata: Readonly<Record<string, string>>; idempotencyToken: string }): Promise<string>;
  /** Backup DescribeRestoreJob. */
  describeRestoreJob(region: string, restoreJobId: string): Promise<RestoreJobView>;
  /** S3 PutObject. */
  putObject(region: string, bucket: string, key: string, body: string): Promise<void>;
  /** S3 HeadObject: whether the object exists. */
  objectExists(region: string, bucket: string, key: string): Promise<boolean>;
}
