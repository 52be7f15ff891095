/** `dr gameday <scenario>`: the experiment and its drill together, both journaled, with the measured RTO/RPO. */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { SCENARIOS } from "../../components/resilience/gameDayPlan";
import { DrillHeader, readJournal } from "../../src/drills/journal";
import { FAULTS } from "../../src/drills/simState";
import { readStackConfig } from "../../src/engine/stackFiles";
import { dr, EXAMPLE_DIR, tempDir } from "./harness";

const measured = (out: string[], what: "RTO" | "RPO") => Number(out.find((l) => l.startsWith(`measured ${what} `))?.split(" ")[2]);

describe("dr gameday (CLI)", function () {
  this.timeout(30_000);
  const primaryRegion = readStackConfig(EXAMPLE_DIR, "primary")["aws:region"];
  const secondaryRegion = readStackConfig(EXAMPLE_DIR, "secondary")["aws:region"];
  let dark: { code: number; out: string[]; journal: string };
  before(async () => {
    const journal = path.join(tempDir(), "gameday.jsonl");
    dark = { ...(await dr("gameday", "primary-dark", "--simulate", "--cwd", EXAMPLE_DIR, "--journal", journal)), journal };
  });

  it("primary-dark --simulate runs the experiment in the primary's region and the failover drill with the primary down, and prints the measured RTO/RPO", () => {
    expect(dark.code).to.equal(0);
    expect(measured(dark.out, "RTO")).to.be.greaterThan(0);
    expect(measured(dark.out, "RPO")).to.be.at.least(0);
    const entries = readJournal(dark.journal);
    expect(entries.map((e) => [e.step, e.event, e.region])).to.deep.equal([["experiment", "start", primaryRegion], ["experiment", "done", primaryRegion]]);
    const drillJournal = dark.journal.replace(/\.jsonl$/, "-drill.jsonl");
    const header = readJournal(drillJournal)[0].detail as DrillHeader;
    expect([header.scenario, header.faults]).to.deep.equal(["failover", ["primary-region-down"]]);
    expect(JSON.stringify(entries[1].detail)).to.include(`measured RTO ${measured(dark.out, "RTO")} s`);
  });

  it("capacity-denied runs in the recovery region and its failover scales out slower than primary-dark's (degraded scale-out)", async () => {
    const journal = path.join(tempDir(), "capacity.jsonl");
    const { out } = await dr("gameday", "capacity-denied", "--simulate", "--cwd", EXAMPLE_DIR, "--journal", journal);
    expect(readJournal(journal)[0].region).to.equal(secondaryRegion);
    expect(SCENARIOS["capacity-denied"].simulatorFaults).to.deep.equal(["insufficient-capacity"]);
    expect(measured(out, "RTO")).to.be.greaterThan(measured(dark.out, "RTO"));
  });

  it("every scenario's simulator faults are ones the simulator plays (runGameDay would drop any other without a word)", () => {
    for (const s of Object.values(SCENARIOS)) {
      expect(s.simulatorFaults, s.name).to.not.be.empty;
      expect([...FAULTS], s.name).to.include.members([...s.simulatorFaults]);
    }
  });

  it("partition --simulate (drill readiness, no cut-over) says nothing was measured, not \"n/a s\"", async () => {
    const { out } = await dr("gameday", "partition", "--simulate", "--cwd", EXAMPLE_DIR, "--journal", path.join(tempDir(), "partition.jsonl"));
    const summary = out.find((l) => l.startsWith("game day partition:"));
    expect(summary).to.contain("drill readiness").and.contain("no RTO or RPO measured");
    expect(summary).to.not.contain("n/a");
  });

  it("--dry-run (the default) prints the FIS calls in the owning region and the drill's calls, and writes no journal", async () => {
    const dir = tempDir();
    const { code, out } = await dr("gameday", "partition", "--cwd", EXAMPLE_DIR, "--journal", path.join(dir, "p.jsonl"));
    expect(code).to.equal(0);
    expect(out.filter((l) => l.includes(" fis ")).map((l) => l.split(" ")[0])).to.deep.equal([primaryRegion, primaryRegion]);
    expect(out.some((l) => l.startsWith("# drill readiness --dry-run"))).to.equal(true);
    expect(fs.existsSync(path.join(dir, "p.jsonl"))).to.equal(false);
  });
});
