/**
 * What a drill measured, from its journal (so a resumed drill measures across both runs):
 * RTO from the start of the recovery (the first `recovery-start` step: the old region's switch-off in a
 * warm-standby failover, which stands for its loss, else the first step that changes the recovery region) until the
 * `recovered` step is done (clients resolve to the new region and its health endpoint passes, after
 * the database cut-over finished); RPO from the replication lag at the cut-over plus the canary:
 * a canary written in the old primary before the cut-over and missing in the new one means
 * everything since it was written is presumed lost. A restore loses what the recovery point lacks:
 * its age when the drill found it (the primary's writes since that backup).
 */
import { HEADER_STEP, JournalEntry, journaledFacts } from "./journal";
import { DrillInputs } from "./inputs";
import { scenarioModelRto } from "./model";
import { Facts, Scenario, Step } from "./step";

export interface StepTiming {
  readonly step: string;
  readonly region: string;
  readonly outcome: "done" | "failed" | "skipped" | "unfinished";
  readonly startedAt: string;
  readonly seconds: number;
}

export interface Measurements {
  readonly rtoSeconds?: number;
  readonly rpoSeconds?: number;
  readonly modelRtoSeconds?: number;
  readonly targetRtoSeconds: number;
  readonly targetRpoSeconds: number;
  readonly lagAtCutoverSeconds?: number;
  readonly canary: "found" | "missing" | "not written" | "not checked" | "not used";
  /** A switchover: it synchronizes before it swaps roles, so the lag before it is not lost. */
  readonly planned?: boolean;
  /** restore: the recovery point restored and its creation time (ISO). */
  readonly recoveryPoint?: { readonly arn: string; readonly createdAt: string };
  readonly facts: Facts;
  readonly steps: readonly StepTiming[];
  /** Whether the drill reached its recovered step; false: RTO and RPO were not achieved, whatever the numbers. */
  readonly recovered?: boolean;
}

const ms = (iso: string) => Date.parse(iso);

export function stepTimings(entries: readonly JournalEntry[]): StepTiming[] {
  const out = new Map<string, { region: string; start: string; end?: string; outcome: StepTiming["outcome"] }>();
  for (const e of entries.filter((x) => x.step !== HEADER_STEP)) {
    const t = out.get(e.step);
    if (e.event === "start") out.set(e.step, { region: e.region, start: t?.start ?? e.at, outcome: "unfinished" });
    else if (t) Object.assign(t, { end: e.at, outcome: e.event });
  }
  return [...out].map(([step, t]) => ({ step, region: t.region, outcome: t.outcome, startedAt: t.start, seconds: t.end ? (ms(t.end) - ms(t.start)) / 1000 : 0 }));
}

export function measure(entries: readonly JournalEntry[], scenario: Scenario, steps: readonly Step[], inputs: DrillInputs): Measurements {
  const facts = journaledFacts(entries);
  const marked = (mark: "recovery-start" | "cutover" | "recovered") => steps.filter((s) => s.marks?.includes(mark)).map((s) => s.name);
  const firstStart = (names: string[]) => entries.find((e) => names.includes(e.step) && e.event === "start")?.at;
  const lastDone = (names: string[]) => [...entries].reverse().find((e) => names.includes(e.step) && e.event === "done")?.at;
  const start = firstStart(marked("recovery-start")) ?? firstStart(marked("cutover"));
  const end = lastDone(marked("recovered"));
  const rtoSeconds = start && end ? Math.round((ms(end) - ms(start)) / 1000) : undefined;
  const cutoverAt = firstStart(marked("cutover"));
  const looked = entries.some((e) => e.step === "check-canary" && (e.event === "done" || e.event === "skipped"));
  const canary: Measurements["canary"] = marked("cutover").length === 0 ? "not used" : facts.canaryKey === undefined ? "not written"
    : facts.canaryFound ? "found" : looked ? "missing" : "not checked";
  const planned = scenario.modelRto === "planned-switchover";
  const lost = canary === "missing" && cutoverAt && facts.canaryWrittenAt ? Math.max(0, (ms(cutoverAt) - facts.canaryWrittenAt) / 1000) : 0;
  // A switchover synchronizes the secondaries before it swaps roles: what lag there was is not lost.
  const lag = planned ? 0 : facts.lagAtCutoverSeconds;
  // Unknown until the drill looked for the canary (or could not write one and knows the lag).
  const known = canary === "found" || canary === "missing" || (canary === "not written" && lag !== undefined);
  const restored = facts.recoveryPointAgeSeconds !== undefined && facts.recoveryPointArn && facts.recoveryPointCreatedAt !== undefined
    ? { arn: facts.recoveryPointArn, createdAt: new Date(facts.recoveryPointCreatedAt).toISOString() } : undefined;
  const rpoSeconds = restored ? facts.recoveryPointAgeSeconds : cutoverAt === undefined || !known ? undefined : Math.round((lag ?? 0) + lost);
  return {
    rtoSeconds, rpoSeconds, ...(restored ? { recoveryPoint: restored } : {}), modelRtoSeconds: scenarioModelRto(inputs, scenario.modelRto, steps.find((s) => s.marks?.includes("recovered"))?.region),
    targetRtoSeconds: inputs.primary.config.objectives.rtoSeconds, targetRpoSeconds: inputs.primary.config.objectives.rpoSeconds.database,
    lagAtCutoverSeconds: facts.lagAtCutoverSeconds, canary, ...(planned ? { planned } : {}), facts, steps: stepTimings(entries), recovered: end !== undefined,
  };
}

/** The lines the CLI prints; their wording is a contract (tests and game-day scripts grep them). */
export function measurementLines(m: Measurements): string[] {
  const lines: string[] = [];
  if (m.rtoSeconds !== undefined) lines.push(`measured RTO ${m.rtoSeconds} s`);
  if (m.modelRtoSeconds !== undefined) lines.push(`model RTO ${m.modelRtoSeconds} s`);
  if (m.rpoSeconds !== undefined) lines.push(`measured RPO ${m.rpoSeconds} s`);
  if (m.rtoSeconds !== undefined) lines.push(`RTO target ${m.targetRtoSeconds} s: ${m.rtoSeconds <= m.targetRtoSeconds ? "met" : "MISSED"}`);
  const rpoBasis = m.recoveryPoint ? `recovery point ${m.recoveryPoint.arn} created ${m.recoveryPoint.createdAt}`
    : m.planned ? `a switchover loses nothing: it synchronizes before swapping roles (lag before it ${m.lagAtCutoverSeconds ?? "unknown"} s, drained, not lost), canary ${m.canary}`
      : `lag at cut-over ${m.lagAtCutoverSeconds ?? "unknown"} s, canary ${m.canary}`;
  // A drill that stopped before recovering met nothing: its RPO is what a recovery would have lost.
  const rpoVerdict = (rpo: number) => (m.recovered === false ? `not reached (the drill stopped before recovering; ${rpo <= m.targetRpoSeconds ? "within" : "past"} the target)` : rpo <= m.targetRpoSeconds ? "met" : "MISSED");
  if (m.rpoSeconds !== undefined) lines.push(`RPO target ${m.targetRpoSeconds} s: ${rpoVerdict(m.rpoSeconds)} (${rpoBasis})`);
  return lines;
}
