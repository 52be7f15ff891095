import { expect } from "chai";
import { Evaluation } from "../src/engine/evaluate";
import { givenStackFile, oneOf, resourcesOf } from "./harness/stack";
import { exampleDeployment } from "./harness/deployments";

/** Issue 3's acceptance: the primary stack from Pulumi.primary.yaml, asserted on recorded inputs. */
describe("primary stack: three tiers across AZs (Pulumi.primary.yaml)", () => {
  let ev: Evaluation;
  const config = givenStackFile("primary");
  const azCount = Number(config["dr:azCount"]);
  before(async () => {
    ev = (await exampleDeployment()).primary;
  });

  it("has one internet-facing and one internal application load balancer", () => {
    const albs = resourcesOf(ev, "aws:lb/loadBalancer:LoadBalancer");
    expect(albs.map((a) => a.inputs.internal).sort()).to.deep.equal([false, true]);
    expect(albs.every((a) => a.inputs.loadBalancerType === "application")).to.equal(true);
  });

  it(`has two Auto Scaling groups, each spanning the ${azCount} AZs' private subnets with ELB health checks`, () => {
    const groups = resourcesOf(ev, "aws:autoscaling/group:Group");
    expect(groups).to.have.length(2);
    for (const g of groups) {
      expect(new Set(g.inputs.vpcZoneIdentifiers as string[]).size).to.be.at.least(3);
      expect(g.inputs.healthCheckType).to.equal("ELB");
    }
  });

  it("sizes the primary's tiers exactly as configured", () => {
    const capacity = JSON.parse(config["dr:capacity"]);
    const byName = (tier: string) => oneOf(ev, "aws:autoscaling/group:Group", new RegExp(`-${tier}-`));
    expect(byName("web").inputs).to.include({ minSize: capacity.web.min, desiredCapacity: capacity.web.desired, maxSize: capacity.web.max });
    expect(byName("app").inputs).to.include({ minSize: capacity.app.min, desiredCapacity: capacity.app.desired, maxSize: capacity.app.max });
  });

  it("requires IMDSv2 on every launch template", () => {
    const templates = resourcesOf(ev, "aws:ec2/launchTemplate:LaunchTemplate");
    expect(templates).to.have.length(2);
    for (const t of templates) expect((t.inputs.metadataOptions as Record<string, unknown>).httpTokens).to.equal("required");
  });

  it("runs an Aurora cluster with at least two instances in distinct AZs", () => {
    const cluster = oneOf(ev, "aws:rds/cluster:Cluster");
    const instances = resourcesOf(ev, "aws:rds/clusterInstance:ClusterInstance");
    expect(instances.length).to.be.at.least(2);
    const azs = instances.map((i) => i.inputs.availabilityZone);
    expect(new Set(azs).size).to.equal(instances.length);
    expect(instances.every((i) => i.inputs.clusterIdentifier === cluster.inputs.clusterIdentifier)).to.equal(true);
    expect(cluster.inputs).to.include({ storageEncrypted: true, deletionProtection: true, iamDatabaseAuthenticationEnabled: true });
  });

  it("chains security groups internet -> web ALB -> web -> app ALB -> app -> database", () => {
    const groups = resourcesOf(ev, "aws:ec2/securityGroup:SecurityGroup");
    const rules = resourcesOf(ev, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(groups).to.have.length(5);
    // Only the web ALB admits addresses; every other hop admits a security group, never a range.
    const byCidr = rules.filter((r) => r.inputs.cidrIpv4 || r.inputs.cidrIpv6);
    expect(byCidr.every((r) => /web-alb/.test(r.name))).to.equal(true);
    expect(rules.filter((r) => !r.inputs.cidrIpv4 && !r.inputs.cidrIpv6).every((r) => typeof r.inputs.referencedSecurityGroupId === "string")).to.equal(true);
    // The database admits exactly one source: the app instances' group, on the engine's port.
    const dbRules = rules.filter((r) => /database/.test(r.name));
    expect(dbRules).to.have.length(1);
    expect(dbRules[0].inputs.fromPort).to.equal(5432);
    expect(dbRules[0].inputs.referencedSecurityGroupId).to.be.a("string").and.not.equal("");
    expect(dbRules[0].inputs.cidrIpv4).to.equal(undefined);
  });

  it("alarms on 5xx rate, unhealthy targets, in-service instances and database CPU and memory, to an encrypted topic", () => {
    const topic = oneOf(ev, "aws:sns/topic:Topic", /alarms/);
    expect(String(topic.inputs.kmsMasterKeyId)).to.match(/^arn:aws:kms:us-east-1:/);
    const alarms = resourcesOf(ev, "aws:cloudwatch/metricAlarm:MetricAlarm");
    // Metric-math alarms (5xx rate, in-service capacity) name their metrics in their queries.
    const metrics = alarms.flatMap((a) => a.inputs.metricName ? [a.inputs.metricName] : (a.inputs.metricQueries as { metric?: { metricName: string } }[]).flatMap((q) => (q.metric ? [q.metric.metricName] : [])));
    expect(metrics).to.include.members(["UnHealthyHostCount", "GroupInServiceInstances", "GroupDesiredCapacity", "CPUUtilization", "FreeableMemory", "HTTPCode_ELB_5XX_Count"]);
  });

  it("keeps the global database's engine version on the global cluster, with deletion protection", () => {
    const global = oneOf(ev, "aws:rds/globalCluster:GlobalCluster");
    expect(global.inputs).to.include({ engine: "aurora-postgresql", engineVersion: JSON.parse(config["dr:database"]).engineVersion, deletionProtection: true, storageEncrypted: true });
    expect(oneOf(ev, "aws:rds/cluster:Cluster").inputs.globalClusterIdentifier).to.equal(global.inputs.globalClusterIdentifier);
  });

  it("creates no Auto Scaling service-linked role unless asked (it is account-wide; most accounts have it)", () => {
    expect(resourcesOf(ev, "aws:iam/serviceLinkedRole:ServiceLinkedRole")).to.deep.equal([]);
    const policy = JSON.parse(String(oneOf(ev, "aws:kms/key:Key").inputs.policy)) as { Statement: Array<{ Sid: string; Principal: { AWS?: string } }> };
    const principals = policy.Statement.filter((s) => /AutoScaling/.test(s.Sid)).map((s) => s.Principal.AWS);
    expect(principals).to.have.length(2);
    for (const p of principals) expect(p).to.match(/:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling$/);
  });

  it("generates the master password and passes it to the primary cluster only as a secret", () => {
    expect(oneOf(ev, "aws:rds/cluster:Cluster").inputs.masterPassword).to.equal("[secret]");
    expect(oneOf(ev, "aws:rds/cluster:Cluster").inputs.manageMasterUserPassword).to.equal(undefined);
  });
});
