import { expect } from "chai";
import { availabilityZoneNames } from "../components/regions";
import { Evaluation, RecordedResourceWithRegion } from "../src/engine/evaluate";
import { MOCK_ACCOUNT_ID } from "../src/engine/mockCloud";
import { givenStackFile, oneOf, resourcesOf, whenBothEvaluated } from "./harness/stack";

type Json = Record<string, any>;

/**
 * Issue 8: what AWS and the engine would refuse or break that mocks accept, over both stacks of an
 * active-active pair whose primary creates the Auto Scaling service-linked role, in a cloud where
 * one AZ of the secondary region does not offer the app tier's instance type.
 */
describe("fleet, endpoints and retained keys on real AWS (active-active, fresh account, one AZ short of a type)", () => {
  const strategy = "active-active";
  const primaryConfig = givenStackFile("primary", { "dr:strategy": strategy, "dr:createAutoScalingServiceLinkedRole": true });
  const secondaryConfig = givenStackFile("secondary", { "dr:strategy": strategy });
  const primaryRegion = primaryConfig["aws:region"];
  const secondaryRegion = secondaryConfig["aws:region"];
  const domain = primaryConfig["dr:domain"];
  const appType: string = JSON.parse(secondaryConfig["dr:capacity"]).app.instanceType;
  // The second AZ of the secondary region lacks the app tier's type.
  const missingAz = availabilityZoneNames(secondaryRegion)[1];
  let primary: Evaluation;
  let secondary: Evaluation;
  const both = () => [primary, secondary];

  before(async () => {
    ({ primary, secondary } = await whenBothEvaluated(primaryConfig, secondaryConfig, { unavailableInstanceTypes: [{ instanceType: appType, availabilityZone: missingAz }] }));
  });

  const componentOut = (ev: Evaluation, type: string, name: RegExp): Json => ev.componentOutputs.get(oneOf(ev, type, name).urn) ?? {};
  const network = (ev: Evaluation) => componentOut(ev, "dr:network:RegionalNetwork", /-network$/);
  const chain = (ev: Evaluation) => componentOut(ev, "dr:network:SecurityGroupChain", /-security$/);
  const tierOut = (ev: Evaluation, tier: string) => componentOut(ev, "dr:compute:ServiceTier", new RegExp(`-${tier}$`));
  const tierRes = (ev: Evaluation, type: string, tier: string) => oneOf(ev, type, new RegExp(`-${tier}-`));
  const regional = (ev: Evaluation) => ev.outputs.regional as Json;
  const configOf = (ev: Evaluation) => (ev === primary ? primaryConfig : secondaryConfig);

  describe("Auto Scaling service-linked role (fresh account)", () => {
    // The role AWS names for EC2 Auto Scaling: https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html
    const roleArn = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;

    it("is created once, by the primary, for autoscaling.amazonaws.com, and kept on destroy (account-wide)", () => {
      const role = oneOf(primary, "aws:iam/serviceLinkedRole:ServiceLinkedRole");
      expect(role.inputs.awsServiceName).to.equal("autoscaling.amazonaws.com");
      expect(role.retainOnDelete).to.equal(true);
      expect(resourcesOf(secondary, "aws:iam/serviceLinkedRole:ServiceLinkedRole")).to.deep.equal([]);
    });

    it("comes before every key whose policy names it: the primary key and each replica wait for it", () => {
      const role = oneOf(primary, "aws:iam/serviceLinkedRole:ServiceLinkedRole");
      const keys = [...resourcesOf(primary, "aws:kms/key:Key"), ...resourcesOf(primary, "aws:kms/replicaKey:ReplicaKey")].filter((k) => String(k.inputs.policy).includes("AWSServiceRoleForAutoScaling"));
      expect(keys.length).to.be.at.least(2);
      for (const key of keys) {
        expect(key.dependsOn, key.name).to.include(role.urn);
        const principals = (JSON.parse(String(key.inputs.policy)).Statement as Json[]).filter((s) => /AutoScaling/.test(s.Sid)).map((s) => s.Principal.AWS);
        expect(principals, key.name).to.deep.equal([roleArn, roleArn]);
      }
    });
  });

  describe("AZs that offer the fleet's instance types", () => {
    const vpcAzs = (ev: Evaluation) => oneOf(ev, "awsx:ec2:Vpc").inputs.availabilityZoneNames as string[];

    it(`skips ${missingAz}, which lacks ${appType}, and takes the next AZ that offers every type`, () => {
      const count = Number(secondaryConfig["dr:azCount"]);
      const expected = availabilityZoneNames(secondaryRegion).filter((az) => az !== missingAz).slice(0, count);
      expect(vpcAzs(secondary)).to.deep.equal(expected);
      const instanceAzs = resourcesOf(secondary, "aws:rds/clusterInstance:ClusterInstance").map((i) => i.inputs.availabilityZone);
      expect(instanceAzs).to.not.include(missingAz);
    });

    it("keeps the region's first AZs where every one offers the types", () => {
      expect(vpcAzs(primary)).to.deep.equal(availabilityZoneNames(primaryRegion).slice(0, Number(primaryConfig["dr:azCount"])));
    });
  });

  describe("Auto Scaling groups", () => {
    const groups = (ev: Evaluation) => resourcesOf(ev, "aws:autoscaling/group:Group");

    it("ignore desiredCapacity, so `pulumi up` never undoes a drill's or target tracking's scale-out, but manage min and max", () => {
      for (const ev of both()) {
        expect(groups(ev)).to.have.length(2);
        for (const g of groups(ev)) {
          expect(g.ignoreChanges, `${ev.stack} ${g.name}`).to.include("desiredCapacity");
          expect(g.ignoreChanges.filter((p) => /^(minSize|maxSize)$/.test(p)), `${ev.stack} ${g.name}`).to.deep.equal([]);
          expect(g.inputs.minSize).to.be.a("number");
          expect(g.inputs.maxSize).to.be.a("number");
        }
      }
    });

    it("run a concrete launch-template version and refresh rolling, so a template change starts an instance refresh", () => {
      for (const ev of both()) {
        for (const g of groups(ev)) {
          const lt = g.inputs.launchTemplate as Json;
          expect(lt.version, `${ev.stack} ${g.name}`).to.match(/^[1-9]\d*$/);
          expect(g.inputs.instanceRefresh, g.name).to.deep.include({ strategy: "Rolling" });
        }
      }
    });

    it("tag instances and volumes in the template with every tag of the stack (default tags do not reach them)", () => {
      for (const ev of both()) {
        const config = configOf(ev);
        const expected = { ...JSON.parse(config["dr:tags"]), app: config["dr:appName"], environment: config["dr:environment"], "dr:role": config["dr:role"], "dr:strategy": strategy };
        const provider = resourcesOf(ev, "pulumi:providers:aws").find((p) => p.inputs.region === config["aws:region"])!;
        // Provider config reaches the engine as JSON text.
        const defaultTags = typeof provider.inputs.defaultTags === "string" ? JSON.parse(provider.inputs.defaultTags) : provider.inputs.defaultTags;
        const stackTags = (defaultTags as Json).tags as Record<string, string>;
        expect(stackTags).to.include({ "dr:stack": ev.stack, team: expected.team });
        for (const lt of resourcesOf(ev, "aws:ec2/launchTemplate:LaunchTemplate")) {
          for (const type of ["instance", "volume"]) {
            const tags = (lt.inputs.tagSpecifications as Json[]).find((s) => s.resourceType === type)?.tags;
            expect(tags, `${ev.stack} ${lt.name} ${type}`).to.include(expected);
            expect(tags, `${ev.stack} ${lt.name} ${type}`).to.include(Object.fromEntries(Object.entries(stackTags).filter(([k]) => k !== "Name")));
          }
        }
      }
    });
  });

  describe("subnet tiers and the database's source", () => {
    it("puts the web ALB in the public subnets, the app ALB and both fleets in the private ones, the database in the isolated ones", () => {
      for (const ev of both()) {
        const net = network(ev);
        for (const tier of ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"]) expect(net[tier], `${ev.stack} ${tier}`).to.have.length(Number(configOf(ev)["dr:azCount"]));
        expect(new Set([...net.publicSubnetIds, ...net.privateSubnetIds, ...net.isolatedSubnetIds]).size).to.equal(3 * net.publicSubnetIds.length);
        expect(tierRes(ev, "aws:lb/loadBalancer:LoadBalancer", "web").inputs.subnets, `${ev.stack} web ALB`).to.deep.equal(net.publicSubnetIds);
        expect(tierRes(ev, "aws:lb/loadBalancer:LoadBalancer", "app").inputs.subnets, `${ev.stack} app ALB`).to.deep.equal(net.privateSubnetIds);
        for (const tier of ["web", "app"]) expect(tierRes(ev, "aws:autoscaling/group:Group", tier).inputs.vpcZoneIdentifiers, `${ev.stack} ${tier} ASG`).to.deep.equal(net.privateSubnetIds);
        expect(oneOf(ev, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds, `${ev.stack} DB`).to.deep.equal(net.isolatedSubnetIds);
      }
    });

    it("admits the database only from the group the app instances run in", () => {
      for (const ev of both()) {
        const sgs = chain(ev);
        expect(oneOf(ev, "aws:rds/cluster:Cluster").inputs.vpcSecurityGroupIds).to.deep.equal([sgs.databaseSecurityGroupId]);
        const appNics = tierRes(ev, "aws:ec2/launchTemplate:LaunchTemplate", "app").inputs.networkInterfaces as Json[];
        expect(appNics.map((n) => n.securityGroups)).to.deep.equal([[sgs.appInstancesSecurityGroupId]]);
        const ingress = resourcesOf(ev, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === sgs.databaseSecurityGroupId);
        expect(ingress.map((r) => r.inputs.referencedSecurityGroupId), ev.stack).to.deep.equal([sgs.appInstancesSecurityGroupId]);
      }
    });
  });

  describe("the app tier's name", () => {
    it("points app.<region>.<domain>, the internal certificate's name, at the internal ALB and exports it as appEndpoint", () => {
      for (const ev of both()) {
        const name = `app.${configOf(ev)["aws:region"]}.${domain}`;
        expect(tierRes(ev, "aws:acm/certificate:Certificate", "app").inputs.domainName).to.equal(name);
        const records = resourcesOf(ev, "aws:route53/record:Record").filter((r) => r.inputs.name === name);
        expect(records, ev.stack).to.have.length(1);
        expect(records[0].inputs).to.include({ type: "A", zoneId: configOf(ev)["dr:hostedZoneId"] });
        const app = tierOut(ev, "app");
        expect(app.loadBalancerDnsName).to.match(/^internal-/);
        expect(records[0].inputs.aliases).to.deep.equal([{ name: app.loadBalancerDnsName, zoneId: app.loadBalancerZoneId, evaluateTargetHealth: true }]);
        expect(regional(ev).appEndpoint).to.equal(name);
      }
    });
  });

  describe("Aurora: write forwarding and failover identifiers", () => {
    it("forwards writes from every member, so the old primary forwards once a switchover demotes it", () => {
      // EnableGlobalWriteForwarding on the primary "is used immediately if the primary is demoted by a
      // global cluster API operation, but it does nothing until then"
      // (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html); latency
      // routing keeps sending writes to both regions after a switchover.
      for (const ev of [primary, secondary]) {
        const cluster = oneOf(ev, "aws:rds/cluster:Cluster");
        expect(cluster.inputs.enableGlobalWriteForwarding, ev.stack).to.equal(true);
        expect(cluster.inputs.globalClusterIdentifier, ev.stack).to.be.a("string").and.not.equal("");
      }
    });

    it("exports each member's cluster ARN and the global cluster id that FailoverGlobalCluster takes", () => {
      const globalId = oneOf(primary, "aws:rds/globalCluster:GlobalCluster").inputs.globalClusterIdentifier;
      for (const ev of both()) {
        const cluster = oneOf(ev, "aws:rds/cluster:Cluster");
        expect(regional(ev).dbClusterArn, ev.stack).to.equal(`arn:aws:rds:${cluster.region}:${MOCK_ACCOUNT_ID}:cluster:${cluster.inputs.clusterIdentifier}`);
        expect(regional(ev).dbGlobalClusterIdentifier, ev.stack).to.equal(globalId);
      }
    });
  });

  describe("what outlives a destroy", () => {
    const validationRecords = (ev: Evaluation) => resourcesOf(ev, "aws:route53/record:Record").filter((r) => r.inputs.type === "CNAME");

    it("keeps the shared ACM validation records (either stack may write them, neither deletes them)", () => {
      const shared = validationRecords(primary).filter((r) => validationRecords(secondary).some((s) => s.inputs.name === r.inputs.name));
      expect(shared).to.not.be.empty;
      for (const r of [...validationRecords(primary), ...validationRecords(secondary)]) {
        expect(r.retainOnDelete, r.name).to.equal(true);
        expect(r.inputs.allowOverwrite, r.name).to.equal(true);
      }
    });

    it("keeps the multi-region key and every replica, but not their aliases (a redeploy recreates those)", () => {
      const keys: RecordedResourceWithRegion[] = [oneOf(primary, "aws:kms/key:Key"), ...resourcesOf(primary, "aws:kms/replicaKey:ReplicaKey")];
      expect(keys.map((k) => k.region).sort()).to.deep.equal([primaryRegion, secondaryRegion].sort());
      for (const k of keys) expect(k.retainOnDelete, k.name).to.equal(true);
      for (const a of resourcesOf(primary, "aws:kms/alias:Alias")) expect(a.retainOnDelete, a.name).to.equal(false);
    });
  });
});
