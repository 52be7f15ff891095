/**
 * Outage shapes the on-call meets that the basic faults do not: CloudWatch impaired in the region
 * that hosts the lost region's switch (and reads the lag), together with the loss of the primary.
 */
import { expect } from "chai";
import * as fs from "fs";
import { SimState } from "../../src/drills/simState";
import { projectWith, resume, simulate } from "./harness";

describe("outage shapes: CloudWatch impaired in the recovery region while the primary is lost", function () {
  this.timeout(10_000);

  it("--force region-switch recovers without the switch-off (DNS moves by the endpoint check), ends NOT complete, and resume switches the old region off once CloudWatch answers", async () => {
    const r = await simulate("failover", { faults: ["recovery-cloudwatch-impaired", "primary-region-down"], force: ["region-switch"] });
    // Recovered: the writer moved and clients reach us-west-2 ...
    expect(r.sim.writer).to.equal("us-west-2");
    expect(r.journal.some((e) => e.step === "verify-service" && e.event === "done")).to.equal(true);
    // ... but a measurement never held it back (RPO unknown), and the switch-off is left to do: not complete.
    expect(r.journal.filter((e) => e.event === "skipped").map((e) => e.step)).to.include.members(["switch-off-primary", "read-lag-at-cutover"]);
    expect(r.journal.filter((e) => e.step === "confirm-switches").map((e) => e.event)).to.deep.equal(["start", "failed"]);
    expect(r.result.exitCode).to.not.equal(0);
    expect(r.sim.regions["us-east-1"].switch).to.deep.equal([]);
    // CloudWatch answers again: resume writes the switch-off and completes, without a second cut-over.
    const file = `${r.journalFile}.sim.json`;
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as SimState;
    state.regions["us-west-2"].apiDown = [];
    fs.writeFileSync(file, JSON.stringify(state));
    const again = await resume(r.journalFile);
    expect(again.result.exitCode).to.equal(0);
    expect(again.sim.regions["us-east-1"].switch.map((w) => w.on)).to.deep.equal([false]);
    expect(again.sim.calls.filter((c) => c.operation === "FailoverGlobalCluster")).to.have.length(1);
  });
});

describe("outage shapes: a failover interrupted between the switch-off and the cut-over", function () {
  this.timeout(10_000);

  it("pilot light: the process dies right after the old region's switch-off; resume goes on to the one cut-over and DNS ends on the recovery region", async () => {
    const dir = projectWith((t) => t.replace("dr:strategy: warm-standby", "dr:strategy: pilot-light"));
    const r = await simulate("failover", { cwd: dir, faults: ["crash-after-switch-off"] });
    // Died: the old region is switched off (DNS moving to capacity that stands) while it still holds the writer.
    expect(r.result.exitCode).to.not.equal(0);
    expect(r.sim.regions["us-east-1"].switch.map((w) => w.on)).to.deep.equal([false]);
    expect(r.sim.writer).to.equal("us-east-1");
    expect(r.sim.calls.filter((c) => c.operation === "FailoverGlobalCluster")).to.deep.equal([]);
    expect(r.lines.join("\n")).to.contain(`drill resume ${r.journalFile} --simulate`);
    const again = await resume(r.journalFile);
    expect(again.result.exitCode).to.equal(0);
    expect(again.sim.writer).to.equal("us-west-2");
    expect(again.sim.calls.filter((c) => c.operation === "FailoverGlobalCluster")).to.have.length(1);
    // The switch-off was not finished in the journal, so resume wrote it again: idempotent, still off.
    expect(again.sim.regions["us-east-1"].switch.map((w) => w.on)).to.deep.equal([false, false]);
    expect(again.journal.some((e) => e.step === "verify-service" && e.event === "done")).to.equal(true);
  });
});
