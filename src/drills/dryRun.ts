/** The dry-run printer: every call a drill would make, one per line, under a comment per step. Changes nothing. */
import { formatCall } from "./cloud";
import { Step } from "./step";

export function dryRunLines(steps: readonly Step[]): string[] {
  return steps.flatMap((s, i) => [
    `# ${i + 1}. ${s.name} (${s.region}${s.required ? "" : ", best effort"}${s.gate ? `, gate ${s.gate}` : ""}): ${s.purpose}`,
    ...s.calls.map(formatCall),
  ]);
}

/** Only the call lines (what tests pin). */
export function dryRunCalls(steps: readonly Step[]): string[] {
  return dryRunLines(steps).filter((l) => !l.startsWith("#"));
}
