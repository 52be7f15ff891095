import { expect } from "chai";
import { DR_STRATEGIES, DrStrategy } from "../components/strategy";
import { Evaluation } from "../src/engine/evaluate";
import { givenStackFile, resourcesOf, whenAllEvaluated } from "./harness/stack";

/**
 * Static stability (DESIGN.md): a secondary registers nothing in, holds no provider for, and
 * invokes nothing through another region, so `pulumi up` of a secondary works while the primary
 * region answers nothing. Checked for every strategy, each deployment evaluated once (primary,
 * secondary, links) and every assertion made on it. warm-standby is evaluated switched over
 * (dr:activeRegion = the secondary's region), which also checks that DNS follows the active region.
 */

/**
 * AWS services whose control plane is global (not tied to the provider's region): IAM and Route 53
 * (records, health checks, hosted zones). Their resources may be managed from any region's
 * provider; Route 53 Resolver and Route 53 ARC are regional APIs and do not count.
 */
export const GLOBAL_SERVICE_TYPES = /^aws:(iam|route53)\/(?!resolver)/;

const PRIMARY_REGION = givenStackFile("primary")["aws:region"];
const SECONDARY_REGION = givenStackFile("secondary")["aws:region"];
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

describe("static stability: a secondary stays in its region, for every strategy", function () {
  this.timeout(120_000);
  const deployments = new Map<DrStrategy, { primary: Evaluation; secondary: Evaluation; links: Evaluation }>();
  const switchedOver: DrStrategy = "warm-standby";

  before(async () => {
    for (const strategy of DR_STRATEGIES) {
      const common = { "dr:strategy": strategy, ...(strategy === switchedOver ? { "dr:activeRegion": SECONDARY_REGION } : {}) };
      // A standby that may share one NAT gateway keeps its file's setting; a serving one needs per-az.
      deployments.set(strategy, await whenAllEvaluated(
        givenStackFile("primary", common),
        givenStackFile("secondary", { ...common, "dr:natStrategy": "per-az" }),
        givenStackFile("links", strategy === switchedOver ? { "dr:activeRegion": SECONDARY_REGION } : {}),
      ));
    }
  });

  for (const strategy of DR_STRATEGIES) {
    describe(strategy, () => {
      const ev = () => deployments.get(strategy)!;

      it("evaluates primary, secondary and links without a duplicate URN (the engine would refuse one)", () => {
        for (const e of Object.values(ev())) {
          const urns = e.resources.map((r) => r.urn);
          expect(new Set(urns).size, e.stack).to.equal(urns.length);
        }
      });

      it("holds one AWS provider, for its own region", () => {
        expect(resourcesOf(ev().secondary, "pulumi:providers:aws").map((p) => p.inputs.region)).to.deep.equal([SECONDARY_REGION]);
      });

      it("registers every resource in its own region (global services through that region's provider too)", () => {
        const aws = ev().secondary.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
        expect(aws.filter((r) => r.region !== SECONDARY_REGION).map((r) => `${r.type} ${r.name} in ${r.region}`)).to.deep.equal([]);
        // IAM roles exist in every strategy: the check covers global services, not only regional ones.
        expect(aws.some((r) => GLOBAL_SERVICE_TYPES.test(r.type))).to.equal(true);
        expect(aws.filter((r) => r.inputs.region !== undefined && r.inputs.region !== SECONDARY_REGION).map((r) => r.name)).to.deep.equal([]);
      });

      it("invokes nothing through another region", () => {
        const invokes = ev().secondary.invokes;
        expect(invokes).to.not.be.empty;
        expect(invokes.filter((i) => i.region !== SECONDARY_REGION).map((i) => `${i.token} via ${i.region}`)).to.deep.equal([]);
      });

      it("leaves the primary bucket's replication configuration and the alarms published elsewhere to the links stack", () => {
        const { secondary, links } = ev();
        expect(resourcesOf(links, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").map((r) => r.region)).to.deep.equal([PRIMARY_REGION]);
        for (const a of resourcesOf(links, ALARM)) expect([PRIMARY_REGION, "us-east-1"], a.name).to.include(a.region);
        expect(resourcesOf(secondary, ALARM).filter((a) => a.inputs.namespace === "AWS/Route53")).to.deep.equal([]);
      });

      it("does not page on a fresh deploy: S3 replication latency alarms wait for the first datapoint", () => {
        const latency = [...ev().secondary.resources, ...ev().links.resources].filter((r) => r.type === ALARM && r.inputs.metricName === "ReplicationLatency");
        expect(latency).to.have.length(2);
        for (const a of latency) expect(a.inputs.treatMissingData, a.name).to.not.equal("breaching");
      });
    });
  }

  it("pilot light: no lag alarm on the headless Aurora member and no health-check alarm on the standby that serves nothing", () => {
    const { secondary, links } = deployments.get("pilot-light")!;
    const cluster = resourcesOf(secondary, "aws:rds/cluster:Cluster");
    expect(cluster).to.have.length(1);
    expect(resourcesOf(secondary, "aws:rds/clusterInstance:ClusterInstance")).to.deep.equal([]);
    expect(resourcesOf(secondary, ALARM).filter((a) => String(a.inputs.metricName).startsWith("AuroraGlobalDB"))).to.deep.equal([]);
    const healthCheck = (secondary.outputs.regional as Record<string, string>).healthCheckId;
    expect(healthCheck).to.be.a("string");
    const onIt = [...secondary.resources, ...links.resources].filter((r) => r.type === ALARM && (r.inputs.dimensions as Record<string, string> | undefined)?.HealthCheckId === healthCheck);
    expect(onIt).to.deep.equal([]);
  });

  it("warm standby: lag alarms on the member that has instances, and a us-east-1 health-check alarm (links stack) on the standby that serves", () => {
    const { secondary, links } = deployments.get("warm-standby")!;
    expect(resourcesOf(secondary, ALARM).filter((a) => String(a.inputs.metricName).startsWith("AuroraGlobalDB"))).to.have.length(2);
    const healthCheck = (secondary.outputs.regional as Record<string, string>).healthCheckId;
    const onIt = resourcesOf(links, ALARM).filter((a) => (a.inputs.dimensions as Record<string, string> | undefined)?.HealthCheckId === healthCheck);
    expect(onIt.map((a) => a.region)).to.deep.equal(["us-east-1"]);
    const key = resourcesOf(links, "aws:kms/key:Key");
    expect(key.map((k) => [k.region, k.retainOnDelete])).to.deep.equal([["us-east-1", true]]);
  });

  it("DNS follows dr:activeRegion: switched over, the secondary's record is PRIMARY and the primary's SECONDARY", () => {
    const failoverType = (e: Evaluation) => resourcesOf(e, "aws:route53/record:Record")
      .flatMap((r) => (r.inputs.failoverRoutingPolicies as Array<{ type: string }> | undefined) ?? []).map((p) => p.type);
    const normal = deployments.get("pilot-light")!;
    expect([failoverType(normal.primary), failoverType(normal.secondary)]).to.deep.equal([["PRIMARY"], ["SECONDARY"]]);
    const switched = deployments.get(switchedOver)!;
    expect([failoverType(switched.primary), failoverType(switched.secondary)]).to.deep.equal([["SECONDARY"], ["PRIMARY"]]);
    expect(switched.links.outputs.activeRegion).to.equal(SECONDARY_REGION);
  });
});
