/**
 * A pre-flight of the planned Region switch plan against every check ARC's plan evaluation runs
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/working-with-rs-plan-evaluation.html), on the
 * recorded resources of a whole deployment: what ARC would find (resources, their settings) and what
 * iam:SimulatePrincipalPolicy would answer for the execution role against each block's AWS sample
 * policy (security_iam_region_switch_*.html), resources as in the sample: `*` where the sample has `*`,
 * else the plan's own ARNs. A check with problems is an evaluation warning, and a page a day.
 */
import type { Evaluation, RecordedResourceWithRegion } from "../../src/engine/evaluate";
import type { Deployment } from "./deployments";
import { oneOf, resourcesOf } from "./stack";

type Json = Record<string, any>;
export interface Statement { Effect: string; Action: string | string[]; Resource: string | string[]; Principal?: Json; Condition?: Json }
export interface CheckResult {
  /** The execution block type, or "plan" for plan-level checks. */
  readonly block: string;
  readonly check: string;
  readonly problems: readonly string[];
}

const PLAN = "aws:arcregionswitch/plan:Plan";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const arr = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const glob = (pattern: string, value: string, caseless: boolean) =>
  new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, caseless ? "i" : "").test(value);

/** IAM's answer for an identity policy without conditions: an Allow statement matching action (case-insensitive) and resource. */
export function allows(statements: readonly Statement[], action: string, resource: string): boolean {
  return statements.some((s) => s.Effect === "Allow" && !s.Condition && arr(s.Action).some((a) => glob(a, action, true)) && arr(s.Resource).some((r) => glob(r, resource, false)));
}

/** Problems for each (action, resources) the statements do not allow. */
function missing(statements: readonly Statement[], needs: ReadonlyArray<readonly [string, readonly string[]]>, who: string): string[] {
  return needs.flatMap(([action, resources]) => resources.filter((r) => !allows(statements, action, r)).map((r) => `${who} is not allowed ${action} on ${r}`));
}

const flat = (steps: Json[]): Json[] => steps.flatMap((s) => [s, ...arr<Json>(s.parallelConfigs).flatMap((p) => flat(p.steps))]);
const statementsOf = (ev: Evaluation, role: RecordedResourceWithRegion): Statement[] =>
  resourcesOf(ev, ROLE_POLICY).filter((p) => p.inputs.role === role.id).flatMap((p) => arr<Statement>(JSON.parse(String(p.inputs.policy)).Statement));

export function preflight(d: Deployment): CheckResult[] {
  const stacks = [d.primary, d.secondary, d.links];
  const all = (type: string) => stacks.flatMap((ev) => resourcesOf(ev, type));
  const byArn = (type: string, arn: string) => all(type).find((r) => r.outputs.arn === arn);
  const planResource = oneOf(d.links, PLAN);
  const plan = planResource.inputs as Json;
  const planArn = String(planResource.outputs.arn);
  const account = planArn.split(":")[4];
  const role = oneOf(d.links, ROLE, /-execution-role$/);
  const roleArn = String(role.outputs.arn);
  const exec = statementsOf(d.links, role);
  const blocks = arr<Json>(plan.workflows).flatMap((w) => flat(w.steps).map((s) => ({ w, s })));
  const of = (type: string) => blocks.filter((b) => b.s.executionBlockType === type);
  const out: CheckResult[] = [];
  const check = (block: string, name: string, problems: string[]) => out.push({ block, check: name, problems });

  // EC2 Auto Scaling (ec2-auto-scaling-block.html; security_iam_region_switch_ec2_autoscaling.html).
  const asgBlocks = of("EC2AutoScaling");
  if (asgBlocks.length) {
    const configs = asgBlocks.flatMap(({ w, s }) => arr<Json>(s.ec2AsgCapacityIncreaseConfigs).map((c) => ({ w, s, c })));
    const arns = configs.flatMap(({ c }) => arr<Json>(c.asgs).map((a) => String(a.arn)));
    check("EC2AutoScaling", "resource accessibility: the groups exist", arns.filter((a) => !byArn("aws:autoscaling/group:Group", a)).map((a) => `no Auto Scaling group ${a}`));
    // The source is the other region's most desired capacity in 24 h, which target tracking may raise to its max.
    check("EC2AutoScaling", "capacity: the activated region's max reaches ceil(percent x the source region's capacity)", configs.flatMap(({ w, s, c }) => {
      const groups = arr<Json>(c.asgs).map((a) => byArn("aws:autoscaling/group:Group", String(a.arn))!).filter(Boolean);
      const to = groups.find((g) => g.region === w.workflowTargetRegion);
      const from = groups.find((g) => g.region !== w.workflowTargetRegion);
      if (!to || !from) return [`${s.name}: no group in each region`];
      const need = Math.ceil((Number(c.targetPercent ?? 100) * Number(from.inputs.maxSize)) / 100);
      return Number(to.inputs.maxSize) >= need ? [] : [`${s.name}: ${to.inputs.name} may grow to ${to.inputs.maxSize}, ARC may ask ${need}`];
    }));
    check("EC2AutoScaling", "IAM permissions", missing(exec, [["autoscaling:DescribeAutoScalingGroups", ["*"]], ["autoscaling:UpdateAutoScalingGroup", arns], ["cloudwatch:GetMetricStatistics", ["*"]]], "the execution role"));
  }

  // Aurora Global Database (aurora-global-database-block.html; security_iam_region_switch_aurora.html).
  const auroraBlocks = of("AuroraGlobalDatabase");
  if (auroraBlocks.length) {
    const c = arr<Json>(auroraBlocks[0].s.globalAuroraConfigs)[0];
    const global = all("aws:rds/globalCluster:GlobalCluster").find((g) => g.outputs.id === c.globalClusterIdentifier);
    const clusters = arr<string>(c.databaseClusterArns).map((a) => ({ arn: a, cluster: byArn("aws:rds/cluster:Cluster", a) }));
    const problems = [
      ...(global ? [] : [`no global cluster ${c.globalClusterIdentifier}`]),
      ...clusters.filter((x) => !x.cluster).map((x) => `no cluster ${x.arn}`),
      ...clusters.filter((x) => x.cluster && x.cluster.inputs.globalClusterIdentifier !== c.globalClusterIdentifier).map((x) => `${x.arn} is not a member of ${c.globalClusterIdentifier}`),
    ];
    check("AuroraGlobalDatabase", "resource accessibility: global cluster and member clusters exist", problems);
    check("AuroraGlobalDatabase", "resource accessibility: DB instances exist in both clusters", clusters.filter((x) => x.cluster)
      .filter((x) => !all("aws:rds/clusterInstance:ClusterInstance").some((i) => i.region === x.cluster!.region && i.inputs.clusterIdentifier === x.cluster!.id)).map((x) => `no DB instance in ${x.arn}`));
    const versions = new Set(clusters.map((x) => `${x.cluster?.inputs.engine} ${x.cluster?.inputs.engineVersion}`));
    check("AuroraGlobalDatabase", "engine compatibility: the clusters run one engine version", versions.size === 1 ? [] : [`versions ${[...versions].join(", ")}`]);
    const global_ = `arn:aws:rds::${account}:global-cluster:${c.globalClusterIdentifier}`;
    check("AuroraGlobalDatabase", "IAM permissions", missing(exec, [["rds:DescribeGlobalClusters", ["*"]], ["rds:DescribeDBClusters", ["*"]],
      ["rds:FailoverGlobalCluster", [global_, ...clusters.map((x) => x.arn)]], ["rds:SwitchoverGlobalCluster", [global_, ...clusters.map((x) => x.arn)]]], "the execution role"));
  }

  // Custom action Lambda (custom-action-lambda-block.html; security_iam_region_switch_lambda.html).
  const lambdaArns = [...new Set(of("CustomActionLambda").flatMap(({ s }) => arr<Json>(s.customActionLambdaConfigs).flatMap((c) => arr<Json>(c.lambdas).map((l) => String(l.arn)))))];
  if (lambdaArns.length) {
    const fns = lambdaArns.map((a) => ({ a, fn: byArn("aws:lambda/function:Function", a) }));
    check("CustomActionLambda", "resource accessibility: the functions exist", fns.filter((f) => !f.fn).map((f) => `no function ${f.a}`));
    check("CustomActionLambda", "configuration: concurrency above 0, timeout within 15 minutes", fns.filter((f) => f.fn).flatMap(({ a, fn }) => {
      const reserved = fn!.inputs.reservedConcurrentExecutions;
      return [...(reserved === 0 ? [`${a} has reserved concurrency 0`] : []), ...(Number(fn!.inputs.timeout ?? 3) > 900 ? [`${a} times out after ${fn!.inputs.timeout} s`] : [])];
    }));
    // A dry-run invocation (Invoke, InvocationType DryRun) checks the caller may invoke, runs no code.
    check("CustomActionLambda", "IAM permissions and dry-run invocation", missing(exec, [["lambda:GetFunction", lambdaArns], ["lambda:InvokeFunction", lambdaArns]], "the execution role"));
  }

  // ARC routing control (arc-routing-controls-block.html; security_iam_region_switch_arc_routing.html).
  const controls = [...new Set(of("ARCRoutingControl").flatMap(({ s }) => arr<Json>(s.arcRoutingControlConfigs).flatMap((c) => arr<Json>(c.regionAndRoutingControls).flatMap((r) => arr<Json>(r.routingControls).map((x) => String(x.routingControlArn))))))];
  if (controls.length) {
    const found = controls.map((a) => ({ a, control: byArn("aws:route53recoverycontrol/routingControl:RoutingControl", a) }));
    check("ARCRoutingControl", "resource accessibility: the routing controls exist", found.filter((f) => !f.control).map((f) => `no routing control ${f.a}`));
    const panels = [...new Set(found.map((f) => String(f.control?.inputs.controlPanelArn)))];
    const clusters = [...new Set(found.map((f) => String(f.control?.inputs.clusterArn)))];
    check("ARCRoutingControl", "resource accessibility: the role may read the control panel", missing(exec, [["route53-recovery-control-config:DescribeControlPanel", [...panels, ...clusters]], ["route53-recovery-control-config:DescribeCluster", [...panels, ...clusters]]], "the execution role"));
    check("ARCRoutingControl", "IAM permissions", missing(exec, [["route53-recovery-cluster:GetRoutingControlState", controls], ["route53-recovery-cluster:UpdateRoutingControlStates", controls]], "the execution role"));
  }

  // Manual approval (manual-approval-block.html; security_iam_region_switch_manual_approval.html).
  const approvals = [...new Set(of("ManualApproval").flatMap(({ s }) => arr<Json>(s.executionApprovalConfigs).map((c) => String(c.approvalRole))))];
  for (const a of approvals) {
    const approver = all(ROLE).find((r) => r.outputs.arn === a);
    check("ManualApproval", "resource accessibility: the approval role ARN is well formed and the role exists", [
      ...(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(a) ? [] : [`${a} is not a role ARN`]), ...(approver ? [] : [`no role ${a}`])]);
    check("ManualApproval", "configuration: the approval role is in the plan's account", a.split(":")[4] === account ? [] : [`${a} is not in account ${account}`]);
    // The approver's own policy, as the execution role simulates it (the managed execution policy allows simulating roles).
    check("ManualApproval", "IAM permissions: the approver may approve", [
      ...(approver ? missing(statementsOf(d.links, approver), [["arc-region-switch:ApprovePlanExecutionStep", [planArn]]], "the approval role") : []),
      ...missing(exec, [["iam:SimulatePrincipalPolicy", [a]]], "the execution role")]);
  }

  // Plan level (working-with-rs-plan-evaluation.html, "Plan-level evaluation checks").
  const trust = arr<Statement>(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement);
  check("plan", "role assumption: arc-region-switch.amazonaws.com may assume the execution role",
    trust.some((s) => s.Effect === "Allow" && arr(s.Action).includes("sts:AssumeRole") && arr(s.Principal?.Service).includes("arc-region-switch.amazonaws.com")) ? [] : ["no trust for arc-region-switch.amazonaws.com"]);
  check("plan", "evaluation: the role may simulate its own policies and read the plan", missing(exec, [["iam:SimulatePrincipalPolicy", [roleArn]],
    ["arc-region-switch:GetPlan", ["*"]], ["arc-region-switch:GetPlanExecution", ["*"]], ["arc-region-switch:ListPlanExecutions", ["*"]]], "the execution role"));
  const alarms = arr<Json>(plan.associatedAlarms);
  const alarmProblems = (type: string) => alarms.filter((x) => x.alarmType === type).flatMap((x) => [
    ...(byArn("aws:cloudwatch/metricAlarm:MetricAlarm", String(x.resourceIdentifier)) ? [] : [`no alarm ${x.resourceIdentifier}`]),
    ...missing(exec, [["cloudwatch:DescribeAlarms", [String(x.resourceIdentifier)]], ["cloudwatch:DescribeAlarmHistory", [String(x.resourceIdentifier)]]], "the execution role"),
    ...(x.crossAccountRole && !x.externalId ? [`${x.resourceIdentifier}: a cross-account role without an external id`] : []),
  ]);
  check("plan", "application health alarms: exist, readable, no cross-account role without external id", alarmProblems("applicationHealth"));
  if (arr(plan.triggers).length)
    check("plan", "triggers: the alarm exists and is readable; the role may start this plan", [...alarmProblems("trigger"), ...missing(exec, [["arc-region-switch:StartPlanExecution", [planArn]]], "the execution role")]);
  const path = String(plan.reportConfigurations[0].reportOutputs[0].s3Configurations[0].bucketPath);
  const bucket = /^s3:\/\/([^/]+)\/?(.*)$/.exec(path)!;
  const key = oneOf(d.links, "aws:kms/key:Key", /-report-key$/);
  const keyPolicy = arr<Statement>(JSON.parse(String(key.inputs.policy)).Statement);
  // A key policy allowing the account lets IAM policies grant the key's use (KMS key-policy-default.html).
  const delegated = keyPolicy.some((s) => s.Effect === "Allow" && arr(s.Principal?.AWS).includes(`arn:aws:iam::${account}:root`) && arr(s.Action).some((a) => glob(a, "kms:GenerateDataKey", true)));
  check("plan", "report generation: PutObject into the report bucket, with its customer key", [
    ...missing(exec, [["s3:PutObject", [`arn:aws:s3:::${bucket[1]}/${bucket[2] ? `${bucket[2]}/` : ""}report.pdf`]], ["kms:GenerateDataKey", [String(key.outputs.arn)]], ["kms:Encrypt", [String(key.outputs.arn)]]], "the execution role"),
    ...(delegated ? [] : ["the report key's policy does not let IAM policies grant its use"])]);
  return out;
}

/** The checks with problems, as "block / check: problem" lines (empty when evaluation would pass). */
export function warningsOf(results: readonly CheckResult[]): string[] {
  return results.flatMap((r) => r.problems.map((p) => `${r.block} / ${r.check}: ${p}`));
}
