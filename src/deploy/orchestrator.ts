/**
 * The order of `deploy`, `destroy` and `preview` across the primary and its secondaries, behind an
 * injected workspace so the ordering and refusal rules are tested without the Pulumi CLI.
 *
 * Each cross-region link lives in one stack, and the secondaries read the primary's outputs and
 * join its global database: deploy the primary first, then each secondary; destroy the secondaries
 * first (newest first), then the primary. Destroying a primary under a live secondary would delete
 * the global cluster and KMS key the secondary depends on, so it is refused unless forced.
 */

/** Resource changes of one operation ("create" -> 12, "same" -> 40, ...). */
export type ChangeSummary = Readonly<Record<string, number>>;

/** One stack of the project, selected in the workspace. */
export interface StackHandle {
  readonly name: string;
  up(): Promise<ChangeSummary>;
  preview(): Promise<ChangeSummary>;
  destroy(): Promise<ChangeSummary>;
  /** Resources the stack manages, not counting the stack itself and its providers. */
  resourceCount(): Promise<number>;
  /** The stack's outputs as plain values (the destroy preflight reads them); absent: none known. */
  outputs?(): Promise<Record<string, unknown>>;
}

export interface StackWorkspace {
  /**
   * The named stack. With `create`, a stack that does not exist yet is created (deploy, preview);
   * without it, a missing stack gives undefined (destroy, the refusal check).
   */
  select(stack: string, create: boolean): Promise<StackHandle | undefined>;
}

/** The stacks an operation covers: the primary (if included) and the secondaries in deploy order. */
export interface StackOrder {
  readonly primary?: string;
  readonly secondaries: readonly string[];
}

export interface StackRole {
  readonly name: string;
  readonly role: "primary" | "secondary";
}

/** Orders stacks for an operation: the primary first, then the secondaries in the order given. At most one primary. */
export function orderStacks(stacks: readonly StackRole[]): StackOrder {
  const primaries = stacks.filter((s) => s.role === "primary").map((s) => s.name);
  if (primaries.length > 1)
    throw new Error(`stacks ${primaries.join(" and ")} both have dr:role primary; a deployment has exactly one primary, so set dr:role secondary on the others`);
  const seen = new Set<string>();
  for (const s of stacks) {
    if (seen.has(s.name)) throw new Error(`stack ${s.name} is named twice; name each stack once`);
    seen.add(s.name);
  }
  return { primary: primaries[0], secondaries: stacks.filter((s) => s.role === "secondary").map((s) => s.name) };
}

export function deployOrder(order: StackOrder): string[] {
  return [...(order.primary ? [order.primary] : []), ...order.secondaries];
}

export function destroyOrder(order: StackOrder): string[] {
  return [...order.secondaries].reverse().concat(order.primary ? [order.primary] : []);
}

export interface StackOutcome {
  readonly stack: string;
  readonly changes: ChangeSummary;
}

/** An operation that stopped part-way: which stack failed and what had already been done. */
export class OrchestrationError extends Error {
  constructor(readonly operation: string, readonly failedStack: string | undefined, readonly completed: readonly string[], message: string, readonly cause?: unknown) {
    super(message);
    this.name = "OrchestrationError";
  }
}

/** Progress lines ("deploying primary ..."); the CLI prints them. */
export type Progress = (line: string) => void;

const quiet: Progress = () => undefined;

/** Deploys the primary, then each secondary; stops at the first failure. */
export async function deployStacks(ws: StackWorkspace, order: StackOrder, progress: Progress = quiet): Promise<StackOutcome[]> {
  return runInOrder("deploy", deployOrder(order), async (name) => {
    progress(`deploying stack ${name} ...`);
    const handle = await selectOrFail(ws, name, true);
    return handle.up();
  }, progress);
}

/** Previews every stack in deploy order; stops at the first failure. */
export async function previewStacks(ws: StackWorkspace, order: StackOrder, progress: Progress = quiet): Promise<StackOutcome[]> {
  return runInOrder("preview", deployOrder(order), async (name) => {
    progress(`previewing stack ${name} ...`);
    const handle = await selectOrFail(ws, name, true);
    return handle.preview();
  }, progress);
}

export interface DestroyOptions {
  /** Destroy the primary even while a secondary still has resources. */
  readonly force?: boolean;
  /** Secondary stacks outside this run that also depend on the primary (checked before the primary goes). */
  readonly otherSecondaries?: readonly string[];
  /** Runs after the refusal check and before the first stack is destroyed (the preflight's flagged fixes). */
  readonly beforeDestroy?: () => Promise<void>;
}

/**
 * Destroys the secondaries (last first), then the primary. Before touching anything, refuses when
 * the primary is a target and a secondary outside the run still has resources; after destroying the
 * targeted secondaries, checks them again before the primary goes. `force` skips both checks.
 */
export async function destroyStacks(ws: StackWorkspace, order: StackOrder, options: DestroyOptions = {}, progress: Progress = quiet): Promise<StackOutcome[]> {
  const others = (options.otherSecondaries ?? []).filter((s) => !order.secondaries.includes(s) && s !== order.primary);
  if (order.primary && !options.force) await refuseIfLive(ws, order.primary, others, []);
  await options.beforeDestroy?.();
  const secondaryOutcomes = await runInOrder("destroy", [...order.secondaries].reverse(), (name) => destroyOne(ws, name, progress), progress);
  if (!order.primary) return secondaryOutcomes;
  const done = secondaryOutcomes.map((o) => o.stack);
  if (!options.force) await refuseIfLive(ws, order.primary, order.secondaries, done);
  const primaryOutcome = await runInOrder("destroy", [order.primary], (name) => destroyOne(ws, name, progress), progress, done);
  return [...secondaryOutcomes, ...primaryOutcome];
}

async function destroyOne(ws: StackWorkspace, name: string, progress: Progress): Promise<ChangeSummary> {
  const handle = await ws.select(name, false);
  if (!handle) {
    progress(`stack ${name} does not exist; nothing to destroy`);
    return {};
  }
  progress(`destroying stack ${name} ...`);
  return handle.destroy();
}

async function refuseIfLive(ws: StackWorkspace, primary: string, secondaries: readonly string[], completed: readonly string[]): Promise<void> {
  const live: string[] = [];
  for (const name of secondaries) {
    const handle = await ws.select(name, false);
    const count = handle ? await handle.resourceCount() : 0;
    if (count > 0) live.push(`${name} (${count} resource${count === 1 ? "" : "s"})`);
  }
  if (live.length === 0) return;
  const names = live.map((l) => l.split(" ")[0]);
  throw new OrchestrationError("destroy", undefined, completed,
    `Refusing to destroy the primary stack ${primary}: secondary stack${live.length === 1 ? "" : "s"} ${live.join(", ")} still ` +
    `${live.length === 1 ? "has" : "have"} resources that depend on it (global database membership, replica key, replication). ` +
    `Destroy ${live.length === 1 ? "it" : "them"} first (dr destroy --stacks ${names.join(" ")}), or pass --force to destroy the primary anyway. ` +
    `Already destroyed: ${completed.length ? completed.join(", ") : "none"}.`);
}

async function selectOrFail(ws: StackWorkspace, name: string, create: boolean): Promise<StackHandle> {
  const handle = await ws.select(name, create);
  if (!handle) throw new Error(`stack ${name} could not be selected or created`);
  return handle;
}

async function runInOrder(operation: string, stacks: readonly string[], run: (name: string) => Promise<ChangeSummary>, progress: Progress, before: readonly string[] = []): Promise<StackOutcome[]> {
  const outcomes: StackOutcome[] = [];
  const done = (): string[] => [...before, ...outcomes.map((o) => o.stack)];
  for (const stack of stacks) {
    try {
      outcomes.push({ stack, changes: await run(stack) });
      progress(`${operation} of stack ${stack} done${describeChanges(outcomes[outcomes.length - 1].changes)}`);
    } catch (err) {
      const completed = done();
      const rest = stacks.slice(stacks.indexOf(stack) + 1);
      const past = { deploy: "deployed", preview: "previewed", destroy: "destroyed" }[operation] ?? `${operation} done`;
      throw new OrchestrationError(operation, stack, completed,
        `${operation} of stack ${stack} failed: ${errorText(err)}\n` +
        `  already ${past}: ${completed.length ? completed.join(", ") : "none"}\n` +
        `  not attempted: ${rest.length ? rest.join(", ") : "none"}\n` +
        `Fix the cause and run the same command again.`, err);
    }
  }
  return outcomes;
}

export function describeChanges(changes: ChangeSummary): string {
  const parts = Object.entries(changes).filter(([, n]) => n > 0).map(([op, n]) => `${n} ${op}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text.trim().split("\n");
  return lines.length > 20 ? [...lines.slice(0, 3), "...", ...lines.slice(-15)].join("\n") : lines.join("\n");
}
