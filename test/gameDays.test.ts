import { expect } from "chai";
import { LAMBDA_RUNTIME_DEPRECATION } from "../components/lambdaRuntime";
import { experimentProblems, experimentSpec, MAX_ACTIONS, MAX_STOP_CONDITIONS } from "../components/resilience/gameDayPlan";
import { MAX_RESTORE_TESTING_NAME, restoreTestingPlanName, restoreTestingProblems } from "../components/resilience/restoreTestingRules";
import { ConfigError, parseStackConfig } from "../stacks/configSchema";
import { DEFAULT_RESTORE_TEST_SCHEDULE } from "../components/resilience/restoreTestingRules";
import type { PlanDocument } from "../src/plan/document";
import { gameDaySection } from "../src/plan/gameDays";
import { formatReadiness, readinessByStrategy } from "../src/model/readiness";
import { RESTORE_TEST_USD } from "../src/model/prices";
import { Evaluation, RecordedResourceWithRegion } from "../src/engine/evaluate";
import { exampleDeployment } from "./harness/deployments";
import { foreignRegionUse } from "./harness/staticStability";
import { givenStackFile, resourcesOf, whenAllEvaluated } from "./harness/stack";
import { viewsOfRecorded } from "../policy/recorded";
import { runPolicies } from "../policy/run";

const TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate";
const PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan";
const SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";
const PRIMARY_REGION = givenStackFile("primary")["aws:region"];
const SECONDARY_REGION = givenStackFile("secondary")["aws:region"];

type Doc = { Statement: Array<{ Action: string | string[]; Resource: string | string[]; Principal?: { Service?: string }; Condition?: Record<string, Record<string, unknown>> }> };
const json = (v: unknown): Doc => JSON.parse(String(v)) as Doc;
const actionsOf = (d: Doc) => d.Statement.flatMap((s) => [s.Action].flat());
const byOutput = (ev: Evaluation, type: string, key: string, value: unknown) => resourcesOf(ev, type).find((r) => r.outputs[key] === value);
const scenarioOf = (t: RecordedResourceWithRegion) => (t.inputs.tags as Record<string, string>)["dr:game-day"];
interface Target { name: string; resourceType: string; selectionMode: string; resourceTags: Array<{ key: string; value: string }> }
interface Action { name: string; actionId: string; target: { key: string; value: string }; parameters: Array<{ key: string; value: string }> }
const tagsOf = (t: Target) => Object.fromEntries(t.resourceTags.map((x) => [x.key, x.value]));

describe("game days: AWS FIS templates and restore testing on the evaluated stacks", function () {
  this.timeout(120_000);
  let set: { primary: Evaluation; secondary: Evaluation; links: Evaluation };
  before(async () => {
    // One evaluation of dr:gameDays: true for this file; the unset case is the shared example deployment.
    set = await whenAllEvaluated(givenStackFile("primary", { "dr:gameDays": true }), givenStackFile("secondary", { "dr:gameDays": true }), givenStackFile("links"));
  });
  const templates = () => [...resourcesOf(set.primary, TEMPLATE).map((t) => ({ t, ev: set.primary })), ...resourcesOf(set.secondary, TEMPLATE).map((t) => ({ t, ev: set.secondary }))];

  it("with dr:gameDays unset there are no FIS templates (and no restore testing)", async () => {
    const example = await exampleDeployment();
    for (const ev of [example.primary, example.secondary, example.links]) {
      expect(resourcesOf(ev, TEMPLATE), ev.stack).to.have.length(0);
      expect(resourcesOf(ev, PLAN), ev.stack).to.have.length(0);
    }
  });

  it("every Lambda function (restore validator, in-cloud plan actions) runs on a Node.js runtime AWS has not deprecated: Lambda refuses to create functions on one soon after", async () => {
    // https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html: nodejs20.x deprecated 2026-04-30, creation blocked from 2026-08-31.
    const example = await exampleDeployment();
    const functions = [set.primary, set.secondary, set.links, example.primary, example.secondary, example.links].flatMap((ev) => resourcesOf(ev, "aws:lambda/function:Function"));
    expect(functions.map((f) => f.name)).to.include.members(["orders-restore-testing-validator", "orders-recovery-promote-secret"]);
    for (const f of functions) {
      const deprecated = LAMBDA_RUNTIME_DEPRECATION[f.inputs.runtime as string];
      expect(deprecated, `${f.name} runs on ${f.inputs.runtime}, a runtime without a known deprecation date`).to.be.a("string");
      expect(Date.parse(`${deprecated}T00:00:00Z`), `${f.name} runs on ${f.inputs.runtime}, deprecated on ${deprecated}`).to.be.greaterThan(Date.now());
    }
  });

  it("each stack owns the scenarios whose faults run in its region: primary-dark and partition in the primary, capacity-denied in the recovery region", () => {
    expect(resourcesOf(set.primary, TEMPLATE).map(scenarioOf).sort()).to.deep.equal(["partition", "primary-dark"]);
    expect(resourcesOf(set.secondary, TEMPLATE).map(scenarioOf)).to.deep.equal(["capacity-denied"]);
    for (const t of resourcesOf(set.primary, TEMPLATE)) expect(t.region).to.equal(PRIMARY_REGION);
    for (const t of resourcesOf(set.secondary, TEMPLATE)) expect(t.region).to.equal(SECONDARY_REGION);
  });

  it("each template stops on 1-5 of its own region's platform alarms", () => {
    for (const { t, ev } of templates()) {
      const stops = t.inputs.stopConditions as Array<{ source: string; value: string }>;
      expect(stops.length, scenarioOf(t)).to.be.within(1, MAX_STOP_CONDITIONS);
      for (const s of stops) {
        expect(s.source).to.equal("aws:cloudwatch:alarm");
        const alarm = byOutput(ev, "aws:cloudwatch/metricAlarm:MetricAlarm", "arn", s.value);
        expect(alarm, `${scenarioOf(t)} stops on ${s.value}, an alarm of ${ev.stack}`).to.not.equal(undefined);
        expect(alarm!.region).to.equal(t.region);
        // The platform's alarms page through the region's topic.
        expect((alarm!.inputs.alarmActions as unknown[]).length).to.be.greaterThan(0);
      }
    }
  });

  it("each template has at most 20 actions, each aimed at one of its targets, and every target is selected by tag with an explicit selection mode", () => {
    for (const { t } of templates()) {
      const actions = t.inputs.actions as Action[];
      const targets = t.inputs.targets as Target[];
      expect(actions.length, scenarioOf(t)).to.be.within(1, MAX_ACTIONS);
      for (const a of actions) expect(targets.map((x) => x.name), a.name).to.include(a.target.value);
      for (const x of targets) {
        expect(x.selectionMode, x.name).to.match(/^(ALL|COUNT\(\d+\)|PERCENT\(\d+\))$/);
        expect(x.resourceTags.length, x.name).to.be.greaterThan(0);
      }
    }
  });

  it("each template reports to a KMS-encrypted bucket of its own stack", () => {
    for (const { t, ev } of templates()) {
      const report = t.inputs.experimentReportConfiguration as { outputs: { s3Configuration: { bucketName: string } } };
      const bucket = byOutput(ev, "aws:s3/bucket:Bucket", "bucket", report.outputs.s3Configuration.bucketName);
      expect(bucket, scenarioOf(t)).to.not.equal(undefined);
      const sse = resourcesOf(ev, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((e) => e.inputs.bucket === bucket!.outputs.bucket);
      const rule = (sse!.inputs.rules as Array<{ applyServerSideEncryptionByDefault: { sseAlgorithm: string; kmsMasterKeyId: string } }>)[0];
      expect(rule.applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("aws:kms");
      expect(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId).to.match(/^arn:aws:kms:/);
    }
  });

  it("each template's role trusts only fis.amazonaws.com for this account and holds no wildcard action", () => {
    for (const { t, ev } of templates()) {
      const role = byOutput(ev, "aws:iam/role:Role", "arn", t.inputs.roleArn)!;
      const trust = json(role.inputs.assumeRolePolicy).Statement;
      expect(trust.map((s) => s.Principal?.Service)).to.deep.equal(["fis.amazonaws.com"]);
      expect(trust[0].Condition?.StringEquals?.["aws:SourceAccount"]).to.match(/^\d{12}$/);
      const policies = resourcesOf(ev, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === role.outputs.id || p.inputs.role === role.outputs.name);
      expect(policies, scenarioOf(t)).to.have.length(1);
      const actions = actionsOf(json(policies[0].inputs.policy));
      expect(actions.filter((a) => a.includes("*")), scenarioOf(t)).to.deep.equal([]);
      // Every FIS action of the template has the calls it makes (spot checks of the reference's lists).
      const ids = (t.inputs.actions as Action[]).map((a) => a.actionId);
      if (ids.includes("aws:ec2:stop-instances")) expect(actions).to.include.members(["ec2:StopInstances", "ec2:StartInstances"]);
      if (ids.includes("aws:network:disrupt-connectivity")) expect(actions).to.include.members(["ec2:CreateNetworkAcl", "ec2:ReplaceNetworkAclAssociation", "ec2:DeleteNetworkAcl"]);
      if (ids.includes("aws:ec2:asg-insufficient-instance-capacity-error")) expect(actions).to.include.members(["ec2:InjectApiError", "autoscaling:DescribeAutoScalingGroups"]);
      if (ids.includes("aws:s3:bucket-pause-replication")) expect(actions).to.include.members(["s3:PauseReplication", "s3:PutReplicationConfiguration", "tag:GetResources"]);
    }
  });

  it("primary-dark targets only the primary's load-balancer subnets and its instances", () => {
    const t = resourcesOf(set.primary, TEMPLATE).find((x) => scenarioOf(x) === "primary-dark")!;
    const targets = t.inputs.targets as Target[];
    const subnets = targets.filter((x) => x.resourceType === "aws:ec2:subnet");
    const instances = targets.filter((x) => x.resourceType === "aws:ec2:instance");
    expect(subnets.length + instances.length).to.equal(targets.length);
    // The web load balancer is internet-facing in the public subnets, the app's internal in the private ones.
    const albs = resourcesOf(set.primary, "aws:lb/loadBalancer:LoadBalancer");
    expect(albs.map((a) => a.inputs.internal).sort()).to.deep.equal([false, true]);
    expect(subnets.map((x) => tagsOf(x)["dr:subnet-tier"]).sort()).to.deep.equal(["private", "public"]);
    // Those tags are on the VPC's subnets of those tiers, and on nothing of the secondary's.
    const specs = resourcesOf(set.primary, "awsx:ec2:Vpc")[0].inputs.subnetSpecs as Array<{ type: string; tags: Record<string, string> }>;
    expect(Object.fromEntries(specs.map((s) => [s.type, s.tags["dr:subnet-tier"]]))).to.deep.equal({ Public: "public", Private: "private", Isolated: "isolated" });
    for (const x of [...subnets, ...instances]) expect(tagsOf(x)["dr:stack"], x.name).to.equal("primary");
    const providerTags = resourcesOf(set.primary, "pulumi:providers:aws").map((p) => JSON.parse(String(p.inputs.defaultTags)) as { tags: Record<string, string> });
    expect(providerTags.every((p) => p.tags["dr:stack"] === "primary")).to.equal(true);
    const launched = (ev: Evaluation) => resourcesOf(ev, "aws:ec2/launchTemplate:LaunchTemplate").map((lt) => (lt.inputs.tagSpecifications as Array<{ resourceType: string; tags: Record<string, string> }>).find((s) => s.resourceType === "instance")!.tags["dr:stack"]);
    expect(launched(set.primary)).to.deep.equal(["primary", "primary"]);
    expect(launched(set.secondary)).to.not.include("primary");
    const actions = t.inputs.actions as Action[];
    expect(actions.map((a) => a.actionId).sort()).to.deep.equal(["aws:ec2:stop-instances", "aws:network:disrupt-connectivity", "aws:network:disrupt-connectivity"]);
    for (const a of actions.filter((x) => x.actionId === "aws:network:disrupt-connectivity")) expect(Object.fromEntries(a.parameters.map((p) => [p.key, p.value])).scope).to.equal("all");
  });

  it("partition cuts the primary's routes to the recovery region and pauses the data bucket's replication there", () => {
    const t = resourcesOf(set.primary, TEMPLATE).find((x) => scenarioOf(x) === "partition")!;
    const actions = t.inputs.actions as Action[];
    expect(actions.map((a) => [a.actionId, a.parameters.find((p) => p.key === "region")?.value])).to.deep.equal([
      ["aws:network:route-table-disrupt-cross-region-connectivity", SECONDARY_REGION],
      ["aws:s3:bucket-pause-replication", SECONDARY_REGION],
    ]);
    const bucketTarget = (t.inputs.targets as Target[]).find((x) => x.resourceType === "aws:s3:bucket")!;
    // The tag selects the data bucket and no other bucket of the stack (access logs, reports).
    const tagged = resourcesOf(set.primary, "aws:s3/bucket:Bucket").filter((b) => (b.inputs.tags as Record<string, string> | undefined)?.["dr:bucket"] === tagsOf(bucketTarget)["dr:bucket"]);
    expect(tagged.map((b) => b.name)).to.deep.equal(["orders-data-bucket"]);
  });

  it("capacity-denied denies capacity to the recovery region's groups in every AZ but one", () => {
    const t = resourcesOf(set.secondary, TEMPLATE)[0];
    const a = (t.inputs.actions as Action[])[0];
    const zones = Object.fromEntries(a.parameters.map((p) => [p.key, p.value])).availabilityZoneIdentifiers.split(",");
    expect(zones).to.have.length(Number(givenStackFile("secondary")["dr:azCount"]) - 1);
    for (const z of zones) expect(z.startsWith(SECONDARY_REGION)).to.equal(true);
    expect(tagsOf((t.inputs.targets as Target[])[0])).to.deep.equal({ "dr:stack": "secondary" });
  });

  it("restore testing in each region selects the protected Aurora cluster and data bucket, newest point of its vault, with a validation window and a role AWS Backup can assume", () => {
    const primaryCluster = resourcesOf(set.primary, "aws:rds/cluster:Cluster")[0].outputs.arn;
    const primaryBucket = byOutput(set.primary, "aws:s3/bucket:Bucket", "arn", resourcesOf(set.primary, "aws:s3/bucket:Bucket").find((b) => b.name === "orders-data-bucket")!.outputs.arn)!.outputs.arn;
    for (const ev of [set.primary, set.secondary]) {
      const [plan] = resourcesOf(ev, PLAN);
      expect(String(plan.inputs.name).length).to.be.at.most(MAX_RESTORE_TESTING_NAME);
      expect(plan.inputs.name).to.match(/^[A-Za-z0-9_]+$/);
      const selection = plan.inputs.recoveryPointSelection as { algorithm: string; includeVaults: string[] };
      expect(selection.algorithm).to.equal("LATEST_WITHIN_WINDOW");
      expect(selection.includeVaults).to.deep.equal([resourcesOf(ev, "aws:backup/vault:Vault")[0].outputs.arn]);
      const selections = resourcesOf(ev, SELECTION);
      // Both regions test the primary's data: the primary its own points, the recovery region the copies in its vault.
      expect(selections.map((s) => [s.inputs.protectedResourceType, s.inputs.protectedResourceArns]).sort()).to.deep.equal([["Aurora", [primaryCluster]], ["S3", [primaryBucket]]]);
      for (const s of selections) {
        expect(s.inputs.validationWindowHours).to.be.within(1, 168);
        const role = byOutput(ev, "aws:iam/role:Role", "arn", s.inputs.iamRoleArn)!;
        expect(json(role.inputs.assumeRolePolicy).Statement.map((x) => x.Principal?.Service)).to.deep.equal(["backup.amazonaws.com"]);
        const attached = resourcesOf(ev, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role.outputs.name).map((a) => a.inputs.policyArn);
        expect(attached.sort()).to.deep.equal(["arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore", "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"]);
      }
      const overrides = selections.find((s) => s.inputs.protectedResourceType === "Aurora")!.inputs.restoreMetadataOverrides as Record<string, string>;
      expect(JSON.parse(overrides.vpcSecurityGroupIds)).to.have.length(1);
    }
  });

  it("a restore test's validation runs on the restore job's COMPLETED event with a role of no wildcard action", () => {
    for (const ev of [set.primary, set.secondary]) {
      const rule = resourcesOf(ev, "aws:cloudwatch/eventRule:EventRule").find((r) => r.name.endsWith("restore-completed"))!;
      expect(JSON.parse(String(rule.inputs.eventPattern))).to.deep.equal({ source: ["aws.backup"], "detail-type": ["Restore Job State Change"], detail: { status: ["COMPLETED"] } });
      const fn = resourcesOf(ev, "aws:lambda/function:Function").find((f) => f.name.endsWith("validator"))!;
      const role = byOutput(ev, "aws:iam/role:Role", "arn", fn.inputs.role)!;
      const policy = resourcesOf(ev, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === role.name)!;
      const actions = actionsOf(json(policy.inputs.policy));
      expect(actions).to.include("backup:PutRestoreValidationResult");
      expect(actions.filter((a) => a.includes("*"))).to.deep.equal([]);
    }
  });

  it("the plan report lists each template with its stop conditions and targets, and each region's restore-testing schedule", () => {
    const doc = { resources: [set.primary, set.secondary].flatMap((ev) => ev.resources.map((r) => ({ ...r, stack: ev.stack }))) } as unknown as PlanDocument;
    const text = gameDaySection(doc).join("\n");
    const rows = text.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| scenario") && !l.startsWith("| stack") && !l.startsWith("| ---"));
    expect(rows.map((l) => l.split(" | ")[0].slice(2)).sort()).to.deep.equal(["capacity-denied", "partition", "primary", "primary-dark", "secondary"]);
    const dark = rows.find((l) => l.startsWith("| primary-dark"))!;
    expect(dark).to.include("db-cpu").and.include("dr:subnet-tier=public").and.include("aws:ec2:stop-instances -> instances");
    expect(rows.filter((l) => l.includes(DEFAULT_RESTORE_TEST_SCHEDULE))).to.have.length(2);
    expect(gameDaySection({ resources: [] } as unknown as PlanDocument).join(" ")).to.include("dr:gameDays is not set");
  });

  it("the policy pack finds no mandatory violation with game days on (the report buckets are versioned evidence, not data to replicate)", () => {
    const allowedRegions = parseStackConfig(givenStackFile("primary"), "primary").allowedRegions;
    const views = [["primary", PRIMARY_REGION, set.primary], ["secondary", SECONDARY_REGION, set.secondary], ["links", "global", set.links]] as const;
    const outcomes = runPolicies(views.map(([role, region, ev]) => ({ view: { stack: ev.stack, role, region, resources: viewsOfRecorded(ev.resources) }, allowedRegions })));
    const mandatory = outcomes.flatMap((o) => o.violations).filter((v) => v.enforcement === "mandatory");
    expect(mandatory.map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
  });

  it("static stability holds with game days on: the secondary registers and invokes nothing outside its region", () => {
    expect(foreignRegionUse(set.secondary, SECONDARY_REGION)).to.deep.equal([]);
  });
});

describe("game days: config and AWS limits", () => {
  const problem = (overrides: Record<string, unknown>): string => {
    try {
      parseStackConfig(givenStackFile("primary", overrides), "test");
    } catch (err) {
      return (err as ConfigError).message;
    }
    throw new Error("expected a ConfigError");
  };

  it("dr:gameDays accepts true or a map of scenarios, and names the key, the value and the fix otherwise", () => {
    expect(parseStackConfig(givenStackFile("primary", { "dr:gameDays": { "primary-dark": true } }), "t").gameDays).to.deep.equal({ "primary-dark": true });
    for (const bad of ["yes", { "region-down": true }]) {
      const message = problem({ "dr:gameDays": bad });
      expect(message).to.include("dr:gameDays").and.include("primary-dark, partition, capacity-denied");
    }
  });

  it("dr:backup.restoreTesting refuses a validation window outside AWS Backup's 1-168 hours", () => {
    expect(problem({ "dr:backup": { restoreTesting: { validationWindowHours: 200 } } })).to.include("dr:backup.restoreTesting.validationWindowHours").and.include("1 to 168");
  });

  const context = { stack: "primary", region: "us-east-1", availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], loadBalancerSubnetTiers: ["public", "private"], otherRegions: ["us-west-2"] };
  it("refuses more than 5 stop conditions, none, and more than 20 actions (a partition towards 11 regions)", () => {
    const dark = experimentSpec("primary-dark", context);
    expect(experimentProblems(dark, 6, 3)[0]).to.include("1 to 5");
    expect(experimentProblems(dark, 0, 3)[0]).to.include("1 to 5");
    expect(experimentProblems(dark, 2, 3)).to.deep.equal([]);
    const wide = experimentSpec("partition", { ...context, otherRegions: Array.from({ length: 11 }, (_, i) => `region-${i}`) });
    expect(wide.actions).to.have.length(22);
    expect(experimentProblems(wide, 2, 3)[0]).to.include("at most 20");
  });

  it("the readiness cost table prices a restore test", () => {
    const [p, sec] = ["primary", "secondary"].map((st) => parseStackConfig(givenStackFile(st), st));
    const row = formatReadiness(readinessByStrategy(p, sec), sec.strategy).split("\n").find((l) => l.startsWith("| restore testing"));
    expect(row).to.include(`${RESTORE_TEST_USD.toFixed(2)} per restored resource and test`);
  });

  it("restore testing names stay within 50 letters, digits and underscores, and 30 selections a plan", () => {
    expect(restoreTestingPlanName("orders", "prod")).to.equal("orders_prod_restore_test");
    expect(restoreTestingPlanName("abcdefghijklmnop", "abcdefghijklmnop").length).to.be.at.most(MAX_RESTORE_TESTING_NAME);
    expect(restoreTestingProblems("a-b", [])[0]).to.include("letters, digits or underscores");
    expect(restoreTestingProblems("ok", Array.from({ length: 31 }, (_, i) => ({ name: `s${i}`, arns: 1 })))[0]).to.include("30 per plan");
  });
});
