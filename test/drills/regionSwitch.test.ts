/**
 * The region switch in the AWS adapter (what AWS would receive, against aws-sdk-client-mock) and in
 * dry-run: the switch of a failed region is written in another region (CloudWatch) or on an ARC
 * cluster endpoint tried in turn, never through the failed region.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetRoutingControlStateCommand, Route53RecoveryClusterClient, UpdateRoutingControlStateCommand } from "@aws-sdk/client-route53-recovery-cluster";
import { AwsCloud } from "../../src/drills/aws";
import { CloudError } from "../../src/drills/cloud";
import { runDrill } from "../../src/drills/drill";
import { AlarmSwitch, RoutingControlSwitch } from "../../src/drills/regionSwitch";
import { awsError, EXAMPLE_DIR, FIXTURE_OUTPUTS, projectWith, tempDir } from "./harness";


// The switch of us-east-1 (the primary) lives in us-west-2, the first secondary (components/dns/regionSwitch.ts).
const EAST: AlarmSwitch = { mechanism: "cloudwatch-alarm", region: "us-east-1", hostRegion: "us-west-2", alarmName: "orders-prod-switch-us-east-1", dimensions: { App: "orders-prod", Region: "us-east-1" } };
const CONTROL = "arn:aws:route53-recovery-control::123456789012:controlpanel/abc/routingcontrol/east";
const ENDPOINTS = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "ap-southeast-2"].map((region) => ({ region, endpoint: `https://host-${region}.example.aws/v1` }));
const ARC_EAST: RoutingControlSwitch = { mechanism: "arc-routing-control", region: "us-east-1", routingControlArn: CONTROL, clusterEndpoints: ENDPOINTS };

describe("region switch: AWS adapter", () => {
  const cw = mockClient(CloudWatchClient);
  const arc = mockClient(Route53RecoveryClusterClient);
  beforeEach(() => [cw, arc].forEach((m) => m.reset()));
  after(() => [cw, arc].forEach((m) => m.restore()));

  it("switches a region off with PutMetricData of 1 in the host region, standard resolution, the alarm's dimensions; on with 0", async () => {
    cw.on(PutMetricDataCommand).resolves({});
    const cloud = new AwsCloud(["us-east-1"]);
    await cloud.setRegionSwitch(EAST, false);
    await cloud.setRegionSwitch(EAST, true);
    const calls = cw.commandCalls(PutMetricDataCommand);
    const datum = (value: number) => ({ MetricName: "RegionOff", Dimensions: [{ Name: "App", Value: "orders-prod" }, { Name: "Region", Value: "us-east-1" }], Value: value, StorageResolution: 60 });
    expect(calls.map((c) => c.args[0].input)).to.deep.equal([{ Namespace: "DR/RegionSwitch", MetricData: [datum(1)] }, { Namespace: "DR/RegionSwitch", MetricData: [datum(0)] }]);
    // Route 53 reads only standard-resolution metrics for alarm-based checks: never StorageResolution 1.
    expect(calls.every((c) => c.args[0].input.MetricData![0].StorageResolution === 60)).to.equal(true);
    // Never the switched (failed) region: the host region, with its normal timeouts.
    expect(await (calls[0].thisValue as CloudWatchClient).config.region()).to.equal("us-west-2");
  });

  it("reads the state with DescribeAlarms in the host region: ALARM off, OK on, INSUFFICIENT_DATA unknown; a missing alarm is a fatal error", async () => {
    const alarm = (StateValue: "ALARM" | "OK" | "INSUFFICIENT_DATA") => ({ MetricAlarms: [{ AlarmName: EAST.alarmName, StateValue }] });
    cw.on(DescribeAlarmsCommand).resolvesOnce(alarm("ALARM")).resolvesOnce(alarm("OK")).resolvesOnce(alarm("INSUFFICIENT_DATA")).resolves({ MetricAlarms: [] });
    const cloud = new AwsCloud();
    expect([await cloud.getRegionSwitch(EAST), await cloud.getRegionSwitch(EAST), await cloud.getRegionSwitch(EAST)]).to.deep.equal(["off", "on", "unknown"]);
    expect(cw.commandCalls(DescribeAlarmsCommand)[0].args[0].input).to.deep.equal({ AlarmNames: ["orders-prod-switch-us-east-1"] });
    const err = await cloud.getRegionSwitch(EAST).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(CloudError).and.to.include({ kind: "fatal", code: "AlarmNotFound" });
  });

  it("ARC: tries the cluster endpoints in turn, the switched region's last, one client per endpoint with its URL and region; EndpointTemporarilyUnavailable and throttling move on", async () => {
    arc.on(UpdateRoutingControlStateCommand)
      .rejectsOnce(awsError("EndpointTemporarilyUnavailableException", 503))
      .rejectsOnce(awsError("ThrottlingException", 429))
      .resolves({});
    await new AwsCloud().setRegionSwitch(ARC_EAST, false);
    const calls = arc.commandCalls(UpdateRoutingControlStateCommand);
    expect(calls.map((c) => c.args[0].input)).to.deep.equal(Array(3).fill({ RoutingControlArn: CONTROL, RoutingControlState: "Off" }));
    const clients = calls.map((c) => c.thisValue as Route53RecoveryClusterClient);
    expect(await Promise.all(clients.map((c) => c.config.region()))).to.deep.equal(["us-west-2", "eu-west-1", "ap-northeast-1"]);
    const hosts = await Promise.all(clients.map(async (c) => (await c.config.endpoint!()).hostname));
    expect(hosts).to.deep.equal(["host-us-west-2.example.aws", "host-eu-west-1.example.aws", "host-ap-northeast-1.example.aws"]);
    expect(await clients[0].config.maxAttempts()).to.equal(1);
  });

  it("ARC: a validation error stops at once; every endpoint failing is a retryable error naming each", async () => {
    arc.on(UpdateRoutingControlStateCommand).rejects(awsError("ValidationException", 400));
    const fatal = await new AwsCloud().setRegionSwitch(ARC_EAST, true).then(() => undefined, (e: unknown) => e);
    expect(fatal).to.be.instanceOf(CloudError).and.to.include({ kind: "fatal", code: "ValidationException" });
    expect(arc.commandCalls(UpdateRoutingControlStateCommand)).to.have.length(1);
    arc.reset();
    arc.on(GetRoutingControlStateCommand).rejects(awsError("EndpointTemporarilyUnavailableException", 503));
    const all = await new AwsCloud().getRegionSwitch(ARC_EAST).then(() => undefined, (e: unknown) => e);
    expect(all).to.be.instanceOf(CloudError).and.to.include({ kind: "transient", code: "AllEndpointsFailed" });
    expect(arc.commandCalls(GetRoutingControlStateCommand)).to.have.length(5);
    arc.reset();
    arc.on(GetRoutingControlStateCommand).resolves({ RoutingControlArn: CONTROL, RoutingControlState: "On" });
    expect(await new AwsCloud().getRegionSwitch(ARC_EAST)).to.equal("on");
  });
});

/** The stack file with mechanism arc-routing-control (the example files state cloudwatch-alarm explicitly). */
const withArcSwitch = (t: string) => t.includes("dr:regionSwitch:")
  ? t.replace(/(dr:regionSwitch:\n\s+mechanism:) cloudwatch-alarm/, "$1 arc-routing-control")
  : t.replace(/(dr:role: (primary|secondary))/, "$1\n  dr:regionSwitch:\n    mechanism: arc-routing-control");

describe("region switch: dry-run", () => {
  it("with ARC and the primary's regionSwitch output, the failover's switch-off goes to a cluster endpoint outside the failed region, naming the routing control", async () => {
    const dir = projectWith(withArcSwitch);
    const primary = JSON.parse(fs.readFileSync(FIXTURE_OUTPUTS.primary, "utf8")) as Record<string, unknown>;
    primary.regionSwitch = {
      mechanism: "arc-routing-control", clusterEndpoints: ENDPOINTS,
      switches: { "us-east-1": { healthCheckId: "hc-switch-e", routingControlArn: CONTROL }, "us-west-2": { healthCheckId: "hc-switch-w", routingControlArn: `${CONTROL}-west` } },
    };
    const file = path.join(tempDir(), "primary.json");
    fs.writeFileSync(file, JSON.stringify(primary));
    const lines: string[] = [];
    const result = await runDrill({ scenario: "failover", mode: "dry-run", cwd: dir, outputs: { primary: file, secondary: FIXTURE_OUTPUTS.secondary }, log: (l) => lines.push(l) });
    expect(result.exitCode).to.equal(0);
    expect(lines).to.include(`us-west-2 Route53RecoveryCluster.UpdateRoutingControlState RoutingControlArn=${CONTROL} RoutingControlState=Off Endpoints=us-west-2,eu-west-1,ap-northeast-1,ap-southeast-2,us-east-1`);
    // The model: an ARC switch acts in seconds (10 s assumed) instead of an alarm period.
    expect(lines).to.include(`model RTO ${Math.max(10 + 60, 60, 35)} s`);
  });

  it("with ARC but no regionSwitch output, a real drill refuses before anything runs, naming the output and the fix", async () => {
    const dir = projectWith(withArcSwitch);
    const err = await runDrill({ scenario: "failover", mode: "dry-run", cwd: dir, outputs: FIXTURE_OUTPUTS, log: () => undefined }).then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).to.include('output regionSwitch of stack "primary" is missing').and.to.include("pulumi up --stack primary");
  });

  it("failover --dry-run (CloudWatch, the default) lists the switch-off against us-west-2, not the failed us-east-1", async () => {
    const lines: string[] = [];
    await runDrill({ scenario: "failover", mode: "dry-run", cwd: EXAMPLE_DIR, log: (l) => lines.push(l) });
    const off = lines.filter((l) => l.includes("PutMetricData") && l.includes('"Value":1,'));
    expect(off).to.have.length(1);
    expect(off[0]).to.match(/^us-west-2 CloudWatch\.PutMetricData Namespace=DR\/RegionSwitch /).and.to.include('{"Name":"Region","Value":"us-east-1"}],"Value":1');
  });
});
