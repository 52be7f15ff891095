/**
 * The policy of an alarm topic: only this account's CloudWatch alarms in the topic's region may
 * publish, and nothing travels without TLS. Pure: the topic ARN holds the partition, region and account.
 */
export function alarmTopicPolicy(topicArn: string): string {
  const [, partition, , region, account] = topicArn.split(":");
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "CloudWatchAlarmsOfThisAccount",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        // Confused-deputy guard: only this account's alarms in this region may publish.
        Condition: {
          StringEquals: { "aws:SourceAccount": account },
          ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      },
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
