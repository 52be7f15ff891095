/**
 * Three regions (test/fixtures/three-region): the drill's target is the region holding the SECONDARY
 * failover record (the first of the primary's dr:replicaRegions), whatever the stack files are
 * named; --to another region is refused with the change that makes it the SECONDARY; readiness
 * checks every secondary.
 */
import { expect } from "chai";
import { runDrill } from "../../src/drills/drill";
import { DrillError } from "../../src/drills/errors";
import { recoverySection } from "../../src/plan/recovery";
import { loadStackSet } from "../../src/plan/stackSet";
import { dr, failure, simulate, threeRegionWith } from "./harness";


describe("drills with three regions", function () {
  this.timeout(10_000);
  // Renamed so that file order would pick eu-west-1 ("alpha" sorts before "zulu"): the SECONDARY holder is us-west-2.
  const renamed = threeRegionWith({ secondary: "zulu", tertiary: "alpha" });

  it("failover --dry-run targets the SECONDARY holder (us-west-2), not the first stack file", async () => {
    const { code, out } = await dr("drill", "failover", "--cwd", renamed);
    expect(code).to.equal(0);
    expect(out.some((l) => l.startsWith("# drill failover --dry-run: us-east-1 -> us-west-2; nothing is changed"))).to.equal(true);
    expect(out.some((l) => l.startsWith("us-west-2 RDS.FailoverGlobalCluster "))).to.equal(true);
    expect(out.filter((l) => l.startsWith("eu-west-1 "))).to.deep.equal([]);
  });

  it("follows dr:replicaRegions: with eu-west-1 first, eu-west-1 is the target", async () => {
    const swapped = threeRegionWith({}, (_f, t) => t.replace("    - us-west-2\n    - eu-west-1", "    - eu-west-1\n    - us-west-2"));
    const { out } = await dr("drill", "failover", "--cwd", swapped);
    expect(out.some((l) => l.startsWith("# drill failover --dry-run: us-east-1 -> eu-west-1; nothing is changed"))).to.equal(true);
  });

  it("--to the SECONDARY holder works; --to a region outside the failover pair is refused with the config change and deploy order", async () => {
    expect((await dr("drill", "failover", "--cwd", renamed, "--to", "us-west-2")).code).to.equal(0);
    const err = await failure(runDrill({ scenario: "failover", mode: "dry-run", cwd: renamed, to: "eu-west-1", log: () => undefined }));
    expect(err).to.be.instanceOf(DrillError);
    expect(err!.message)
      .to.include('stack "alpha" (eu-west-1) holds no failover record')
      .and.to.include("Route 53's control plane (us-east-1)")
      .and.to.include("set dr:replicaRegions in Pulumi.primary.yaml to [eu-west-1, us-west-2]")
      .and.to.include("'pulumi up' stacks primary, zulu, alpha in that order");
    const elsewhere = await failure(runDrill({ scenario: "failover", mode: "dry-run", cwd: renamed, to: "ap-south-1", log: () => undefined }));
    expect(elsewhere!.message).to.include("not a region of this deployment");
    const cli = await dr("drill", "switchover", "--cwd", renamed, "--to", "eu-west-1");
    expect(cli.code).to.equal(1);
    expect(cli.err.join("\n")).to.include("holds no failover record");
  });

  it("readiness checks every secondary, and every region's switch", async () => {
    const r = await simulate("readiness", { cwd: renamed });
    expect(r.result.exitCode).to.equal(0);
    const done = r.journal.filter((e) => e.event === "done").map((e) => e.step);
    for (const step of ["gate-recovery-health", "gate-ami", "gate-recovery-health-eu-west-1", "gate-ami-eu-west-1", "check-recovery-capacity-eu-west-1", "check-switches"]) expect(done, step).to.include(step);
    // One DescribeAlarms per region: each switch read where it lives.
    expect(r.sim.calls.filter((c) => c.operation === "DescribeAlarms").map((c) => `${c.region} ${(c.params.AlarmNames as string[])[0]}`)).to.deep.equal([
      "us-west-2 orders-prod-switch-us-east-1", "us-east-1 orders-prod-switch-us-west-2", "us-east-1 orders-prod-switch-eu-west-1",
    ]);
  });
});

describe("plan with three regions", () => {
  it("the recovery figures for a region outside the failover pair name the record change they need first", () => {
    const section = recoverySection(loadStackSet(threeRegionWith({ secondary: "zulu", tertiary: "alpha" })));
    const md = section.markdown;
    const alpha = md.slice(md.indexOf("to alpha (eu-west-1)"));
    const zulu = md.slice(md.indexOf("to zulu (us-west-2)"), md.indexOf("to alpha (eu-west-1)"));
    expect(alpha).to.include("**Needs a record change first:** eu-west-1 holds no failover record (zulu holds the SECONDARY)")
      .and.to.include("set dr:replicaRegions of primary to [eu-west-1, us-west-2] and deploy primary, zulu, alpha, then links");
    expect(zulu).not.to.include("Needs a record change");
    // The terminal summary says so too, for that region only.
    expect(section.summary.find((l) => l.startsWith("RTO/RPO to alpha:"))).to.include("needs a record change first");
    expect(section.summary.find((l) => l.startsWith("RTO/RPO to zulu:"))).to.not.include("record change");
  });
});
