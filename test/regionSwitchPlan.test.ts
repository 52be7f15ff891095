/**
 * The in-cloud ARC Region switch plan, asserted on what AWS would receive: the links stack's Plan
 * and its roles, the region stacks' Lambdas and alarms. Shared deployments for pilot-light,
 * warm-standby (the example: started by alarm, no approval), backup-restore, and start by a
 * person with approval (the defaults).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { primaryProbeAlarmName, recoveryTriggerAlarmName, RECOVERY_TRIGGER_SIGNAL } from "../components/recovery/recoveryStart";
import { switchAlarmName } from "../components/dns/regionSwitch";
import { GROUP_IGNORED_PROPERTIES } from "../components/compute/tierFleet";
import { drillInputs, RawOutputs, simulatedOutputs } from "../src/drills/inputs";
import { failback } from "../src/drills/scenarios/failback";
import { failover } from "../src/drills/scenarios/failover";
import { writerInstanceId } from "../src/drills/scenarios/database";
import { Step } from "../src/drills/step";
import { executionRoleStatements, planNameProblem } from "../src/regionswitch/planSpec";
import { startRegionSwitch } from "../src/regionswitch/start";
import { planActionKeys, PlanTranslationError, PRIMARY_LAMBDA_KINDS, REGION_LAMBDA_KINDS, translateWorkflow } from "../src/regionswitch/translate";
import { DrStrategy, parseStackConfig } from "../stacks/configSchema";
import { tempDir } from "./drills/harness";
import { Deployment, deploymentFor, personApprovalDeployment } from "./harness/deployments";
import { examplePlan } from "./harness/examplePlan";
import { EXAMPLE_DIR, givenStackFile, oneOf, PROJECT_DIR, resourcesOf } from "./harness/stack";
import type { Evaluation } from "../src/engine/evaluate";

type Json = Record<string, any>;
const PLAN = "aws:arcregionswitch/plan:Plan";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const PLAN_STRATEGIES: DrStrategy[] = ["pilot-light", "warm-standby"];
/** Drill step kinds that are actions in a recovery (the others are checks, waits a block covers, or measurements). */
const ACTION_KINDS = ["add-writer", "wait-writer", "scale-out", "scale-in", "database-switchover", "database-failover", "promote-secret", "copy-back-secret", "reestablish-secret-replica", "switch-off", "switch-on", "verify-service"];
/** What each block needs of the execution role (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_*.html). */
const BLOCK_ACTIONS: Record<string, string[]> = {
  AuroraGlobalDatabase: ["rds:DescribeDBClusters", "rds:DescribeGlobalClusters", "rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"],
  EC2AutoScaling: ["autoscaling:DescribeAutoScalingGroups", "autoscaling:UpdateAutoScalingGroup", "cloudwatch:GetMetricStatistics"],
  CustomActionLambda: ["lambda:GetFunction", "lambda:InvokeFunction"],
  ManualApproval: [],
  Parallel: [],
};
const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/;

const planOf = (ev: Evaluation) => oneOf(ev, PLAN).inputs as Json;
const policyOf = (r: { inputs: Json }) => JSON.parse(r.inputs.policy as string) as { Statement: { Action: string[]; Resource: string[]; Condition?: Json }[] };
const workflowTo = (plan: Json, region: string) => (plan.workflows as Json[]).find((w) => w.workflowTargetRegion === region)!;
const flat = (steps: Json[]): Json[] => steps.flatMap((s) => [s, ...((s.parallelConfigs ?? []) as Json[]).flatMap((p) => flat(p.steps))]);
const origin = (description: string) => /^([a-z-]+) in ([a-z0-9-]+): /.exec(description)!;

function inputsOf(d: Deployment, strategy: DrStrategy) {
  const config = (stack: string) => parseStackConfig(givenStackFile(stack, { "dr:strategy": strategy }), `Pulumi.${stack}.yaml`);
  return drillInputs({ stack: "primary", config: config("primary"), outputs: d.primary.outputs as RawOutputs }, { stack: "secondary", config: config("secondary"), outputs: d.secondary.outputs as RawOutputs }, ["primary", "secondary", "links"]);
}

/** The plan's top-level steps, approval aside, as drill steps: name, kind and region. */
const planAsDrill = (workflow: Json) => (workflow.steps as Json[]).filter((s) => s.executionBlockType !== "ManualApproval").map((s) => ({ name: s.name, kind: origin(s.description)[1], region: origin(s.description)[2] }));
const drillActions = (steps: Step[]) => steps.filter((s) => ACTION_KINDS.includes(s.kind)).map((s) => ({ name: s.name, kind: s.kind, region: s.region }));

describe("in-cloud ARC Region switch plan", () => {
  const deployments = new Map<DrStrategy, Deployment>();
  let personStart: Deployment;
  before(async function () {
    this.timeout(240_000);
    for (const s of [...PLAN_STRATEGIES, "backup-restore" as const]) deployments.set(s, await deploymentFor(s));
    personStart = await personApprovalDeployment();
  });

  for (const strategy of PLAN_STRATEGIES) {
    describe(strategy, () => {
      it("activates the secondary with the failover drill's steps and the primary with failback's: same order, region and kind", () => {
        const d = deployments.get(strategy)!;
        const inputs = inputsOf(d, strategy);
        const plan = planOf(d.links);
        expect(planAsDrill(workflowTo(plan, inputs.secondary.region))).to.deep.equal(drillActions(failover.steps(inputs, inputs.primary, inputs.secondary)));
        // Failback's plan steps are the drill's names with the suffix "-failback" (unique across the plan's workflows).
        expect(planAsDrill(workflowTo(plan, inputs.primary.region))).to.deep.equal(drillActions(failback.steps(inputs, inputs.secondary, inputs.primary)).map((s) => ({ ...s, name: `${s.name}-failback` })));
        expect((plan.workflows as Json[]).map((w) => w.workflowTargetAction)).to.deep.equal(["activate", "activate"]);
      });

      it("switches the database with switchoverOnly (graceful) and FailoverGlobalCluster when ungraceful, with no approval when dr:recovery.approval is false", () => {
        const d = deployments.get(strategy)!;
        const inputs = inputsOf(d, strategy);
        for (const w of planOf(d.links).workflows as Json[]) {
          const i = (w.steps as Json[]).findIndex((s) => s.executionBlockType === "AuroraGlobalDatabase");
          expect(flat(w.steps).filter((s) => s.executionBlockType === "ManualApproval")).to.deep.equal([]);
          expect(w.steps[i].globalAuroraConfigs).to.deep.equal([{
            behavior: "switchoverOnly", globalClusterIdentifier: inputs.globalClusterIdentifier, databaseClusterArns: [inputs.primary.dbClusterArn, inputs.secondary.dbClusterArn],
            ungracefuls: [{ ungraceful: "failover" }], timeoutMinutes: w.steps[i].globalAuroraConfigs[0].timeoutMinutes,
          }]);
        }
      });

      it("scales each tier of the activated region with its own EC2AutoScaling block, in Parallel, to the capacity plan's percentage", () => {
        const d = deployments.get(strategy)!;
        const inputs = inputsOf(d, strategy);
        const scale = (workflowTo(planOf(d.links), inputs.secondary.region).steps as Json[]).find((s) => s.name === "scale-out-recovery")!;
        expect(scale.executionBlockType).to.equal("Parallel");
        const blocks = scale.parallelConfigs[0].steps as Json[];
        expect(blocks.map((b) => b.executionBlockType)).to.deep.equal(["EC2AutoScaling", "EC2AutoScaling"]);
        for (const [i, g] of inputs.secondary.groups.entries()) {
          const [config] = blocks[i].ec2AsgCapacityIncreaseConfigs as Json[];
          // AWS takes exactly two groups, the tier's in each region: it sizes the activated one from the other
          // (https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Ec2AsgCapacityIncreaseConfiguration.html).
          const source = inputs.primary.groups.find((p) => p.tier === g.tier)!;
          expect(config.asgs).to.have.length(2);
          expect(config.asgs[0].arn).to.match(new RegExp(`^arn:aws:autoscaling:${inputs.primary.region}:\\d{12}:autoScalingGroup:.*:autoScalingGroupName/${source.name}$`));
          expect(config.asgs[1].arn).to.match(new RegExp(`^arn:aws:autoscaling:${inputs.secondary.region}:\\d{12}:autoScalingGroup:.*:autoScalingGroupName/${g.name}$`));
          // The example's secondary may grow to the primary's desired size in both tiers.
          expect(config.targetPercent).to.equal(100);
        }
      });

      it("names every step, nested ones included, once across the plan's workflows (the drills share step names: failback's carry a suffix, as in AWS's sample plans)", () => {
        const names = (planOf(deployments.get(strategy)!.links).workflows as Json[]).flatMap((w) => flat(w.steps).map((s) => s.name as string));
        expect(names).to.include("scale-out-recovery").and.include("scale-out-recovery-failback");
        expect(names.filter((n, i) => names.indexOf(n) !== i)).to.deep.equal([]);
      });

      it("names exactly two Auto Scaling groups in every EC2AutoScaling block of both workflows, one in each of the plan's regions (AWS refuses any other count)", () => {
        const plan = planOf(deployments.get(strategy)!.links);
        const blocks = (plan.workflows as Json[]).flatMap((w) => flat(w.steps)).filter((s) => s.executionBlockType === "EC2AutoScaling");
        expect(blocks).to.have.length.greaterThan(0);
        for (const b of blocks)
          for (const c of b.ec2AsgCapacityIncreaseConfigs as Json[])
            expect((c.asgs as Json[]).map((a) => a.arn.split(":")[3]), b.name).to.deep.equal(plan.regions);
      });

      it("names the action's Lambda in each of the plan's regions in every CustomActionLambda block, each built there by that region's stack; the copy regionToRun picks does the step's action", () => {
        // "required to specify two Lambda functions ... one in each of the plan's Regions"
        // (https://docs.aws.amazon.com/r53recovery/latest/dg/custom-action-lambda-block.html); the API takes 1 or 2.
        const d = deployments.get(strategy)!;
        const inputs = inputsOf(d, strategy);
        const plan = planOf(d.links);
        const blocks = (plan.workflows as Json[]).flatMap((w) => flat(w.steps).filter((x) => x.executionBlockType === "CustomActionLambda").map((s) => ({ w, s })));
        expect(blocks.length).to.be.greaterThan(4);
        for (const { w, s } of blocks) {
          const c = s.customActionLambdaConfigs[0];
          expect((c.lambdas as Json[]).map((l) => l.arn.split(":")[3]), s.name).to.deep.equal(plan.regions);
          const fns = (c.lambdas as Json[]).map((l) => {
            const region = l.arn.split(":")[3] as string;
            const stack = region === inputs.primary.region ? d.primary : d.secondary;
            const fn = resourcesOf(stack, "aws:lambda/function:Function").find((f) => l.arn.endsWith(`:function:${f.inputs.name}`));
            expect(fn?.region, `${s.name} in ${region}`).to.equal(region);
            return fn!;
          });
          const other = w.workflowTargetRegion === inputs.primary.region ? inputs.secondary.region : inputs.primary.region;
          const runs = fns.find((f) => f.region === (c.regionToRun === "activatingRegion" ? w.workflowTargetRegion : other))!;
          const kind = origin(s.description)[1];
          expect((runs.inputs.environment as Json).variables.DR_ACTION, s.name).to.equal(kind.startsWith("switch-") ? "switch" : kind);
        }
      });

      it("every copy of a switch action, in either region, writes its switch's metric in the region of the switch's alarm and may write it there only (metrics are regional)", () => {
        const d = deployments.get(strategy)!;
        const alarms = [d.primary, d.secondary].flatMap((ev) => resourcesOf(ev, "aws:cloudwatch/metricAlarm:MetricAlarm"));
        const switches = [d.primary, d.secondary].flatMap((ev) => resourcesOf(ev, "aws:lambda/function:Function").filter((f) => (f.inputs.environment as Json | undefined)?.variables?.DR_ACTION === "switch").map((f) => ({ ev, f })));
        // Each region builds the on and off switch of both plan regions.
        expect(switches.length).to.equal(8);
        for (const { ev, f } of switches) {
          const vars = (f.inputs.environment as Json).variables as Json;
          const alarm = alarms.find((a) => a.inputs.name === switchAlarmName("orders", "prod", vars.SWITCHED_REGION));
          expect(alarm, f.name).to.not.equal(undefined);
          expect(vars.HOST_REGION, f.name).to.equal(alarm!.region);
          const policy = policyOf(resourcesOf(ev, ROLE_POLICY).find((r) => r.name === `${f.name}-policy`) as { inputs: Json });
          const put = policy.Statement.find((x) => x.Action.includes("cloudwatch:PutMetricData"))!;
          expect(put.Condition?.StringEquals?.["aws:RequestedRegion"], f.name).to.equal(alarm!.region);
        }
      });

      it("the copy of an action in the region no workflow runs it in may only write its logs, and fails saying why", () => {
        const d = deployments.get(strategy)!;
        const absent = [d.primary, d.secondary].flatMap((ev) => resourcesOf(ev, "aws:lambda/function:Function").filter((f) => (f.inputs.environment as Json | undefined)?.variables?.DR_ACTION === "absent").map((f) => ({ ev, f })));
        // The secondary's copies of failback's secret actions at least.
        expect(absent.length).to.be.at.least(2);
        for (const { ev, f } of absent) {
          expect((f.inputs.environment as Json).variables.WHY, f.name).to.match(/runs only in /);
          const policy = policyOf(resourcesOf(ev, ROLE_POLICY).find((r) => r.name === `${f.name}-policy`) as { inputs: Json });
          expect(policy.Statement.flatMap((x) => x.Action), f.name).to.deep.equal(["logs:CreateLogStream", "logs:PutLogEvents"]);
        }
      });
    });
  }

  it("pilot light: a CustomActionLambda gives the headless cluster its writer before the Aurora block (its evaluation needs instances in both clusters)", () => {
    const d = deployments.get("pilot-light")!;
    const steps = (workflowTo(planOf(d.links), inputsOf(d, "pilot-light").secondary.region).steps as Json[]).map((s) => s.name);
    expect(steps.indexOf("create-writer-instance")).to.be.greaterThan(-1).and.lessThan(steps.indexOf("failover-database"));
    expect(steps.indexOf("wait-writer-instance")).to.be.lessThan(steps.indexOf("failover-database"));
  });

  it("is active/passive over exactly the primary and the SECONDARY-record region, named within 32 characters, with the configured RTO and at most 100 blocks, in us-east-1", () => {
    const d = deployments.get("warm-standby")!;
    const resource = oneOf(d.links, PLAN);
    const plan = resource.inputs as Json;
    const primary = givenStackFile("primary");
    expect(plan.recoveryApproach).to.equal("activePassive");
    expect(plan.regions).to.deep.equal([primary["aws:region"], JSON.parse(primary["dr:replicaRegions"])[0]]);
    expect(plan.primaryRegion).to.equal(primary["aws:region"]);
    expect(plan.name.length).to.be.at.most(32);
    expect(plan.recoveryTimeObjectiveMinutes).to.equal(Math.ceil(JSON.parse(primary["dr:objectives"]).rtoSeconds / 60));
    expect((plan.workflows as Json[]).reduce((n, w) => n + flat(w.steps).length, 0)).to.be.at.most(100);
    // The control plane is us-east-1 only.
    expect(resource.region).to.equal("us-east-1");
  });

  it("sends execution reports to a bucket encrypted with a customer key", () => {
    const links = deployments.get("warm-standby")!.links;
    const plan = planOf(links);
    const path = plan.reportConfigurations[0].reportOutputs[0].s3Configurations[0].bucketPath as string;
    const bucket = resourcesOf(links, "aws:s3/bucket:Bucket").find((b) => path.startsWith(`s3://${b.inputs.bucket ?? b.name}`));
    expect(bucket, path).to.not.equal(undefined);
    const sse = resourcesOf(links, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((r) => r.parent === bucket!.parent)!;
    const rule = (sse.inputs as Json).rules[0].applyServerSideEncryptionByDefault;
    expect(rule.sseAlgorithm).to.equal("aws:kms");
    expect(rule.kmsMasterKeyId).to.match(/^arn:aws:kms:us-east-1:\d{12}:key\//);
    // Reports, not application data: no data-bucket tag (game days select the data bucket by it), and they expire.
    expect((bucket!.inputs.tags as Record<string, string> | undefined)?.["dr:bucket"]).to.equal(undefined);
    const lifecycle = resourcesOf(links, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((r) => r.parent === bucket!.parent)!;
    expect((lifecycle.inputs as Json).rules[0].expiration.days).to.be.a("number").and.greaterThan(0);
  });

  it("has an application-health alarm per region, in that region, so actualRecoveryTime is measured", () => {
    const d = deployments.get("warm-standby")!;
    const health = (planOf(d.links).associatedAlarms as Json[]).filter((a) => a.alarmType === "applicationHealth");
    for (const ev of [d.primary, d.secondary]) {
      const region = ev.outputs.regional as Json;
      const alarm = health.find((a) => a.resourceIdentifier.startsWith(`arn:aws:cloudwatch:${region.region}:`))!;
      const resource = resourcesOf(ev, "aws:cloudwatch/metricAlarm:MetricAlarm").find((r) => r.outputs.arn === alarm.resourceIdentifier)!;
      expect(resource.region).to.equal(region.region);
      expect(resource.outputs.name).to.equal(alarm.mapBlockKey);
      // The web tier's 5xx rate: green while the region serves, red while its requests fail.
      expect(resource.name).to.match(/-web-5xx-rate$/);
    }
    expect(health).to.have.length(2);
  });

  describe("execution role", () => {
    const executionPolicy = (links: Evaluation) => policyOf(oneOf(links, ROLE_POLICY, /execution-policy$/) as { inputs: Json });

    it("trusts arc-region-switch.amazonaws.com only", () => {
      const role = oneOf(deployments.get("warm-standby")!.links, "aws:iam/role:Role", /execution-role$/);
      expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement).to.deep.equal([{ Effect: "Allow", Principal: { Service: "arc-region-switch.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    });

    for (const strategy of PLAN_STRATEGIES)
      it(`${strategy}: holds exactly the actions its blocks need, on the plan's own ARNs`, () => {
        const links = deployments.get(strategy)!.links;
        const plan = planOf(links);
        const blocks = (plan.workflows as Json[]).flatMap((w) => flat(w.steps));
        // Every plan's base (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_complete_policy.html):
        // evaluation simulates the role's own policies, execution reads the plan and its executions.
        const base = ["iam:SimulatePrincipalPolicy", "arc-region-switch:GetPlan", "arc-region-switch:GetPlanExecution", "arc-region-switch:ListPlanExecutions"];
        // Reports with a customer key: s3:PutObject, kms:GenerateDataKey and kms:Encrypt (security_iam_region_switch_reports.html).
        const needed = new Set([...base, ...blocks.flatMap((b) => BLOCK_ACTIONS[b.executionBlockType]), "s3:PutObject", "kms:Encrypt", "kms:GenerateDataKey", "cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"]);
        const statements = executionPolicy(links).Statement;
        expect(new Set(statements.flatMap((s) => s.Action))).to.deep.equal(needed);
        const on = (action: string) => new Set(statements.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource));
        expect(on("lambda:InvokeFunction")).to.deep.equal(new Set(blocks.flatMap((b) => (b.customActionLambdaConfigs ?? []).flatMap((c: Json) => c.lambdas.map((l: Json) => l.arn)))));
        expect(on("autoscaling:UpdateAutoScalingGroup")).to.deep.equal(new Set(blocks.flatMap((b) => (b.ec2AsgCapacityIncreaseConfigs ?? []).flatMap((c: Json) => c.asgs.map((a: Json) => a.arn)))));
        const aurora = blocks.find((b) => b.globalAuroraConfigs)!.globalAuroraConfigs[0];
        expect(on("rds:FailoverGlobalCluster")).to.deep.equal(new Set([...aurora.databaseClusterArns, `arn:aws:rds::${aurora.databaseClusterArns[0].split(":")[4]}:global-cluster:${aurora.globalClusterIdentifier}`]));
        expect(on("cloudwatch:DescribeAlarms")).to.deep.equal(new Set((plan.associatedAlarms as Json[]).map((a) => a.resourceIdentifier)));
        expect(on("iam:SimulatePrincipalPolicy")).to.deep.equal(new Set([plan.executionRole]));
      });

    it("pilot light: the add-writer Lambda may create the writer with every RDS resource CreateDBInstance is authorized on (instance, cluster, the cluster's subnet group, default parameter and option groups)", () => {
      // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/security_iam_id-based-policy-examples-create-and-modify-examples.html
      const d = deployments.get("pilot-light")!;
      const policy = resourcesOf(d.secondary, ROLE_POLICY).find((r) => /recovery-add-writer-policy$/.test(r.name))!;
      const on = new Set(policyOf(policy as { inputs: Json }).Statement.filter((s) => s.Action.includes("rds:CreateDBInstance")).flatMap((s) => s.Resource));
      const cluster = resourcesOf(d.secondary, "aws:rds/cluster:Cluster")[0];
      const prefix = (cluster.outputs.arn as string).replace(/:cluster:.*$/, "");
      expect([...on].sort()).to.deep.equal([cluster.outputs.arn as string, `${prefix}:db:${writerInstanceId(cluster.inputs.clusterIdentifier as string)}`, `${prefix}:og:default:*`, `${prefix}:pg:default.*`, `${prefix}:subgrp:${cluster.inputs.dbSubnetGroupName}`].sort());
    });

    it("no role of the plan (execution, trigger, approval, every custom-action Lambda) allows a mutating action on *", () => {
      const stacks = [...deployments.values(), personStart].flatMap((d) => [d.primary, d.secondary, d.links]);
      const policies = stacks.flatMap((ev) => resourcesOf(ev, ROLE_POLICY).filter((r) => /(region-switch|recovery)-/.test(r.name)));
      expect(policies.length).to.be.greaterThan(10);
      for (const p of policies)
        for (const s of policyOf(p as { inputs: Json }).Statement.filter((x) => x.Resource.includes("*"))) {
          const mutating = s.Action.filter((a) => !READ_ONLY.test(a));
          // PutMetricData has no resource-level permission: it is allowed only within its namespace.
          const conditioned = mutating.every((a) => a === "cloudwatch:PutMetricData") && s.Condition?.StringEquals?.["cloudwatch:namespace"];
          expect(mutating.length === 0 || !!conditioned, `${p.name}: ${mutating.join(", ")} on *`).to.equal(true);
        }
    });

    it("with start by a person (the default): no triggers, no trigger alarm and no StartPlanExecution", () => {
      const d = personStart;
      const plan = planOf(d.links);
      expect(plan.triggers ?? []).to.deep.equal([]);
      expect((plan.associatedAlarms as Json[]).filter((a) => a.alarmType === "trigger")).to.deep.equal([]);
      const actions = resourcesOf(d.links, ROLE_POLICY).flatMap((p) => policyOf(p as { inputs: Json }).Statement.flatMap((s) => s.Action));
      expect(actions).to.not.include("arc-region-switch:StartPlanExecution");
      expect(resourcesOf(d.secondary, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs.name)).to.not.include(recoveryTriggerAlarmName("orders", "prod", plan.regions[1]));
    });

    it("with start by a person, the recovery region still probes the primary and pages from there: with the primary in us-east-1 the Route 53 health-check alarm (us-east-1) falls with it", () => {
      const d = personStart;
      const [primaryRegion, recoveryRegion] = planOf(d.links).regions as string[];
      expect(primaryRegion).to.equal("us-east-1");
      const probe = resourcesOf(d.secondary, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.inputs.name === primaryProbeAlarmName("orders", "prod", recoveryRegion));
      expect(probe, "the probe's paging alarm").to.not.equal(undefined);
      expect(probe!.region).to.equal(recoveryRegion);
      expect(probe!.inputs).to.include({ namespace: RECOVERY_TRIGGER_SIGNAL.namespace, metricName: RECOVERY_TRIGGER_SIGNAL.metricName, treatMissingData: "notBreaching" });
      expect(probe!.inputs.dimensions).to.deep.equal({ Region: primaryRegion });
      // It pages through the recovery region's own topic, which dr:alerts is subscribed to there.
      const topics = resourcesOf(d.secondary, "aws:sns/topic:Topic").filter((t) => t.region === recoveryRegion);
      expect((probe!.inputs.alarmActions as unknown[]).length).to.be.greaterThan(0);
      expect(topics.length).to.be.greaterThan(0);
      expect(String(probe!.inputs.alarmDescription)).to.contain("dr:recovery.mode person").and.contain("runbooks/alerts.md#recovery-trigger");
      expect(oneOf(d.secondary, "aws:cloudwatch/eventRule:EventRule", /probe-schedule$/).region).to.equal(recoveryRegion);
    });
  });

  it("with approval (the default): a ManualApproval right before the database step, naming the approval role", () => {
    for (const w of planOf(personStart.links).workflows as Json[]) {
      const i = (w.steps as Json[]).findIndex((s) => s.executionBlockType === "AuroraGlobalDatabase");
      expect(w.steps[i - 1].executionBlockType).to.equal("ManualApproval");
      expect(w.steps[i - 1].executionApprovalConfigs[0].approvalRole).to.equal((personStart.links.outputs.regionSwitchPlan as Json).approvalRoleArn);
      expect(flat(w.steps).filter((s) => s.executionBlockType === "ManualApproval")).to.have.length(1);
    }
  });

  describe("alarm start (dr:recovery.mode alarm, the example)", () => {
    it("the probe reads the primary's switch alarm where it lives (its own region), allowed DescribeAlarms on that alarm only: a switched-off primary fires no second recovery", () => {
      const d = deployments.get("warm-standby")!;
      const recoveryRegion = planOf(d.links).regions[1] as string;
      const fn = resourcesOf(d.secondary, "aws:lambda/function:Function").find((f) => /-dr-probe$/.test(String(f.inputs.name)))!;
      const wanted = switchAlarmName("orders", "prod", "us-east-1");
      expect((fn.inputs.environment as Json).variables.SWITCH_ALARM_NAME).to.equal(wanted);
      const policy = policyOf(oneOf(d.secondary, ROLE_POLICY, /recovery-probe-policy$/) as { inputs: Json });
      const describe = policy.Statement.filter((x) => x.Action.includes("cloudwatch:DescribeAlarms"));
      expect(describe).to.have.length(1);
      expect(describe[0].Resource).to.have.length(1);
      expect(describe[0].Resource[0]).to.match(new RegExp(`^arn:aws:cloudwatch:${recoveryRegion}:\\d{12}:alarm:${wanted}$`));
      // The switch alarm is in that region: the primary stack builds it in its first secondary.
      expect(resourcesOf(d.primary, "aws:cloudwatch/metricAlarm:MetricAlarm").find((x) => x.inputs.name === wanted)!.region).to.equal(recoveryRegion);
    });


    it("every trigger condition names an associated alarm of type trigger, in the recovery region, that activates the secondary", () => {
      const plan = planOf(deployments.get("warm-standby")!.links);
      const secondary = plan.regions[1] as string;
      const triggerKeys = (plan.associatedAlarms as Json[]).filter((a) => a.alarmType === "trigger").map((a) => a.mapBlockKey);
      expect(plan.triggers).to.have.length(1);
      for (const t of plan.triggers as Json[]) {
        expect(t).to.include({ action: "activate", targetRegion: secondary });
        expect(t.minDelayMinutesBetweenExecutions).to.be.greaterThan(0);
        for (const c of t.conditions as Json[]) {
          expect(triggerKeys).to.include(c.associatedAlarmName);
          expect(c.condition).to.equal("red");
          const alarm = resourcesOf(deployments.get("warm-standby")!.secondary, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.inputs.name === c.associatedAlarmName)!;
          expect(alarm.region).to.equal(secondary);
          expect(alarm.inputs).to.include({ namespace: RECOVERY_TRIGGER_SIGNAL.namespace, metricName: RECOVERY_TRIGGER_SIGNAL.metricName, period: RECOVERY_TRIGGER_SIGNAL.periodSeconds });
        }
      }
      expect(resourcesOf(deployments.get("warm-standby")!.primary, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => triggerKeys.includes(a.inputs.name))).to.deep.equal([]);
    });

    it("probes the primary's endpoint from the recovery region every minute, and lets the execution role start this plan only", () => {
      const secondary = planOf(deployments.get("warm-standby")!.links).regions[1];
      expect(oneOf(deployments.get("warm-standby")!.secondary, "aws:cloudwatch/eventRule:EventRule", /probe-schedule$/).inputs.scheduleExpression).to.equal("rate(1 minute)");
      expect(oneOf(deployments.get("warm-standby")!.secondary, "aws:lambda/function:Function", /recovery-probe$/).region).to.equal(secondary);
      const start = policyOf(oneOf(deployments.get("warm-standby")!.links, ROLE_POLICY, /trigger-policy$/) as { inputs: Json }).Statement;
      expect(start).to.deep.equal([{ Sid: "Triggers", Effect: "Allow", Action: ["arc-region-switch:StartPlanExecution"], Resource: [(deployments.get("warm-standby")!.links.outputs.regionSwitchPlan as Json).planArn] }]);
    });
  });

  it("builds no plan for strategies without one standby global-database member (backup-restore)", () => {
    expect(resourcesOf(deployments.get("backup-restore")!.links, PLAN)).to.deep.equal([]);
  });

  it("keeps desiredCapacity ignored and minSize managed: after the ASG block, 'pulumi up' resets min only (the runbooks' redeploy rule)", () => {
    expect([...GROUP_IGNORED_PROPERTIES]).to.include("desiredCapacity").and.not.include("minSize");
    expect(fs.readFileSync(path.join(PROJECT_DIR, "runbooks", "failover.md"), "utf8")).to.match(/\*\*Redeploy rule\*\*: .*min and desired capacity. `pulumi up` of the\s+recovery stack keeps desired capacity \(ignored\) but sets min back/);
  });

  it("region-switch start --execute starts the plan in the activated region's data plane, polls it and prints actualRecoveryTime as the measured RTO", async () => {
    const calls: string[] = [];
    const states = ["inProgress", "inProgress", "completed"];
    const lines: string[] = [];
    const planArn = "arn:aws:arc-region-switch::123456789012:plan/orders-prod-dr:abc123";
    const result = await startRegionSwitch({
      to: "us-west-2", ungraceful: true, mode: "execute", cwd: EXAMPLE_DIR, planArn, log: (l) => lines.push(l), sleep: async () => undefined,
      port: {
        start: async (region, arn, mode) => { calls.push(`start ${region} ${arn} ${mode}`); return "exec-1"; },
        get: async (region, arn, id) => { calls.push(`get ${region} ${arn === planArn} ${id}`); const executionState = states.shift()!; return { executionState, ...(executionState === "completed" ? { actualRecoveryTime: "PT2M5S" } : {}) }; },
      },
    });
    expect(calls).to.deep.equal([`start us-west-2 ${planArn} ungraceful`, "get us-west-2 true exec-1", "get us-west-2 true exec-1", "get us-west-2 true exec-1"]);
    expect(result).to.deep.include({ exitCode: 0, rtoSeconds: 125 });
    expect(lines.join("\n")).to.include(`aws arc-region-switch start-plan-execution --region us-west-2 --plan-arn ${planArn} --target-region us-west-2 --action activate --mode ungraceful`).and.include("measured RTO 125 s");
  });

  describe("translation (pure)", () => {
    const config = (stack: string) => parseStackConfig(givenStackFile(stack), `Pulumi.${stack}.yaml`);
    const inputs = drillInputs({ stack: "primary", config: config("primary"), outputs: simulatedOutputs(config("primary")) }, { stack: "secondary", config: config("secondary"), outputs: simulatedOutputs(config("secondary")) }, ["primary", "secondary"]);
    const steps = failover.steps(inputs, inputs.primary, inputs.secondary);
    const base = { inputs, from: inputs.primary, to: inputs.secondary };

    it("refuses a step whose Lambda either plan region's stack did not export, naming the stack to deploy", () => {
      const keys = planActionKeys(inputs.primary.region, inputs.secondary.region, { headless: true, switchLambdas: true });
      const built = (region: string) => ({ lambdaArns: Object.fromEntries(keys.map((k) => [k, `arn:aws:lambda:${region}:111122223333:function:${k}`])), autoScalingGroupArns: {} });
      expect(() => translateWorkflow(steps, { ...base, resources: { [inputs.secondary.region]: built(inputs.secondary.region) } }, "x")).to.throw(PlanTranslationError, /in both of the plan's regions\), but stack "primary" exports none.*pulumi up --stack primary/);
      expect(() => translateWorkflow(steps, { ...base, resources: { [inputs.primary.region]: built(inputs.primary.region) } }, "x")).to.throw(PlanTranslationError, /stack "secondary" exports none.*pulumi up --stack secondary/);
    });

    it("with arc-routing-control, switches by ARCRoutingControl on the switched regions' own routing controls, and lets the role update only those", () => {
      const arc = { "dr:regionSwitch": { mechanism: "arc-routing-control" } };
      const cfg = (stack: string) => parseStackConfig(givenStackFile(stack, arc), `Pulumi.${stack}.yaml`);
      const arcInputs = drillInputs({ stack: "primary", config: cfg("primary"), outputs: simulatedOutputs(cfg("primary")) }, { stack: "secondary", config: cfg("secondary"), outputs: simulatedOutputs(cfg("secondary")) }, ["primary", "secondary"], "global-database", { derived: true });
      const keys = [...REGION_LAMBDA_KINDS, ...PRIMARY_LAMBDA_KINDS];
      const resources = Object.fromEntries([arcInputs.primary, arcInputs.secondary].map((r) => [r.region, {
        lambdaArns: Object.fromEntries(keys.map((k) => [k, `arn:aws:lambda:${r.region}:111122223333:function:${k}`])),
        autoScalingGroupArns: { web: `arn:aws:autoscaling:${r.region}:111122223333:autoScalingGroup:x:autoScalingGroupName/web`, app: `arn:aws:autoscaling:${r.region}:111122223333:autoScalingGroup:x:autoScalingGroupName/app` },
      }]));
      const { workflow } = translateWorkflow(failover.steps(arcInputs, arcInputs.primary, arcInputs.secondary), { inputs: arcInputs, from: arcInputs.primary, to: arcInputs.secondary, resources }, "x");
      const off = workflow.steps.find((s) => s.name === "switch-off-primary")!;
      const control = arcInputs.primary.regionSwitch;
      expect(control.mechanism).to.equal("arc-routing-control");
      expect(off.executionBlockType).to.equal("ARCRoutingControl");
      expect(off.arcRoutingControlConfigs![0].regionAndRoutingControls).to.deep.equal([{ region: arcInputs.primary.region, routingControls: [{ routingControlArn: control.mechanism === "arc-routing-control" ? control.routingControlArn : "", state: "Off" }] }]);
      // The recovery region's own control is set On too (a failover with it Off would leave both records unhealthy: Route 53 answers PRIMARY).
      const on = workflow.steps.find((s) => s.name === "switch-on-secondary")!;
      const own = arcInputs.secondary.regionSwitch;
      expect(on.arcRoutingControlConfigs![0].regionAndRoutingControls).to.deep.equal([{ region: arcInputs.secondary.region, routingControls: [{ routingControlArn: own.mechanism === "arc-routing-control" ? own.routingControlArn : "", state: "On" }] }]);
      // The block sets controls with UpdateRoutingControlStates and reads their panel and cluster (security_iam_region_switch_arc_routing.html).
      const home = { clusterArn: "arn:aws:route53-recovery-control::111122223333:cluster/c1", controlPanelArn: "arn:aws:route53-recovery-control::111122223333:controlpanel/p1" };
      const statements = executionRoleStatements([workflow], arcInputs.globalClusterIdentifier, [], home);
      const statement = statements.find((s) => s.Action.includes("route53-recovery-cluster:UpdateRoutingControlStates"))!;
      expect(statement.Resource).to.deep.equal([off, on].map((x) => x.arcRoutingControlConfigs![0].regionAndRoutingControls[0].routingControls[0].routingControlArn));
      expect(statements.find((s) => s.Action.includes("route53-recovery-control-config:DescribeControlPanel"))!.Resource).to.deep.equal([home.clusterArn, home.controlPanelArn]);
    });

    it("names the config keys of a plan name over 32 characters", () => {
      expect(planNameProblem("orders-platform-payments", "production")).to.match(/is 38 characters; ARC Region switch allows 32: shorten dr:appName or dr:environment by 6/);
      expect(planNameProblem("orders", "prod")).to.equal(undefined);
    });
  });

  it("report.md lists the plan's workflows with their blocks, the drill steps with no block, and the plan's monthly price", async function () {
    this.timeout(120_000);
    const result = await examplePlan();
    const report = fs.readFileSync(path.join(result.outDir, "report.md"), "utf8");
    const links = result.evaluated.find((e) => e.planned.stack === "links")!.evaluation;
    const unmapped = (links.outputs.regionSwitchPlan as Json).unmapped as Record<string, string[]>;
    expect(report).to.include("## In-cloud recovery (ARC Region switch plan)");
    for (const w of planOf(links).workflows as Json[]) {
      expect(report).to.include(`### activate ${w.workflowTargetRegion}`);
      for (const st of w.steps as Json[]) expect(report).to.match(new RegExp(`\\| ${st.name} \\| ${st.executionBlockType === "Parallel" ? "Parallel: EC2AutoScaling" : st.executionBlockType}`));
      expect(unmapped[w.workflowTargetRegion]).to.not.be.empty;
      for (const u of unmapped[w.workflowTargetRegion]) expect(report).to.include(`- ${u}`);
    }
    expect(report).to.match(/\| in-cloud ARC Region switch plan .*\| 70\.00 per month/);
  });

  it("region-switch start --to <secondary> --simulate runs the generated plan's steps and prints the measured RTO", async function () {
    this.timeout(30_000);
    const lines: string[] = [];
    const secondary = givenStackFile("secondary")["aws:region"];
    const result = await startRegionSwitch({ to: secondary, ungraceful: false, mode: "simulate", cwd: EXAMPLE_DIR, log: (l) => lines.push(l), journal: path.join(tempDir(), "plan.jsonl") });
    const out = lines.join("\n");
    expect(result.exitCode, out).to.equal(0);
    expect(out).to.match(/measured RTO \d+ s/);
    expect(out).to.include(`aws arc-region-switch start-plan-execution --region ${secondary}`);
    const ran = result.drill!.measurements!.steps.map((s) => s.step);
    // The plan's blocks in plan order, each block that waits itself followed by the drill's wait it covers.
    const blocks = (workflowTo(planOf(deployments.get("warm-standby")!.links), secondary).steps as Json[]).map((s) => s.name as string);
    expect(ran.filter((s) => !s.startsWith("wait-"))).to.deep.equal(blocks);
    expect(ran[ran.indexOf("failover-database") + 1]).to.equal("wait-database-cutover");
    expect(ran[ran.indexOf("scale-out-recovery") + 1]).to.equal("wait-capacity-healthy");
    // The README quotes this run's figure beside the command.
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    expect(readme).to.contain(`region-switch start --to ${secondary} --simulate      # the generated plan's steps on the simulator: measured RTO ${result.rtoSeconds} s on the example`);
  });

  for (const direction of ["secondary", "primary"] as const)
    it(`region-switch start --to <${direction}> --simulate measures no sooner than the model: the database block ends when the writer moved`, async function () {
      this.timeout(30_000);
      const lines: string[] = [];
      const to = givenStackFile(direction)["aws:region"];
      const result = await startRegionSwitch({ to, ungraceful: false, mode: "simulate", cwd: EXAMPLE_DIR, log: (l) => lines.push(l), journal: path.join(tempDir(), `plan-${direction}.jsonl`) });
      const m = result.drill!.measurements!;
      expect(result.exitCode, lines.join("\n")).to.equal(0);
      // The model overlaps every step the simulator runs (same durations), so a measured RTO below it
      // means a step was skipped: before this, failback's ran DNS before the 300 s switchover ended.
      expect(m.rtoSeconds!, lines.join("\n")).to.be.at.least(m.modelRtoSeconds!);
    });
});
