import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { AccessLogBucket, ELB_LOG_DELIVERY_SERVICE, elbLogDeliveryPrincipal, validateAccessLogBucketArgs } from "../components/storage/accessLogBucket";
import { SecurityGroupChain, validateSecurityGroupChainArgs } from "../components/network/securityChain";
import { ServiceTier, ServiceTierArgs, validateServiceTierArgs, validationDomains } from "../components/compute/serviceTier";
import { evaluateStack, Evaluation, RecordedResourceWithRegion } from "../src/engine/evaluate";
import { MOCK_ACCOUNT_ID } from "../src/engine/mockCloud";
import { KNOWN_REGIONS } from "../components/regions";
import { oneOf, resourcesOf } from "./harness/stack";

const REGION = "us-east-1";
const AZS = ["us-east-1a", "us-east-1b", "us-east-1c"];
const PUBLIC_SUBNETS = ["subnet-0pub0a", "subnet-0pub0b", "subnet-0pub0c"];
const PRIVATE_SUBNETS = ["subnet-0prv0a", "subnet-0prv0b", "subnet-0prv0c"];
const AMI = "ami-0123456789abcdef0";
const EBS_KEY = "arn:aws:kms:us-east-1:123456789012:key/mrk-ebs";
const SECRETS_KEY = "arn:aws:kms:us-east-1:123456789012:key/mrk-secrets";
const SECRETS = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-GhIjKl"];
const ZONE = "Z0123456789ABCDEFGHIJ";
const DB_PORT = 5432;
const WEB_HEALTH = { path: "/status", intervalSeconds: 10 };
const WEB_GRACE = 240;
const APP_ENDPOINT = "app.internal.example.com";
/** Stack tags a caller passes for instances and volumes; "Name" must not win over the tier's own. */
const LAUNCH_TAGS = { team: "platform", "cost-center": "4711", Name: "not-this" };
/** ELB's log-delivery account for us-east-1, from the ELB guide's table of pre-August-2022 regions. */
const US_EAST_1_ELB_ACCOUNT = "127311923021";
/** Regions AWS opened in or after August 2022: their ALBs deliver logs as the service principal. */
const NEW_REGIONS = ["me-central-1", "eu-central-2", "eu-south-2", "ap-south-2", "ap-southeast-4", "il-central-1", "ca-west-1", "mx-central-1", "ap-southeast-5", "ap-southeast-7"];

type Json = Record<string, any>;

function baseArgs(overrides: Partial<ServiceTierArgs> = {}): ServiceTierArgs {
  return {
    tier: "web",
    internetFacing: true,
    region: REGION,
    vpcId: "vpc-0abc",
    loadBalancerSubnetIds: PUBLIC_SUBNETS,
    instanceSubnetIds: PRIVATE_SUBNETS,
    availabilityZones: AZS,
    loadBalancerSecurityGroupId: "sg-0alb",
    instanceSecurityGroupId: "sg-0inst",
    amiId: AMI,
    instanceType: "t3.medium",
    capacity: { min: 3, desired: 3, max: 9 },
    certificate: { domainName: "app.example.com", hostedZoneId: ZONE },
    accessLogBucket: "logs-bucket",
    ebsKmsKeyArn: EBS_KEY,
    ...overrides,
  };
}

describe("service tiers, security-group chain and access-log bucket (us-east-1)", () => {
  let ev: Evaluation;
  let badTierError = "";
  const outputsOf = (type: string, name: string): Json => ev.componentOutputs.get(oneOf(ev, type, new RegExp(`^${name}$`)).urn) ?? {};
  const tierOut = (tier: string) => outputsOf("dr:compute:ServiceTier", tier);
  const chainOut = () => outputsOf("dr:network:SecurityGroupChain", "chain");
  const tierRes = (type: string, tier: string) => resourcesOf(ev, type, new RegExp(`^${tier}-`));
  const oneTierRes = (type: string, tier: string) => {
    const found = tierRes(type, tier);
    expect(found, `${type} of ${tier}`).to.have.length(1);
    return found[0];
  };

  before(async () => {
    ev = await evaluateStack({
      stack: "service-tier-test",
      config: {},
      program: async () => {
        const provider = new aws.Provider("p", { region: REGION });
        const chain = new SecurityGroupChain("chain", { vpcId: "vpc-0abc", databasePort: DB_PORT }, { provider });
        const logs = new AccessLogBucket("logs", { region: REGION }, { provider });
        const shared = {
          region: REGION, vpcId: "vpc-0abc", instanceSubnetIds: PRIVATE_SUBNETS, availabilityZones: AZS, amiId: AMI,
          instanceType: "t3.medium", capacity: { min: 3, desired: 3, max: 9 }, accessLogBucket: logs.bucketName, ebsKmsKeyArn: EBS_KEY,
        };
        new ServiceTier("web", {
          ...shared, tier: "web", internetFacing: true, loadBalancerSubnetIds: PUBLIC_SUBNETS,
          loadBalancerSecurityGroupId: chain.webAlbSecurityGroupId, instanceSecurityGroupId: chain.webInstancesSecurityGroupId,
          certificate: { domainName: "app.example.com", subjectAlternativeNames: ["www.app.example.com"], hostedZoneId: ZONE },
          healthCheck: WEB_HEALTH, healthCheckGracePeriodSeconds: WEB_GRACE, secretArns: SECRETS, secretsKmsKeyArn: SECRETS_KEY,
          launchTags: LAUNCH_TAGS,
        }, { provider });
        new ServiceTier("app", {
          ...shared, tier: "app", internetFacing: false, loadBalancerSubnetIds: PRIVATE_SUBNETS,
          loadBalancerSecurityGroupId: chain.appAlbSecurityGroupId, instanceSecurityGroupId: chain.appInstancesSecurityGroupId,
          certificate: { domainName: "app.internal.example.com", hostedZoneId: ZONE }, endpointName: APP_ENDPOINT,
        }, { provider });
        try {
          new ServiceTier("bad", baseArgs({ amiId: "" }), { provider });
        } catch (err) {
          badTierError = (err as Error).message;
        }
      },
    });
  });

  describe("launch template and Auto Scaling group", () => {
    it("requires IMDSv2 with a hop limit of 1 on both tiers", () => {
      for (const tier of ["web", "app"]) {
        const md = oneTierRes("aws:ec2/launchTemplate:LaunchTemplate", tier).inputs.metadataOptions as Json;
        expect(md, tier).to.include({ httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" });
      }
    });

    it("encrypts the root volume (gp3) with the given KMS key, on the AMI's root device", () => {
      for (const tier of ["web", "app"]) {
        const mappings = oneTierRes("aws:ec2/launchTemplate:LaunchTemplate", tier).inputs.blockDeviceMappings as Json[];
        expect(mappings, tier).to.have.length(1);
        // The mock cloud reports /dev/xvda as the AMI's root device name.
        expect(mappings[0].deviceName).to.equal("/dev/xvda");
        expect(mappings[0].ebs).to.include({ encrypted: "true", kmsKeyId: EBS_KEY, volumeType: "gp3" });
      }
    });

    it("gives instances no public IP and only their tier's instance security group", () => {
      const sgs = chainOut();
      for (const [tier, sg] of [["web", sgs.webInstancesSecurityGroupId], ["app", sgs.appInstancesSecurityGroupId]]) {
        const lt = oneTierRes("aws:ec2/launchTemplate:LaunchTemplate", tier).inputs;
        const nics = lt.networkInterfaces as Json[];
        expect(nics, tier).to.have.length(1);
        expect(nics[0].associatePublicIpAddress).to.equal("false");
        expect(nics[0].securityGroups).to.deep.equal([sg]);
        expect(lt.imageId).to.equal(AMI);
        expect(lt.updateDefaultVersion).to.equal(true);
        expect((lt.monitoring as Json).enabled).to.equal(true);
      }
    });

    it("spans exactly the given private subnets with ELB health checks and the grace period", () => {
      const web = oneTierRes("aws:autoscaling/group:Group", "web").inputs;
      const app = oneTierRes("aws:autoscaling/group:Group", "app").inputs;
      for (const asg of [web, app]) {
        expect(asg.vpcZoneIdentifiers).to.deep.equal(PRIVATE_SUBNETS);
        expect(asg.healthCheckType).to.equal("ELB");
        expect(asg).to.include({ minSize: 3, desiredCapacity: 3, maxSize: 9 });
      }
      expect(web.healthCheckGracePeriod).to.equal(WEB_GRACE);
      expect(app.healthCheckGracePeriod).to.equal(300);
    });

    it("runs the latest launch template, attaches the target group and refreshes rolling at 90% healthy", () => {
      for (const tier of ["web", "app"]) {
        const asg = oneTierRes("aws:autoscaling/group:Group", tier).inputs;
        // A concrete version number: "$Latest" never changes, so no instance refresh would ever start.
        expect(asg.launchTemplate, tier).to.deep.include({ id: tierOut(tier).launchTemplateId });
        expect((asg.launchTemplate as Json).version, tier).to.match(/^[1-9]\d*$/);
        const tgs = asg.targetGroupArns as string[];
        expect(tgs).to.have.length(1);
        expect(tgs[0].endsWith(tierOut(tier).targetGroupArnSuffix)).to.equal(true);
        expect(asg.instanceRefresh).to.deep.include({ strategy: "Rolling" });
        expect((asg.instanceRefresh as Json).preferences.minHealthyPercentage).to.equal(90);
        expect(asg.enabledMetrics).to.include("GroupInServiceInstances");
      }
    });

    it("leaves desiredCapacity to drills and target tracking, but keeps min and max managed", () => {
      for (const tier of ["web", "app"]) {
        const asg = oneTierRes("aws:autoscaling/group:Group", tier);
        expect(asg.ignoreChanges, tier).to.include("desiredCapacity");
        expect(asg.ignoreChanges, tier).to.not.include.members(["minSize"]);
        expect(asg.ignoreChanges, tier).to.not.include.members(["maxSize"]);
      }
    });

    it("tags instances and volumes with the caller's launch tags and the tier's own Name and dr:tier", () => {
      const specs = oneTierRes("aws:ec2/launchTemplate:LaunchTemplate", "web").inputs.tagSpecifications as Json[];
      for (const type of ["instance", "volume"]) {
        const spec = specs.find((x) => x.resourceType === type);
        expect(spec, type).to.not.equal(undefined);
        expect(spec!.tags, type).to.deep.equal({ team: LAUNCH_TAGS.team, "cost-center": LAUNCH_TAGS["cost-center"], Name: "web", "dr:tier": "web" });
      }
    });

    it("scales on average CPU with a target-tracking policy on its own group", () => {
      for (const tier of ["web", "app"]) {
        const policy = oneTierRes("aws:autoscaling/policy:Policy", tier).inputs;
        expect(policy.policyType).to.equal("TargetTrackingScaling");
        expect(policy.autoscalingGroupName).to.equal(tierOut(tier).autoScalingGroupName);
        const tt = policy.targetTrackingConfiguration as Json;
        expect(tt.predefinedMetricSpecification.predefinedMetricType).to.equal("ASGAverageCPUUtilization");
        expect(tt.targetValue).to.equal(50);
      }
    });
  });

  describe("load balancers and listeners", () => {
    it("makes the web ALB internet-facing in public subnets and the app ALB internal in private ones", () => {
      const web = oneTierRes("aws:lb/loadBalancer:LoadBalancer", "web").inputs;
      const app = oneTierRes("aws:lb/loadBalancer:LoadBalancer", "app").inputs;
      expect(web.internal).to.equal(false);
      expect(web.subnets).to.deep.equal(PUBLIC_SUBNETS);
      expect(web.securityGroups).to.deep.equal([chainOut().webAlbSecurityGroupId]);
      expect(app.internal).to.equal(true);
      expect(app.subnets).to.deep.equal(PRIVATE_SUBNETS);
      expect(app.securityGroups).to.deep.equal([chainOut().appAlbSecurityGroupId]);
    });

    it("drops invalid headers, protects against deletion and logs to the access-log bucket under the tier's prefix", () => {
      const bucketName = outputsOf("dr:storage:AccessLogBucket", "logs").bucketName;
      expect(bucketName).to.be.a("string").and.not.equal("");
      for (const tier of ["web", "app"]) {
        const lb = oneTierRes("aws:lb/loadBalancer:LoadBalancer", tier).inputs;
        expect(lb, tier).to.include({ dropInvalidHeaderFields: true, enableDeletionProtection: true, loadBalancerType: "application" });
        expect(lb.accessLogs).to.deep.equal({ bucket: bucketName, prefix: tier, enabled: true });
      }
    });

    it("creates each load balancer only after the bucket policy that lets ELB write its test object", () => {
      const policy = oneOf(ev, "aws:s3/bucketPolicy:BucketPolicy");
      for (const tier of ["web", "app"]) {
        expect(oneTierRes("aws:lb/loadBalancer:LoadBalancer", tier).dependsOn, tier).to.include(policy.urn);
      }
    });

    it("gives the web ALB an HTTP listener whose only action is a 301 redirect to HTTPS, and the app ALB none", () => {
      const webHttp = tierRes("aws:lb/listener:Listener", "web").filter((l) => l.inputs.protocol === "HTTP");
      expect(webHttp).to.have.length(1);
      expect(webHttp[0].inputs.port).to.equal(80);
      expect(webHttp[0].inputs.defaultActions).to.deep.equal([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
      expect(tierRes("aws:lb/listener:Listener", "app").filter((l) => l.inputs.protocol !== "HTTPS")).to.deep.equal([]);
    });

    it("serves HTTPS on 443 with the validated certificate and a TLS 1.3 policy, forwarding to the tier's target group", () => {
      for (const tier of ["web", "app"]) {
        const https = tierRes("aws:lb/listener:Listener", tier).filter((l) => l.inputs.protocol === "HTTPS");
        expect(https, tier).to.have.length(1);
        const l = https[0].inputs;
        expect(l.port).to.equal(443);
        expect(l.loadBalancerArn).to.equal(tierOut(tier).loadBalancerArn);
        expect(l.certificateArn).to.equal(tierOut(tier).certificateArn);
        expect(l.certificateArn).to.equal(oneTierRes("aws:acm/certificateValidation:CertificateValidation", tier).inputs.certificateArn);
        expect(l.sslPolicy).to.equal("ELBSecurityPolicy-TLS13-1-2-2021-06");
        const actions = l.defaultActions as Json[];
        expect(actions).to.have.length(1);
        expect(actions[0].type).to.equal("forward");
        expect(String(actions[0].targetGroupArn).endsWith(tierOut(tier).targetGroupArnSuffix)).to.equal(true);
      }
    });

    it("health-checks targets over HTTP on the instance port with the given path, interval and thresholds", () => {
      const web = oneTierRes("aws:lb/targetGroup:TargetGroup", "web").inputs;
      const app = oneTierRes("aws:lb/targetGroup:TargetGroup", "app").inputs;
      for (const tg of [web, app]) {
        expect(tg).to.include({ protocol: "HTTP", port: 8080, deregistrationDelay: 30, targetType: "instance" });
        const hc = tg.healthCheck as Json;
        expect(hc.timeout).to.be.below(hc.interval);
        expect(hc).to.include({ healthyThreshold: 2, unhealthyThreshold: 3, enabled: true });
      }
      expect(web.healthCheck).to.include({ path: WEB_HEALTH.path, interval: WEB_HEALTH.intervalSeconds });
      // Defaults are the ALB's minimums (interval 5 s, healthy threshold 2) so a started instance serves fast.
      expect(app.healthCheck).to.include({ path: "/healthz", interval: 5, healthyThreshold: 2 });
    });
  });

  describe("certificates", () => {
    it("validates by DNS with one overwritable record per name, so both regions' stacks can declare it", () => {
      const cert = oneTierRes("aws:acm/certificate:Certificate", "web").inputs;
      expect(cert.validationMethod).to.equal("DNS");
      const records = tierRes("aws:route53/record:Record", "web").filter((r) => r.inputs.type === "CNAME");
      expect(records.map((r) => r.name).sort()).to.deep.equal(["web-cert-validation-app.example.com", "web-cert-validation-www.app.example.com"]);
      for (const r of [...records, ...tierRes("aws:route53/record:Record", "app").filter((x) => x.inputs.type !== "A")]) {
        expect(r.inputs.allowOverwrite, r.name).to.equal(true);
        expect(r.inputs.zoneId).to.equal(ZONE);
        expect(r.inputs.type).to.equal("CNAME");
      }
    });

    it("keeps every validation record when a stack is destroyed, since the other region renews through it", () => {
      const cnames = resourcesOf(ev, "aws:route53/record:Record").filter((r) => r.inputs.type === "CNAME");
      expect(cnames.length).to.be.at.least(3);
      for (const r of cnames) expect(r.retainOnDelete, r.name).to.equal(true);
    });

    it("publishes the endpoint name as an alias of the tier's own load balancer, in the certificate's zone", () => {
      const alias = tierRes("aws:route53/record:Record", "app").filter((r) => r.inputs.type === "A");
      expect(alias).to.have.length(1);
      expect(alias[0].inputs).to.include({ name: APP_ENDPOINT, zoneId: ZONE, allowOverwrite: false });
      expect(alias[0].inputs.aliases).to.deep.equal([{ name: tierOut("app").loadBalancerDnsName, zoneId: tierOut("app").loadBalancerZoneId, evaluateTargetHealth: true }]);
      expect(tierOut("app").endpointName).to.equal(APP_ENDPOINT);
      expect(tierRes("aws:route53/record:Record", "web").filter((r) => r.inputs.type === "A")).to.deep.equal([]);
    });

    it("waits for validation through every record's FQDN", () => {
      const validation = oneTierRes("aws:acm/certificateValidation:CertificateValidation", "web").inputs;
      const names = tierRes("aws:route53/record:Record", "web").map((r) => String(r.inputs.name).replace(/\.$/, "")).sort();
      expect([...(validation.validationRecordFqdns as string[])].sort()).to.deep.equal(names);
    });

    it("folds a wildcard into its apex's validation record (ACM gives both the same record)", () => {
      const cases: [string, string[], string[]][] = [
        ["example.com", ["*.example.com"], ["example.com"]],
        ["*.example.com", [], ["*.example.com"]],
        ["a.example.com", ["b.example.com", "a.example.com"], ["a.example.com", "b.example.com"]],
        ["*.x.example.com", ["x.example.com"], ["x.example.com"]],
      ];
      for (const [domainName, sans, expected] of cases) {
        expect(validationDomains({ domainName, subjectAlternativeNames: sans, hostedZoneId: ZONE }), domainName).to.deep.equal(expected);
      }
    });
  });

  describe("instance IAM", () => {
    const policyOf = (tier: string) => JSON.parse(String(oneTierRes("aws:iam/rolePolicy:RolePolicy", tier).inputs.policy)) as { Statement: Json[] };

    it("lets EC2 assume the role and attaches SSM core access", () => {
      for (const tier of ["web", "app"]) {
        const trust = JSON.parse(String(oneTierRes("aws:iam/role:Role", tier).inputs.assumeRolePolicy));
        expect(trust.Statement).to.deep.equal([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
        expect(oneTierRes("aws:iam/rolePolicyAttachment:RolePolicyAttachment", tier).inputs.policyArn).to.equal("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
      }
    });

    it("grants reading exactly the given secrets, and KMS decrypt only through Secrets Manager in the region", () => {
      const statements = policyOf("web").Statement;
      const read = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith("secretsmanager:")));
      expect(read).to.have.length(1);
      expect(read[0].Resource).to.deep.equal(SECRETS);
      expect([read[0].Action].flat().sort()).to.deep.equal(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]);
      const kms = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith("kms:")));
      expect(kms).to.have.length(1);
      expect(kms[0].Resource).to.equal(SECRETS_KEY);
      expect(kms[0].Condition).to.deep.equal({ StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } });
    });

    it("gives a tier without secrets no inline policy at all", () => {
      expect(tierRes("aws:iam/rolePolicy:RolePolicy", "app")).to.deep.equal([]);
    });

    it("has no wildcard action or resource in any inline IAM policy", () => {
      const policies = resourcesOf(ev, "aws:iam/rolePolicy:RolePolicy");
      expect(policies.length).to.be.greaterThan(0);
      for (const p of policies) {
        for (const s of JSON.parse(String(p.inputs.policy)).Statement as Json[]) {
          for (const a of [s.Action].flat() as string[]) expect(a, p.name).to.not.include("*");
          for (const r of [s.Resource].flat() as string[]) expect(r, p.name).to.not.include("*");
        }
      }
    });
  });

  describe("security-group chain", () => {
    const rules = (kind: "Ingress" | "Egress") => resourcesOf(ev, `aws:vpc/securityGroup${kind}Rule:SecurityGroup${kind}Rule`);
    const sg = (role: string) => chainOut()[`${role}SecurityGroupId`] as string;
    const rulesOf = (kind: "Ingress" | "Egress", role: string) => rules(kind).filter((r) => r.inputs.securityGroupId === sg(role));
    const summary = (r: RecordedResourceWithRegion) => ({
      port: r.inputs.fromPort, toPort: r.inputs.toPort, protocol: r.inputs.ipProtocol,
      peer: r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6,
    });

    it("opens nothing to 0.0.0.0/0 or ::/0 but ports 80 and 443 on the web ALB's group", () => {
      const open = rules("Ingress").filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0" || r.inputs.cidrIpv6 === "::/0");
      expect(open.length).to.be.greaterThan(0);
      for (const r of open) {
        expect(r.inputs.securityGroupId, r.name).to.equal(sg("webAlb"));
        expect([80, 443], r.name).to.include(r.inputs.fromPort);
        expect(r.inputs.toPort, r.name).to.equal(r.inputs.fromPort);
      }
      // Both address families reach both ports.
      expect(open.map((r) => `${r.inputs.fromPort}/${r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6}`).sort()).to.deep.equal(["443/0.0.0.0/0", "443/::/0", "80/0.0.0.0/0", "80/::/0"]);
    });

    it("admits every tier only from the hop before it, on that hop's port", () => {
      expect(rulesOf("Ingress", "webInstances").map(summary)).to.deep.equal([{ port: 8080, toPort: 8080, protocol: "tcp", peer: sg("webAlb") }]);
      expect(rulesOf("Ingress", "appAlb").map(summary)).to.deep.equal([{ port: 443, toPort: 443, protocol: "tcp", peer: sg("webInstances") }]);
      expect(rulesOf("Ingress", "appInstances").map(summary)).to.deep.equal([{ port: 8080, toPort: 8080, protocol: "tcp", peer: sg("appAlb") }]);
      expect(rulesOf("Ingress", "database").map(summary)).to.deep.equal([{ port: DB_PORT, toPort: DB_PORT, protocol: "tcp", peer: sg("appInstances") }]);
    });

    it("narrows egress to the next hop (plus HTTPS out for instances) and gives the database none", () => {
      expect(rulesOf("Egress", "webAlb").map(summary)).to.deep.equal([{ port: 8080, toPort: 8080, protocol: "tcp", peer: sg("webInstances") }]);
      expect(rulesOf("Egress", "appAlb").map(summary)).to.deep.equal([{ port: 8080, toPort: 8080, protocol: "tcp", peer: sg("appInstances") }]);
      const byPeer = (a: Json, b: Json) => String(a.peer).localeCompare(String(b.peer));
      expect(rulesOf("Egress", "webInstances").map(summary).sort(byPeer)).to.deep.equal([
        { port: 443, toPort: 443, protocol: "tcp", peer: "0.0.0.0/0" },
        { port: 443, toPort: 443, protocol: "tcp", peer: sg("appAlb") },
      ].sort(byPeer));
      expect(rulesOf("Egress", "appInstances").map(summary).sort(byPeer)).to.deep.equal([
        { port: 443, toPort: 443, protocol: "tcp", peer: "0.0.0.0/0" },
        { port: DB_PORT, toPort: DB_PORT, protocol: "tcp", peer: sg("database") },
      ].sort(byPeer));
      expect(rulesOf("Egress", "database")).to.deep.equal([]);
    });

    it("declares every rule as its own described resource and no inline rules on the groups", () => {
      const groups = resourcesOf(ev, "aws:ec2/securityGroup:SecurityGroup");
      expect(groups).to.have.length(5);
      for (const g of groups) {
        expect(g.inputs.revokeRulesOnDelete, g.name).to.equal(true);
        expect(g.inputs.vpcId).to.equal("vpc-0abc");
        expect(g.inputs.description).to.be.a("string").and.not.equal("");
        expect(g.inputs.ingress ?? []).to.deep.equal([]);
        expect(g.inputs.egress ?? []).to.deep.equal([]);
      }
      for (const r of [...rules("Ingress"), ...rules("Egress")]) expect(r.inputs.description, r.name).to.be.a("string").and.not.equal("");
    });
  });

  describe("access-log bucket", () => {
    it("uses SSE-S3 (AES256), never aws:kms, which ELB log delivery cannot write to", () => {
      const sse = oneOf(ev, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs;
      const rules = sse.rules as Json[];
      expect(rules.map((r) => r.applyServerSideEncryptionByDefault.sseAlgorithm)).to.deep.equal(["AES256"]);
      expect(JSON.stringify(sse)).to.not.include("aws:kms");
    });

    it("blocks public access, enforces bucket ownership, expires logs after 90 days and survives a careless destroy", () => {
      expect(oneOf(ev, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      expect((oneOf(ev, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule as Json).objectOwnership).to.equal("BucketOwnerEnforced");
      const lifecycle = (oneOf(ev, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as Json[]);
      expect(lifecycle.map((r) => r.expiration.days)).to.deep.equal([90]);
      expect(oneOf(ev, "aws:s3/bucket:Bucket").inputs.forceDestroy).to.equal(false);
    });

    it("lets only us-east-1's ELB account put this account's logs under the tiers' prefixes, and denies plain HTTP", () => {
      // A document object (known at preview but for the ARNs), not JSON text.
      const policy = oneOf(ev, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy as { Statement: Json[] };
      const bucketArn = outputsOf("dr:storage:AccessLogBucket", "logs").bucketArn;
      const allow = policy.Statement.filter((s) => s.Effect === "Allow");
      expect(allow).to.have.length(1);
      expect(allow[0].Principal).to.deep.equal({ AWS: `arn:aws:iam::${US_EAST_1_ELB_ACCOUNT}:root` });
      expect(allow[0].Action).to.equal("s3:PutObject");
      expect([...allow[0].Resource].sort()).to.deep.equal(["app", "web"].map((p) => `${bucketArn}/${p}/AWSLogs/${MOCK_ACCOUNT_ID}/*`));
      const deny = policy.Statement.filter((s) => s.Effect === "Deny");
      expect(deny).to.have.length(1);
      expect(deny[0].Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
    });

    it("names the regional ELB account in older regions and the log-delivery service in regions opened since August 2022", () => {
      const table: [string, Json][] = [
        ["us-east-1", { AWS: "arn:aws:iam::127311923021:root" }],
        ["us-west-2", { AWS: "arn:aws:iam::797873946194:root" }],
        ["eu-west-1", { AWS: "arn:aws:iam::156460612806:root" }],
        ["ap-southeast-3", { AWS: "arn:aws:iam::589379963580:root" }],
        ...NEW_REGIONS.map((r): [string, Json] => [r, { Service: ELB_LOG_DELIVERY_SERVICE }]),
      ];
      for (const [region, principal] of table) expect(elbLogDeliveryPrincipal(region), region).to.deep.equal(principal);
      const older = KNOWN_REGIONS.filter((r) => !NEW_REGIONS.includes(r));
      for (const region of older) expect(elbLogDeliveryPrincipal(region), region).to.have.property("AWS").that.matches(/^arn:aws:iam::\d{12}:root$/);
    });
  });

  describe("validation", () => {
    const problemsOf = (args: ServiceTierArgs): string => {
      try {
        validateServiceTierArgs(args);
      } catch (err) {
        return (err as Error).message;
      }
      return "";
    };

    it("accepts an endpoint name the certificate covers, directly or by a one-level wildcard", () => {
      expect(problemsOf(baseArgs({ endpointName: "app.example.com" }))).to.equal("");
      expect(problemsOf(baseArgs({ certificate: { domainName: "*.example.com", hostedZoneId: ZONE }, endpointName: "app.example.com" }))).to.equal("");
    });

    it("accepts the base arguments, including zero capacity for a pilot light", () => {
      expect(problemsOf(baseArgs())).to.equal("");
      expect(problemsOf(baseArgs({ capacity: { min: 0, desired: 0, max: 0 } }))).to.equal("");
      expect(problemsOf(baseArgs({ tier: "app", internetFacing: false }))).to.equal("");
    });

    it("names the input, its value and the fix for each bad argument", () => {
      const cases: [string, Partial<ServiceTierArgs>, string[]][] = [
        ["one AZ", { availabilityZones: ["us-east-1a"], loadBalancerSubnetIds: ["subnet-a"], instanceSubnetIds: ["subnet-b"] }, ["availabilityZones", "us-east-1a", "at least 2"]],
        ["one instance subnet", { instanceSubnetIds: ["subnet-b"] }, ["instanceSubnetIds", "1 subnet", "at least 2"]],
        ["subnets not one per AZ", { loadBalancerSubnetIds: ["subnet-a", "subnet-b"] }, ["loadBalancerSubnetIds", "2 subnets for 3 AZs", "one subnet per AZ"]],
        ["min above desired", { capacity: { min: 4, desired: 3, max: 9 } }, ["capacity", "min 4, desired 3, max 9", "min <= desired <= max"]],
        ["desired above max", { capacity: { min: 1, desired: 10, max: 9 } }, ["capacity", "desired 10", "min <= desired <= max"]],
        ["negative min", { capacity: { min: -1, desired: 0, max: 1 } }, ["capacity.min", "-1", "0 or more"]],
        ["internal web tier", { tier: "web", internetFacing: false }, ["internetFacing", "false", "internetFacing: true"]],
        ["public app tier", { tier: "app", internetFacing: true }, ["internetFacing", "true", "internetFacing: false"]],
        ["empty AMI", { amiId: "" }, ["amiId", '""', "ami-0123456789abcdef0"]],
        ["relative health-check path", { healthCheck: { path: "healthz" } }, ["healthCheck.path", '"healthz"', 'starting with "/"']],
        ["health-check interval too short", { healthCheck: { intervalSeconds: 2 } }, ["healthCheck.intervalSeconds", "2", "5 to 300"]],
        ["secrets without their key", { secretArns: SECRETS }, ["secretsKmsKeyArn", "2 secret(s)", "pass the KMS key"]],
        ["wildcard secret", { secretArns: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:*"], secretsKmsKeyArn: SECRETS_KEY }, ["secretArns", "secret:*", "without wildcards"]],
        ["bad hosted zone", { certificate: { domainName: "app.example.com", hostedZoneId: "example.com" } }, ["certificate.hostedZoneId", "example.com", "starts with Z"]],
        ["endpoint not on the certificate", { endpointName: "api.example.com" }, ["endpointName", "api.example.com", "not on the certificate", "TLS"]],
        ["endpoint two levels under a wildcard", { certificate: { domainName: "*.example.com", hostedZoneId: ZONE }, endpointName: "a.b.example.com" }, ["endpointName", "a.b.example.com"]],
      ];
      for (const [what, overrides, fragments] of cases) {
        const message = problemsOf(baseArgs(overrides));
        for (const f of fragments) expect(message, what).to.include(f);
      }
    });

    it("reports every problem at once", () => {
      const message = problemsOf(baseArgs({ amiId: "", capacity: { min: 5, desired: 1, max: 2 }, healthCheck: { path: "x" }, availabilityZones: ["us-east-1a"] }));
      for (const input of ["amiId", "capacity", "healthCheck.path", "availabilityZones"]) expect(message).to.include(input);
    });

    it("registers nothing when a tier is given bad arguments", () => {
      expect(badTierError).to.include("ServiceTier: invalid arguments").and.include("amiId");
      expect(ev.resources.filter((r) => /^bad(-|$)/.test(r.name))).to.deep.equal([]);
    });

    it("rejects bad chain and bucket arguments with the input, value and fix", () => {
      expect(() => validateSecurityGroupChainArgs({ vpcId: "vpc-1", databasePort: 70000 })).to.throw(/databasePort is 70000; use a whole number from 1 to 65535/);
      expect(() => validateSecurityGroupChainArgs({ vpcId: "vpc-1", databasePort: 5432, httpsPort: 80 })).to.throw(/httpsPort is 80.*use 443/);
      expect(() => validateAccessLogBucketArgs({ region: "useast1" })).to.throw(/region is "useast1".*such as us-east-1/);
      expect(() => validateAccessLogBucketArgs({ region: REGION, expirationDays: 0 })).to.throw(/expirationDays is 0; .*at least 1/);
      expect(() => validateAccessLogBucketArgs({ region: REGION, prefixes: ["web/AWSLogs"] })).to.throw(/prefixes contains "web\/AWSLogs".*without "AWSLogs"/);
      expect(() => validateAccessLogBucketArgs({ region: "cn-north-1" })).to.throw(/cn-north-1.*commercial/);
    });
  });
});
