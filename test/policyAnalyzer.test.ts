/**
 * The policy pack as the Pulumi CLI runs it: started once through @pulumi/pulumi's run-policy-pack
 * in policy/, spoken to over the Analyzer gRPC protocol, fed the example stacks as a first preview
 * (every cloud-assigned value unknown) and as an update (outputs known).
 */
import { expect } from "chai";
import type * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { stackViewOf } from "../policy/crossGuard";
import { RecordedLike, viewsOfRecorded } from "../policy/recorded";
import { allPolicies } from "../policy/registry";
import { runPolicies } from "../policy/run";
import type { EvaluatedStack } from "../src/plan/evaluatePlan";
import { Diagnostic, inMode, RunningPack } from "./harness/analyzer";
import { readStackConfig } from "../src/engine/stackFiles";
import { examplePlan } from "./harness/examplePlan";
import { EXAMPLE_DIR } from "./harness/stack";

const MODES = ["preview", "update"] as const;
const PRIMARY_REGION = "us-east-1";

/** Per policy, the URNs it flagged (mandatory and advisory apart): a verdict to compare across modes and runners. */
function verdicts(found: readonly { policy: string; urn?: string; mandatory: boolean }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of allPolicies()) out[p.name] = [];
  for (const d of found) out[d.policy].push(`${d.mandatory ? "mandatory" : "advisory"} ${d.urn ?? ""}`);
  for (const k of Object.keys(out)) out[k] = [...new Set(out[k])].sort();
  return out;
}

const mandatoryOf = (ds: readonly Diagnostic[]) => ds.filter((d) => d.mandatory).map((d) => `${d.policy}: ${d.message}`);

describe("policy pack through the Analyzer protocol (run-policy-pack, as the Pulumi CLI starts it)", function () {
  this.timeout(60_000);
  let pack: RunningPack;
  let evaluated: EvaluatedStack[];
  let policies: pb.PolicyInfo[];
  const stackOf = (name: string) => evaluated.find((e) => e.planned.stack === name)!;
  const resourcesOf = (name: string): RecordedLike[] => [...stackOf(name).evaluation.resources];
  const allowedRegions = () => JSON.parse(stackOf("primary").planned.rawConfig["dr:allowedRegions"]) as string[];

  before(async () => {
    // Started once, while the example evaluates: its first start compiles the pack with ts-node (seconds).
    const config = readStackConfig(EXAMPLE_DIR, "primary");
    [pack] = await Promise.all([RunningPack.start(config), examplePlan().then((p) => (evaluated = [...p.evaluated]))]);
    await pack.handshake();
    await pack.configureStack("primary", config, true);
    policies = (await pack.info()).getPoliciesList();
    await pack.configure(policies);
  });
  after(() => pack?.stop());

  it("lists every policy of the registry (30 or more) with its enforcement level", () => {
    expect(policies.length).to.be.at.least(30);
    expect(policies.map((p) => p.getName()).sort()).to.deep.equal(allPolicies().map((p) => p.name).sort());
    for (const p of allPolicies())
      expect(policies.find((i) => i.getName() === p.name)!.getEnforcementlevel(), p.name).to.equal(p.enforcement === "mandatory" ? 1 : 0);
  });

  it("the example's region stacks share one dr:allowedRegions, the list the pack reads from the stack config", () => {
    const secondary = JSON.parse(stackOf("secondary").planned.rawConfig["dr:allowedRegions"]) as string[];
    expect(allowedRegions()).to.include.members(["us-east-1", "us-west-2"]);
    expect(secondary).to.deep.equal(allowedRegions());
  });

  for (const stack of ["primary", "secondary", "links"]) {
    describe(`the example's ${stack} stack`, () => {
      const found: Partial<Record<(typeof MODES)[number], Diagnostic[]>> = {};
      before(async () => {
        for (const mode of MODES) found[mode] = await pack.analyzeStack(inMode(resourcesOf(stack), mode));
      });

      it("has no mandatory violation, in the first preview and in the update", () => {
        for (const mode of MODES) expect(mandatoryOf(found[mode]!), mode).to.deep.equal([]);
      });

      it("has no policy downgraded to \"can't run ... during preview\"", () => {
        for (const mode of MODES) expect(found[mode]!.filter((d) => /can't run/.test(d.message)).map((d) => d.message), mode).to.deep.equal([]);
      });

      it("gets the same verdict from every policy in both modes, and the same as the policies run directly", () => {
        expect(verdicts(found.preview!)).to.deep.equal(verdicts(found.update!));
        const direct = runPolicies([{ view: stackViewOf(viewsOfRecorded(resourcesOf(stack))), allowedRegions: allowedRegions() }], allPolicies(), false);
        const directFound = direct.flatMap((o) => o.violations.map((v) => ({ policy: v.policy, urn: v.urn, mandatory: v.enforcement === "mandatory" })));
        expect(verdicts(found.update!)).to.deep.equal(verdicts(directFound));
      });

      it("sends a first preview with ids and ARNs unknown, and property dependencies to match by", () => {
        const preview = inMode(resourcesOf(stack), "preview");
        expect(preview.filter((r) => Object.values(r.outputs ?? {}).includes("[unknown]")).length).to.be.greaterThan(5);
        expect(preview.filter((r) => Object.keys(r.propertyDependencies ?? {}).length).length).to.be.greaterThan(5);
      });
    });
  }

  describe("refuses in the first preview, with the resource and the fix", () => {
    const one = (rs: RecordedLike[], type: string, test: (r: RecordedLike) => boolean = () => true) => {
      const found = rs.filter((r) => r.type === type && test(r));
      if (!found.length) throw new Error(`no ${type} in the stack`);
      return found[0];
    };
    // Analyze for the resources a case adds or changes (the example's own were analyzed above), AnalyzeStack for the whole stack.
    const previewOf = async (rs: RecordedLike[], changed: readonly RecordedLike[] = []) => pack.analyzeStack(inMode(rs, "preview"), new Set(changed.map((r) => r.urn)));
    const mandatoryFor = (ds: Diagnostic[], policy: string) => ds.filter((d) => d.mandatory && d.policy === policy);

    it("a launch template that allows IMDSv1", async () => {
      const rs = resourcesOf("primary");
      const lt = one(rs, "aws:ec2/launchTemplate:LaunchTemplate");
      const edited = rs.map((r) => (r === lt ? { ...r, inputs: { ...r.inputs, metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional" } } } : r));
      const found = mandatoryFor(await previewOf(edited, [lt]), "launch-template-imdsv2");
      expect(found.map((d) => d.urn)).to.deep.equal([lt.urn]);
      expect(found[0].message).to.contain(lt.name).and.to.contain('httpTokens to "required"');
    });

    const bucketWithout = (companionType: string) => async () => {
      const rs = resourcesOf("primary");
      const companion = one(rs, companionType, (r) => /data/.test(r.name));
      const bucket = rs.find((r) => r.urn === companion.propertyDependencies!.bucket[0])!;
      return { bucket, found: await previewOf(rs.filter((r) => r !== companion)) };
    };

    it("a bucket without a public access block", async () => {
      const { bucket, found } = await bucketWithout("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")();
      const hits = mandatoryFor(found, "s3-public-access-blocked");
      expect(hits.map((d) => d.urn)).to.deep.equal([bucket.urn]);
      expect(hits[0].message).to.contain(bucket.name).and.to.contain("add one with blockPublicAcls");
    });

    it("a bucket without default encryption", async () => {
      const { bucket, found } = await bucketWithout("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")();
      const hits = mandatoryFor(found, "s3-encryption");
      expect(hits.map((d) => d.urn)).to.deep.equal([bucket.urn]);
      expect(hits[0].message).to.contain(bucket.name).and.to.contain('sseAlgorithm "aws:kms"');
    });

    it("a secondary resource registered through a provider of another region", async () => {
      const rs = resourcesOf("secondary");
      const home = one(rs, "pulumi:providers:aws");
      const foreign = { ...home, name: "primary-region", urn: home.urn.replace(/::[^:]+$/, "::primary-region"), inputs: { ...home.inputs, region: PRIMARY_REGION } };
      const topic: RecordedLike = { type: "aws:sns/topic:Topic", name: "cross-region-topic", urn: home.urn.replace(/pulumi:providers:aws::[^:]+$/, "aws:sns/topic:Topic::cross-region-topic"),
        parent: home.parent, inputs: {}, outputs: { arn: "arn:aws:sns:us-east-1:123456789012:cross-region-topic" }, id: "cross-region-topic", region: PRIMARY_REGION,
        provider: `${foreign.urn}::primary-region-provider-id`, custom: true };
      const hits = mandatoryFor(await previewOf([...rs, foreign, topic], [foreign, topic]), "static-stability");
      expect(hits.map((d) => d.urn)).to.include.members([foreign.urn, topic.urn]);
      expect(hits.find((d) => d.urn === topic.urn)!.message).to.contain("cross-region-topic").and.to.contain("move it to the links stack");
    });

    describe("a data store outside dr:allowedRegions", () => {
      const withForeignBucket = () => {
        const rs = resourcesOf("primary");
        const home = one(rs, "pulumi:providers:aws");
        const provider = { ...home, name: "frankfurt", urn: home.urn.replace(/::[^:]+$/, "::frankfurt"), inputs: { ...home.inputs, region: "eu-central-1" } };
        const bucket: RecordedLike = { type: "aws:s3/bucket:Bucket", name: "frankfurt-data", urn: home.urn.replace(/pulumi:providers:aws::[^:]+$/, "aws:s3/bucket:Bucket::frankfurt-data"),
          parent: home.parent, inputs: { forceDestroy: false }, outputs: { bucket: "frankfurt-data-1234567", arn: "arn:aws:s3:::frankfurt-data-1234567" }, id: "frankfurt-data-1234567",
          region: "eu-central-1", provider: `${provider.urn}::frankfurt-provider-id`, custom: true };
        return { rs: [...rs, provider, bucket], bucket };
      };

      it("read from the stack config the CLI passes, with no policy-config file", async () => {
        const { rs, bucket } = withForeignBucket();
        const hits = mandatoryFor(await previewOf(rs, rs.slice(-2)), "data-residency");
        expect(hits.map((d) => d.urn)).to.deep.equal([bucket.urn]);
        expect(hits[0].message).to.contain("frankfurt-data").and.to.contain("eu-central-1").and.to.contain(`outside dr:allowedRegions (${allowedRegions().join(", ")})`);
      });

      it("a policy-config file overrides the stack's list, and their disagreement is reported (advisory)", async () => {
        const { rs, bucket } = withForeignBucket();
        const widened = [...allowedRegions(), "eu-central-1"];
        await pack.configure(policies, { "data-residency": { allowedRegions: widened } });
        try {
          const found = (await previewOf(rs, rs.slice(-2))).filter((d) => d.policy === "data-residency");
          expect(found.filter((d) => d.mandatory).map((d) => d.urn)).to.not.include(bucket.urn);
          const disagreement = found.filter((d) => !d.mandatory);
          expect(disagreement).to.have.length(1);
          expect(disagreement[0].message).to.contain(widened.join(", ")).and.to.contain(allowedRegions().join(", ")).and.to.contain("disagree");
        } finally {
          await pack.configure(policies);
        }
      });
    });
  });
});
