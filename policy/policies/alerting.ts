/**
 * Alarms that reach a person: in every stack with alarms, each alarm notifies a topic, and each
 * topic the stack owns has at least one subscription (dr:alerts), created in the topic's region.
 * An EventBridge rule that pages (its description links a runbook) counts as an alarm: it must
 * target a topic of its stack in its own region (a rule's targets must be in its region).
 * An alarm on a peer stack's topic (the links stack's alarms on the primary's topic) is checked
 * when the caller knows the peers (`plan`); CrossGuard sees one stack and skips that part.
 */
import type { DrPolicy, ResourceView, StackView } from "../model";
import { describe, ofType, refersTo, strings } from "../resources";

const ALARM_TYPES = ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm"];
const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const EVENT_RULE = "aws:cloudwatch/eventRule:EventRule";
const EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget";
/** How every paging resource's description ends (components/observability/alarmCatalogue.ts, runbookLink). */
const RUNBOOK_LINK = /Runbook: runbooks\/[\w.-]+\.md#[a-z0-9-]+/;
/** The config key that fixes every finding here (components/observability/alertDestinations.ts). */
const KEY = "dr:alerts";

const stackFile = (stack: string) => `Pulumi.${stack.split("/").pop()}.yaml`;
const fix = (stack: string) => `set ${KEY} (email and/or https) in ${stackFile(stack)}, such as 'pulumi config set --path ${KEY}.email[0] oncall@example.com --stack ${stack.split("/").pop()}'`;

/** A topic and whether any subscription of `subscriptions` subscribes to it. */
const subscribed = (topic: ResourceView, subscriptions: readonly ResourceView[]) =>
  // A subscription lives in its topic's region; one made through another region's provider would fail there.
  subscriptions.some((s) => refersTo(s, "topic", topic) && (!s.region || !topic.region || s.region === topic.region));

/** Every problem of one stack; `peers` are the other stacks when known. */
export function alarmDestinationProblems(stack: StackView, peers?: readonly StackView[]): { urn?: string; message: string }[] {
  const alarms = stack.resources.filter((r) => ALARM_TYPES.includes(r.type));
  const rules = ofType(stack.resources, EVENT_RULE).filter((r) => RUNBOOK_LINK.test(String(r.inputs.description ?? "")));
  if (!alarms.length && !rules.length) return [];
  const problems: { urn?: string; message: string }[] = [];
  const topics = ofType(stack.resources, TOPIC);
  const subscriptions = ofType(stack.resources, SUBSCRIPTION);
  for (const topic of topics.filter((t) => !subscribed(t, subscriptions)))
    problems.push({ urn: topic.urn, message: `stack ${stack.stack} has alarms, but its ${describe(topic)} (${topic.region ?? "its region"}) has no subscription, so they reach nobody; ${fix(stack.stack)}.` });
  const targets = ofType(stack.resources, EVENT_TARGET);
  for (const rule of rules) {
    const paged = targets.filter((t) => refersTo(t, "rule", rule) && topics.some((topic) => refersTo(t, "arn", topic) && (!topic.region || !rule.region || topic.region === rule.region)));
    if (!paged.length)
      problems.push({ urn: rule.urn, message: `stack ${stack.stack}: ${describe(rule)} pages (its description links a runbook) but targets no topic of the stack in its region ${rule.region ?? ""}, so it reaches nobody; add an EventTarget on a topic in the rule's region and ${fix(stack.stack)}.` });
  }
  const peerTopics = (peers ?? []).flatMap((p) => ofType(p.resources, TOPIC).map((topic) => ({ topic, subs: ofType(p.resources, SUBSCRIPTION), stack: p.stack })));
  for (const alarm of alarms) {
    const actions = strings(alarm.inputs.alarmActions);
    if (!actions.length && !(alarm.propertyDependencies.alarmActions ?? []).length) {
      problems.push({ urn: alarm.urn, message: `stack ${stack.stack}: ${describe(alarm)} has no alarm action, so it reaches nobody; notify the region's alarm topic and ${fix(stack.stack)}.` });
      continue;
    }
    if (!peers) continue;
    for (const { topic, subs, stack: owner } of peerTopics.filter(({ topic }) => refersTo(alarm, "alarmActions", topic)))
      if (!subscribed(topic, subs))
        problems.push({ urn: alarm.urn, message: `stack ${stack.stack}: ${describe(alarm)} notifies ${describe(topic)} of stack ${owner}, which has no subscription; ${fix(owner)}.` });
  }
  return problems;
}

// https://docs.aws.amazon.com/wellarchitected/latest/operational-excellence-pillar/ops_workload_observability_create_alerts.html
const alarmDestinations: DrPolicy = {
  name: "alarm-destinations",
  description: "Every alarm notifies a topic, and every topic of a stack with alarms has a dr:alerts subscription in its own region, so an alarm reaches a person while another region is dark.",
  pillar: "Operational Excellence",
  enforcement: "mandatory",
  kind: "stack",
  validate: (stack, ctx, report) => {
    for (const p of alarmDestinationProblems(stack, ctx.peers)) report(p.message, p.urn);
  },
};

export const policies: readonly DrPolicy[] = [alarmDestinations];
