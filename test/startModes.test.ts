import { expect } from "chai";
import { readStackConfig } from "../src/engine/stackFiles";
import { estimateRecovery, rtoByStartMode } from "../src/model/recovery";
import { parseStackConfig, StackConfig } from "../stacks/configSchema";
import { validateStackSet } from "../stacks/stackSet";
import { examplePlan } from "./harness/examplePlan";
import { CONNECT_TIMEOUT, HEALTH_CHECK_METRIC_PERIOD, HIGH_RES_ALARM_EVALUATION, REGION_SWITCH_TRIGGER_START } from "./harness/citedFigures";
import { EXAMPLE_DIR } from "./harness/paths";

const primaryFile = () => readStackConfig(EXAMPLE_DIR, "primary");
const secondaryFile = () => readStackConfig(EXAMPLE_DIR, "secondary");
const PRIMARY = parseStackConfig(primaryFile(), "Pulumi.primary.yaml");
const SECONDARY = parseStackConfig(secondaryFile(), "Pulumi.secondary.yaml");

/** The trigger probe's published shape, written here: 3 failed 10 s periods raise the alarm. */
const PROBE_PERIOD = 10;
const PROBE_DATAPOINTS = 3;

function withRecovery(c: StackConfig, recovery: Partial<StackConfig["recovery"]>): StackConfig {
  return { ...c, recovery: { ...c.recovery, ...recovery } };
}

describe("RTO by who starts recovery (dr:recovery)", () => {
  const detection = PRIMARY.healthCheck.intervalSeconds * PRIMARY.healthCheck.failureThreshold + CONNECT_TIMEOUT;

  it("a person-started recovery pays the page, the configured reaction and the approval: never a zero decision", () => {
    const primary = withRecovery(PRIMARY, { mode: "person", approval: true, personReactionSeconds: 900, approvalSeconds: 180 });
    const e = estimateRecovery({ primary, secondary: SECONDARY, start: "person" });
    expect(e.terms.decision.seconds).to.equal(HEALTH_CHECK_METRIC_PERIOD + 900 + 180);
    expect(e.terms.decision.source).to.contain("dr:recovery.personReactionSeconds").and.contain("ManualApproval");
    const noApproval = estimateRecovery({ primary: withRecovery(primary, { approval: false }), secondary: SECONDARY, start: "person" });
    expect(noApproval.terms.decision.seconds).to.equal(HEALTH_CHECK_METRIC_PERIOD + 900);
    expect(e.rto.dominant).to.equal("decision");
  });

  it("an alarm-started recovery counts the probe's failed periods, the alarm's evaluation and the trigger's start from the loss", () => {
    const primary = withRecovery(PRIMARY, { mode: "alarm", approval: false });
    const e = estimateRecovery({ primary, secondary: SECONDARY, start: "alarm" });
    const fromLoss = PROBE_PERIOD * PROBE_DATAPOINTS + HIGH_RES_ALARM_EVALUATION + REGION_SWITCH_TRIGGER_START;
    expect(e.terms.decision.seconds).to.equal(fromLoss - detection);
    const approved = estimateRecovery({ primary: withRecovery(primary, { approval: true, approvalSeconds: 120 }), secondary: SECONDARY, start: "alarm" });
    expect(approved.terms.decision.seconds).to.equal(fromLoss - detection + 120);
  });

  it("a drill run at detection has no decision term, and is the figure drills compare with (the default)", () => {
    expect(estimateRecovery({ primary: PRIMARY, secondary: SECONDARY }).startMode).to.equal("drill");
    expect(estimateRecovery({ primary: PRIMARY, secondary: SECONDARY, start: "drill" }).terms.decision.seconds).to.equal(0);
  });

  it("the side-by-side rows: one per start mode, the configured one marked, slower starts never faster", () => {
    const rows = rtoByStartMode({ primary: withRecovery(PRIMARY, { mode: "person" }), secondary: SECONDARY });
    expect(rows.map((r) => r.mode)).to.have.members(["person", "alarm", "drill"]);
    expect(rows.filter((r) => r.configured).map((r) => r.mode)).to.deep.equal(["person"]);
    const rto = Object.fromEntries(rows.map((r) => [r.mode, r.rto.seconds]));
    expect(rto.person).to.be.greaterThan(rto.alarm);
    expect(rto.alarm).to.be.at.least(rto.drill);
  });

  it("the example plan judges the configured start (an alarm without approval) and shows every start mode", async () => {
    expect(PRIMARY.recovery).to.include({ mode: "alarm", approval: false });
    const result = await examplePlan();
    expect(result.strictFailures).to.deep.equal([]);
    const report = result.recovery.markdown;
    const table = report.slice(report.indexOf("#### RTO by who starts recovery"));
    const rows = table.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| start") && !l.startsWith("| ---"));
    expect(rows.slice(0, 3).map((r) => r.split("|")[1].trim())).to.satisfy((cells: string[]) =>
      ["person", "alarm", "drill"].every((m) => cells.some((c) => c.replace(/\*/g, "").startsWith(m))));
    const person = rows.find((r) => r.includes("person ("))!;
    expect(Number(person.split("|")[2])).to.be.greaterThan(0);
    expect(rows.find((r) => r.includes("(configured)"))).to.contain("alarm").and.contain("PASS");
  });

  it("refuses region stacks that disagree on dr:recovery, naming the key, both values and the other stack", () => {
    const secondary = { ...secondaryFile(), "dr:recovery": JSON.stringify({ mode: "person", approval: false }) };
    const problems = (() => {
      try {
        validateStackSet([
          { stack: "primary", config: parseStackConfig(primaryFile(), "p") },
          { stack: "secondary", config: parseStackConfig(secondary, "s") },
        ]);
        return "";
      } catch (e) {
        return String(e);
      }
    })();
    expect(problems).to.contain("dr:recovery.mode").and.contain('"person"').and.contain('"alarm"').and.contain("primary");
  });

  it("a misspelt start mode names the key, the value and the modes there are", () => {
    expect(() => parseStackConfig({ ...primaryFile(), "dr:recovery": JSON.stringify({ mode: "pager" }) }, "Pulumi.primary.yaml"))
      .to.throw(/dr:recovery\.mode = "pager": must be one of person, alarm/);
  });
});
