/**
 * The README's "Adding a region" recipe, followed step by step on the example's stack files and
 * policy config (their copies in test/fixtures/example, so a user following the recipe on the root
 * files leaves this test's starting point as shipped): the result plans as a deployable set with
 * every data-residency check passing, both as `plan` runs it (each stack's dr:allowedRegions) and as CrossGuard does (policy/policy-config.json
 * for every stack). Skipping any step is refused, naming what to fix. The README's steps and this
 * test's are the same list (the first test), so the recipe cannot drift from what works.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { runPolicies } from "../policy/run";
import { viewsOfRecorded } from "../policy/recorded";
import { evaluatePlan, EvaluatedStack } from "../src/plan/evaluatePlan";
import { policySection } from "../src/plan/policies";
import { loadStackSet, stackRegion } from "../src/plan/stackSet";
import { policyNamed } from "./harness/policyResources";
import { EXAMPLE_DIR, PROJECT_DIR } from "./harness/stack";

const NEW_STACK = "tertiary";
const NEW_REGION = "eu-west-1";
const NEW_CIDR = "10.30.0.0/16";

type Yaml = { config: Record<string, unknown> };
interface Files { stacks: Record<string, Yaml>; policyConfig: { "data-residency": { allowedRegions: string[] } } }

/** The recipe, in README order: the words the README's step starts with, and the edit. */
const RECIPE: readonly { readonly readme: string; readonly apply: (f: Files) => void }[] = [
  { readme: "**Stack file**", apply: (f) => {
    f.stacks[NEW_STACK] = { config: { ...structuredClone(f.stacks.secondary.config), "aws:region": NEW_REGION, "dr:vpcCidr": NEW_CIDR } };
  } },
  { readme: "**`dr:replicaRegions`** of the primary", apply: (f) => { (f.stacks.primary.config["dr:replicaRegions"] as string[]).push(NEW_REGION); } },
  { readme: "**`dr:allowedRegions` in every stack file**", apply: (f) => {
    for (const s of Object.values(f.stacks)) if (Array.isArray(s.config["dr:allowedRegions"])) (s.config["dr:allowedRegions"] as string[]).push(NEW_REGION);
  } },
  { readme: "**`policy/policy-config.json`**", apply: (f) => { f.policyConfig["data-residency"].allowedRegions.push(NEW_REGION); } },
  { readme: "**`dr:secondaryStacks`** of the links stack", apply: (f) => { (f.stacks.links.config["dr:secondaryStacks"] as string[]).push(`organization/dr-platform/${NEW_STACK}`); } },
];

function projectFiles(): Files {
  const stacks = Object.fromEntries(["primary", "secondary", "links"].map((s) => [s, parse(fs.readFileSync(path.join(EXAMPLE_DIR, `Pulumi.${s}.yaml`), "utf8")) as Yaml]));
  return { stacks, policyConfig: JSON.parse(fs.readFileSync(path.join(EXAMPLE_DIR, "policy", "policy-config.json"), "utf8")) as Files["policyConfig"] };
}

/** The example files with the recipe's steps applied, except `skip`, written to a fresh folder. */
function following(skip?: number): { dir: string; files: Files } {
  const files = projectFiles();
  RECIPE.forEach((step, i) => (i === skip ? undefined : step.apply(files)));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "add-region-"));
  fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  for (const [stack, yaml] of Object.entries(files.stacks)) fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify(yaml));
  return { dir, files };
}

function readmeRecipe(): string {
  const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
  const start = readme.indexOf("### Adding a region");
  expect(start, "README has an \"Adding a region\" section").to.be.greaterThan(-1);
  const end = readme.indexOf("\n#", start + 4);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe("adding a region (the README's recipe)", function () {
  this.timeout(60_000);
  let evaluated: EvaluatedStack[];
  let files: Files;
  before(async () => {
    const followed = following();
    files = followed.files;
    evaluated = await evaluatePlan(loadStackSet(followed.dir));
  });

  it("the README lists the recipe's steps, numbered, in this order", () => {
    const steps = [...readmeRecipe().matchAll(/^(\d+)\. (.*)$/gm)];
    expect(steps.map(([, n]) => Number(n))).to.deep.equal(RECIPE.map((_, i) => i + 1));
    steps.forEach(([, , text], i) => expect(text, `step ${i + 1}`).to.contain(RECIPE[i].readme));
  });

  it("plans as a deployable set: the new region's stack between the primary and links, its data replicated and copied to it", () => {
    expect(evaluated.map((e) => `${e.planned.stack} ${stackRegion(e.planned.config)}`)).to.deep.equal(["primary us-east-1", "secondary us-west-2", `${NEW_STACK} ${NEW_REGION}`, "links multi-region"]);
    const links = evaluated[3].evaluation.resources;
    const replication = links.filter((r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
    const destinations = replication.flatMap((r) => (r.inputs.rules as { destination: { bucket: string } }[]).map((x) => x.destination.bucket));
    const newBucket = (evaluated[2].evaluation.outputs.regional as { dataBucketName: string }).dataBucketName;
    expect(destinations).to.include(`arn:aws:s3:::${newBucket}`);
    const copies = links.filter((r) => r.type === "aws:backup/plan:Plan").flatMap((r) => (r.inputs.rules as { copyActions?: { destinationVaultArn: string }[] }[]).flatMap((x) => x.copyActions ?? []));
    expect(copies.map((c) => c.destinationVaultArn).filter((a) => a.includes(`:${NEW_REGION}:`))).to.have.length(1);
  });

  it("passes every mandatory policy as plan runs them, and data-residency as CrossGuard runs it with policy/policy-config.json", () => {
    expect(policySection(evaluated).outcomes.flatMap((o) => o.violations).filter((v) => v.enforcement === "mandatory")).to.deep.equal([]);
    const crossGuard = (allowed: string[]) => runPolicies(evaluated.map(({ planned, evaluation }) => ({
      view: { stack: planned.stack, role: planned.config.role, region: stackRegion(planned.config), resources: viewsOfRecorded(evaluation.resources) }, allowedRegions: allowed,
    })), [policyNamed("data-residency")]).flatMap((o) => o.violations);
    expect(crossGuard(files.policyConfig["data-residency"].allowedRegions)).to.deep.equal([]);
    // Step 4 skipped: the pack, reading the unchanged policy config, refuses the new region's stores.
    const skipped = crossGuard(projectFiles().policyConfig["data-residency"].allowedRegions);
    expect(skipped.map((v) => v.stack)).to.include(NEW_STACK);
    expect(skipped[0].message).to.contain(`stores data in ${NEW_REGION}`);
  });

  it("skipping a step of the stack files is refused before anything is registered, naming the key to fix", () => {
    const refusal = (skip: number) => {
      try {
        loadStackSet(following(skip).dir);
        return "accepted";
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(refusal(1)).to.contain("dr:replicaRegions").and.contain(NEW_REGION);
    expect(refusal(2)).to.contain("dr:allowedRegions").and.contain(NEW_REGION);
    expect(refusal(4)).to.contain("dr:secondaryStacks").and.contain(NEW_STACK);
  });
});
