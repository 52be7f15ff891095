import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runbookLink, RunbookAnchor } from "./alarmCatalogue";
import { eventRuleTopicPolicy } from "./alarmTopicPolicy";
import { AlertDestination } from "./alertDestinations";
import { componentAlarmTopic } from "./alertSubscriptions";
import { cataloguedAlarm, Entry } from "./catalogueEntry";
import { eventRuleTopicKeyPolicy } from "../security/keyPolicy";
import { KEY_DELETION_WINDOW_DAYS } from "../security/multiRegionKey";
import { requireAwsProvider } from "../providers";

/** Five minutes: a dropped page is worth knowing about within one on-call glance. */
const FAILED_INVOCATIONS_PERIOD_SECONDS = 300;

/** An event pattern as EventBridge takes it: the service's `source`, and what selects this rule's events. */
export interface EventPattern {
  readonly source: readonly string[];
  readonly "detail-type"?: readonly string[];
  /** Fields of `detail`, each a list of values or operators such as `{ exists: true }`. */
  readonly detail?: Readonly<Record<string, readonly unknown[]>>;
}

/** One rule of an EventAlert: its events page through the alert's topic. */
export interface EventAlertRule {
  /** Names the rule's child resources (`<name>-<id>-rule`); unique in the alert. Required. */
  readonly id: string;
  /** The rule's name, unique in the region's default event bus. Required. */
  readonly ruleName: string;
  /** The events that page, selected on what the service documents. Required. */
  readonly pattern: EventPattern;
  /** What a matching event means, for the rule's description (the runbook link is appended). Required. */
  readonly description: string;
  /** The runbook section a person reads when it pages. Required. */
  readonly runbook: RunbookAnchor;
}

export interface EventAlertArgs {
  /** The region of the provider passed in opts: where the service sends its events (a rule sees only its own region's). Required. */
  readonly region: string;
  /** The account that owns the rules, the topic and its key. Required. */
  readonly accountId: pulumi.Input<string>;
  /** The rules that page through the one topic; at least one. Required. */
  readonly rules: readonly EventAlertRule[];
  /** dr:alerts destinations subscribed to the topic, in its region (none: the alarm-destinations policy refuses the stack). Required. */
  readonly subscriptions: readonly AlertDestination[];
}

/**
 * What a service reports only as EventBridge events (no CloudWatch metric to alarm on), paging a
 * person on every matching event: rules on the region's default bus, targeting one topic in the
 * same region (a rule's targets must be in its region) that only these rules may publish to,
 * encrypted with its own customer key that EventBridge may use, and subscribed to dr:alerts; and per
 * rule an alarm on its failed deliveries, on the same topic.
 * The plan report lists every rule with the alarms (src/plan/alarms.ts), runbook link included.
 */
export class EventAlert extends pulumi.ComponentResource {
  readonly ruleArns: pulumi.Output<string[]>;
  readonly ruleNames: pulumi.Output<string[]>;
  readonly topicArn: pulumi.Output<string>;
  /** The alarms on the rules' failed deliveries, for a dashboard of the rules' region. */
  readonly catalogue: Entry[];

  constructor(name: string, args: EventAlertArgs, opts?: pulumi.ComponentResourceOptions) {
    checkRules(name, args.rules);
    super("dr:observability:EventAlert", name, {}, opts);
    requireAwsProvider(this, `EventAlert ${name}`);

    const key = new aws.kms.Key(`${name}-key`, {
      description: `encrypts the topic EventBridge rules ${args.rules.map((r) => r.ruleName).join(", ")} page through (${args.region})`.slice(0, 8192),
      enableKeyRotation: true,
      deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
      policy: pulumi.output(args.accountId).apply((id) => eventRuleTopicKeyPolicy(id, args.region)),
      // Like every key of the platform: deleting it with the stack would leave encrypted messages unreadable.
    }, { parent: this, retainOnDelete: true });
    const rules = args.rules.map((r) => new aws.cloudwatch.EventRule(`${name}-${r.id}-rule`, {
      name: r.ruleName,
      description: `${r.description} ${runbookLink(r.runbook)}`,
      eventPattern: JSON.stringify(r.pattern),
    }, { parent: this }));
    const ruleArns = pulumi.all(rules.map((r) => r.arn));
    const topicArn = componentAlarmTopic(name, `EventBridge ${args.rules.map((r) => r.ruleName).join(" ")}`.slice(0, 100), key.arn, args.subscriptions, this,
      (arn) => ruleArns.apply((ruleArnList) => eventRuleTopicPolicy(arn, ruleArnList)));

    this.catalogue = [];
    args.rules.forEach((r, i) => {
      const rule = rules[i];
      // The event as the service sent it: the fields a person needs are not all documented, so none is
      // dropped. No roleArn: the topic's policy authorizes EventBridge, and a role may break delivery
      // to a KMS-encrypted topic (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html).
      new aws.cloudwatch.EventTarget(`${name}-${r.id}-target`, { rule: rule.name, arn: topicArn }, { parent: this });
      // EventBridge retries a failed delivery, then drops it; FailedInvocations counts the dropped
      // ones, sent only while nonzero (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html).
      // CloudWatch publishes to the topic under its own statements, so a broken EventBridge grant still
      // pages (a broken topic key silences both).
      cataloguedAlarm(`${name}-${r.id}-failed-invocations`, { panel: "region-switch", runbook: r.runbook, region: args.region, topics: [topicArn] }, {
        alarmDescription: pulumi.interpolate`EventBridge rule ${rule.name} could not deliver an event to its topic after retries: pages of ${r.pattern.source.join(" or ")} are being lost. Check the topic's policy and key policy, then read the events where the service shows them.`,
        namespace: "AWS/Events",
        metricName: "FailedInvocations",
        dimensions: { RuleName: rule.name },
        statistic: "Sum",
        period: FAILED_INVOCATIONS_PERIOD_SECONDS,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        // Sent only while nonzero: silence is no failed delivery.
        treatMissingData: "notBreaching",
      }, this.catalogue, this);
    });

    this.ruleArns = ruleArns;
    this.ruleNames = pulumi.all(rules.map((r) => r.name));
    this.topicArn = topicArn;
    this.registerOutputs({ ruleArns: this.ruleArns, ruleNames: this.ruleNames, topicArn: this.topicArn });
  }
}

/** Refuses, before anything is registered, what EventBridge would refuse or what would page nobody. */
function checkRules(name: string, rules: readonly EventAlertRule[]): void {
  if (rules.length === 0) throw new Error(`EventAlert ${name}: rules is empty; give at least one rule, or create no EventAlert`);
  const ids = new Set<string>();
  const ruleNames = new Set<string>();
  for (const r of rules) {
    if (r.pattern.source.length === 0)
      throw new Error(`EventAlert ${name}: rule ${r.id}'s pattern has no source; name the service's event source, as it documents it`);
    // EventBridge: a rule name is 1-64 of [.-_A-Za-z0-9] (PutRule).
    if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(r.ruleName))
      throw new Error(`EventAlert ${name}: ruleName "${r.ruleName}" is not 1-64 letters, digits, '.', '-' or '_'; shorten the names it is built from`);
    if (ids.has(r.id) || ruleNames.has(r.ruleName))
      throw new Error(`EventAlert ${name}: rule id "${r.id}" or ruleName "${r.ruleName}" appears twice; give every rule its own`);
    ids.add(r.id);
    ruleNames.add(r.ruleName);
  }
}
