/**
 * The README's simulated drill figures ("Simulated on the example files ...") against the drills
 * run on the example files now: a change of the steps or the model that moves a figure fails here
 * until the README says the new one. The figures expected are the simulations', never constants.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { DrillRequest } from "../../src/drills/drill";
import { printed, PROJECT_DIR, projectWith, simulate } from "./harness";

/** The README as one line, thousands separators dropped (1,055 -> 1055). */
const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8").replace(/\s+/g, " ").replace(/(\d),(\d{3})\b/g, "$1$2");

async function figures(scenario: string, extra: Partial<DrillRequest> = {}): Promise<{ rto: number; model: number; rpo?: number }> {
  const ran = await simulate(scenario, extra);
  expect(ran.result.exitCode, ran.lines.join("\n")).to.equal(0);
  const rpo = ran.lines.some((l) => l.startsWith("measured RPO ")) ? printed(ran.lines, "measured RPO") : undefined;
  return { rto: printed(ran.lines, "measured RTO"), model: printed(ran.lines, "model RTO"), rpo };
}

describe("README: the simulated drill figures it quotes", function () {
  this.timeout(30_000);

  it("warm standby (the example): failover, a lost region, switchover, failback, dns", async () => {
    const failover = await figures("failover");
    expect(readme).to.contain(`failover ${failover.rto} s against the model's ${failover.model} s`);
    const lost = await figures("failover", { faults: ["primary-region-down"] });
    expect(readme).to.contain(`--fault primary-region-down\` (the region is lost as the drill starts) ${lost.rto} s against`);
    const switchover = await figures("switchover");
    expect(readme).to.contain(`Switchover ${switchover.rto} s against ${switchover.model} s`);
    const failback = await figures("failback");
    expect(readme).to.contain(`failback ${failback.rto} s against ${failback.model} s`);
    const dns = await figures("dns");
    expect(readme).to.contain(`dns ${dns.rto} s against ${dns.model} s`);
  });

  it("replication paused: the objects' RPO of a failover", async () => {
    const paused = await figures("failover", { faults: ["replication-paused"] });
    expect(readme).to.contain(`Simulated with \`--fault replication-paused\`: database 1 s (met), objects at least ${paused.rpo} s against 900 s (MISSED), \`measured RPO ${paused.rpo} s\``);
  });

  it("pilot light: failover and switchover; ARC: a switched failover", async () => {
    const pilot = projectWith((t) => t.replace("dr:strategy: warm-standby", "dr:strategy: pilot-light"));
    const failover = await figures("failover", { cwd: pilot });
    const switchover = await figures("switchover", { cwd: pilot });
    expect(readme).to.contain(`Pilot light: failover ${failover.rto} s against ${failover.model} s`);
    expect(readme).to.contain(`switchover ${switchover.rto} s against ${switchover.model} s`);
    const arc = await figures("failover", { cwd: projectWith((t) => t.replace("mechanism: cloudwatch-alarm", "mechanism: arc-routing-control")) });
    expect(readme).to.contain(`with ARC (10 s assumed) a switched failover is ${arc.rto} s`);
  });

  it("restore (the example files simulated as a backup-restore pair)", async () => {
    const restore = await figures("restore");
    expect(readme).to.contain(`simulated on the example files, ${restore.rto} s (restore`);
    expect(readme).to.contain(`against the model's ${restore.model} s (which overlaps scale-out with the restore), RPO ${restore.rpo} s`);
  });
});
