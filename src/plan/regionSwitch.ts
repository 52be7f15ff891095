/**
 * The in-cloud plan's part of report.md: the ARC Region switch plan's workflows (each step, its
 * block, the drill step it came from), its alarms and triggers, and the drill steps it has no block
 * for (check them before starting it, or do them after), read from the planned Plan resource and the
 * links stack's regionSwitchPlan output.
 */
import type { PlanDocument } from "./document";

const PLAN = "aws:arcregionswitch/plan:Plan";
type Json = Record<string, unknown>;
const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
const list = (v: unknown) => (Array.isArray(v) ? (v as Json[]) : []);

export function regionSwitchSection(doc: PlanDocument): string[] {
  const out = ["## In-cloud recovery (ARC Region switch plan)", ""];
  const plan = doc.resources.find((r) => r.type === PLAN);
  if (!plan) return [...out, "No Region switch plan: the strategy keeps no standby global-database member with one active region (only pilot-light and warm-standby have one).", ""];
  const p = plan.inputs;
  const exported = doc.stacks.find((s) => s.stack === plan.stack)?.outputs.regionSwitchPlan as Json | undefined;
  const unmapped = (exported?.unmapped ?? {}) as Record<string, string[]>;
  const warnings = (Array.isArray(exported?.evaluationWarnings) ? exported.evaluationWarnings : []) as string[];
  const triggers = list(p.triggers);
  out.push(
    `Plan **${String(p.name)}** (${String(p.recoveryApproach)}, regions ${list(p.regions).join(" and ")}, RTO objective ${String(p.recoveryTimeObjectiveMinutes)} min) in stack ${plan.stack}, created through ${plan.region}'s control plane; ` +
      `started from the activated region's data plane (\`npm run dr -- region-switch start --to <region>\`, runbooks). ` +
      (triggers.length ? `Starts by itself when ${triggers.flatMap((t) => list(t.conditions).map((c) => `${String(c.associatedAlarmName)} is ${String(c.condition)}`)).join(" and ")} (activates ${triggers.map((t) => String(t.targetRegion)).join(", ")}).` : "No trigger: a person starts it."),
    "",
    // ARC repeats an uncleared evaluation warning once a day, and every one pages (runbooks/alerts.md).
    warnings.length
      ? `**Expected plan-evaluation warnings: ${warnings.length}, each one page a day** (ARC repeats an uncleared warning every 24 hours; runbooks/alerts.md#region-switch-plan-warning):`
      : "Expected plan-evaluation warnings: none (any evaluation warning pages: runbooks/alerts.md#region-switch-plan-warning).",
    ...warnings.map((w) => `- ${w}`),
    "",
  );
  for (const w of list(p.workflows)) {
    const region = String(w.workflowTargetRegion);
    out.push(`### activate ${region}`, "", row(["#", "step", "block", "from drill step"]), row(["---", "---", "---", "---"]));
    list(w.steps).forEach((s, i) => {
      const children = list(list(s.parallelConfigs)[0]?.steps);
      const block = children.length ? `Parallel: ${children.map((c) => `${String(c.executionBlockType)} ${String(c.name)}`).join(", ")}` : String(s.executionBlockType);
      out.push(row([String(i + 1), String(s.name), block, String(s.description ?? "").split(":")[0]]));
    });
    out.push("", `Drill steps with no block (preconditions to check before starting, or steps to do after): ${(unmapped[region] ?? []).length ? "" : "none."}`, ...(unmapped[region] ?? []).map((u) => `- ${u}`), "");
  }
  return out;
}
