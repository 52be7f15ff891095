/**
 * The policies of alarm topics: only the publisher that pages (this account's CloudWatch alarms in
 * the topic's region, or one EventBridge rule) may publish, and nothing travels without TLS. Pure:
 * the topic ARN holds the partition, region and account.
 */
interface Publisher {
  readonly Sid: string;
  readonly Principal: { readonly Service: string };
  readonly Condition: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** Confused-deputy guard and TLS: the topic's statements around the publishers it allows. */
function topicPolicy(topicArn: string, publishers: readonly Publisher[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      ...publishers.map((p) => ({ Sid: p.Sid, Effect: "Allow", Principal: p.Principal, Action: "sns:Publish", Resource: topicArn, Condition: p.Condition })),
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: ["sns:Publish", "sns:Subscribe"],
        Resource: topicArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

/** This account's CloudWatch alarms in the topic's region. */
function cloudWatchAlarms(topicArn: string): Publisher {
  const [, partition, , region, account] = topicArn.split(":");
  return {
    Sid: "CloudWatchAlarmsOfThisAccount",
    Principal: { Service: "cloudwatch.amazonaws.com" },
    Condition: {
      StringEquals: { "aws:SourceAccount": account },
      ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
    },
  };
}

/** A topic CloudWatch alarms notify: only this account's alarms in this region may publish. */
export function alarmTopicPolicy(topicArn: string): string {
  return topicPolicy(topicArn, [cloudWatchAlarms(topicArn)]);
}

/** The service principal EventBridge publishes to a rule's targets as. */
export const EVENTBRIDGE_PRINCIPAL = "events.amazonaws.com";

/**
 * A topic EventBridge rules deliver to: of EventBridge, only those rules may publish. EventBridge
 * needs the topic's resource policy to allow events.amazonaws.com, and `aws:SourceArn` names the rules
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions).
 * This account's alarms may publish too: the alarms on the rules' failed deliveries notify here.
 */
export function eventRuleTopicPolicy(topicArn: string, ruleArns: readonly string[]): string {
  const account = topicArn.split(":")[4];
  return topicPolicy(topicArn, [{
    Sid: "TheseEventBridgeRulesOfThisAccount",
    Principal: { Service: EVENTBRIDGE_PRINCIPAL },
    Condition: { StringEquals: { "aws:SourceAccount": account }, ArnEquals: { "aws:SourceArn": [...ruleArns] } },
  }, cloudWatchAlarms(topicArn)]);
}
