/** The AWS adapter's requests (what AWS would receive) and its error mapping, against aws-sdk-client-mock. */
import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import { CreateDBInstanceCommand, DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, RDSClient, SwitchoverGlobalClusterCommand } from "@aws-sdk/client-rds";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetHealthCheckStatusCommand, Route53Client } from "@aws-sdk/client-route-53";
import { ReplicateSecretToRegionsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DescribeImagesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { AwsCloud, errorKind } from "../../src/drills/aws";
import { AutoScalingClient, SetDesiredCapacityCommand } from "@aws-sdk/client-auto-scaling";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CloudError } from "../../src/drills/cloud";
import { VirtualClock } from "../../src/drills/clock";
import { retrying } from "../../src/drills/runner";
import { StepContext } from "../../src/drills/step";
import { createWriterInstance, cutover, cutoverRegion } from "../../src/drills/scenarios/database";
import { awsError, fixtureInputs } from "./harness";

const GC = "orders-prod";
const W_ARN = "arn:aws:rds:us-west-2:123456789012:cluster:orders-prod-us-west-2";

describe("AWS adapter", () => {
  const rds = mockClient(RDSClient);
  const cw = mockClient(CloudWatchClient);
  const r53 = mockClient(Route53Client);
  const sm = mockClient(SecretsManagerClient);
  const s3 = mockClient(S3Client);
  const ec2 = mockClient(EC2Client);
  const asg = mockClient(AutoScalingClient);
  const sts = mockClient(STSClient);
  beforeEach(() => [rds, cw, r53, sm, s3, ec2, asg, sts].forEach((m) => m.reset()));
  after(() => [rds, cw, r53, sm, s3, ec2, asg, sts].forEach((m) => m.restore()));

  it("switches over through the current primary's region (the step's cutoverRegion) without AllowDataLoss, with the SDK's own retries off", async () => {
    rds.on(SwitchoverGlobalClusterCommand).resolves({});
    const inputs = await fixtureInputs();
    // The Aurora guide's example: aws rds --region region_of_primary switchover-global-cluster.
    expect(cutoverRegion("switchover", inputs.primary, inputs.secondary)).to.equal("us-east-1");
    expect(cutoverRegion("failover", inputs.primary, inputs.secondary)).to.equal("us-west-2");
    const step = cutover("switchover", inputs, inputs.primary, inputs.secondary);
    await step.action!({ inputs, cloud: new AwsCloud(), clock: new VirtualClock(0), from: inputs.primary, to: inputs.secondary, facts: {}, log: () => undefined } as unknown as StepContext);
    const calls = rds.commandCalls(SwitchoverGlobalClusterCommand);
    expect(calls).to.have.length(1);
    expect(calls[0].args[0].input).to.deep.equal({ GlobalClusterIdentifier: inputs.globalClusterIdentifier, TargetDbClusterIdentifier: inputs.secondary.dbClusterArn });
    const config = (calls[0].thisValue as RDSClient).config;
    expect(await config.region()).to.equal("us-east-1");
    expect(await config.maxAttempts()).to.equal(1);
  });

  it("sets desired capacity in the group's own region with HonorCooldown false (a scale-out must not wait out a cooldown)", async () => {
    asg.on(SetDesiredCapacityCommand).resolves({});
    await new AwsCloud().setDesiredCapacity("us-west-2", "orders-web-asg", 6);
    const calls = asg.commandCalls(SetDesiredCapacityCommand);
    expect(calls.map((c) => c.args[0].input)).to.deep.equal([{ AutoScalingGroupName: "orders-web-asg", DesiredCapacity: 6, HonorCooldown: false }]);
    expect(await (calls[0].thisValue as AutoScalingClient).config.region()).to.equal("us-west-2");
  });

  it("checks the credentials with STS GetCallerIdentity in the region asked (the recovery region's endpoint)", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:sts::123456789012:assumed-role/dr/me" });
    expect(await new AwsCloud().callerIdentity("us-west-2")).to.deep.equal({ account: "123456789012", arn: "arn:aws:sts::123456789012:assumed-role/dr/me" });
    expect(await (sts.commandCalls(GetCallerIdentityCommand)[0].thisValue as STSClient).config.region()).to.equal("us-west-2");
  });

  it("fails over with AllowDataLoss", async () => {
    rds.on(FailoverGlobalClusterCommand).resolves({});
    await new AwsCloud().failoverGlobalCluster("us-west-2", GC, W_ARN);
    expect(rds.commandCalls(FailoverGlobalClusterCommand)[0].args[0].input).to.deep.equal({ GlobalClusterIdentifier: GC, TargetDbClusterIdentifier: W_ARN, AllowDataLoss: true });
  });

  it("reads the writer and an in-progress switchover from DescribeGlobalClusters", async () => {
    rds.on(DescribeGlobalClustersCommand, { GlobalClusterIdentifier: GC }).resolves({ GlobalClusters: [{
      Status: "available",
      GlobalClusterMembers: [{ DBClusterArn: "arn:e", IsWriter: true }, { DBClusterArn: W_ARN, IsWriter: false }],
      FailoverState: { Status: "pending", ToDbClusterArn: W_ARN, IsDataLossAllowed: false },
    }] });
    const gc = await new AwsCloud().describeGlobalCluster("us-west-2", GC);
    expect(gc.members).to.deep.equal([{ arn: "arn:e", writer: true }, { arn: W_ARN, writer: false }]);
    expect(gc.failover).to.deep.equal({ status: "pending", toArn: W_ARN, dataLossAllowed: false });
  });

  it("asks CloudWatch for AuroraGlobalDBReplicationLag of the cluster and converts milliseconds to seconds", async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: "lag", Values: [850, 400] }] });
    expect(await new AwsCloud().replicationLagSeconds("us-west-2", "orders-prod-us-west-2")).to.equal(0.85);
    const q = cw.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(q.ScanBy).to.equal("TimestampDescending");
    expect(q.MetricDataQueries![0].MetricStat).to.deep.equal({ Metric: { Namespace: "AWS/RDS", MetricName: "AuroraGlobalDBReplicationLag", Dimensions: [{ Name: "DBClusterIdentifier", Value: "orders-prod-us-west-2" }] }, Period: 60, Stat: "Maximum" });
  });

  it("creates the pilot light's writer instance tagged as the platform's tag policy requires (app, environment, dr:role, the stack's dr:tags)", async () => {
    rds.on(CreateDBInstanceCommand).resolves({});
    const inputs = await fixtureInputs();
    const to = inputs.secondary;
    const step = createWriterInstance(to);
    const ctx = { inputs, cloud: new AwsCloud(), clock: new VirtualClock(0), from: inputs.primary, to, facts: {}, log: () => undefined } as unknown as StepContext;
    await step.action!(ctx);
    const input = rds.commandCalls(CreateDBInstanceCommand)[0].args[0].input;
    // Stated, as the stack states it for its own instances (components/data/dataTier.ts).
    expect(input).to.include({ DBInstanceIdentifier: `${to.dbClusterIdentifier}-drill-writer`, DBClusterIdentifier: to.dbClusterIdentifier, PubliclyAccessible: false });
    const tags = Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value]));
    // From Pulumi.secondary.yaml: dr:appName orders, dr:environment prod, dr:role secondary, dr:tags team/cost-center.
    expect(tags).to.include({ app: "orders", environment: "prod", "dr:role": "secondary", "dr:strategy": to.config.strategy, "dr:stack": to.stack, team: "platform", "cost-center": "4711" });
  });

  it("re-establishes the secret replica with ForceOverwriteReplicaSecret and the replica region's key", async () => {
    sm.on(ReplicateSecretToRegionsCommand).resolves({});
    await new AwsCloud().replicateSecretToRegion("us-east-1", "arn:secret", "us-west-2", "arn:kms:us-west-2");
    expect(sm.commandCalls(ReplicateSecretToRegionsCommand)[0].args[0].input).to.deep.equal({ SecretId: "arn:secret", AddReplicaRegions: [{ Region: "us-west-2", KmsKeyId: "arn:kms:us-west-2" }], ForceOverwriteReplicaSecret: true });
  });

  it("counts a health check healthy above 18 % of checkers reporting success", async () => {
    const obs = (ok: number) => Array.from({ length: 16 }, (_, i) => ({ StatusReport: { Status: i < ok ? "Success: HTTP Status Code 200" : "Failure: HTTP Status Code 503" } }));
    r53.on(GetHealthCheckStatusCommand).resolvesOnce({ HealthCheckObservations: obs(3) }).resolvesOnce({ HealthCheckObservations: obs(2) });
    const cloud = new AwsCloud();
    expect(await cloud.healthCheckHealthy("hc")).to.equal(true); // 3/16 = 18.75 %
    expect(await cloud.healthCheckHealthy("hc")).to.equal(false); // 2/16 = 12.5 %
    expect(await (r53.commandCalls(GetHealthCheckStatusCommand)[0].thisValue as Route53Client).config.region()).to.equal("us-east-1");
  });

  it("answers not-found as absence, not as an error", async () => {
    s3.on(HeadObjectCommand).rejects(awsError("NotFound", 404));
    ec2.on(DescribeImagesCommand).rejects(awsError("InvalidAMIID.NotFound", 400));
    const cloud = new AwsCloud();
    expect(await cloud.objectExists("us-west-2", "b", "k")).to.equal(false);
    expect(await cloud.imageState("us-west-2", "ami-0123456789abcdef0")).to.equal(undefined);
  });

  describe("error mapping", () => {
    it("classifies throttling, transient and fatal errors", () => {
      expect(errorKind(awsError("ThrottlingException", 400))).to.equal("throttling");
      expect(errorKind(awsError("Throttling", 400))).to.equal("throttling");
      expect(errorKind(awsError("PriorRequestNotComplete", 400))).to.equal("throttling");
      expect(errorKind(awsError("ServiceUnavailable", 503))).to.equal("transient");
      expect(errorKind(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).to.equal("transient");
      expect(errorKind(awsError("AccessDeniedException", 403))).to.equal("fatal");
      expect(errorKind(awsError("InvalidGlobalClusterStateFault", 400))).to.equal("fatal");
    });

    const ctx = (clock: VirtualClock) => ({ clock }) as unknown as StepContext;

    it("a throttled call is retried with backoff and then succeeds", async () => {
      rds.on(SwitchoverGlobalClusterCommand).rejectsOnce(awsError("ThrottlingException", 400)).resolves({});
      const clock = new VirtualClock(0);
      const retries = { n: 0 };
      await retrying(ctx(clock), retries, () => new AwsCloud().switchoverGlobalCluster("us-west-2", GC, W_ARN));
      expect(rds.commandCalls(SwitchoverGlobalClusterCommand)).to.have.length(2);
      expect(retries.n).to.equal(1);
      expect(clock.now()).to.equal(1000); // first backoff: 1 s
    });

    it("transient errors (5xx, connection resets) are retried like throttling", async () => {
      rds.on(SwitchoverGlobalClusterCommand)
        .rejectsOnce(awsError("InternalFailure", 500))
        .rejectsOnce(awsError("BadGateway", 502)) // a 5xx known only by its status code
        .rejectsOnce(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))
        .resolves({});
      const clock = new VirtualClock(0);
      const retries = { n: 0 };
      await retrying(ctx(clock), retries, () => new AwsCloud().switchoverGlobalCluster("us-east-1", GC, W_ARN));
      expect(rds.commandCalls(SwitchoverGlobalClusterCommand)).to.have.length(4);
      expect(retries.n).to.equal(3);
      expect(clock.now()).to.equal((1 + 2 + 4) * 1000); // the cap of each backoff (the virtual clock's jitter is 1)
    });

    it("any other error stops at once, as a fatal CloudError naming the call", async () => {
      rds.on(SwitchoverGlobalClusterCommand).rejects(awsError("AccessDeniedException", 403));
      const err = await retrying(ctx(new VirtualClock(0)), { n: 0 }, () => new AwsCloud().switchoverGlobalCluster("us-west-2", GC, W_ARN)).then(() => undefined, (e: unknown) => e);
      expect(err).to.be.instanceOf(CloudError);
      expect(err).to.include({ kind: "fatal", code: "AccessDeniedException" });
      expect((err as Error).message).to.include("us-west-2 RDS.SwitchoverGlobalCluster");
      expect(rds.commandCalls(SwitchoverGlobalClusterCommand)).to.have.length(1);
    });
  });
});
