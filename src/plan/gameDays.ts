/**
 * The game-day part of report.md: each stack's AWS FIS templates (scenario, region, stop
 * conditions, targets, actions) and its restore-testing schedule, read from the planned resources.
 */
import type { PlanDocument, PlanResource } from "./document";

const TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate";
const PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan";
const SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";

interface Target { name: string; resourceType: string; selectionMode: string; resourceTags?: Array<{ key: string; value: string }> }
interface Action { name: string; actionId: string; target?: { value: string } }

const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
/** An alarm's name from its ARN (arn:aws:cloudwatch:<region>:<account>:alarm:<name>). */
const alarmName = (arn: unknown) => String(arn).split(":alarm:").pop() ?? String(arn);
const of = (doc: PlanDocument, type: string) => doc.resources.filter((r) => r.type === type);

function templateRow(t: PlanResource): string {
  const tags = t.inputs.tags as Record<string, string> | undefined;
  const stops = (t.inputs.stopConditions as Array<{ value?: string }> | undefined) ?? [];
  const targets = (t.inputs.targets as Target[] | undefined) ?? [];
  const actions = (t.inputs.actions as Action[] | undefined) ?? [];
  return row([
    tags?.["dr:game-day"] ?? t.name, t.stack, t.region,
    stops.map((s) => alarmName(s.value)).join(", "),
    targets.map((x) => `${x.name}: ${x.resourceType} ${x.selectionMode} where ${(x.resourceTags ?? []).map((k) => `${k.key}=${k.value}`).join(", ")}`).join("; "),
    actions.map((a) => `${a.actionId} -> ${a.target?.value ?? "-"}`).join("; "),
  ]);
}

export function gameDaySection(doc: PlanDocument): string[] {
  const templates = of(doc, TEMPLATE);
  const plans = of(doc, PLAN);
  const out = ["## Game days", ""];
  if (!templates.length) out.push("No AWS FIS templates: dr:gameDays is not set (see runbooks/game-day.md).", "");
  else {
    out.push("AWS FIS templates (start one with `npm run dr -- gameday <scenario>`; runbooks/game-day.md):", "",
      row(["scenario", "stack", "region", "stop conditions (alarms)", "targets", "actions"]), row(["---", "---", "---", "---", "---", "---"]), ...templates.map(templateRow), "");
  }
  if (!plans.length) out.push("No restore testing: dr:backup.restoreTesting is off (it follows dr:gameDays unless set).", "");
  else {
    out.push("Restore testing (AWS Backup restores the newest recovery point, validates it and deletes it):", "",
      row(["stack", "region", "plan", "schedule", "start window h", "restores", "validation window h"]), row(["---", "---", "---", "---", "---", "---", "---"]),
      ...plans.map((p) => {
        const selections = of(doc, SELECTION).filter((s) => s.stack === p.stack && s.region === p.region);
        return row([p.stack, p.region, String(p.inputs.name), String(p.inputs.scheduleExpression), String(p.inputs.startWindowHours ?? "-"),
          selections.map((s) => `${String(s.inputs.protectedResourceType)} ${((s.inputs.protectedResourceArns as string[] | undefined) ?? []).join(", ")}`).join("; "),
          [...new Set(selections.map((s) => String(s.inputs.validationWindowHours)))].join(", ")]);
      }), "");
  }
  return out;
}
