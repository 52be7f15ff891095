/** The terminal side of `plan`: a progress line per evaluated stack and a closing summary. */
import * as path from "path";
import type { EvaluatedStack } from "./evaluatePlan";
import { countByRegion, resourcesOfStack } from "./inventory";
import type { PlanResult } from "./result";
import { stackRegion } from "./stackSet";

export function progressLine(done: EvaluatedStack): string {
  const { planned, evaluation, seconds } = done;
  return `  ${planned.stack} (${planned.config.role}, ${stackRegion(planned.config)}): ${evaluation.resources.length} resources registered in ${seconds.toFixed(2)} s`;
}

export function summaryLines(result: PlanResult): string[] {
  const { document: doc } = result;
  const lines = ["", "Summary"];
  for (const s of doc.stacks) {
    const perRegion = countByRegion(resourcesOfStack(doc, s.stack)).map(([region, n]) => `${region} ${n}`).join(", ");
    lines.push(`  ${s.stack}: ${perRegion || "no cloud resources"} (cloud resources per region)`);
  }
  const kinds = new Map<string, number>();
  for (const l of doc.links) kinds.set(l.kind, (kinds.get(l.kind) ?? 0) + 1);
  lines.push(`  cross-region links: ${doc.links.length}${kinds.size ? ` (${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")})` : ""}`);
  lines.push(...result.recovery.summary.map((l) => `  ${l}`));
  lines.push(...result.policies.summary.map((l) => `  ${l}`));
  lines.push(`Wrote plan.json, report.md and topology.svg to ${shownDir(result.outDir)}/ in ${result.seconds.toFixed(2)} s.`);
  return lines;
}

/** A folder as the user would type it: relative to the current folder when inside it. */
export function shownDir(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel === "" ? "." : rel.startsWith("..") ? dir : rel;
}
