import { expect } from "chai";
import { DR_STRATEGIES, DrStrategy } from "../components/strategy";
import { Evaluation } from "../src/engine/evaluate";
import { foreignRegionUse, GLOBAL_SERVICE_TYPES } from "./harness/staticStability";
import { givenStackFile, PRIMARY_STACK_REF, resourcesOf, whenEvaluated } from "./harness/stack";
import { deploymentFor, exampleDeployment, SWITCHED_OVER_STRATEGY } from "./harness/deployments";

/**
 * Static stability (README): a secondary registers nothing in, holds no provider for, and
 * invokes nothing through another region, so `pulumi up` of a secondary works while the primary
 * region answers nothing. Checked for every strategy: warm-standby (the example files) in
 * crossRegion.test.ts, the others here, each deployment evaluated once (primary, secondary,
 * links). backup-restore is evaluated switched over (dr:activeRegion = the secondary's region),
 * which also checks that record roles do not follow the active region; one more secondary is
 * evaluated as in the primary region's outage, against the primary's last exports.
 */

const PRIMARY_REGION = givenStackFile("primary")["aws:region"];
const SECONDARY_REGION = givenStackFile("secondary")["aws:region"];
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
/** The failover types of a stack's Route 53 records (what Route 53 would receive). */
const failoverType = (e: Evaluation) => resourcesOf(e, "aws:route53/record:Record")
  .flatMap((r) => (r.inputs.failoverRoutingPolicies as Array<{ type: string }> | undefined) ?? []).map((p) => p.type);

describe("static stability: a secondary stays in its region, for every strategy", function () {
  this.timeout(120_000);
  const deployments = new Map<DrStrategy, { primary: Evaluation; secondary: Evaluation; links: Evaluation }>();
  const switchedOver = SWITCHED_OVER_STRATEGY;
  // warm-standby, the example files' strategy, is checked on crossRegion.test.ts's evaluation.
  const strategies = DR_STRATEGIES.filter((s) => s !== "warm-standby");

  before(async () => {
    for (const strategy of strategies) deployments.set(strategy, await deploymentFor(strategy));
  });

  for (const strategy of strategies) {
    describe(strategy, () => {
      const ev = () => deployments.get(strategy)!;

      it("evaluates primary, secondary and links without a duplicate URN (the engine would refuse one)", () => {
        for (const e of Object.values(ev())) {
          const urns = e.resources.map((r) => r.urn);
          expect(new Set(urns).size, e.stack).to.equal(urns.length);
        }
      });

      it("holds one AWS provider, for its own region, and registers and invokes nothing elsewhere", () => {
        const { secondary } = ev();
        expect(resourcesOf(secondary, "pulumi:providers:aws").map((p) => p.inputs.region)).to.deep.equal([SECONDARY_REGION]);
        expect(foreignRegionUse(secondary, SECONDARY_REGION)).to.deep.equal([]);
        // The check sees invokes and global-service resources (IAM roles exist in every strategy).
        expect(secondary.invokes).to.not.be.empty;
        expect(secondary.resources.some((r) => GLOBAL_SERVICE_TYPES.test(r.type) && r.region === SECONDARY_REGION)).to.equal(true);
      });

      it("leaves the primary bucket's replication configuration and the alarms published elsewhere to the links stack", () => {
        const { secondary, links } = ev();
        expect(resourcesOf(links, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").map((r) => r.region)).to.deep.equal([PRIMARY_REGION]);
        // Alarms on metrics published elsewhere, and the Region switch plan event rules' failed deliveries in each plan region.
        for (const a of resourcesOf(links, ALARM)) if (a.inputs.namespace !== "AWS/Events") expect([PRIMARY_REGION, "us-east-1"], a.name).to.include(a.region);
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

  it("record roles follow the stack's role, not dr:activeRegion: switched over, the primary's record stays PRIMARY", () => {
    // the README's ownership table: PRIMARY in primary, SECONDARY in secondary, whichever region is active.
    for (const deployment of [deployments.get("pilot-light")!, deployments.get(switchedOver)!])
      expect([failoverType(deployment.primary), failoverType(deployment.secondary)]).to.deep.equal([["PRIMARY"], ["SECONDARY"]]);
    const switched = deployments.get(switchedOver)!;
    expect(switched.links.outputs.activeRegion).to.equal(SECONDARY_REGION);
    expect((switched.secondary.outputs.shared as Record<string, string>).activeRegion).to.equal(SECONDARY_REGION);
  });

  describe("during the primary region's outage: the secondary's file names its own region, the primary's export still names the primary's", () => {
    let outage: Evaluation;
    before(async () => {
      // The primary's outputs as its last deploy left them (dr:activeRegion not set: its own region).
      const { primary } = await exampleDeployment();
      expect((primary.outputs.shared as Record<string, string>).activeRegion).to.equal(PRIMARY_REGION);
      outage = await whenEvaluated("secondary", givenStackFile("secondary", { "dr:activeRegion": SECONDARY_REGION }), { [PRIMARY_STACK_REF]: primary.outputs });
    });

    it("deploys the secondary (not refused) and records its own region as active", () => {
      expect((outage.outputs.shared as Record<string, string>).activeRegion).to.equal(SECONDARY_REGION);
      expect(outage.resources.length).to.be.greaterThan(0);
    });

    it("keeps the secondary's record SECONDARY: the region switch and health checks move DNS, not pulumi up", () => {
      expect(failoverType(outage)).to.deep.equal(["SECONDARY"]);
    });

    it("warns once, naming both values and that the primary and links files need updating once the primary region is back", () => {
      const warning = outage.warnings.filter((w) => w.includes("dr:activeRegion"));
      expect(warning).to.have.length(1);
      expect(warning[0]).to.contain(`is ${SECONDARY_REGION} in this stack`).and.contain(`last deployed with ${PRIMARY_REGION}`)
        .and.contain(`Once ${PRIMARY_REGION} is back`).and.contain("primary and links files").and.contain(`pulumi config set dr:activeRegion ${SECONDARY_REGION}`);
    });
  });
});
