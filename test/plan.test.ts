import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { deriveLinks } from "../src/plan/links";
import { writePlanFiles } from "../src/plan/output";
import { PlanDocument, PlanResource, PlanStack } from "../src/plan/document";
import type { PlanResult } from "../src/plan/result";
import { runPlan } from "../src/plan/runPlan";
import { loadStackSet } from "../src/plan/stackSet";
import { spreadOverAzs } from "../src/plan/topology";
import { examplePlan } from "./harness/examplePlan";
import { EXAMPLE_DIR, PROJECT_DIR } from "./harness/stack";
import { main } from "../src/cli/dr";

const FIXTURES = path.join(PROJECT_DIR, "test", "fixtures");
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "dr-plan-test-"));

/** The example's stack files' config sections, read independently of the code under test. */
const stackFile = (dir: string, stack: string) => parse(fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };

/** A project folder holding copies of the example's stack files, each config changed by `edit`. */
function projectWith(name: string, edits: Record<string, (config: Record<string, unknown>) => void> = {}): string {
  const dir = path.join(tmpRoot, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const stack of ["primary", "secondary"]) {
    const doc = stackFile(EXAMPLE_DIR, stack);
    edits[stack]?.(doc.config);
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify(doc));
  }
  return dir;
}

async function planFailure(options: Parameters<typeof runPlan>[0]): Promise<Error> {
  try {
    await runPlan(options);
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the plan to fail");
}

/** Text of every <text> node of an SVG document. */
function svgTexts(svg: string): string[] {
  const doc = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: true }).parse(svg);
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "text") for (const t of [value].flat()) texts.push(typeof t === "object" ? String((t as Record<string, unknown>)["#text"] ?? "") : String(t));
      else walk(value);
    }
  };
  walk(doc);
  return texts;
}

describe("plan", function () {
  this.timeout(60_000);
  let out: string;
  const primaryConfig = stackFile(EXAMPLE_DIR, "primary").config;
  const secondaryConfig = stackFile(EXAMPLE_DIR, "secondary").config;
  const linksConfig = stackFile(EXAMPLE_DIR, "links").config;
  let result: PlanResult;
  let doc: PlanDocument;
  let report: string;
  let svg: string;

  after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
  before(async () => {
    result = await examplePlan();
    out = result.outDir;
    doc = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"));
    report = fs.readFileSync(path.join(out, "report.md"), "utf8");
    svg = fs.readFileSync(path.join(out, "topology.svg"), "utf8");
  });

  describe("on the example's stack files (test/fixtures/example)", () => {
    it("writes exactly plan.json, report.md and topology.svg, leaving no temporary folder beside them", () => {
      expect(fs.readdirSync(out).sort()).to.deep.equal(["plan.json", "report.md", "topology.svg"]);
      expect(fs.readdirSync(path.dirname(out))).to.deep.equal(["plan"]);
    });

    it("lists the three stacks in deploy order (primary, secondary, links), with the role, region and strategy of each stack file", () => {
      expect(doc.formatVersion).to.equal(1);
      expect(doc.stacks.map((s) => [s.stack, s.role, s.region, s.strategy])).to.deep.equal([
        ["primary", primaryConfig["dr:role"], primaryConfig["aws:region"], primaryConfig["dr:strategy"]],
        ["secondary", secondaryConfig["dr:role"], secondaryConfig["aws:region"], secondaryConfig["dr:strategy"]],
        // The links stack has no region of its own and serves the deployment's strategy.
        ["links", linksConfig["dr:role"], "multi-region", primaryConfig["dr:strategy"]],
      ]);
    });

    it("answers the links stack's references with the primary's and the secondary's outputs", () => {
      const [primary, secondary, links] = doc.stacks;
      expect(links.stackReferences).to.deep.equal({
        [String(linksConfig["dr:primaryStack"])]: primary.outputs,
        [String((linksConfig["dr:secondaryStacks"] as string[])[0])]: secondary.outputs,
      });
    });

    it("names in report.md the stack that owns each cross-region link, the links stack owning the primary bucket's replication", () => {
      const linksSection = report.split("## Cross-region links")[1];
      for (const link of doc.links) expect(linksSection, link.detail).to.contain(`| ${link.stack} | ${link.detail.replace(/\|/g, "\\|")} |`);
      const fromPrimary = doc.links.filter((l) => l.kind === "s3-replication" && l.from.region === primaryConfig["aws:region"]);
      expect(fromPrimary.map((l) => l.stack)).to.deep.equal(["links"]);
      const back = doc.links.filter((l) => l.kind === "s3-replication" && l.from.region === secondaryConfig["aws:region"]);
      expect(back.map((l) => l.stack)).to.deep.equal(["secondary"]);
    });

    it("lists the cross-region backup copies in plan.json and report.md: links -> each secondary's vault, each secondary -> the primary's vault", () => {
      const east = String(primaryConfig["aws:region"]);
      const west = String(secondaryConfig["aws:region"]);
      const vault = (stack: string) => doc.resources.find((r) => r.stack === stack && r.type === "aws:backup/vault:Vault")!;
      const copies = doc.links.filter((l) => l.kind === "backup-copy");
      expect(copies.map((l) => [l.stack, l.from.region, l.from.urn, l.to.region, l.to.urn])).to.have.deep.members([
        ["links", east, vault("primary").urn, west, vault("secondary").urn],
        ["secondary", west, vault("secondary").urn, east, vault("primary").urn],
      ]);
      expect(copies.every((l) => l.urn === doc.resources.find((r) => r.urn === l.urn && r.type === "aws:backup/plan:Plan")?.urn)).to.equal(true);
      const section = report.split("## Cross-region links")[1].split("\n## ")[0];
      expect(section).to.contain("### Backup copies");
      for (const l of copies) expect(section).to.contain(`| backup vault orders-prod-${l.from.region} (${l.from.region}) | backup vault orders-prod-${l.to.region} (${l.to.region}) | ${l.stack} |`);
    });

    it("lists resources of both stacks, each with a region, a type, a name and a URN of its stack", () => {
      for (const stack of ["primary", "secondary"]) {
        const own = doc.resources.filter((r) => r.stack === stack);
        expect(own.filter((r) => r.type.startsWith("aws:")), stack).to.not.be.empty;
        for (const r of own) {
          expect(r.region, r.urn).to.be.a("string").and.not.equal("");
          expect(r.urn.startsWith(`urn:pulumi:${stack}::`), r.urn).to.equal(true);
          expect(r.urn.endsWith(`::${r.name}`), r.urn).to.equal(true);
        }
      }
      expect(doc.resources.some((r) => r.stack === "primary" && r.region === primaryConfig["aws:region"])).to.equal(true);
      expect(doc.resources.some((r) => r.stack === "secondary" && r.region === secondaryConfig["aws:region"])).to.equal(true);
    });

    it("gives every AWS resource the region of the provider that creates it, and every parent is a resource of the same stack", () => {
      for (const r of doc.resources.filter((x) => x.custom && x.type.startsWith("aws:"))) {
        expect(r.provider, r.urn).to.not.equal(null);
        expect(r.region, r.urn).to.equal(r.provider!.region);
      }
      for (const r of doc.resources.filter((x) => x.parent !== null)) {
        expect(doc.resources.some((p) => p.urn === r.parent && p.stack === r.stack), r.urn).to.equal(true);
      }
    });

    it("answers the secondary's stack reference (its dr:primaryStack) with exactly the primary's outputs", () => {
      const [primary, secondary] = doc.stacks;
      expect(Object.keys(primary.outputs)).to.not.be.empty;
      expect(Object.keys(secondary.stackReferences)).to.deep.equal([secondaryConfig["dr:primaryStack"]]);
      expect(secondary.stackReferences[String(secondaryConfig["dr:primaryStack"])]).to.deep.equal(primary.outputs);
      expect(primary.stackReferences).to.deep.equal({});
    });

    it("keeps the engine's redaction: every resource's inputs are exactly what the engine recorded, secrets as [secret]", () => {
      const recorded = result.evaluated.flatMap((e) => e.evaluation.resources.map((r) => ({ stack: e.planned.stack, urn: r.urn, inputs: r.inputs })));
      expect(doc.resources.map((r) => ({ stack: r.stack, urn: r.urn, inputs: r.inputs }))).to.deep.equal(recorded);
      // Generated passwords are secrets: none may appear as a plain input.
      expect(fs.readFileSync(path.join(out, "plan.json"), "utf8")).to.not.match(/"(master)?[pP]assword":\s*"(?!\[secret\])[^"]+"/);
    });

    it("names both regions, the strategy, each stack and the recovery verdict in report.md", () => {
      for (const region of [primaryConfig["aws:region"], secondaryConfig["aws:region"]]) expect(report).to.contain(String(region));
      expect(report).to.contain(`Strategy **${primaryConfig["dr:strategy"]}**: ${primaryConfig["aws:region"]} serves traffic; ${secondaryConfig["aws:region"]} stands by.`);
      expect(report).to.contain("Stacks in deploy order: primary (primary, us-east-1), secondary (secondary, us-west-2), links (links, multi-region); destroy in the reverse order.".replace("us-east-1", String(primaryConfig["aws:region"])).replace("us-west-2", String(secondaryConfig["aws:region"])));
      expect(report).to.contain("## Stack primary").and.to.contain("## Stack secondary");
      expect(report).to.contain("## Cross-region links");
      expect(report).to.match(/RTO \d+ s \/ target \d+ s (PASS|FAIL)/);
      expect(report).to.contain(`target ${(primaryConfig["dr:objectives"] as { rtoSeconds: number }).rtoSeconds} s`);
      expect(report).to.not.match(/\bPolicy\b/);
    });

    it("counts in report.md, per stack and region, the AWS resources plan.json lists", () => {
      for (const s of doc.stacks) {
        const section = report.split(`## Stack ${s.stack} `)[1].split("\n## ")[0];
        const regions = new Set(doc.resources.filter((r) => r.stack === s.stack && r.custom && !r.type.startsWith("pulumi:")).map((r) => r.region));
        for (const region of regions) {
          const n = doc.resources.filter((r) => r.stack === s.stack && r.region === region && r.custom && !r.type.startsWith("pulumi:")).length;
          expect(section, `${s.stack} ${region}`).to.contain(`| ${region} | ${n} |`);
        }
      }
    });

    it("lists in report.md every link plan.json holds", () => {
      for (const link of doc.links) expect(report).to.contain(link.detail.replace(/\|/g, "\\|"));
      expect(doc.links).to.deep.equal(result.document.links);
    });

    it("renders topology.svg as well-formed XML with both region names in its text", () => {
      expect(XMLValidator.validate(svg)).to.equal(true);
      const texts = svgTexts(svg);
      for (const region of [primaryConfig["aws:region"], secondaryConfig["aws:region"]]) expect(texts.some((t) => t.includes(String(region))), String(region)).to.equal(true);
    });

    it("draws each AZ of each region's VPC", () => {
      const texts = svgTexts(svg);
      for (const vpc of doc.resources.filter((r) => r.type === "awsx:ec2:Vpc")) {
        for (const az of vpc.inputs.availabilityZoneNames as string[]) expect(texts, az).to.include(az);
      }
    });
  });

  describe("on a bad configuration", () => {
    it("names a broken key, and creates no output folder", async () => {
      const dir = projectWith("broken-key", { secondary: (c) => { c["dr:vpcCidr"] = "10.20.0.0/33"; } });
      const target = path.join(dir, "plan");
      const err = await planFailure({ projectDir: dir });
      expect(err.message).to.contain("dr:vpcCidr").and.to.contain("10.20.0.0/33").and.to.contain("Pulumi.secondary.yaml");
      expect(fs.existsSync(target)).to.equal(false);
      expect(fs.readdirSync(dir).sort()).to.deep.equal(["Pulumi.primary.yaml", "Pulumi.secondary.yaml"]);
    });

    it("names every bad key of every file at once", async () => {
      const dir = projectWith("two-files", { primary: (c) => { c["dr:strategy"] = "hot-spare"; }, secondary: (c) => { c["dr:azCount"] = 1; } });
      const err = await planFailure({ projectDir: dir });
      expect(err.message).to.contain("dr:strategy").and.to.contain("Pulumi.primary.yaml");
      expect(err.message).to.contain("dr:azCount").and.to.contain("Pulumi.secondary.yaml");
    });

    it("names a malformed YAML file", async () => {
      const dir = projectWith("malformed");
      fs.writeFileSync(path.join(dir, "Pulumi.secondary.yaml"), "config:\n  aws:region: us-west-2\n   dr:role: [secondary\n");
      const err = await planFailure({ projectDir: dir });
      expect(err.message).to.contain("Pulumi.secondary.yaml").and.to.contain("not valid YAML");
    });

    it("names a missing stack file", async () => {
      const dir = projectWith("missing");
      const err = await planFailure({ projectDir: dir, stacks: ["primary", "tertiary"] });
      expect(err.message).to.contain("Pulumi.tertiary.yaml");
      expect(fs.existsSync(path.join(dir, "plan"))).to.equal(false);
    });

    it("rejects a secondary in the primary's region before evaluating anything", async () => {
      const dir = projectWith("same-region", { secondary: (c) => { c["aws:region"] = primaryConfig["aws:region"]; } });
      const err = await planFailure({ projectDir: dir });
      expect(err.message).to.contain("aws:region").and.to.contain(String(primaryConfig["aws:region"]));
    });

    it("removes an earlier run's plan files (only those) when it fails, and the folder they leave empty", async () => {
      const dir = projectWith("earlier-run", { primary: (c) => { c["dr:hostedZoneId"] = "not-a-zone"; } });
      const target = path.join(dir, "plan");
      fs.mkdirSync(target);
      for (const name of ["plan.json", "report.md", "topology.svg", "notes.md"]) fs.writeFileSync(path.join(target, name), "earlier\n");
      const err = await planFailure({ projectDir: dir });
      expect(err.message).to.contain("dr:hostedZoneId").and.contain("No plan was written; the earlier plan in").and.contain("(plan.json, report.md, topology.svg) was removed");
      expect(fs.readdirSync(target)).to.deep.equal(["notes.md"]);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith("."))).to.deep.equal([]);
      fs.rmSync(path.join(target, "notes.md"));
      for (const name of ["plan.json", "report.md"]) fs.writeFileSync(path.join(target, name), "earlier\n");
      await planFailure({ projectDir: dir });
      expect(fs.existsSync(target)).to.equal(false);
    });

    it("npm run plan after a good plan: a bad value exits 1 naming key, value and fix, and leaves no stale plan (the README's promise)", async () => {
      // The CLI entry `npm run plan` runs, in a copy of the example config whose earlier plan is the real one.
      const script = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")).scripts.plan as string;
      expect(script).to.contain("node build/src/cli/dr.js plan");
      const dir = projectWith("stale-after-failure", { primary: (c) => { (c["dr:objectives"] as { rtoSeconds: number }).rtoSeconds = -1; } });
      const target = path.join(dir, "plan");
      fs.cpSync((await examplePlan()).outDir, target, { recursive: true });
      fs.writeFileSync(path.join(target, "my-notes.md"), "kept\n");
      expect(fs.readdirSync(target).sort()).to.deep.equal(["my-notes.md", "plan.json", "report.md", "topology.svg"]);
      const run = spawnSync(process.execPath, [path.join(PROJECT_DIR, "build", "src", "cli", "dr.js"), "plan"], { cwd: dir, encoding: "utf8" });
      expect(run.status, run.stderr).to.equal(1);
      expect(run.stderr).to.contain("- dr:objectives.rtoSeconds = -1: must be a positive number of seconds");
      expect(run.stderr).to.contain("No plan was written; the earlier plan in plan/ (plan.json, report.md, topology.svg) was removed, as it does not match this config.");
      expect(run.stderr).to.not.match(/^\s+at /m);
      expect(fs.readdirSync(target)).to.deep.equal(["my-notes.md"]);
    });

    it("exits 1 from the CLI with the key named and no stack trace", () => {
      const target = path.join(tmpRoot, "cli-out");
      const run = spawnSync(process.execPath, [path.join(PROJECT_DIR, "build", "src", "cli", "dr.js"), "plan", "--cwd", path.join(FIXTURES, "bad-config"), "--out", target], { encoding: "utf8" });
      expect(run.status, run.stderr).to.equal(1);
      expect(run.stderr).to.contain("dr:vpcCidr").and.to.contain("Pulumi.primary.yaml");
      expect(run.stderr).to.not.match(/^\s+at /m);
      expect(run.stderr).to.contain(`No plan was written to ${target}/.`);
      expect(fs.existsSync(target)).to.equal(false);
    });
  });

  describe("verdict and --strict", () => {
    it("the default configuration meets its objectives, so --strict passes on it", () => {
      expect(result.recovery.objectivesMet, result.recovery.failures.join("\n")).to.equal(true);
      expect(result.strictFailures).to.deep.equal([]);
      expect(report).to.match(/RTO \d+ s \/ target 180 s PASS/);
    });

    it("exits 1 under --strict when the RTO passes but one store's RPO asks for less than it can keep, naming the store", async () => {
      // S3 RTC promises 15 minutes; 60 s for objects cannot be kept, while the RTO target stays met.
      const dir = projectWith("strict-rpo", Object.fromEntries(["primary", "secondary"].map((stack) => [stack, (c: Record<string, unknown>) => {
        c["dr:objectives"] = { rtoSeconds: 180, rpoSeconds: { database: 1, objects: 60, secrets: 60 } };
      }])));
      const errors: string[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void errors.push(args.join(" "));
      let code: number;
      try {
        code = await main(["node", "dr", "plan", "--strict", "--quiet", "--cwd", dir, "--out", path.join(tmpRoot, "strict-out")]);
      } finally {
        console.error = original;
      }
      expect(code).to.equal(1);
      expect(errors.join("\n")).to.contain("--strict").and.contain("objects (S3)").and.contain("900 s").and.not.contain("exceeds the");
      // The plan is still written, so the reader can see why.
      expect(fs.readFileSync(path.join(tmpRoot, "strict-out", "report.md"), "utf8")).to.match(/RTO \d+ s \/ target 180 s PASS.*RPO .* FAIL/);
    });
  });

  describe("stack order and output", () => {
    it("puts the primary first whatever order the stacks are named in", () => {
      expect(loadStackSet(EXAMPLE_DIR, ["links", "secondary", "primary"]).map((s) => s.stack)).to.deep.equal(["primary", "secondary", "links"]);
      expect(loadStackSet(path.join(FIXTURES, "three-region")).map((s) => s.config.role)).to.deep.equal(["primary", "secondary", "secondary", "links"]);
    });

    it("replaces its own files in the output folder and nothing else there, leaving no temporary file (--out may be the project folder)", () => {
      const target = path.join(tmpRoot, "replace", "project");
      fs.mkdirSync(target, { recursive: true });
      fs.writeFileSync(path.join(target, "Pulumi.primary.yaml"), "config: {}\n");
      writePlanFiles(target, { "plan.json": "{\"old\":true}" });
      writePlanFiles(target, { "plan.json": "{}", "report.md": "# r" });
      expect(fs.readdirSync(target).sort()).to.deep.equal(["Pulumi.primary.yaml", "plan.json", "report.md"]);
      expect(fs.readFileSync(path.join(target, "plan.json"), "utf8")).to.equal("{}");
      expect(fs.readFileSync(path.join(target, "Pulumi.primary.yaml"), "utf8")).to.equal("config: {}\n");
    });
  });

  describe("three regions", () => {
    const dir = path.join(FIXTURES, "three-region");
    let three: PlanResult;
    before(async () => {
      three = await runPlan({ projectDir: dir, outDir: path.join(tmpRoot, "three") });
    });

    const regionStacks = ["primary", "secondary", "tertiary"];

    it("plans one primary and two secondaries in three distinct regions, each secondary answered with the primary's outputs, then links", () => {
      const regions = regionStacks.map((s) => stackFile(dir, s).config["aws:region"]);
      expect(new Set(regions).size).to.equal(3);
      expect(three.document.stacks.map((s) => s.region)).to.deep.equal([...regions, "multi-region"]);
      const primary = three.document.stacks[0];
      for (const s of three.document.stacks.slice(1, 3)) expect(Object.values(s.stackReferences)).to.deep.equal([primary.outputs]);
      expect(Object.values(three.document.stacks[3].stackReferences)).to.deep.equal(three.document.stacks.slice(0, 3).map((s) => s.outputs));
      for (const region of regions) expect(three.document.resources.some((r) => r.region === region && r.type.startsWith("aws:")), String(region)).to.equal(true);
      // The engine refuses a duplicate URN within a stack; the evaluator does too, and none slipped through.
      for (const s of three.document.stacks) {
        const urns = three.document.resources.filter((r) => r.stack === s.stack).map((r) => r.urn);
        expect(new Set(urns).size, s.stack).to.equal(urns.length);
      }
    });

    it("the README's bench paragraph quotes the resource counts these plans record (example and three regions)", () => {
      const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8").replace(/\s+/g, " ");
      const quoted = /Measured here \([^)]*\): (\d+) resources in three stacks, .*? three regions and links \((\d+) resources\)/.exec(readme);
      expect(quoted, "README: 'Measured here (...): N resources in three stacks, ... three regions and links (M resources)'").to.not.equal(null);
      expect(Number(quoted![1])).to.equal(doc.resources.length);
      expect(Number(quoted![2])).to.equal(three.document.resources.length);
    });

    it("replicates the primary bucket to BOTH secondaries through one configuration (S3 keeps one per bucket), owned by the links stack", () => {
      const primaryBucket = (three.document.stacks[0].outputs.regional as Record<string, string>).dataBucketName;
      const onPrimaryBucket = three.document.resources.filter((r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig" && r.inputs.bucket === primaryBucket);
      expect(onPrimaryBucket.map((r) => r.stack)).to.deep.equal(["links"]);
      const destinations = (onPrimaryBucket[0].inputs.rules as Array<{ destination: { bucket: string } }>).map((r) => r.destination.bucket);
      const secondaryBuckets = three.document.stacks.slice(1, 3).map((s) => `arn:aws:s3:::${(s.outputs.regional as Record<string, string>).dataBucketName}`);
      expect(destinations).to.have.members(secondaryBuckets);
      // Every bucket carries at most one configuration.
      const buckets = three.document.resources.filter((r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig").map((r) => r.inputs.bucket);
      expect(new Set(buckets).size).to.equal(buckets.length);
    });

    // A failover record set is exactly one PRIMARY and one SECONDARY under one name
    // (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html): a third
    // region keeps its regional name and health check, and no member of the shared set.
    it("keeps one PRIMARY and one SECONDARY failover record for the shared name; the third region only its regional name", () => {
      const domain = (three.document.stacks[0].outputs.shared as { domain: string }).domain;
      const records = three.document.resources.filter((r) => r.type === "aws:route53/record:Record");
      const shared = records.filter((r) => r.inputs.name === domain);
      const roles = shared.map((r) => (r.inputs.failoverRoutingPolicies as Array<{ type: string }>)[0].type).sort();
      expect(roles).to.deep.equal(["PRIMARY", "SECONDARY"]);
      const replicaRegions = (three.document.stacks[0].outputs.shared as { replicaRegions: string[] }).replicaRegions;
      expect(shared.find((r) => (r.inputs.failoverRoutingPolicies as Array<{ type: string }>)[0].type === "SECONDARY")!.region).to.equal(replicaRegions[0]);
      const third = replicaRegions[1];
      expect(records.some((r) => r.region === third && r.inputs.name === `${third}.${domain}`), "regional record").to.equal(true);
      expect(three.document.resources.some((r) => r.type === "aws:route53/healthCheck:HealthCheck" && r.region === third), "health check").to.equal(true);
    });

    it("builds three switches in the primary, each hosted outside the region it switches off, one in each region's record health", () => {
      const regions = regionStacks.map((st) => stackFile(dir, st).config["aws:region"] as string);
      const alarms = three.document.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.inputs.namespace === "DR/RegionSwitch");
      expect(alarms.map((a) => a.stack)).to.deep.equal(["primary", "primary", "primary"]);
      const switched = alarms.map((a) => (a.inputs.dimensions as Record<string, string>).Region);
      expect([...switched].sort()).to.deep.equal([...regions].sort());
      alarms.forEach((a, i) => expect(a.region, switched[i]).to.not.equal(switched[i]));
      const exported = (three.document.stacks[0].outputs.regionSwitch as { switches: Record<string, { healthCheckId: string; hostRegion: string }> }).switches;
      regionStacks.forEach((st, i) => {
        const calc = three.document.resources.filter((r) => r.stack === st && r.type === "aws:route53/healthCheck:HealthCheck" && r.inputs.type === "CALCULATED");
        expect(calc, st).to.have.length(1);
        expect(calc[0].inputs.childHealthchecks, st).to.include(exported[regions[i]].healthCheckId);
        expect(exported[regions[i]].hostRegion, st).to.not.equal(regions[i]);
      });
      // The third region's switch and record health exist before it holds a failover record: making it SECONDARY is only a record change.
      expect(three.document.links.filter((l) => l.kind === "region-switch").map((l) => l.to.region).sort()).to.deep.equal([...regions].sort());
    });

    it("draws all three regions", () => {
      const texts = svgTexts(fs.readFileSync(path.join(three.outDir, "topology.svg"), "utf8"));
      for (const s of three.document.stacks.filter((x) => x.role !== "links")) expect(texts.some((t) => t.includes(s.region)), s.region).to.equal(true);
    });
  });
});

describe("plan links and layout (pure)", () => {
  const stacks: PlanStack[] = [
    { stack: "primary", role: "primary", region: "us-east-1", strategy: "warm-standby", outputs: {}, stackReferences: {} },
    { stack: "secondary", role: "secondary", region: "us-west-2", strategy: "warm-standby", outputs: {}, stackReferences: {} },
  ];
  const res = (stack: string, region: string, type: string, name: string, inputs: Record<string, unknown> = {}, dependsOn: string[] = []): PlanResource => ({
    stack, region, type, name, urn: `urn:pulumi:${stack}::dr-platform::${type}::${name}`, parent: null,
    provider: { name: `aws-${region}`, urn: `urn:p:${region}`, region }, inputs, dependsOn, propertyDependencies: {}, id: name, outputs: {}, ignoreChanges: [], protect: false, custom: true,
  });
  const primaryBucket = res("primary", "us-east-1", "aws:s3/bucket:Bucket", "data-east", { bucket: "orders-data-east" });
  const secondaryBucket = res("secondary", "us-west-2", "aws:s3/bucket:Bucket", "data-west", { bucket: "orders-data-west" });
  const resources: PlanResource[] = [
    res("primary", "us-east-1", "aws:rds/globalCluster:GlobalCluster", "global", { globalClusterIdentifier: "orders-global", engine: "aurora-postgresql" }),
    res("primary", "us-east-1", "aws:rds/cluster:Cluster", "db-east", { clusterIdentifier: "orders-east", globalClusterIdentifier: "orders-global" }),
    res("secondary", "us-west-2", "aws:rds/cluster:Cluster", "db-west", { clusterIdentifier: "orders-west", globalClusterIdentifier: "orders-global" }),
    res("secondary", "us-west-2", "aws:rds/cluster:Cluster", "standalone", { clusterIdentifier: "reports" }),
    primaryBucket,
    secondaryBucket,
    res("secondary", "us-east-1", "aws:s3/bucketReplicationConfig:BucketReplicationConfig", "east-to-west", {
      bucket: "orders-data-east",
      rules: [{ id: "all", status: "Enabled", deleteMarkerReplication: { status: "Enabled" },
        destination: { bucket: "arn:aws:s3:::orders-data-west", replicationTime: { status: "Enabled" }, encryptionConfiguration: { replicaKmsKeyId: "arn:aws:kms:us-west-2:123456789012:key/mrk-1" } } }],
    }),
    // Auto-named buckets of two stacks with the same logical name, as the secondary sees them by stack reference.
    res("primary", "us-east-1", "aws:s3/bucket:Bucket", "media"),
    res("secondary", "us-west-2", "aws:s3/bucket:Bucket", "media"),
    res("secondary", "us-west-2", "aws:s3/bucketReplicationConfig:BucketReplicationConfig", "media-west-to-east", {
      bucket: "media-1a2b3c4",
      rules: [{ id: "back", status: "Enabled", destination: { bucket: "arn:aws:s3:::media-5d6e7f8", encryptionConfiguration: { replicaKmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/mrk-1" } } }],
    }),
    res("primary", "us-east-1", "aws:secretsmanager/secret:Secret", "db-secret", { name: "orders/db", replicas: [{ region: "us-west-2", kmsKeyId: "arn:aws:kms:us-west-2:123456789012:key/mrk-1" }] }),
    res("secondary", "us-west-2", "aws:ec2/amiCopy:AmiCopy", "ami", { sourceAmiId: "ami-0123456789abcdef0", sourceAmiRegion: "us-east-1", encrypted: true, kmsKeyId: "arn:aws:kms:us-west-2:123456789012:key/mrk-1" }),
    res("primary", "us-west-2", "aws:kms/replicaKey:ReplicaKey", "key-replica", { primaryKeyArn: "arn:aws:kms:us-east-1:123456789012:key/mrk-1" }),
    res("primary", "us-east-1", "aws:route53/record:Record", "dns-primary", { name: "orders.example.com", setIdentifier: "us-east-1", failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId: "hc-1", aliases: [{ name: "web-east.elb.amazonaws.com", evaluateTargetHealth: true }] }),
    res("secondary", "us-west-2", "aws:route53/record:Record", "dns-secondary", { name: "orders.example.com", setIdentifier: "us-west-2", failoverRoutingPolicies: [{ type: "SECONDARY" }], aliases: [{ name: "web-west.elb.amazonaws.com", evaluateTargetHealth: true }] }),
    res("secondary", "us-west-2", "aws:route53/record:Record", "plain", { name: "www.orders.example.com", records: ["1.2.3.4"], ttl: 60 }),
  ];
  const links = deriveLinks(resources, stacks);
  const ofKind = (kind: string) => links.filter((l) => l.kind === kind);

  it("derives global-database membership for members only, the primary's member as writer", () => {
    const members = ofKind("global-database");
    expect(members.map((l) => [l.to.label, l.to.region])).to.deep.equal([["orders-east", "us-east-1"], ["orders-west", "us-west-2"]]);
    expect(members[0].detail).to.contain("writer");
    expect(members[1].detail).to.contain("read-only");
    expect(members.every((l) => l.from.label.includes("orders-global"))).to.equal(true);
  });

  it("derives S3 replication pairs with their direction and settings, matching auto-named buckets by region", () => {
    const [pair, back, ...more] = ofKind("s3-replication");
    expect(more).to.be.empty;
    expect([pair.from.region, pair.from.urn, pair.to.region, pair.to.urn]).to.deep.equal(["us-east-1", primaryBucket.urn, "us-west-2", secondaryBucket.urn]);
    expect(pair.detail).to.contain("us-east-1 -> us-west-2").and.to.contain("RTC (15 min)").and.to.contain("delete markers replicated");
    const media = (stack: string) => resources.find((r) => r.stack === stack && r.name === "media")!.urn;
    expect([back.from.region, back.from.urn, back.to.region, back.to.urn]).to.deep.equal(["us-west-2", media("secondary"), "us-east-1", media("primary")]);
    expect(back.detail).to.contain("no RTC").and.to.contain("delete markers not replicated");
  });

  it("derives secret replicas, AMI copies and KMS replica keys with source and target regions", () => {
    const pairs = (kind: string) => ofKind(kind).map((l) => [l.from.region, l.to.region]);
    expect(pairs("secret-replica")).to.deep.equal([["us-east-1", "us-west-2"]]);
    expect(pairs("ami-copy")).to.deep.equal([["us-east-1", "us-west-2"]]);
    expect(pairs("kms-replica")).to.deep.equal([["us-east-1", "us-west-2"]]);
    expect(ofKind("ami-copy")[0].detail).to.contain("encrypted with a us-west-2 key");
  });

  it("derives backup copies into another region's vault, owned by the plan's stack, and none for a copy within the region", () => {
    const vault = (stack: string, region: string) => res(stack, region, "aws:backup/vault:Vault", "vault", { name: `orders-prod-${region}` });
    const rule = (vaults: string[]) => ({ ruleName: "daily", targetVaultName: "orders-prod-us-east-1", copyActions: vaults.map((v) => ({ destinationVaultArn: v, lifecycle: { deleteAfter: 35 } })) });
    const plan = res("links", "us-east-1", "aws:backup/plan:Plan", "copy-plan", { name: "orders-backup-copy", rules: [rule(["arn:aws:backup:us-west-2:123456789012:backup-vault:orders-prod-us-west-2", "arn:aws:backup:us-east-1:123456789012:backup-vault:same-region"])] });
    const east = vault("primary", "us-east-1");
    const west = vault("secondary", "us-west-2");
    const copies = deriveLinks([east, west, plan], stacks).filter((l) => l.kind === "backup-copy");
    expect(copies.map((l) => [l.stack, l.urn, l.from.urn, l.to.urn, l.to.label])).to.deep.equal([["links", plan.urn, east.urn, west.urn, "backup vault orders-prod-us-west-2"]]);
    expect(copies[0].detail).to.contain("us-east-1 -> us-west-2").and.contain("plan orders-backup-copy").and.contain("kept 35 days");
  });

  it("derives failover records (not plain ones) with their set identifiers and health checks", () => {
    const records = ofKind("dns-failover");
    expect(records.map((l) => [l.stack, l.to.region])).to.deep.equal([["primary", "us-east-1"], ["secondary", "us-west-2"]]);
    expect(records[0].detail).to.contain("PRIMARY failover").and.to.contain("set us-east-1").and.to.contain("health-checked");
    expect(records[1].detail).to.contain("SECONDARY failover").and.to.contain("no health check");
  });

  it("spreads an auto-scaling group's instances over AZs as evenly as EC2 Auto Scaling does", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 6 }), (desired, azs) => {
      const spread = spreadOverAzs(desired, azs);
      expect(spread).to.have.length(azs);
      expect(spread.reduce((a, b) => a + b, 0)).to.equal(desired);
      expect(Math.max(...spread) - Math.min(...spread)).to.be.at.most(1);
    }));
  });
});
