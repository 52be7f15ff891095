/**
 * The ARC Region switch plan's executions and evaluation warnings page a person (issue 19): ARC sends its events only to
 * EventBridge, in the plan's region, so the links stack holds a rule there on the documented source
 * and detail-type, delivering to an encrypted topic in the same region that only the rule may
 * publish to and that EventBridge may encrypt for, subscribed to dr:alerts.
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
type Statement = { Sid?: string; Effect: string; Principal: { Service?: string } | string; Action: string | string[]; Condition?: Record<string, Record<string, string>> };
const statements = (policy: unknown) => (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;
const actions = (s: Statement) => [s.Action].flat();

/**
 * EventBridge's matching for the pattern shapes the platform writes: every field of the pattern must
 * be in the event, a list of values matches an equal value, an object recurses into the event's object
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html).
 */
function matchesPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([field, want]) => {
    const got = event[field];
    if (Array.isArray(want)) return want.includes(got);
    return typeof got === "object" && got !== null && matchesPattern(want as Record<string, unknown>, got as Record<string, unknown>);
  });
}

describe("ARC Region switch plan executions and evaluation warnings page a person", function () {
  this.timeout(60_000);
  let example: Deployment;
  let plan: PlanResult;
  let rule: RecordedResourceWithRegion;
  let topic: RecordedResourceWithRegion;
  before(async () => {
    [example, plan] = await Promise.all([exampleDeployment(), examplePlan()]);
    rule = oneOf(example.links, RULE, /region-switch-events-rule$/);
    const target = resourcesOf(example.links, TARGET).find((t) => t.inputs.rule === rule.inputs.name)!;
    topic = resourcesOf(example.links, TOPIC).find((t) => t.outputs?.arn === target?.inputs.arn)!;
  });

  it("matches ARC's documented source and both detail-types, in the plan's region, linking the runbook", () => {
    const planResource = oneOf(example.links, "aws:arcregionswitch/plan:Plan");
    // ARC sends the events in the region where the plan was created (eventbridge-region-switch.html).
    expect(rule.region).to.equal(planResource.region).and.to.equal("us-east-1");
    // events-ref-arc-region-switch.html: source aws.arc-region-switch; no failure field is documented, so no detail filter.
    expect(JSON.parse(String(rule.inputs.eventPattern))).to.deep.equal({ source: ["aws.arc-region-switch"], "detail-type": ["ARC Region Switch Plan Execution", "ARC Region Switch Plan Evaluation"] });
    expect(String(rule.inputs.description)).to.match(/ Runbook: runbooks\/alerts\.md#region-switch-plan-failed$/);
    // EventBridge: a rule name is at most 64 of [.-_A-Za-z0-9]; a description at most 512 characters.
    expect(String(rule.inputs.name)).to.match(/^[.\-_A-Za-z0-9]{1,64}$/);
    expect(String(rule.inputs.description).length).to.be.at.most(512);
  });

  // The events as eventbridge-region-switch.html shows them (fields this rule could match on only).
  // ARC emits an evaluation event only when an evaluation returns a warning, and repeats an uncleared
  // warning once a day; the guide's sample of that warning carries the execution detail-type, so the
  // rule must match the warning under either detail-type.
  const documentedEvents = {
    "execution started": { source: "aws.arc-region-switch", "detail-type": "ARC Region Switch Plan Execution", region: "us-east-1", detail: { eventType: "ExecutionStarted" } },
    "execution step": { source: "aws.arc-region-switch", "detail-type": "ARC Region Switch Plan Execution", region: "us-east-1", detail: { eventType: "StepStarted", stepDetails: { stepName: "s" } } },
    "evaluation warning": { source: "aws.arc-region-switch", "detail-type": "ARC Region Switch Plan Evaluation", region: "us-east-1", detail: { metadata: { warning: "There is a plan evaluation warning" } } },
    "evaluation warning, as the guide's sample labels it": { source: "aws.arc-region-switch", "detail-type": "ARC Region Switch Plan Execution", region: "us-east-1", detail: { metadata: { warning: "There is a plan evaluation warning" } } },
  };
  for (const [what, event] of Object.entries(documentedEvents))
    it(`pages on ARC's documented ${what} event`, () => {
      expect(matchesPattern(JSON.parse(String(rule.inputs.eventPattern)), event)).to.equal(true);
    });

  it("does not page on another service's events with the same detail-type", () => {
    const foreign = { ...documentedEvents["evaluation warning"], source: "aws.arc-zonal-shift" };
    expect(matchesPattern(JSON.parse(String(rule.inputs.eventPattern)), foreign)).to.equal(false);
  });

  it("targets a topic in the rule's region with a dr:alerts subscription in that region, exported by the links stack", () => {
    expect(topic, "the rule's target is a topic of the links stack").to.not.equal(undefined);
    // A rule's targets must be in its region.
    expect(topic.region).to.equal(rule.region);
    const subs = resourcesOf(example.links, SUBSCRIPTION).filter((s) => s.inputs.topic === topic.outputs?.arn);
    expect(subs.map((s) => [s.region, s.inputs.protocol, s.inputs.endpoint])).to.deep.equal([["us-east-1", "email", "oncall@example.com"]]);
    expect((example.links.outputs.regionSwitchPlan as { alertTopicArn: string }).alertTopicArn).to.equal(topic.outputs?.arn);
    // eb-use-resource-based.html: an SNS target is authorized by the topic's policy; a RoleArn may break delivery to a KMS-encrypted topic.
    const target = resourcesOf(example.links, TARGET).find((t) => t.inputs.rule === rule.inputs.name)!;
    expect(target.region).to.equal(rule.region);
    expect(target.inputs.roleArn).to.equal(undefined);
  });

  it("lets only this rule publish to the topic (events.amazonaws.com, aws:SourceArn = the rule), and this account's alarms, over TLS", () => {
    const policy = resourcesOf(example.links, "aws:sns/topicPolicy:TopicPolicy").find((p) => p.inputs.arn === topic.outputs?.arn)!;
    const allows = statements(policy.inputs.policy).filter((s) => s.Effect === "Allow");
    expect(allows.map((s) => s.Principal)).to.deep.equal([{ Service: "events.amazonaws.com" }, { Service: "cloudwatch.amazonaws.com" }]);
    for (const s of allows) expect(actions(s)).to.deep.equal(["sns:Publish"]);
    expect(allows[0].Condition?.ArnEquals).to.deep.equal({ "aws:SourceArn": rule.outputs?.arn });
    expect(allows[1].Condition?.ArnLike).to.deep.equal({ "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*" });
    expect(statements(policy.inputs.policy).some((s) => s.Effect === "Deny" && JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}')).to.equal(true);
  });

  it("encrypts the topic with a customer key whose policy lets EventBridge generate and decrypt its data keys", () => {
    const key = resourcesOf(example.links, "aws:kms/key:Key").find((k) => k.outputs?.arn === topic.inputs.kmsMasterKeyId)!;
    expect(key, "a customer key of the links stack").to.not.equal(undefined);
    expect(key.region).to.equal(topic.region);
    expect(key.inputs.enableKeyRotation).to.equal(true);
    const forEvents = statements(key.inputs.policy).filter((s) => typeof s.Principal === "object" && s.Principal.Service === "events.amazonaws.com");
    expect(forEvents).to.have.length(1);
    expect(actions(forEvents[0])).to.have.members(["kms:GenerateDataKey*", "kms:Decrypt"]);
    // The key encrypts this topic only: administration through IAM, CloudWatch alarms and EventBridge, nothing else.
    expect(statements(eventRuleTopicKeyPolicy("123456789012", "us-east-1")).map((s) => s.Sid)).to.deep.equal(["AccountAdministersKeyThroughIam", "CloudWatchAlarmsPublishToEncryptedTopics", "EventBridgePublishesToEncryptedTopic"]);
  });

  it("alarms on the rule's failed deliveries (AWS/Events FailedInvocations, sent only while nonzero) on the same topic", () => {
    const alarm = resourcesOf(example.links, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.inputs.namespace === "AWS/Events")!;
    expect(alarm.region).to.equal(rule.region);
    expect(alarm.inputs).to.include({ metricName: "FailedInvocations", statistic: "Sum", comparisonOperator: "GreaterThanThreshold", threshold: 0, treatMissingData: "notBreaching" });
    expect(alarm.inputs.dimensions).to.deep.equal({ RuleName: rule.inputs.name });
    expect(alarm.inputs.alarmActions).to.deep.equal([topic.outputs?.arn]);
    expect(String(alarm.inputs.alarmDescription)).to.match(/Runbook: runbooks\/alerts\.md#region-switch-plan-failed$/);
  });

  it("lists the rule in the plan report's alarms as an event rule, with its destination and runbook", () => {
    const entry = plannedAlarms(plan.document).find((a) => a.kind === "event-rule")!;
    expect(entry).to.include({ stack: "links", region: "us-east-1", metric: "event aws.arc-region-switch: ARC Region Switch Plan Execution or ARC Region Switch Plan Evaluation", threshold: "every matching event" });
    expect(entry.destinations).to.deep.equal(["email:oncall@example.com"]);
    expect(entry.runbook).to.deep.equal({ file: "runbooks/alerts.md", anchor: "region-switch-plan-failed" });
    // Rules that do not page (a schedule, a restore-test hook) are not alarms.
    expect(plannedAlarms(plan.document).filter((a) => a.kind === "event-rule")).to.have.length(1);
  });

  it("passes alarm-destinations, which refuses the rule once its target is gone", () => {
    const evaluated = [...plan.evaluated];
    const violations = (stacks: readonly EvaluatedStack[]) => policySection(stacks).outcomes.filter((o) => o.policy.name === "alarm-destinations").flatMap((o) => o.violations).map((v) => v.message);
    expect(violations(evaluated)).to.deep.equal([]);
    const untargeted = evaluated.map((e) => e.planned.stack !== "links" ? e : { ...e, evaluation: { ...e.evaluation, resources: e.evaluation.resources.filter((r) => r.type !== TARGET || r.inputs.rule !== rule.inputs.name) } });
    const [message] = violations(untargeted);
    expect(message).to.contain("EventRule orders-region-switch-events-rule pages").and.contain("targets no topic").and.contain("dr:alerts");
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
  it("refuses an empty detail-type list and a rule name EventBridge rejects, naming the input, before registering anything", async () => {
    const { EventAlert } = await import("../components/observability/eventAlert");
    const args = { region: "us-east-1", accountId: "123456789012", ruleName: "ok", source: "aws.arc-region-switch", detailTypes: ["ARC Region Switch Plan Execution"], description: "d", runbook: "region-switch-plan-failed" as const, subscriptions: [] };
    expect(() => new EventAlert("a", { ...args, detailTypes: [] })).to.throw(/EventAlert a: detailTypes is empty/);
    expect(() => new EventAlert("b", { ...args, ruleName: "x".repeat(65) })).to.throw(/EventAlert b: ruleName "x{65}" is not 1-64/);
  });
});
