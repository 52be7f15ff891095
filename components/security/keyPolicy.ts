/**
 * The key policy of the platform's customer keys, one per region (a replica key has its own).
 * Pure, so tests read the statements directly. The account root statement delegates to IAM, which
 * is how RDS, S3, Secrets Manager and the replication roles get their (least-privilege) access;
 * the service statements cover callers that are not IAM principals of this account.
 */
export function regionalKeyPolicy(accountId: string, region: string, autoScalingRoleArn: string = autoScalingServiceRoleArn(accountId)): string {
  const account = `arn:aws:iam::${accountId}:root`;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersKeyThroughIam",
        Effect: "Allow",
        Principal: { AWS: account },
        Action: "kms:*",
        Resource: "*",
      },
      {
        // Flow-log and other log groups encrypted with this key; scoped to this account's log groups.
        Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:log-group:*` } },
      },
      // Alarms publish to SNS topics encrypted with this key; CloudWatch is not an IAM principal here.
      topicPublisher("CloudWatchAlarmsPublishToEncryptedTopics", "cloudwatch.amazonaws.com", accountId),
      {
        // Auto Scaling launches instances whose EBS volumes use this key through its service-linked role;
        // without this, instances fail to launch with Client.InternalError.
        Sid: "AutoScalingUsesKeyForEncryptedVolumes",
        Effect: "Allow",
        Principal: { AWS: autoScalingRoleArn },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
      },
      {
        Sid: "AutoScalingGrantsForAttachedVolumes",
        Effect: "Allow",
        Principal: { AWS: autoScalingRoleArn },
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ],
  });
}

/**
 * A service that publishes to SNS topics encrypted with the key: a publisher needs
 * kms:GenerateDataKey* and kms:Decrypt, and a service principal gets them only from the key policy
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services);
 * only on this account's behalf.
 */
function topicPublisher(sid: string, service: string, accountId: string) {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: service },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  };
}

/** The service principal of EC2 Auto Scaling's service-linked role. */
export const AUTOSCALING_SERVICE = "autoscaling.amazonaws.com";

/**
 * The default Auto Scaling service-linked role of an account. It exists only once the account has
 * run an Auto Scaling group (or someone created it), and a key policy naming a principal that does
 * not exist is rejected by KMS (MalformedPolicyDocumentException), so a fresh account needs the role
 * created first (dr:createAutoScalingServiceLinkedRole).
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html (principals must exist)
 */
export function autoScalingServiceRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/aws-service-role/${AUTOSCALING_SERVICE}/AWSServiceRoleForAutoScaling`;
}

/** The statements a key needs that only encrypts SNS topics CloudWatch alarms publish to. */
const ALARM_TOPIC_KEY_STATEMENTS = ["AccountAdministersKeyThroughIam", "CloudWatchAlarmsPublishToEncryptedTopics"];

/**
 * The policy of a key that encrypts alarm topics only: the account's administration through IAM
 * and CloudWatch publishing, nothing for logs or Auto Scaling. Least privilege, and it names no
 * principal that may not exist in a fresh account.
 */
export function alarmTopicKeyPolicy(accountId: string, region: string): string {
  const all = JSON.parse(regionalKeyPolicy(accountId, region)) as { Version: string; Statement: { Sid: string }[] };
  return JSON.stringify({ ...all, Statement: all.Statement.filter((s) => ALARM_TOPIC_KEY_STATEMENTS.includes(s.Sid)) });
}

/**
 * The policy of a key that encrypts the topic EventBridge rules deliver to: the account's
 * administration through IAM, CloudWatch alarms (the alarms on the rules' failed deliveries) as
 * topicPublisher, and EventBridge generating and reading the topic's data keys. EventBridge's
 * statement cannot carry aws:SourceAccount or aws:SourceArn: SNS documents those keys as not
 * supported in a KMS policy for EventBridge delivery to an encrypted topic (the KMS request does not
 * carry them, so every delivery would fail). It is scoped instead by the encryption context SNS
 * sends with every data-key request, the topic's ARN (`kms:EncryptionContext:aws:sns:topicArn`, as
 * AWS's GameLift guide scopes its key for an encrypted topic, queue-notification-sns-sse.html): this
 * account's topics in this region.
 * The topics' own policies admit only their rules; this key encrypts nothing else.
 */
export function eventRuleTopicKeyPolicy(accountId: string, region: string): string {
  const alarms = JSON.parse(alarmTopicKeyPolicy(accountId, region)) as { Version: string; Statement: unknown[] };
  const eventBridge = {
    Sid: "EventBridgePublishesToEncryptedTopic",
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringLike: { [SNS_TOPIC_ENCRYPTION_CONTEXT]: `arn:aws:sns:${region}:${accountId}:*` } },
  };
  return JSON.stringify({ ...alarms, Statement: [...alarms.Statement, eventBridge] });
}

/** The encryption context key SNS sends with its KMS requests: the topic's ARN. */
export const SNS_TOPIC_ENCRYPTION_CONTEXT = "kms:EncryptionContext:aws:sns:topicArn";
