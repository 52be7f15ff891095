/** RTO and RPO read from a journal written by hand (the measurement's rules, not a run's numbers). */
import { expect } from "chai";
import { JournalEntry } from "../../src/drills/journal";
import { measure, measurementLines, rpoVerdict, StoreRpo } from "../../src/drills/measure";
import { scenario } from "../../src/drills/scenarios";
import { fixtureInputs } from "./harness";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();
const e = (s: number, step: string, event: JournalEntry["event"], detail?: JournalEntry["detail"]): JournalEntry => ({ at: at(s), step, event, operation: "x", region: "us-west-2", ...(detail ? { detail } : {}) });

function journal(canaryFound: boolean, lag = 7): JournalEntry[] {
  return [
    e(0, "switch-off-primary", "start"), e(1, "switch-off-primary", "done"),
    e(0, "write-canary", "start"), e(0, "write-canary", "done", { facts: { canaryKey: "k", canaryWrittenAt: Date.parse(at(0)) } }),
    e(10, "scale-out-recovery", "start"), e(11, "scale-out-recovery", "done"),
    e(40, "read-lag-at-cutover", "start"), e(40, "read-lag-at-cutover", "done", { facts: { lagAtCutoverSeconds: lag } }),
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

  it("a canary that never arrived puts the objects' RPO at least at its age when the wait gave up, judged against the objects' target, apart from the database's", async () => {
    const inputs = await fixtureInputs();
    const sc = scenario("failover");
    // The example's objectives (Pulumi.primary.yaml): database 1 s, objects 900 s (S3 RTC), secrets 60 s.
    const m = measure(journal(false, 1), sc, sc.steps(inputs, inputs.primary, inputs.secondary), inputs);
    expect(m.canary).to.equal("missing");
    const byStore = Object.fromEntries(m.rpo.map((s) => [s.store, s]));
    expect(byStore.database).to.deep.include({ seconds: 1, targetSeconds: 1, verdict: "met" });
    // Written at 0 s, still missing when check-canary gave up at 1160 s.
    expect(byStore.objects).to.deep.include({ seconds: 1160, atLeast: true, targetSeconds: 900, verdict: "MISSED" });
    expect(byStore.secrets).to.deep.include({ targetSeconds: 60, verdict: "not measured" });
    expect(byStore.secrets.seconds).to.equal(undefined);
    expect(m.rpoSeconds).to.equal(1160); // the worst store measured
    const lines = measurementLines(m);
    expect(lines).to.include("measured RPO 1160 s");
    expect(lines.find((l) => l.startsWith("RPO objects "))).to.match(/^RPO objects at least 1160 s, target 900 s: MISSED \(the canary k never arrived: still missing 1160 s after it was written/);
    expect(lines.find((l) => l.startsWith("RPO database "))).to.match(/^RPO database 1 s, target 1 s: met \(lag at cut-over 1 s\)/);
    expect(lines.at(-1)).to.equal("RPO targets: MISSED by objects; met by database; not measured: secrets");
  });

  it("a switchover loses no lag (it synchronizes first), and RPO stays unknown until the canary was looked for", async () => {
    const inputs = await fixtureInputs();
    const sc = scenario("switchover");
    const entries = journal(true).map((x) => (x.step === "failover-database" ? { ...x, step: "switchover-database" } : x));
    const steps = sc.steps(inputs, inputs.primary, inputs.secondary);
    expect(measure(entries, sc, steps, inputs).rpoSeconds).to.equal(0);
    expect(measure(entries.filter((x) => x.step !== "check-canary"), sc, steps, inputs)).to.include({ rpoSeconds: undefined, canary: "not checked" });
  });

  it("an RPO exactly on its target is met, one second over is MISSED; a lower bound within it is unknown, over it MISSED", () => {
    expect([rpoVerdict(5, 5, false), rpoVerdict(6, 5, false), rpoVerdict(5, 5, true), rpoVerdict(6, 5, true), rpoVerdict(undefined, 5, false)]).to.deep.equal(["met", "MISSED", "unknown", "MISSED", "not measured"]);
    const lines = (rtoSeconds: number) => measurementLines({ rtoSeconds, rpoSeconds: 5, rpo: [], targetRtoSeconds: 120, canary: "found", facts: {}, steps: [] });
    expect(lines(120)).to.include.members(["RTO target 120 s: met"]);
    expect(lines(121)).to.include.members(["RTO target 120 s: MISSED"]);
  });

  it("the drill's RPO verdict fails when any store misses its objective, and is met only when none does", () => {
    const store = (s: StoreRpo["store"], seconds: number | undefined, target: number, atLeast = false): StoreRpo =>
      ({ store: s, targetSeconds: target, seconds, atLeast, verdict: rpoVerdict(seconds, target, atLeast), basis: "b" });
    const verdict = (rpo: StoreRpo[]) => measurementLines({ rpoSeconds: 1, rpo, targetRtoSeconds: 120, canary: "found", facts: {}, steps: [] }).at(-1);
    expect(verdict([store("database", 1, 1), store("objects", 0, 900), store("secrets", undefined, 60)])).to.equal("RPO targets: met by database, objects; not measured: secrets");
    expect(verdict([store("database", 2, 1), store("objects", 0, 900)])).to.equal("RPO targets: MISSED by database; met by objects");
    expect(verdict([store("database", 1, 1), store("objects", 300, 900, true)])).to.equal("RPO targets: not confirmed (objects unknown; met by database)");
  });

  it("a drill that stopped before recovering prints no RPO as met, even one within its target", () => {
    const lines = (seconds: number) => measurementLines({ rpoSeconds: seconds, rpo: [{ store: "database", targetSeconds: 5, seconds, verdict: rpoVerdict(seconds, 5, false), basis: "lag at cut-over" }], targetRtoSeconds: 120, canary: "not used", facts: {}, steps: [], recovered: false });
    expect(lines(3).find((l) => l.startsWith("RPO database"))).to.match(/^RPO database 3 s, target 5 s: not reached, within the target \(the drill stopped before recovering; lag at cut-over\)/);
    expect(lines(9).find((l) => l.startsWith("RPO database"))).to.match(/^RPO database 9 s, target 5 s: not reached, past the target \(the drill stopped before recovering; lag at cut-over\)/);
    expect(lines(9).at(-1)).to.equal("RPO targets: not reached (the drill stopped before recovering; past the target: database)");
    for (const rpo of [3, 9]) expect(lines(rpo).join("\n")).to.not.match(/: met/);
  });
});
