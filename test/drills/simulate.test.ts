/**
 * Every scenario and fault through the simulator (virtual clock: no real sleeps). Expected timings
 * are the published (or stated-as-assumed) figures written below with their sources and the stack
 * files' settings, never the model's constants or the drill's own output.
 */
import { expect } from "chai";
import * as fs from "fs";
import { scenario, scenarioNames } from "../../src/drills/scenarios";
import { loadInputs, readProjectStacks } from "../../src/drills/load";
import { failoverAnswer, FAULTS, PRIMARY_RETURNS_AFTER_SECONDS, SIM_START } from "../../src/drills/simState";
import { SimulatedCloud } from "../../src/drills/simulator";
import { credentialsCall } from "../../src/drills/drill";
import { BACKUP_FAULTS } from "../../src/drills/simBackup";
import { parseStackConfig } from "../../stacks/configSchema";
import { readStackConfig } from "../../src/engine/stackFiles";
import { callsOf, EXAMPLE_DIR, printed, PROJECT_DIR, projectWith, Ran, resume, simulate } from "./harness";
import { ALIAS_TTL, AURORA_FAILOVER, AURORA_SWITCHOVER, CONNECT_TIMEOUT, DB_INSTANCE_CREATE, FRESH_LAUNCH, S3_RTC_BOUND, SWITCH_ALARM_PERIOD, SWITCH_PICKUP, TYPICAL_LAG, WARM_POOL_START } from "../harness/citedFigures";

/** Issue 12: a warm-standby failover drill, run at detection, under two minutes. */
const RTO_GOAL = 120;
/** The example's objective (dr:objectives.rtoSeconds), set for its alarm-started recovery (dr:recovery). */
const RTO_TARGET = 180;

const within10 = (measured: number, model: number) => expect(Math.abs(measured - model), `measured ${measured} s vs model ${model} s`).to.be.at.most(0.1 * model);
const config = (stack: string) => parseStackConfig(readStackConfig(EXAMPLE_DIR, stack), stack);
const done = (r: Ran, step: string) => r.journal.some((e) => e.step === step && e.event === "done");
/** Route 53 detection: failureThreshold checks intervalSeconds apart, the last waiting out the connect timeout. */
const detection = () => config("primary").healthCheck.intervalSeconds * config("primary").healthCheck.failureThreshold + CONNECT_TIMEOUT;
/** A new target serves after one passing target-group check: at most one interval (dr:targetHealth). */
const targetCheck = () => config("secondary").targetHealth.intervalSeconds;
/** The model's unplanned RTO for the example (warm standby, automation triggers at detection): detection + the slowest of DNS, promotion, warm-pool scale-out. */
const unplannedModel = () => detection() + Math.max(ALIAS_TTL, AURORA_FAILOVER, WARM_POOL_START + targetCheck());
/** The CloudWatch region switch (the example's mechanism): a write until Route 53 follows it. */
const SWITCH = SWITCH_ALARM_PERIOD + SWITCH_PICKUP;
/** A game-day failover (the old region answers): DNS moves by the switch, promotion and scale-out meanwhile. */
const switchedModel = () => Math.max(SWITCH + ALIAS_TTL, AURORA_FAILOVER, WARM_POOL_START + targetCheck());

describe("drills in the simulator", function () {
  this.timeout(10_000);
  const runs = new Map<string, Ran>();
  before(async () => {
    for (const [key, name, faults] of [
      ["switchover", "switchover", []], ["failover", "failover", []], ["failover-down", "failover", ["primary-region-down"]], ["failback", "failback", []], ["dns", "dns", []],
      ["readiness", "readiness", []], ["lag", "switchover", ["lag-over-target"]], ["throttling", "switchover", ["throttling"]], ["timeout", "switchover", ["timeout"]],
      ["failover-lag", "failover", ["lag-over-target"]], ["readiness-lag", "readiness", ["lag-over-target"]],
      ["returns", "failover", ["primary-region-returns"]], ["partial", "failover", ["partial-outage"]],
      // With the region lost, DNS moves at detection: the capacity denied is what then shows in the RTO (the switch's delay would hide it).
      ["failover-ice", "failover", ["primary-region-down", "insufficient-capacity"]], ["readiness-paused", "readiness", ["replication-paused"]],
      ["switched-off", "failover", ["secondary-switched-off"]], ["switched-off-down", "failover", ["secondary-switched-off", "primary-region-down"]], ["cw-impaired", "failover", ["recovery-cloudwatch-impaired"]],
      ["failover-paused", "failover", ["replication-paused"]],
    ] as const) runs.set(key, await simulate(name, { faults: [...faults] }));
  });

  it("switchover completes and its measured RTO/RPO agree with the model within 10 %", () => {
    const r = runs.get("switchover")!;
    expect(r.result.exitCode).to.equal(0);
    // Warm standby: the switchover (300 s), then the switch (alarm period + pickup) and DNS (60 s); the warm-pool scale-out (30 s + one check) runs meanwhile.
    const model = Math.max(AURORA_SWITCHOVER + SWITCH + ALIAS_TTL, WARM_POOL_START + targetCheck());
    expect(printed(r.lines, "model RTO")).to.equal(model);
    within10(printed(r.lines, "measured RTO"), model);
    expect(printed(r.lines, "measured RPO")).to.equal(0); // a switchover loses nothing
    expect(r.sim.writer).to.equal("us-west-2");
    expect(callsOf(r, "FailoverGlobalCluster")).to.have.length(0);
    const lines = r.lines.map((l) => l.trim());
    // Simulated: the follow-up a real drill prints, commented out and marked.
    expect(lines).to.include("# (simulated, do not run) pulumi config set dr:activeRegion us-west-2 --stack primary");
    expect(lines).to.include("# (simulated, do not run) pulumi config set dr:activeRegion us-west-2 --stack secondary");
    expect(lines.filter((l) => l.startsWith("pulumi "))).to.deep.equal([]);
    expect(lines.some((l) => l.startsWith("SIMULATED: nothing changed in AWS"))).to.equal(true);
  });

  it("switchover moves DNS by the switches once the database has moved (each written in the other region), never through Route 53", () => {
    const r = runs.get("switchover")!;
    expect(r.sim.calls.filter((c) => c.service === "Route53")).to.deep.equal([]);
    expect(r.sim.regions["us-east-1"].switch.map((w) => w.on)).to.deep.equal([false]);
    expect(r.sim.regions["us-west-2"].switch.map((w) => w.on)).to.deep.equal([true]); // on if needed: idempotent
    expect(callsOf(r, "PutMetricData").map((c) => [c.region, (c.params.MetricData as { Value: number }[])[0].Value])).to.deep.equal([["us-east-1", 0], ["us-west-2", 1]]);
    const order = r.journal.filter((e) => e.event === "done").map((e) => e.step);
    expect(order.indexOf("wait-database-cutover")).to.be.lessThan(order.indexOf("switch-on-secondary"));
    expect(order.indexOf("switch-on-secondary")).to.be.lessThan(order.indexOf("switch-off-primary"));
  });

  it("a warm-standby failover (game day) switches the old region off first and measures RTO within 10 % of the model", () => {
    const r = runs.get("failover")!;
    expect(r.result.exitCode).to.equal(0);
    const model = switchedModel();
    expect(model).to.equal(150); // 90 s switch + 60 s DNS cache; promotion 60 s and capacity 35 s meanwhile
    expect(printed(r.lines, "model RTO")).to.equal(model);
    within10(printed(r.lines, "measured RTO"), model);
    expect(r.lines).to.include(`RTO target ${RTO_TARGET} s: met`);
    // The scale-out started the warm pools' instances: ready one start + one target check after the call.
    const scaleOutAt = Date.parse(r.journal.find((e) => e.step === "scale-out-recovery" && e.event === "done")!.at);
    for (const g of r.sim.regions["us-west-2"].groups) expect(Math.max(...g.ready) - scaleOutAt, g.name).to.equal((WARM_POOL_START + targetCheck()) * 1000);
    // DNS moved because the old region was switched off (first, in us-west-2 where its switch lives), not through Route 53.
    expect(r.sim.calls.filter((c) => c.service === "Route53")).to.deep.equal([]);
    const order = r.journal.filter((e) => e.event === "done").map((e) => e.step);
    expect(order[order.findIndex((x) => x.startsWith("gate-ami")) + 1]).to.equal("switch-off-primary");
    // The old region off where its switch lives, then the recovery region on (idempotent) where its own lives: in the primary's region.
    expect(callsOf(r, "PutMetricData").map((c) => c.region)).to.deep.equal(["us-west-2", "us-east-1"]);
  });

  it("insufficient-capacity (the capacity-denied game day): the recovery region's warm pools cannot start, so its groups launch fresh and the RTO grows", () => {
    const r = runs.get("failover-ice")!;
    expect(r.result.exitCode).to.equal(0);
    const scaleOutAt = Date.parse(r.journal.find((e) => e.step === "scale-out-recovery" && e.event === "done")!.at);
    for (const g of r.sim.regions["us-west-2"].groups) expect(Math.max(...g.ready) - scaleOutAt, g.name).to.equal((FRESH_LAUNCH + targetCheck()) * 1000);
    expect(printed(r.lines, "measured RTO")).to.be.greaterThan(printed(runs.get("failover-down")!.lines, "measured RTO"));
    // The wait's progress lines end with the moment it ended, not with the last "1/3 in service".
    const entry = (event: string) => Date.parse(r.journal.find((e) => e.step === "wait-capacity-healthy" && e.event === event)!.at);
    const waited = (entry("done") - entry("start")) / 1000;
    const at = r.lines.findIndex((l) => l.startsWith("- wait-capacity-healthy "));
    const wait = r.lines.slice(at + 1, r.lines.findIndex((l, i) => i > at && l.startsWith("- ")));
    expect(wait.slice(0, -1).every((l) => /^ {2}waiting \d+ s of up to \d+ s: .*1\/3 in service/.test(l)), wait.join("\n")).to.equal(true);
    expect(wait.at(-1)).to.match(new RegExp(`^ {2}reached after ${waited} s of up to \\d+ s: `));
  });

  it("replication-paused (the partition game day): readiness reports the canary that did not replicate, and only that", () => {
    const r = runs.get("readiness-paused")!;
    expect(r.result.exitCode).to.equal(1);
    const failed = r.journal.filter((e) => e.event === "failed").map((e) => e.step);
    expect(failed).to.deep.equal(["check-canary"]);
    expect(runs.get("readiness")!.journal.filter((e) => e.event === "failed")).to.deep.equal([]);
  });

  it("replication-paused in a failover: the objects' RPO is at least the canary's age when the wait gave up, judged against the objects' target; the database's stays its lag", () => {
    const r = runs.get("failover-paused")!;
    // A missed RPO is a finding the report carries, not a failed step (as with lag-over-target).
    expect(r.result.exitCode).to.equal(0);
    const written = r.journal.find((e) => e.step === "write-canary" && e.event === "done")!;
    const gaveUp = r.journal.find((e) => e.step === "check-canary" && e.event === "skipped")!;
    const age = Math.round((Date.parse(gaveUp.at) - Date.parse(written.at)) / 1000);
    expect(age).to.be.above(S3_RTC_BOUND); // the wait alone is the RTC bound, after the cut-over
    const { objects, database } = config("primary").objectives.rpoSeconds;
    expect(printed(r.lines, "measured RPO")).to.equal(age);
    expect(r.lines).to.include(`RPO database ${TYPICAL_LAG} s, target ${database} s: met (lag at cut-over ${TYPICAL_LAG} s)`);
    expect(r.lines.find((l) => l.startsWith("RPO objects "))).to.match(new RegExp(`^RPO objects at least ${age} s, target ${objects} s: MISSED \\(the canary \\S+ never arrived`));
    expect(r.lines.find((l) => l.startsWith("RPO targets: "))).to.match(/^RPO targets: MISSED by objects/);
    // The report files show each store's RPO.
    const [json, md] = r.result.reportFiles!;
    const report = JSON.parse(fs.readFileSync(json, "utf8")) as { measurements: { rpo: { store: string; seconds?: number; verdict: string }[] } };
    expect(report.measurements.rpo.map((x) => [x.store, x.seconds, x.verdict])).to.deep.equal([["database", TYPICAL_LAG, "met"], ["objects", age, "MISSED"], ["secrets", undefined, "not measured"]]);
    const text = fs.readFileSync(md, "utf8");
    expect(text).to.contain("## RPO per data store").and.contain(`| objects | at least ${age} s | ${objects} s | MISSED |`).and.contain(`| database | ${TYPICAL_LAG} s | ${database} s | met |`);
  });

  it("failover run at detection completes while the primary region answers nothing, under the 120 s goal (issue 12); what targets it is skipped, not blocking", () => {
    const r = runs.get("failover-down")!;
    expect(r.result.exitCode).to.equal(0);
    // The region is lost as the drill starts: its endpoint check fails sooner than the switch acts, so the model's region-loss figure.
    expect(unplannedModel()).to.equal(94); // 34 s detection + 60 s (DNS cache; promotion ties), capacity 35 s
    const measured = printed(r.lines, "measured RTO");
    within10(measured, unplannedModel());
    expect(measured).to.be.at.most(RTO_GOAL);
    expect(r.lines).to.include(`RTO target ${RTO_TARGET} s: met`);
    expect(r.sim.writer).to.equal("us-west-2");
    const skipped = r.journal.filter((e) => e.event === "skipped").map((e) => e.step);
    expect(skipped).to.deep.equal(["switch-on-secondary", "write-canary", "check-canary"]);
    expect(r.sim.regions["us-east-1"].switch.map((w) => w.on)).to.deep.equal([false]); // required, and done through us-west-2
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
    expect(r.lines.some((l) => l.startsWith(`RPO database ${2 * rpo} s, target ${rpo} s: MISSED`))).to.equal(true);
    expect(r.lines.find((l) => l.startsWith("RPO targets: "))).to.match(/^RPO targets: MISSED by database; met by objects/);
  });

  it("switchover refuses while lag exceeds the RPO target, naming the gate and its --force", () => {
    const r = runs.get("lag")!;
    expect(r.result.exitCode).to.equal(2);
    expect(r.result.outcome).to.include({ kind: "refused", gate: "replication-lag", step: "gate-replication-lag" });
    const rpo = config("primary").objectives.rpoSeconds.database;
    expect(rpo).to.equal(TYPICAL_LAG); // the example asks for what Aurora typically keeps
    // The fault doubles the lag over the target.
    expect(r.lines.join("\n")).to.match(new RegExp(`gate replication-lag refuses: Aurora replication lag ${2 * rpo} s exceeds the RPO target ${rpo} s.*--force replication-lag`));
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
    // Each operation is throttled once; all but the one check-regions retries itself and the credentials
    // pre-check (before the first step) are journaled with their step.
    expect(r.sim.throttled.length).to.be.greaterThan(10);
    expect(r.sim.throttled).to.include("STS.GetCallerIdentity");
    expect(retries).to.be.within(r.sim.throttled.length - 2, r.sim.throttled.length - 1);
  });

  it("a verification that never passes times out, stops the drill before DNS moves, and offers the undo", () => {
    const r = runs.get("timeout")!;
    expect(r.result.exitCode).to.equal(1);
    const outcome = r.result.outcome!;
    if (outcome.kind !== "failed") throw new Error(`expected failed, got ${outcome.kind}`);
    expect(outcome.step).to.equal("wait-capacity-healthy");
    expect(outcome.reason).to.match(/^timed out after \d+ s/);
    expect(outcome.undo.map((u) => u.step)).to.deep.equal(["switchover-database", "scale-out-recovery"]);
    expect(r.sim.regions["us-east-1"].switch).to.deep.equal([]); // DNS never moved to a region with nothing healthy
    // No silent success: the banner names what is left, in order.
    expect(r.lines).to.include("!!! DRILL NOT COMPLETE: required step wait-capacity-healthy failed; exit code non-zero");
    expect(r.lines.find((l) => l.startsWith("!!! left to do"))).to.match(/^!!! left to do, in order: wait-capacity-healthy, wait-database-cutover, switch-on-secondary, switch-off-primary, verify-service, /);
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
    within10(printed(second.lines, "measured RTO"), AURORA_SWITCHOVER + SWITCH + ALIAS_TTL);
    // The lag at the cut-over was journaled by its own step before the crash.
    expect(second.result.measurements?.lagAtCutoverSeconds).to.equal(TYPICAL_LAG);
  });

  it("failback re-establishes the secret replica (password rotated during the outage copied back), switches back and restores DNS", async () => {
    const r = runs.get("failback")!;
    expect(r.result.exitCode).to.equal(0);
    // DNS is back on the original primary, and stays there.
    const inputs = await loadInputs(readProjectStacks(EXAMPLE_DIR), "derived", {});
    const cloud = new SimulatedCloud(inputs, JSON.parse(JSON.stringify(r.sim)) as typeof r.sim);
    await cloud.clock.sleep(3600);
    expect(await cloud.testDnsAnswer(inputs.hostedZoneId, inputs.domain)).to.deep.equal([r.sim.regions["us-east-1"].address]);
    expect(r.sim.writer).to.equal("us-east-1");
    expect(callsOf(r, "PutSecretValue").map((c) => c.region)).to.deep.equal(["us-east-1"]);
    expect(callsOf(r, "ReplicateSecretToRegions")[0].params).to.include({ ForceOverwriteReplicaSecret: true, Region: "us-west-2" });
    expect(r.sim.regions["us-west-2"].secret).to.include({ value: "password-2", primaryRegion: "us-east-1" });
    // The original primary is switched on only once the switchover back has finished.
    expect(r.sim.regions["us-east-1"].switch.at(-1)?.on).to.equal(true);
    const order = r.journal.filter((e) => e.event === "done").map((e) => e.step);
    expect(order.indexOf("wait-database-cutover")).to.be.lessThan(order.indexOf("switch-on-primary"));
    // The recovery region is never switched off: off, both records would be unhealthy in the next outage and Route 53 answers PRIMARY.
    expect(r.sim.regions["us-west-2"].switch.filter((w) => !w.on)).to.deep.equal([]);
    expect(printed(r.lines, "measured RPO")).to.equal(0);
    expect(r.lines.map((l) => l.trim())).to.include("# (simulated, do not run) pulumi config set dr:activeRegion us-east-1 --stack primary");
  });

  it("dns moves DNS to the standby and back by the switch, in the switch's delay + TTL", () => {
    const r = runs.get("dns")!;
    expect(r.result.exitCode).to.equal(0);
    const model = SWITCH + ALIAS_TTL;
    expect(printed(r.lines, "model RTO")).to.equal(model);
    within10(printed(r.lines, "measured RTO"), model);
    expect(r.sim.writer).to.equal("us-east-1"); // no data touched
    expect(r.sim.calls.filter((c) => c.service === "RDS")).to.deep.equal([]);
  });

  it("dns on pilot light refuses at its baseline and says why (the standby serves nothing until a recovery) and what to run instead; the README's dns row says so", async () => {
    const r = await simulate("dns", { cwd: projectWith((t) => t.replace("dr:strategy: warm-standby", "dr:strategy: pilot-light")) });
    expect(r.result.exitCode).to.equal(2);
    expect(r.result.outcome).to.include({ kind: "refused", step: "check-dns-baseline" });
    const reason = (r.result.outcome as { reason: string }).reason;
    expect(reason).to.contain("health check hc-us-west-2 of us-west-2 is unhealthy").and.contain("With dr:strategy pilot-light, us-west-2 runs no web instances until a recovery scales it out")
      .and.contain("'npm run dr -- drill failover --simulate'").and.contain("'npm run dr -- drill readiness'");
    expect(callsOf(r, "PutMetricData")).to.deep.equal([]); // nothing switched
    const row = fs.readFileSync(`${PROJECT_DIR}/README.md`, "utf8").split("\n").find((l) => l.startsWith("| `dns` |"))!;
    expect(row).to.contain("pilot light").and.contain("exit 2").and.contain("drill failover --simulate");
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
    const inputs = await loadInputs(readProjectStacks(EXAMPLE_DIR), "derived", {});
    for (const r of runs.values()) {
      const header = r.journal[0].detail as { scenario: string; from: string; to: string };
      const region = (name: string) => [inputs.primary, inputs.secondary].find((x) => x.region === name)!;
      const steps = scenario(header.scenario).steps(inputs, region(header.from), region(header.to));
      const declared = new Set([credentialsCall(header.to), ...steps.flatMap((s) => s.calls)].map((c) => `${c.region} ${c.service}.${c.operation}`));
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
    expect(order.indexOf("switchover-database")).to.be.lessThan(order.indexOf("switch-off-primary"));
    within10(printed(r.lines, "measured RTO"), DB_INSTANCE_CREATE + AURORA_SWITCHOVER + SWITCH + ALIAS_TTL);
    // The headless member published no lag (the simulator assumes so: undocumented); the gate says what it saw and lets the switchover synchronize it.
    expect(r.lines.join("\n")).to.match(/saw: no AuroraGlobalDBReplicationLag datapoint for \S+ in the last 10 minutes; the cluster is available with 0 DB instance\(s\)/);
    expect(r.journal.find((e) => e.step === "read-lag-at-cutover" && e.event === "done")?.detail).to.deep.include({ facts: { lagAtCutoverSeconds: TYPICAL_LAG } });
    // Pilot light has no warm pool by default: its instances launch fresh, then pass one target check.
    const scaleOutAt = Date.parse(r.journal.find((e) => e.step === "scale-out-recovery" && e.event === "done")!.at);
    const check = parseStackConfig(readStackConfig(dir, "secondary"), "secondary").targetHealth.intervalSeconds;
    for (const g of r.sim.regions["us-west-2"].groups) expect(Math.max(...g.ready) - scaleOutAt, g.name).to.equal((FRESH_LAUNCH + check) * 1000);
  });

  it("pilot light fails over with DNS kept back until the writer and capacity stand: the switch-off comes right before the cut-over", async () => {
    const dir = projectWith((t) => t.replace("dr:strategy: warm-standby", "dr:strategy: pilot-light"));
    const r = await simulate("failover", { cwd: dir });
    expect(r.result.exitCode).to.equal(0);
    const order = r.journal.filter((e) => e.event === "done").map((e) => e.step);
    expect(order.slice(order.indexOf("wait-capacity-healthy"), order.indexOf("failover-database") + 1)).to.deep.equal(["wait-capacity-healthy", "switch-off-primary", "switch-on-secondary", "read-lag-at-cutover", "failover-database"]);
    // Writer creation (600 s, capacity meanwhile), then the switch and DNS; promotion (60 s) runs meanwhile.
    within10(printed(r.lines, "measured RTO"), DB_INSTANCE_CREATE + Math.max(SWITCH + ALIAS_TTL, AURORA_FAILOVER));
  });

  it("primary-region-returns: the old primary answers again during the drill, and DNS ends on the recovery region and stays there", async () => {
    const r = runs.get("returns")!;
    expect(r.result.exitCode).to.equal(0);
    const inputs = await loadInputs(readProjectStacks(EXAMPLE_DIR), "derived", {});
    const cloud = new SimulatedCloud(inputs, r.sim);
    const east = r.sim.regions["us-east-1"];
    expect(east.upAt! - SIM_START).to.equal(PRIMARY_RETURNS_AFTER_SECONDS * 1000);
    // Its endpoint passes again (the hazard the switch is for) ...
    expect(await cloud.httpStatus("https://us-east-1.orders.example.com/healthz")).to.equal(200);
    // ... yet Route 53 answers the recovery region, now and an hour and a day later.
    for (const later of [0, 3600, 86400]) {
      await cloud.clock.sleep(later);
      expect(await cloud.testDnsAnswer(inputs.hostedZoneId, inputs.domain), `+${later} s`).to.deep.equal([r.sim.regions["us-west-2"].address]);
    }
  });

  it("secondary-switched-off: the failover switches the recovery region on (in its switch's host region), so DNS moves instead of staying on PRIMARY", async () => {
    const r = runs.get("switched-off")!;
    expect(r.result.exitCode).to.equal(0);
    // us-west-2's CloudWatch switch lives in the primary's region (components/dns/regionSwitch.ts placement); 0 is on.
    const on = r.sim.calls.filter((c) => c.operation === "PutMetricData" && JSON.stringify(c.params).includes('"Value":"us-west-2"'));
    expect(on.map((c) => [c.region, (c.params.MetricData as { Value: number }[])[0].Value])).to.deep.equal([["us-east-1", 0]]);
    const inputs = await loadInputs(readProjectStacks(EXAMPLE_DIR), "derived", {});
    const cloud = new SimulatedCloud(inputs, r.sim);
    await cloud.clock.sleep(3600);
    expect(await cloud.testDnsAnswer(inputs.hostedZoneId, inputs.domain)).to.deep.equal([r.sim.regions["us-west-2"].address]);
  });

  it("secondary-switched-off with the primary's region lost: its switch (held there) cannot be written; the drill says it did not recover, never completes", () => {
    const r = runs.get("switched-off-down")!;
    // Route 53 keeps the switch's last known status (off): both records unhealthy answer PRIMARY, the lost region (runbooks/failover.md: switch-on-secondary).
    expect(r.result.exitCode).to.not.equal(0);
    expect(r.journal.filter((e) => e.step === "switch-on-secondary").map((e) => [e.event, e.region])).to.deep.equal([["start", "us-east-1"], ["skipped", "us-east-1"]]);
    expect(r.journal.find((e) => e.event === "failed")?.step).to.equal("verify-service");
  });

  it("recovery-cloudwatch-impaired (CloudWatch switch): the old region cannot be switched off, so the failover stops before anything changes and names --force region-switch", () => {
    const r = runs.get("cw-impaired")!;
    expect(r.result.exitCode).to.not.equal(0);
    expect(r.journal.find((e) => e.event === "failed")?.step).to.equal("switch-off-primary");
    expect(callsOf(r, "FailoverGlobalCluster")).to.deep.equal([]);
    expect(callsOf(r, "SetDesiredCapacity")).to.deep.equal([]);
    expect(r.lines.join("\n")).to.match(/only if us-east-1 answers nothing .*--force region-switch goes on without this step/);
  });

  it("partial-outage: the primary's database is lost while its load balancer serves; the switch moves DNS anyway", async () => {
    const r = runs.get("partial")!;
    expect(r.result.exitCode).to.equal(0);
    // Nothing but the best-effort canary and the recovery region's own switch-on (its switch lives there) asks the failing region.
    expect(r.sim.calls.filter((c) => c.region === "us-east-1" && c.service !== "S3").map((c) => `${c.service}.${c.operation}`)).to.deep.equal(["CloudWatch.PutMetricData"]);
    const inputs = await loadInputs(readProjectStacks(EXAMPLE_DIR), "derived", {});
    const cloud = new SimulatedCloud(inputs, r.sim);
    expect(await cloud.httpStatus("https://us-east-1.orders.example.com/healthz")).to.equal(200); // its endpoint check keeps passing
    expect(await cloud.testDnsAnswer(inputs.hostedZoneId, inputs.domain)).to.deep.equal([r.sim.regions["us-west-2"].address]);
    within10(printed(r.lines, "measured RTO"), switchedModel());
  });

  it("Route 53 answers failover records as AWS documents: both unhealthy answers PRIMARY", () => {
    // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
    expect(failoverAnswer(true, true)).to.equal("PRIMARY");
    expect(failoverAnswer(true, false)).to.equal("PRIMARY");
    expect(failoverAnswer(false, true)).to.equal("SECONDARY");
    expect(failoverAnswer(false, false)).to.equal("PRIMARY");
  });

  it("every scenario and fault is exercised here (restore and its faults: restore.test.ts)", () => {
    const scenarios = new Set([...runs.values()].map((r) => (r.journal[0].detail as { scenario: string }).scenario));
    expect([...scenarios, "restore"].sort()).to.deep.equal([...scenarioNames()].sort());
    const faults = new Set([...runs.values()].flatMap((r) => (r.journal[0].detail as { faults: string[] }).faults));
    expect([...faults, "crash-after-cutover", "crash-after-switch-off", ...BACKUP_FAULTS].sort()).to.deep.equal([...FAULTS].sort()); // crash-after-switch-off: outageShapes.test.ts
  });
});


describe("failing back into the primary (full size whatever dr:strategy)", function () {
  this.timeout(20_000);

  it("a pilot light's failback is compared with a standing cluster's switchover, not with the writer creation it never runs", async () => {
    const pilot = projectWith((t) => t.replace("dr:strategy: warm-standby", "dr:strategy: pilot-light"));
    const ran = await simulate("failback", { cwd: pilot });
    expect(ran.result.exitCode, ran.lines.join("\n")).to.equal(0);
    // The cited figures: switchover, then the CloudWatch switch (one period + pickup), then the alias TTL.
    const planned = AURORA_SWITCHOVER + SWITCH_ALARM_PERIOD + SWITCH_PICKUP + ALIAS_TTL;
    expect(printed(ran.lines, "model RTO")).to.equal(planned).and.to.be.below(DB_INSTANCE_CREATE + AURORA_SWITCHOVER);
    expect(printed(ran.lines, "measured RTO")).to.be.at.least(planned).and.below(planned + 30);
    // Into the secondary the pilot light still creates its writer first: its switchover's model counts it.
    const switchover = await simulate("switchover", { cwd: pilot });
    expect(printed(switchover.lines, "model RTO")).to.equal(DB_INSTANCE_CREATE + planned);
  });
});
