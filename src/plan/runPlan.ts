/**
 * `plan`: validate every stack file, evaluate the stacks in deploy order under the mock engine,
 * and write plan.json, report.md and topology.svg all-or-nothing.
 */
import * as path from "path";
import { performance } from "perf_hooks";
import { evaluatePlan } from "./evaluatePlan";
import { buildPlanDocument } from "./planJson";
import { writeFolderAtomically } from "./output";
import { recoverySection } from "./recovery";
import { renderReport } from "./report";
import { policySection, policyStrictFailures } from "./policies";
import { loadStackSet, stackRegion } from "./stackSet";
import type { PlanResult } from "./result";
import { progressLine, summaryLines } from "./summary";
import { renderSvg, topologyDot } from "./topology";

export const DEFAULT_OUT_DIR = "plan";

export interface PlanOptions {
  /** Folder holding Pulumi.yaml and the stack files. */
  readonly projectDir: string;
  /** Stacks to plan; default every Pulumi.<stack>.yaml in projectDir. */
  readonly stacks?: readonly string[];
  /** Output folder; default <projectDir>/plan. */
  readonly outDir?: string;
  /** Fail (after writing the plan) when the RTO/RPO objectives are not met or a mandatory policy is violated. */
  readonly strict?: boolean;
  /** Where progress and summary lines go; default nowhere. */
  readonly log?: (line: string) => void;
}

export async function runPlan(options: PlanOptions): Promise<PlanResult> {
  const start = performance.now();
  const log = options.log ?? (() => undefined);
  const projectDir = path.resolve(options.projectDir);
  const outDir = path.resolve(projectDir, options.outDir ?? DEFAULT_OUT_DIR);
  const stacks = loadStackSet(projectDir, options.stacks, log);
  log(`Planning ${stacks.length} stack(s) from ${projectDir}: ${stacks.map((s) => `${s.stack} (${s.config.role}, ${stackRegion(s.config)})`).join(", ")}`);
  const evaluated = await evaluatePlan(stacks, (done) => log(progressLine(done)));
  const document = buildPlanDocument(evaluated);
  const recovery = recoverySection(stacks);
  const policies = policySection(evaluated);
  const svg = await renderSvg(topologyDot(document));
  writeFolderAtomically(outDir, {
    "plan.json": `${JSON.stringify(document, null, 2)}\n`,
    "report.md": renderReport(document, recovery, policies),
    "topology.svg": svg,
  });
  const strictFailures: string[] = [];
  if (options.strict && !recovery.objectivesMet)
    strictFailures.push(`the RTO/RPO objectives are not met (see the recovery section of report.md)${recovery.failures.length ? `:\n  - ${recovery.failures.join("\n  - ")}` : ""}`);
  if (options.strict) strictFailures.push(...policyStrictFailures(policies));
  const result: PlanResult = { document, outDir, evaluated, recovery, policies, seconds: (performance.now() - start) / 1000, strictFailures };
  for (const line of summaryLines(result)) log(line);
  return result;
}
