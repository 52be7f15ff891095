import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { toCrossGuard } from "../policy/crossGuard";
import { PILLARS, ResourceView } from "../policy/model";
import { allPolicies, loadPolicies } from "../policy/registry";
import { countByPillar, runPolicies } from "../policy/run";
import {
  accessLogBucketSet, dataBucketSet, KEY_ARN, launchTemplateInputs, messages, policyNamed, primaryClusterInputs, providerInputs, PLATFORM_TAGS,
  REPLICA_KEY_ARN, replicationRule, res, stackOf, violations, webAlbInputs,
} from "./harness/policyResources";

const T = {
  bucket: "aws:s3/bucket:Bucket", replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig", lt: "aws:ec2/launchTemplate:LaunchTemplate",
  lb: "aws:lb/loadBalancer:LoadBalancer", listener: "aws:lb/listener:Listener", cluster: "aws:rds/cluster:Cluster", instance: "aws:rds/clusterInstance:ClusterInstance",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", sg: "aws:ec2/securityGroup:SecurityGroup", record: "aws:route53/record:Record",
  secret: "aws:secretsmanager/secret:Secret", key: "aws:kms/key:Key", replicaKey: "aws:kms/replicaKey:ReplicaKey", asg: "aws:autoscaling/group:Group",
  amiCopy: "aws:ec2/amiCopy:AmiCopy", logGroup: "aws:cloudwatch/logGroup:LogGroup",
};
const without = (o: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
const one = (r: ResourceView) => stackOf([r]);

describe("policy pack", () => {
  describe("registry", () => {
    it("names a Well-Architected pillar and an enforcement level for every policy, names unique", () => {
      const policies = allPolicies();
      expect(policies.length).to.be.greaterThan(20);
      for (const p of policies) expect(PILLARS, p.name).to.include(p.pillar);
      expect(new Set(policies.map((p) => p.name)).size).to.equal(policies.length);
    });

    it("loads a new policy from one new file in a policies folder, and refuses a module without valid policies", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-policies-"));
      fs.writeFileSync(path.join(dir, "backup.js"), `exports.policies = [{ name: "backup-plan", description: "d", pillar: "Reliability", enforcement: "mandatory", kind: "stack", validate() {} }];`);
      expect(loadPolicies(dir).map((p) => p.name)).to.deep.equal(["backup-plan"]);
      fs.writeFileSync(path.join(dir, "broken.js"), `exports.policies = [{ name: "x", pillar: "Speed" }];`);
      expect(() => loadPolicies(dir)).to.throw(/broken\.js: must export "policies"/);
    });

    it("counts passed and violated policies per pillar", () => {
      const outcomes = runPolicies([{ view: one(res(T.key, "orders-key-key", { enableKeyRotation: false })) }], [policyNamed("kms-key-rotation"), policyNamed("log-retention")]);
      const counts = countByPillar(outcomes);
      expect(counts.find((c) => c.pillar === "Security")).to.include({ passed: 0, violated: 1 });
      expect(counts.find((c) => c.pillar === "Sustainability")).to.include({ passed: 1, violated: 0 });
    });
  });

  describe("S3 buckets (stack policies over the bucket and its companion resources)", () => {
    const complete = () => [...Object.values(dataBucketSet()), ...Object.values(accessLogBucketSet())];

    it("pass the buckets the DataBucket and AccessLogBucket components register", () => {
      for (const name of ["s3-bucket-versioning", "s3-public-access-blocked", "s3-tls-only", "s3-encryption", "s3-lifecycle"]) expect(messages(name, stackOf(complete())), name).to.deep.equal([]);
    });

    it("s3-bucket-versioning: a suspended or missing BucketVersioning names the bucket and the setting; access-log buckets are excepted", () => {
      const set = dataBucketSet();
      const suspended = { ...set.versioning, inputs: { ...set.versioning.inputs, versioningConfiguration: { status: "Suspended" } } };
      const [msg] = messages("s3-bucket-versioning", stackOf([set.bucket, suspended, ...Object.values(accessLogBucketSet())]));
      expect(msg).to.contain("Bucket orders-data-bucket").and.contain("versioningConfiguration.status = Suspended").and.contain('"Enabled"');
      expect(messages("s3-bucket-versioning", stackOf([set.bucket]))[0]).to.contain("has no BucketVersioning");
    });

    it("finds a companion by the bucket's name when there is no property dependency (a reference from another stack)", () => {
      const set = dataBucketSet();
      const byName = { ...set.versioning, propertyDependencies: {} };
      expect(messages("s3-bucket-versioning", stackOf([set.bucket, byName]))).to.deep.equal([]);
    });

    it("s3-public-access-blocked: each of the four settings must be true", () => {
      const set = dataBucketSet();
      const weak = { ...set.publicAccess, inputs: { ...set.publicAccess.inputs, restrictPublicBuckets: false } };
      expect(messages("s3-public-access-blocked", stackOf([set.bucket, weak]))[0]).to.contain("restrictPublicBuckets").and.contain("orders-data-bucket");
    });

    it("s3-tls-only: a bucket policy without the aws:SecureTransport deny fails", () => {
      const set = dataBucketSet();
      const allowOnly = { ...set.policy, inputs: { ...set.policy.inputs, policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }] }) } };
      expect(messages("s3-bucket-policy-tls", stackOf([set.bucket, allowOnly]))[0]).to.contain("does not deny").and.contain("aws:SecureTransport");
      expect(messages("s3-tls-only", stackOf([set.bucket, allowOnly]))).to.deep.equal([]);
      expect(messages("s3-tls-only", stackOf([set.bucket]))[0]).to.contain("has no bucket policy");
      // A document object whose ARNs are unknown (a first preview) is still judged by its statements.
      const unknownArns = { ...set.policy, inputs: { ...set.policy.inputs, policy: { Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["[unknown]"], Condition: { Bool: { "aws:SecureTransport": "false" } } }] } } };
      expect(violations("s3-bucket-policy-tls", stackOf([set.bucket, unknownArns]))).to.deep.equal([]);
      const computedText = { ...set.policy, inputs: { ...set.policy.inputs, policy: "[unknown]" } };
      expect(violations("s3-bucket-policy-tls", stackOf([set.bucket, computedText])).map((v) => v.enforcement)).to.deep.equal(["advisory"]);
    });

    it("s3-encryption: data buckets need SSE-KMS with a customer key, access-log buckets SSE-S3", () => {
      const data = dataBucketSet();
      const s3Managed = { ...data.encryption, inputs: { ...data.encryption.inputs, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] } };
      expect(messages("s3-encryption", stackOf([data.bucket, s3Managed]))[0]).to.contain("orders-data-bucket").and.contain("not SSE-KMS");
      const awsKey = { ...data.encryption, inputs: { ...data.encryption.inputs, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" } }] } };
      expect(messages("s3-encryption", stackOf([data.bucket, awsKey]))[0]).to.contain("not a customer managed key");
      const logs = accessLogBucketSet();
      const kmsLogs = { ...logs.encryption, inputs: { ...logs.encryption.inputs, rules: data.encryption.inputs.rules } };
      expect(messages("s3-encryption", stackOf([logs.bucket, kmsLogs]))[0]).to.contain("orders-alb-logs-bucket").and.contain("SSE-S3");
    });

    it("s3-lifecycle (advisory): a bucket without lifecycle rules is reported", () => {
      expect(violations("s3-lifecycle", stackOf([dataBucketSet().bucket]))[0]).to.include({ enforcement: "advisory", pillar: "Cost Optimization" });
    });

    it("s3-replication-rtc: passes the BucketReplication rule; names each missing setting", () => {
      const config = (rule: Record<string, unknown>) => one(res(T.replication, "orders-replication-to-us-east-1-config", { bucket: "orders-data-bucket-b40c345", rules: [rule] }, { region: "us-west-2" }));
      expect(messages("s3-replication-rtc", config(replicationRule()))).to.deep.equal([]);
      const rule = replicationRule();
      const weak = { ...rule, deleteMarkerReplication: { status: "Disabled" }, destination: { ...rule.destination, replicationTime: { status: "Disabled", time: { minutes: 15 } } } };
      const [msg] = messages("s3-replication-rtc", config(weak));
      expect(msg).to.contain("rule dr-replication-to-us-east-1").and.contain("replicationTime.status").and.contain("deleteMarkerReplication.status");
    });
  });

  describe("Aurora", () => {
    it("aurora-memory-optimized: db.r6g passes, burstable db.t4g fails naming the class", () => {
      const instance = (cls: string) => one(res(T.instance, "orders-db-instance-us-east-1a", { availabilityZone: "us-east-1a", clusterIdentifier: "orders-prod-us-east-1", engine: "aurora-postgresql", instanceClass: cls }));
      expect(messages("aurora-memory-optimized", instance("db.r6g.large"))).to.deep.equal([]);
      expect(messages("aurora-memory-optimized", instance("db.serverless"))).to.deep.equal([]);
      expect(messages("aurora-memory-optimized", instance("db.t4g.medium"))[0]).to.contain("db.t4g.medium is burstable");
    });

    it("aurora-encrypted and aurora-deletion-protection-and-backups: the DataTier cluster passes; each weakened setting is named", () => {
      const cluster = (inputs: Record<string, unknown>) => one(res(T.cluster, "orders-db-cluster", inputs));
      expect(messages("aurora-encrypted", cluster(primaryClusterInputs()))).to.deep.equal([]);
      expect(messages("aurora-deletion-protection-and-backups", cluster(primaryClusterInputs()))).to.deep.equal([]);
      expect(messages("aurora-encrypted", cluster({ ...primaryClusterInputs(), storageEncrypted: false }))[0]).to.contain("storageEncrypted");
      expect(messages("aurora-encrypted", cluster(without(primaryClusterInputs(), "kmsKeyId")))[0]).to.contain("kmsKeyId");
      const weak = messages("aurora-deletion-protection-and-backups", cluster({ ...primaryClusterInputs(), deletionProtection: false, backupRetentionPeriod: 1 }));
      expect(weak.join("\n")).to.contain("deletionProtection").and.contain("backupRetentionPeriod is 1 day(s)");
    });

    it("aurora-secondary-no-credentials: a secondary member with a master username fails; the primary member may have one", () => {
      const secondary = (inputs: Record<string, unknown>) => stackOf([res(T.cluster, "orders-db-cluster", inputs, { stack: "secondary", region: "us-west-2" })], { stack: "secondary", role: "secondary" });
      const member = without(primaryClusterInputs(), "masterUsername", "masterPassword", "databaseName");
      expect(messages("aurora-secondary-no-credentials", secondary(member))).to.deep.equal([]);
      expect(messages("aurora-secondary-no-credentials", secondary({ ...member, masterUsername: "dbadmin" }))[0]).to.contain("masterUsername");
      expect(messages("aurora-secondary-no-credentials", one(res(T.cluster, "orders-db-cluster", primaryClusterInputs())))).to.deep.equal([]);
    });

    it("aurora-instances-distinct-azs: two instances in one AZ fail, naming both", () => {
      const instance = (name: string, az: string) => res(T.instance, name, { availabilityZone: az, clusterIdentifier: "orders-prod-us-east-1", instanceClass: "db.r6g.large" });
      expect(messages("aurora-instances-distinct-azs", stackOf([instance("a", "us-east-1a"), instance("b", "us-east-1b")]))).to.deep.equal([]);
      expect(messages("aurora-instances-distinct-azs", stackOf([instance("a", "us-east-1a"), instance("b", "us-east-1a")]))[0]).to.contain("shares us-east-1a with a");
    });
  });

  describe("launch templates and load balancers", () => {
    const lt = (inputs: Record<string, unknown>) => one(res(T.lt, "orders-web-lt", inputs));
    it("pass the template ServiceTier registers", () => {
      for (const name of ["launch-template-imdsv2", "launch-template-ebs-encrypted", "launch-template-no-public-ip"]) expect(messages(name, lt(launchTemplateInputs())), name).to.deep.equal([]);
    });

    it("launch-template-imdsv2: without IMDSv2 the message names metadataOptions.httpTokens", () => {
      const base = launchTemplateInputs();
      expect(messages("launch-template-imdsv2", lt({ ...base, metadataOptions: { ...base.metadataOptions, httpTokens: "optional" } }))[0]).to.contain("metadataOptions.httpTokens is optional");
    });

    it("launch-template-ebs-encrypted and launch-template-no-public-ip name the volume and the interface", () => {
      const base = launchTemplateInputs();
      const plain = { ...base, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeType: "gp3" } }] };
      expect(messages("launch-template-ebs-encrypted", lt(plain))[0]).to.contain("/dev/xvda ebs.encrypted is false");
      expect(messages("launch-template-ebs-encrypted", lt(without(base, "blockDeviceMappings")))[0]).to.contain("sets no EBS volume");
      const publicIp = { ...base, networkInterfaces: [{ ...base.networkInterfaces[0], associatePublicIpAddress: "true" }] };
      expect(messages("launch-template-no-public-ip", lt(publicIp))[0]).to.contain("networkInterfaces[0].associatePublicIpAddress");
    });

    it("ALB policies pass the web ALB and name each weakened attribute", () => {
      const alb = (inputs: Record<string, unknown>) => one(res(T.lb, "orders-web-alb", inputs));
      for (const name of ["alb-drop-invalid-headers", "alb-access-logs", "alb-deletion-protection"]) expect(messages(name, alb(webAlbInputs())), name).to.deep.equal([]);
      expect(messages("alb-drop-invalid-headers", alb({ ...webAlbInputs(), dropInvalidHeaderFields: false }))[0]).to.contain("dropInvalidHeaderFields");
      expect(messages("alb-access-logs", alb({ ...webAlbInputs(), accessLogs: { bucket: "b", enabled: false } }))[0]).to.contain("access logs are off");
      expect(messages("alb-deletion-protection", alb(without(webAlbInputs(), "enableDeletionProtection")))[0]).to.contain("enableDeletionProtection");
    });

    it("alb-http-redirect-only: the redirect listener passes, an HTTP listener that forwards fails", () => {
      const listener = (actions: unknown[]) => one(res(T.listener, "orders-web-http-redirect", { defaultActions: actions, port: 80, protocol: "HTTP" }));
      expect(messages("alb-http-redirect-only", listener([{ redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" }, type: "redirect" }]))).to.deep.equal([]);
      expect(messages("alb-http-redirect-only", listener([{ targetGroupArn: "arn:tg", type: "forward" }]))[0]).to.contain("default action(s) forward");
    });
  });

  describe("network", () => {
    const sgRef = (id: string) => ({ securityGroupId: id });
    const rule = (name: string, port: number, extra: Record<string, unknown>) => res(T.ingress, name, { cidrIpv4: "0.0.0.0/0", fromPort: port, toPort: port, ipProtocol: "tcp", ...extra });
    const webAlb = res(T.lb, "orders-web-alb", webAlbInputs());

    it("security-group-internet-ingress: 80/443 on the internet-facing ALB's group pass; another port or group fails", () => {
      const ok = [webAlb, rule("orders-security-web-alb-in-https-ipv4", 443, sgRef("sg-1c2027c983ab7b286")), rule("orders-security-web-alb-in-http-ipv4", 80, sgRef("sg-1c2027c983ab7b286"))];
      expect(messages("security-group-internet-ingress", stackOf(ok))).to.deep.equal([]);
      expect(messages("security-group-internet-ingress", stackOf([webAlb, rule("ssh", 22, sgRef("sg-1c2027c983ab7b286"))]))[0]).to.contain("opens tcp 22 to the internet");
      expect(messages("security-group-internet-ingress", stackOf([webAlb, rule("direct", 443, sgRef("sg-9d2dfdea612868000"))]))[0]).to.contain("no internet-facing load balancer uses");
      const internal = res(T.lb, "orders-app-alb", { ...webAlbInputs(), internal: true });
      expect(messages("security-group-internet-ingress", stackOf([internal, rule("app", 443, sgRef("sg-1c2027c983ab7b286"))]))).to.have.length(1);
      const inline = res(T.sg, "legacy", { ingress: [{ cidrBlocks: ["0.0.0.0/0"], fromPort: 0, toPort: 65535, protocol: "-1" }] });
      expect(messages("security-group-internet-ingress", stackOf([inline]))[0]).to.contain("SecurityGroup legacy ingress[0]");
    });

    it("multi-az-tiers: three subnets pass, one fails naming the tier", () => {
      const asg = (subnets: string[]) => res(T.asg, "orders-web-asg", { vpcZoneIdentifiers: subnets, tags: [] });
      expect(messages("multi-az-tiers", stackOf([asg(["subnet-a", "subnet-b", "subnet-c"])]))).to.deep.equal([]);
      expect(messages("multi-az-tiers", stackOf([asg(["subnet-a"])]))[0]).to.contain("Group orders-web-asg: vpcZoneIdentifiers covers 1 AZ(s)");
      const vpc = res("awsx:ec2:Vpc", "orders-network-vpc", { availabilityZoneNames: ["us-east-1a"], subnetSpecs: [{ type: "Private", cidrBlocks: ["10.10.0.0/19"] }] }, { custom: false });
      expect(messages("multi-az-tiers", stackOf([vpc]))).to.have.length(2);
    });

    it("route53-failover-health: a health-checked alias passes; a non-alias failover record without health check fails", () => {
      const record = (inputs: Record<string, unknown>) => one(res(T.record, "orders-dns-shared", { failoverRoutingPolicies: [{ type: "PRIMARY" }], name: "orders.example.com", setIdentifier: "us-east-1", type: "A", zoneId: "Z0123456789EXAMPLEABC", ...inputs }));
      expect(messages("route53-failover-health", record({ aliases: [{ evaluateTargetHealth: true, name: "alb", zoneId: "Z35SXDOTRQ7X7K" }], healthCheckId: "b420a0065ff3a3f2a" }))).to.deep.equal([]);
      expect(messages("route53-failover-health", record({ records: ["192.0.2.1"], ttl: 60 }))[0]).to.contain("needs healthCheckId");
      expect(messages("route53-failover-health", record({ aliases: [{ evaluateTargetHealth: false, name: "alb", zoneId: "Z" }] }))[0]).to.contain("evaluateTargetHealth");
    });

    // As at a first preview: ids unknown, the record and the calculated check name their checks by property dependency (URN).
    it("route53-failover-health: the record's health must be CALCULATED, endpoint AND switch, all children required", () => {
      const HC = "aws:route53/healthCheck:HealthCheck";
      const endpoint = res(HC, "orders-dns-health", { type: "HTTPS", fqdn: "us-east-1.orders.example.com", port: 443 });
      const sw = res(HC, "orders-switch-us-east-1-health", { type: "CLOUDWATCH_METRIC", cloudwatchAlarmName: "orders-prod-switch-us-east-1", cloudwatchAlarmRegion: "us-west-2" });
      const calc = (inputs: Record<string, unknown>, children = [endpoint, sw]) =>
        res(HC, "orders-dns-record-health", { type: "CALCULATED", childHealthchecks: children.map(() => "[unknown]"), childHealthThreshold: 2, ...inputs }, { deps: { childHealthchecks: children.map((c) => c.urn) } });
      const recordOn = (check: ResourceView) => res(T.record, "orders-dns-shared", { failoverRoutingPolicies: [{ type: "PRIMARY" }], name: "orders.example.com", setIdentifier: "us-east-1", type: "A", zoneId: "Z0123456789EXAMPLEABC", aliases: [{ evaluateTargetHealth: true, name: "alb", zoneId: "Z35SXDOTRQ7X7K" }], healthCheckId: "[unknown]" }, { deps: { healthCheckId: [check.urn] } });
      const check = (c: ResourceView) => messages("route53-failover-health", stackOf([recordOn(c), c, endpoint, sw]));
      expect(check(calc({}))).to.deep.equal([]);
      expect(check(endpoint)[0]).to.contain("health check orders-dns-health is HTTPS; use a CALCULATED check");
      expect(check(calc({ childHealthThreshold: 1 }))[0]).to.contain("set childHealthThreshold to 2");
      expect(check(calc({}, [endpoint, endpoint]))[0]).to.contain("no switch among its children");
      expect(check(calc({}, [sw, sw]))[0]).to.contain("no endpoint check among its children");
      // A secondary's switch is an id from the primary's exports: seen alone (CrossGuard) it counts as the switch ...
      const secondaryCalc = res(HC, "orders-dns-record-health", { type: "CALCULATED", childHealthchecks: ["[unknown]", "0a1b2c3d4e5f60718"], childHealthThreshold: 2 }, { deps: { childHealthchecks: [endpoint.urn] } });
      expect(messages("route53-failover-health", stackOf([recordOn(secondaryCalc), secondaryCalc, endpoint]))).to.deep.equal([]);
      // ... and with the other stacks known (plan) it is typed there: a peer's switch check passes, a peer's endpoint check does not.
      const inPrimary = (type: string) => res(HC, "orders-switch-us-west-2-health", { type }, { stack: "primary", outputs: { id: "0a1b2c3d4e5f60718" } });
      const withPeer = (peer: ResourceView) => messages("route53-failover-health", [{ view: stackOf([recordOn(secondaryCalc), secondaryCalc, endpoint], { stack: "secondary" }) }, { view: stackOf([peer], { stack: "primary" }) }]);
      expect(withPeer(inPrimary("CLOUDWATCH_METRIC"))).to.deep.equal([]);
      expect(withPeer(inPrimary("HTTPS"))[0]).to.contain("no switch among its children");
    });
  });

  describe("keys, secrets, tags, logs", () => {
    it("kms-key-rotation: the multi-region key rotates; a key without rotation fails", () => {
      expect(messages("kms-key-rotation", one(res(T.key, "orders-key-key", { enableKeyRotation: true, multiRegion: true })))).to.deep.equal([]);
      expect(messages("kms-key-rotation", one(res(T.key, "orders-key-key", { multiRegion: true })))[0]).to.contain("enableKeyRotation");
    });

    it("secret-replicated: a primary secret needs a replica; a secondary's secrets are not checked", () => {
      const secret = (inputs: Record<string, unknown>, role = "primary") => stackOf([res(T.secret, "orders-db-credentials-secret", { kmsKeyId: KEY_ARN, name: "orders/prod/aurora-master", ...inputs })], { role });
      expect(messages("secret-replicated", secret({ replicas: [{ kmsKeyId: REPLICA_KEY_ARN, region: "us-west-2" }] }))).to.deep.equal([]);
      expect(messages("secret-replicated", secret({}))[0]).to.contain("Secret orders-db-credentials-secret").and.contain("no replica");
      expect(messages("secret-replicated", secret({}, "secondary"))).to.deep.equal([]);
    });

    it("platform-tags: provider default tags count; a resource without them fails; an ASG needs its own", () => {
      expect(messages("platform-tags", one(res(T.lb, "orders-web-alb", webAlbInputs())))).to.deep.equal([]);
      const untagged = res(T.lb, "orders-web-alb", webAlbInputs(), { provider: providerInputs("us-east-1", { team: "platform" }) });
      expect(messages("platform-tags", one(untagged))[0]).to.contain("missing tag(s) app, environment, dr:role");
      const asg = (tags: { key: string; value: string }[]) => one(res(T.asg, "orders-web-asg", { tags: tags.map((t) => ({ ...t, propagateAtLaunch: false })) }));
      expect(messages("platform-tags", asg([{ key: "Name", value: "orders-web" }]))[0]).to.contain("group's tags list");
      expect(messages("platform-tags", asg(Object.entries(PLATFORM_TAGS).map(([key, value]) => ({ key, value }))))).to.deep.equal([]);
      expect(messages("platform-tags", one(res("aws:s3/bucketVersioning:BucketVersioning", "v", { bucket: "b" }, { provider: {} })))).to.deep.equal([]);
    });

    it("log-retention (advisory, Sustainability): a log group kept forever is reported", () => {
      expect(messages("log-retention", one(res(T.logGroup, "orders-network-flow-logs", { kmsKeyId: KEY_ARN, retentionInDays: 90 })))).to.deep.equal([]);
      expect(violations("log-retention", one(res(T.logGroup, "orders-network-flow-logs", {})))[0]).to.include({ pillar: "Sustainability", enforcement: "advisory" });
    });
  });

  describe("cross-region partners and data residency", () => {
    const secondaryStack = (extra: ResourceView[] = []) => {
      const set = dataBucketSet("secondary", "us-west-2", REPLICA_KEY_ARN);
      const back = res(T.replication, "orders-replication-to-us-east-1-config", { bucket: "orders-data-bucket-b40c345", rules: [replicationRule()] }, { stack: "secondary", region: "us-west-2", deps: { bucket: [set.bucket.urn] } });
      const member = res(T.cluster, "orders-db-cluster", { ...without(primaryClusterInputs(), "masterUsername", "masterPassword", "databaseName"), globalClusterIdentifier: "orders-prod" }, { stack: "secondary", region: "us-west-2" });
      const lt = res(T.lt, "orders-web-lt", launchTemplateInputs(), { stack: "secondary", region: "us-west-2" });
      const copy = res(T.amiCopy, "orders-ami-copy", { encrypted: true, kmsKeyId: REPLICA_KEY_ARN, sourceAmiId: "ami-0123456789abcdef0", sourceAmiRegion: "us-east-1" }, { stack: "secondary", region: "us-west-2" });
      return stackOf([...Object.values(set), back, member, lt, copy, ...extra], { stack: "secondary", role: "secondary", region: "us-west-2" });
    };
    const primaryStack = (replicaRegion = "us-west-2") => stackOf([
      res(T.secret, "orders-db-credentials-secret", { kmsKeyId: KEY_ARN, replicas: [{ kmsKeyId: REPLICA_KEY_ARN, region: replicaRegion }] }),
      res(T.replicaKey, `orders-key-replica-${replicaRegion}`, { primaryKeyArn: KEY_ARN }, { region: replicaRegion }),
      // Written by the links stack (or today the secondary): primary bucket -> secondary bucket.
      res(T.replication, "orders-replication-to-us-west-2-config", { bucket: "orders-data-bucket-83c42e0", rules: [{ ...replicationRule("arn:aws:s3:::orders-data-bucket-b40c345", REPLICA_KEY_ARN), id: "dr-replication-to-us-west-2" }] }),
    ]);

    it("secondary-data-partners: a complete secondary passes alone (as CrossGuard sees it) and with the set", () => {
      expect(messages("secondary-data-partners", secondaryStack())).to.deep.equal([]);
      expect(messages("secondary-data-partners", [{ view: primaryStack() }, { view: secondaryStack() }])).to.deep.equal([]);
    });

    it("secondary-data-partners: names the cluster without global membership, the missing AMI copy, and the missing secret replica", () => {
      const s = secondaryStack();
      const standalone = s.resources.map((r) => (r.type === T.cluster ? { ...r, inputs: without(r.inputs, "globalClusterIdentifier") } : r)).filter((r) => r.type !== T.amiCopy);
      const found = messages("secondary-data-partners", [{ view: primaryStack("eu-west-1") }, { view: { ...s, resources: standalone } }]).join("\n");
      expect(found).to.contain("Cluster orders-db-cluster: is not a member").and.contain("no AmiCopy").and.contain("replicates to us-west-2").and.contain("no KMS replica key in us-west-2");
    });

    it("secondary-data-partners: with the set known, a secondary bucket nothing replicates into fails; a links-role stack is not a secondary", () => {
      const found = messages("secondary-data-partners", [{ view: { ...primaryStack(), resources: primaryStack().resources.filter((r) => r.type !== T.replication) } }, { view: secondaryStack() }]);
      expect(found.join("\n")).to.contain("no replication rule in the stack set writes into it");
      expect(messages("secondary-data-partners", { ...secondaryStack(), role: "links", resources: [] })).to.deep.equal([]);
    });

    it("data-residency: with only us-east-1 allowed, the secondary's stores and the primary's replicas are refused, naming store and region", () => {
      const both = [{ view: primaryStack(), allowedRegions: ["us-east-1"] }, { view: secondaryStack(), allowedRegions: ["us-east-1"] }];
      const found = violations("data-residency", both);
      const text = found.map((v) => v.message).join("\n");
      expect(text).to.contain("ReplicaKey orders-key-replica-us-west-2: stores data in us-west-2");
      expect(text).to.contain("Secret orders-db-credentials-secret replica: stores data in us-west-2");
      expect(text).to.contain("Cluster orders-db-cluster: stores data in us-west-2");
      expect(text).to.contain("BucketReplicationConfig orders-replication-to-us-west-2-config rule dr-replication-to-us-west-2 destination: stores data in us-west-2");
      expect(found.every((v) => v.enforcement === "mandatory" && v.pillar === "Security")).to.equal(true);
      expect(violations("data-residency", both.map((s) => ({ ...s, allowedRegions: ["us-east-1", "us-west-2"] })))).to.deep.equal([]);
      expect(violations("data-residency", both.map((s) => ({ ...s, allowedRegions: undefined })))).to.deep.equal([]);
    });

    it("data-residency: a backup copy to a vault outside the allowed regions is refused", () => {
      const plan = res("aws:backup/plan:Plan", "orders-backup", { rules: [{ ruleName: "daily", copyActions: [{ destinationVaultArn: "arn:aws:backup:eu-west-1:123456789012:backup-vault:dr" }] }] });
      expect(messages("data-residency", stackOf([plan]), ["us-east-1", "us-west-2"])[0]).to.contain("Plan orders-backup backup copy: stores data in eu-west-1");
    });

    it("data-residency: a backup vault (recovery points are data) outside the allowed regions is refused; inside them it passes", () => {
      const vault = (region: string) => res("aws:backup/vault:Vault", "orders-backup-vault", { name: `orders-prod-${region}` }, { stack: "secondary", region });
      const found = messages("data-residency", stackOf([vault("eu-west-1")]), ["us-east-1", "us-west-2"]);
      expect(found).to.have.length(1);
      expect(found[0]).to.contain("Vault orders-backup-vault: stores data in eu-west-1, outside dr:allowedRegions (us-east-1, us-west-2)");
      expect(messages("data-residency", stackOf([vault("us-west-2")]), ["us-east-1", "us-west-2"])).to.deep.equal([]);
    });
  });

  describe("static stability of a secondary", () => {
    const WEST = "us-west-2";
    const EAST = "us-east-1";
    const inWest = { stack: "secondary", region: WEST };
    const provider = (region: string) => res("pulumi:providers:aws", `aws-${region}`, providerInputs(region), { stack: "secondary", region });
    /** What the secondary stack registers through its own provider: network, database member, alarms, IAM and DNS. */
    const secondaryStack = () => [
      provider(WEST),
      res(T.cluster, "orders-db-cluster", { ...without(primaryClusterInputs(), "masterUsername", "masterPassword", "databaseName"), clusterIdentifier: "orders-usw2" }, inWest),
      res("aws:cloudwatch/metricAlarm:MetricAlarm", "orders-db-lag-alarms-us-west-2-aurora-replication-lag", { namespace: "AWS/RDS", metricName: "AuroraGlobalDBReplicationLag" }, inWest),
      res("aws:iam/role:Role", "orders-app-role", { assumeRolePolicy: "{}" }, inWest),
      res(T.record, "orders-dns-record", { type: "A", name: "orders.example.com", setIdentifier: WEST }, inWest),
    ];
    const asSecondary = (resources: ResourceView[]) => stackOf(resources, { stack: "secondary", role: "secondary", region: WEST });

    it("passes a secondary whose resources and provider are all in its region, and global services registered anywhere", () => {
      expect(messages("static-stability", asSecondary(secondaryStack()))).to.deep.equal([]);
      // IAM and Route 53 have one control plane whichever provider registers them.
      const global = [res("aws:iam/role:Role", "orders-replication-role", {}, { stack: "secondary", region: EAST }), res(T.record, "orders-east-record", {}, { stack: "secondary", region: EAST })];
      expect(messages("static-stability", asSecondary([...secondaryStack(), ...global]))).to.deep.equal([]);
      expect(policyNamed("static-stability")).to.include({ pillar: "Reliability", enforcement: "mandatory", kind: "stack" });
    });

    it("fails a provider, a resource registered through it, and a resource whose own region input is another region, naming each and the fix", () => {
      const foreign = [
        provider(EAST),
        // The health-check alarm the secondary once held in us-east-1 (Route 53 publishes its metrics there).
        res("aws:cloudwatch/metricAlarm:MetricAlarm", "orders-health-alarm", { namespace: "AWS/Route53", metricName: "HealthCheckStatus" }, { stack: "secondary", region: EAST }),
        // aws v7's per-resource region overrides the provider's: this one lives in us-east-1.
        res(T.replication, "orders-replication-to-us-west-2", { bucket: "orders-data-us-east-1", region: EAST }, inWest),
        // Route 53 Resolver is regional, unlike Route 53 itself.
        res("aws:route53/resolverEndpoint:ResolverEndpoint", "orders-resolver", {}, { stack: "secondary", region: EAST }),
      ];
      const found = violations("static-stability", asSecondary([...secondaryStack(), ...foreign]));
      expect(found.map((v) => v.urn)).to.have.members(foreign.map((r) => r.urn));
      const text = found.map((v) => v.message).join("\n");
      expect(text).to.contain(`provider aws-${EAST} for ${EAST}`)
        .and.contain(`aws:cloudwatch/metricAlarm:MetricAlarm orders-health-alarm in ${EAST}`)
        .and.contain(`aws:s3/bucketReplicationConfig:BucketReplicationConfig orders-replication-to-us-west-2 in ${EAST}`)
        .and.contain("aws:route53/resolverEndpoint:ResolverEndpoint orders-resolver")
        .and.contain(`secondary stack secondary must stand on its own in ${WEST}`)
        .and.contain("move it to the links stack");
    });

    it("leaves primary and links stacks alone: they own the cross-region links by design", () => {
      const crossRegion = [provider(EAST), provider(WEST), res("aws:kms/replicaKey:ReplicaKey", "orders-key-replica-us-west-2", { primaryKeyArn: KEY_ARN }, inWest)];
      expect(messages("static-stability", stackOf(crossRegion))).to.deep.equal([]);
      expect(messages("static-stability", stackOf(crossRegion, { stack: "links", role: "links" }))).to.deep.equal([]);
    });
  });

  describe("CrossGuard adapter", () => {
    const stubArgs = { isType: () => false, asType: () => undefined, notApplicable: (): never => { throw new Error("not applicable"); }, stackTags: new Map<string, string>() };
    const provider = { type: "pulumi:providers:aws", props: providerInputs(), urn: "urn:pulumi:primary::dr-platform::pulumi:providers:aws::aws-us-east-1", name: "aws-us-east-1" };
    const opts = { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] };

    it("validateResource reports the same message plan reports, and honours the type filter", () => {
      const policy = toCrossGuard(policyNamed("launch-template-imdsv2")) as ResourceValidationPolicy;
      const base = launchTemplateInputs();
      const props = { ...base, metadataOptions: { ...base.metadataOptions, httpTokens: "optional" } };
      const reported: string[] = [];
      const args: ResourceValidationArgs = { ...stubArgs, type: T.lt, name: "orders-web-lt", urn: "urn:pulumi:primary::dr-platform::aws:ec2/launchTemplate:LaunchTemplate::orders-web-lt", props, opts, provider, getConfig: <C extends object>() => ({}) as C };
      (policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void)(args, (m) => reported.push(m));
      expect(reported).to.deep.equal(messages("launch-template-imdsv2", one(res(T.lt, "orders-web-lt", props))));
      expect(policy.enforcementLevel).to.equal("mandatory");
      reported.length = 0;
      (policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void)({ ...args, type: T.lb }, (m) => reported.push(m));
      expect(reported).to.deep.equal([]);
    });

    it("validateStack follows propertyDependencies and reads dr:allowedRegions from the pack config", () => {
      const cg = (r: ResourceView, deps: Record<string, PolicyResource[]> = {}): PolicyResource => ({ ...stubArgs, type: r.type, name: r.name, urn: r.urn, props: { ...r.inputs, ...r.outputs }, opts, provider: { ...provider, props: providerInputs(r.region) }, dependencies: [], propertyDependencies: deps });
      const set = dataBucketSet();
      const bucket = cg(set.bucket);
      const suspended = cg({ ...set.versioning, inputs: { bucket: undefined, versioningConfiguration: { status: "Suspended" } } }, { bucket: [bucket] });
      const run = (name: string, resources: PolicyResource[], config: object = {}) => {
        const reported: string[] = [];
        const args: StackValidationArgs = { resources, stackTags: new Map(), getConfig: <C extends object>() => config as C, notApplicable: stubArgs.notApplicable };
        (toCrossGuard(policyNamed(name)) as StackValidationPolicy).validateStack(args, (m) => reported.push(m));
        return reported;
      };
      expect(run("s3-bucket-versioning", [bucket, suspended])[0]).to.contain("versioningConfiguration.status = Suspended");
      const replica = cg(res(T.replicaKey, "orders-key-replica-us-west-2", { primaryKeyArn: KEY_ARN }, { region: "us-west-2" }));
      expect(run("data-residency", [replica], { allowedRegions: ["us-east-1"] })[0]).to.contain("stores data in us-west-2");
      expect(run("data-residency", [replica])).to.deep.equal([]);
    });
  });
});
