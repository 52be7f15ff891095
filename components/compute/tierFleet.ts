/**
 * The fleet part of a service tier: the instances' IAM identity, the launch template and the Auto
 * Scaling group with its scaling policy. Children are registered under the tier (the caller passes
 * itself as `parent`), so their URNs do not change with this module.
 *
 * To extend the group (a warm pool, lifecycle hooks), add a field to TierFleetArgs and set it in
 * `groupArgs`; the group's options (ignoreChanges) are in one place below.
 */
import * as aws from "@pulumi/aws";
import { WarmPoolPlan } from "./warmPool";
import * as pulumi from "@pulumi/pulumi";

/** A rolling refresh keeps nearly the whole fleet serving. */
const REFRESH_MIN_HEALTHY_PERCENT = 90;
const SSM_CORE_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";
const GROUP_METRICS = [
  "GroupMinSize", "GroupMaxSize", "GroupDesiredCapacity", "GroupInServiceInstances",
  "GroupPendingInstances", "GroupStandbyInstances", "GroupTerminatingInstances", "GroupTotalInstances",
] as const;
/**
 * Drills and target tracking change the desired capacity at run time; `pulumi up` must not undo a
 * scale-out (in a failover, that would shrink the recovering region). min and max stay managed.
 * https://www.pulumi.com/docs/iac/concepts/options/ignorechanges/
 */
export const GROUP_IGNORED_PROPERTIES = ["desiredCapacity"] as const;

/** What the fleet needs, with ServiceTier's defaults already resolved (ServiceTierArgs documents each). */
export interface TierFleetArgs {
  readonly tier: "web" | "app";
  /** Region of the parent's provider (the KMS ViaService condition of the secrets policy). */
  readonly region: string;
  /** Private subnets, one per AZ. */
  readonly instanceSubnetIds: pulumi.Input<string[]>;
  readonly instanceSecurityGroupId: pulumi.Input<string>;
  readonly amiId: pulumi.Input<string>;
  readonly instanceType: string;
  /** Group sizes; desired is set at creation and then left to scaling (GROUP_IGNORED_PROPERTIES). */
  readonly capacity: { readonly min: number; readonly desired: number; readonly max: number };
  /** Customer key of the root volume. */
  readonly ebsKmsKeyArn: pulumi.Input<string>;
  /** Exact secrets the instances may read (none: no inline policy). */
  readonly secretArns: readonly pulumi.Input<string>[];
  readonly secretsKmsKeyArn?: pulumi.Input<string>;
  /** The tier's target group, which the group registers instances in. */
  readonly targetGroupArn: pulumi.Input<string>;
  readonly healthCheckGracePeriodSeconds: number;
  readonly targetCpuUtilization: number;
  /** Tags of the tier's resources (Name, dr:tier). */
  readonly tags: Record<string, string>;
  /** Tags written onto the group and every instance, volume and interface the template launches (the stack's tags, then `tags`). */
  readonly launchTags: Record<string, string>;
  /** Warm pool behind the group; none when undefined. */
  readonly warmPool?: WarmPoolPlan;
}

export interface TierFleet {
  readonly group: aws.autoscaling.Group;
  readonly launchTemplate: aws.ec2.LaunchTemplate;
  readonly instanceRole: aws.iam.Role;
}

export function tierFleet(parent: pulumi.Resource, name: string, args: TierFleetArgs): TierFleet {
  const { tier, tags } = args;
  const profile = instanceIdentity(parent, name, args);

  // The root device name differs between AMIs (/dev/xvda, /dev/sda1); a mapping under the wrong
  // name adds a second volume and leaves the root on the AMI's own settings.
  const ami = aws.ec2.getAmiOutput({ filters: [{ name: "image-id", values: [args.amiId] }] }, { parent });
  const launchTemplate = new aws.ec2.LaunchTemplate(`${name}-lt`, {
    description: `${tier} tier instances`,
    imageId: args.amiId,
    instanceType: args.instanceType,
    iamInstanceProfile: { arn: profile.instanceProfile.arn },
    // IMDSv2 only: session tokens defeat SSRF-style credential theft through open proxies. A hop
    // limit of 1 keeps the token from leaving the instance (e.g. from inside a container).
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
    blockDeviceMappings: [{
      deviceName: ami.rootDeviceName,
      ebs: { encrypted: "true", kmsKeyId: args.ebsKmsKeyArn, volumeType: "gp3", deleteOnTermination: "true" },
    }],
    // Instances live in private subnets and leave through NAT; a public IP would bypass the ALB.
    networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: [args.instanceSecurityGroupId], deleteOnTermination: "true" }],
    monitoring: { enabled: true },
    updateDefaultVersion: true,
    // Provider default tags tag the template itself, not what it launches: instances and volumes
    // get only the template's tag specifications, so the stack's tags are written out here.
    // https://github.com/hashicorp/terraform-provider-aws/issues/19387 (default tags reach only root-level tags)
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateTagSpecificationRequest.html
    tagSpecifications: [
      { resourceType: "instance", tags: args.launchTags },
      { resourceType: "volume", tags: args.launchTags },
      { resourceType: "network-interface", tags: args.launchTags },
    ],
    tags,
  }, { parent });

  const groupArgs: aws.autoscaling.GroupArgs = {
    vpcZoneIdentifiers: args.instanceSubnetIds,
    minSize: args.capacity.min,
    desiredCapacity: args.capacity.desired,
    maxSize: args.capacity.max,
    // The concrete latest version, not "$Latest": the provider starts the instance refresh below
    // only when the group's launch-template version changes, and "$Latest" never changes.
    // https://github.com/hashicorp/terraform-provider-aws/pull/22464 (note on instance_refresh)
    launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply((v) => String(v)) },
    targetGroupArns: [args.targetGroupArn],
    // ELB checks, not EC2 status checks: an instance whose app is down is replaced, not kept.
    healthCheckType: "ELB",
    healthCheckGracePeriod: args.healthCheckGracePeriodSeconds,
    // A changed launch-template version starts this rolling refresh on `pulumi up`.
    instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: REFRESH_MIN_HEALTHY_PERCENT } },
    enabledMetrics: [...GROUP_METRICS],
    metricsGranularity: "1Minute",
    // Provider default tags never reach a group; instances get theirs from the template, so none propagate.
    tags: [...Object.entries(args.launchTags).filter(([k]) => k !== "Name"), ["Name", name]].map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
    // Pre-initialized, stopped instances: a failover scale-out starts them instead of launching new ones.
    warmPool: args.warmPool && {
      poolState: args.warmPool.poolState,
      minSize: args.warmPool.minSize,
      maxGroupPreparedCapacity: args.warmPool.maxGroupPreparedCapacity,
      instanceReusePolicy: { reuseOnScaleIn: args.warmPool.reuseOnScaleIn },
    },
  };
  const group = new aws.autoscaling.Group(`${name}-asg`, groupArgs, { parent, ignoreChanges: [...GROUP_IGNORED_PROPERTIES] });

  new aws.autoscaling.Policy(`${name}-cpu-target`, {
    autoscalingGroupName: group.name,
    policyType: "TargetTrackingScaling",
    targetTrackingConfiguration: {
      predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
      targetValue: args.targetCpuUtilization,
    },
  }, { parent });

  return { group, launchTemplate, instanceRole: profile.role };
}

/** The instances' role and profile: SSM management and read access to their own secrets only. */
function instanceIdentity(parent: pulumi.Resource, name: string, args: TierFleetArgs): { role: aws.iam.Role; instanceProfile: aws.iam.InstanceProfile } {
  const { tier, tags } = args;
  const role = new aws.iam.Role(`${name}-instance`, {
    description: `Instances of the ${tier} tier: SSM management and read access to their secrets only`,
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    tags,
  }, { parent });
  // Session Manager replaces SSH: no key pairs, no inbound port, every session logged.
  new aws.iam.RolePolicyAttachment(`${name}-ssm-core`, { role: role.name, policyArn: SSM_CORE_POLICY_ARN }, { parent });
  if (args.secretArns.length > 0) {
    new aws.iam.RolePolicy(`${name}-secrets`, {
      role: role.id,
      policy: pulumi.all([pulumi.all([...args.secretArns]), args.secretsKmsKeyArn]).apply(([arns, keyArn]) =>
        JSON.stringify(instanceSecretsPolicy(arns, keyArn ?? "", args.region))),
    }, { parent });
  }
  const instanceProfile = new aws.iam.InstanceProfile(`${name}-instance`, { role: role.name, tags }, { parent });
  return { role, instanceProfile };
}

/** The inline policy of a tier's instances: read exactly these secrets, decrypt only through Secrets Manager. */
export function instanceSecretsPolicy(secretArns: readonly string[], secretsKmsKeyArn: string, region: string): { Version: string; Statement: object[] } {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [...secretArns] },
      {
        Sid: "DecryptSecretsViaSecretsManager",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: secretsKmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
      },
    ],
  };
}
