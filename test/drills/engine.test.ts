/**
 * The engine's retry and wait rules against a simulated pair: a mutating call whose outcome is
 * ambiguous (a timeout) is never issued twice when the first attempt took effect, backoff has full
 * jitter, and the cut-over wait covers AWS's "few minutes" and says how far it is.
 */
import { expect } from "chai";
import { CloudError } from "../../src/drills/cloud";
import { VirtualClock } from "../../src/drills/clock";
import { DrillInputs } from "../../src/drills/inputs";
import { loadInputs, readProjectStacks } from "../../src/drills/load";
import { backoffSeconds, MAX_BACKOFF_SECONDS, retrying, runSteps } from "../../src/drills/runner";
import { createWriterInstance, cutover, DEFAULT_CUTOVER_TIMEOUT_SECONDS, waitDatabaseCutover } from "../../src/drills/scenarios/database";
import { scaleOut } from "../../src/drills/scenarios/capacity";
import { initialState } from "../../src/drills/simState";
import { SimulatedCloud } from "../../src/drills/simulator";
import { StepContext } from "../../src/drills/step";
import { EXAMPLE_DIR, projectWith, resume, simulate } from "./harness";

/** A timeout after the request reached AWS: the call took effect, the client never heard. */
const ambiguous = (op: string) => new CloudError("transient", "TimeoutError", `us-west-2 ${op}`, "socket timed out after the request was sent");

describe("drill engine: retries and waits", () => {
  let inputs: DrillInputs;
  before(async () => {
    inputs = await loadInputs(readProjectStacks(projectWith((t) => t.replace("dr:strategy: warm-standby", "dr:strategy: pilot-light"))), "derived", {});
  });
  const ctxOf = (cloud: SimulatedCloud, log: string[] = [], into: DrillInputs = inputs): StepContext =>
    ({ inputs: into, cloud, clock: cloud.clock, from: into.primary, to: into.secondary, facts: {}, log: (l) => log.push(l) });

  it("an ambiguous timeout on CreateDBInstance is not followed by a second create: the retry finds the instance and stops", async () => {
    const cloud = new SimulatedCloud(inputs, initialState(inputs, []));
    const create = cloud.createDbInstance.bind(cloud);
    cloud.createDbInstance = async (region, p) => {
      await create(region, p);
      throw ambiguous("RDS.CreateDBInstance");
    };
    const log: string[] = [];
    const outcome = await runSteps({ steps: [createWriterInstance(inputs.secondary)], ctx: ctxOf(cloud, log), force: [] });
    expect(outcome.kind, log.join("\n")).to.equal("completed");
    expect(cloud.state.calls.filter((c) => c.operation === "CreateDBInstance")).to.have.length(1);
    expect(log.join("\n")).to.match(/the attempt that failed \(TimeoutError\) took effect; not issued again: cluster already has instance/);
  });

  it("an ambiguous timeout on FailoverGlobalCluster is not re-issued: FailoverState shows it running", async () => {
    const warm = await loadInputs(readProjectStacks(EXAMPLE_DIR), "derived", {});
    const cloud = new SimulatedCloud(warm, initialState(warm, []));
    const failover = cloud.failoverGlobalCluster.bind(cloud);
    cloud.failoverGlobalCluster = async (region, id, arn) => {
      await failover(region, id, arn);
      throw ambiguous("RDS.FailoverGlobalCluster");
    };
    const outcome = await runSteps({ steps: [cutover("failover", warm, warm.primary, warm.secondary)], ctx: ctxOf(cloud, [], warm), force: [] });
    expect(outcome.kind).to.equal("completed");
    expect(cloud.state.calls.filter((c) => c.operation === "FailoverGlobalCluster")).to.have.length(1);
  });

  it("a SetDesiredCapacity that timed out but landed is not issued again, and undo keeps the counts from before the drill", async () => {
    const cloud = new SimulatedCloud(inputs, initialState(inputs, []));
    const set = cloud.setDesiredCapacity.bind(cloud);
    let failed = false;
    cloud.setDesiredCapacity = async (region, name, desired) => {
      await set(region, name, desired);
      if (!failed) {
        failed = true;
        throw ambiguous("AutoScaling.SetDesiredCapacity");
      }
    };
    const before = Object.fromEntries(cloud.state.regions["us-west-2"].groups.map((g) => [g.name, g.desired]));
    const ctx = ctxOf(cloud);
    expect((await runSteps({ steps: [scaleOut(inputs, inputs.secondary)], ctx, force: [] })).kind).to.equal("completed");
    // Each group set once: the retry re-read the groups and set only the one the failed attempt had not reached.
    const sets = cloud.state.calls.filter((c) => c.operation === "SetDesiredCapacity").map((c) => c.params.AutoScalingGroupName);
    expect(sets).to.deep.equal(inputs.secondary.groups.map((g) => g.name));
    expect(ctx.facts.previousDesired).to.deep.equal(before);
  });

  it("backoff has full jitter: a random share of the capped exponential bound", async () => {
    expect(backoffSeconds(0, 0.5)).to.equal(0.5);
    expect(backoffSeconds(3, 0.25)).to.equal(2); // 0.25 x 8 s
    expect(backoffSeconds(10, 0.5)).to.equal(MAX_BACKOFF_SECONDS / 2);
    const clock = new VirtualClock(0, () => 0.3);
    let calls = 0;
    await retrying({ clock } as unknown as StepContext, { n: 0 }, async () => {
      if (calls++ < 2) throw new CloudError("throttling", "ThrottlingException", "x", "slow down");
    });
    expect(clock.now()).to.equal(300 + 600); // 0.3 x 1 s, then 0.3 x 2 s
  });

  it("waits for the new writer up to 900 s by default (AWS: \"typically within a few minutes\"), as --cutover-timeout says otherwise, printing progress", async () => {
    expect(DEFAULT_CUTOVER_TIMEOUT_SECONDS).to.be.at.least(600);
    expect(waitDatabaseCutover("failover", inputs, inputs.secondary).verify!.timeoutSeconds).to.equal(DEFAULT_CUTOVER_TIMEOUT_SECONDS);
    expect(waitDatabaseCutover("failover", { ...inputs, cutoverTimeoutSeconds: 1800 }, inputs.secondary).verify!.timeoutSeconds).to.equal(1800);
    // A failover that takes 400 s (more than the 180 s the drill used to wait).
    const warm = await loadInputs(readProjectStacks(EXAMPLE_DIR), "derived", {});
    const cloud = new SimulatedCloud(warm, initialState(warm, []));
    cloud.state.op = { kind: "failover", to: warm.secondary.region, doneAt: cloud.state.now + 400_000 };
    const log: string[] = [];
    const outcome = await runSteps({ steps: [waitDatabaseCutover("failover", warm, warm.secondary)], ctx: ctxOf(cloud, log, warm), force: [] });
    expect(outcome.kind, log.join("\n")).to.equal("completed");
    const progress = log.filter((l) => /^ {2}waiting \d+ s of up to 900 s: writer /.test(l));
    expect(progress.length).to.be.within(5, 14); // every 30 s or so over 400 s
  });

  it("--cutover-timeout is kept in the journal, so a resumed drill waits as long", async () => {
    const r = await simulate("failover", { cutoverTimeoutSeconds: 1200, faults: ["crash-after-cutover"] });
    expect(r.result.exitCode).to.equal(3);
    expect(r.journal[0].detail).to.deep.include({ cutoverTimeoutSeconds: 1200 });
    const resumed = await resume(r.journalFile);
    expect(resumed.result.exitCode).to.equal(0);
    expect(resumed.lines.find((l) => l.startsWith("- wait-database-cutover"))).to.include("waiting up to 1200 s, --cutover-timeout");
  });
});
