/**
 * Every scenario and fault through the simulator (virtual clock: no real sleeps). Expected timings
 * come from the model's cited constants and the stack files, never from the drill's own output.
 */
import { expect } from "chai";
import { estimateRecovery } from "../../src/model/recovery";
import { AURORA_SWITCHOVER_SECONDS, AURORA_INSTANCE_CREATE_SECONDS, AURORA_TYPICAL_LAG_SECONDS, ELB_ALIAS_TTL_SECONDS, HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS } from "../../src/model/recovery";
import { scenario, scenarioNames } from "../../src/drills/scenarios";
import { loadInputs, readProjectStacks } from "../../src/drills/load";
import { FAULTS } from "../../src/drills/simulator";
import { parseStackConfig } from "../../stacks/configSchema";
import { readStackConfig } from "../../src/engine/stackFiles";
import { printed, PROJECT_DIR, projectWith, Ran, resume, simulate } from "./harness";

const within10 = (measured: number, model: number) => expect(Math.abs(measured - model), `measured ${measured} s vs model ${model} s`).to.be.at.most(0.1 * model);
const config = (stack: string) => parseStackConfig(readStackConfig(PROJECT_DIR, stack), stack);
const done = (r: Ran, step: string) => r.journal.some((e) => e.step === step && e.event === "done");
const callsOf = (r: Ran, operation: string) => r.sim.calls.filter((c) => c.operation === operation);

describe("drills in the simulator", function () {
  this.timeout(10_000);
  const runs = new Map<string, Ran>();
  before(async () => {
    for (const [key, name, faults] of [
      ["switchover", "switchover", []], ["failover-down", "failover", ["primary-region-down"]], ["failback", "failback", []], ["dns", "dns", []],
      ["readiness", "readiness", []], ["lag", "switchover", ["lag-over-target"]], ["throttling", "switchover", ["throttling"]], ["timeout", "switchover", ["timeout"]],
      ["failover-lag", "failover", ["lag-over-target"]], ["readiness-lag", "readiness", ["lag-over-target"]], ["fence", "fence", []],
    ] as const) runs.set(key, await simulate(name, { faults: [...faults] }));
  });

  it("switchover completes and its measured RTO/RPO agree with the model within 10 %", () => {
    const r = runs.get("switchover")!;
    expect(r.result.exitCode).to.equal(0);
    const model = estimateRecovery({ primary: config("primary"), secondary: config("secondary") });
    // Warm standby: the switchover (300 s, cited) dominates DNS (60 s) and scale-out (120 + 3 x 15 s).
    expect(model.plannedSwitchoverSeconds).to.equal(AURORA_SWITCHOVER_SECONDS);
    within10(printed(r.lines, "measured RTO"), model.plannedSwitchoverSeconds);
    expect(printed(r.lines, "model RTO")).to.equal(model.plannedSwitchoverSeconds);
    expect(printed(r.lines, "measured RPO")).to.equal(0); // a switchover loses nothing
    expect(r.sim.writer).to.equal("us-west-2");
    expect(callsOf(r, "FailoverGlobalCluster")).to.have.length(0);
    const lines = r.lines.map((l) => l.trim());
    expect(lines).to.include("pulumi config set dr:activeRegion us-west-2 --stack primary");
    expect(lines).to.include("pulumi config set dr:activeRegion us-west-2 --stack secondary");
  });

  it("switchover moves DNS by fencing the old region's health path, never through Route 53", () => {
    const r = runs.get("switchover")!;
    expect(r.sim.calls.filter((c) => c.service === "Route53")).to.deep.equal([]);
    expect(r.sim.regions["us-east-1"].fence.at(-1)?.on).to.equal(true);
  });

  it("failover completes while the primary region answers nothing; what targets it is skipped, not blocking", () => {
    const r = runs.get("failover-down")!;
    expect(r.result.exitCode).to.equal(0);
    expect(r.sim.writer).to.equal("us-west-2");
    const skipped = r.journal.filter((e) => e.event === "skipped").map((e) => e.step);
    expect(skipped).to.deep.equal(["write-canary", "fence-old-primary", "check-canary"]);
    const failover = callsOf(r, "FailoverGlobalCluster");
    expect(failover).to.have.length(1);
    expect(failover[0].params.AllowDataLoss).to.equal(true);
    expect(r.sim.calls.filter((c) => c.service === "Route53")).to.deep.equal([]);
    expect(r.sim.regions["us-west-2"].secret.primaryRegion).to.equal(undefined); // promoted
  });

  it("failover under lag-over-target completes and reports the lag as the data lost, over the target", () => {
    const r = runs.get("failover-lag")!;
    expect(r.result.exitCode).to.equal(0);
    const rpo = config("primary").objectives.rpoSeconds.database;
    expect(printed(r.lines, "measured RPO")).to.equal(2 * rpo);
    expect(r.lines.some((l) => l.startsWith(`RPO target ${rpo} s: MISSED`))).to.equal(true);
  });

  it("switchover refuses while lag exceeds the RPO target, naming the gate and its --force", () => {
    const r = runs.get("lag")!;
    expect(r.result.exitCode).to.equal(2);
    expect(r.result.outcome).to.include({ kind: "refused", gate: "replication-lag", step: "gate-replication-lag" });
    expect(r.lines.join("\n")).to.match(/gate replication-lag refuses: Aurora replication lag 120 s exceeds the RPO target 60 s.*--force replication-lag/);
    expect(callsOf(r, "SwitchoverGlobalCluster")).to.have.length(0);
  });

  it("--force replication-lag overrides that gate", async () => {
    const r = await simulate("switchover", { faults: ["lag-over-target"], force: ["replication-lag"] });
    expect(r.result.exitCode).to.equal(0);
    expect(callsOf(r, "SwitchoverGlobalCluster")).to.have.length(1);
  });

  it("throttled calls are retried with backoff and the drill completes", () => {
    const r = runs.get("throttling")!;
    expect(r.result.exitCode).to.equal(0);
    const retries = r.journal.reduce((n, e) => n + (typeof e.detail === "object" && "retries" in e.detail ? e.detail.retries ?? 0 : 0), 0);
    // Each operation is throttled once; all but the one check-regions retries itself are journaled with their step.
    expect(r.sim.throttled.length).to.be.greaterThan(10);
    expect(retries).to.be.within(r.sim.throttled.length - 1, r.sim.throttled.length);
  });

  it("a verification that never passes times out, stops the drill before DNS moves, and offers the undo", () => {
    const r = runs.get("timeout")!;
    expect(r.result.exitCode).to.equal(1);
    const outcome = r.result.outcome!;
    if (outcome.kind !== "failed") throw new Error(`expected failed, got ${outcome.kind}`);
    expect(outcome.step).to.equal("wait-capacity-healthy");
    expect(outcome.reason).to.match(/^timed out after \d+ s/);
    expect(outcome.undo.map((u) => u.step)).to.deep.equal(["switchover-database", "scale-out-recovery"]);
    expect(r.sim.regions["us-east-1"].fence).to.deep.equal([]); // DNS never moved to a region with nothing healthy
  });

  it("crash-after-cutover exits non-zero; resume completes and the journal shows one completed SwitchoverGlobalCluster", async () => {
    const first = await simulate("switchover", { faults: ["crash-after-cutover"] });
    expect(first.result.exitCode).to.equal(3);
    expect(done(first, "switchover-database")).to.equal(false);
    const second = await resume(first.journalFile);
    expect(second.result.exitCode).to.equal(0);
    const completed = second.journal.filter((e) => e.operation === "RDS.SwitchoverGlobalCluster" && e.event === "done");
    expect(completed).to.have.length(1);
    expect(callsOf(second, "SwitchoverGlobalCluster")).to.have.length(1);
    // Steps finished before the crash are not run again.
    expect(second.journal.filter((e) => e.step === "scale-out-recovery" && e.event === "start")).to.have.length(1);
    within10(printed(second.lines, "measured RTO"), AURORA_SWITCHOVER_SECONDS);
    // The lag at the cut-over was journaled by its own step before the crash.
    expect(second.result.measurements?.lagAtCutoverSeconds).to.equal(AURORA_TYPICAL_LAG_SECONDS);
  });

  it("failback re-establishes the secret replica (password rotated during the outage copied back), switches back and restores DNS", () => {
    const r = runs.get("failback")!;
    expect(r.result.exitCode).to.equal(0);
    expect(r.sim.writer).to.equal("us-east-1");
    expect(callsOf(r, "PutSecretValue").map((c) => c.region)).to.deep.equal(["us-east-1"]);
    expect(callsOf(r, "ReplicateSecretToRegions")[0].params).to.include({ ForceOverwriteReplicaSecret: true, Region: "us-west-2" });
    expect(r.sim.regions["us-west-2"].secret).to.include({ value: "password-2", primaryRegion: "us-east-1" });
    expect(r.sim.regions["us-east-1"].fence.at(-1)?.on).to.equal(false);
    // The recovery region ends unfenced: fenced, both records would be unhealthy in the next outage and Route 53 answers PRIMARY.
    expect(r.sim.regions["us-west-2"].fence.filter((f) => f.on)).to.deep.equal([]);
    expect(printed(r.lines, "measured RPO")).to.equal(0);
    expect(r.lines.map((l) => l.trim())).to.include("pulumi config set dr:activeRegion us-east-1 --stack primary");
  });

  it("dns moves DNS to the standby and back, in the model's detection + TTL", () => {
    const r = runs.get("dns")!;
    expect(r.result.exitCode).to.equal(0);
    const hc = config("primary").healthCheck;
    const model = hc.intervalSeconds * hc.failureThreshold + HEALTH_CHECK_CONNECT_TIMEOUT_SECONDS + ELB_ALIAS_TTL_SECONDS;
    expect(printed(r.lines, "model RTO")).to.equal(model);
    within10(printed(r.lines, "measured RTO"), model);
    expect(r.sim.writer).to.equal("us-east-1"); // no data touched
    expect(r.sim.calls.filter((c) => c.service === "RDS")).to.deep.equal([]);
  });

  it("readiness passes on a healthy pair without changing it, and reports every problem when one exists", () => {
    const ok = runs.get("readiness")!;
    expect(ok.result.exitCode).to.equal(0);
    expect(ok.sim.calls.filter((c) => /^(Create|Delete|Set|Switchover|Failover|Stop|Replicate|PutSecret)/.test(c.operation))).to.deep.equal([]);
    const bad = runs.get("readiness-lag")!;
    expect(bad.result.exitCode).to.equal(1);
    expect(bad.journal.filter((e) => e.event === "failed").map((e) => e.step)).to.deep.equal(["gate-replication-lag"]);
    expect(done(bad, "check-canary")).to.equal(true); // went on after the failure
  });

  it("every call a simulated drill makes is one its steps declare (dry-run cannot drift from execution)", async () => {
    const inputs = await loadInputs(readProjectStacks(PROJECT_DIR), "derived", {});
    for (const r of runs.values()) {
      const header = r.journal[0].detail as { scenario: string; from: string; to: string };
      const region = (name: string) => [inputs.primary, inputs.secondary].find((x) => x.region === name)!;
      const steps = scenario(header.scenario).steps(inputs, region(header.from), region(header.to));
      const declared = new Set(steps.flatMap((s) => s.calls.map((c) => `${c.region} ${c.service}.${c.operation}`)));
      const undeclared = r.sim.calls.map((c) => `${c.region} ${c.service}.${c.operation}`).filter((c) => !declared.has(c));
      expect(undeclared, `${header.scenario}: ${undeclared.join(", ")}`).to.deep.equal([]);
    }
  });

  it("pilot light creates the writer and scales out healthy before promotion, and matches the model", async () => {
    const dir = projectWith((t) => t.replace("dr:strategy: warm-standby", "dr:strategy: pilot-light"));
    const r = await simulate("switchover", { cwd: dir });
    expect(r.result.exitCode).to.equal(0);
    const order = r.journal.filter((e) => e.event === "done").map((e) => e.step);
    expect(order.indexOf("create-writer-instance")).to.be.lessThan(order.indexOf("switchover-database"));
    expect(order.indexOf("wait-capacity-healthy")).to.be.lessThan(order.indexOf("switchover-database"));
    expect(order.indexOf("switchover-database")).to.be.lessThan(order.indexOf("fence-old-primary"));
    within10(printed(r.lines, "measured RTO"), AURORA_INSTANCE_CREATE_SECONDS + AURORA_SWITCHOVER_SECONDS);
  });

  it("every scenario and fault is exercised here", () => {
    const scenarios = new Set([...runs.values()].map((r) => (r.journal[0].detail as { scenario: string }).scenario));
    expect([...scenarios].sort()).to.deep.equal([...scenarioNames()].sort());
    const faults = new Set([...runs.values()].flatMap((r) => (r.journal[0].detail as { faults: string[] }).faults));
    expect([...faults, "crash-after-cutover"].sort()).to.deep.equal([...FAULTS].sort());
  });
});

