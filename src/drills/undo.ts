/**
 * `drill undo <journal>`: runs the undo of every step the journal shows done, newest first. Undos
 * that cannot be automated (a cut-over: run the opposite drill) are printed as what to do by hand,
 * and so is everything the new writer depends on once a cut-over started (runner undoPlan).
 * Each undo is journaled as `undo-<step>`, so running it twice does not undo twice.
 */
import { realClock } from "./clock";
import { EXIT, DrillResult, reopenJournal, ReopenRequest } from "./drill";
import { HEADER_STEP, Journal, journaledFacts, startedSteps } from "./journal";
import { retrying, undoPlan } from "./runner";
import { StepContext } from "./step";

export const UNDO_PREFIX = "undo-";

export async function undoDrill(journalFile: string, r: ReopenRequest): Promise<DrillResult> {
  const x = await reopenJournal(journalFile, r, "undo");
  if (!x.confirmed) {
    r.log("aborted: nothing was changed");
    return { exitCode: EXIT.aborted };
  }
  const last = new Map(x.entries.filter((e) => e.step !== HEADER_STEP).map((e) => [e.step, e.event]));
  const done = new Set(x.steps.filter((s) => last.get(s.name) === "done" && last.get(`${UNDO_PREFIX}${s.name}`) !== "done").map((s) => s.name));
  const todo = undoPlan(x.steps, done, startedSteps(x.entries));
  const clock = x.sim?.clock ?? realClock;
  const ctx: StepContext = { inputs: x.inputs, cloud: x.cloud, clock, from: x.from, to: x.to, facts: journaledFacts(x.entries), log: r.log };
  const journal = new Journal(journalFile);
  const manual: string[] = [];
  let failed = false;
  // Only automated undos are "undone" here; by-hand ones are listed after, with what the journal recorded for them.
  const automated = todo.filter((p) => p.automated && x.steps.find((step) => step.name === p.step)?.undo?.run);
  r.log(automated.length ? `undoing ${automated.length} step(s) of ${x.sc.name}, newest first` : todo.length ? "nothing to undo automatically" : "nothing to undo");
  for (const planned of todo) {
    const s = x.steps.find((step) => step.name === planned.step)!;
    const undo = s.undo!;
    if (!automated.includes(planned)) {
      const recorded = undo.recorded?.(ctx.facts);
      manual.push(`${s.name}: ${planned.description}${recorded ? ` (${recorded})` : ""}`);
      continue;
    }
    const entry = (event: "start" | "done" | "failed", detail?: string) =>
      journal.append({ at: new Date(clock.now()).toISOString(), step: `${UNDO_PREFIX}${s.name}`, event, operation: undo.calls[0] ? `${undo.calls[0].service}.${undo.calls[0].operation}` : "none", region: s.region, ...(detail ? { detail } : {}) });
    entry("start");
    try {
      await retrying(ctx, { n: 0 }, () => undo.run!(ctx));
      entry("done");
      r.log(`- undone ${s.name}: ${undo.description}`);
    } catch (err) {
      entry("failed", (err as Error).message);
      r.log(`- could not undo ${s.name}: ${(err as Error).message}`);
      failed = true;
      break;
    }
  }
  x.persist();
  if (manual.length) r.log(`by hand (not automated):\n${manual.map((m) => `  - ${m}`).join("\n")}`);
  return { exitCode: failed ? EXIT.failed : EXIT.completed, journal: journalFile };
}
