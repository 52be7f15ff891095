/**
 * ARC evaluates a Region switch plan several times an hour and the links stack pages on every
 * evaluation warning, repeated once a day while it lasts: a check the deployed plan fails is a daily
 * page. A pre-flight of every evaluation check (test/harness/planEvaluation.ts) on the example
 * (warm standby, CloudWatch switch, alarm start), pilot light, ARC routing control and start by a
 * person with approval (the last two evaluated once here).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { DrillInputs, drillInputs, simulatedOutputs } from "../src/drills/inputs";
import type { PlanDocument } from "../src/plan/document";
import { regionSwitchSection } from "../src/plan/regionSwitch";
import { failover } from "../src/drills/scenarios/failover";
import { executionRoleStatements, expectedEvaluationWarnings } from "../src/regionswitch/planSpec";
import { targetPercent, translateWorkflow } from "../src/regionswitch/translate";
import { parseStackConfig } from "../stacks/configSchema";
import { planEventsRuleName } from "../stacks/regionSwitchPlan";
import { ARC_SWITCH, arcDeployment, Deployment, deploymentFor, exampleDeployment, personApprovalDeployment } from "./harness/deployments";
import { examplePlan } from "./harness/examplePlan";
import { allows, CheckResult, preflight, Statement, warningsOf } from "./harness/planEvaluation";
import { givenStackFile, oneOf, PROJECT_DIR } from "./harness/stack";

type Json = Record<string, any>;
const RULE = planEventsRuleName({ appName: "orders", environment: "prod" }, "warnings");
const DB_INSTANCES_CHECK = "resource accessibility: DB instances exist in both clusters";

/** Drill inputs from the stack files (with overrides) and simulated outputs; switches derived from the files. */
function inputsFor(overrides: { primary?: Record<string, unknown>; secondary?: Record<string, unknown> } = {}): DrillInputs {
  const config = (stack: "primary" | "secondary") => parseStackConfig(givenStackFile(stack, overrides[stack] ?? {}), `Pulumi.${stack}.yaml`);
  return drillInputs({ stack: "primary", config: config("primary"), outputs: simulatedOutputs(config("primary")) }, { stack: "secondary", config: config("secondary"), outputs: simulatedOutputs(config("secondary")) }, ["primary", "secondary"], "global-database", { derived: true });
}

describe("Region switch plan evaluation: every check ARC runs, before ARC runs it", function () {
  this.timeout(240_000);
  const deployments: Record<string, Deployment> = {};
  const results: Record<string, CheckResult[]> = {};
  before(async () => {
    deployments.example = await exampleDeployment();
    deployments["pilot-light"] = await deploymentFor("pilot-light");
    deployments.arc = await arcDeployment();
    deployments.approval = await personApprovalDeployment();
    for (const [k, d] of Object.entries(deployments)) results[k] = preflight(d);
  });

  const blocksOf = (k: string) => new Set(results[k].map((r) => r.block));

  it("the example (warm standby, CloudWatch switch, alarm start) passes every check: no evaluation page", () => {
    expect(blocksOf("example")).to.include.all.keys("EC2AutoScaling", "AuroraGlobalDatabase", "CustomActionLambda", "plan");
    expect(results.example.map((r) => r.check)).to.include("triggers: the alarm exists and is readable; the role may start this plan");
    expect(warningsOf(results.example)).to.deep.equal([]);
    expect((deployments.example.links.outputs.regionSwitchPlan as Json).evaluationWarnings).to.deep.equal([]);
  });

  it("ARC routing control passes every check: the role reads the control panel and its cluster, and sets the controls with UpdateRoutingControlStates (security_iam_region_switch_arc_routing.html)", () => {
    expect(blocksOf("arc")).to.include("ARCRoutingControl");
    expect(warningsOf(results.arc)).to.deep.equal([]);
  });

  it("start by a person with approval passes every check: the approver may approve, and the execution role may simulate the approver's policies", () => {
    expect(blocksOf("approval")).to.include("ManualApproval");
    expect(warningsOf(results.approval)).to.deep.equal([]);
  });

  it("pilot light fails exactly one check, the Aurora block's DB instances in both clusters, and says so where the user decides", () => {
    const failing = results["pilot-light"].filter((r) => r.problems.length);
    expect(failing.map((r) => `${r.block} / ${r.check}`)).to.deep.equal([`AuroraGlobalDatabase / ${DB_INSTANCES_CHECK}`]);
    expect(failing[0].problems).to.have.length(1);
    expect(failing[0].problems[0]).to.match(/^no DB instance in arn:aws:rds:us-west-2:/);
    const warnings = (deployments["pilot-light"].links.outputs.regionSwitchPlan as Json).evaluationWarnings as string[];
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain("DB instances exist in both clusters").and.contain("headless").and.contain(`pages once a day through the EventBridge rule ${RULE}`);
    // The deploy log of the links stack, where the user decides.
    expect(deployments["pilot-light"].links.warnings).to.include(`Region switch plan orders-prod-dr: ${warnings[0]}`);
    expect(deployments.example.links.warnings.filter((w) => w.startsWith("Region switch plan"))).to.deep.equal([]);
  });

  it("report.md shows each plan's expected evaluation warnings as a page a day (none for the example)", async () => {
    const result = await examplePlan();
    const report = fs.readFileSync(path.join(result.outDir, "report.md"), "utf8");
    expect(report).to.contain("Expected plan-evaluation warnings: none");
    const links = deployments["pilot-light"].links;
    const plan = oneOf(links, "aws:arcregionswitch/plan:Plan");
    const doc = { resources: [{ ...plan, stack: "links" }], stacks: [{ stack: "links", outputs: links.outputs }] } as unknown as PlanDocument;
    const section = regionSwitchSection(doc).join("\n");
    expect(section).to.contain("**Expected plan-evaluation warnings: 1, each one page a day**");
    expect(section).to.contain(`- ${((links.outputs.regionSwitchPlan as Json).evaluationWarnings as string[])[0]}`);
  });

  describe("the rules, each failing on the code before this pre-flight", () => {
    it("reports with a customer key: the role may PutObject and use the key with kms:GenerateDataKey and kms:Encrypt (security_iam_region_switch_reports.html)", () => {
      const report = results.example.find((r) => r.check.startsWith("report generation"))!;
      expect(report.problems).to.deep.equal([]);
      const exec = JSON.parse(String(oneOf(deployments.example.links, "aws:iam/rolePolicy:RolePolicy", /execution-policy$/).inputs.policy)).Statement as Statement[];
      const key = String(oneOf(deployments.example.links, "aws:kms/key:Key", /-report-key$/).outputs.arn);
      expect(allows(exec, "kms:Encrypt", key)).to.equal(true);
      expect(allows(exec, "kms:Decrypt", key)).to.equal(false);
    });

    it("Aurora: Describe* as the AWS sample has them (on *), Failover/Switchover on the global cluster and its members only", () => {
      const exec = JSON.parse(String(oneOf(deployments.example.links, "aws:iam/rolePolicy:RolePolicy", /execution-policy$/).inputs.policy)).Statement as Statement[];
      expect(allows(exec, "rds:DescribeGlobalClusters", "*")).to.equal(true);
      expect(allows(exec, "rds:FailoverGlobalCluster", "arn:aws:rds:us-west-2:123456789012:cluster:someone-else")).to.equal(false);
    });

    it("EC2 Auto Scaling: ARC asks ceil(percent x source) instances, so the percent rounds down to fit a smaller recovery max (ec2-auto-scaling-block.html)", () => {
      // A recovery group of at most 2 behind a primary desiring 3: 67 % would ask ceil(2.01) = 3.
      const capacity = { web: { instanceType: "t3.medium", min: 1, desired: 2, max: 2 }, app: { instanceType: "m6i.large", min: 1, desired: 2, max: 2 } };
      const inputs = inputsFor({ secondary: { "dr:capacity": capacity } });
      for (const tier of ["web", "app"] as const) {
        const percent = targetPercent(inputs, inputs.secondary, tier);
        expect(Math.ceil((percent * inputs.primary.config.capacity[tier].desired) / 100), tier).to.be.at.most(2);
      }
    });

    it("EC2 Auto Scaling: a recovery max below the primary's max is an expected evaluation warning naming the key to raise; equal maxes (the example) are none", () => {
      const capacity = { web: { instanceType: "t3.medium", min: 1, desired: 3, max: 6 }, app: { instanceType: "m6i.large", min: 1, desired: 3, max: 12 } };
      const warnings = expectedEvaluationWarnings(inputsFor({ secondary: { "dr:capacity": capacity } }), RULE);
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain("web tier, activating us-west-2").and.contain("fewer than 9").and.contain('dr:capacity.web.max to at least 9 in stack "secondary"').and.contain(RULE);
      expect(expectedEvaluationWarnings(inputsFor(), RULE)).to.deep.equal([]);
    });

    it("ARC routing control: without the cluster and control panel the execution role's statements are refused, not silently short", () => {
      const inputs = inputsFor({ primary: ARC_SWITCH, secondary: ARC_SWITCH });
      const keys = ["promote-secret", "verify-service", "scale-in", "copy-back-secret", "reestablish-secret-replica"];
      const resources = Object.fromEntries([inputs.primary, inputs.secondary].map((r) => [r.region, {
        lambdaArns: Object.fromEntries(keys.map((k) => [k, `arn:aws:lambda:${r.region}:111122223333:function:${k}`])),
        autoScalingGroupArns: { web: `arn:aws:autoscaling:${r.region}:111122223333:autoScalingGroup:x:autoScalingGroupName/web`, app: `arn:aws:autoscaling:${r.region}:111122223333:autoScalingGroup:x:autoScalingGroupName/app` },
      }]));
      const { workflow } = translateWorkflow(failover.steps(inputs, inputs.primary, inputs.secondary), { inputs, from: inputs.primary, to: inputs.secondary, resources }, "x");
      expect(() => executionRoleStatements([workflow], inputs.globalClusterIdentifier, [])).to.throw(/exports regionSwitch\.clusterArn/);
    });
  });

  it("runbooks/alerts.md names the expected pilot-light warning under 'Region switch plan warning'", () => {
    const runbook = fs.readFileSync(path.join(PROJECT_DIR, "runbooks", "alerts.md"), "utf8");
    const section = runbook.slice(runbook.indexOf("## Region switch plan warning"), runbook.indexOf("## Recovery trigger"));
    expect(section).to.match(/### Expected evaluation warnings/);
    expect(section).to.contain("DB instances exist in both clusters").and.contain("once a day");
  });
});
