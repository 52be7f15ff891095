/**
 * `plan`: validate every stack file, evaluate the stacks in deploy order under the mock engine,
 * and write plan.json, report.md and topology.svg all-or-nothing. A failed plan leaves none of
 * them, not even an earlier run's.
 */
import * as path from "path";
import { performance } from "perf_hooks";
import { evaluatePlan } from "./evaluatePlan";
import { buildPlanDocument } from "./planJson";
import { PlanFiles, removePlanFiles, writePlanFiles } from "./output";
import { recoverySection } from "./recovery";
import { renderReport } from "./report";
import { policySection, policyStrictFailures } from "./policies";
import { loadStackSet, stackRegion } from "./stackSet";
import type { PlanResult } from "./result";
import { progressLine, shownDir, summaryLines } from "./summary";
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
  // An earlier run's files would read as the plan of the config that is about to fail.
  const removed = removePlanFiles(outDir);
  let planned: Omit<PlanResult, "seconds" | "strictFailures">;
  try {
    planned = await planInto(outDir, projectDir, options.stacks, log);
  } catch (err) {
    // The error keeps its class (a user error prints without a trace); its message says what is left.
    if (err instanceof Error) err.message += `\nNo plan was written${removed.length ? `; the earlier plan in ${shownDir(outDir)}/ (${removed.join(", ")}) was removed, as it does not match this config` : ` to ${shownDir(outDir)}/`}.`;
    throw err;
  }
  const { recovery, policies } = planned;
  const strictFailures: string[] = [];
  if (options.strict && !recovery.objectivesMet)
    strictFailures.push(`the RTO/RPO objectives are not met (see the recovery section of report.md)${recovery.failures.length ? `:\n  - ${recovery.failures.join("\n  - ")}` : ""}`);
  if (options.strict) strictFailures.push(...policyStrictFailures(policies));
  const result: PlanResult = { ...planned, seconds: (performance.now() - start) / 1000, strictFailures };
  for (const line of summaryLines(result)) log(line);
  return result;
}

/** Validates and evaluates the stacks, then writes PLAN_FILES into `outDir` all-or-nothing. */
async function planInto(outDir: string, projectDir: string, stackNames: readonly string[] | undefined, log: (line: string) => void): Promise<Omit<PlanResult, "seconds" | "strictFailures">> {
  const stacks = loadStackSet(projectDir, stackNames, log);
  log(`Planning ${stacks.length} stack(s) from ${projectDir}: ${stacks.map((s) => `${s.stack} (${s.config.role}, ${stackRegion(s.config)})`).join(", ")}`);
  const evaluated = await evaluatePlan(stacks, (done) => log(progressLine(done)));
  const document = buildPlanDocument(evaluated);
  const recovery = recoverySection(stacks);
  const policies = policySection(evaluated);
  const files: PlanFiles = {
    "plan.json": `${JSON.stringify(document, null, 2)}\n`,
    "report.md": renderReport(document, recovery, policies),
    "topology.svg": await renderSvg(topologyDot(document)),
  };
  writePlanFiles(outDir, files);
  return { document, outDir, evaluated, recovery, policies };
}
