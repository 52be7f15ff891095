/** Keys, secrets, tags and log retention. */
import type { DrPolicy } from "../model";
import { describe, effectiveTags, list, num, roleTag, str, T } from "../resources";

/** The tags every taggable resource carries: the platform's cost and ownership keys (stacks/region.ts sets them as provider default tags). */
export const REQUIRED_TAGS = ["app", "environment", "dr:role"] as const;

/**
 * Types whose arguments take `tags` (read from the @pulumi/aws 7 `...Args` interfaces); any other
 * resource whose inputs carry `tags` counts too.
 */
export const TAGGABLE_TYPES: ReadonlySet<string> = new Set([
  "aws:acm/certificate:Certificate", "aws:autoscaling/group:Group", "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:ec2/amiCopy:AmiCopy", "aws:ec2/flowLog:FlowLog",
  "aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/instance:Instance",
  "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:iam/instanceProfile:InstanceProfile", "aws:iam/role:Role",
  "aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey", "aws:lb/listener:Listener", "aws:lb/loadBalancer:LoadBalancer",
  "aws:lb/targetGroup:TargetGroup", "aws:rds/cluster:Cluster", "aws:rds/clusterInstance:ClusterInstance",
  "aws:rds/globalCluster:GlobalCluster", "aws:rds/subnetGroup:SubnetGroup", "aws:route53/healthCheck:HealthCheck",
  "aws:s3/bucket:Bucket", "aws:secretsmanager/secret:Secret", "aws:sns/topic:Topic",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:backup/vault:Vault", "aws:backup/plan:Plan", "aws:dynamodb/table:Table",
]);

// Cost allocation and ownership: https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html
const platformTags: DrPolicy = {
  name: "platform-tags",
  description: `Every taggable resource carries the platform's tags (${REQUIRED_TAGS.join(", ")}), directly or through its provider's default tags (Auto Scaling groups get no default tags: they must carry their own).`,
  pillar: "Operational Excellence",
  enforcement: "mandatory",
  kind: "resource",
  types: [],
  validate: (r, _ctx, report) => {
    if (!r.custom || !r.type.startsWith("aws:") || !(TAGGABLE_TYPES.has(r.type) || r.inputs.tags !== undefined)) return;
    const tags = effectiveTags(r);
    const missing = REQUIRED_TAGS.filter((k) => !str(tags[k]));
    if (missing.length)
      report(`${describe(r)}: missing tag(s) ${missing.join(", ")}; ${r.type === T.autoScalingGroup ? "add them to the group's tags list (provider default tags do not reach Auto Scaling groups)" : "set them in the provider's defaultTags or the resource's tags"}.`);
  },
};

// https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html (symmetric keys; replicas rotate with their primary)
const keyRotation: DrPolicy = {
  name: "kms-key-rotation",
  description: "Symmetric customer managed KMS keys rotate their key material automatically.",
  pillar: "Security",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.kmsKey],
  validate: (key, _ctx, report) => {
    const spec = str(key.inputs.customerMasterKeySpec) ?? str(key.inputs.keySpec) ?? "SYMMETRIC_DEFAULT";
    if (spec === "SYMMETRIC_DEFAULT" && key.inputs.enableKeyRotation !== true && key.inputs.enableKeyRotation !== "true")
      report(`${describe(key)}: enableKeyRotation is not true; set enableKeyRotation: true.`);
  },
};

// https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html
const secretReplicated: DrPolicy = {
  name: "secret-replicated",
  description: "Secrets in the primary stack have a replica in another region, so a recovery region can read them while the primary is down.",
  pillar: "Reliability",
  enforcement: "mandatory",
  kind: "resource",
  types: [T.secret],
  validate: (secret, ctx, report) => {
    if ((ctx.stack?.role ?? roleTag(secret)) !== "primary") return;
    if (!list(secret.inputs.replicas).some((r) => str(r.region)))
      report(`${describe(secret)}: a secret of the primary stack has no replica; add replicas [{ region: <each secondary region>, kmsKeyId: <that region's key> }].`);
  },
};

// Stored data nobody reads still costs energy: https://docs.aws.amazon.com/wellarchitected/latest/sustainability-pillar/sus_sus_data_a4.html
const logRetention: DrPolicy = {
  name: "log-retention",
  description: "CloudWatch log groups expire their events (retentionInDays set, not 0 = forever).",
  pillar: "Sustainability",
  enforcement: "advisory",
  kind: "resource",
  types: [T.logGroup],
  validate: (group, _ctx, report) => {
    const days = num(group.inputs.retentionInDays) ?? 0;
    if (days <= 0) report(`${describe(group)}: retentionInDays is ${days === 0 ? "not set (kept forever)" : days}; set it, such as 90.`);
  },
};

export const policies: readonly DrPolicy[] = [platformTags, keyRotation, secretReplicated, logRetention];
