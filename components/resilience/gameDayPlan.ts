/**
 * Game days in AWS (pure, no Pulumi imports): which AWS FIS experiment each scenario runs, which
 * stack owns it, its targets, actions, stop-condition alarms and the least-privilege permissions
 * of its role. FIS has no single "region down" action and cannot fail over a global database
 * (aws:rds:failover-db-cluster is in-Region only), so each scenario composes actions and the
 * database part of a game day is the drill started while the experiment runs.
 * https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html
 */

export const GAME_DAY_SCENARIOS = ["primary-dark", "partition", "capacity-denied"] as const;
export type GameDayScenario = (typeof GAME_DAY_SCENARIOS)[number];
/** dr:gameDays: true enables every scenario; a map chooses some. */
export type GameDaysSetting = boolean | Partial<Record<GameDayScenario, boolean>> | undefined;

/** FIS quotas per experiment template (https://docs.aws.amazon.com/fis/latest/userguide/fis-quotas.html). */
export const MAX_STOP_CONDITIONS = 5;
export const MAX_ACTIONS = 20;
/** Default quota of subnets one aws:network:disrupt-connectivity action may target. */
export const MAX_DISRUPTED_SUBNETS = 5;
/** How long each fault lasts: long enough for a failover drill and its checks, short of FIS's 12 h. */
export const FAULT_DURATION = "PT30M";
/** Metrics the experiment report shows before and after the faults (FIS's default is PT20M). */
export const REPORT_WINDOW = "PT20M";
/**
 * aws:network:route-table-disrupt-cross-region-connectivity adds a route per public range of the
 * other region: the routes-per-route-table quota must first be raised to this (plus the table's
 * existing routes); us-east-1 needs 350.
 */
export const CROSS_REGION_ROUTE_QUOTA = 250;
export const CROSS_REGION_ROUTE_QUOTA_US_EAST_1 = 350;

/** The tag AWS FIS puts on what it creates (ACLs, route tables, prefix lists); the role may delete only those. */
const FIS_MANAGED = { key: "managedByFIS", value: "true" } as const;
/** The tag naming a subnet's tier (network.ts writes it): load balancers sit in public (web) and private (app) subnets. */
export const SUBNET_TIER_TAG = "dr:subnet-tier";
/** The tag marking a region's application-data bucket (the only bucket whose replication a game day pauses). */
export const DATA_BUCKET_TAG = { key: "dr:bucket", value: "data" } as const;
/** The tag every game-day template carries: the CLI finds a scenario's template by it. */
export const GAME_DAY_TAG = "dr:game-day";
/** Which stack's resources a target selects: provider default tags (stacks/providers.ts). */
export const STACK_TAG = "dr:stack";

export interface ScenarioSpec {
  readonly name: GameDayScenario;
  readonly summary: string;
  /** The stack that owns the template: the region the faults run in (static stability: nothing outside it). */
  readonly owner: "primary" | "secondary";
  /** The drill the CLI runs alongside, and the simulator faults that play the experiment. */
  readonly drill: "failover" | "readiness";
  readonly simulatorFaults: readonly string[];
  /** Region alarms (RegionAlarms keys) that stop the experiment: harm the scenario must not cause. */
  readonly stopAlarms: readonly string[];
}

export const SCENARIOS: Readonly<Record<GameDayScenario, ScenarioSpec>> = {
  "primary-dark": {
    name: "primary-dark", owner: "primary", drill: "failover", simulatorFaults: ["primary-region-down"],
    summary: "the primary goes dark for users: every load-balancer subnet loses all connectivity and every instance stops",
    // The experiment leaves the database alone and the failover drill promotes it: a struggling writer is the harm to stop on.
    stopAlarms: ["db-cpu", "db-freeable-memory"],
  },
  partition: {
    name: "partition", owner: "primary", drill: "readiness", simulatorFaults: ["replication-paused"],
    summary: "the primary loses its network path to the recovery regions and pauses S3 replication to them",
    // Users must not notice a partition: any error rate or a struggling writer stops it.
    stopAlarms: ["web-5xx-rate", "app-5xx-rate", "db-cpu", "db-freeable-memory"],
  },
  "capacity-denied": {
    name: "capacity-denied", owner: "secondary", drill: "failover", simulatorFaults: ["insufficient-capacity"],
    summary: "the recovery region's Auto Scaling groups get InsufficientInstanceCapacity in every AZ but one",
    stopAlarms: ["web-5xx-rate", "app-5xx-rate", "db-cpu", "db-freeable-memory"],
  },
};

/** Why a dr:gameDays value is not a setting (undefined when it is). */
export function gameDaysProblem(v: unknown): string | undefined {
  const fix = `use true (every game-day scenario), false, or a map choosing some of ${GAME_DAY_SCENARIOS.join(", ")}, such as { primary-dark: true }`;
  if (typeof v === "boolean") return undefined;
  if (typeof v !== "object" || v === null || Array.isArray(v)) return `is not a game-day setting; ${fix}`;
  const unknown = Object.keys(v).filter((k) => !(GAME_DAY_SCENARIOS as readonly string[]).includes(k));
  if (unknown.length) return `names unknown scenario(s) ${unknown.join(", ")}; ${fix}`;
  const notBoolean = Object.entries(v).filter(([, x]) => typeof x !== "boolean").map(([k]) => k);
  if (notBoolean.length) return `sets ${notBoolean.join(", ")} to something other than true or false; ${fix}`;
  return undefined;
}

/** The scenarios dr:gameDays enables, in GAME_DAY_SCENARIOS order. */
export function enabledScenarios(setting: GameDaysSetting): GameDayScenario[] {
  if (setting === undefined || setting === false) return [];
  if (setting === true) return [...GAME_DAY_SCENARIOS];
  return GAME_DAY_SCENARIOS.filter((s) => setting[s] === true);
}

/** The scenarios a stack of `role` owns among those enabled. */
export function scenariosOwnedBy(role: string, setting: GameDaysSetting): GameDayScenario[] {
  return enabledScenarios(setting).filter((s) => SCENARIOS[s].owner === role);
}

export interface TargetSpec {
  readonly name: string;
  readonly resourceType: "aws:ec2:subnet" | "aws:ec2:instance" | "aws:s3:bucket" | "aws:ec2:autoscaling-group";
  /** Tags every selected resource must carry (FIS resolves them in the experiment's region only). */
  readonly tags: Readonly<Record<string, string>>;
  /** ALL, COUNT(n) or PERCENT(n); always explicit. */
  readonly selectionMode: string;
  readonly filters?: readonly { readonly path: string; readonly values: readonly string[] }[];
}

export interface ActionSpec {
  readonly name: string;
  readonly actionId: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** The action's target: FIS's key for the resource type, and the target's name. */
  readonly target: { readonly key: "Subnets" | "Instances" | "Buckets" | "AutoScalingGroups"; readonly name: string };
}

export interface ExperimentSpec {
  readonly scenario: GameDayScenario;
  readonly description: string;
  readonly targets: readonly TargetSpec[];
  readonly actions: readonly ActionSpec[];
}

export interface ExperimentContext {
  /** The owning stack (dr:stack tag value of everything it created). */
  readonly stack: string;
  readonly region: string;
  /** The region's AZs, in the order the stack chose them. */
  readonly availabilityZones: readonly string[];
  /** The subnet tiers that hold the stack's load balancers (public for web, private for app). */
  readonly loadBalancerSubnetTiers: readonly string[];
  /** The other regions of the deployment (partition: the recovery regions). */
  readonly otherRegions: readonly string[];
}

export function experimentSpec(scenario: GameDayScenario, c: ExperimentContext): ExperimentSpec {
  const mine = { [STACK_TAG]: c.stack };
  const subnets = (tier: string): TargetSpec => ({ name: `${tier}-subnets`, resourceType: "aws:ec2:subnet", tags: { ...mine, [SUBNET_TIER_TAG]: tier }, selectionMode: "ALL" });
  switch (scenario) {
    case "primary-dark":
      return {
        scenario, description: `primary-dark: ${c.region}'s load-balancer subnets lose all connectivity and its instances stop`,
        targets: [
          ...c.loadBalancerSubnetTiers.map(subnets),
          { name: "instances", resourceType: "aws:ec2:instance", tags: mine, selectionMode: "ALL", filters: [{ path: "State.Name", values: ["running"] }] },
        ],
        actions: [
          ...c.loadBalancerSubnetTiers.map((tier): ActionSpec => ({
            name: `disrupt-${tier}-subnets`, actionId: "aws:network:disrupt-connectivity", description: `deny all traffic in and out of the ${tier} subnets`,
            parameters: { duration: FAULT_DURATION, scope: "all" }, target: { key: "Subnets", name: `${tier}-subnets` },
          })),
          {
            name: "stop-instances", actionId: "aws:ec2:stop-instances", description: "stop every running instance of the stack's tiers",
            parameters: { startInstancesAfterDuration: FAULT_DURATION }, target: { key: "Instances", name: "instances" },
          },
        ],
      };
    case "partition":
      return {
        scenario, description: `partition: ${c.region} cut off from ${c.otherRegions.join(", ")}; S3 replication to them paused`,
        targets: [subnets("private"), { name: "data-bucket", resourceType: "aws:s3:bucket", tags: { ...mine, [DATA_BUCKET_TAG.key]: DATA_BUCKET_TAG.value }, selectionMode: "ALL" }],
        actions: c.otherRegions.flatMap((other): ActionSpec[] => [
          {
            name: `cut-routes-to-${other}`, actionId: "aws:network:route-table-disrupt-cross-region-connectivity", description: `drop the private subnets' traffic to ${other}`,
            parameters: { duration: FAULT_DURATION, region: other }, target: { key: "Subnets", name: "private-subnets" },
          },
          {
            name: `pause-replication-to-${other}`, actionId: "aws:s3:bucket-pause-replication", description: `pause the data bucket's replication to ${other}`,
            parameters: { duration: FAULT_DURATION, region: other }, target: { key: "Buckets", name: "data-bucket" },
          },
        ]),
      };
    case "capacity-denied": {
      // Every AZ but the first: the groups can still launch there, so the scale-out is squeezed, not stopped.
      const denied = c.availabilityZones.slice(1);
      return {
        scenario, description: `capacity-denied: ${c.region}'s groups get InsufficientInstanceCapacity in ${denied.join(", ")}`,
        targets: [{ name: "groups", resourceType: "aws:ec2:autoscaling-group", tags: mine, selectionMode: "ALL" }],
        actions: [{
          name: "deny-capacity", actionId: "aws:ec2:asg-insufficient-instance-capacity-error", description: `launches in ${denied.join(", ")} fail with InsufficientInstanceCapacity`,
          parameters: { duration: FAULT_DURATION, availabilityZoneIdentifiers: denied.join(","), percentage: "100" }, target: { key: "AutoScalingGroups", name: "groups" },
        }],
      };
    }
  }
}

/** What FIS would refuse or what would make the experiment meaningless; empty when none. */
export function experimentProblems(spec: ExperimentSpec, stopConditions: number, subnetsPerTier: number): string[] {
  const problems: string[] = [];
  if (stopConditions < 1 || stopConditions > MAX_STOP_CONDITIONS) problems.push(`${spec.scenario} has ${stopConditions} stop conditions; FIS allows 1 to ${MAX_STOP_CONDITIONS} and a game day needs at least one alarm to abort on`);
  if (spec.actions.length < 1 || spec.actions.length > MAX_ACTIONS) problems.push(`${spec.scenario} has ${spec.actions.length} actions; FIS allows at most ${MAX_ACTIONS} per template (fewer dr:replicaRegions, or split the scenario)`);
  const subnetActions = spec.actions.filter((a) => a.actionId === "aws:network:disrupt-connectivity");
  if (subnetActions.length && subnetsPerTier > MAX_DISRUPTED_SUBNETS) problems.push(`${spec.scenario} disrupts ${subnetsPerTier} subnets per action; the default FIS quota is ${MAX_DISRUPTED_SUBNETS} (raise it or lower dr:azCount)`);
  if (spec.scenario === "capacity-denied" && spec.actions.some((a) => a.parameters.availabilityZoneIdentifiers === "")) problems.push("capacity-denied needs at least two AZs (one keeps its capacity)");
  return problems;
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

export interface RoleContext {
  readonly account: string;
  readonly region: string;
  readonly stack: string;
  readonly reportBucketArn: string;
  readonly reportPrefix: string;
  readonly kmsKeyArn: string;
  /** The region's data bucket (partition pauses its replication). */
  readonly dataBucketArn: string;
}

/**
 * The experiment role's permissions: the calls each action's reference entry lists, mutating ones
 * scoped to this region and account and to the stack's tag or to what FIS itself tagged, plus
 * writing the report. Describe/list calls support no resource-level permissions.
 */
export function experimentRolePolicy(spec: ExperimentSpec, c: RoleContext): { Version: "2012-10-17"; Statement: PolicyStatement[] } {
  const ec2 = (type: string) => `arn:aws:ec2:${c.region}:${c.account}:${type}/*`;
  const managed = { StringEquals: { [`aws:ResourceTag/${FIS_MANAGED.key}`]: FIS_MANAGED.value } };
  const requestManaged = { StringEquals: { [`aws:RequestTag/${FIS_MANAGED.key}`]: FIS_MANAGED.value } };
  const ids = new Set(spec.actions.map((a) => a.actionId));
  const s: PolicyStatement[] = [];
  if (ids.has("aws:network:disrupt-connectivity")) {
    s.push(
      { Sid: "CreateFisNetworkAcl", Effect: "Allow", Action: ["ec2:CreateNetworkAcl"], Resource: ec2("network-acl"), Condition: requestManaged },
      { Sid: "CreateNetworkAclInVpc", Effect: "Allow", Action: ["ec2:CreateNetworkAcl"], Resource: ec2("vpc") },
      { Sid: "TagFisNetworkAcl", Effect: "Allow", Action: ["ec2:CreateTags"], Resource: ec2("network-acl"), Condition: { StringEquals: { "ec2:CreateAction": "CreateNetworkAcl", [`aws:RequestTag/${FIS_MANAGED.key}`]: FIS_MANAGED.value } } },
      { Sid: "ChangeFisNetworkAcl", Effect: "Allow", Action: ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"], Resource: [ec2("network-acl"), ec2("vpc")], Condition: managed },
      { Sid: "SwapSubnetAcl", Effect: "Allow", Action: ["ec2:ReplaceNetworkAclAssociation"], Resource: [ec2("subnet"), ec2("network-acl")] },
      { Sid: "ReadNetwork", Effect: "Allow", Action: ["ec2:DescribeManagedPrefixLists", "ec2:DescribeNetworkAcls", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:GetManagedPrefixListEntries"], Resource: "*" },
    );
  }
  if (ids.has("aws:ec2:stop-instances")) {
    s.push(
      { Sid: "StopStackInstances", Effect: "Allow", Action: ["ec2:StartInstances", "ec2:StopInstances"], Resource: ec2("instance"), Condition: { StringEquals: { [`aws:ResourceTag/${STACK_TAG}`]: c.stack } } },
      { Sid: "ReadInstances", Effect: "Allow", Action: ["ec2:DescribeInstances"], Resource: "*" },
      // Restarting an instance with KMS-encrypted volumes needs a grant on the volumes' key.
      { Sid: "GrantVolumeKey", Effect: "Allow", Action: ["kms:CreateGrant"], Resource: c.kmsKeyArn, Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } },
    );
  }
  if (ids.has("aws:network:route-table-disrupt-cross-region-connectivity")) {
    s.push(
      { Sid: "SwapRouteTables", Effect: "Allow", Action: ["ec2:AssociateRouteTable", "ec2:CreateRoute", "ec2:DisassociateRouteTable", "ec2:ReplaceRouteTableAssociation"], Resource: [ec2("route-table"), ec2("subnet")] },
      { Sid: "CreateFisRouteTable", Effect: "Allow", Action: ["ec2:CreateRouteTable"], Resource: ec2("route-table"), Condition: requestManaged },
      { Sid: "CreateRouteTableInVpc", Effect: "Allow", Action: ["ec2:CreateRouteTable"], Resource: ec2("vpc") },
      { Sid: "DeleteFisRouteTable", Effect: "Allow", Action: ["ec2:DeleteRouteTable"], Resource: [ec2("route-table"), ec2("vpc")], Condition: managed },
      { Sid: "CreateFisPrefixList", Effect: "Allow", Action: ["ec2:CreateManagedPrefixList"], Resource: ec2("prefix-list"), Condition: requestManaged },
      { Sid: "ChangeFisPrefixList", Effect: "Allow", Action: ["ec2:DeleteManagedPrefixList", "ec2:ModifyManagedPrefixList"], Resource: ec2("prefix-list"), Condition: managed },
      { Sid: "FisNetworkInterfaces", Effect: "Allow", Action: ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"], Resource: [ec2("network-interface"), ec2("subnet"), ec2("security-group")] },
      { Sid: "EndpointRoutes", Effect: "Allow", Action: ["ec2:ModifyVpcEndpoint"], Resource: [ec2("vpc-endpoint"), ec2("route-table")] },
      { Sid: "TagFisRouting", Effect: "Allow", Action: ["ec2:CreateTags"], Resource: [ec2("route-table"), ec2("prefix-list"), ec2("network-interface")], Condition: { StringEquals: { "ec2:CreateAction": ["CreateRouteTable", "CreateManagedPrefixList", "CreateNetworkInterface"] } } },
      { Sid: "ReadRouting", Effect: "Allow", Action: ["ec2:DescribeManagedPrefixLists", "ec2:DescribeNetworkInterfaces", "ec2:DescribeRouteTables", "ec2:DescribeSubnets", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeVpcs", "ec2:GetManagedPrefixListEntries"], Resource: "*" },
    );
  }
  if (ids.has("aws:s3:bucket-pause-replication")) {
    s.push(
      { Sid: "PauseDataBucketReplication", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:PauseReplication", "s3:PutReplicationConfiguration"], Resource: c.dataBucketArn },
      // Buckets are selected by tag only: FIS resolves them through the tagging API.
      { Sid: "FindBuckets", Effect: "Allow", Action: ["s3:ListAllMyBuckets", "tag:GetResources"], Resource: "*" },
    );
  }
  if (ids.has("aws:ec2:asg-insufficient-instance-capacity-error")) {
    s.push(
      // InjectApiError has no resource type; the condition limits it to this action.
      { Sid: "InjectCapacityErrors", Effect: "Allow", Action: ["ec2:InjectApiError"], Resource: "*", Condition: { "ForAnyValue:StringEquals": { "ec2:FisActionId": ["aws:ec2:asg-insufficient-instance-capacity-error"] } } },
      { Sid: "ReadGroups", Effect: "Allow", Action: ["autoscaling:DescribeAutoScalingGroups"], Resource: "*" },
    );
  }
  s.push(
    { Sid: "WriteReport", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `${c.reportBucketArn}/${c.reportPrefix}*` },
    { Sid: "EncryptReport", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: c.kmsKeyArn, Condition: { StringEquals: { "kms:ViaService": `s3.${c.region}.amazonaws.com` } } },
    { Sid: "ReportMetrics", Effect: "Allow", Action: ["cloudwatch:GetMetricWidgetImage"], Resource: "*" },
  );
  return { Version: "2012-10-17", Statement: s };
}

/** The experiment role's trust: FIS, for experiments of this account and region only (confused deputy). */
export function experimentTrustPolicy(account: string, region: string): object {
  return {
    Version: "2012-10-17",
    Statement: [{
      Effect: "Allow",
      Principal: { Service: "fis.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": `arn:aws:fis:${region}:${account}:experiment/*` } },
    }],
  };
}
