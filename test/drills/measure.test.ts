/** RTO and RPO read from a journal written by hand (the measurement's rules, not a run's numbers). */
import { expect } from "chai";
import { JournalEntry } from "../../src/drills/journal";
import { measure, measurementLines } from "../../src/drills/measure";
import { scenario } from "../../src/drills/scenarios";
import { fixtureInputs } from "./harness";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();
const e = (s: number, step: string, event: JournalEntry["event"], detail?: JournalEntry["detail"]): JournalEntry => ({ at: at(s), step, event, operation: "x", region: "us-west-2", ...(detail ? { detail } : {}) });

function journal(canaryFound: boolean): JournalEntry[] {
  return [
    e(0, "switch-off-primary", "start"), e(1, "switch-off-primary", "done"),
    e(0, "write-canary", "start"), e(0, "write-canary", "done", { facts: { canaryKey: "k", canaryWrittenAt: Date.parse(at(0)) } }),
    e(10, "scale-out-recovery", "start"), e(11, "scale-out-recovery", "done"),
    e(40, "read-lag-at-cutover", "start"), e(40, "read-lag-at-cutover", "done", { facts: { lagAtCutoverSeconds: 7 } }),
    e(40, "failover-database", "start"), e(41, "failover-database", "done"),
    e(250, "verify-service", "start"), e(260, "verify-service", "done"),
    e(260, "check-canary", "start"), canaryFound ? e(275, "check-canary", "done", { facts: { canaryFound: true } }) : e(1160, "check-canary", "skipped", "timed out"),
  ];
}

describe("drill measurements", () => {
  it("RTO runs from the first recovery step to the recovered step; RPO is the lag at the cut-over when the canary arrived", async () => {
    const inputs = await fixtureInputs();
    const sc = scenario("failover");
    const m = measure(journal(true), sc, sc.steps(inputs, inputs.primary, inputs.secondary), inputs);
    expect(m.rtoSeconds).to.equal(260); // 0 s (the old region switched off: the loss on a game day) -> 260 s (verify-service done)
    expect(m.rpoSeconds).to.equal(7);
    expect(m.canary).to.equal("found");
    // The model's figure for a failover moved by the switch (the example's CloudWatch switch): the
    // slowest of the switch (one 60 s standard-resolution alarm period + 30 s assumed pickup) + the
    // 60 s alias TTL, Aurora's promotion "in less than a minute" (60 s), and a warm-pool start (30 s)
    // + one 5 s target-group check.
    const model = Math.max(60 + 30 + 60, 60, 30 + 5);
    expect(measurementLines(m).slice(0, 3)).to.deep.equal(["measured RTO 260 s", `model RTO ${model} s`, "measured RPO 7 s"]);
  });

  it("a canary that never arrived adds everything written since it to the loss", async () => {
    const inputs = await fixtureInputs();
    const sc = scenario("failover");
    const m = measure(journal(false), sc, sc.steps(inputs, inputs.primary, inputs.secondary), inputs);
    expect(m.canary).to.equal("missing");
    expect(m.rpoSeconds).to.equal(7 + 40); // lag + (cut-over start 40 s - canary 0 s)
  });

  it("a switchover loses no lag (it synchronizes first), and RPO stays unknown until the canary was looked for", async () => {
    const inputs = await fixtureInputs();
    const sc = scenario("switchover");
    const entries = journal(true).map((x) => (x.step === "failover-database" ? { ...x, step: "switchover-database" } : x));
    const steps = sc.steps(inputs, inputs.primary, inputs.secondary);
    expect(measure(entries, sc, steps, inputs).rpoSeconds).to.equal(0);
    expect(measure(entries.filter((x) => x.step !== "check-canary"), sc, steps, inputs)).to.include({ rpoSeconds: undefined, canary: "not checked" });
  });

  it("an RTO or RPO exactly on its target is met, one second over is MISSED", () => {
    const lines = (rtoSeconds: number, rpoSeconds: number) => measurementLines({ rtoSeconds, rpoSeconds, targetRtoSeconds: 120, targetRpoSeconds: 5, lagAtCutoverSeconds: rpoSeconds, canary: "found", facts: {}, steps: [] });
    expect(lines(120, 5)).to.include.members(["RTO target 120 s: met"]);
    expect(lines(120, 5).some((l) => l.startsWith("RPO target 5 s: met"))).to.equal(true);
    expect(lines(121, 6)).to.include.members(["RTO target 120 s: MISSED"]);
    expect(lines(121, 6).some((l) => l.startsWith("RPO target 5 s: MISSED"))).to.equal(true);
  });

  it("a drill that stopped before recovering prints no RPO as met, even one within its target", () => {
    const lines = (rpoSeconds: number) => measurementLines({ rpoSeconds, targetRtoSeconds: 120, targetRpoSeconds: 5, canary: "not used", facts: {}, steps: [], recovered: false });
    expect(lines(3).find((l) => l.startsWith("RPO target"))).to.match(/^RPO target 5 s: not reached \(the drill stopped before recovering; within the target\)/);
    expect(lines(9).find((l) => l.startsWith("RPO target"))).to.match(/^RPO target 5 s: not reached \(the drill stopped before recovering; past the target\)/);
    for (const rpo of [3, 9]) expect(lines(rpo).join("\n")).to.not.match(/: met/);
  });
});
