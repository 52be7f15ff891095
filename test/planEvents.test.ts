/**
 * The ARC Region switch plan's executions and evaluation warnings page a person (issue 19): ARC sends
 * its events only to EventBridge, so the links stack holds two rules on the documented source, split
 * by content (executions; everything else, chiefly evaluation warnings), in us-east-1 where the plan
 * was created and in every plan region, each region delivering to its own encrypted topic that only
 * those rules may publish to and that EventBridge may encrypt for, subscribed to dr:alerts.
 */
import { expect } from "chai";
import { eventRuleTopicKeyPolicy } from "../components/security/keyPolicy";
import { alarmDestinationProblems } from "../policy/policies/alerting";
import type { RecordedResourceWithRegion } from "../src/engine/evaluate";
import { plannedAlarms } from "../src/plan/alarms";
import type { EvaluatedStack } from "../src/plan/evaluatePlan";
import { policySection } from "../src/plan/policies";
import type { PlanResult } from "../src/plan/result";
import { Deployment, exampleDeployment } from "./harness/deployments";
import { examplePlan } from "./harness/examplePlan";
import { res, stackOf } from "./harness/policyResources";
import { oneOf, resourcesOf } from "./harness/stack";

const RULE = "aws:cloudwatch/eventRule:EventRule";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
type Statement = { Sid?: string; Effect: string; Principal: { Service?: string } | string; Action: string | string[]; Condition?: Record<string, Record<string, unknown>> };
const statements = (policy: unknown) => (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;
const actions = (s: Statement) => [s.Action].flat();

/**
 * EventBridge's matching for the pattern shapes the platform writes: every field of the pattern must
 * match; a list matches an equal value, `{ exists: true }` any value, `{ exists: false }` an absent
 * field; an object recurses into the event's object
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html, eb-create-pattern-operators.html).
 */
function matchesPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([field, want]) => {
    const got = event[field];
    if (Array.isArray(want))
      return want.some((w) => (typeof w === "object" && w !== null && "exists" in w ? (w as { exists: boolean }).exists === (got !== undefined) : got !== undefined && w === got));
    return typeof got === "object" && got !== null && matchesPattern(want as Record<string, unknown>, got as Record<string, unknown>);
  });
}

// The events as eventbridge-region-switch.html shows them (the fields a rule could match on). ARC
// emits an evaluation event only when an evaluation returns a warning and repeats an uncleared one
// daily; the guide's sample of that warning carries the execution detail-type.
const SOURCE = "aws.arc-region-switch";
const DOCUMENTED_EVENTS = {
  "execution started": { rule: "executions", event: { source: SOURCE, "detail-type": "ARC Region Switch Plan Execution", detail: { eventType: "ExecutionStarted", executionId: "e1" } } },
  "execution step": { rule: "executions", event: { source: SOURCE, "detail-type": "ARC Region Switch Plan Execution", detail: { eventType: "StepStarted", executionId: "e1", stepDetails: { stepName: "s" } } } },
  "evaluation warning": { rule: "warnings", event: { source: SOURCE, "detail-type": "ARC Region Switch Plan Evaluation", detail: { metadata: { warning: "There is a plan evaluation warning" } } } },
  "evaluation warning, as the guide's sample labels it": { rule: "warnings", event: { source: SOURCE, "detail-type": "ARC Region Switch Plan Execution", detail: { metadata: { warning: "There is a plan evaluation warning" } } } },
} as const;

describe("ARC Region switch plan executions and evaluation warnings page a person", function () {
  this.timeout(60_000);
  let example: Deployment;
  let plan: PlanResult;
  let rules: RecordedResourceWithRegion[];
  const ruleIn = (region: string, id: string) => rules.find((r) => r.region === region && r.name.endsWith(`-${id}-rule`))!;
  const topicOf = (rule: RecordedResourceWithRegion) => {
    const target = resourcesOf(example.links, TARGET).find((t) => t.region === rule.region && t.inputs.rule === rule.inputs.name)!;
    return resourcesOf(example.links, TOPIC).find((t) => t.outputs?.arn === target?.inputs.arn)!;
  };
  before(async () => {
    [example, plan] = await Promise.all([exampleDeployment(), examplePlan()]);
    rules = resourcesOf(example.links, RULE, /region-switch-events-[a-z0-9-]+-(executions|warnings)-rule$/);
  });

  it("stands in us-east-1, where the plan was created, and in each of the plan's regions: two rules each", () => {
    const planResource = oneOf(example.links, "aws:arcregionswitch/plan:Plan");
    // ARC sends the events in the region where the plan was created (eventbridge-region-switch.html);
    // where an execution running in another region's data plane sends them is not documented.
    expect(planResource.region).to.equal("us-east-1");
    const planRegions = planResource.inputs.regions as string[];
    const regions = [...new Set(["us-east-1", ...planRegions])];
    expect(regions).to.have.members(["us-east-1", "us-west-2"]);
    expect(rules.map((r) => `${r.region} ${r.inputs.name}`)).to.have.members(regions.flatMap((region) => ["executions", "warnings"].map((id) => `${region} orders-prod-region-switch-${id}`)));
    for (const r of rules) {
      // EventBridge: a rule name is at most 64 of [.-_A-Za-z0-9]; a description at most 512 characters.
      expect(String(r.inputs.name)).to.match(/^[.\-_A-Za-z0-9]{1,64}$/);
      expect(String(r.inputs.description).length).to.be.at.most(512);
    }
    expect(String(ruleIn("us-east-1", "executions").inputs.description)).to.match(/ Runbook: runbooks\/alerts\.md#region-switch-plan-failed$/);
    expect(String(ruleIn("us-east-1", "warnings").inputs.description)).to.match(/ Runbook: runbooks\/alerts\.md#region-switch-plan-warning$/);
  });

  for (const [what, { rule, event }] of Object.entries(DOCUMENTED_EVENTS))
    it(`pages ARC's documented ${what} event through exactly one rule in each region: ${rule}`, () => {
      for (const region of ["us-east-1", "us-west-2"]) {
        const matching = rules.filter((r) => r.region === region && matchesPattern(JSON.parse(String(r.inputs.eventPattern)), event));
        expect(matching.map((r) => r.name), region).to.have.length(1);
        expect(matching[0].name).to.match(new RegExp(`-${rule}-rule$`));
      }
    });

  it("matches any event of the source, whatever its detail-type, and no other service's", () => {
    const unknownKind = { source: SOURCE, "detail-type": "ARC Region Switch Something New", detail: {} };
    expect(rules.filter((r) => r.region === "us-east-1" && matchesPattern(JSON.parse(String(r.inputs.eventPattern)), unknownKind))).to.have.length(1);
    const foreign = { ...DOCUMENTED_EVENTS["evaluation warning"].event, source: "aws.arc-zonal-shift" };
    expect(rules.filter((r) => matchesPattern(JSON.parse(String(r.inputs.eventPattern)), foreign))).to.deep.equal([]);
  });

  it("targets, per region, one topic in that region with a dr:alerts subscription there, exported by the links stack", () => {
    const exported = (example.links.outputs.regionSwitchPlan as { alertTopicArns: Record<string, string> }).alertTopicArns;
    expect(Object.keys(exported)).to.have.members(["us-east-1", "us-west-2"]);
    for (const rule of rules) {
      const topic = topicOf(rule);
      expect(topic, `${rule.name}'s target is a topic of the links stack`).to.not.equal(undefined);
      // A rule's targets must be in its region.
      expect(topic.region).to.equal(rule.region);
      expect(exported[rule.region]).to.equal(topic.outputs?.arn);
      const subs = resourcesOf(example.links, SUBSCRIPTION).filter((s) => s.inputs.topic === topic.outputs?.arn);
      expect(subs.map((s) => [s.region, s.inputs.protocol, s.inputs.endpoint])).to.deep.equal([[rule.region, "email", "oncall@example.com"]]);
      // eb-use-resource-based.html: an SNS target is authorized by the topic's policy; a RoleArn may break delivery to a KMS-encrypted topic.
      const target = resourcesOf(example.links, TARGET).find((t) => t.region === rule.region && t.inputs.rule === rule.inputs.name)!;
      expect(target.inputs.roleArn).to.equal(undefined);
    }
  });

  it("lets only its region's two rules publish to each topic (events.amazonaws.com, aws:SourceArn), and this account's alarms, over TLS", () => {
    for (const region of ["us-east-1", "us-west-2"]) {
      const topic = topicOf(ruleIn(region, "executions"));
      const policy = resourcesOf(example.links, "aws:sns/topicPolicy:TopicPolicy").find((p) => p.inputs.arn === topic.outputs?.arn)!;
      const allows = statements(policy.inputs.policy).filter((s) => s.Effect === "Allow");
      expect(allows.map((s) => s.Principal)).to.deep.equal([{ Service: "events.amazonaws.com" }, { Service: "cloudwatch.amazonaws.com" }]);
      for (const s of allows) expect(actions(s)).to.deep.equal(["sns:Publish"]);
      expect(allows[0].Condition?.ArnEquals).to.deep.equal({ "aws:SourceArn": [ruleIn(region, "executions").outputs?.arn, ruleIn(region, "warnings").outputs?.arn] });
      expect(allows[1].Condition?.ArnLike).to.deep.equal({ "aws:SourceArn": `arn:aws:cloudwatch:${region}:123456789012:alarm:*` });
      expect(statements(policy.inputs.policy).some((s) => s.Effect === "Deny" && JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}')).to.equal(true);
    }
  });

  it("encrypts each topic with a customer key of its region whose policy lets EventBridge generate and decrypt its data keys", () => {
    for (const region of ["us-east-1", "us-west-2"]) {
      const topic = topicOf(ruleIn(region, "warnings"));
      const key = resourcesOf(example.links, "aws:kms/key:Key").find((k) => k.outputs?.arn === topic.inputs.kmsMasterKeyId)!;
      expect(key, "a customer key of the links stack").to.not.equal(undefined);
      expect(key.region).to.equal(region);
      expect(key.inputs.enableKeyRotation).to.equal(true);
      const forEvents = statements(key.inputs.policy).filter((s) => typeof s.Principal === "object" && s.Principal.Service === "events.amazonaws.com");
      expect(forEvents).to.have.length(1);
      expect(actions(forEvents[0])).to.have.members(["kms:GenerateDataKey*", "kms:Decrypt"]);
      // sns-key-management.html: aws:SourceAccount, aws:SourceArn and aws:SourceOrgID are not supported in a
      // KMS policy for EventBridge delivery to an encrypted topic (every delivery would fail); the topic
      // ARN SNS sends as encryption context scopes it instead, and must match this topic.
      const condition = JSON.stringify(forEvents[0].Condition ?? {});
      for (const unsupported of ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID"]) expect(condition).to.not.contain(unsupported);
      const pattern = (forEvents[0].Condition?.StringLike as Record<string, string>)["kms:EncryptionContext:aws:sns:topicArn"];
      expect(pattern).to.equal(`arn:aws:sns:${region}:123456789012:*`);
      expect(String(topic.outputs?.arn)).to.match(new RegExp(`^${pattern.replace(/[.]/g, "\\.").replace("*", ".*")}$`));
    }
    // The key encrypts this topic only: administration through IAM, CloudWatch alarms and EventBridge, nothing else.
    expect(statements(eventRuleTopicKeyPolicy("123456789012", "us-east-1")).map((s) => s.Sid)).to.deep.equal(["AccountAdministersKeyThroughIam", "CloudWatchAlarmsPublishToEncryptedTopics", "EventBridgePublishesToEncryptedTopic"]);
  });

  it("alarms on every rule's failed deliveries (AWS/Events FailedInvocations, sent only while nonzero) on the rule's topic", () => {
    for (const rule of rules) {
      const alarm = resourcesOf(example.links, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.region === rule.region && a.inputs.namespace === "AWS/Events" && (a.inputs.dimensions as { RuleName?: string })?.RuleName === rule.inputs.name)!;
      expect(alarm, `${rule.name}'s alarm`).to.not.equal(undefined);
      expect(alarm.inputs).to.include({ metricName: "FailedInvocations", statistic: "Sum", comparisonOperator: "GreaterThanThreshold", threshold: 0, treatMissingData: "notBreaching" });
      expect(alarm.inputs.alarmActions).to.deep.equal([topicOf(rule).outputs?.arn]);
      expect(String(alarm.inputs.alarmDescription)).to.match(/Runbook: runbooks\/alerts\.md#region-switch-plan-(failed|warning)$/);
    }
  });

  it("lists every rule in the plan report's alarms as an event rule, with its selection, destination and runbook", () => {
    const entries = plannedAlarms(plan.document).filter((a) => a.kind === "event-rule");
    // Rules that do not page (a schedule, a restore-test hook) are not alarms.
    expect(entries.map((e) => `${e.region} ${e.metric} -> ${e.runbook?.anchor}`)).to.have.members(["us-east-1", "us-west-2"].flatMap((region) => [
      `${region} event aws.arc-region-switch: any, detail.executionId present -> region-switch-plan-failed`,
      `${region} event aws.arc-region-switch: any, detail.executionId absent -> region-switch-plan-warning`,
    ]));
    // The report names each rule as the console and `aws events disable-rule --name` know it.
    expect(entries.map((e) => e.name)).to.have.members(["orders-prod-region-switch-executions", "orders-prod-region-switch-warnings", "orders-prod-region-switch-executions", "orders-prod-region-switch-warnings"]);
    for (const e of entries) {
      expect(e).to.include({ stack: "links", threshold: "every matching event" });
      expect(e.destinations).to.deep.equal(["email:oncall@example.com"]);
    }
  });

  it("passes alarm-destinations, which refuses a rule once its target is gone", () => {
    const evaluated = [...plan.evaluated];
    const violations = (stacks: readonly EvaluatedStack[]) => policySection(stacks).outcomes.filter((o) => o.policy.name === "alarm-destinations").flatMap((o) => o.violations).map((v) => v.message);
    expect(violations(evaluated)).to.deep.equal([]);
    const gone = ruleIn("us-west-2", "warnings");
    const untargeted = evaluated.map((e) => e.planned.stack !== "links" ? e : { ...e, evaluation: { ...e.evaluation, resources: e.evaluation.resources.filter((r) => r.type !== TARGET || r.region !== gone.region || r.inputs.rule !== gone.inputs.name) } });
    const messages = violations(untargeted);
    expect(messages).to.have.length(1);
    expect(messages[0]).to.contain(`EventRule ${gone.name} pages`).and.contain("targets no topic").and.contain("dr:alerts");
  });
});

describe("policy alarm-destinations on event rules", () => {
  const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:events-topic";
  const topic = res(TOPIC, "events-topic", {}, { outputs: { arn: TOPIC_ARN } });
  const sub = res(SUBSCRIPTION, "sub", { topic: TOPIC_ARN, protocol: "email", endpoint: "a@example.com" }, { deps: { topic: [topic.urn] } });
  const paging = res(RULE, "paging", { name: "paging", description: "x. Runbook: runbooks/alerts.md#region-switch-plan-failed" }, { outputs: { name: "paging" } });
  const problems = (...r: ReturnType<typeof res>[]) => alarmDestinationProblems(stackOf(r, { stack: "links", role: "links" })).map((p) => p.message);

  it("passes a paging rule on a subscribed topic of its region, and ignores a rule that does not page", () => {
    expect(problems(topic, sub, paging, res(TARGET, "t", { rule: "paging", arn: TOPIC_ARN }))).to.deep.equal([]);
    expect(problems(res(RULE, "schedule", { scheduleExpression: "rate(1 minute)", description: "probes" }))).to.deep.equal([]);
  });

  it("refuses a paging rule targeting nothing, or a topic in another region, or a topic without a subscription", () => {
    expect(problems(topic, sub, paging)[0]).to.contain("EventRule paging pages").and.contain("targets no topic");
    const far = res(TOPIC, "far", {}, { region: "us-west-2", outputs: { arn: "arn:aws:sns:us-west-2:123456789012:far" } });
    const farSub = res(SUBSCRIPTION, "far-sub", { topic: "arn:aws:sns:us-west-2:123456789012:far" }, { region: "us-west-2", deps: { topic: [far.urn] } });
    expect(problems(far, farSub, paging, res(TARGET, "t", { rule: "paging", arn: "arn:aws:sns:us-west-2:123456789012:far" }))[0]).to.contain("targets no topic of the stack in its region us-east-1");
    expect(problems(topic, paging, res(TARGET, "t", { rule: "paging", arn: TOPIC_ARN }))[0]).to.contain("Topic events-topic (us-east-1) has no subscription");
  });
});

describe("EventAlert input", () => {
  it("refuses no rules, a pattern without source, a rule name EventBridge rejects and a repeated rule, naming the input, before registering anything", async () => {
    const { EventAlert } = await import("../components/observability/eventAlert");
    const rule = { id: "r", ruleName: "ok", pattern: { source: [SOURCE] }, description: "d", runbook: "region-switch-plan-failed" as const };
    const args = { region: "us-east-1", accountId: "123456789012", rules: [rule], subscriptions: [] };
    expect(() => new EventAlert("a", { ...args, rules: [] })).to.throw(/EventAlert a: rules is empty/);
    expect(() => new EventAlert("b", { ...args, rules: [{ ...rule, ruleName: "x".repeat(65) }] })).to.throw(/EventAlert b: ruleName "x{65}" is not 1-64/);
    expect(() => new EventAlert("c", { ...args, rules: [{ ...rule, pattern: { source: [] } }] })).to.throw(/EventAlert c: rule r's pattern has no source/);
    expect(() => new EventAlert("d", { ...args, rules: [rule, { ...rule, ruleName: "other" }] })).to.throw(/EventAlert d: rule id "r" or ruleName "other" appears twice/);
  });
});
