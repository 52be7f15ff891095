/**
 * Every alarm of every evaluated configuration (each strategy, ARC switches, a person starting
 * recovery) read as AWS reads it before the first `pulumi up`: what PutMetricAlarm refuses, metrics
 * read with dimensions or periods the service never publishes, alarms outside the region their
 * metric lands in, metrics that are never collected, silence judged against how the metric is
 * published, and actions AWS could not deliver (topic in another region, key closed to CloudWatch).
 * The rules and their pages live in harness/cloudWatchRules.ts; the first block proves they bite.
 */
import { expect } from "chai";
import { DR_STRATEGIES } from "../components/strategy";
import { SWITCH_ALARM, SWITCH_METRIC_NAMESPACE, SWITCH_PERIOD_SECONDS, ROUTE53_ALARM_STATISTICS } from "../components/dns/regionSwitch";
import { RECOVERY_TRIGGER_SIGNAL } from "../components/recovery/recoveryStart";
import { ACTION_HANDLER_SOURCE } from "../components/recovery/actionHandler";
import type { Evaluation, RecordedResourceWithRegion } from "../src/engine/evaluate";
import {
  AlarmInputs, alarmMetrics, alarmPeriod, HIGH_RESOLUTION_PERIODS, missingDataProblem, publishedMetric, publishedMetricProblems, putMetricAlarmProblems,
} from "./harness/cloudWatchRules";
import { arcDeployment, Deployment, deploymentFor, exampleDeployment, personApprovalDeployment } from "./harness/deployments";
import { resourcesOf } from "./harness/stack";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
type Resource = RecordedResourceWithRegion;
interface Found { readonly config: string; readonly stack: string; readonly alarm: Resource; readonly all: readonly Resource[] }

describe("the CloudWatch rules the alarms are checked against", () => {
  const base: AlarmInputs = { namespace: "AWS/Route53", metricName: "HealthCheckStatus", dimensions: { HealthCheckId: "x" }, statistic: "Minimum", period: 60, evaluationPeriods: 1, comparisonOperator: "LessThanThreshold", threshold: 1, treatMissingData: "breaching" };
  const math: AlarmInputs = {
    evaluationPeriods: 5, comparisonOperator: "GreaterThanThreshold", threshold: 0,
    metricQueries: [
      { id: "m1", returnData: false, metric: { namespace: "AWS/AutoScaling", metricName: "GroupInServiceInstances", dimensions: { AutoScalingGroupName: "g" }, period: 60, stat: "Minimum" } },
      { id: "e1", returnData: true, expression: "FILL(m1, 0)" },
    ],
  };

  it("accepts a well-formed single-metric alarm and a well-formed metric-math alarm", () => {
    expect(putMetricAlarmProblems(base)).to.deep.equal([]);
    expect(putMetricAlarmProblems(math)).to.deep.equal([]);
  });

  it("refuses what PutMetricAlarm refuses: periods, the evaluation range, M out of N, statistics", () => {
    const problems = (over: Partial<AlarmInputs>) => putMetricAlarmProblems({ ...base, ...over }).join("\n");
    expect(problems({ period: 45 })).to.contain("not 10, 20, 30 or a multiple of 60");
    // At most a day below an hour's period (1441 one-minute periods is one too many), a week from an hour up.
    expect(problems({ period: 60, evaluationPeriods: 1441 })).to.contain("exceeds 86400");
    expect(problems({ period: 3600, evaluationPeriods: 24 * 7 + 1 })).to.contain("exceeds 604800");
    expect(problems({ period: 3600, evaluationPeriods: 26 })).to.equal("");
    expect(problems({ evaluationPeriods: 3, datapointsToAlarm: 4 })).to.contain("DatapointsToAlarm 4");
    expect(problems({ statistic: "p99" })).to.contain("Statistic p99");
    expect(problems({ treatMissingData: "ignored" })).to.contain("TreatMissingData ignored");
    expect(problems({ name: "a".repeat(256) })).to.contain("AlarmName is 256 characters");
  });

  it("refuses metric math AWS refuses: ids, ReturnData left to its default of true, undefined references", () => {
    const queries = math.metricQueries!;
    const with_ = (qs: typeof queries) => putMetricAlarmProblems({ ...math, metricQueries: qs }).join("\n");
    expect(with_([{ ...queries[0], id: "M1" }, { ...queries[1], expression: "FILL(M1, 0)" }])).to.contain('query id "M1"');
    expect(with_([{ ...queries[0], returnData: undefined }, queries[1]])).to.contain("2 queries return data");
    expect(with_([queries[0], { ...queries[1], expression: "FILL(m2, 0)" }])).to.contain('reads "m2"');
    expect(putMetricAlarmProblems({ ...math, period: 60 }).join("\n")).to.contain("takes no Namespace, Dimensions, Period or Statistic");
  });

  it("finds an alarm that would never see data: a dimension set the service does not publish, a period under the metric's resolution", () => {
    expect(publishedMetricProblems({ namespace: "AWS/ApplicationELB", metricName: "UnHealthyHostCount", dimensions: { LoadBalancer: "app/a/b" }, period: 60, stat: "Maximum" }).join(""))
      .to.contain("not (LoadBalancer)");
    expect(publishedMetricProblems({ namespace: "AWS/S3", metricName: "ReplicationLatency", dimensions: { SourceBucket: "a", DestinationBucket: "b" }, period: 60, stat: "Maximum" }).join(""))
      .to.contain("never see data");
    expect(publishedMetricProblems({ namespace: "AWS/Backup", metricName: "NumberOfBackupJobsFailed", dimensions: { BackupVaultName: "v" }, period: 60, stat: "Sum" }).join(""))
      .to.contain("every 300 s");
    expect(publishedMetricProblems({ namespace: "AWS/Backup", metricName: "NumberOfRecoveryPointsLost", dimensions: {}, period: 300, stat: "Sum" }).join("")).to.contain("not in the catalogue");
  });

  it("reads silence by how the metric is published: zero for a count reported only while nonzero, normal for a secondary-only metric", () => {
    const failures = { comparisonOperator: "GreaterThanThreshold", threshold: 0 };
    const nothingCompleted = { comparisonOperator: "LessThanThreshold", threshold: 1 };
    expect(missingDataProblem({ ...failures, treatMissingData: "notBreaching" }, "nonzero")).to.equal(undefined);
    expect(missingDataProblem({ ...failures, treatMissingData: "breaching" }, "nonzero")).to.contain("must be notBreaching");
    expect(missingDataProblem({ ...failures }, "nonzero")).to.contain("not missing");
    expect(missingDataProblem({ ...nothingCompleted, treatMissingData: "breaching" }, "nonzero")).to.equal(undefined);
    expect(missingDataProblem({ ...nothingCompleted, treatMissingData: "notBreaching" }, "nonzero")).to.contain("must be breaching");
    expect(missingDataProblem({ ...failures, treatMissingData: "breaching" }, "secondary")).to.contain("silence on the primary is normal");
  });
});

describe("every alarm of every evaluated configuration, as AWS reads it", function () {
  this.timeout(120_000);
  const found: Found[] = [];
  /** Every resource of every configuration's three stacks, for cross-stack lookups (a replica key made by the primary stack). */
  let everything: { config: string; r: Resource }[] = [];

  before(async () => {
    // All shared with other test files: no configuration is evaluated only for this file.
    const configs: [string, Deployment][] = [["example", await exampleDeployment()]];
    for (const s of DR_STRATEGIES) configs.push([s, await deploymentFor(s)]);
    configs.push(["arc", await arcDeployment()], ["person", await personApprovalDeployment()]);
    for (const [config, d] of configs) {
      const all = (["primary", "secondary", "links"] as const).flatMap((stack) => (d[stack] as Evaluation).resources);
      everything = everything.concat(all.map((r) => ({ config, r })));
      for (const stack of ["primary", "secondary", "links"] as const)
        for (const alarm of resourcesOf(d[stack], ALARM)) found.push({ config, stack, alarm, all });
    }
  });

  const label = (f: Found) => `${f.config}/${f.stack}: ${f.alarm.name} (${f.alarm.region})`;
  // The name AWS receives: given, or Pulumi's auto-name (the recorded output).
  const inputs = (f: Found) => ({ ...f.alarm.inputs, name: String(f.alarm.inputs.name ?? f.alarm.outputs?.name) }) as AlarmInputs;
  const awsMetrics = (f: Found) => alarmMetrics(inputs(f)).filter((m) => publishedMetric(m.namespace, m.metricName));
  const byOutput = (all: readonly Resource[], type: string, key: string, value: unknown) => all.filter((r) => r.type === type && r.outputs?.[key] === value);

  it("finds the alarms of every configuration", () => {
    expect(new Set(found.map((f) => f.config)).size).to.equal(DR_STRATEGIES.length + 3);
    expect(found.length).to.be.greaterThan(150);
  });

  it("gives PutMetricAlarm nothing it refuses", () => {
    const problems = found.flatMap((f) => putMetricAlarmProblems(inputs(f)).map((p) => `${label(f)}: ${p}`));
    expect(problems).to.deep.equal([]);
  });

  it("reads every AWS metric with a dimension set its service publishes, at a period it reports at", () => {
    const problems = found.flatMap((f) => alarmMetrics(inputs(f)).flatMap((m) => publishedMetricProblems(m).map((p) => `${label(f)}: ${p}`)));
    expect(problems).to.deep.equal([]);
  });

  it("judges silence by how each metric is published", () => {
    const problems = found.flatMap((f) => awsMetrics(f).flatMap((m) => {
      const p = missingDataProblem(inputs(f), publishedMetric(m.namespace, m.metricName)!.reporting);
      return p ? [`${label(f)}: ${m.metricName}: ${p}`] : [];
    }));
    expect(problems).to.deep.equal([]);
  });

  it("places every alarm in the region its metric is published in, on a resource of that region", () => {
    const problems: string[] = [];
    const bucketRegion = (all: readonly Resource[], name: string) => byOutput(all, "aws:s3/bucket:Bucket", "bucket", name)[0]?.region;
    for (const f of found) {
      for (const m of awsMetrics(f)) {
        const where = publishedMetric(m.namespace, m.metricName)!.publishedIn;
        const d = m.dimensions;
        const wrong = (expected: string | undefined, why: string) => { if (expected !== f.alarm.region) problems.push(`${label(f)}: ${m.metricName} is published in ${expected ?? "no known region"} (${why})`); };
        if (where === "us-east-1") wrong("us-east-1", "Route 53 publishes health-check metrics there only");
        else if (where === "destination") wrong(bucketRegion(f.all, d.DestinationBucket), "the destination bucket's region");
        else if (m.namespace === "AWS/S3") wrong(bucketRegion(f.all, d.SourceBucket), "the source bucket's region");
        else if (where === "source") {
          // A copy job runs where its plan runs: some plan in the alarm's region copies into the named vault.
          const copiers = f.all.filter((r) => r.type === "aws:backup/plan:Plan" && r.region === f.alarm.region
            && JSON.stringify(r.inputs.rules ?? []).includes(`:backup-vault:${d.BackupVaultName}"`));
          if (!copiers.length) problems.push(`${label(f)}: no backup plan in ${f.alarm.region} copies into vault ${d.BackupVaultName}`);
        } else {
          // Names are unique per region only (an event rule of the same name in each region): the alarm's must exist.
          const owners = resourceNamed(f.all, m.namespace, d);
          if (!owners.length) problems.push(`${label(f)}: no resource matches ${m.metricName}'s dimensions ${JSON.stringify(d)}`);
          else if (!owners.some((o) => o.region === f.alarm.region)) wrong(owners[0].region, `the region of ${owners[0].name}`);
        }
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it("alarms only on metrics the resources publish: group metrics collected every minute, replication metrics enabled on the rule", () => {
    const problems: string[] = [];
    for (const f of found) for (const m of awsMetrics(f)) {
      if (m.namespace === "AWS/AutoScaling") {
        const group = byOutput(f.all, "aws:autoscaling/group:Group", "name", m.dimensions.AutoScalingGroupName)[0];
        const enabled = (group?.inputs.enabledMetrics ?? []) as string[];
        // EnableMetricsCollection: "The only valid value is 1Minute" (PAGES.autoScalingGroupMetrics).
        if (!enabled.includes(m.metricName) || group.inputs.metricsGranularity !== "1Minute") problems.push(`${label(f)}: group ${m.dimensions.AutoScalingGroupName} does not collect ${m.metricName} every minute`);
      }
      if (m.namespace === "AWS/S3") {
        // Replication metrics exist only for rules whose destination enables them (or RTC): PAGES.s3ReplicationMetrics.
        const rule = f.all.filter((r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig" && r.inputs.bucket === m.dimensions.SourceBucket)
          .flatMap((r) => r.inputs.rules as { id: string; destination: { bucket: string; metrics?: { status: string } } }[])
          .find((r) => r.id === m.dimensions.RuleId);
        if (!rule) problems.push(`${label(f)}: bucket ${m.dimensions.SourceBucket} has no replication rule ${m.dimensions.RuleId}`);
        else if (!rule.destination.bucket.endsWith(`:::${m.dimensions.DestinationBucket}`) || rule.destination.metrics?.status !== "Enabled")
          problems.push(`${label(f)}: rule ${m.dimensions.RuleId} does not enable replication metrics into ${m.dimensions.DestinationBucket}`);
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it("feeds every alarm on a platform metric from a writer in the alarm's region, at the resolution its period needs", () => {
    const problems: string[] = [];
    const functions = (f: Found) => f.all.filter((r) => r.type === "aws:lambda/function:Function");
    const env = (fn: Resource) => ((fn.inputs.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {});
    let switches = 0;
    let triggers = 0;
    for (const f of found) {
      const a = inputs(f);
      if (a.namespace === SWITCH_METRIC_NAMESPACE) {
        switches++;
        // Route 53 reads only standard-resolution alarms with a basic statistic (PAGES.route53AlarmIdentifier).
        if (alarmPeriod(a) < 60 || !ROUTE53_ALARM_STATISTICS.includes(String(a.statistic))) problems.push(`${label(f)}: Route 53 cannot read this switch alarm`);
        // The in-cloud plan's switch actions write this metric with PutMetricData in the alarm's region.
        const writers = functions(f).filter((fn) => env(fn).NAMESPACE === SWITCH_METRIC_NAMESPACE && env(fn).HOST_REGION === f.alarm.region
          && JSON.stringify(JSON.parse(env(fn).DIMENSIONS ?? "{}")) === JSON.stringify(a.dimensions));
        // Where the in-cloud plan runs, its switch actions are the writers (the drills write through the same
        // placements otherwise, test/drills): one must write this alarm's dimensions in its region.
        const planWrites = functions(f).some((fn) => env(fn).NAMESPACE === SWITCH_METRIC_NAMESPACE);
        if (planWrites && !writers.length) problems.push(`${label(f)}: no switch action writes ${JSON.stringify(a.dimensions)} in ${f.alarm.region}`);
      } else if (a.namespace === RECOVERY_TRIGGER_SIGNAL.namespace) {
        triggers++;
        // The probe writes with CloudWatchClient({}): its own region, the alarm's.
        const probes = functions(f).filter((fn) => env(fn).DR_ACTION === "probe" && fn.region === f.alarm.region && env(fn).PROBED_REGION === a.dimensions?.Region);
        if (!probes.length) problems.push(`${label(f)}: no probe in ${f.alarm.region} writes ${JSON.stringify(a.dimensions)}`);
        for (const p of probes) if (Number(env(p).PERIOD_SECONDS) !== a.period) problems.push(`${label(f)}: the probe writes every ${env(p).PERIOD_SECONDS} s, the alarm reads every ${a.period} s`);
      }
    }
    expect(switches, "switch alarms").to.be.greaterThan(0);
    expect(triggers, "trigger alarms").to.be.greaterThan(0);
    // Periods of 10-30 s need datapoints stored at 1-second resolution (PutMetricAlarm Period); the switch
    // metric must stay at standard resolution for Route 53.
    expect((HIGH_RESOLUTION_PERIODS as readonly number[]).includes(RECOVERY_TRIGGER_SIGNAL.periodSeconds)).to.equal(true);
    expect(handlerBranch("probe")).to.match(/StorageResolution: 1\b/);
    expect(handlerBranch("switch")).to.match(/StorageResolution: 60\b/);
    expect(SWITCH_ALARM.period).to.equal(SWITCH_PERIOD_SECONDS);
    expect(problems).to.deep.equal([]);
  });

  it("notifies topics CloudWatch can publish to: in the alarm's region, encrypted with a key whose policy lets cloudwatch.amazonaws.com use it", () => {
    const problems: string[] = [];
    const topics = everything.filter(({ r }) => r.type === "aws:sns/topic:Topic");
    const keys = everything.filter(({ r }) => r.type === "aws:kms/key:Key" || r.type === "aws:kms/replicaKey:ReplicaKey");
    for (const f of found) {
      for (const arn of [...(f.alarm.inputs.alarmActions as string[]), ...(f.alarm.inputs.okActions as string[] ?? [])]) {
        // CloudWatch alarm actions: an SNS topic in the alarm's own region (PAGES.putMetricAlarm, AlarmActions).
        if (arn.split(":")[2] !== "sns" || arn.split(":")[3] !== f.alarm.region) { problems.push(`${label(f)}: action ${arn} is not a topic in ${f.alarm.region}`); continue; }
        const topic = topics.find(({ config, r }) => config === f.config && r.outputs?.arn === arn)?.r;
        if (!topic) { problems.push(`${label(f)}: no topic ${arn}`); continue; }
        const keyArn = String(topic.inputs.kmsMasterKeyId ?? "");
        const key = keys.find(({ config, r }) => config === f.config && r.outputs?.arn === keyArn)?.r;
        // A service publishing to an encrypted topic needs kms:GenerateDataKey* and kms:Decrypt from the key
        // policy (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
        if (!key || !cloudWatchMayUse(String(key.inputs.policy))) problems.push(`${label(f)}: the key of ${topic.name} (${keyArn || "none"}) does not let CloudWatch publish`);
      }
    }
    expect(problems).to.deep.equal([]);
  });
});

/** The resources an AWS metric's dimensions name (the one the alarm watches), by their outputs. */
function resourceNamed(all: readonly Resource[], namespace: string, d: Record<string, string>): Resource[] {
  const by = (type: string, key: string, value: string | undefined) => all.filter((r) => r.type === type && value !== undefined && r.outputs?.[key] === value);
  switch (namespace) {
    case "AWS/ApplicationELB": {
      // The LoadBalancer dimension is the ARN's suffix, app/<name>/<id>; TargetGroup likewise targetgroup/<name>/<id>.
      const lb = by("aws:lb/loadBalancer:LoadBalancer", "arnSuffix", d.LoadBalancer).filter(() => /^app\/[^/]+\/[^/]+$/.test(d.LoadBalancer));
      const tg = d.TargetGroup === undefined ? lb : by("aws:lb/targetGroup:TargetGroup", "arnSuffix", d.TargetGroup).filter(() => /^targetgroup\/[^/]+\/[^/]+$/.test(d.TargetGroup));
      return lb.length && tg.length && lb[0].region === tg[0].region ? lb : [];
    }
    case "AWS/AutoScaling": return by("aws:autoscaling/group:Group", "name", d.AutoScalingGroupName);
    case "AWS/RDS": return by("aws:rds/cluster:Cluster", "clusterIdentifier", d.DBClusterIdentifier);
    case "AWS/Backup": return by("aws:backup/vault:Vault", "name", d.BackupVaultName);
    case "AWS/Events": return by("aws:cloudwatch/eventRule:EventRule", "name", d.RuleName).filter((r) => r.inputs.eventBusName === undefined || r.inputs.eventBusName === "default");
    default: return [];
  }
}

/** The branch of the action handler that runs DR_ACTION `action` (its source text up to the next case). */
function handlerBranch(action: string): string {
  const start = ACTION_HANDLER_SOURCE.indexOf(`case "${action}":`);
  if (start < 0) throw new Error(`the action handler has no ${action} branch`);
  const next = ACTION_HANDLER_SOURCE.indexOf("case \"", start + 1);
  return ACTION_HANDLER_SOURCE.slice(start, next < 0 ? undefined : next);
}

/** Whether a key policy allows cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey* (conditions aside). */
function cloudWatchMayUse(policy: string): boolean {
  const statements = (JSON.parse(policy) as { Statement: { Effect: string; Principal?: { Service?: string | string[] }; Action: string | string[] }[] }).Statement;
  const granted = statements.filter((s) => s.Effect === "Allow" && [s.Principal?.Service ?? []].flat().includes("cloudwatch.amazonaws.com")).flatMap((s) => [s.Action].flat());
  const allows = (action: string) => granted.some((g) => g === action || g === "kms:*" || (g.endsWith("*") && action.startsWith(g.slice(0, -1))));
  return allows("kms:Decrypt") && allows("kms:GenerateDataKey");
}

