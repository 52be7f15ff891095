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
import { DataStore } from "../../stacks/configSchema";
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

/** Why a store's RPO was not measured, or how it was: the wording a report prints after the figure. */
export type RpoVerdict = "met" | "MISSED" | "unknown" | "not measured";

/**
 * One data store's measured RPO against its own objective (dr:objectives.rpoSeconds.<store>), as
 * the plan's RPO table sets one per store: the database by the replication lag at the cut-over (or
 * a restore's recovery point age), the objects by the S3 canary, the secrets not measured.
 */
export interface StoreRpo {
  readonly store: DataStore;
  readonly targetSeconds: number;
  /** The data lost, in seconds; absent when the drill did not measure it (`basis` says why). */
  readonly seconds?: number;
  /** `seconds` is a lower bound: a canary that never arrived was still missing that long after it was written. */
  readonly atLeast?: boolean;
  readonly verdict: RpoVerdict;
  readonly basis: string;
}

export interface Measurements {
  readonly rtoSeconds?: number;
  /** The largest RPO of the stores measured (`measured RPO <n> s`); each store's is in `rpo`. */
  readonly rpoSeconds?: number;
  readonly modelRtoSeconds?: number;
  readonly targetRtoSeconds: number;
  /** Per data store; empty for a drill that moves no data (dns, readiness). */
  readonly rpo: readonly StoreRpo[];
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
  // When the drill stopped looking for the canary (found, or the wait gave up).
  const looked = [...entries].reverse().find((e) => e.step === "check-canary" && (e.event === "done" || e.event === "skipped"));
  const canary: Measurements["canary"] = marked("cutover").length === 0 ? "not used" : facts.canaryKey === undefined ? "not written"
    : facts.canaryFound ? "found" : looked ? "missing" : "not checked";
  const planned = scenario.modelRto === "planned-switchover";
  const restored = facts.recoveryPointAgeSeconds !== undefined && facts.recoveryPointArn && facts.recoveryPointCreatedAt !== undefined
    ? { arn: facts.recoveryPointArn, createdAt: new Date(facts.recoveryPointCreatedAt).toISOString() } : undefined;
  const recovered = end !== undefined;
  const target = (store: DataStore) => inputs.primary.config.objectives.rpoSeconds[store];
  const store = (s: DataStore, seconds: number | undefined, basis: string, atLeast = false): StoreRpo =>
    ({ store: s, targetSeconds: target(s), ...(seconds === undefined ? {} : { seconds }), ...(atLeast ? { atLeast } : {}), verdict: rpoVerdict(seconds, target(s), atLeast), basis });
  const lag = facts.lagAtCutoverSeconds;
  // A switchover synchronizes the secondaries before it swaps roles: what lag there was is not lost.
  const database = restored ? store("database", facts.recoveryPointAgeSeconds, `recovery point ${restored.arn} created ${restored.createdAt}`)
    : cutoverAt === undefined ? undefined
      : planned ? store("database", 0, `a switchover loses nothing: it synchronizes before swapping roles (lag before it ${lag ?? "unknown"} s, drained, not lost)`)
        : lag === undefined ? store("database", undefined, "the replication lag was not read at the cut-over")
          : store("database", Math.round(lag), `lag at cut-over ${lag} s`);
  // A canary that never arrived: everything written since it is presumed lost, at least for as long as the drill waited for it.
  const missingFor = canary === "missing" && looked && facts.canaryWrittenAt !== undefined ? Math.max(0, Math.round((ms(looked.at) - facts.canaryWrittenAt) / 1000)) : undefined;
  const objects = canary === "found" ? store("objects", 0, "the canary written before the cut-over arrived")
    : canary === "missing" ? store("objects", missingFor, `the canary ${facts.canaryKey} never arrived: still missing ${missingFor} s after it was written, when the wait gave up`, true)
      : canary === "not written" ? store("objects", undefined, "no canary was written: the old primary did not answer")
        : canary === "not checked" ? store("objects", undefined, "the drill stopped before it looked for the canary")
          : store("objects", undefined, "the drill writes no canary");
  const secrets = store("secrets", undefined, "the drill writes no secret canary");
  const rpo = database === undefined ? [] : [database, objects, secrets];
  const figures = rpo.flatMap((x) => (x.seconds === undefined ? [] : [x.seconds]));
  // The worst store measured; unknown while a canary written is not yet looked for (a resume completes it).
  const rpoSeconds = figures.length && canary !== "not checked" ? Math.max(...figures) : undefined;
  return {
    rtoSeconds, rpoSeconds, rpo, ...(restored ? { recoveryPoint: restored } : {}), modelRtoSeconds: scenarioModelRto(inputs, scenario.modelRto, steps.find((s) => s.marks?.includes("recovered"))?.region),
    targetRtoSeconds: inputs.primary.config.objectives.rtoSeconds,
    lagAtCutoverSeconds: facts.lagAtCutoverSeconds, canary, ...(planned ? { planned } : {}), facts, steps: stepTimings(entries), recovered,
  };
}

/** A figure on its target is met; a lower bound within it (a canary missing briefly) says nothing either way. */
export function rpoVerdict(seconds: number | undefined, targetSeconds: number, atLeast: boolean): RpoVerdict {
  if (seconds === undefined) return "not measured";
  if (seconds > targetSeconds) return "MISSED";
  return atLeast ? "unknown" : "met";
}

/** The lines the CLI prints; their wording is a contract (tests and game-day scripts grep them). */
export function measurementLines(m: Measurements): string[] {
  const lines: string[] = [];
  if (m.rtoSeconds !== undefined) lines.push(`measured RTO ${m.rtoSeconds} s`);
  if (m.modelRtoSeconds !== undefined) lines.push(`model RTO ${m.modelRtoSeconds} s`);
  if (m.rpoSeconds !== undefined) lines.push(`measured RPO ${m.rpoSeconds} s`);
  if (m.rtoSeconds !== undefined) lines.push(`RTO target ${m.targetRtoSeconds} s: ${m.rtoSeconds <= m.targetRtoSeconds ? "met" : "MISSED"}`);
  if (!m.rpo.some((s) => s.seconds !== undefined)) return lines;
  for (const s of m.rpo) lines.push(storeRpoLine(s, m.recovered));
  lines.push(`RPO targets: ${rpoSummary(m.rpo, m.recovered)}`);
  return lines;
}

/** `RPO <store> <n> s, target <t> s: <verdict> (<basis>)`. */
export function storeRpoLine(s: StoreRpo, recovered?: boolean): string {
  if (s.seconds === undefined) return `RPO ${s.store} not measured, target ${s.targetSeconds} s (${s.basis})`;
  // A drill that stopped before recovering met nothing: its RPO is what a recovery would have lost.
  if (recovered === false) return `RPO ${s.store} ${rpoFigure(s)}, target ${s.targetSeconds} s: not reached, ${s.verdict === "MISSED" ? "past" : "within"} the target (the drill stopped before recovering; ${s.basis})`;
  const verdict = s.verdict === "unknown" ? "unknown, within the target so far" : s.verdict;
  return `RPO ${s.store} ${rpoFigure(s)}, target ${s.targetSeconds} s: ${verdict} (${s.basis})`;
}

/** `12 s`, `at least 1055 s` or `not measured`. */
export function rpoFigure(s: StoreRpo): string {
  return s.seconds === undefined ? "not measured" : `${s.atLeast ? "at least " : ""}${s.seconds} s`;
}

/** The drill's RPO verdict: MISSED when any store missed its objective; met only by the stores measured, which it names. */
export function rpoSummary(stores: readonly StoreRpo[], recovered?: boolean): string {
  const named = (v: RpoVerdict) => stores.filter((s) => s.verdict === v).map((s) => s.store);
  const missed = named("MISSED");
  const unmeasured = named("not measured");
  const rest = unmeasured.length ? `; not measured: ${unmeasured.join(", ")}` : "";
  if (recovered === false) return `not reached (the drill stopped before recovering${missed.length ? `; past the target: ${missed.join(", ")}` : ""})`;
  if (missed.length) return `MISSED by ${missed.join(", ")}${named("met").length ? `; met by ${named("met").join(", ")}` : ""}${rest}`;
  if (named("unknown").length) return `not confirmed (${named("unknown").join(", ")} unknown${named("met").length ? `; met by ${named("met").join(", ")}` : ""}${rest})`;
  return `met by ${named("met").join(", ")}${rest}`;
}
