/** The `dr drill` command line: modes, exit codes and the printed measurement lines. */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { registerDrillCommands } from "../../src/cli/drillCommands";
import { checkFaults } from "../../src/drills/drill";
import { scenario, scenarioNames } from "../../src/drills/scenarios";
import { FAULTS, SimState } from "../../src/drills/simState";
import { readStackConfig } from "../../src/engine/stackFiles";
import { parseStackConfig } from "../../stacks/configSchema";
import { readJournal } from "../../src/drills/journal";
import { dr, EXAMPLE_DIR, tempDir } from "./harness";

describe("dr drill (CLI)", function () {
  this.timeout(10_000);

  it("drill switchover --simulate completes on the example stack files and prints the three measurement lines", async () => {
    const journal = path.join(tempDir(), "j.jsonl");
    const { code, out } = await dr("drill", "switchover", "--simulate", "--cwd", EXAMPLE_DIR, "--journal", journal);
    expect(code).to.equal(0);
    for (const label of ["measured RTO", "model RTO", "measured RPO"]) expect(out.some((l) => new RegExp(`^${label} \\d+ s$`).test(l)), label).to.equal(true);
    expect(readJournal(journal)[0]).to.include({ step: "drill", event: "start" });
  });

  it("crash-after-cutover exits non-zero and resume --simulate finishes it", async () => {
    const journal = path.join(tempDir(), "j.jsonl");
    expect((await dr("drill", "switchover", "--simulate", "--fault", "crash-after-cutover", "--cwd", EXAMPLE_DIR, "--journal", journal)).code).to.equal(3);
    expect((await dr("drill", "resume", journal, "--simulate")).code).to.equal(0);
    expect(readJournal(journal).filter((e) => e.operation === "RDS.SwitchoverGlobalCluster" && e.event === "done")).to.have.length(1);
  });

  it("recovery-cloudwatch-impaired: the resume command the failed drill prints lifts the fault the operator is told to fix, and, run, completes", async () => {
    const journal = path.join(tempDir(), "j.jsonl");
    const failed = await dr("drill", "failover", "--simulate", "--fault", "recovery-cloudwatch-impaired", "--cwd", EXAMPLE_DIR, "--journal", journal);
    expect(failed.code).to.equal(1);
    const next = failed.out.find((l) => l.startsWith("after fixing the cause"))!;
    const command = /continue with: npm run dr -- (.+)$/.exec(next)![1];
    expect(command).to.equal(`drill resume ${journal} --simulate --fixed recovery-cloudwatch-impaired`);
    // Without --fixed the simulated CloudWatch still fails: the same step fails the same way.
    const replayed = await dr("drill", "resume", `${journal}`, "--simulate");
    expect(replayed.code).to.equal(1);
    expect(replayed.out.join("\n")).to.match(/stopped at switch-off-primary: us-west-2 CloudWatch.PutMetricData: InternalFailure/);
    const resumed = await dr(...command.split(" "));
    expect(resumed.code, resumed.out.join("\n")).to.equal(0);
    expect(resumed.out).to.include("simulated fix: recovery-cloudwatch-impaired lifted, CloudWatch in us-west-2 answers again");
    expect(resumed.out.some((l) => l.startsWith("!!! DRILL NOT COMPLETE"))).to.equal(false);
    const entries = readJournal(journal);
    expect(entries.filter((e) => e.step === "switch-off-primary").map((e) => e.event).slice(-1)).to.deep.equal(["done"]);
    expect(entries.some((e) => e.step === "confirm-switches" && e.event === "done")).to.equal(true);
    const sim = JSON.parse(fs.readFileSync(`${journal}.sim.json`, "utf8")) as SimState;
    expect(sim.faults).to.deep.equal([]);
    expect(sim.regions["us-west-2"].apiDown).to.deep.equal([]);
  });

  it("--fixed is refused for a fault the drill does not have, one no operator fixes, and outside --simulate", async () => {
    const journal = path.join(tempDir(), "j.jsonl");
    expect((await dr("drill", "switchover", "--simulate", "--fault", "timeout", "--cwd", EXAMPLE_DIR, "--journal", journal)).code).to.equal(1);
    const absent = await dr("drill", "resume", journal, "--simulate", "--fixed", "recovery-cloudwatch-impaired");
    expect(absent.code).to.equal(1);
    expect(absent.err.join("\n")).to.include("--fixed recovery-cloudwatch-impaired: the simulated drill of").and.include("does not have that fault");
    const unfixable = await dr("drill", "resume", journal, "--simulate", "--fixed", "timeout");
    expect(unfixable.err.join("\n")).to.include("--fixed timeout: only a fault that models a condition the operator fixes can be lifted (recovery-cloudwatch-impaired)");
    // A name every object inherits is no fault.
    const inherited = await dr("drill", "resume", journal, "--simulate", "--fixed", "constructor");
    expect(inherited.err.join("\n")).to.include("--fixed constructor: only a fault that models a condition the operator fixes can be lifted");
    const real = await dr("drill", "resume", journal, "--execute", "--fixed", "recovery-cloudwatch-impaired");
    expect(real.err.join("\n")).to.include("--fixed recovery-cloudwatch-impaired only applies with --simulate");
  });

  it("a refusing gate exits 2; conflicting modes are a usage error", async () => {
    const refused = await dr("drill", "switchover", "--simulate", "--fault", "lag-over-target", "--cwd", EXAMPLE_DIR, "--journal", path.join(tempDir(), "j.jsonl"));
    expect(refused.code).to.equal(2);
    expect(refused.out.join("\n")).to.include("--force replication-lag");
    const both = await dr("drill", "switchover", "--simulate", "--execute", "--cwd", EXAMPLE_DIR);
    expect(both.code).to.equal(1);
    expect(both.err.join("\n")).to.include("choose one of --dry-run, --simulate, --execute");
  });

  it("--dry-run is the default and changes nothing: it prints calls and no journal", async () => {
    const { code, out } = await dr("drill", "failover", "--cwd", EXAMPLE_DIR);
    expect(code).to.equal(0);
    expect(out.some((l) => l.startsWith("us-west-2 RDS.FailoverGlobalCluster "))).to.equal(true);
    expect(out.some((l) => l.startsWith("drill failover (") || l.includes("journal"))).to.equal(false);
  });
});

describe("dr drill <scenario> --help", () => {
  it("lists exactly the faults each scenario can meet, and the drill accepts every fault its help lists", () => {
    const program = new Command("dr");
    registerDrillCommands(program);
    const drill = program.commands.find((c) => c.name() === "drill")!;
    for (const name of scenarioNames()) {
      const help = drill.commands.find((c) => c.name() === name)!.helpInformation().replace(/\s+/g, " ");
      const listed = /inject a fault the \S+ drill can meet \(([^)]*)\)/.exec(help);
      expect(listed, `${name} --help`).to.not.equal(null);
      const faults = listed![1].split(", ").map((f) => f.trim());
      for (const f of FAULTS) {
        const refusal = (() => { try { checkFaults(scenario(name), [f]); return undefined; } catch (e) { return (e as Error).message; } })();
        if (faults.includes(f)) expect(refusal, `${name} --fault ${f}`).to.equal(undefined);
        else expect(refusal, `${name} --fault ${f}`).to.be.a("string").and.contain("cannot happen");
      }
    }
  });
});

describe("dr drill undo", function () {
  this.timeout(10_000);

  it("after a completed switchover, undoes nothing the new writer depends on: the scale-out becomes a by-hand step for after switching back", async () => {
    const journal = path.join(tempDir(), "j.jsonl");
    // The timeout fault stops the drill at wait-capacity-healthy, after switchover-database finished.
    expect((await dr("drill", "switchover", "--simulate", "--fault", "timeout", "--cwd", EXAMPLE_DIR, "--journal", journal)).code).to.equal(1);
    const before = (JSON.parse(fs.readFileSync(`${journal}.sim.json`, "utf8")) as SimState).regions["us-west-2"].groups.map((g) => g.desired);
    const { code, out } = await dr("drill", "undo", journal, "--simulate");
    expect(code).to.equal(0);
    const text = out.join("\n");
    expect(text).not.to.include("- undone scale-out-recovery");
    expect(text).to.match(/by hand \(not automated\):\n {2}- switchover-database: switch back.*\n {2}- scale-out-recovery: .*only after switchover-database is reversed/);
    const sim = JSON.parse(fs.readFileSync(`${journal}.sim.json`, "utf8")) as SimState;
    // The new writer region keeps the capacity the drill gave it (the primary's desired), not its standby size.
    const [primary, secondary] = ["primary", "secondary"].map((s) => parseStackConfig(readStackConfig(EXAMPLE_DIR, s), s));
    const full = (["web", "app"] as const).map((t) => Math.min(primary.capacity[t].desired, secondary.capacity[t].max));
    expect(sim.regions["us-west-2"].groups.map((g) => g.desired)).to.deep.equal(before).and.to.deep.equal(full);
    expect(sim.calls.filter((c) => c.operation === "SetDesiredCapacity" && c.region === "us-west-2")).to.have.length(2); // the scale-out's two, no undo
  });
});
