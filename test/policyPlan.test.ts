import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { allPolicies } from "../policy/registry";
import { main } from "../src/cli/dr";
import type { RecordedResourceWithRegion } from "../src/engine/evaluate";
import type { EvaluatedStack } from "../src/plan/evaluatePlan";
import { recordedOfPlanDocument, policySection, policyStrictFailures } from "../src/plan/policies";
import type { PlanDocument } from "../src/plan/document";
import { stackRegion } from "../src/plan/stackSet";
import { viewsOfRecorded } from "../policy/recorded";
import { runPolicies, Violation } from "../policy/run";
import { isLinksConfig, StackConfig } from "../stacks/configSchema";
import { EXAMPLE_DIR } from "./harness/stack";
import { examplePlan } from "./harness/examplePlan";

/** The evaluated stacks with one resource's inputs changed: a component weakened after the fact. */
function weakened(evaluated: readonly EvaluatedStack[], stack: string, type: string, name: string, edit: (inputs: Record<string, unknown>) => Record<string, unknown>): EvaluatedStack[] {
  let hits = 0;
  const out = evaluated.map((e) => e.planned.stack !== stack ? e : {
    ...e,
    evaluation: {
      ...e.evaluation,
      resources: e.evaluation.resources.map((r): RecordedResourceWithRegion => (r.type === type && r.name === name ? (hits++, { ...r, inputs: edit(structuredClone(r.inputs)) }) : r)),
    },
  });
  if (hits !== 1) throw new Error(`expected one ${type} ${name} in ${stack}, found ${hits}`);
  return out;
}

/** Runs the CLI in-process and returns its exit code and what it printed to stderr. */
async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const lines: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = () => undefined;
  console.error = (...a: unknown[]) => lines.push(a.map(String).join(" "));
  try {
    return { code: await main(["node", "dr", ...args]), stderr: lines.join("\n") };
  } finally {
    [console.log, console.error] = [log, error];
  }
}

describe("policy pack in plan (the example stacks, evaluated once)", () => {
  let evaluated: EvaluatedStack[];
  before(async function () {
    this.timeout(60_000);
    evaluated = [...(await examplePlan()).evaluated];
  });

  it("the full program of every stack shows zero mandatory violations", () => {
    const section = policySection(evaluated);
    const mandatory = section.outcomes.flatMap((o) => o.violations).filter((v) => v.enforcement === "mandatory");
    expect(mandatory.map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
    expect(policyStrictFailures(section)).to.deep.equal([]);
    expect(section.outcomes.map((o) => o.policy.name)).to.deep.equal(allPolicies().map((p) => p.name));
  });

  it("the policies see the resources they check (each region stack has buckets, templates, ALBs, clusters, rules to check)", () => {
    const regionStacks = evaluated.filter((e) => e.planned.config.role !== "links");
    expect(regionStacks.map((e) => e.planned.stack)).to.have.members(["primary", "secondary"]);
    for (const e of regionStacks) {
      const types = new Set(e.evaluation.resources.map((r) => r.type));
      for (const t of ["aws:s3/bucket:Bucket", "aws:s3/bucketVersioning:BucketVersioning", "aws:ec2/launchTemplate:LaunchTemplate", "aws:lb/loadBalancer:LoadBalancer", "aws:rds/cluster:Cluster", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"])
        expect(types, `${e.planned.stack} ${t}`).to.include(t);
      const versioning = e.evaluation.resources.find((r) => r.type === "aws:s3/bucketVersioning:BucketVersioning")!;
      expect(Object.keys(versioning.propertyDependencies)).to.include("bucket");
    }
  });

  it("plan.json holds what the policies need (URN, parent, property dependencies, outputs, ids): run on it, every policy reports what plan reported", async () => {
    const { outDir } = await examplePlan();
    const doc = JSON.parse(fs.readFileSync(path.join(outDir, "plan.json"), "utf8")) as PlanDocument;
    const bucket = doc.resources.find((r) => r.stack === "primary" && r.type === "aws:s3/bucket:Bucket" && /data/.test(r.name))!;
    const versioning = doc.resources.find((r) => r.stack === "primary" && r.type === "aws:s3/bucketVersioning:BucketVersioning" && r.parent === bucket.parent)!;
    expect(versioning.propertyDependencies.bucket).to.deep.equal([bucket.urn]);
    expect(bucket.outputs.arn).to.match(/^arn:aws:s3:::/);
    expect(bucket.id).to.be.a("string");
    const line = (v: Violation) => `${v.policy} ${v.stack} ${v.urn ?? ""} ${v.enforcement}: ${v.message}`;
    const fromPlan = policySection(evaluated).outcomes.flatMap((o) => o.violations).map(line);
    const fromFile = runPolicies(evaluated.map((e) => ({
      view: { stack: e.planned.stack, role: e.planned.config.role, region: stackRegion(e.planned.config), resources: viewsOfRecorded(recordedOfPlanDocument(doc, e.planned.stack)) },
      allowedRegions: evaluated.map((x) => x.planned.config).find((c): c is StackConfig => !isLinksConfig(c))?.allowedRegions,
    }))).flatMap((o) => o.violations).map(line);
    expect(fromFile).to.deep.equal(fromPlan);
    // The advisory the example carries (if any) is reported the same, so the comparison is not empty by accident.
    expect(runPolicies([{ view: { stack: "primary", resources: viewsOfRecorded(recordedOfPlanDocument(doc, "primary").filter((r) => r.urn !== versioning.urn)) } }])
      .flatMap((o) => o.violations).map((v) => v.policy)).to.include("s3-bucket-versioning");
  });

  it("a launch template without IMDSv2 fails --strict with the policy's message naming metadataOptions.httpTokens", () => {
    const weak = weakened(evaluated, "secondary", "aws:ec2/launchTemplate:LaunchTemplate", "orders-web-lt", (i) => ({ ...i, metadataOptions: { ...(i.metadataOptions as object), httpTokens: "optional" } }));
    const [failure] = policyStrictFailures(policySection(weak));
    expect(failure).to.contain("1 mandatory policy violation(s)").and.contain("[launch-template-imdsv2] secondary: LaunchTemplate orders-web-lt: metadataOptions.httpTokens is optional");
  });

  it("bucket versioning turned off fails --strict naming the bucket and versioningConfiguration.status", () => {
    const weak = weakened(evaluated, "primary", "aws:s3/bucketVersioning:BucketVersioning", "orders-data-versioning", (i) => ({ ...i, versioningConfiguration: { status: "Suspended" } }));
    const [failure] = policyStrictFailures(policySection(weak));
    expect(failure).to.contain("[s3-bucket-versioning] primary: Bucket orders-data-bucket: versioning is off").and.contain("versioningConfiguration.status = Suspended");
  });

  it("a secondary record whose health loses its switch (held by the primary, resolved across stacks) fails naming the check", () => {
    const weak = weakened(evaluated, "secondary", "aws:route53/healthCheck:HealthCheck", "orders-dns-record-health", (i) => ({ ...i, childHealthchecks: [(i.childHealthchecks as string[])[0], (i.childHealthchecks as string[])[0]] }));
    expect(policyStrictFailures(policySection(weak)).join("\n")).to.contain("[route53-failover-health] secondary: Record orders-dns-shared (SECONDARY failover): its CALCULATED check orders-dns-record-health has no switch among its children");
  });

  it("a secondary cluster given credentials fails, while the RPO verdict is a separate matter", () => {
    const weak = weakened(evaluated, "secondary", "aws:rds/cluster:Cluster", "orders-db-cluster", (i) => ({ ...i, masterUsername: "dbadmin" }));
    expect(policyStrictFailures(policySection(weak)).join("\n")).to.contain("[aurora-secondary-no-credentials] secondary").and.not.contain("RPO");
  });

  it("report.md's section groups policies by pillar with passed/violated counts taken from the pack", () => {
    const { markdown, summary } = policySection(evaluated);
    const security = allPolicies().filter((p) => p.pillar === "Security").length;
    expect(markdown).to.contain("## Guardrails").and.contain(`| Security | ${security} | ${security} | 0 |`).and.contain("### Reliability");
    const advisory = policySection(weakened(evaluated, "primary", "aws:cloudwatch/logGroup:LogGroup", "orders-network-flow-logs", (i) => ({ ...i, retentionInDays: undefined })));
    expect(advisory.markdown).to.contain("| Sustainability | 1 | 0 | 1 |").and.contain("advisory [log-retention] primary: LogGroup orders-network-flow-logs");
    expect(policyStrictFailures(advisory)).to.deep.equal([]);
    // The example set's links stack copies the primary's backups, so every policy passes.
    expect(summary[0]).to.match(new RegExp(`^policies: ${allPolicies().length} of ${allPolicies().length} passed`));
  });

  describe("dr:allowedRegions", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dr-residency-"));
    const project = (name: string, allowed: Record<string, string[] | undefined>) => {
      const dir = path.join(tmp, name);
      fs.mkdirSync(dir, { recursive: true });
      for (const stack of ["primary", "secondary"]) {
        const doc = parse(fs.readFileSync(path.join(EXAMPLE_DIR, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
        if (allowed[stack]) doc.config["dr:allowedRegions"] = allowed[stack];
        else delete doc.config["dr:allowedRegions"];
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify(doc));
      }
      return dir;
    };

    it("listing only the primary region makes plan exit 1 before evaluating, naming the secondary region and its data stores", async () => {
      const dir = project("primary-only", { primary: ["us-east-1"], secondary: ["us-east-1"] });
      const { code, stderr } = await cli(["plan", "--cwd", dir, "--out", path.join(dir, "plan")]);
      expect(code).to.equal(1);
      expect(stderr).to.contain('aws:region = "us-west-2": is outside dr:allowedRegions (us-east-1)').and.contain("Aurora member");
      expect(stderr).to.contain('dr:replicaRegions[0] = "us-west-2": is outside dr:allowedRegions (us-east-1): the KMS replica key and the DB secret replica');
      expect(fs.existsSync(path.join(dir, "plan"))).to.equal(false);
    });

    it("differing lists in the stack files make plan exit 1 naming dr:allowedRegions", async () => {
      const dir = project("differ", { primary: ["us-east-1", "us-west-2"], secondary: undefined });
      const { code, stderr } = await cli(["plan", "--cwd", dir]);
      expect(code).to.equal(1);
      expect(stderr).to.contain("dr:allowedRegions").and.contain("differs from us-east-1, us-west-2 in stack primary");
    });

    it("an unknown region in the list is an error naming it", async () => {
      const dir = project("unknown", { primary: ["us-east-1", "us-west-9"], secondary: ["us-east-1", "us-west-9"] });
      const { code, stderr } = await cli(["plan", "--cwd", dir]);
      expect(code).to.equal(1);
      expect(stderr).to.contain('dr:allowedRegions[1] = "us-west-9": is not a known AWS region');
    });
  });
});
