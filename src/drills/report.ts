/**
 * drill-report-<scenario>-<start time>.json and .md: the timeline, each step's duration, measured
 * against target and model. One pair per drill (a resumed drill rewrites its own), so a game day's
 * drills do not overwrite each other's reports.
 */
import * as fs from "fs";
import * as path from "path";
import { formatCall } from "./cloud";
import { Measurements, measurementLines, rpoFigure, rpoSummary } from "./measure";
import { Outcome } from "./runner";
import { Step } from "./step";

export interface DrillReport {
  readonly scenario: string;
  readonly mode: string;
  readonly from: string;
  readonly to: string;
  readonly faults: readonly string[];
  readonly journal: string;
  /** ISO time the drill started (its journal's first entry). */
  readonly startedAt: string;
  readonly outcome: Outcome;
  readonly measurements: Measurements;
  readonly followUp: readonly string[];
}

export function reportMarkdown(r: DrillReport, steps: readonly Step[]): string {
  const m = r.measurements;
  const status = r.outcome.kind === "completed" ? (r.outcome.failedChecks.length ? "completed with failed checks" : "completed") : `${r.outcome.kind} at ${r.outcome.step}`;
  const out = [
    `# Drill report: ${r.scenario} (${r.mode})${r.mode === "simulate" ? " - SIMULATED, nothing changed in AWS" : ""}`, "",
    `From ${r.from} to ${r.to}; faults: ${r.faults.join(", ") || "none"}; journal: \`${r.journal}\`; outcome: **${status}**.`, "",
    "## Measured against target and model", "", "```text", ...measurementLines(m), "```", "",
    ...rpoTable(m),
    "## Timeline", "", "| step | region | outcome | started | seconds |", "| --- | --- | --- | --- | ---: |",
    ...m.steps.map((s) => `| ${s.step} | ${s.region} | ${s.outcome} | ${s.startedAt} | ${s.seconds} |`), "",
  ];
  if (r.outcome.kind === "failed") out.push("## Undo offered", "", ...r.outcome.undo.map((u) => `- ${u.step}: ${u.description}`), "");
  if (r.outcome.kind !== "completed") out.push("## Stopped", "", r.outcome.reason, "");
  if (r.outcome.kind === "completed" && r.outcome.failedChecks.length) out.push("## Failed checks", "", ...r.outcome.failedChecks.map((c) => `- ${c}`), "");
  if (r.followUp.length) out.push("## Follow-up", "", "```sh", ...r.followUp, "```", "");
  out.push("## Steps and their calls", "", ...steps.flatMap((s) => [`- **${s.name}** (${s.region}${s.required ? "" : ", best effort"}): ${s.purpose}`, ...s.calls.map((c) => `  - \`${formatCall(c)}\``)]), "");
  return out.join("\n");
}

/** Each data store's RPO against its own objective (dr:objectives.rpoSeconds), and the drill's verdict over them. */
function rpoTable(m: Measurements): string[] {
  if (!m.rpo.length) return [];
  return [
    "## RPO per data store", "", "| store | measured | target | verdict | basis |", "| --- | ---: | ---: | --- | --- |",
    ...m.rpo.map((s) => `| ${s.store} | ${rpoFigure(s)} | ${s.targetSeconds} s | ${m.recovered === false && s.seconds !== undefined ? "not reached" : s.verdict} | ${s.basis} |`), "",
    `RPO targets: ${rpoSummary(m.rpo, m.recovered)}.`, "",
  ];
}

export function writeReport(dir: string, r: DrillReport, steps: readonly Step[]): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, reportBaseName(r.scenario, r.startedAt));
  const json = `${base}.json`;
  const md = `${base}.md`;
  fs.writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  fs.writeFileSync(md, reportMarkdown(r, steps));
  return [json, md];
}

/** `drill-report-<scenario>-<start, ISO without colons>`: names that sort by time and never collide between drills. */
export function reportBaseName(scenario: string, startedAt: string): string {
  return `drill-report-${scenario}-${startedAt.replace(/[:.]/g, "-")}`;
}
