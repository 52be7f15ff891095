/**
 * Outage shapes the on-call meets that the basic faults do not: CloudWatch impaired in the region
 * that hosts the lost region's switch (and reads the lag), together with the loss of the primary.
 */
import { expect } from "chai";
import * as fs from "fs";
import { SimState } from "../../src/drills/simulator";
import { resume, simulate } from "./harness";

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
