import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { SUBNET_TIER_TAG } from "../resilience/gameDayPlan";
import { AzSubnets, planSubnets } from "./cidrPlan";
import { requireAwsProvider } from "../providers";

export type NatStrategy = "per-az" | "single";

/** Flow logs are kept long enough to investigate an incident found at the next quarterly review. */
export const DEFAULT_FLOW_LOG_RETENTION_DAYS = 90;
/** Aggregating flows every minute (not ten) makes flow logs useful during a live failover. */
const FLOW_LOG_AGGREGATION_SECONDS = 60;

export interface RegionalNetworkArgs {
  /** The region this network lives in; must be the region of the provider passed in opts. */
  readonly region: string;
  /** VPC range, /16 to /22. Required. */
  readonly cidr: string;
  /** AZ names to span, in order; each gets a public, a private and an isolated subnet. Required (at least 2). */
  readonly availabilityZones: readonly string[];
  /** One NAT gateway per AZ, or a single shared one for a cheap standby. Default "per-az". */
  readonly natStrategy?: NatStrategy;
  /** Days to keep VPC flow logs. Default 90. */
  readonly flowLogRetentionDays?: number;
  /** Customer KMS key for the flow-log group. Default: none (CloudWatch's own encryption). */
  readonly flowLogKmsKeyArn?: pulumi.Input<string>;
}

/**
 * A region's network: an awsx VPC across the given AZs with public (load balancers), private
 * (instances) and isolated (database) subnets, NAT for private egress, VPC flow logs, and an S3
 * gateway endpoint so instance traffic to S3 stays off the NAT gateways.
 */
export class RegionalNetwork extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly isolatedSubnetIds: pulumi.Output<string[]>;
  /** The subnet plan: one entry per AZ, with each tier's CIDR. */
  readonly subnetPlan: readonly AzSubnets[];
  readonly cidr: string;
  readonly flowLogGroupName: pulumi.Output<string>;

  constructor(name: string, args: RegionalNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    validateNetworkArgs(args);
    super("dr:network:RegionalNetwork", name, {}, opts);
    const provider = requireAwsProvider(this, `RegionalNetwork ${name}`);
    const natStrategy = args.natStrategy ?? "per-az";
    const retentionInDays = args.flowLogRetentionDays ?? DEFAULT_FLOW_LOG_RETENTION_DAYS;
    this.cidr = args.cidr;
    this.subnetPlan = planSubnets(args.cidr, args.availabilityZones);
    if (natStrategy === "single") {
      pulumi.log.warn("one NAT gateway serves every AZ: losing its AZ cuts outbound traffic from the others until failover; use per-az before this region takes traffic", this);
    }

    const tierCidrs = (tier: keyof Omit<AzSubnets, "az">) => this.subnetPlan.map((s) => s[tier]);
    const vpc = new awsx.ec2.Vpc(`${name}-vpc`, {
      cidrBlock: args.cidr,
      availabilityZoneNames: [...args.availabilityZones],
      enableDnsHostnames: true,
      enableDnsSupport: true,
      subnetStrategy: "Auto",
      subnetSpecs: [
        // The tier tag is what game-day experiments select subnets by (components/resilience/gameDayPlan.ts).
        { type: "Public", cidrBlocks: tierCidrs("public"), tags: { [SUBNET_TIER_TAG]: "public" } },
        { type: "Private", cidrBlocks: tierCidrs("private"), tags: { [SUBNET_TIER_TAG]: "private" } },
        { type: "Isolated", cidrBlocks: tierCidrs("isolated"), tags: { [SUBNET_TIER_TAG]: "isolated" } },
      ],
      natGateways: { strategy: natStrategy === "single" ? "Single" : "OnePerAz" },
      vpcEndpointStrategy: "Auto",
      vpcEndpointSpecs: [{ serviceName: `com.amazonaws.${args.region}.s3`, vpcEndpointType: "Gateway" }],
      tags: { Name: name },
      // awsx's VPC is a remote component: it does not inherit providers from its parent.
    }, { parent: this, providers: [provider] });

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, {
      retentionInDays,
      kmsKeyId: args.flowLogKmsKeyArn,
    }, { parent: this });

    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const role = new aws.iam.Role(`${name}-flow-logs`, {
      description: "Lets VPC Flow Logs write to this VPC's log group only",
      assumeRolePolicy: account.apply((id) => JSON.stringify(flowLogTrustPolicy(id, args.region))),
    }, { parent: this });

    new aws.iam.RolePolicy(`${name}-flow-logs`, {
      role: role.id,
      policy: pulumi.all([logGroup.arn, account]).apply(([arn, id]) => JSON.stringify(flowLogRolePolicy(arn, id, args.region))),
    }, { parent: this });

    new aws.ec2.FlowLog(`${name}-flow-log`, {
      vpcId: vpc.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: FLOW_LOG_AGGREGATION_SECONDS,
    }, { parent: this });

    this.vpcId = vpc.vpcId;
    this.publicSubnetIds = vpc.publicSubnetIds;
    this.privateSubnetIds = vpc.privateSubnetIds;
    this.isolatedSubnetIds = vpc.isolatedSubnetIds;
    this.flowLogGroupName = logGroup.name;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      flowLogGroupName: this.flowLogGroupName,
    });
  }
}

/** Checks the arguments a caller controls; throws one error naming every problem. */
export function validateNetworkArgs(args: RegionalNetworkArgs): void {
  const problems: string[] = [];
  if (args.availabilityZones.length < 2) problems.push(`availabilityZones has ${args.availabilityZones.length} AZ(s); give at least 2 so the network survives an AZ loss`);
  const strangers = args.availabilityZones.filter((az) => !az.startsWith(args.region));
  if (strangers.length) problems.push(`availabilityZones ${strangers.join(", ")} are not in region ${args.region}; pass AZs of the provider's region`);
  if (args.flowLogRetentionDays !== undefined && args.flowLogRetentionDays < 1) problems.push(`flowLogRetentionDays is ${args.flowLogRetentionDays}; use at least 1`);
  try {
    planSubnets(args.cidr, args.availabilityZones);
  } catch (err) {
    problems.push(`cidr: ${(err as Error).message}`);
  }
  if (problems.length) throw new Error(`RegionalNetwork: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}

/**
 * The flow-log role's trust policy. AWS recommends both confused-deputy condition keys: "The source
 * account is the owner of the flow log and the source ARN is the flow log ARN", with a wildcard
 * for the flow log id when it is not known yet, as here (the role exists before the flow log).
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
 */
export function flowLogTrustPolicy(accountId: string, region: string): object {
  return {
    Version: "2012-10-17",
    Statement: [{
      Effect: "Allow",
      Principal: { Service: "vpc-flow-logs.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnLike: { "aws:SourceArn": `arn:aws:ec2:${region}:${accountId}:vpc-flow-log/*` },
      },
    }],
  };
}

/**
 * What VPC Flow Logs needs to publish to CloudWatch Logs: AWS documents logs:CreateLogGroup,
 * CreateLogStream, PutLogEvents, DescribeLogGroups and DescribeLogStreams
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html). CreateLogGroup is
 * left out: the group is created here, never by the service. The stream actions are scoped to this
 * group (its ARN and its ":*" form, which CloudWatch Logs uses for actions inside the group:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html).
 * DescribeLogGroups is a list action over the account's groups in a region, not over one group, so
 * it is scoped to this account's log groups in this region, the narrowest it can match.
 */
export function flowLogRolePolicy(logGroupArn: string, accountId: string, region: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [logGroupArn, `${logGroupArn}:*`],
      },
      {
        Effect: "Allow",
        Action: "logs:DescribeLogGroups",
        Resource: `arn:aws:logs:${region}:${accountId}:log-group:*`,
      },
    ],
  };
}
