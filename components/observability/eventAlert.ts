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

export interface EventAlertArgs {
  /** The region of the provider passed in opts: where the service sends its events (a rule sees only its own region's). Required. */
  readonly region: string;
  /** The account that owns the rule, the topic and its key. Required. */
  readonly accountId: pulumi.Input<string>;
  /** The rule's name, unique in the region's default event bus. Required. */
  readonly ruleName: string;
  /** The event's `source`, as the service documents it. Required. */
  readonly source: string;
  /** The `detail-type`s that page, as the service documents them; at least one. Required. */
  readonly detailTypes: readonly string[];
  /** What a matching event means, for the rule's description (the runbook link is appended). Required. */
  readonly description: string;
  /** The runbook section a person reads when it pages. Required. */
  readonly runbook: RunbookAnchor;
  /** dr:alerts destinations subscribed to the topic, in its region (none: the alarm-destinations policy refuses the stack). Required. */
  readonly subscriptions: readonly AlertDestination[];
}

/** The event pattern of a rule: every event of `source` with one of `detailTypes`, nothing filtered on undocumented fields. */
export function eventPattern(source: string, detailTypes: readonly string[]): string {
  return JSON.stringify({ source: [source], "detail-type": [...detailTypes] });
}

/**
 * What a service reports only as EventBridge events (no CloudWatch metric to alarm on), paging a
 * person on every matching event: a rule on the region's default bus, targeting a topic in the
 * same region (a rule's targets must be in its region) that only this rule may publish to,
 * encrypted with its own customer key that EventBridge may use, and subscribed to dr:alerts; and an
 * alarm on the rule's failed deliveries, on the same topic.
 * The plan report lists the rule with the alarms (src/plan/alarms.ts), runbook link included.
 */
export class EventAlert extends pulumi.ComponentResource {
  readonly ruleArn: pulumi.Output<string>;
  readonly ruleName: pulumi.Output<string>;
  readonly topicArn: pulumi.Output<string>;
  /** The alarm on the rule's failed deliveries, for a dashboard of the rule's region. */
  readonly catalogue: Entry[];

  constructor(name: string, args: EventAlertArgs, opts?: pulumi.ComponentResourceOptions) {
    if (args.detailTypes.length === 0)
      throw new Error(`EventAlert ${name}: detailTypes is empty; name the detail-type(s) of ${args.source} that should page, as the service documents them`);
    // EventBridge: a rule name is 1-64 of [.-_A-Za-z0-9] (PutRule).
    if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(args.ruleName))
      throw new Error(`EventAlert ${name}: ruleName "${args.ruleName}" is not 1-64 letters, digits, '.', '-' or '_'; shorten the names it is built from`);
    super("dr:observability:EventAlert", name, {}, opts);
    requireAwsProvider(this, `EventAlert ${name}`);

    const key = new aws.kms.Key(`${name}-key`, {
      description: `encrypts the topic EventBridge rule ${args.ruleName} pages through (${args.region})`,
      enableKeyRotation: true,
      deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
      policy: pulumi.output(args.accountId).apply((id) => eventRuleTopicKeyPolicy(id, args.region)),
      // Like every key of the platform: deleting it with the stack would leave encrypted messages unreadable.
    }, { parent: this, retainOnDelete: true });
    const rule = new aws.cloudwatch.EventRule(`${name}-rule`, {
      name: args.ruleName,
      description: `${args.description} ${runbookLink(args.runbook)}`,
      eventPattern: eventPattern(args.source, args.detailTypes),
    }, { parent: this });
    const topicArn = componentAlarmTopic(name, `Events: ${args.ruleName}`, key.arn, args.subscriptions, this,
      (arn) => rule.arn.apply((ruleArn) => eventRuleTopicPolicy(arn, ruleArn)));
    // The event as the service sent it: the fields a person needs are not all documented, so none is
    // dropped. No roleArn: the topic's policy authorizes EventBridge, and a role may break delivery
    // to a KMS-encrypted topic (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html).
    new aws.cloudwatch.EventTarget(`${name}-target`, { rule: rule.name, arn: topicArn }, { parent: this });

    // EventBridge retries a failed delivery, then drops it; FailedInvocations counts the dropped
    // ones, sent only while nonzero (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html).
    // CloudWatch publishes to the topic under its own statements, so a broken EventBridge grant still pages.
    this.catalogue = [];
    cataloguedAlarm(`${name}-failed-invocations`, { panel: "region-switch", runbook: args.runbook, region: args.region, topics: [topicArn] }, {
      alarmDescription: pulumi.interpolate`EventBridge rule ${rule.name} could not deliver an event to its topic after retries: pages of ${args.source} are being lost. Check the topic's policy and key policy, then read the events where the service shows them.`,
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

    this.ruleArn = rule.arn;
    this.ruleName = rule.name;
    this.topicArn = topicArn;
    this.registerOutputs({ ruleArn: this.ruleArn, ruleName: this.ruleName, topicArn: this.topicArn });
  }
}
