/**
 * Which region serves, read from the stack files: one rule (stacks/stackSet.ts resolveActiveRegion),
 * used by `plan` and by the drills alike, that works mid-outage when only the recovery region's file
 * records the failover.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { readProjectStacks } from "../src/drills/load";
import { loadStackSet } from "../src/plan/stackSet";
import { resolveActiveRegion } from "../stacks/stackSet";
import { EXAMPLE_DIR, PROJECT_DIR, projectWith } from "./drills/harness";

const EAST = "us-east-1";
const WEST = "us-west-2";

describe("the active region (one rule for plan and drills)", () => {
  it("files that leave it unset mean the primary's region; a file naming another region records a recovery and wins", () => {
    expect(resolveActiveRegion(EAST, [{ stack: "primary" }, { stack: "secondary" }, { stack: "links" }])).to.deep.equal({ region: EAST, behind: [] });
    // Mid-outage: only the secondary's file could be deployed, so only it says so.
    const outage = resolveActiveRegion(EAST, [{ stack: "primary" }, { stack: "secondary", activeRegion: WEST }, { stack: "links", activeRegion: EAST }]);
    expect(outage.region).to.equal(WEST);
    expect(outage.behind.map((f) => f.stack)).to.deep.equal(["primary", "links"]);
    // Failback recorded everywhere: back to the primary.
    expect(resolveActiveRegion(EAST, [{ stack: "primary", activeRegion: EAST }, { stack: "secondary", activeRegion: EAST }]).region).to.equal(EAST);
  });

  it("two different recovery regions cannot both be right: refused, naming each file", () => {
    expect(() => resolveActiveRegion(EAST, [{ stack: "primary" }, { stack: "west", activeRegion: WEST }, { stack: "central", activeRegion: "eu-central-1" }]))
      .to.throw(/Pulumi\.primary\.yaml says nothing \(us-east-1\), Pulumi\.west\.yaml says us-west-2, Pulumi\.central\.yaml says eu-central-1/);
  });

  it("plan and the drill answer the same on mid-outage stack files (only the secondary's records the failover)", () => {
    const dir = projectWith((t) => t.replace("dr:role: secondary", `dr:role: secondary\n  dr:activeRegion: ${WEST}`));
    fs.copyFileSync(path.join(EXAMPLE_DIR, "Pulumi.links.yaml"), path.join(dir, "Pulumi.links.yaml"));
    expect(readProjectStacks(dir).activeRegion).to.equal(WEST);
    const warnings: string[] = [];
    const planned = loadStackSet(dir, undefined, (w) => warnings.push(w));
    // Every stack is planned with the region that serves (the primary and links files still say nothing).
    expect(planned.map((s) => [s.stack, s.config.activeRegion, s.rawConfig["dr:activeRegion"]])).to.deep.equal([
      ["primary", WEST, WEST], ["secondary", WEST, WEST], ["links", WEST, WEST],
    ]);
    expect(warnings.join("\n")).to.include("pulumi config set dr:activeRegion us-west-2 --stack primary").and.to.include("--stack links");
  });

  it("src/plan and src/drills both call resolveActiveRegion (one function, not two copies of the rule)", () => {
    for (const file of ["src/plan/stackSet.ts", "src/drills/load.ts"])
      expect(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8"), file).to.match(/resolveActiveRegion\(/);
  });
});
