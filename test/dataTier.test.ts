import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import fc from "fast-check";
import {
  DEFAULT_PORTS, LOG_EXPORTS, finalSnapshotIdentifier, isGlobalDatabaseClass, placeInstances, rdsIdentifierProblems, regionOfAz, windowMinutes,
} from "../components/data/dataPlacement";
import { DataTier, DataTierArgs, MIN_BACKUP_RETENTION_DAYS, validateDataTierArgs } from "../components/data/dataTier";
import { DEFAULT_ERROR_RATE_PERCENT, DEFAULT_FREEABLE_MEMORY_BYTES, RegionAlarmsArgs, RegionAlarms, validateRegionAlarmsArgs } from "../components/observability/regionAlarms";
import { Evaluation, evaluateStack, RecordedResourceWithRegion } from "../src/engine/evaluate";
import { SECRET_PLACEHOLDER } from "../src/engine/recordingMonitor";
import { failureOf, oneOf, parentOf, resourcesOf } from "./harness/stack";

const CLUSTER = "aws:rds/cluster:Cluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const SUBNET_GROUP = "aws:rds/subnetGroup:SubnetGroup";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";

const EAST = "us-east-1";
const WEST = "us-west-2";
const KEYS: Record<string, string> = {
  [EAST]: "arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef",
  [WEST]: "arn:aws:kms:us-west-2:123456789012:key/mrk-0123456789abcdef",
};
const AZS: Record<string, string[]> = {
  [EAST]: ["us-east-1a", "us-east-1b", "us-east-1c"],
  [WEST]: ["us-west-2a", "us-west-2b", "us-west-2c"],
};
const GLOBAL_ID = "shop-global";
const PG_VERSION = "16.6";
const DB_SG = "sg-0db0db0db0db0db0d";

/** name of the DataTier -> what the program gave it. */
const TIERS = {
  primary: { name: "db-east", region: EAST, clusterIdentifier: "shop-us-east-1", role: "primary", engine: "aurora-postgresql", instanceCount: 4, global: true, continuousBackup: true },
  secondary: { name: "db-west", region: WEST, clusterIdentifier: "shop-us-west-2", role: "secondary", engine: "aurora-postgresql", instanceCount: 2, global: true, continuousBackup: true },
  headless: { name: "orders-west", region: WEST, clusterIdentifier: "orders-us-west-2", role: "secondary", engine: "aurora-mysql", instanceCount: 0, global: true, continuousBackup: false },
  standalone: { name: "reports-east", region: EAST, clusterIdentifier: "reports-us-east-1", role: "primary", engine: "aurora-postgresql", instanceCount: 2, global: false, continuousBackup: false },
} as const;
type TierName = keyof typeof TIERS;

const LOAD_BALANCERS = [
  { key: "web", arnSuffix: "app/web-lb/0123456789abcdef", targetGroupArnSuffix: "targetgroup/web-tg/0123456789abcdef" },
  { key: "app", arnSuffix: "app/app-lb/fedcba9876543210", targetGroupArnSuffix: "targetgroup/app-tg/fedcba9876543210" },
];
const ASGS = [
  { key: "web", name: "web-asg", floor: 3 },
  { key: "app", name: "app-asg", floor: 0 },
];

function tierArgs(t: (typeof TIERS)[TierName]): DataTierArgs {
  const credentials = t.role === "primary" ? { masterUsername: "dbadmin", masterPassword: pulumi.secret("generated-password-1"), databaseName: "shop" } : {};
  return {
    engine: t.engine,
    engineVersion: t.engine === "aurora-mysql" ? "8.0.mysql_aurora.3.08.0" : PG_VERSION,
    instanceClass: "db.r6g.large",
    instanceCount: t.instanceCount,
    availabilityZones: AZS[t.region],
    subnetIds: AZS[t.region].map((az) => `subnet-isolated-${az}`),
    securityGroupId: DB_SG,
    kmsKeyArn: KEYS[t.region],
    clusterIdentifier: t.clusterIdentifier,
    role: t.role,
    globalClusterIdentifier: t.global ? (t.engine === "aurora-mysql" ? "orders-global" : GLOBAL_ID) : undefined,
    continuousBackupByAwsBackup: t.continuousBackup,
    ...credentials,
  };
}

describe("data tier and region alarms", () => {
  let ev: Evaluation;
  const cluster = (t: TierName) => oneOf(ev, CLUSTER, new RegExp(`^${TIERS[t].name}-cluster$`));
  const instancesOf = (t: TierName) => resourcesOf(ev, INSTANCE, new RegExp(`^${TIERS[t].name}-instance-`));
  const component = (t: TierName) => oneOf(ev, "dr:data:DataTier", new RegExp(`^${TIERS[t].name}$`));
  const descendants = (root: RecordedResourceWithRegion): RecordedResourceWithRegion[] => {
    const kids = ev.resources.filter((r) => r.parent === root.urn);
    return [...kids, ...kids.flatMap(descendants)];
  };
  const alarms = () => resourcesOf(ev, ALARM);

  before(async () => {
    ev = await evaluateStack({
      stack: "data-tier-test",
      config: {},
      program: async () => {
        const providers: Record<string, aws.Provider> = {
          [EAST]: new aws.Provider("east", { region: EAST }),
          [WEST]: new aws.Provider("west", { region: WEST }),
        };
        const tiers = Object.fromEntries(Object.values(TIERS).map((t) => [t.name, new DataTier(t.name, tierArgs(t), { provider: providers[t.region] })]));
        new RegionAlarms("alarms-east", {
          region: EAST,
          kmsKeyArn: KEYS[EAST],
          loadBalancers: LOAD_BALANCERS,
          autoScalingGroups: ASGS,
          databaseClusterIdentifier: tiers[TIERS.primary.name].clusterIdentifier,
        }, { provider: providers[EAST] });
      },
    });
  });

  describe("placement (pure)", () => {
    it("spreads instances round-robin, keyed by AZ with a round ordinal after the first round", () => {
      const table: [string[], number, string[]][] = [
        [["us-east-1a", "us-east-1b", "us-east-1c"], 0, []],
        [["us-east-1a", "us-east-1b", "us-east-1c"], 2, ["us-east-1a", "us-east-1b"]],
        [["us-east-1a", "us-east-1b", "us-east-1c"], 3, ["us-east-1a", "us-east-1b", "us-east-1c"]],
        [["us-west-2a", "us-west-2b"], 5, ["us-west-2a", "us-west-2b", "us-west-2a-2", "us-west-2b-2", "us-west-2a-3"]],
      ];
      for (const [azs, count, keys] of table) {
        const placed = placeInstances("c1", azs, count);
        expect(placed.map((p) => p.key), `${count} over ${azs}`).to.deep.equal(keys);
        expect(placed.map((p) => p.az)).to.deep.equal(keys.map((k) => k.slice(0, azs[0].length)));
      }
      expect(placeInstances("shop-us-west-2", ["us-west-2a", "us-west-2b"], 3).map((p) => p.identifier))
        .to.deep.equal(["shop-us-west-2-a", "shop-us-west-2-b", "shop-us-west-2-a-2"]);
    });

    it("property: distinct AZs = min(AZs, count), per-AZ counts differ by at most one, keys and identifiers unique", () => {
      const letters = "abcdef".split("");
      fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 15 }), (azCount, count) => {
        const azs = letters.slice(0, azCount).map((l) => `eu-west-1${l}`);
        const placed = placeInstances("c", azs, count);
        const perAz = azs.map((az) => placed.filter((p) => p.az === az).length);
        expect(new Set(placed.map((p) => p.az)).size).to.equal(Math.min(azCount, count));
        expect(Math.max(...perAz) - Math.min(...perAz)).to.be.at.most(1);
        expect(new Set(placed.map((p) => p.key)).size).to.equal(count);
        expect(new Set(placed.map((p) => p.identifier)).size).to.equal(count);
        // The first instance of every AZ is in the top failover tier.
        for (const az of azs.slice(0, count)) expect(placed.find((p) => p.az === az)?.promotionTier).to.equal(0);
      }));
    });

    it("knows each engine's port and log exports, and which classes a global database accepts", () => {
      expect(DEFAULT_PORTS).to.deep.equal({ "aurora-postgresql": 5432, "aurora-mysql": 3306 });
      expect(LOG_EXPORTS["aurora-postgresql"]).to.deep.equal(["postgresql"]);
      expect([...LOG_EXPORTS["aurora-mysql"]].sort()).to.deep.equal(["audit", "error", "general", "slowquery"]);
      const classes: [string, boolean][] = [
        ["db.r5.large", true], ["db.r6g.xlarge", true], ["db.r7g.2xlarge", true], ["db.r6i.16xlarge", true], ["db.x2g.large", true],
        ["db.t3.medium", false], ["db.t4g.large", false], ["db.r4.large", false], ["db.r3.large", false], ["db.m5.large", false], ["r6g.large", false],
      ];
      for (const [cls, ok] of classes) expect(isGlobalDatabaseClass(cls), cls).to.equal(ok);
    });

    it("checks RDS identifiers, AZ regions and backup windows", () => {
      expect(rdsIdentifierProblems("shop-us-east-1")).to.deep.equal([]);
      for (const bad of ["Shop-us-east-1", "1shop", "shop_db", "shop--db", "shop-", "a".repeat(64)]) expect(rdsIdentifierProblems(bad), bad).to.not.be.empty;
      expect(regionOfAz("ap-northeast-2c")).to.equal("ap-northeast-2");
      expect(windowMinutes("03:00-04:00")).to.equal(60);
      expect(windowMinutes("23:45-00:15")).to.equal(30);
      expect(windowMinutes("3:00-4:00")).to.equal(undefined);
    });
  });

  describe("validation", () => {
    const valid = (): DataTierArgs => ({ ...tierArgs(TIERS.primary), masterPassword: "generated-password-1" });
    const problemOf = (overrides: Partial<DataTierArgs>): string => {
      try {
        validateDataTierArgs({ ...valid(), ...overrides });
      } catch (err) {
        return (err as Error).message;
      }
      return "";
    };

    it("accepts a valid primary and a valid secondary", () => {
      expect(problemOf({})).to.equal("");
      expect(() => validateDataTierArgs(tierArgs(TIERS.secondary))).to.not.throw();
      expect(() => validateDataTierArgs(tierArgs(TIERS.headless))).to.not.throw();
    });

    it("rejects a burstable class in a global database, naming the input, value and fix", () => {
      const message = problemOf({ instanceClass: "db.t3.medium" });
      expect(message).to.contain("instanceClass").and.to.contain("db.t3.medium").and.to.match(/memory-optimized.*db\.r6g\.large/);
    });

    it("rejects credentials and a database name on a secondary, without printing the password", () => {
      const message = problemOf({ role: "secondary", masterUsername: "dbadmin", masterPassword: "super-secret-pw", databaseName: "shop" });
      for (const input of ["masterUsername", "masterPassword", "databaseName"]) expect(message).to.contain(`${input} is set`);
      expect(message).to.contain("\"dbadmin\"").and.to.contain("remove it");
      expect(message).to.not.contain("super-secret-pw");
    });

    it("rejects a secondary outside a global database", () => {
      expect(problemOf({ role: "secondary", masterUsername: undefined, masterPassword: undefined, databaseName: undefined, globalClusterIdentifier: undefined }))
        .to.contain("globalClusterIdentifier is missing on a secondary");
    });

    it("forwards writes on any global member (the primary's applies once demoted) whose engine version can", () => {
      const secondary = { ...tierArgs(TIERS.secondary), globalWriteForwarding: true };
      expect(() => validateDataTierArgs(secondary)).to.not.throw();
      // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html: on the
      // primary it "is used immediately if the primary is demoted by a global cluster API operation".
      expect(problemOf({ globalWriteForwarding: true })).to.equal("");
      expect(problemOf({ globalWriteForwarding: true, globalClusterIdentifier: undefined }))
        .to.contain("globalWriteForwarding is true on a primary outside a global database").and.to.contain("remove it");
      // Aurora PostgreSQL 15 forwards writes from 15.4 (AWS write-forwarding guide).
      expect(() => validateDataTierArgs({ ...secondary, engine: "aurora-postgresql", engineVersion: "15.3" }))
        .to.throw(/globalWriteForwarding is true but aurora-postgresql 15.3 cannot forward writes.*15\.4\+/);
    });

    it("rejects backup retention under 7 days", () => {
      const message = problemOf({ backupRetentionDays: 3 });
      expect(message).to.contain("backupRetentionDays is 3").and.to.contain(`from ${MIN_BACKUP_RETENTION_DAYS}`);
      expect(problemOf({ backupRetentionDays: MIN_BACKUP_RETENTION_DAYS })).to.equal("");
    });

    it("rejects bad cluster identifiers, including ones whose instance identifiers would be too long", () => {
      for (const bad of ["Shop-East", "9shop", "shop_east", "shop--east"]) {
        expect(problemOf({ clusterIdentifier: bad }), bad).to.contain(`clusterIdentifier "${bad}"`).and.to.contain("lowercase letters, digits and single hyphens");
      }
      // 62 characters is a valid cluster id, but "-a-2" would push instance ids past RDS's 63.
      const long = `s${"x".repeat(61)}`;
      expect(problemOf({ clusterIdentifier: long })).to.match(/instance identifier .* characters long; shorten the cluster identifier/);
    });

    it("rejects a primary without credentials, or without a writer", () => {
      const message = problemOf({ masterUsername: undefined, masterPassword: undefined });
      expect(message).to.contain("masterUsername is missing on a primary").and.to.contain("masterPassword is missing on a primary").and.to.contain("secret");
      expect(problemOf({ instanceCount: 0 })).to.contain("instanceCount is 0 on a primary");
    });

    it("rejects a KMS key from another region and AZs from two regions", () => {
      expect(problemOf({ kmsKeyArn: KEYS[WEST] })).to.contain(`kmsKeyArn ${KEYS[WEST]} is a key in ${WEST}, but the cluster is in ${EAST}`);
      expect(problemOf({ availabilityZones: ["us-east-1a", "us-west-2b"] })).to.contain("span regions us-east-1, us-west-2");
    });

    it("reports every problem in one error", () => {
      const message = problemOf({ instanceClass: "db.t4g.medium", backupRetentionDays: 1, clusterIdentifier: "Bad_Id", preferredBackupWindow: "03:00-03:10" });
      expect(message.split("\n  - ")).to.have.length(5);
    });

    it("registers nothing on bad input, and refuses to run without a provider", async () => {
      let caught = "";
      const bad = await evaluateStack({ stack: "bad", config: {}, program: async () => {
        const provider = new aws.Provider("east", { region: EAST });
        try {
          new DataTier("bad", { ...valid(), instanceClass: "db.t3.medium" }, { provider });
        } catch (err) {
          caught = (err as Error).message;
        }
      } });
      expect(caught).to.contain("DataTier shop-us-east-1: invalid arguments").and.to.contain("db.t3.medium");
      expect(bad.resources.filter((r) => !r.type.startsWith("pulumi:")).map((r) => r.type)).to.deep.equal([]);
      const noProvider = await failureOf(() => evaluateStack({ stack: "bad", config: {}, program: async () => {
        new DataTier("orphan", valid());
      } }));
      expect(noProvider).to.contain("DataTier orphan: no AWS provider given");
    });
  });

  describe("clusters", () => {
    const all = Object.keys(TIERS) as TierName[];

    it("encrypts storage with the customer key of the cluster's own region", () => {
      for (const t of all) {
        expect(cluster(t).inputs.storageEncrypted, t).to.equal(true);
        expect(cluster(t).inputs.kmsKeyId, t).to.equal(KEYS[TIERS[t].region]);
      }
    });

    it("protects against deletion, keeps at least 7 days of backups and takes a final snapshot named after the cluster", () => {
      const snapshots = new Set<unknown>();
      for (const t of all) {
        const i = cluster(t).inputs;
        expect(i.deletionProtection, t).to.equal(true);
        expect(i.backupRetentionPeriod as number, t).to.be.at.least(7);
        expect(i.preferredBackupWindow, t).to.match(/^\d\d:\d\d-\d\d:\d\d$/);
        expect(i.skipFinalSnapshot, t).to.equal(false);
        expect(i.finalSnapshotIdentifier, t).to.be.a("string").and.to.contain(TIERS[t].clusterIdentifier);
        // dr destroy's preflight looks for an existing snapshot under this name: both must agree.
        expect(i.finalSnapshotIdentifier, t).to.equal(finalSnapshotIdentifier(TIERS[t].clusterIdentifier));
        snapshots.add(i.finalSnapshotIdentifier);
      }
      expect(snapshots.size).to.equal(all.length);
    });

    it("turns on IAM auth, tag copying and the engine's log exports and port", () => {
      for (const t of all) {
        const i = cluster(t).inputs;
        expect(i.iamDatabaseAuthenticationEnabled, t).to.equal(true);
        expect(i.copyTagsToSnapshot, t).to.equal(true);
        expect(i.engine, t).to.equal(TIERS[t].engine);
        expect(i.enabledCloudwatchLogsExports, t).to.deep.equal(TIERS[t].engine === "aurora-mysql" ? ["audit", "error", "general", "slowquery"] : ["postgresql"]);
        expect(i.port, t).to.equal(TIERS[t].engine === "aurora-mysql" ? 3306 : 5432);
      }
    });

    it("uses the database security group and a subnet group of the given isolated subnets", () => {
      for (const t of all) {
        const i = cluster(t).inputs;
        expect(i.vpcSecurityGroupIds, t).to.deep.equal([DB_SG]);
        const group = oneOf(ev, SUBNET_GROUP, new RegExp(`^${TIERS[t].name}-subnets$`));
        expect(group.inputs.subnetIds).to.deep.equal(AZS[TIERS[t].region].map((az) => `subnet-isolated-${az}`));
        expect(i.dbSubnetGroupName, t).to.equal(group.inputs.name);
      }
    });

    it("gives a secondary no master username, password or database name, and the primary a secret password", () => {
      for (const t of ["secondary", "headless"] as const) {
        for (const field of ["masterUsername", "masterPassword", "databaseName"]) expect(cluster(t).inputs, `${t}.${field}`).to.not.have.property(field);
      }
      expect(cluster("primary").inputs.masterUsername).to.equal("dbadmin");
      expect(cluster("primary").inputs.databaseName).to.equal("shop");
      expect(cluster("primary").inputs.masterPassword).to.equal(SECRET_PLACEHOLDER);
      expect(JSON.stringify(ev.resources)).to.not.contain("generated-password-1");
    });

    it("never sets replicationSourceIdentifier or a managed master password", () => {
      for (const c of resourcesOf(ev, CLUSTER)) {
        expect(c.inputs, c.name).to.not.have.property("replicationSourceIdentifier");
        expect(c.inputs, c.name).to.not.have.property("manageMasterUserPassword");
      }
    });

    it("joins global members by id with the engine version, and ignores changes a switchover makes", () => {
      for (const t of ["primary", "secondary", "headless"] as const) {
        const c = cluster(t);
        expect(c.inputs.globalClusterIdentifier, t).to.equal(tierArgs(TIERS[t]).globalClusterIdentifier);
        expect(c.inputs.engineVersion, t).to.equal(tierArgs(TIERS[t]).engineVersion);
        expect(c.inputs.engineMode, t).to.equal("provisioned");
        expect(c.ignoreChanges, t).to.include.members(["globalClusterIdentifier", "engineVersion", "replicationSourceIdentifier"]);
      }
      // A standalone cluster's version is Pulumi's to manage: nothing ignored.
      expect(cluster("standalone").inputs).to.not.have.property("globalClusterIdentifier");
      expect(cluster("standalone").ignoreChanges).to.deep.equal([]);
    });

    // A continuous AWS Backup rule makes AWS Backup the owner of the cluster's automated-backup retention
    // (https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery-retention-period.html);
    // `pulumi up` must not reset it, yet deletion protection and at least 7 days at creation stay.
    it("ignores backupRetentionPeriod exactly where AWS Backup runs continuous backups, keeping >= 7 days and deletion protection", () => {
      for (const t of all) {
        const c = cluster(t);
        const continuous = TIERS[t].continuousBackup;
        if (continuous) expect(c.ignoreChanges, t).to.include("backupRetentionPeriod");
        else expect(c.ignoreChanges, t).to.not.include("backupRetentionPeriod");
        expect(c.inputs.backupRetentionPeriod as number, t).to.be.at.least(MIN_BACKUP_RETENTION_DAYS);
        expect(c.inputs.deletionProtection, t).to.equal(true);
      }
      // Both kinds are in the table, so neither branch is vacuous.
      expect(all.filter((t) => TIERS[t].continuousBackup)).to.have.length(2);
    });

    it("keeps every cluster identifier distinct across regions", () => {
      const ids = resourcesOf(ev, CLUSTER).map((c) => c.inputs.clusterIdentifier);
      expect(new Set(ids).size).to.equal(ids.length);
    });

    it("creates every resource with the provider of its tier's region", () => {
      for (const t of all) {
        expect(component(t).region, t).to.equal(TIERS[t].region);
        expect(cluster(t).region, t).to.equal(TIERS[t].region);
        for (const r of descendants(component(t))) expect(r.region, r.name).to.equal(TIERS[t].region);
      }
    });
  });

  describe("instances", () => {
    it("places the requested number of instances one per AZ before doubling up, keyed by AZ", () => {
      for (const t of ["primary", "secondary", "standalone"] as const) {
        const azs = AZS[TIERS[t].region];
        const instances = instancesOf(t);
        expect(instances, t).to.have.length(TIERS[t].instanceCount);
        const placed = instances.map((i) => i.inputs.availabilityZone as string);
        expect(new Set(placed).size, t).to.equal(Math.min(azs.length, TIERS[t].instanceCount));
        for (const az of placed) expect(azs, t).to.include(az);
        for (const i of instances) expect(i.name.startsWith(`${TIERS[t].name}-instance-${i.inputs.availabilityZone}`), i.name).to.equal(true);
      }
      // The primary's fourth instance goes back to the first AZ, with a round ordinal in its key.
      expect(instancesOf("primary").map((i) => i.name)).to.include(`${TIERS.primary.name}-instance-${AZS[EAST][0]}-2`);
    });

    it("registers a headless secondary's cluster but no instances", () => {
      expect(cluster("headless").inputs.clusterIdentifier).to.equal(TIERS.headless.clusterIdentifier);
      expect(instancesOf("headless")).to.have.length(0);
      expect(ev.resources.filter((r) => r.type === INSTANCE && parentOf(ev, r)?.name === TIERS.headless.name)).to.have.length(0);
    });

    it("encrypts Performance Insights with the region's key and never makes an instance public", () => {
      for (const i of resourcesOf(ev, INSTANCE)) {
        const region = i.region;
        expect(i.inputs.performanceInsightsEnabled, i.name).to.equal(true);
        expect(i.inputs.performanceInsightsKmsKeyId, i.name).to.equal(KEYS[region]);
        expect(i.inputs.publiclyAccessible, i.name).to.equal(false);
        expect(i.inputs.autoMinorVersionUpgrade, i.name).to.equal(true);
        expect(i.inputs.promotionTier, i.name).to.be.a("number");
        expect(i.inputs.instanceClass, i.name).to.equal("db.r6g.large");
      }
    });

    it("attaches each instance to its own tier's cluster and subnet group", () => {
      for (const t of ["primary", "secondary", "standalone"] as const) {
        for (const i of instancesOf(t)) {
          expect(i.inputs.clusterIdentifier, i.name).to.equal(TIERS[t].clusterIdentifier);
          expect(i.inputs.dbSubnetGroupName, i.name).to.equal(cluster(t).inputs.dbSubnetGroupName);
          expect(i.inputs.identifier as string, i.name).to.match(new RegExp(`^${TIERS[t].clusterIdentifier}-[a-z]`));
        }
      }
    });

    it("registers the component's outputs, including every instance identifier", () => {
      const out = ev.componentOutputs.get(component("primary").urn) ?? {};
      expect(out).to.include.keys("clusterIdentifier", "clusterArn", "endpoint", "readerEndpoint", "port", "instanceIdentifiers", "clusterResourceId");
      expect([...(out.instanceIdentifiers as string[])].sort()).to.deep.equal(instancesOf("primary").map((i) => i.inputs.identifier).sort());
      expect(out.port).to.equal(5432);
      expect(ev.componentOutputs.get(component("headless").urn)?.instanceIdentifiers).to.deep.equal([]);
    });
  });

  describe("region alarms", () => {
    const alarmComponent = () => oneOf(ev, "dr:observability:RegionAlarms");
    const topicArn = () => ev.componentOutputs.get(alarmComponent().urn)?.topicArn as string;

    it("encrypts the topic with the region's key and lets only this account's alarms publish, over TLS", () => {
      const topic = oneOf(ev, TOPIC);
      expect(topic.inputs.kmsMasterKeyId).to.equal(KEYS[EAST]);
      expect(topic.region).to.equal(EAST);
      const policy = JSON.parse(oneOf(ev, "aws:sns/topicPolicy:TopicPolicy").inputs.policy as string);
      const allow = policy.Statement.find((s: { Effect: string }) => s.Effect === "Allow");
      expect(allow.Principal).to.deep.equal({ Service: "cloudwatch.amazonaws.com" });
      expect(allow.Action).to.equal("sns:Publish");
      expect(allow.Resource).to.equal(topicArn());
      expect(allow.Condition.StringEquals["aws:SourceAccount"]).to.equal(topicArn().split(":")[4]);
      expect(policy.Statement.some((s: { Effect: string; Condition?: { Bool?: Record<string, string> } }) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false")).to.equal(true);
    });

    it("sends every alarm and its recovery to the topic, with deliberate missing-data handling and explicit periods", () => {
      expect(alarms()).to.not.be.empty;
      for (const a of alarms()) {
        expect(a.inputs.alarmActions, a.name).to.deep.equal([topicArn()]);
        expect(a.inputs.okActions, a.name).to.deep.equal([topicArn()]);
        expect(a.inputs.treatMissingData, a.name).to.be.oneOf(["breaching", "notBreaching", "ignore", "missing"]);
        expect(a.inputs.evaluationPeriods as number, a.name).to.be.a("number").and.at.least(1);
        expect(a.inputs.datapointsToAlarm as number, a.name).to.be.a("number").and.at.most(a.inputs.evaluationPeriods as number);
        expect(a.region, a.name).to.equal(EAST);
      }
      const names = ev.componentOutputs.get(alarmComponent().urn)?.alarmNames as string[];
      expect(names).to.have.length(alarms().length);
    });

    it("computes each load balancer's 5xx rate with metric math over RequestCount", () => {
      for (const lb of LOAD_BALANCERS) {
        const a = oneOf(ev, ALARM, new RegExp(`-${lb.key}-5xx-rate$`));
        const queries = a.inputs.metricQueries as { id: string; expression?: string; returnData?: boolean; metric?: { metricName: string; namespace: string; dimensions: Record<string, string>; stat: string } }[];
        expect(a.inputs.threshold).to.equal(DEFAULT_ERROR_RATE_PERCENT);
        expect(a.inputs.comparisonOperator).to.equal("GreaterThanThreshold");
        expect(a.inputs).to.not.have.property("metricName");
        const returned = queries.filter((q) => q.returnData);
        expect(returned).to.have.length(1);
        // Follow the returned expression back to the metrics it reads.
        const byId = new Map(queries.map((q) => [q.id, q]));
        const reached = new Set<string>();
        const visit = (id: string) => {
          const q = byId.get(id);
          if (!q || reached.has(id)) return;
          reached.add(id);
          for (const ref of (q.expression ?? "").match(/[a-z][a-zA-Z0-9_]*/g) ?? []) visit(ref);
        };
        visit(returned[0].id);
        const metrics = queries.filter((q) => q.metric && reached.has(q.id)).map((q) => q.metric!);
        expect(metrics.map((m) => m.metricName).sort()).to.deep.equal(["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "RequestCount"]);
        for (const m of metrics) {
          expect(m.namespace).to.equal("AWS/ApplicationELB");
          expect(m.dimensions).to.deep.equal({ LoadBalancer: lb.arnSuffix });
          expect(m.stat).to.equal("Sum");
        }
        expect(returned[0].expression).to.contain("/").and.to.contain("100");
      }
    });

    it("raises unhealthy-target alarms per target group", () => {
      for (const lb of LOAD_BALANCERS) {
        const a = oneOf(ev, ALARM, new RegExp(`-${lb.key}-unhealthy-hosts$`));
        expect(a.inputs.metricName).to.equal("UnHealthyHostCount");
        expect(a.inputs.dimensions).to.deep.equal({ LoadBalancer: lb.arnSuffix, TargetGroup: lb.targetGroupArnSuffix });
        expect(a.inputs.comparisonOperator).to.equal("GreaterThanThreshold");
        expect(a.inputs.threshold).to.equal(0);
      }
    });

    it("watches in-service capacity of every group against the larger of its own desired capacity and the floor", () => {
      const inService = resourcesOf(ev, ALARM, /-in-service$/);
      // A group at zero today (pilot light) is watched too: a failover's scale-out raises its desired capacity.
      expect(inService.map((a) => a.name)).to.deep.equal(ASGS.map((g) => `alarms-east-${g.key}-in-service`));
      for (const g of ASGS) {
        const a = oneOf(ev, ALARM, new RegExp(`-${g.key}-in-service$`));
        const queries = a.inputs.metricQueries as { id: string; expression?: string; metric?: { metricName: string; dimensions: unknown } }[];
        const metric = (id: string) => queries.find((q) => q.id === id)!.metric!;
        expect(metric("inService").metricName).to.equal("GroupInServiceInstances");
        expect(metric("desired").metricName).to.equal("GroupDesiredCapacity");
        expect(metric("inService").dimensions).to.deep.equal({ AutoScalingGroupName: g.name });
        expect(metric("desired").dimensions).to.deep.equal({ AutoScalingGroupName: g.name });
        expect(queries.find((q) => q.id === "required")!.expression).to.equal(`IF(FILL(desired, 0) > ${g.floor}, FILL(desired, 0), ${g.floor})`);
        expect(a.inputs).to.include({ comparisonOperator: "GreaterThanThreshold", threshold: 0, treatMissingData: "breaching" });
      }
    });

    it("watches the Aurora cluster's CPU above 80 % and freeable memory below 256 MiB", () => {
      const cpu = oneOf(ev, ALARM, /-db-cpu$/);
      const memory = oneOf(ev, ALARM, /-db-freeable-memory$/);
      for (const a of [cpu, memory]) {
        expect(a.inputs.namespace).to.equal("AWS/RDS");
        expect(a.inputs.dimensions).to.deep.equal({ DBClusterIdentifier: TIERS.primary.clusterIdentifier });
      }
      expect(cpu.inputs).to.include({ metricName: "CPUUtilization", comparisonOperator: "GreaterThanThreshold", threshold: 80 });
      expect(memory.inputs).to.include({ metricName: "FreeableMemory", comparisonOperator: "LessThanThreshold", threshold: 256 * 1024 * 1024 });
      expect(DEFAULT_FREEABLE_MEMORY_BYTES).to.equal(256 * 1024 * 1024);
      expect(alarms()).to.have.length(LOAD_BALANCERS.length * 2 + ASGS.length + 2);
    });

    it("rejects duplicate keys, impossible thresholds and negative capacity in one error", () => {
      const args: RegionAlarmsArgs = {
        region: EAST,
        kmsKeyArn: KEYS[EAST],
        loadBalancers: [LOAD_BALANCERS[0], LOAD_BALANCERS[0]],
        autoScalingGroups: [{ key: "Web", name: "x", floor: -1 }],
        errorRatePercent: 150,
      };
      let message = "";
      try {
        validateRegionAlarmsArgs(args);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).to.contain("loadBalancers repeats key(s) web");
      expect(message).to.contain("autoScalingGroups key \"Web\"");
      expect(message).to.contain("floor is -1");
      expect(message).to.contain("errorRatePercent is 150");
      expect(() => validateRegionAlarmsArgs({ region: EAST, kmsKeyArn: KEYS[EAST], loadBalancers: LOAD_BALANCERS, autoScalingGroups: ASGS })).to.not.throw();
    });
  });
});
