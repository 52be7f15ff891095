import { expect } from "chai";
import { capacityFor } from "../components/compute/capacity";
import { parseStackConfig } from "../stacks/configSchema";
import { Evaluation } from "../src/engine/evaluate";
import { deploymentFor } from "./harness/deployments";
import { givenStackFile, resourcesOf } from "./harness/stack";

/** The secondary's capacity follows the strategy; the code path does not change. */
describe("secondary capacity by DR strategy", () => {
  const evaluations: Record<string, { primary: Evaluation; secondary: Evaluation }> = {};
  const strategies = ["pilot-light", "warm-standby"] as const;
  before(async () => {
    for (const strategy of strategies) evaluations[strategy] = await deploymentFor(strategy);
  });

  const groups = (ev: Evaluation) => Object.fromEntries(resourcesOf(ev, "aws:autoscaling/group:Group").map((g) => [/-web-/.test(g.name) ? "web" : "app", g.inputs]));

  it("pilot light: both tiers stand at zero instances but may scale to the configured maximum", () => {
    const configured = JSON.parse(givenStackFile("secondary")["dr:capacity"]);
    const g = groups(evaluations["pilot-light"].secondary);
    expect(g.web).to.include({ minSize: 0, desiredCapacity: 0, maxSize: configured.web.max });
    expect(g.app).to.include({ minSize: 0, desiredCapacity: 0, maxSize: configured.app.max });
  });

  it("pilot light: a headless Aurora secondary, a cluster joined to the global database with no instances", () => {
    const secondary = evaluations["pilot-light"].secondary;
    expect(resourcesOf(secondary, "aws:rds/cluster:Cluster")).to.have.length(1);
    expect(resourcesOf(secondary, "aws:rds/clusterInstance:ClusterInstance")).to.deep.equal([]);
  });

  it("warm standby: a scaled-down fleet of at least one instance per tier, and one reader", () => {
    const config = parseStackConfig(givenStackFile("secondary"), "secondary");
    const g = groups(evaluations["warm-standby"].secondary);
    for (const tier of ["web", "app"] as const) {
      const expected = capacityFor("warm-standby", "secondary", config.capacity[tier], config.azCount, tier);
      expect(g[tier].desiredCapacity).to.equal(expected.desired).and.be.at.least(1).and.below(config.capacity[tier].desired);
    }
    expect(resourcesOf(evaluations["warm-standby"].secondary, "aws:rds/clusterInstance:ClusterInstance")).to.have.length(1);
  });

  it("warm standby: every Auto Scaling group of the secondary has a stopped warm pool that prepares full capacity", () => {
    const configured = JSON.parse(givenStackFile("secondary")["dr:capacity"]);
    const all = resourcesOf(evaluations["warm-standby"].secondary, "aws:autoscaling/group:Group");
    expect(all).to.have.length(2);
    for (const g of all) {
      const pool = g.inputs.warmPool as { maxGroupPreparedCapacity: number };
      const tier = /-web-/.test(g.name) ? "web" : "app";
      expect(g.inputs.warmPool, g.name).to.deep.include({ poolState: "Stopped", maxGroupPreparedCapacity: configured[tier].desired, minSize: 0 });
      // AWS sizes the pool as prepared capacity minus desired: it must hold what scale-out to full size adds.
      expect(pool.maxGroupPreparedCapacity - Number(g.inputs.desiredCapacity)).to.be.at.least(1);
      expect(pool.maxGroupPreparedCapacity).to.be.at.most(Number(g.inputs.maxSize));
    }
  });

  it("no warm pool on the primary, nor on pilot light unless it opts in", () => {
    for (const strategy of strategies) for (const g of resourcesOf(evaluations[strategy].primary, "aws:autoscaling/group:Group")) expect(g.inputs.warmPool, g.name).to.equal(undefined);
    for (const g of resourcesOf(evaluations["pilot-light"].secondary, "aws:autoscaling/group:Group")) expect(g.inputs.warmPool, g.name).to.equal(undefined);
  });

  it("target groups check every 5 s and admit a recovered target after 2 passes (ALB minimums), in both stacks", () => {
    for (const ev of [evaluations["warm-standby"].primary, evaluations["warm-standby"].secondary]) {
      for (const tg of resourcesOf(ev, "aws:lb/targetGroup:TargetGroup")) {
        const hc = tg.inputs.healthCheck as { interval: number; timeout: number };
        expect(hc, tg.name).to.include({ interval: 5, healthyThreshold: 2, unhealthyThreshold: 3 });
        expect(hc.timeout).to.be.below(hc.interval);
      }
    }
  });

  it("the primary runs full capacity whatever the strategy", () => {
    const configured = JSON.parse(givenStackFile("primary")["dr:capacity"]);
    for (const strategy of strategies) expect(groups(evaluations[strategy].primary).web.desiredCapacity).to.equal(configured.web.desired);
  });

  it("no security group in either stack opens a port but 80/443 to the internet, and only on the web ALB", () => {
    for (const { primary, secondary } of Object.values(evaluations)) {
      for (const ev of [primary, secondary]) {
        const groupsById = new Map(resourcesOf(ev, "aws:ec2/securityGroup:SecurityGroup").map((g) => [g.inputs.name ?? g.name, g]));
        const open = resourcesOf(ev, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0" || r.inputs.cidrIpv6 === "::/0");
        expect(open.length).to.be.greaterThan(0);
        for (const rule of open) {
          expect([80, 443], `${ev.stack} ${rule.name}`).to.include(rule.inputs.fromPort);
          expect(rule.inputs.toPort).to.equal(rule.inputs.fromPort);
          expect(rule.name, `${ev.stack} ${rule.name}`).to.match(/web-alb/);
        }
        // Inline rules would bypass the check above: there must be none.
        for (const g of groupsById.values()) expect(g.inputs.ingress ?? [], g.name).to.deep.equal([]);
      }
    }
  });
});
