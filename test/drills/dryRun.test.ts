/**
 * The dry-run call lists of switchover and failover, pinned. The expected lists are written by hand
 * from runbooks/switchover.md and runbooks/failover.md and the fixture outputs (test/fixtures/drills),
 * not copied from the program's output.
 */
import { expect } from "chai";
import { runDrill } from "../../src/drills/drill";
import { scenario } from "../../src/drills/scenarios";
import { EXAMPLE_DIR, FIXTURE_OUTPUTS, fixtureInputs } from "./harness";

const GC = "orders-prod";
const E = "us-east-1";
const W = "us-west-2";
const W_ARN = "arn:aws:rds:us-west-2:123456789012:cluster:orders-prod-us-west-2";
const W_GROUPS = '["orders-web-asg-1a2b3c4","orders-app-asg-4c3b2a1"]';
const W_SECRET = "arn:aws:secretsmanager:us-west-2:123456789012:secret:orders-prod-db-AbCdEf";
const lag = `${W} CloudWatch.GetMetricData Namespace=AWS/RDS MetricName=AuroraGlobalDBReplicationLag DBClusterIdentifier=orders-prod-us-west-2 Stat=Maximum Period=60`;
const describeCluster = (region: string) => [
  `${region} RDS.DescribeDBClusters DBClusterIdentifier=orders-prod-${region}`,
  `${region} RDS.DescribeDBInstances Filters=[{"Name":"db-cluster-id","Values":["orders-prod-${region}"]}]`,
];
/** The switch of a region: a metric in the other region (components/dns/regionSwitch.ts placement), 1 off, 0 on, standard resolution. */
const putSwitch = (host: string, switched: string, value: 0 | 1) =>
  `${host} CloudWatch.PutMetricData Namespace=DR/RegionSwitch MetricData=[{"MetricName":"RegionOff","Dimensions":[{"Name":"App","Value":"orders-prod"},{"Name":"Region","Value":"${switched}"}],"Value":${value},"StorageResolution":60}]`;
const readSwitch = (host: string, switched: string) => `${host} CloudWatch.DescribeAlarms AlarmNames=["orders-prod-switch-${switched}"]`;
const switchOffEast = putSwitch(W, E, 1);
const switchOnWest = putSwitch(E, W, 0);
const gatesWest = [
  ...describeCluster(W), `${W} AutoScaling.DescribeAutoScalingGroups AutoScalingGroupNames=${W_GROUPS}`,
  `${W} SecretsManager.DescribeSecret SecretId=${W_SECRET}`,
  `${W} EC2.DescribeImages ImageIds=["ami-0fedcba9876543210"]`,
];
const canaryEast = `${E} S3.PutObject Bucket=orders-data-us-east-1-5e6f7a8 Key=dr-drills/canary-<epoch ms>`;
const scaleOutWest = [
  `${W} AutoScaling.DescribeAutoScalingGroups AutoScalingGroupNames=${W_GROUPS}`,
  `${W} AutoScaling.SetDesiredCapacity AutoScalingGroupName=orders-web-asg-1a2b3c4 DesiredCapacity=3`,
  `${W} AutoScaling.SetDesiredCapacity AutoScalingGroupName=orders-app-asg-4c3b2a1 DesiredCapacity=3`,
];
const waitDb = `${W} RDS.DescribeGlobalClusters GlobalClusterIdentifier=${GC}`;
const tail = [
  "global DNS.Resolve Name=orders.example.com",
  "global DNS.Resolve Name=orders-web-8e7d6c5-0987654321.us-west-2.elb.amazonaws.com",
  `${W} HTTPS.GET Url=https://us-west-2.orders.example.com/healthz`,
  `${W} S3.HeadObject Bucket=orders-data-us-west-2-9b8c7d6 Key=dr-drills/canary-<epoch ms>`,
];

const EXPECTED_SWITCHOVER = [
  `${W} RDS.DescribeGlobalClusters GlobalClusterIdentifier=${GC}`, ...describeCluster(E),
  // The lag gate describes the cluster too: no datapoint from a cluster without instances is no refusal (gates.ts).
  lag, ...describeCluster(W), ...gatesWest, canaryEast, ...scaleOutWest,
  // Sent to the current primary's region (the Aurora guide's example: --region region_of_primary).
  lag, `${E} RDS.SwitchoverGlobalCluster GlobalClusterIdentifier=${GC} TargetDbClusterIdentifier=${W_ARN}`, `${W} RDS.DescribeGlobalClusters GlobalClusterIdentifier=${GC}`,
  `${W} AutoScaling.DescribeAutoScalingGroups AutoScalingGroupNames=${W_GROUPS}`,
  // The database moves first; then the switches: the new region on (its switch lives in the old one), the old off.
  waitDb, switchOnWest, switchOffEast, ...tail, readSwitch(W, E), readSwitch(E, W),
];

// Warm standby: the old primary is switched off first, through us-west-2 where its switch lives
// (on a game day that is the loss), so Route 53 moves DNS while the scale-out and the promotion run (runbooks/failover.md).
const EXPECTED_FAILOVER = [
  `${W} RDS.DescribeGlobalClusters GlobalClusterIdentifier=${GC}`, ...describeCluster(W),
  // us-west-2's own switch lives in us-east-1: switched on there, best effort (it may be the lost region).
  ...gatesWest, switchOffEast, switchOnWest, canaryEast, ...scaleOutWest,
  lag, `${W} RDS.FailoverGlobalCluster GlobalClusterIdentifier=${GC} TargetDbClusterIdentifier=${W_ARN} AllowDataLoss=true`, `${W} RDS.DescribeGlobalClusters GlobalClusterIdentifier=${GC}`,
  `${W} SecretsManager.DescribeSecret SecretId=${W_SECRET}`, `${W} SecretsManager.StopReplicationToReplica SecretId=${W_SECRET}`,
  `${W} AutoScaling.DescribeAutoScalingGroups AutoScalingGroupNames=${W_GROUPS}`,
  waitDb, ...tail, readSwitch(W, E),
];

async function dryRun(name: string): Promise<string[]> {
  const lines: string[] = [];
  const result = await runDrill({ scenario: name, mode: "dry-run", cwd: EXAMPLE_DIR, outputs: FIXTURE_OUTPUTS, log: (l) => lines.push(l) });
  expect(result.exitCode).to.equal(0);
  return lines;
}

describe("drill --dry-run", () => {
  it("prints the switchover's calls, one per line, as <region> <Service>.<Operation> <parameters>", async () => {
    const lines = await dryRun("switchover");
    expect(lines.filter((l) => !l.startsWith("#") && !l.startsWith("model RTO"))).to.deep.equal(EXPECTED_SWITCHOVER);
    // A switchover never allows data loss.
    expect(lines.join("\n")).not.to.include("AllowDataLoss");
  });

  it("prints the failover's calls; only FailoverGlobalCluster carries AllowDataLoss", async () => {
    const lines = (await dryRun("failover")).filter((l) => !l.startsWith("#") && !l.startsWith("model RTO"));
    expect(lines).to.deep.equal(EXPECTED_FAILOVER);
    expect(lines.filter((l) => l.includes("AllowDataLoss"))).to.have.length(1);
  });

  it("failover's required steps call only the recovery region or a global data plane, and never Route 53", async () => {
    const inputs = await fixtureInputs();
    const steps = scenario("failover").steps(inputs, inputs.primary, inputs.secondary);
    const required = steps.filter((s) => s.required).flatMap((s) => s.calls);
    expect(required.length).to.be.greaterThan(20);
    expect(required.filter((c) => c.region !== W && c.region !== "global").map((c) => `${c.region} ${c.operation}`)).to.deep.equal([]);
    expect(steps.flatMap((s) => s.calls).filter((c) => c.service === "Route53")).to.deep.equal([]);
    // What is aimed at the failed region is best effort, and measures only.
    expect(steps.filter((s) => s.calls.some((c) => c.region === E)).map((s) => [s.name, s.required])).to.deep.equal([["switch-on-secondary", false], ["write-canary", false]]);
    // The switch-off is required and first, and goes to a region other than the failed one.
    const first = steps.findIndex((s) => s.action);
    expect(steps[first]).to.include({ name: "switch-off-primary", required: true, region: W, operation: "CloudWatch.PutMetricData" });
  });

  it("prints the model RTO for the scenario and marks best-effort steps", async () => {
    const lines = await dryRun("failover");
    // Cited (or stated-as-assumed) figures, with the example stack files' settings (Pulumi.*.yaml):
    const alarmPeriod = 60; // the switch's alarm: one standard-resolution period (Route 53 reads no other)
    const pickup = 30; // assumed: Route 53's check follows the alarm (undocumented)
    const dns = 60; // alias record to an ALB: ELB's fixed 60 s TTL
    const database = 60; // Aurora global database promotion "in less than a minute"
    const capacity = 30 + 5; // warm-pool instances "serve in as low as 30 s" + one 5 s target-group check (dr:targetHealth)
    // The drill switches the old region off first: on a game day DNS moves by the switch.
    expect(lines).to.include(`model RTO ${Math.max(alarmPeriod + pickup + dns, database, capacity)} s`); // 150 s
    expect(lines.filter((l) => l.includes("best effort")).map((l) => l.split(" ")[2])).to.deep.equal(["switch-on-secondary", "write-canary", "read-lag-at-cutover", "check-canary"]);
  });
});
