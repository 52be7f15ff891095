/**
 * Runs a scenario's steps in order against the cloud port: precondition (gates), action (skipped
 * when its effect is already in place), verification polled with backoff until its timeout.
 * Throttling and transient errors are retried with backoff; anything else stops the drill at that
 * step and offers the undo of every finished step, newest first. Best-effort steps never block.
 */
import { CloudError } from "./cloud";
import { RerunRequired } from "./errors";
import { Journal, JournalDetail } from "./journal";
import { Facts, Gate, Step, StepContext } from "./step";

/** Retries of one throttled or transient call before the step fails; backoff doubles from 1 s, capped. */
export const MAX_ATTEMPTS = 6;
export const FIRST_BACKOFF_SECONDS = 1;
export const MAX_BACKOFF_SECONDS = 20;
/** A best-effort step aims at a region that may answer nothing: one retry, then move on, so it costs seconds, not a minute. */
export const BEST_EFFORT_ATTEMPTS = 2;

export type Outcome =
  | { readonly kind: "completed"; readonly failedBestEffort: readonly string[]; readonly failedChecks: readonly string[] }
  | { readonly kind: "refused"; readonly step: string; readonly gate?: Gate; readonly reason: string }
  | { readonly kind: "failed"; readonly step: string; readonly reason: string; readonly undo: readonly PlannedUndo[]; readonly rerun?: boolean };

/** One finished step's undo: automated, or by hand (and then, after a cut-over, only once it is reversed). */
export interface PlannedUndo {
  readonly step: string;
  readonly description: string;
  readonly automated: boolean;
}

export interface RunOptions {
  readonly steps: readonly Step[];
  readonly ctx: StepContext;
  readonly journal?: Journal;
  readonly force: readonly Gate[];
  /** Steps finished in an earlier run (resume). */
  readonly finished?: ReadonlySet<string>;
  /** Steps an earlier run started (resume): a started cut-over is verified, never issued again. */
  readonly started?: ReadonlySet<string>;
  readonly continueOnFailure?: boolean;
  /** Called after each action; the simulator's crash-after-cutover fault throws from here. */
  readonly afterAction?: (step: Step) => void;
}

/** Thrown by a precondition-driven refusal; carries the gate when one refused. */
class Refusal extends Error {
  constructor(readonly gate: Gate | undefined, message: string) {
    super(message);
  }
}

export async function runSteps(o: RunOptions): Promise<Outcome> {
  const { ctx } = o;
  const failedBestEffort: string[] = [];
  const failedChecks: string[] = [];
  const done: Step[] = o.steps.filter((s) => o.finished?.has(s.name));
  const started = new Set(o.started ?? []);
  for (const step of o.steps) {
    if (o.finished?.has(step.name)) continue;
    const stamp = () => new Date(ctx.clock.now()).toISOString();
    const entry = (event: "start" | "done" | "failed" | "skipped", detail?: string | JournalDetail) =>
      o.journal?.append({ at: stamp(), step: step.name, event, operation: step.operation, region: step.region, ...(detail === undefined ? {} : { detail }) });
    const startedBefore = started.has(step.name) && !!step.marks?.includes("cutover");
    entry("start");
    started.add(step.name);
    ctx.log(`- ${step.name} (${step.region}${step.required ? "" : ", best effort"}): ${step.purpose}`);
    const before: Facts = { ...ctx.facts };
    const retries = { n: 0, max: step.required ? MAX_ATTEMPTS : BEST_EFFORT_ATTEMPTS };
    try {
      const problem = step.precondition ? await retrying(ctx, retries, () => step.precondition!(ctx)) : undefined;
      if (problem !== undefined) {
        if (step.gate && o.force.includes(step.gate)) ctx.log(`  gate ${step.gate} overridden by --force ${step.gate}: ${problem}`);
        else throw new Refusal(step.gate, step.gate ? `gate ${step.gate} refuses: ${problem}. Fix it, or override with --force ${step.gate}` : problem);
      }
      let already: string | undefined;
      if (startedBefore) {
        // Started in an earlier run: never act again (FailoverGlobalCluster twice could lose data), only confirm it took.
        const stale = step.resumeCheck ? await retrying(ctx, retries, () => step.resumeCheck!(ctx)) : undefined;
        if (stale !== undefined) throw new Refusal(undefined, stale);
        already = "the journal shows it started in an earlier run; not issued again";
        ctx.log(`  ${already}`);
      } else {
        already = step.alreadyDone ? await retrying(ctx, retries, () => step.alreadyDone!(ctx)) : undefined;
        if (already !== undefined) ctx.log(`  already in place, not repeated: ${already}`);
        else if (step.action) already = await act(ctx, retries, step);
      }
      o.afterAction?.(step);
      if (step.verify) await poll(ctx, step, retries);
      entry("done", detailOf(before, ctx.facts, retries.n, already));
      done.push(step);
    } catch (err) {
      if (isCrash(err)) throw err;
      const message = err instanceof Error ? err.message : String(err);
      const over = step.overridable && !(err instanceof Refusal) ? step.overridable : undefined;
      const forced = !!over && o.force.includes(over.gate);
      if (!step.required || forced) {
        const why = forced ? `--force ${over!.gate}: continuing without it, only right because ${over!.when}` : "best effort, continuing";
        ctx.log(`  ${why}: ${message}`);
        entry("skipped", `${forced ? `overridden by --force ${over!.gate}` : "best effort step did not complete"}: ${message}`);
        failedBestEffort.push(step.name);
        continue;
      }
      const reason = over ? `${message}; only if ${over.when}, --force ${over.gate} goes on without this step` : message;
      entry("failed", reason);
      ctx.log(`  FAILED: ${reason}`);
      if (o.continueOnFailure) {
        failedChecks.push(`${step.name}: ${reason}`);
        continue;
      }
      if (err instanceof Refusal) return { kind: "refused", step: step.name, gate: err.gate, reason };
      return { kind: "failed", step: step.name, reason, undo: undoPlan(o.steps, new Set(done.map((s) => s.name)), started), ...(err instanceof RerunRequired ? { rerun: true } : {}) };
    }
  }
  return { kind: "completed", failedBestEffort, failedChecks };
}

/**
 * What undoing the finished steps means, newest first. Once a cut-over has started, the new writer
 * depends on what came before it (the pilot light's writer instance, the scaled-out tiers) and on
 * the old region's switch-off: those undos are by hand, and only once the cut-over is reversed (switch
 * back). Only steps after the newest started cut-over are automated (and steps of a drill that
 * never reached one).
 */
export function undoPlan(steps: readonly Step[], done: ReadonlySet<string>, started: ReadonlySet<string>): PlannedUndo[] {
  const cut = steps.reduce((at, s, i) => (s.marks?.includes("cutover") && started.has(s.name) ? i : at), -1);
  const cutover = steps[cut];
  return steps.flatMap((s, i) => {
    if (!s.undo || !done.has(s.name)) return [];
    const needsSwitchBack = cut >= 0 && (i < cut || !!s.undo.afterSwitchBack);
    const description = needsSwitchBack && s !== cutover
      ? `${s.undo.description} (only after ${cutover.name} is reversed: the new writer depends on it until then)`
      : s.undo.description;
    return [{ step: s.name, description, automated: !!s.undo.run && !needsSwitchBack }];
  }).reverse();
}

function detailOf(before: Facts, after: Facts, retries: number, already?: string): JournalDetail | undefined {
  const changed = Object.fromEntries(Object.entries(after).filter(([k, v]) => JSON.stringify(before[k as keyof Facts]) !== JSON.stringify(v)));
  const d: JournalDetail = {
    ...(already ? { note: `already in place, not repeated: ${already}` } : {}),
    ...(Object.keys(changed).length ? { facts: changed as Facts } : {}),
    ...(retries ? { retries } : {}),
  };
  return Object.keys(d).length ? d : undefined;
}

/** A crash is not a step failure: the process dies, the journal keeps the step started but not done. */
export class SimulatedCrash extends Error {
  constructor(readonly step: string) {
    super(`simulated crash right after the action of ${step}`);
    this.name = "SimulatedCrash";
  }
}

function isCrash(err: unknown): boolean {
  return err instanceof SimulatedCrash;
}

/**
 * "Full jitter": a random wait between 0 and the capped exponential bound, so many clients retrying
 * together (a regional event throttles everyone) spread out instead of retrying in lockstep:
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffSeconds(attempt: number, jitter: number): number {
  return jitter * Math.min(FIRST_BACKOFF_SECONDS * 2 ** attempt, MAX_BACKOFF_SECONDS);
}

const retryable = (err: unknown): err is CloudError => err instanceof CloudError && (err.kind === "throttling" || err.kind === "transient");

/** Retries throttling and transient errors with backoff; rethrows anything else at once. Only for calls that change nothing (or check first): see `act`. */
export async function retrying<T>(ctx: StepContext, retries: { n: number; max?: number }, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!retryable(err) || attempt + 1 >= (retries.max ?? MAX_ATTEMPTS)) throw err;
      retries.n++;
      await ctx.clock.sleep(backoffSeconds(attempt, ctx.clock.random()));
    }
  }
}

/**
 * A step's action, retried like `retrying`, except that before each re-issue the step's
 * `alreadyDone` asks the live state whether the failed attempt took effect anyway: a timeout is
 * ambiguous (the request may have reached AWS), and re-issuing CreateDBInstance or a cut-over would
 * fail on its own side effect (DBInstanceAlreadyExists, a cut-over already in progress) or repeat
 * it. Returns why it stopped early, or undefined when the action itself succeeded.
 */
async function act(ctx: StepContext, retries: { n: number; max?: number }, step: Step): Promise<string | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      await step.action!(ctx);
      return undefined;
    } catch (err) {
      if (!retryable(err) || attempt + 1 >= (retries.max ?? MAX_ATTEMPTS)) throw err;
      retries.n++;
      await ctx.clock.sleep(backoffSeconds(attempt, ctx.clock.random()));
      const took = step.alreadyDone ? await retrying(ctx, retries, () => step.alreadyDone!(ctx)) : undefined;
      if (took !== undefined) {
        ctx.log(`  the attempt that failed (${err.code}) took effect; not issued again: ${took}`);
        return took;
      }
    }
  }
}

/** A wait prints where it stands at most this often, so a long one (a cut-over, a restore) is visibly alive. */
export const PROGRESS_EVERY_SECONDS = 30;

async function poll(ctx: StepContext, step: Step, retries: { n: number; max?: number }): Promise<void> {
  const v = step.verify!;
  const start = ctx.clock.now();
  let interval = v.pollSeconds;
  let reported = 0;
  for (;;) {
    const result = await retrying(ctx, retries, () => v.check(ctx));
    const waited = (ctx.clock.now() - start) / 1000;
    if (result === true) {
      // A wait that printed progress says when it ended, so the last "waiting" line is not the last word (a timeout says so in its error).
      if (reported) ctx.log(`  reached after ${Math.round(waited)} s of up to ${v.timeoutSeconds} s: ${v.what}`);
      return;
    }
    if (waited >= v.timeoutSeconds) throw new Error(`timed out after ${Math.round(waited)} s waiting until ${v.what}: ${result}`);
    if (waited - reported >= PROGRESS_EVERY_SECONDS) {
      reported = waited;
      ctx.log(`  waiting ${Math.round(waited)} s of up to ${v.timeoutSeconds} s: ${result}`);
    }
    await ctx.clock.sleep(Math.min(interval, v.timeoutSeconds - waited));
    interval = Math.min(interval * 2, v.maxPollSeconds);
  }
}
