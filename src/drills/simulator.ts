/**
 * A simulated region pair behind the cloud port, on a virtual clock: every duration comes from the
 * recovery model (./model: failoverTimings and the cited constants), so a simulated drill measures what the model
 * predicts unless a fault says otherwise. The state is plain JSON so a crashed simulated drill can
 * be resumed by another process (saved next to the journal).
 */
import * as fs from "fs";
import { call, Cloud, CloudError, DOWN_REGION_TIMEOUTS_MS, DbClusterView, GLOBAL, GlobalClusterView, GroupView, RecoveryPointView, RestoreJobView, SecretView, Service } from "./cloud";
import { Clock } from "./clock";
import { allRegions, DrillInputs } from "./inputs";
import {
  AURORA_INSTANCE_CREATE_SECONDS, AURORA_SWITCHOVER_SECONDS, AURORA_TYPICAL_LAG_SECONDS, S3_TYPICAL_SECONDS, SECRET_TYPICAL_SECONDS, timingsInto,
} from "./model";
import { ARC_CLUSTER, endpointOrder, RegionSwitch, setSwitchCall, SwitchState } from "./regionSwitch";
import { SWITCH_PERIOD_SECONDS } from "../../components/dns/regionSwitch";
import { SimulatedCrash } from "./runner";
import { describeRestoreJob, listRecoveryPoints, restoredCluster, setRestoredRetention, SimBackup, startRestoreJob, tagRestored } from "./simBackup";
import { failoverAnswer, NEVER, SimGroup, SimRegion, SimState } from "./simState";
import { Step } from "./step";

export class SimulatedCloud implements Cloud {
  readonly clock: Clock;
  /** The recovery model's step durations for moving into each region (src/model/timeline.ts): no sums of the simulator's own. */
  private readonly timings: Record<string, ReturnType<typeof timingsInto>>;

  constructor(private readonly inputs: DrillInputs, readonly state: SimState) {
    // Jitter fraction 1: a simulated run backs off by the cap, reproducibly (the slowest case).
    this.clock = { now: () => this.state.now, sleep: async (s) => void (this.state.now += Math.round(s * 1000)), random: () => 1 };
    this.timings = Object.fromEntries(allRegions(inputs).map((r) => [r.region, timingsInto(inputs, r.region)]));
  }

  static load(inputs: DrillInputs, file: string): SimulatedCloud {
    return new SimulatedCloud(inputs, JSON.parse(fs.readFileSync(file, "utf8")) as SimState);
  }

  save(file: string): void {
    fs.writeFileSync(file, JSON.stringify(this.state));
  }

  /**
   * The crash faults: the process dies once, right after the cut-over's action (crash-after-cutover)
   * or right after the old region's switch-off (crash-after-switch-off: DNS already moving, the writer not yet).
   */
  afterAction(step: Step, persist: () => void): void {
    const crashes = (step.marks?.includes("cutover") && this.state.faults.includes("crash-after-cutover")) || (step.kind === "switch-off" && this.state.faults.includes("crash-after-switch-off"));
    if (crashes && !this.state.crashed) {
      this.state.crashed = true;
      persist();
      throw new SimulatedCrash(step.name);
    }
  }

  private r(region: string): SimRegion {
    const r = this.state.regions[region];
    if (!r) throw new CloudError("fatal", "InvalidRegion", region, `no simulated region ${region}`);
    return r;
  }

  /** Records the call and applies the faults every call is subject to. */
  private enter(region: string, service: Service, operation: string, params: Record<string, unknown> = {}): void {
    this.settle();
    this.state.calls.push(call(region, service, operation, params));
    const where = `${region} ${service}.${operation}`;
    if (this.state.faults.includes("throttling") && !this.state.throttled.includes(`${service}.${operation}`)) {
      this.state.throttled.push(`${service}.${operation}`);
      throw new CloudError("throttling", "ThrottlingException", where, "Rate exceeded");
    }
    const r = this.state.regions[region];
    if (region !== GLOBAL && r && this.lost(r, this.state.now)) {
      // A silent region costs the adapter's connect timeout for a region assumed down, each call.
      this.state.now += DOWN_REGION_TIMEOUTS_MS.connectionTimeout;
      throw new CloudError("transient", "ETIMEDOUT", where, `connect ETIMEDOUT (${region} is down)`);
    }
    if (r?.apiDown?.includes(service)) throw new CloudError("transient", "InternalFailure", where, `${service} in ${region} fails (partial outage)`);
  }

  /** Lost while `down`, from `downAt` (when known) until `upAt` (a region that recovers answers again). */
  private lost(r: SimRegion, t: number): boolean {
    return r.down && (r.downAt === undefined || r.downAt <= t) && (r.upAt === undefined || t < r.upAt);
  }

  /** Finishes a cut-over whose time has come. */
  private settle(): void {
    const op = this.state.op;
    if (op && this.state.now >= op.doneAt) {
      this.state.writer = op.to;
      this.state.op = undefined;
    }
  }

  private arn(region: string): string {
    return allRegions(this.inputs).find((x) => x.region === region)!.dbClusterArn;
  }

  private lagSeconds(): number {
    return this.state.faults.includes("lag-over-target") ? 2 * this.inputs.primary.config.objectives.rpoSeconds.database : AURORA_TYPICAL_LAG_SECONDS;
  }

  /** The switch as seen `delaySeconds` after each write: 0 for the write itself, the alarm period for DescribeAlarms, the model's switch delay for Route 53. */
  private switchOn(r: SimRegion, t: number, delaySeconds: number): boolean {
    return r.switch.filter((w) => w.at + delaySeconds * 1000 <= t).at(-1)?.on ?? true;
  }

  private inService(g: SimGroup, t: number): number {
    return Math.min(g.desired, g.ready.filter((x) => x <= t).length);
  }

  private endpointHealthy(r: SimRegion, t: number): boolean {
    const web = r.groups.find((g) => g.tier === "web");
    return !this.lost(r, t) && !!web && this.inService(web, t) > 0;
  }

  /** Route 53 sees a change once its checkers have failed (or passed) `failureThreshold` times. */
  private checkHealthy(region: string, t: number): boolean {
    return this.endpointHealthy(this.r(region), t - this.timings[region].detectionSeconds * 1000);
  }

  /** A failover record's calculated check: its endpoint check AND its region's switch (threshold 2 of 2). */
  private recordHealthy(region: string, t: number): boolean {
    return this.checkHealthy(region, t) && this.switchOn(this.r(region), t, this.timings[region].regionSwitchSeconds);
  }

  /** Failover routing over the calculated checks (failoverAnswer); the SECONDARY record is the secondary stack's. */
  private route53Answer(t: number): string[] {
    const primary = this.state.primaryRecord;
    const secondary = this.inputs.secondary.region;
    const pick = failoverAnswer(this.recordHealthy(primary, t), this.recordHealthy(secondary, t)) === "PRIMARY" ? primary : secondary;
    return [this.r(pick).address];
  }

  async callerIdentity(region: string): Promise<{ account: string; arn: string }> {
    this.enter(region, "STS", "GetCallerIdentity");
    return { account: "111122223333", arn: "arn:aws:sts::111122223333:assumed-role/dr-operator/simulated" };
  }

  async describeGlobalCluster(region: string, id: string): Promise<GlobalClusterView> {
    this.enter(region, "RDS", "DescribeGlobalClusters", { GlobalClusterIdentifier: id });
    const op = this.state.op;
    return {
      status: "available",
      members: Object.keys(this.state.regions).map((x) => ({ arn: this.arn(x), writer: x === this.state.writer })),
      failover: op && { status: op.kind === "switchover" ? "switching-over" : "failing-over", toArn: this.arn(op.to), dataLossAllowed: op.kind === "failover" },
    };
  }

  async describeDbCluster(region: string, clusterId: string): Promise<DbClusterView> {
    this.enter(region, "RDS", "DescribeDBClusters", { DBClusterIdentifier: clusterId });
    const r = this.r(region);
    const restored = restoredCluster(this.state.backup, region, clusterId, this.state.now);
    return {
      arn: this.arn(region), status: restored?.status ?? "available",
      ...(restored ? { endpoint: restored.endpoint, port: restored.port, backupRetentionDays: restored.backupRetentionDays, tags: restored.tags } : {}),
      instances: r.instances.map((i) => ({ id: i.id, status: i.availableAt <= this.state.now ? "available" : "creating" })),
    };
  }

  async setDbClusterBackupRetention(region: string, clusterId: string, days: number): Promise<void> {
    this.enter(region, "RDS", "ModifyDBCluster", { DBClusterIdentifier: clusterId, BackupRetentionPeriod: days, ApplyImmediately: true });
    if (!this.state.backup) throw new CloudError("fatal", "InvalidParameterCombination", `${region} RDS.ModifyDBCluster`, "the simulator changes retention only on restored clusters");
    setRestoredRetention(this.state.backup, region, clusterId, days, this.state.now);
  }

  async tagDbResource(region: string, arn: string, tags: Readonly<Record<string, string>>): Promise<void> {
    this.enter(region, "RDS", "AddTagsToResource", { ResourceName: arn, Tags: tags });
    if (!this.state.backup) throw new CloudError("fatal", "InvalidParameterCombination", `${region} RDS.AddTagsToResource`, "the simulator tags only restored clusters");
    tagRestored(this.state.backup, region, arn, tags);
  }

  async createDbInstance(region: string, p: { clusterId: string; instanceId: string; tags: Readonly<Record<string, string>> }): Promise<void> {
    this.enter(region, "RDS", "CreateDBInstance", { DBInstanceIdentifier: p.instanceId, DBClusterIdentifier: p.clusterId, Tags: p.tags });
    const restored = restoredCluster(this.state.backup, region, p.clusterId, this.state.now);
    if (restored && restored.status !== "available") throw new CloudError("fatal", "InvalidDBClusterStateFault", `${region} RDS`, `DB cluster ${p.clusterId} is ${restored.status}`);
    this.r(region).instances.push({ id: p.instanceId, availableAt: this.state.now + AURORA_INSTANCE_CREATE_SECONDS * 1000 });
  }

  private startCutover(kind: "switchover" | "failover", region: string, targetArn: string): void {
    if (this.state.op) throw new CloudError("fatal", "InvalidGlobalClusterStateFault", `${region} RDS`, "a switchover or failover is already in progress");
    if (targetArn !== this.arn(region)) throw new CloudError("fatal", "InvalidParameterValue", `${region} RDS`, `target ${targetArn} is not the cluster in ${region}`);
    if (!this.r(region).instances.some((i) => i.availableAt <= this.state.now)) throw new CloudError("fatal", "InvalidDBClusterStateFault", `${region} RDS`, "the target cluster has no available DB instance");
    if (kind === "switchover" && this.lost(this.r(this.state.writer), this.state.now)) throw new CloudError("fatal", "InvalidGlobalClusterStateFault", `${region} RDS`, "switchover needs the primary cluster to be available");
    const seconds = kind === "switchover" ? AURORA_SWITCHOVER_SECONDS : this.timings[region].promoteSeconds;
    this.state.op = { kind, to: region, doneAt: this.state.now + seconds * 1000 };
  }

  /** Sent to the current primary's region, as the Aurora guide's example does (scenarios/database.ts cutoverRegion). */
  async switchoverGlobalCluster(region: string, id: string, targetArn: string): Promise<void> {
    this.enter(region, "RDS", "SwitchoverGlobalCluster", { GlobalClusterIdentifier: id, TargetDbClusterIdentifier: targetArn });
    if (region !== this.state.writer) throw new CloudError("fatal", "InvalidParameterValue", `${region} RDS`, `SwitchoverGlobalCluster is called in the primary's region ${this.state.writer}, not ${region}`);
    const target = Object.keys(this.state.regions).find((x) => this.arn(x) === targetArn);
    if (!target) throw new CloudError("fatal", "DBClusterNotFoundFault", `${region} RDS`, `no member ${targetArn}`);
    this.startCutover("switchover", target, targetArn);
  }

  async failoverGlobalCluster(region: string, id: string, targetArn: string): Promise<void> {
    this.enter(region, "RDS", "FailoverGlobalCluster", { GlobalClusterIdentifier: id, TargetDbClusterIdentifier: targetArn, AllowDataLoss: true });
    this.startCutover("failover", region, targetArn);
  }

  /** The writer publishes no lag; nor (assumed, undocumented) does a headless member before it has a DB instance (scenarios/gates.ts). */
  async replicationLagSeconds(region: string, clusterId: string): Promise<number | undefined> {
    this.enter(region, "CloudWatch", "GetMetricData", { MetricName: "AuroraGlobalDBReplicationLag", DBClusterIdentifier: clusterId });
    return region === this.state.writer || this.r(region).instances.length === 0 ? undefined : this.lagSeconds();
  }

  async describeGroups(region: string, names: readonly string[]): Promise<GroupView[]> {
    this.enter(region, "AutoScaling", "DescribeAutoScalingGroups", { AutoScalingGroupNames: names });
    return this.r(region).groups.filter((g) => names.includes(g.name)).map((g) => ({ name: g.name, desired: g.desired, min: g.min, max: g.max, inService: this.inService(g, this.state.now) }));
  }

  async setDesiredCapacity(region: string, name: string, desired: number): Promise<void> {
    this.enter(region, "AutoScaling", "SetDesiredCapacity", { AutoScalingGroupName: name, DesiredCapacity: desired });
    const g = this.r(region).groups.find((x) => x.name === name);
    if (!g) throw new CloudError("fatal", "ValidationError", `${region} AutoScaling`, `group ${name} not found`);
    if (desired > g.max) throw new CloudError("fatal", "ValidationError", `${region} AutoScaling`, `desired ${desired} above max ${g.max}`);
    // The model's figures for this region's scale-out: started from its warm pool when the pool holds
    // every added instance (as far as the full-capacity scale-out the model prices), else launched fresh.
    const t = this.timings[region];
    const tier = t[g.tier];
    const denied = this.state.faults.includes("insufficient-capacity") && region === this.inputs.secondary.region;
    const ready = (desired <= tier.to && !denied ? tier.instanceReadySeconds : t.freshLaunchSeconds) + t.newTargetServingSeconds;
    const launch = this.state.faults.includes("timeout") ? NEVER : this.state.now + ready * 1000;
    while (g.ready.length < desired) g.ready.push(launch);
    g.ready = g.ready.sort((a, b) => a - b).slice(0, Math.max(desired, 0));
    g.desired = desired;
  }

  /** The region whose switch `s` is: the simulated regions hold every switched region. */
  private switchRegion(s: RegionSwitch): SimRegion {
    return this.r(s.region);
  }

  /** The call goes to the host region, or to each ARC cluster endpoint in turn (an unknown cluster's endpoints never fail here). */
  private async switchCall(s: RegionSwitch, operation: "write" | "read", on = true): Promise<void> {
    const c = setSwitchCall(s, on);
    const service = c.service;
    const op = operation === "write" ? c.operation : s.mechanism === "cloudwatch-alarm" ? "DescribeAlarms" : "GetRoutingControlState";
    const params = operation === "write" ? c.params : s.mechanism === "cloudwatch-alarm" ? { AlarmNames: [s.alarmName] } : { RoutingControlArn: s.routingControlArn };
    if (s.mechanism === "cloudwatch-alarm") return this.enter(s.hostRegion, service, op, params);
    const regions = s.clusterEndpoints.length ? endpointOrder(s).map((e) => e.region) : [ARC_CLUSTER];
    let last: unknown;
    for (const region of regions) {
      try {
        return this.enter(region, service, op, params);
      } catch (err) {
        if (!(err instanceof CloudError) || err.kind === "fatal") throw err;
        last = err;
      }
    }
    throw last;
  }

  async getRegionSwitch(s: RegionSwitch): Promise<SwitchState> {
    await this.switchCall(s, "read");
    // The alarm evaluates a datum on its next period; a routing control reads back at once.
    return this.switchOn(this.switchRegion(s), this.state.now, s.mechanism === "cloudwatch-alarm" ? SWITCH_PERIOD_SECONDS : 0) ? "on" : "off";
  }

  async setRegionSwitch(s: RegionSwitch, on: boolean): Promise<void> {
    await this.switchCall(s, "write", on);
    this.switchRegion(s).switch.push({ at: this.state.now, on });
  }

  async healthCheckHealthy(id: string): Promise<boolean> {
    this.enter(GLOBAL, "Route53", "GetHealthCheckStatus", { HealthCheckId: id });
    const region = allRegions(this.inputs).find((x) => x.healthCheckId === id)?.region;
    if (!region) throw new CloudError("fatal", "NoSuchHealthCheck", "Route53", `no health check ${id}`);
    return this.checkHealthy(region, this.state.now);
  }

  async testDnsAnswer(zone: string, name: string): Promise<string[]> {
    this.enter(GLOBAL, "Route53", "TestDNSAnswer", { HostedZoneId: zone, RecordName: name });
    return this.route53Answer(this.state.now);
  }

  /** Resolvers may serve the answer they cached up to one TTL ago (the model's worst case). */
  async resolve(name: string): Promise<string[]> {
    this.enter(GLOBAL, "DNS", "Resolve", { Name: name });
    if (name === this.inputs.domain) return this.route53Answer(this.state.now - this.timings[this.state.primaryRecord].dnsCacheSeconds * 1000);
    const r = allRegions(this.inputs).find((x) => x.webLoadBalancerDnsName === name);
    return r ? [this.r(r.region).address] : [];
  }

  async httpStatus(url: string): Promise<number> {
    const region = Object.keys(this.state.regions).find((x) => url.startsWith(`https://${x}.`)) ?? GLOBAL;
    this.enter(region, "HTTPS", "GET", { Url: url });
    return this.endpointHealthy(this.r(region), this.state.now) ? 200 : 503;
  }

  async describeSecret(region: string, id: string): Promise<SecretView> {
    this.enter(region, "SecretsManager", "DescribeSecret", { SecretId: id });
    const s = this.r(region).secret;
    return { primaryRegion: s.primaryRegion, replicas: s.replicas.map((x) => ({ region: x.region, status: x.syncedAt <= this.state.now ? "InSync" : "InProgress" })) };
  }

  async getSecretValue(region: string, id: string): Promise<string> {
    this.enter(region, "SecretsManager", "GetSecretValue", { SecretId: id });
    return this.r(region).secret.value;
  }

  async putSecretValue(region: string, id: string, value: string): Promise<void> {
    this.enter(region, "SecretsManager", "PutSecretValue", { SecretId: id });
    if (this.r(region).secret.primaryRegion) throw new CloudError("fatal", "InvalidRequestException", `${region} SecretsManager`, "a replica secret is read-only");
    this.r(region).secret.value = value;
  }

  async stopReplicationToReplica(region: string, id: string): Promise<void> {
    this.enter(region, "SecretsManager", "StopReplicationToReplica", { SecretId: id });
    const s = this.r(region).secret;
    if (!s.primaryRegion) throw new CloudError("fatal", "InvalidRequestException", `${region} SecretsManager`, "not a replica");
    s.primaryRegion = undefined;
  }

  async replicateSecretToRegion(region: string, id: string, replicaRegion: string, kmsKeyId: string): Promise<void> {
    this.enter(region, "SecretsManager", "ReplicateSecretToRegions", { SecretId: id, Region: replicaRegion, KmsKeyId: kmsKeyId, ForceOverwriteReplicaSecret: true });
    const source = this.r(region).secret;
    source.replicas = [...source.replicas.filter((x) => x.region !== replicaRegion), { region: replicaRegion, syncedAt: this.state.now + SECRET_TYPICAL_SECONDS * 1000 }];
    this.r(replicaRegion).secret = { value: source.value, primaryRegion: region, replicas: [] };
  }

  async imageState(region: string, amiId: string): Promise<string | undefined> {
    this.enter(region, "EC2", "DescribeImages", { ImageIds: [amiId] });
    return "available";
  }

  async putObject(region: string, bucket: string, key: string): Promise<void> {
    this.enter(region, "S3", "PutObject", { Bucket: bucket, Key: key });
    this.r(region).objects[key] = this.state.now;
    // replication-paused (the partition game day's aws:s3:bucket-pause-replication): nothing arrives while the drill runs.
    const arrives = this.state.faults.includes("replication-paused") ? NEVER : this.state.now + S3_TYPICAL_SECONDS * 1000;
    for (const other of Object.values(this.state.regions).filter((x) => x.region !== region)) other.objects[key] = arrives;
  }

  async objectExists(region: string, bucket: string, key: string): Promise<boolean> {
    this.enter(region, "S3", "HeadObject", { Bucket: bucket, Key: key });
    return (this.r(region).objects[key] ?? NEVER) <= this.state.now;
  }

  private backup(region: string, operation: string): SimBackup {
    if (!this.state.backup) throw new CloudError("fatal", "ResourceNotFoundException", `${region} Backup.${operation}`, "the simulated pair keeps no backup-restore vault");
    return this.state.backup;
  }

  async listRecoveryPoints(region: string, p: { vaultName: string; resourceArn: string; resourceType: string }): Promise<RecoveryPointView[]> {
    this.enter(region, "Backup", "ListRecoveryPointsByBackupVault", { BackupVaultName: p.vaultName, ByResourceArn: p.resourceArn, ByResourceType: p.resourceType });
    return listRecoveryPoints(this.backup(region, "ListRecoveryPointsByBackupVault"), region, p);
  }

  async startRestoreJob(region: string, p: { recoveryPointArn: string; iamRoleArn: string; resourceType: string; metadata: Readonly<Record<string, string>>; idempotencyToken: string }): Promise<string> {
    this.enter(region, "Backup", "StartRestoreJob", { RecoveryPointArn: p.recoveryPointArn, IamRoleArn: p.iamRoleArn, ResourceType: p.resourceType, Metadata: p.metadata, IdempotencyToken: p.idempotencyToken });
    return startRestoreJob(this.backup(region, "StartRestoreJob"), this.inputs, region, this.state.now, this.state.faults, p);
  }

  async describeRestoreJob(region: string, id: string): Promise<RestoreJobView> {
    this.enter(region, "Backup", "DescribeRestoreJob", { RestoreJobId: id });
    return describeRestoreJob(this.backup(region, "DescribeRestoreJob"), region, id, this.state.now);
  }
}
