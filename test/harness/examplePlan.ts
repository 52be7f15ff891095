/**
 * The example configuration (its stack files in test/fixtures/example) planned once per mocha process, shared by
 * every test file that needs it, so its evaluation is paid once.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PlanResult } from "../../src/plan/result";
import { runPlan } from "../../src/plan/runPlan";
import { EXAMPLE_DIR } from "./paths";

let example: Promise<PlanResult> | undefined;

/** The plan of the example with --strict (its verdicts in strictFailures), written to `<fresh temporary folder>/plan`. */
export function examplePlan(): Promise<PlanResult> {
  if (!example) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "dr-example-plan-"));
    process.on("exit", () => fs.rmSync(root, { recursive: true, force: true }));
    example = runPlan({ projectDir: EXAMPLE_DIR, outDir: path.join(root, "plan"), strict: true });
  }
  return example;
}
