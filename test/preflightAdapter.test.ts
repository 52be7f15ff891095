import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import { DescribeLoadBalancerAttributesCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client, ModifyLoadBalancerAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetRoleCommand, IAMClient, NoSuchEntityException } from "@aws-sdk/client-iam";
import {
  DBClusterNotFoundFault, DBClusterSnapshotNotFoundFault, DescribeDBClustersCommand, DescribeDBClusterSnapshotsCommand, DescribeDBInstancesCommand, DescribeGlobalClustersCommand,
  ModifyDBClusterCommand, ModifyGlobalClusterCommand, RDSClient,
} from "@aws-sdk/client-rds";
import { DeleteObjectsCommand, ListObjectVersionsCommand, NoSuchBucket, S3Client } from "@aws-sdk/client-s3";
import { DescribeSecretCommand, ResourceNotFoundException, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AwsAccessDeniedError, AwsCallError } from "../src/deploy/preflight/awsPort";
import { classifyAwsError, DEFAULT_BASE_DELAY_MS, SdkPreflightAws } from "../src/deploy/preflight/awsAdapter";

const meta = { $metadata: { httpStatusCode: 400 } };
/** An error as the SDK raises a service error it has no class for (name = the AWS error code). */
const awsError = (name: string, message: string, status = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe("preflight AWS adapter (SDK v3, mocked clients)", () => {
  const iam = mockClient(IAMClient);
  const rds = mockClient(RDSClient);
  const elb = mockClient(ElasticLoadBalancingV2Client);
  const s3 = mockClient(S3Client);
  const sm = mockClient(SecretsManagerClient);
  let sleeps: number[];
  let aws: SdkPreflightAws;
  beforeEach(() => {
    for (const m of [iam, rds, elb, s3, sm]) m.reset();
    sleeps = [];
    aws = new SdkPreflightAws({ sleep: async (ms) => { sleeps.push(ms); } });
  });
  after(() => {
    for (const m of [iam, rds, elb, s3, sm]) m.restore();
  });

  it("asks IAM GetRole for the role by name; NoSuchEntity means missing", async () => {
    iam.on(GetRoleCommand).resolves({ Role: { RoleName: "AWSServiceRoleForAutoScaling", Path: "/aws-service-role/", RoleId: "AROA", Arn: "arn:aws:iam::1:role/x", CreateDate: new Date() } });
    expect(await aws.roleExists("AWSServiceRoleForAutoScaling")).to.equal(true);
    expect(iam.commandCalls(GetRoleCommand)[0].args[0].input).to.deep.equal({ RoleName: "AWSServiceRoleForAutoScaling" });
    iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: "The role with name AWSServiceRoleForAutoScaling cannot be found.", ...meta }));
    expect(await aws.roleExists("AWSServiceRoleForAutoScaling")).to.equal(false);
  });

  it("maps each service's not-found error to 'missing' (undefined), not to a failure", async () => {
    rds.on(DescribeDBClustersCommand).rejects(new DBClusterNotFoundFault({ message: "DBCluster c not found", ...meta }));
    rds.on(DescribeDBClusterSnapshotsCommand).rejects(new DBClusterSnapshotNotFoundFault({ message: "snapshot not found", ...meta }));
    s3.on(ListObjectVersionsCommand).rejects(new NoSuchBucket({ message: "The specified bucket does not exist", ...meta }));
    sm.on(DescribeSecretCommand).rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", ...meta }));
    expect(await aws.dbCluster("us-east-1", "c")).to.equal(undefined);
    expect(await aws.clusterSnapshot("us-east-1", "c-final")).to.equal(undefined);
    expect(await aws.bucketContents("us-east-1", "b")).to.equal(undefined);
    expect(await aws.secret("us-east-1", "s")).to.equal(undefined);
    expect(sleeps).to.deep.equal([]);
  });

  it("lists the clusters of a DB subnet group from every page of DescribeDBClusters in the given region (the API has no subnet-group filter)", async () => {
    rds.on(DescribeDBClustersCommand)
      .resolvesOnce({ DBClusters: [{ DBClusterIdentifier: "other", DBSubnetGroup: "orders-prod-us-west-2-other" }], Marker: "page-2" })
      .resolvesOnce({ DBClusters: [{ DBClusterIdentifier: "orders-prod-us-west-2", DBSubnetGroup: "orders-prod-us-west-2-restore", DeletionProtection: true }] });
    expect(await aws.clustersInSubnetGroup("us-west-2", "orders-prod-us-west-2-restore")).to.deep.equal([{ identifier: "orders-prod-us-west-2", deletionProtection: true }]);
    const calls = rds.commandCalls(DescribeDBClustersCommand);
    expect(calls.map((c) => c.args[0].input)).to.deep.equal([{ Marker: undefined }, { Marker: "page-2" }]);
    expect(await (calls[0].thisValue as RDSClient).config.region()).to.equal("us-west-2");
  });

  it("retries throttling with doubling back-off and returns the eventual answer", async () => {
    rds.on(DescribeDBClustersCommand)
      .rejectsOnce(awsError("Throttling", "Rate exceeded"))
      .rejectsOnce(awsError("TooManyRequestsException", "slow down", 429))
      .resolves({ DBClusters: [{ DBClusterIdentifier: "orders-prod-us-east-1", DeletionProtection: true }] });
    expect(await aws.dbCluster("us-east-1", "orders-prod-us-east-1")).to.deep.equal({ identifier: "orders-prod-us-east-1", deletionProtection: true });
    expect(sleeps).to.deep.equal([DEFAULT_BASE_DELAY_MS, DEFAULT_BASE_DELAY_MS * 2]);
    expect(rds.commandCalls(DescribeDBClustersCommand)).to.have.length(3);
  });

  it("gives up on throttling after the attempt limit, naming the call, region and attempts", async () => {
    const limited = new SdkPreflightAws({ maxAttempts: 3, sleep: async () => undefined });
    rds.on(DescribeGlobalClustersCommand).rejects(awsError("Throttling", "Rate exceeded"));
    const err = await limited.globalCluster("us-east-1", "orders-prod").then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(AwsCallError);
    expect((err as Error).message).to.equal("rds:DescribeGlobalClusters on global cluster orders-prod in us-east-1 failed after 3 attempts: Throttling: Rate exceeded");
    expect(rds.commandCalls(DescribeGlobalClustersCommand)).to.have.length(3);
  });

  it("reports access denied at once with the IAM action, resource, region and fix; never retries it", async () => {
    s3.on(ListObjectVersionsCommand).rejects(awsError("AccessDenied", "Access Denied", 403));
    const err = await aws.bucketContents("us-west-2", "orders-data").then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(AwsAccessDeniedError);
    expect((err as Error).message).to.contain("AWS denied s3:ListBucketVersions on bucket orders-data in us-west-2").and.contain("Grant s3:ListBucketVersions");
    expect(s3.commandCalls(ListObjectVersionsCommand)).to.have.length(1);
    expect(classifyAwsError(awsError("AccessDeniedException", "no"))).to.equal("access-denied");
    expect(classifyAwsError(awsError("InvalidParameterValue", "bad"))).to.equal("other");
  });

  it("creates one client per service and region, lazily, with the region set explicitly", async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    expect(aws.createdClients()).to.deep.equal([]);
    await aws.dbCluster("us-east-1", "a");
    await aws.dbCluster("us-west-2", "b");
    await aws.dbCluster("us-east-1", "c");
    expect(aws.createdClients()).to.deep.equal(["rds:us-east-1", "rds:us-west-2"]);
    const regions = await Promise.all(rds.calls().map((c) => (c.thisValue as RDSClient).config.region()));
    expect(regions).to.deep.equal(["us-east-1", "us-west-2", "us-east-1"]);
  });

  it("finds a stack's load balancers by VPC across pages and reads deletion protection and the access-log bucket", async () => {
    elb.on(DescribeLoadBalancersCommand, { Marker: undefined }).resolves({
      LoadBalancers: [{ LoadBalancerName: "other", LoadBalancerArn: "arn:other", VpcId: "vpc-other" }, { LoadBalancerName: "orders-web", LoadBalancerArn: "arn:web", VpcId: "vpc-1" }],
      NextMarker: "page2",
    });
    elb.on(DescribeLoadBalancersCommand, { Marker: "page2" }).resolves({ LoadBalancers: [{ LoadBalancerName: "orders-app", LoadBalancerArn: "arn:app", VpcId: "vpc-1" }] });
    elb.on(DescribeLoadBalancerAttributesCommand, { LoadBalancerArn: "arn:web" }).resolves({ Attributes: [
      { Key: "deletion_protection.enabled", Value: "true" }, { Key: "access_logs.s3.enabled", Value: "true" }, { Key: "access_logs.s3.bucket", Value: "orders-alb-logs" },
    ] });
    elb.on(DescribeLoadBalancerAttributesCommand, { LoadBalancerArn: "arn:app" }).resolves({ Attributes: [{ Key: "deletion_protection.enabled", Value: "false" }] });
    expect(await aws.loadBalancers("us-east-1", { vpcId: "vpc-1", names: [] })).to.deep.equal([
      { name: "orders-web", arn: "arn:web", deletionProtection: true, accessLogBucket: "orders-alb-logs" },
      { name: "orders-app", arn: "arn:app", deletionProtection: false },
    ]);
  });

  it("counts object versions and delete markers of a versioned bucket from the first page", async () => {
    s3.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: "a", VersionId: "1" }, { Key: "a", VersionId: "2" }], DeleteMarkers: [{ Key: "b", VersionId: "3" }], IsTruncated: true });
    expect(await aws.bucketContents("us-east-1", "orders-data")).to.deep.equal({ name: "orders-data", versions: 2, deleteMarkers: 1, truncated: true });
    expect(s3.commandCalls(ListObjectVersionsCommand)[0].args[0].input).to.deep.equal({ Bucket: "orders-data", MaxKeys: 1000 });
  });

  it("reads a secret's DeletedDate and a final snapshot's creation time", async () => {
    const deleted = new Date("2026-12-05T00:00:00Z");
    sm.on(DescribeSecretCommand).resolves({ Name: "orders/prod/aurora-master", ARN: "arn:s", DeletedDate: deleted });
    rds.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [{ DBClusterSnapshotIdentifier: "c-final", SnapshotCreateTime: deleted }] });
    expect(await aws.secret("us-east-1", "arn:s")).to.deep.equal({ name: "orders/prod/aurora-master", arn: "arn:s", deletedDate: deleted });
    expect(await aws.clusterSnapshot("us-east-1", "c-final")).to.deep.equal({ identifier: "c-final", createdAt: deleted });
    expect(rds.commandCalls(DescribeDBClusterSnapshotsCommand)[0].args[0].input).to.deep.equal({ DBClusterSnapshotIdentifier: "c-final" });
  });

  it("lists a cluster's DB instances with the db-cluster-id filter, across pages", async () => {
    // DescribeDBInstances' db-cluster-id filter "accepts DB cluster identifiers": API_DescribeDBInstances.
    rds.on(DescribeDBInstancesCommand, { Marker: undefined }).resolves({ DBInstances: [{ DBInstanceIdentifier: "orders-prod-us-west-2-a", DBInstanceStatus: "available" }], Marker: "m2" });
    rds.on(DescribeDBInstancesCommand, { Marker: "m2" }).resolves({ DBInstances: [{ DBInstanceIdentifier: "orders-prod-us-west-2-drill-writer", DBInstanceStatus: "creating" }] });
    expect(await aws.clusterInstances("us-west-2", "orders-prod-us-west-2")).to.deep.equal([
      { identifier: "orders-prod-us-west-2-a", status: "available" },
      { identifier: "orders-prod-us-west-2-drill-writer", status: "creating" },
    ]);
    expect(rds.commandCalls(DescribeDBInstancesCommand).map((c) => c.args[0].input)).to.deep.equal([
      { Filters: [{ Name: "db-cluster-id", Values: ["orders-prod-us-west-2"] }], Marker: undefined },
      { Filters: [{ Name: "db-cluster-id", Values: ["orders-prod-us-west-2"] }], Marker: "m2" },
    ]);
    expect(aws.createdClients()).to.deep.equal(["rds:us-west-2"]);
  });

  it("reads the global database's members and which one writes (GlobalClusterMembers[].IsWriter)", async () => {
    const writer = "arn:aws:rds:us-west-2:111122223333:cluster:orders-prod-us-west-2";
    const reader = "arn:aws:rds:us-east-1:111122223333:cluster:orders-prod-us-east-1";
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [{
      GlobalClusterIdentifier: "orders-prod", DeletionProtection: false,
      GlobalClusterMembers: [{ DBClusterArn: reader, IsWriter: false, Readers: [] }, { DBClusterArn: writer, IsWriter: true, Readers: [reader] }],
    }] });
    expect(await aws.globalCluster("us-east-1", "orders-prod")).to.deep.equal({
      identifier: "orders-prod", deletionProtection: false, members: [{ clusterArn: reader, isWriter: false }, { clusterArn: writer, isWriter: true }],
    });
    expect(rds.commandCalls(DescribeGlobalClustersCommand)[0].args[0].input).to.deep.equal({ GlobalClusterIdentifier: "orders-prod" });
  });

  it("lifts deletion protection with exactly the requests AWS documents", async () => {
    await aws.liftLoadBalancerDeletionProtection("us-east-1", "arn:web");
    await aws.liftClusterDeletionProtection("us-west-2", "orders-prod-us-west-2");
    await aws.liftGlobalClusterDeletionProtection("us-east-1", "orders-prod");
    expect(elb.commandCalls(ModifyLoadBalancerAttributesCommand)[0].args[0].input).to.deep.equal({ LoadBalancerArn: "arn:web", Attributes: [{ Key: "deletion_protection.enabled", Value: "false" }] });
    expect(rds.commandCalls(ModifyDBClusterCommand)[0].args[0].input).to.deep.equal({ DBClusterIdentifier: "orders-prod-us-west-2", DeletionProtection: false, ApplyImmediately: true });
    expect(rds.commandCalls(ModifyGlobalClusterCommand)[0].args[0].input).to.deep.equal({ GlobalClusterIdentifier: "orders-prod", DeletionProtection: false });
  });

  it("empties a versioned bucket: every version and delete marker by VersionId, until a listing comes back empty", async () => {
    s3.on(ListObjectVersionsCommand)
      .resolvesOnce({ Versions: [{ Key: "a", VersionId: "1" }, { Key: "a", VersionId: "2" }], DeleteMarkers: [{ Key: "b", VersionId: "3" }] })
      .resolves({});
    s3.on(DeleteObjectsCommand).resolves({ Deleted: [] });
    expect(await aws.emptyBucket("us-west-2", "orders-data")).to.equal(3);
    expect(s3.commandCalls(DeleteObjectsCommand)[0].args[0].input).to.deep.equal({
      Bucket: "orders-data",
      Delete: { Objects: [{ Key: "a", VersionId: "1" }, { Key: "a", VersionId: "2" }, { Key: "b", VersionId: "3" }], Quiet: true },
    });
  });

  it("stops emptying when S3 reports per-key errors, naming the first", async () => {
    s3.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: "a", VersionId: "1" }] });
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: "a", VersionId: "1", Code: "AccessDenied", Message: "Access Denied" }] });
    const err = await aws.emptyBucket("us-west-2", "orders-data").then(() => undefined, (e: unknown) => e);
    expect((err as Error).message).to.contain("1 of 1 versions not deleted, first a (Access Denied)");
  });
});
