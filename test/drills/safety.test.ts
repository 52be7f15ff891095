/**
 * The on-call review's safety rules, each through the simulator (virtual clock) where it can be:
 * the old primary stays out of DNS when a region that was down returns, the switch-off is required
 * (never silently skipped), undo never pulls what a finished cut-over depends on, a stale journal
 * never issues a second cut-over, a failover does not wait for the dead region, and failback leaves
 * the standby able to win DNS.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { DOWN_REGION_TIMEOUTS_MS, GlobalClusterView } from "../../src/drills/cloud";
import { requestHandlerFor } from "../../src/drills/aws";
import { runDrill } from "../../src/drills/drill";
import { DrillInputs } from "../../src/drills/inputs";
import { HEADER_STEP, JournalEntry, readJournal } from "../../src/drills/journal";
import { loadInputs, readProjectStacks } from "../../src/drills/load";
import { runSteps } from "../../src/drills/runner";
import { scenario } from "../../src/drills/scenarios";
import { cutoverFinished } from "../../src/drills/scenarios/database";
import { initialState, SimState } from "../../src/drills/simState";
import { SimulatedCloud } from "../../src/drills/simulator";
import { StepContext } from "../../src/drills/step";
import { undoDrill } from "../../src/drills/undo";
import { incompleteBanner } from "../../src/drills/drill";
import { EXAMPLE_DIR, projectWith, resume, simulate, tempDir } from "./harness";

const HOUR_SECONDS = 3600;
const simOf = (journalFile: string) => `${journalFile}.sim.json`;
const readSim = (journalFile: string) => JSON.parse(fs.readFileSync(simOf(journalFile), "utf8")) as SimState;
const editSim = (journalFile: string, edit: (s: SimState) => void) => {
  const s = readSim(journalFile);
  edit(s);
  fs.writeFileSync(simOf(journalFile), JSON.stringify(s));
};

/** What Route 53 answers once its health checkers have settled (an hour later, far beyond any detection time). */
async function settledAnswer(inputs: DrillInputs, state: SimState): Promise<string[]> {
  const cloud = new SimulatedCloud(inputs, JSON.parse(JSON.stringify(state)) as SimState);
  await cloud.clock.sleep(HOUR_SECONDS);
  return cloud.testDnsAnswer(inputs.hostedZoneId, inputs.domain);
}

function ctxFor(inputs: DrillInputs, cloud: SimulatedCloud, from: DrillInputs["primary"], to: DrillInputs["primary"], log: string[] = []): StepContext {
  return { inputs, cloud, clock: cloud.clock, from, to, facts: {}, log: (l) => log.push(l) };
}

describe("drill safety rules", function () {
  this.timeout(10_000);
  let inputs: DrillInputs;
  before(async () => {
    inputs = await loadInputs(readProjectStacks(EXAMPLE_DIR), "derived", {});
  });

  describe("the old primary's switch after a failover while it was down", () => {
    let journalFile: string;
    before(async () => {
      const r = await simulate("failover", { faults: ["primary-region-down"] });
      expect(r.result.exitCode).to.equal(0);
      // Required, and done while us-east-1 answered nothing: its switch lives in us-west-2.
      expect(r.journal.filter((e) => e.step === "switch-off-primary").map((e) => [e.event, e.region])).to.deep.equal([["start", "us-west-2"], ["done", "us-west-2"]]);
      journalFile = r.journalFile;
      editSim(journalFile, (s) => void (s.regions["us-east-1"].down = false)); // the region recovers
    });

    it("the recovered region, whose endpoint passes again, stays out of DNS: its cluster is read-only", async () => {
      const s = readSim(journalFile);
      expect(s.writer).to.equal("us-west-2");
      expect(await settledAnswer(inputs, s)).to.deep.equal([s.regions["us-west-2"].address]);
    });

    it("without the switch, its PRIMARY record would win DNS back (the hazard the switch removes)", async () => {
      const s = readSim(journalFile);
      s.regions["us-east-1"].switch = [];
      expect(await settledAnswer(inputs, s)).to.deep.equal([s.regions["us-east-1"].address]);
    });
  });

  it("the switch-off is required: when its host region refuses it, the failover stops before the cut-over, non-zero, naming what is left", async () => {
    const state = initialState(inputs, []);
    state.regions["us-west-2"].apiDown = ["CloudWatch"];
    const cloud = new SimulatedCloud(inputs, state);
    const steps = scenario("failover").steps(inputs, inputs.primary, inputs.secondary);
    const outcome = await runSteps({ steps, ctx: ctxFor(inputs, cloud, inputs.primary, inputs.secondary), force: [] });
    expect(outcome).to.include({ kind: "failed", step: "switch-off-primary" });
    expect(cloud.state.calls.filter((c) => c.operation === "FailoverGlobalCluster")).to.deep.equal([]);
    const banner = incompleteBanner(outcome, steps).join("\n");
    expect(banner).to.include("DRILL NOT COMPLETE: required step switch-off-primary failed").and.to.include("left to do, in order: switch-off-primary, scale-out-recovery");
  });

  it("a failover's best-effort calls to the dead region add at most a few seconds before scale-out", async () => {
    const r = await simulate("failover", { faults: ["primary-region-down"] });
    const at = (step: string) => Date.parse(r.journal.find((e) => e.step === step && e.event === "start")!.at);
    const delay = (at("scale-out-recovery") - Date.parse(r.journal.find((e) => e.step === HEADER_STEP)!.at)) / 1000;
    expect(delay).to.be.at.most(10);
    // The adapter's socket timeouts towards the region a failover leaves are seconds, not the 5 s + 30 s of a healthy one.
    expect(requestHandlerFor("us-east-1", ["us-east-1"])).to.deep.equal(DOWN_REGION_TIMEOUTS_MS);
    expect(DOWN_REGION_TIMEOUTS_MS.connectionTimeout + DOWN_REGION_TIMEOUTS_MS.requestTimeout).to.be.at.most(5000);
    expect(requestHandlerFor("us-west-2", ["us-east-1"]).requestTimeout).to.be.greaterThan(DOWN_REGION_TIMEOUTS_MS.requestTimeout);
    expect(scenario("failover").fromMayBeDown).to.equal(true);
    expect(scenario("switchover").fromMayBeDown ?? false).to.equal(false);
  });

  it("resuming a journal whose failover started, after the writer moved back, issues no second cut-over and refuses", async () => {
    const first = await simulate("failover", { faults: ["crash-after-cutover"] });
    expect(first.result.exitCode).to.equal(3);
    // A failback since: the writer is the original primary again and no operation is in progress (FailoverState empty).
    editSim(first.journalFile, (s) => {
      s.writer = "us-east-1";
      delete s.op;
    });
    const again = await resume(first.journalFile);
    expect(again.result.exitCode).to.equal(2);
    expect(again.result.outcome).to.include({ kind: "refused", step: "failover-database" });
    expect(again.lines.join("\n")).to.match(/journal shows FailoverGlobalCluster towards us-west-2 started, but the writer is now .*us-east-1.*Refusing to issue FailoverGlobalCluster again/);
    expect(again.sim.calls.filter((c) => c.operation === "FailoverGlobalCluster")).to.have.length(1); // the first run's only
    expect(again.sim.calls.filter((c) => c.operation === "SwitchoverGlobalCluster")).to.deep.equal([]);
    expect(again.sim.writer).to.equal("us-east-1");
  });

  it("a failover's wait accepts the recovery cluster as writer while Aurora still reports the failover in progress; a switchover's does not", () => {
    const to = inputs.secondary;
    const inProgress: GlobalClusterView = { status: "available", members: [{ arn: inputs.primary.dbClusterArn, writer: false }, { arn: to.dbClusterArn, writer: true }], failover: { status: "failing-over", toArn: to.dbClusterArn, dataLossAllowed: true } };
    expect(cutoverFinished("failover", inProgress, to)).to.equal(true);
    expect(cutoverFinished("switchover", inProgress, to)).to.be.a("string");
    const notYet: GlobalClusterView = { ...inProgress, members: [{ arn: inputs.primary.dbClusterArn, writer: true }, { arn: to.dbClusterArn, writer: false }] };
    expect(cutoverFinished("failover", notYet, to)).to.be.a("string");
  });

  it("undo after a finished failover cut-over keeps what the new writer depends on (pilot light): no instance deletion, no capacity change, no switch-on", async () => {
    const dir = projectWith((t) => t.replace("dr:strategy: warm-standby", "dr:strategy: pilot-light"));
    const r = await simulate("failover", { cwd: dir });
    expect(r.result.exitCode).to.equal(0);
    // The journal as the drill writes it when verify-service fails: everything before it done, then the failure.
    const upTo = r.journal.findIndex((e) => e.step === "verify-service");
    const failed: JournalEntry = { ...r.journal[upTo], event: "failed", detail: "timed out" };
    fs.writeFileSync(r.journalFile, [...r.journal.slice(0, upTo + 1), failed].map((e) => JSON.stringify(e)).join("\n") + "\n");
    const before = readSim(r.journalFile);
    const lines: string[] = [];
    const undone = await undoDrill(r.journalFile, { mode: "simulate", log: (l) => lines.push(l) });
    expect(undone.exitCode).to.equal(0);
    const after = readSim(r.journalFile);
    expect(after.calls.slice(before.calls.length)).to.deep.equal([]); // nothing called at all
    expect(after.regions["us-west-2"].instances.map((i) => i.id)).to.include(`${inputs.secondary.dbClusterIdentifier}-drill-writer`);
    expect(after.regions["us-west-2"].groups.map((g) => g.desired)).to.deep.equal(before.regions["us-west-2"].groups.map((g) => g.desired));
    expect(after.regions["us-east-1"].switch.at(-1)?.on).to.equal(false);
    const text = lines.join("\n");
    for (const step of ["switch-off-primary", "scale-out-recovery", "create-writer-instance"]) expect(text).to.match(new RegExp(`- ${step}: .*only after failover-database is reversed`));
    expect(readJournal(r.journalFile).filter((e) => e.step.startsWith("undo-"))).to.deep.equal([]);
  });

  it("failback ends with the recovery region switched on, even one an earlier drill left off, so it wins DNS in the next outage", async () => {
    const state = initialState(inputs, [], true);
    state.regions["us-west-2"].switch.push({ at: state.now - 1000, on: false });
    const cloud = new SimulatedCloud(inputs, state);
    const sc = scenario("failback");
    const { from, to } = sc.direction(inputs, inputs.primary.region);
    const outcome = await runSteps({ steps: sc.steps(inputs, from, to), ctx: ctxFor(inputs, cloud, from, to), force: [] });
    expect(outcome.kind).to.equal("completed");
    expect(cloud.state.writer).to.equal("us-east-1");
    expect(cloud.state.regions["us-west-2"].switch.at(-1)?.on).to.equal(true);
    // The next outage of the original primary: Route 53 must answer the standby, not PRIMARY.
    cloud.state.regions["us-east-1"].down = true;
    expect(await settledAnswer(inputs, cloud.state)).to.deep.equal([cloud.state.regions["us-west-2"].address]);
  });

  it("failback needs no false active region: with dr:activeRegion still naming the recovery region (in the secondary's file only, as mid-outage), it runs back to the primary", async () => {
    const dir = projectWith((t) => t.replace(/dr:role: secondary/, (m) => `${m}\n  dr:activeRegion: us-west-2`));
    const lines: string[] = [];
    const r = await runDrill({ scenario: "failback", mode: "simulate", cwd: dir, journal: path.join(tempDir(), "j.jsonl"), log: (l) => lines.push(l) });
    expect(r.exitCode, lines.join("\n")).to.equal(0);
    expect(lines.join("\n")).to.include("drill failback (simulate): us-west-2 -> us-east-1");
  });
});
