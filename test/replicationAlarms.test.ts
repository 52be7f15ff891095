import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { healthCheckAlarmProblems, HealthCheckAlarm, HealthCheckAlarmArgs, ROUTE53_METRICS_REGION } from "../components/observability/healthCheckAlarm";
import { publishesRpoLag, ReplicationAlarms, ReplicationAlarmsArgs, replicationAlarmsProblems, S3_RTC_BOUND_SECONDS, S3ReplicationRuleAlarmArgs } from "../components/observability/replicationAlarms";
import { Evaluation, evaluateStack, RecordedResourceWithRegion } from "../src/engine/evaluate";
import { MOCK_ACCOUNT_ID } from "../src/engine/mockCloud";
import { failureOf, oneOf, parentOf, resourcesOf } from "./harness/stack";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const PRIMARY = "us-east-1";
const SECONDARY = "us-west-2";
const RPO_SECONDS = 30;
const SECONDARY_CLUSTER = "orders-usw2";
const PRIMARY_CLUSTER = "orders-use1";
/** Aurora MySQL 3.03 predates AuroraGlobalDBRPOLag (published from 3.04.0 / 2.12.0 on, see below). */
const OLD_MYSQL = "8.0.mysql_aurora.3.03.1";
const topicIn = (region: string, name = "dr-alarms") => `arn:aws:sns:${region}:${MOCK_ACCOUNT_ID}:${name}`;
const KEY_ARN = `arn:aws:kms:us-east-1:${MOCK_ACCOUNT_ID}:key/mrk-0123456789abcdef0123456789abcdef`;
const HEALTH_CHECK_ID = "abcdef01-2345-6789-abcd-ef0123456789";

/** Replication both ways, as the secondary stack sets it up. */
const RULES: S3ReplicationRuleAlarmArgs[] = [
  { ruleId: "to-secondary", sourceBucketName: "orders-data-use1", destinationBucketName: "orders-data-usw2", sourceRegion: PRIMARY, destinationRegion: SECONDARY },
  { ruleId: "to-primary", sourceBucketName: "orders-data-usw2", destinationBucketName: "orders-data-use1", sourceRegion: SECONDARY, destinationRegion: PRIMARY },
];

const regionOfArn = (arn: string) => arn.split(":")[3];
type Dimensions = Record<string, string>;

describe("replication and health-check alarms", () => {
  let ev: Evaluation;

  before(async () => {
    ev = await evaluateStack({
      stack: "alarms",
      config: {},
      program: async () => {
        const east = new aws.Provider("east", { region: PRIMARY });
        const west = new aws.Provider("west", { region: SECONDARY });
        new ReplicationAlarms("repl-west", {
          region: SECONDARY,
          alarmTopicArn: topicIn(SECONDARY),
          aurora: { clusterIdentifier: SECONDARY_CLUSTER, engine: "aurora-postgresql", engineVersion: "16.6", rpoTargetSeconds: RPO_SECONDS, instances: 1 },
          s3: RULES,
        }, { provider: west });
        new ReplicationAlarms("repl-old-mysql", {
          region: PRIMARY,
          alarmTopicArn: topicIn(PRIMARY),
          aurora: { clusterIdentifier: PRIMARY_CLUSTER, engine: "aurora-mysql", engineVersion: OLD_MYSQL, rpoTargetSeconds: RPO_SECONDS, instances: 2 },
        }, { provider: east });
        new ReplicationAlarms("repl-east", { region: PRIMARY, alarmTopicArn: topicIn(PRIMARY), s3: RULES }, { provider: east });
        new HealthCheckAlarm("hc-own-topic", { healthCheckId: HEALTH_CHECK_ID, providerRegion: "us-east-1", topicKmsKeyArn: KEY_ARN, subject: "us-west-2.orders.example.com" }, { provider: east });
        new HealthCheckAlarm("hc-given-topic", { healthCheckId: HEALTH_CHECK_ID, providerRegion: "us-east-1", alarmTopicArn: topicIn(ROUTE53_METRICS_REGION, "route53-alarms") }, { provider: east });
      },
    });
  });

  const alarmsOf = (component: string) => resourcesOf(ev, ALARM).filter((a) => parentOf(ev, a)?.name === component);
  const alarmFor = (component: string, metric: string, dims: Partial<Dimensions> = {}) => {
    const found = alarmsOf(component).filter((a) => a.inputs.metricName === metric
      && Object.entries(dims).every(([k, v]) => (a.inputs.dimensions as Dimensions)[k] === v));
    expect(found, `${component} ${metric} ${JSON.stringify(dims)}`).to.have.length(1);
    return found[0];
  };
  const dims = (a: RecordedResourceWithRegion) => a.inputs.dimensions as Dimensions;

  describe("Aurora global database", () => {
    for (const metric of ["AuroraGlobalDBReplicationLag", "AuroraGlobalDBRPOLag"]) {
      it(`alarms when ${metric} (milliseconds) exceeds the RPO target`, () => {
        const a = alarmFor("repl-west", metric).inputs;
        expect(a.namespace).to.equal("AWS/RDS");
        expect(a.threshold).to.equal(RPO_SECONDS * 1000);
        expect(a.comparisonOperator).to.equal("GreaterThanThreshold");
        expect(a.statistic).to.equal("Maximum");
      });

      it(`watches ${metric} on the secondary member cluster, in the secondary's region`, () => {
        const a = alarmFor("repl-west", metric);
        expect(dims(a)).to.deep.equal({ DBClusterIdentifier: SECONDARY_CLUSTER });
        expect(a.region).to.equal(SECONDARY);
      });
    }

    it("treats missing lag data as missing, so the member that is primary today (which publishes no lag) does not sit in ALARM", () => {
      // "Some CloudWatch metrics, such as replication lag, are only available for secondary Regions"
      // (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html):
      // after a switchover the new primary goes silent. Silence must neither page (breaching) nor look
      // healthy (notBreaching); "missing" leaves INSUFFICIENT_DATA, which notifies nobody.
      const lag = resourcesOf(ev, ALARM).filter((a) => a.inputs.namespace === "AWS/RDS");
      expect(lag).to.have.length(3);
      for (const a of lag) {
        expect(a.inputs.treatMissingData, a.name).to.equal("missing");
        expect(a.inputs, a.name).to.not.have.property("insufficientDataActions");
      }
    });

    it("alarms on AuroraGlobalDBRPOLag only where the engine version publishes it", () => {
      // AWS: AuroraGlobalDBRPOLag for every Aurora PostgreSQL version and Aurora MySQL 3.04.0+ / 2.12.0+;
      // older Aurora MySQL has AuroraGlobalDBReplicationLag only
      // (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html).
      expect(alarmsOf("repl-old-mysql").map((a) => a.inputs.metricName)).to.deep.equal(["AuroraGlobalDBReplicationLag"]);
      expect(dims(alarmFor("repl-old-mysql", "AuroraGlobalDBReplicationLag"))).to.deep.equal({ DBClusterIdentifier: PRIMARY_CLUSTER });
      const table: Array<[Parameters<typeof publishesRpoLag>[0], string, boolean | undefined]> = [
        ["aurora-mysql", "8.0.mysql_aurora.3.03.1", false],
        ["aurora-mysql", "8.0.mysql_aurora.3.04.0", true],
        ["aurora-mysql", "8.0.mysql_aurora.3.08.0", true],
        ["aurora-mysql", "5.7.mysql_aurora.2.11.2", false],
        ["aurora-mysql", "5.7.mysql_aurora.2.12.0", true],
        ["aurora-postgresql", "11.9", true],
        ["aurora-postgresql", "16.6", true],
        ["aurora-mysql", "8.0", undefined],
      ];
      for (const [engine, version, expected] of table) expect(publishesRpoLag(engine, version), `${engine} ${version}`).to.equal(expected);
      const bad = replicationAlarmsProblems({ region: SECONDARY, alarmTopicArn: topicIn(SECONDARY), aurora: { clusterIdentifier: "c", engine: "aurora-mysql", engineVersion: "8.0", rpoTargetSeconds: 30, instances: 1 } });
      expect(bad.join("\n")).to.contain('aurora.engineVersion is "8.0", not an aurora-mysql version').and.to.contain("8.0.mysql_aurora.3.08.0");
    });

    it("adds no Aurora alarms where none were asked for", () => {
      expect(alarmsOf("repl-east").filter((a) => a.inputs.namespace === "AWS/RDS")).to.be.empty;
    });
  });

  describe("S3 replication", () => {
    it("alarms on ReplicationLatency above the RTC bound in each rule's destination region only", () => {
      expect(S3_RTC_BOUND_SECONDS).to.equal(15 * 60);
      for (const rule of RULES) {
        const component = rule.destinationRegion === SECONDARY ? "repl-west" : "repl-east";
        const a = alarmFor(component, "ReplicationLatency", { RuleId: rule.ruleId });
        expect(a.region).to.equal(rule.destinationRegion);
        expect(a.inputs.namespace).to.equal("AWS/S3");
        expect(a.inputs.threshold).to.equal(15 * 60);
        expect(a.inputs.comparisonOperator).to.equal("GreaterThanThreshold");
        expect(dims(a)).to.deep.equal({ SourceBucket: rule.sourceBucketName, DestinationBucket: rule.destinationBucketName, RuleId: rule.ruleId });
      }
      expect(resourcesOf(ev, ALARM).filter((a) => a.inputs.metricName === "ReplicationLatency")).to.have.length(RULES.length);
    });

    it("alarms on any OperationsFailedReplication in each rule's source region only", () => {
      for (const rule of RULES) {
        const component = rule.sourceRegion === SECONDARY ? "repl-west" : "repl-east";
        const a = alarmFor(component, "OperationsFailedReplication", { RuleId: rule.ruleId });
        expect(a.region).to.equal(rule.sourceRegion);
        expect(a.inputs.namespace).to.equal("AWS/S3");
        expect(a.inputs.statistic).to.equal("Sum");
        expect(a.inputs.threshold).to.equal(0);
        expect(a.inputs.comparisonOperator).to.equal("GreaterThanThreshold");
        expect(dims(a)).to.deep.equal({ SourceBucket: rule.sourceBucketName, DestinationBucket: rule.destinationBucketName, RuleId: rule.ruleId });
      }
      expect(resourcesOf(ev, ALARM).filter((a) => a.inputs.metricName === "OperationsFailedReplication")).to.have.length(RULES.length);
    });

    it("does not page on a fresh deploy: latency is reported only 15 minutes after RTC is enabled, failures only when replication happens", () => {
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html: metrics start 15 minutes after RTC is on.
      for (const a of resourcesOf(ev, ALARM).filter((x) => x.inputs.metricName === "ReplicationLatency")) expect(a.inputs.treatMissingData).to.equal("missing");
      for (const a of resourcesOf(ev, ALARM).filter((x) => x.inputs.metricName === "OperationsFailedReplication")) expect(a.inputs.treatMissingData).to.equal("notBreaching");
    });
  });

  describe("every alarm", () => {
    it("notifies a topic in its own region on ALARM and on OK", () => {
      const alarms = resourcesOf(ev, ALARM);
      expect(alarms).to.have.length(4 + 1 + 2 + 2);
      for (const a of alarms) {
        const actions = a.inputs.alarmActions as string[];
        expect(actions, a.name).to.have.length(1);
        expect(regionOfArn(actions[0]), a.name).to.equal(a.region);
        expect(a.inputs.okActions, a.name).to.deep.equal(actions);
      }
    });

    it("says explicitly what missing data means", () => {
      for (const a of resourcesOf(ev, ALARM)) expect(["breaching", "notBreaching", "missing"], a.name).to.include(a.inputs.treatMissingData);
    });

    it("is listed in its component's alarmNames output", () => {
      for (const component of ["repl-west", "repl-east", "repl-old-mysql"]) {
        const urn = oneOf(ev, "dr:observability:ReplicationAlarms", new RegExp(`^${component}$`)).urn;
        const names = ev.componentOutputs.get(urn)?.alarmNames as string[];
        expect(names).to.have.length(alarmsOf(component).length);
        for (const a of alarmsOf(component)) expect(names.some((n) => n.startsWith(a.name)), a.name).to.equal(true);
      }
    });
  });

  describe("Route 53 health-check alarm", () => {
    it("is registered in us-east-1, where Route 53 publishes HealthCheckStatus", () => {
      for (const component of ["hc-own-topic", "hc-given-topic"]) {
        const [a] = alarmsOf(component);
        expect(a.region).to.equal("us-east-1");
        expect(a.inputs.namespace).to.equal("AWS/Route53");
        expect(a.inputs.metricName).to.equal("HealthCheckStatus");
        expect(dims(a)).to.deep.equal({ HealthCheckId: HEALTH_CHECK_ID });
        expect(a.inputs.comparisonOperator).to.equal("LessThanThreshold");
        expect(a.inputs.threshold).to.equal(1);
        expect(a.inputs.statistic).to.equal("Minimum");
        // Route 53 publishes the status while the check exists and is enabled: silence means failover
        // detection itself is gone, so it pages rather than waiting as INSUFFICIENT_DATA.
        expect(a.inputs.treatMissingData).to.equal("breaching");
      }
    });

    it("notifies the given us-east-1 topic and creates none of its own", () => {
      const [a] = alarmsOf("hc-given-topic");
      expect(a.inputs.alarmActions).to.deep.equal([topicIn(ROUTE53_METRICS_REGION, "route53-alarms")]);
      expect(resourcesOf(ev, "aws:sns/topic:Topic").filter((t) => parentOf(ev, t)?.name === "hc-given-topic")).to.be.empty;
    });

    it("otherwise creates a us-east-1 topic encrypted with the given key, which the alarm notifies", () => {
      const topic = oneOf(ev, "aws:sns/topic:Topic");
      expect(parentOf(ev, topic)?.name).to.equal("hc-own-topic");
      expect(topic.region).to.equal("us-east-1");
      expect(topic.inputs.kmsMasterKeyId).to.equal(KEY_ARN);
      const [a] = alarmsOf("hc-own-topic");
      const actions = a.inputs.alarmActions as string[];
      expect(regionOfArn(actions[0])).to.equal("us-east-1");
      expect(actions[0]).to.contain(`:${MOCK_ACCOUNT_ID}:hc-own-topic-topic`);
    });

    it("lets only this account's CloudWatch alarms publish to the created topic, over TLS", () => {
      const policy = JSON.parse(oneOf(ev, "aws:sns/topicPolicy:TopicPolicy").inputs.policy as string);
      const allow = policy.Statement.find((s: { Effect: string }) => s.Effect === "Allow");
      expect(allow.Principal).to.deep.equal({ Service: "cloudwatch.amazonaws.com" });
      expect(allow.Action).to.equal("sns:Publish");
      expect(allow.Condition.StringEquals["aws:SourceAccount"]).to.equal(MOCK_ACCOUNT_ID);
      expect(allow.Condition.ArnLike["aws:SourceArn"]).to.equal(`arn:aws:cloudwatch:us-east-1:${MOCK_ACCOUNT_ID}:alarm:*`);
      const deny = policy.Statement.find((s: { Effect: string }) => s.Effect === "Deny");
      expect(deny.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
    });

    it("fails the deployment when the provider in opts is not the us-east-1 one it claims", async () => {
      const message = await failureOf(() => evaluateStack({
        stack: "alarms-wrong-provider",
        config: {},
        program: async () => {
          const west = new aws.Provider("west", { region: SECONDARY });
          new HealthCheckAlarm("hc", { healthCheckId: HEALTH_CHECK_ID, providerRegion: "us-east-1", alarmTopicArn: topicIn("us-east-1") }, { provider: west });
        },
      }));
      expect(message).to.contain(`provider passed in opts is for ${SECONDARY}`).and.contain("pass the provider of us-east-1");
    });
  });

  it("fails the deployment when a topic known only at deploy time is in another region than the alarms", async () => {
    const message = await failureOf(() => evaluateStack({
      stack: "alarms-wrong-topic",
      config: {},
      program: async () => {
        const east = new aws.Provider("east", { region: PRIMARY });
        const west = new aws.Provider("west", { region: SECONDARY });
        const eastTopic = new aws.sns.Topic("east-alarms", {}, { provider: east });
        new ReplicationAlarms("repl", { region: SECONDARY, alarmTopicArn: eastTopic.arn, s3: RULES }, { provider: west });
      },
    }));
    expect(message).to.contain("ReplicationAlarms repl: alarmTopicArn is in us-east-1").and.contain("pass one in us-west-2");
  });

  describe("validation (before anything is registered)", () => {
    const hcBase: HealthCheckAlarmArgs = { healthCheckId: HEALTH_CHECK_ID, providerRegion: "us-east-1", alarmTopicArn: topicIn("us-east-1") };
    const hcCases: { what: string; args: HealthCheckAlarmArgs; expect: RegExp[] }[] = [
      { what: "a provider region other than us-east-1", args: { ...hcBase, providerRegion: SECONDARY }, expect: [/providerRegion/, /"us-west-2"/, /only in us-east-1/, /pass a us-east-1 provider/] },
      { what: "a topic in another region", args: { ...hcBase, alarmTopicArn: topicIn(SECONDARY) }, expect: [/alarmTopicArn/, /in us-west-2/, /pass one in us-east-1/] },
      { what: "a KMS key in another region", args: { healthCheckId: HEALTH_CHECK_ID, providerRegion: "us-east-1", topicKmsKeyArn: KEY_ARN.replace("us-east-1", SECONDARY) }, expect: [/topicKmsKeyArn/, /in us-west-2/, /pass one in us-east-1/] },
      { what: "something that is not a topic ARN", args: { ...hcBase, alarmTopicArn: "dr-alarms" }, expect: [/alarmTopicArn/, /"dr-alarms"/, /not an sns ARN/] },
      { what: "both a topic and a key", args: { ...hcBase, topicKmsKeyArn: KEY_ARN }, expect: [/alarmTopicArn and topicKmsKeyArn are both set/, /not both/] },
      { what: "neither a topic nor a key", args: { healthCheckId: HEALTH_CHECK_ID, providerRegion: "us-east-1" }, expect: [/both missing/, /give an existing us-east-1 topic ARN/] },
    ];
    for (const c of hcCases) {
      it(`HealthCheckAlarm rejects ${c.what}`, () => {
        const problems = healthCheckAlarmProblems(c.args);
        expect(problems, JSON.stringify(problems)).to.have.length(1);
        for (const re of c.expect) expect(problems[0]).to.match(re);
        expect(() => new HealthCheckAlarm("never", c.args)).to.throw(/^HealthCheckAlarm: invalid arguments/);
      });
    }

    const replBase: ReplicationAlarmsArgs = { region: SECONDARY, alarmTopicArn: topicIn(SECONDARY), aurora: { clusterIdentifier: SECONDARY_CLUSTER, engine: "aurora-postgresql", engineVersion: "16.6", rpoTargetSeconds: RPO_SECONDS, instances: 1 }, s3: RULES };
    const replCases: { what: string; args: ReplicationAlarmsArgs; expect: RegExp[] }[] = [
      { what: "a topic outside the alarms' region", args: { ...replBase, alarmTopicArn: topicIn(PRIMARY) }, expect: [/alarmTopicArn/, /in us-east-1/, /pass one in us-west-2/] },
      { what: "a non-positive RPO target", args: { ...replBase, aurora: { clusterIdentifier: SECONDARY_CLUSTER, engine: "aurora-postgresql", engineVersion: "16.6", rpoTargetSeconds: 0, instances: 1 } }, expect: [/aurora\.rpoTargetSeconds is 0/, /positive number of seconds/] },
      { what: "lag alarms on a headless member (no documented lag metrics, so ALARM by design)", args: { ...replBase, aurora: { clusterIdentifier: SECONDARY_CLUSTER, engine: "aurora-postgresql", engineVersion: "16.6", rpoTargetSeconds: RPO_SECONDS, instances: 0 } }, expect: [/aurora\.instances is 0/, /headless/, /omit aurora/] },
      { what: "nothing to alarm on", args: { region: SECONDARY, alarmTopicArn: topicIn(SECONDARY) }, expect: [/aurora and s3 are both empty/, /give this region.s Aurora member cluster/] },
      { what: "a rule whose metrics are published elsewhere", args: { ...replBase, s3: [{ ...RULES[0], sourceRegion: "eu-west-1", destinationRegion: "eu-central-1" }] }, expect: [/s3\[0\]/, /eu-west-1 -> eu-central-1/, /create these alarms in eu-central-1 \(latency\) and eu-west-1 \(failures\)/] },
      { what: "two rules with one id on the same side", args: { ...replBase, s3: [RULES[0], { ...RULES[0], sourceBucketName: "other-use1" }] }, expect: [/s3\[1\]\.ruleId "to-secondary"/, /distinct ids/] },
    ];
    for (const c of replCases) {
      it(`ReplicationAlarms rejects ${c.what}`, () => {
        const problems = replicationAlarmsProblems(c.args);
        expect(problems, JSON.stringify(problems)).to.have.length(1);
        for (const re of c.expect) expect(problems[0]).to.match(re);
        expect(() => new ReplicationAlarms("never", c.args)).to.throw(/^ReplicationAlarms: invalid arguments/);
      });
    }

    it("accepts the arguments both regions' instances were built with", () => {
      expect(replicationAlarmsProblems(replBase)).to.deep.equal([]);
      expect(replicationAlarmsProblems({ region: PRIMARY, alarmTopicArn: topicIn(PRIMARY), s3: RULES })).to.deep.equal([]);
      expect(healthCheckAlarmProblems(hcBase)).to.deep.equal([]);
    });
  });
});
