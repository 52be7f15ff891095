/** Each scenario's runbook names every step of the drill, in order, as the drill names it. */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { scenarioInputs } from "../../src/drills/drill";
import { readProjectStacks } from "../../src/drills/load";
import { scenario, scenarioNames } from "../../src/drills/scenarios";
import { EXAMPLE_DIR, PROJECT_DIR, projectWith } from "./harness";

/** `### 7. \`step-name\` (pilot light only)` -> the steps a runbook lists for one strategy. */
function runbookSteps(name: string, pilotLight: boolean): string[] {
  const text = fs.readFileSync(path.join(PROJECT_DIR, "runbooks", `${name}.md`), "utf8");
  return [...text.matchAll(/^### \d+\. `([a-z0-9-]+)`(.*)$/gm)]
    .filter(([, , note]) => (pilotLight ? !note.includes("(not pilot light)") : !note.includes("(pilot light only)")))
    .map(([, step]) => step);
}

describe("runbooks", () => {
  const dirs = { "warm standby": EXAMPLE_DIR, "pilot light": projectWith((t) => t.replace("dr:strategy: warm-standby", "dr:strategy: pilot-light")) };

  for (const name of scenarioNames()) {
    for (const [strategy, dir] of Object.entries(dirs)) {
      it(`${name}.md lists the ${name} drill's steps in order (${strategy})`, async () => {
        const project = readProjectStacks(dir);
        const sc = scenario(name);
        const { inputs } = await scenarioInputs(sc, project, "derived", {});
        const { from, to } = sc.direction(inputs, project.activeRegion);
        const steps = sc.steps(inputs, from, to).map((s) => s.name);
        expect(runbookSteps(name, strategy === "pilot light")).to.deep.equal(steps);
      });
    }
  }

  it("every runbook has the sections an operator needs under stress", () => {
    for (const name of scenarioNames()) {
      const text = fs.readFileSync(path.join(PROJECT_DIR, "runbooks", `${name}.md`), "utf8");
      for (const section of ["## Purpose", "## When to use it", "## Preconditions", "## Steps", "## Verification", "## Expected RTO/RPO", "## Rollback", "## When a step fails"])
        expect(text, `${name}.md lacks ${section}`).to.include(section);
    }
  });
});
