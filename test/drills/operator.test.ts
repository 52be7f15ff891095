/**
 * What an on-call engineer meets running drills: where the cut-over is sent, failback's order,
 * confirmation and its prompt, resume of the right deployment's journal, simulated output marked as
 * such, faults that cannot happen refused, one report per drill, the credentials pre-check.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";
import { closedInput, confirmByName, discardOutput } from "../../src/cli/drillCommands";
import { buildProgram } from "../../src/cli/dr";
import { takeSdkNodeWarning } from "../../src/drills/aws";
import { CloudError } from "../../src/drills/cloud";
import { DrillRequest, EXIT, resumeDrill, runDrill } from "../../src/drills/drill";
import { DrillError } from "../../src/drills/errors";
import { readJournal } from "../../src/drills/journal";
import { initialState } from "../../src/drills/simState";
import { SimulatedCloud } from "../../src/drills/simulator";
import { EXAMPLE_DIR, failure, FIXTURE_OUTPUTS, projectWith, resume, simulate, tempDir } from "./harness";

const callsOf = (sim: { calls: { operation: string; region: string }[] }, op: string) => sim.calls.filter((c) => c.operation === op);

/** A real-mode request on the fixture outputs with a simulated cloud behind the adapter's port. */
function executeRequest(scenario: string, extra: Partial<DrillRequest> = {}): DrillRequest & { lines: string[] } {
  const lines: string[] = [];
  return {
    scenario, mode: "execute", cwd: EXAMPLE_DIR, outputs: FIXTURE_OUTPUTS, journal: path.join(tempDir(), "j.jsonl"), log: (l) => lines.push(l), lines,
    awsCloud: (inputs) => new SimulatedCloud(inputs, initialState(inputs, [])), ...extra,
  };
}

describe("drills as an operator runs them", function () {
  this.timeout(10_000);

  it("SwitchoverGlobalCluster goes to the current primary's region, failback included (Aurora guide: --region region_of_primary)", async () => {
    const switched = await simulate("switchover");
    expect(callsOf(switched.sim, "SwitchoverGlobalCluster").map((c) => c.region)).to.deep.equal(["us-east-1"]);
    const back = await simulate("failback");
    expect(back.result.exitCode).to.equal(0);
    expect(callsOf(back.sim, "SwitchoverGlobalCluster").map((c) => c.region)).to.deep.equal(["us-west-2"]);
    // A failover still goes to the promoted secondary's region (--region region_of_selected_secondary).
    expect(callsOf((await simulate("failover")).sim, "FailoverGlobalCluster").map((c) => c.region)).to.deep.equal(["us-west-2"]);
  });

  it("failback runs every gate before it overwrites the original primary's secret: a refusing gate leaves both secrets untouched", async () => {
    const r = await simulate("failback", { faults: ["lag-over-target"] });
    expect(r.result.exitCode).to.equal(EXIT.refused);
    expect(r.lines.join("\n")).to.include("refused at gate-replication-lag");
    expect(r.sim.calls.filter((c) => ["PutSecretValue", "ReplicateSecretToRegions"].includes(c.operation))).to.deep.equal([]);
    expect(r.sim.regions["us-east-1"].secret.value).to.equal("password-1");
  });

  it("closed or empty input is no confirmation (not a hang that exits 0), and an unconfirmed --execute exits 4 saying aborted", async () => {
    expect(await confirmByName('Type "switchover" to continue: ', closedInput(), discardOutput())).to.equal(false);
    const r = executeRequest("switchover", { confirm: (q) => confirmByName(q, closedInput(), discardOutput()) });
    const result = await runDrill(r);
    expect(result.exitCode).to.equal(4);
    expect(r.lines).to.include("aborted: nothing was changed");
  });

  it("the prompt states the outage: failover names AllowDataLoss and lost writes; dns asks to type that it accepts the write outage", async () => {
    const asked: string[] = [];
    const confirm = async (q: string) => {
      asked.push(q);
      return false;
    };
    await runDrill(executeRequest("failover", { confirm }));
    expect(asked[0]).to.include("AllowDataLoss").and.to.include("are LOST").and.to.include("writes fail until us-west-2 writes").and.to.include('Type "failover"');
    // Typing the scenario's name is not enough for dns: the operator must type that they accept the write outage.
    const typed = (answer: string) => async (q: string) => (asked.push(q), confirmByName(q, Readable.from([`${answer}\n`]), discardOutput()));
    expect((await runDrill(executeRequest("dns", { confirm: typed("dns") }))).exitCode).to.equal(EXIT.aborted);
    expect(asked[1]).to.include("read-only secondary: WRITES FAIL").and.to.include('Type "accept write outage"');
    expect(await typed("accept write outage")(asked[1])).to.equal(true);
  });

  it("--execute without the Pulumi CLI says so, not an Automation API error code", async () => {
    const err = await failure(runDrill({ scenario: "switchover", mode: "execute", cwd: EXAMPLE_DIR, yes: true, pulumiAvailable: false, readOutputs: async () => ({}), log: () => undefined }));
    expect(err).to.be.instanceOf(DrillError);
    expect(err!.message).to.match(/^Pulumi CLI not found on PATH/).and.to.include("--outputs");
  });

  it("checks the credentials in the recovery region (STS GetCallerIdentity) before the first step, and refuses on failure with nothing changed", async () => {
    let sim: SimulatedCloud | undefined;
    const r = executeRequest("failover", {
      yes: true,
      awsCloud: (inputs) => {
        sim = new SimulatedCloud(inputs, initialState(inputs, []));
        sim.callerIdentity = async (region) => {
          throw new CloudError("fatal", "ExpiredTokenException", `${region} STS.GetCallerIdentity`, "The security token included in the request is expired");
        };
        return sim;
      },
    });
    const result = await runDrill(r);
    expect(result.exitCode).to.equal(EXIT.refused);
    expect(r.lines.join("\n")).to.include("refused before the first step: the credentials check (STS GetCallerIdentity in us-west-2) failed").and.to.include("ExpiredTokenException");
    expect(sim!.state.calls).to.deep.equal([]);
    expect(readJournal(result.journal!).filter((e) => e.step !== "drill")).to.deep.equal([]);
    const ok = await simulate("switchover");
    expect(ok.sim.calls[0]).to.deep.include({ region: "us-west-2", service: "STS", operation: "GetCallerIdentity" });
  });

  it("a fault the scenario cannot meet is refused, listing the ones that apply", async () => {
    const dns = await failure(runDrill({ scenario: "dns", mode: "simulate", faults: ["crash-after-cutover"], cwd: EXAMPLE_DIR, journal: path.join(tempDir(), "j.jsonl"), log: () => undefined }));
    expect(dns).to.be.instanceOf(DrillError);
    expect(dns!.message).to.equal("--fault crash-after-cutover cannot happen in the dns drill; the faults that apply to dns are: throttling, primary-region-down, primary-region-returns");
    const failback = await failure(runDrill({ scenario: "failback", mode: "simulate", faults: ["timeout"], cwd: EXAMPLE_DIR, journal: path.join(tempDir(), "j.jsonl"), log: () => undefined }));
    expect(failback!.message).to.include("--fault timeout cannot happen in the failback drill").and.to.include("throttling, lag-over-target, crash-after-cutover, replication-paused");
  });

  it("each drill writes its own report, scenario and start time in the name; a simulated report says so", async () => {
    const dir = tempDir();
    const run = (scenario: string) => runDrill({ scenario, mode: "simulate", cwd: EXAMPLE_DIR, journal: path.join(dir, `${scenario}.jsonl`), log: () => undefined });
    const files = [...((await run("switchover")).reportFiles ?? []), ...((await run("dns")).reportFiles ?? [])].map((f) => path.basename(f));
    expect(files).to.have.length(4);
    expect(new Set(files).size).to.equal(4);
    for (const f of files) expect(f).to.match(/^drill-report-(switchover|dns)-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.(json|md)$/);
    const md = files.find((f) => f.startsWith("drill-report-switchover") && f.endsWith(".md"))!;
    expect(fs.readFileSync(path.join(dir, md), "utf8")).to.include("SIMULATED, nothing changed in AWS").and.to.include("# (simulated, do not run) pulumi config set");
  });

  describe("resume", () => {
    it("records the deployment in the journal and refuses another deployment's journal, naming both", async () => {
      // A project folder (Pulumi.yaml names the project) holding the example's stack files.
      const r = await simulate("switchover", { faults: ["crash-after-cutover"], cwd: projectWith((t) => t) });
      expect(r.journal[0].detail).to.deep.include({ deployment: { project: "dr-platform", primaryStack: "primary", secondaryStack: "secondary", globalClusterIdentifier: "orders-prod", domain: "orders.example.com" } });
      const other = projectWith((t) => t.replace(/dr:domain: \S+/g, "dr:domain: shop.example.org"));
      const err = await failure(resumeDrill(r.journalFile, { mode: "simulate", cwd: other, log: () => undefined }));
      expect(err).to.be.instanceOf(DrillError);
      expect(err!.message).to.include("belongs to another deployment (project dr-platform, stacks primary and secondary, global cluster orders-prod, domain orders.example.com)")
        .and.to.include("not the one in").and.to.include("domain shop.example.org");
    });

    it("honours --cwd: the stack files come from there, not from the folder the journal recorded", async () => {
      const first = projectWith((t) => t);
      const r = await simulate("switchover", { faults: ["crash-after-cutover"], cwd: first });
      for (const f of fs.readdirSync(first)) fs.rmSync(path.join(first, f)); // the recorded folder is gone
      const lines: string[] = [];
      const result = await resumeDrill(r.journalFile, { mode: "simulate", cwd: projectWith((t) => t), log: (l) => lines.push(l) });
      expect(result.exitCode, lines.join("\n")).to.equal(0);
    });

    it("drops a torn last line (a crash mid-write) with a warning, and appends after it cleanly", async () => {
      const r = await simulate("switchover", { faults: ["crash-after-cutover"] });
      fs.appendFileSync(r.journalFile, '{"at":"2026-01-01T09:10:00.000Z","step":"wait-database-cut');
      const resumed = await resume(r.journalFile);
      expect(resumed.result.exitCode).to.equal(0);
      expect(resumed.lines.join("\n")).to.match(/warning: journal .* line \d+ is incomplete \(the drill stopped while writing it\); dropping it/);
      expect(readJournal(resumed.journalFile).at(-1)).to.include({ step: "drill", event: "done" });
      // A damaged line in the middle is still refused.
      const lines = fs.readFileSync(r.journalFile, "utf8").split("\n");
      fs.writeFileSync(r.journalFile, [lines[0], "{torn", ...lines.slice(1)].join("\n"));
      expect(() => readJournal(r.journalFile)).to.throw(/line 2 is not JSON; the file is damaged/);
    });
  });

  describe("small things", () => {
    it("a switchover's RPO line says the lag before it was drained, not lost", async () => {
      const r = await simulate("switchover");
      expect(r.lines.find((l) => l.startsWith("RPO database"))).to.match(/^RPO database 0 s, target \d+ s: met \(a switchover loses nothing: it synchronizes before swapping roles \(lag before it \d+(\.\d+)? s, drained, not lost\)/);
    });

    it("undo counts only what it undoes, and a by-hand scale-out undo shows the desired counts the journal recorded", async () => {
      const r = await simulate("switchover", { faults: ["timeout"] });
      expect(r.result.exitCode).to.equal(1);
      const lines: string[] = [];
      const { undoDrill } = await import("../../src/drills/undo");
      await undoDrill(r.journalFile, { mode: "simulate", log: (l) => lines.push(l) });
      const text = lines.join("\n");
      expect(text).to.include("nothing to undo automatically").and.not.to.match(/undoing \d+ step/);
      expect(text).to.match(/scale-out-recovery: .*\(recorded before the drill: orders-web-asg-sim 1, orders-app-asg-sim 1\)/);
    });

    it("readiness during an outage of the active region reports Route 53 seeing it unhealthy", async () => {
      const r = await simulate("readiness", { faults: ["primary-region-down"] });
      expect(r.journal.filter((e) => e.step === "check-health-checks").map((e) => e.event)).to.deep.equal(["start", "failed"]);
      expect(r.lines.join("\n")).to.include("health check hc-us-east-1 of us-east-1 is unhealthy");
    });

    it("undo offers no --force (it runs no gate); resume and the drills do", () => {
      const drill = buildProgram().commands.find((c) => c.name() === "drill")!;
      const options = (name: string) => drill.commands.find((c) => c.name() === name)!.options.map((o) => o.long);
      expect(options("undo")).not.to.include("--force");
      expect(options("resume")).to.include("--force").and.to.include("--cwd").and.to.include("--cutover-timeout");
      expect(options("switchover")).to.include("--force");
    });

    it("the AWS SDK's Node-version warning is taken before the drill prints (one line), not emitted mid-output", () => {
      const env: NodeJS.ProcessEnv = {};
      expect(takeSdkNodeWarning("v20.20.2", env)).to.match(/^note: Node v20\.20\.2: AWS SDK for JavaScript v3 releases from January 2027 need Node 22/);
      expect(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).to.equal("true");
      expect(takeSdkNodeWarning("v20.20.2", env)).to.equal(undefined);
      expect(takeSdkNodeWarning("v22.1.0", {})).to.equal(undefined);
    });
  });
});
