/**
 * The AWS adapter behind the cloud port: AWS SDK v3 clients, one per service and region. The SDK's
 * own retries are off (maxAttempts 1) so the engine's backoff is the one retry policy and every
 * retry is journaled; errors are mapped to throttling / transient (retried) or fatal (stop the step).
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeImagesCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  AddTagsToResourceCommand, CreateDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, ModifyDBClusterCommand, RDSClient,
  SwitchoverGlobalClusterCommand,
} from "@aws-sdk/client-rds";
import { GetHealthCheckStatusCommand, Route53Client, TestDNSAnswerCommand } from "@aws-sdk/client-route-53";
import { GetRoutingControlStateCommand, Route53RecoveryClusterClient, UpdateRoutingControlStateCommand } from "@aws-sdk/client-route53-recovery-cluster";
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, ReplicateSecretToRegionsCommand, SecretsManagerClient, StopReplicationToReplicaCommand,
} from "@aws-sdk/client-secrets-manager";
import { BackupClient, DescribeRestoreJobCommand, ListRecoveryPointsByBackupVaultCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { promises as dnsPromises } from "dns";
import { Cloud, CloudError, DbClusterView, DOWN_REGION_TIMEOUTS_MS, ErrorKind, GlobalClusterView, GroupView, RecoveryPointView, RestoreJobView, SecretView } from "./cloud";
import { DrillInputs } from "./inputs";
import { endpointOrder, RegionSwitch, RoutingControlSwitch, switchDatum, SwitchState } from "./regionSwitch";
import { SWITCH_METRIC_NAMESPACE } from "../../components/dns/regionSwitch";

/** Route 53 is a global service whose API is served from us-east-1. */
const ROUTE53_API_REGION = "us-east-1";
/** Route 53 counts an endpoint healthy when more than 18 % of its checkers do:
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html */
export const HEALTHY_CHECKER_SHARE = 0.18;
const HTTP_TIMEOUT_MS = 5000;
const LAG_WINDOW_MS = 10 * 60_000;

/**
 * An ARC cluster endpoint that cannot serve now: "Try another cluster endpoint" (EndpointTemporarilyUnavailableException,
 * https://docs.aws.amazon.com/routing-control/latest/APIReference/API_UpdateRoutingControlState.html); endpoints are cycled
 * through maintenance, so throttling, server errors and timeouts move on to the next endpoint too.
 */
const NEXT_ENDPOINT = new Set(["EndpointTemporarilyUnavailableException", "ThrottlingException", "InternalServerException"]);

const THROTTLING = new Set(["Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "PriorRequestNotComplete", "SlowDown", "RequestThrottled", "RequestThrottledException"]);
const TRANSIENT = new Set(["ServiceUnavailable", "InternalFailure", "InternalError", "InternalServiceError", "RequestTimeout", "TimeoutError", "ECONNRESET", "ETIMEDOUT", "ECONNREFUSED", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);

/** Maps an SDK (or network) error to the engine's kinds. */
export function errorKind(err: unknown): ErrorKind {
  const e = err as { name?: string; code?: string; $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };
  const code = e?.name ?? e?.code ?? "";
  if (THROTTLING.has(code) || e?.$retryable?.throttling || e?.$metadata?.httpStatusCode === 429) return "throttling";
  if (TRANSIENT.has(code) || TRANSIENT.has(e?.code ?? "") || (e?.$metadata?.httpStatusCode ?? 0) >= 500) return "transient";
  return "fatal";
}

async function mapped<T>(where: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CloudError) throw err;
    const e = err as { name?: string; code?: string; message?: string };
    throw new CloudError(errorKind(err), e?.name ?? e?.code ?? "Error", where, e?.message ?? String(err));
  }
}

/** A silent region must fail fast (then the engine retries or moves on), not hang on the socket. */
const REQUEST_HANDLER = { connectionTimeout: 5000, requestTimeout: 30_000 };

/** The socket timeouts of calls to `region`: short for a region the drill assumes may be down (cloud DOWN_REGION_TIMEOUTS_MS). */
export function requestHandlerFor(region: string, mayBeDown: readonly string[]): { connectionTimeout: number; requestTimeout: number } {
  return mayBeDown.includes(region) ? { ...DOWN_REGION_TIMEOUTS_MS } : REQUEST_HANDLER;
}

type Ctor<C> = new (config: { region: string; maxAttempts: number; requestHandler: typeof REQUEST_HANDLER }) => C;

export class AwsCloud implements Cloud {
  private readonly clients = new Map<string, unknown>();

  /** `mayBeDown`: regions whose calls get short timeouts (failover's old primary). */
  constructor(private readonly mayBeDown: readonly string[] = []) {}

  private client<C>(ctor: Ctor<C>, region: string): C {
    const key = `${ctor.name}:${region}`;
    if (!this.clients.has(key)) this.clients.set(key, new ctor({ region, maxAttempts: 1, requestHandler: requestHandlerFor(region, this.mayBeDown) }));
    return this.clients.get(key) as C;
  }

  /** The regional STS endpoint of the recovery region: the check must not depend on a region that may be down. */
  async callerIdentity(region: string): Promise<{ account: string; arn: string }> {
    const out = await mapped(`${region} STS.GetCallerIdentity`, () => this.client(STSClient, region).send(new GetCallerIdentityCommand({})));
    return { account: out.Account ?? "", arn: out.Arn ?? "" };
  }

  async describeGlobalCluster(region: string, id: string): Promise<GlobalClusterView> {
    const out = await mapped(`${region} RDS.DescribeGlobalClusters`, () => this.client(RDSClient, region).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: id })));
    const gc = out.GlobalClusters?.[0];
    if (!gc) throw new CloudError("fatal", "GlobalClusterNotFoundFault", `${region} RDS.DescribeGlobalClusters`, `no global cluster ${id}`);
    const fs = gc.FailoverState;
    return {
      status: gc.Status ?? "unknown",
      members: (gc.GlobalClusterMembers ?? []).map((m) => ({ arn: m.DBClusterArn ?? "", writer: !!m.IsWriter })),
      failover: fs?.Status ? { status: fs.Status, toArn: fs.ToDbClusterArn ?? "", dataLossAllowed: !!fs.IsDataLossAllowed } : undefined,
    };
  }

  async describeDbCluster(region: string, clusterId: string): Promise<DbClusterView> {
    const rds = this.client(RDSClient, region);
    const out = await mapped(`${region} RDS.DescribeDBClusters`, () => rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId })));
    const c = out.DBClusters?.[0];
    if (!c) throw new CloudError("fatal", "DBClusterNotFoundFault", `${region} RDS.DescribeDBClusters`, `no cluster ${clusterId}`);
    const inst = await mapped(`${region} RDS.DescribeDBInstances`, () => rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: "db-cluster-id", Values: [clusterId] }] })));
    return {
      arn: c.DBClusterArn ?? "", status: c.Status ?? "unknown", ...(c.Endpoint ? { endpoint: c.Endpoint } : {}), ...(c.Port ? { port: c.Port } : {}),
      instances: (inst.DBInstances ?? []).map((i) => ({ id: i.DBInstanceIdentifier ?? "", status: i.DBInstanceStatus ?? "unknown" })),
      ...(c.BackupRetentionPeriod !== undefined ? { backupRetentionDays: c.BackupRetentionPeriod } : {}),
      tags: Object.fromEntries((c.TagList ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? ""])),
    };
  }

  /** https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html (BackupRetentionPeriod 1-35; ApplyImmediately). */
  async setDbClusterBackupRetention(region: string, clusterId: string, days: number): Promise<void> {
    await mapped(`${region} RDS.ModifyDBCluster`, () => this.client(RDSClient, region).send(new ModifyDBClusterCommand({ DBClusterIdentifier: clusterId, BackupRetentionPeriod: days, ApplyImmediately: true })));
  }

  /** https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_AddTagsToResource.html */
  async tagDbResource(region: string, arn: string, tags: Readonly<Record<string, string>>): Promise<void> {
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    await mapped(`${region} RDS.AddTagsToResource`, () => this.client(RDSClient, region).send(new AddTagsToResourceCommand({ ResourceName: arn, Tags })));
  }

  async createDbInstance(region: string, p: { clusterId: string; instanceId: string; instanceClass: string; engine: string; tags: Readonly<Record<string, string>> }): Promise<void> {
    const Tags = Object.entries(p.tags).map(([Key, Value]) => ({ Key, Value }));
    // Stated, not left to AWS's default (which depends on the VPC and subnet group): the stack's own instances say false too.
    await mapped(`${region} RDS.CreateDBInstance`, () => this.client(RDSClient, region).send(new CreateDBInstanceCommand({ DBInstanceIdentifier: p.instanceId, DBClusterIdentifier: p.clusterId, DBInstanceClass: p.instanceClass, Engine: p.engine, PubliclyAccessible: false, Tags })));
  }

  /** `region` is the current primary's: the Aurora guide's switchover example calls --region region_of_primary (database.ts). */
  async switchoverGlobalCluster(region: string, id: string, targetArn: string): Promise<void> {
    await mapped(`${region} RDS.SwitchoverGlobalCluster`, () => this.client(RDSClient, region).send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: id, TargetDbClusterIdentifier: targetArn })));
  }

  async failoverGlobalCluster(region: string, id: string, targetArn: string): Promise<void> {
    await mapped(`${region} RDS.FailoverGlobalCluster`, () => this.client(RDSClient, region).send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: id, TargetDbClusterIdentifier: targetArn, AllowDataLoss: true })));
  }

  /** AuroraGlobalDBReplicationLag is reported in milliseconds by each secondary cluster, in its own region:
   * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html */
  async replicationLagSeconds(region: string, clusterId: string): Promise<number | undefined> {
    const end = new Date();
    const out = await mapped(`${region} CloudWatch.GetMetricData`, () => this.client(CloudWatchClient, region).send(new GetMetricDataCommand({
      StartTime: new Date(end.getTime() - LAG_WINDOW_MS), EndTime: end, ScanBy: "TimestampDescending",
      MetricDataQueries: [{ Id: "lag", MetricStat: { Metric: { Namespace: "AWS/RDS", MetricName: "AuroraGlobalDBReplicationLag", Dimensions: [{ Name: "DBClusterIdentifier", Value: clusterId }] }, Period: 60, Stat: "Maximum" } }],
    })));
    const latest = out.MetricDataResults?.[0]?.Values?.[0];
    return latest === undefined ? undefined : latest / 1000;
  }

  async describeGroups(region: string, names: readonly string[]): Promise<GroupView[]> {
    const out = await mapped(`${region} AutoScaling.DescribeAutoScalingGroups`, () => this.client(AutoScalingClient, region).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [...names] })));
    return (out.AutoScalingGroups ?? []).map((g) => ({
      name: g.AutoScalingGroupName ?? "", desired: g.DesiredCapacity ?? 0, min: g.MinSize ?? 0, max: g.MaxSize ?? 0,
      inService: (g.Instances ?? []).filter((i) => i.LifecycleState === "InService" && i.HealthStatus === "Healthy").length,
    }));
  }

  async setDesiredCapacity(region: string, name: string, desired: number): Promise<void> {
    await mapped(`${region} AutoScaling.SetDesiredCapacity`, () => this.client(AutoScalingClient, region).send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: desired, HonorCooldown: false })));
  }

  /** One client per cluster endpoint, with its URL and its region (without the endpoint the SDK resolves a generic host). */
  private clusterClient(endpoint: string, region: string): Route53RecoveryClusterClient {
    const key = `arc:${endpoint}`;
    if (!this.clients.has(key)) this.clients.set(key, new Route53RecoveryClusterClient({ region, endpoint, maxAttempts: 1, requestHandler: requestHandlerFor(region, this.mayBeDown) }));
    return this.clients.get(key) as Route53RecoveryClusterClient;
  }

  /** Tries each cluster endpoint in turn (those outside the switched region first) until one answers. */
  private async onCluster<T>(s: RoutingControlSwitch, operation: string, fn: (client: Route53RecoveryClusterClient) => Promise<T>): Promise<T> {
    const endpoints = endpointOrder(s);
    if (!endpoints.length) throw new CloudError("fatal", "NoClusterEndpoints", `Route53RecoveryCluster.${operation}`, `no cluster endpoints for the routing control of ${s.region}; pass the primary stack's outputs (regionSwitch.clusterEndpoints)`);
    const failures: string[] = [];
    for (const e of endpoints) {
      try {
        return await fn(this.clusterClient(e.endpoint, e.region));
      } catch (err) {
        const name = (err as { name?: string }).name ?? "Error";
        const kind = errorKind(err);
        if (!NEXT_ENDPOINT.has(name) && kind === "fatal") throw new CloudError("fatal", name, `${e.region} Route53RecoveryCluster.${operation}`, (err as Error).message);
        failures.push(`${e.region}: ${name}`);
      }
    }
    throw new CloudError("transient", "AllEndpointsFailed", `Route53RecoveryCluster.${operation}`, `every cluster endpoint failed (${failures.join(", ")})`);
  }

  async getRegionSwitch(s: RegionSwitch): Promise<SwitchState> {
    if (s.mechanism === "arc-routing-control") {
      const out = await this.onCluster(s, "GetRoutingControlState", (c) => c.send(new GetRoutingControlStateCommand({ RoutingControlArn: s.routingControlArn })));
      return out.RoutingControlState === "On" ? "on" : out.RoutingControlState === "Off" ? "off" : "unknown";
    }
    const where = `${s.hostRegion} CloudWatch.DescribeAlarms`;
    const out = await mapped(where, () => this.client(CloudWatchClient, s.hostRegion).send(new DescribeAlarmsCommand({ AlarmNames: [s.alarmName] })));
    const alarm = out.MetricAlarms?.find((a) => a.AlarmName === s.alarmName);
    if (!alarm) throw new CloudError("fatal", "AlarmNotFound", where, `no alarm ${s.alarmName} in ${s.hostRegion}; deploy the stack that holds ${s.region}'s switch`);
    // ALARM = the metric says off; OK = on; INSUFFICIENT_DATA: no datum in the period (Route 53 keeps the last known status).
    return alarm.StateValue === "ALARM" ? "off" : alarm.StateValue === "OK" ? "on" : "unknown";
  }

  async setRegionSwitch(s: RegionSwitch, on: boolean): Promise<void> {
    if (s.mechanism === "arc-routing-control") {
      await this.onCluster(s, "UpdateRoutingControlState", (c) => c.send(new UpdateRoutingControlStateCommand({ RoutingControlArn: s.routingControlArn, RoutingControlState: on ? "On" : "Off" })));
      return;
    }
    await mapped(`${s.hostRegion} CloudWatch.PutMetricData`, () => this.client(CloudWatchClient, s.hostRegion).send(new PutMetricDataCommand({ Namespace: SWITCH_METRIC_NAMESPACE, MetricData: [switchDatum(s, on)] })));
  }

  async healthCheckHealthy(id: string): Promise<boolean> {
    const out = await mapped("global Route53.GetHealthCheckStatus", () => this.client(Route53Client, ROUTE53_API_REGION).send(new GetHealthCheckStatusCommand({ HealthCheckId: id })));
    const obs = out.HealthCheckObservations ?? [];
    const ok = obs.filter((o) => o.StatusReport?.Status?.startsWith("Success")).length;
    return obs.length > 0 && ok / obs.length > HEALTHY_CHECKER_SHARE;
  }

  async testDnsAnswer(zone: string, name: string): Promise<string[]> {
    const out = await mapped("global Route53.TestDNSAnswer", () => this.client(Route53Client, ROUTE53_API_REGION).send(new TestDNSAnswerCommand({ HostedZoneId: zone, RecordName: name, RecordType: "A" })));
    return out.RecordData ?? [];
  }

  async resolve(name: string): Promise<string[]> {
    try {
      return await dnsPromises.resolve4(name);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === "ENOTFOUND" || code === "ENODATA") return [];
      throw new CloudError(errorKind(err), code ?? "DNS", `global DNS.Resolve ${name}`, (err as Error).message);
    }
  }

  async httpStatus(url: string): Promise<number> {
    try {
      return (await fetch(url, { method: "GET", redirect: "manual", signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) })).status;
    } catch (err) {
      throw new CloudError("transient", "HTTP", `HTTPS.GET ${url}`, (err as Error).message);
    }
  }

  async describeSecret(region: string, id: string): Promise<SecretView> {
    const out = await mapped(`${region} SecretsManager.DescribeSecret`, () => this.client(SecretsManagerClient, region).send(new DescribeSecretCommand({ SecretId: id })));
    return { primaryRegion: out.PrimaryRegion && out.PrimaryRegion !== region ? out.PrimaryRegion : undefined, replicas: (out.ReplicationStatus ?? []).map((r) => ({ region: r.Region ?? "", status: r.Status ?? "unknown" })) };
  }

  async getSecretValue(region: string, id: string): Promise<string> {
    const out = await mapped(`${region} SecretsManager.GetSecretValue`, () => this.client(SecretsManagerClient, region).send(new GetSecretValueCommand({ SecretId: id })));
    return out.SecretString ?? "";
  }

  async putSecretValue(region: string, id: string, value: string): Promise<void> {
    await mapped(`${region} SecretsManager.PutSecretValue`, () => this.client(SecretsManagerClient, region).send(new PutSecretValueCommand({ SecretId: id, SecretString: value })));
  }

  async stopReplicationToReplica(region: string, id: string): Promise<void> {
    await mapped(`${region} SecretsManager.StopReplicationToReplica`, () => this.client(SecretsManagerClient, region).send(new StopReplicationToReplicaCommand({ SecretId: id })));
  }

  async replicateSecretToRegion(region: string, id: string, replicaRegion: string, kmsKeyId: string): Promise<void> {
    await mapped(`${region} SecretsManager.ReplicateSecretToRegions`, () => this.client(SecretsManagerClient, region).send(new ReplicateSecretToRegionsCommand({ SecretId: id, AddReplicaRegions: [{ Region: replicaRegion, KmsKeyId: kmsKeyId }], ForceOverwriteReplicaSecret: true })));
  }

  async imageState(region: string, amiId: string): Promise<string | undefined> {
    try {
      const out = await this.client(EC2Client, region).send(new DescribeImagesCommand({ ImageIds: [amiId] }));
      return out.Images?.[0]?.State;
    } catch (err) {
      if ((err as { name?: string }).name === "InvalidAMIID.NotFound") return undefined;
      return mapped(`${region} EC2.DescribeImages`, () => Promise.reject(err));
    }
  }

  /** Every page: a vault keeps a recovery point per backup for the retention (35 days by default), more than one page holds. */
  async listRecoveryPoints(region: string, p: { vaultName: string; resourceArn: string; resourceType: string }): Promise<RecoveryPointView[]> {
    const backup = this.client(BackupClient, region);
    const out: RecoveryPointView[] = [];
    let token: string | undefined;
    do {
      const page = await mapped(`${region} Backup.ListRecoveryPointsByBackupVault`, () => backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: p.vaultName, ByResourceArn: p.resourceArn, ByResourceType: p.resourceType, ...(token ? { NextToken: token } : {}) })));
      for (const rp of page.RecoveryPoints ?? [])
        out.push({ arn: rp.RecoveryPointArn ?? "", createdAt: rp.CreationDate?.getTime() ?? 0, status: rp.Status ?? "unknown", resourceArn: rp.ResourceArn ?? "", resourceType: rp.ResourceType ?? "" });
      token = page.NextToken;
    } while (token);
    return out;
  }

  async startRestoreJob(region: string, p: { recoveryPointArn: string; iamRoleArn: string; resourceType: string; metadata: Readonly<Record<string, string>>; idempotencyToken: string }): Promise<string> {
    const out = await mapped(`${region} Backup.StartRestoreJob`, () => this.client(BackupClient, region).send(new StartRestoreJobCommand({
      RecoveryPointArn: p.recoveryPointArn, IamRoleArn: p.iamRoleArn, ResourceType: p.resourceType, Metadata: { ...p.metadata }, IdempotencyToken: p.idempotencyToken,
    })));
    if (!out.RestoreJobId) throw new CloudError("fatal", "NoRestoreJobId", `${region} Backup.StartRestoreJob`, "AWS Backup returned no restore job id");
    return out.RestoreJobId;
  }

  async describeRestoreJob(region: string, id: string): Promise<RestoreJobView> {
    const out = await mapped(`${region} Backup.DescribeRestoreJob`, () => this.client(BackupClient, region).send(new DescribeRestoreJobCommand({ RestoreJobId: id })));
    return { id, status: out.Status ?? "unknown", ...(out.StatusMessage ? { statusMessage: out.StatusMessage } : {}), ...(out.CreatedResourceArn ? { createdResourceArn: out.CreatedResourceArn } : {}) };
  }

  async putObject(region: string, bucket: string, key: string, body: string): Promise<void> {
    await mapped(`${region} S3.PutObject`, () => this.client(S3Client, region).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "text/plain" })));
  }

  async objectExists(region: string, bucket: string, key: string): Promise<boolean> {
    try {
      await this.client(S3Client, region).send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === "NotFound" || e.$metadata?.httpStatusCode === 404) return false;
      return mapped(`${region} S3.HeadObject`, () => Promise.reject(err));
    }
  }
}

/** The Node major version from which the AWS SDK stops warning (@aws-sdk/core emitWarningIfUnsupportedVersion). */
export const SDK_SUPPORTED_NODE_MAJOR = 22;

/**
 * The AWS SDK warns once, from the first client it builds, when Node is older than it will support
 * soon: that lands in the middle of a drill's output. Returns the warning as one line the drill
 * prints before it starts, and turns the SDK's own off (its documented switch).
 */
export function takeSdkNodeWarning(version = process.version, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const major = Number(/^v(\d+)/.exec(version)?.[1] ?? SDK_SUPPORTED_NODE_MAJOR);
  if (major >= SDK_SUPPORTED_NODE_MAJOR || env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === "true") return undefined;
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  return `note: Node ${version}: AWS SDK for JavaScript v3 releases from January 2027 need Node ${SDK_SUPPORTED_NODE_MAJOR} or newer (https://a.co/c895JFp); this drill is not affected`;
}

export function awsCloud(_inputs: DrillInputs, mayBeDown: readonly string[] = []): Cloud {
  return new AwsCloud(mayBeDown);
}
