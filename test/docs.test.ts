/**
 * The README and runbooks against the code: figures derived from the code (the policy count and
 * names from policy/registry.ts, the partition game day's route quota from gameDayPlan.ts), claims that must not come back (IAM and Route 53 changed "through
 * its own region's provider"), and sections an operator needs (returning after a restore, lost
 * writes after an unplanned failover). Nothing in the repository cites files it does not hold.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CROSS_REGION_ROUTE_QUOTA, CROSS_REGION_ROUTE_QUOTA_US_EAST_1 } from "../components/resilience/gameDayPlan";
import { loadPolicies } from "../policy/registry";
import { reportBaseName } from "../src/drills/report";
import { PROJECT_DIR } from "./harness/stack";

const read = (file: string) => fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
/** The text of a `## ` section (up to the next `## `). */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}`);
  expect(start, `section "## ${heading}"`).to.be.greaterThan(-1);
  const end = text.indexOf("\n## ", start + 4);
  return text.slice(start, end === -1 ? undefined : end);
}

/** Every text file of the project (not dependencies, builds or generated output). */
function projectFiles(dir = PROJECT_DIR, rel = ""): string[] {
  const skip = new Set(["node_modules", "build", ".git", "plan", "drills", "docs"]);
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = path.join(rel, e.name);
    if (e.isDirectory()) return skip.has(e.name) ? [] : projectFiles(dir, p);
    return /\.(ts|js|md|json|ya?ml)$/.test(e.name) && e.name !== "package-lock.json" ? [p] : [];
  });
}

describe("docs match the code", () => {
  const readme = read("README.md");

  it("the README's policy count and table come from the registry (policy/registry.ts), so they cannot drift", () => {
    const policies = loadPolicies();
    const counted = /of (\d+) policies, each naming/.exec(readme);
    expect(counted, "README: 'of N policies, each naming'").to.not.equal(null);
    expect(Number(counted![1])).to.equal(policies.length);
    const table = section(readme, "Guardrails (policy pack)");
    for (const p of policies) expect(table, p.name).to.contain(`\`${p.name}\``);
  });

  it("no file cites the design document or anything outside the repository", () => {
    const files = projectFiles();
    expect(files).to.include("runbooks/restore.md").and.include("stacks/links.ts");
    // The pattern is assembled from parts so this file, which names what it looks for, is searched too.
    const outside = new RegExp([["DESIGN", "md"].join("\\."), ["\\.\\.", "shared", ""].join("/")].join("|"));
    const citing = files.filter((f) => outside.test(read(f)));
    expect(citing).to.deep.equal([]);
  });

  it("says where IAM's and Route 53's control planes are, what a us-east-1 outage freezes, and what to keep outside the protected regions", () => {
    expect(readme).to.not.match(/through its own region's\s+provider/);
    const stability = section(readme, "Who owns each cross-region link");
    expect(stability).to.contain("control planes are in us-east-1");
    expect(stability).to.contain("What a us-east-1 outage freezes");
    expect(stability).to.contain("secrets provider").and.contain("break-glass");
    expect(stability).to.contain("https://docs.aws.amazon.com/IAM/latest/UserGuide/disaster-recovery-resiliency.html");
  });

  it("names drill reports as the drill writes them (drill-report-<scenario>-<start>), never a single drill-report.md", () => {
    const docs = ["README.md", ...fs.readdirSync(path.join(PROJECT_DIR, "runbooks")).map((f) => path.join("runbooks", f))];
    const prefix = reportBaseName("failover", "2026-01-01T00:00:00.000Z").split("2026")[0];
    expect(prefix).to.equal("drill-report-failover-");
    for (const f of docs) expect(read(f), f).to.not.match(/`(drills\/)?drill-report\.(md|json)`/);
  });

  it("states the partition game day's route quota as components/resilience/gameDayPlan.ts has it (README and runbooks/game-day.md)", () => {
    const prose = (file: string) => read(file).replace(/\*\*/g, "").replace(/\s+/g, " ");
    expect(prose("README.md")).to.contain(`raised to ${CROSS_REGION_ROUTE_QUOTA} plus existing routes (${CROSS_REGION_ROUTE_QUOTA_US_EAST_1} in us-east-1)`);
    expect(prose("runbooks/game-day.md")).to.contain(`to ${CROSS_REGION_ROUTE_QUOTA} plus the routes the tables already hold (${CROSS_REGION_ROUTE_QUOTA_US_EAST_1} plus existing in us-east-1)`);
  });

  it("runbooks/restore.md says how to return without the failback drill (a backup-restore pair has no global database)", () => {
    const restore = read("runbooks/restore.md");
    expect(section(restore, "Rollback")).to.not.contain("(failback.md)");
    const back = section(restore, "Returning to the primary region");
    expect(back).to.contain("copy-db-cluster-snapshot").and.contain("dr:activeRegion").and.contain("Game-day check");
  });

  it("runbooks/failover.md says how to recover lost writes from the unplanned-failover snapshot, before it expires", () => {
    const lost = section(read("runbooks/failover.md"), "Recovering lost writes after an unplanned failover");
    expect(lost).to.contain("rds:unplanned-global-failover-").and.contain("copy-db-cluster-snapshot").and.contain("retention");
    expect(lost).to.contain("https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html");
    expect(lost).to.contain("Game-day check");
  });
});
