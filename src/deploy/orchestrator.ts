/**
 * The order of `deploy`, `destroy` and `preview` across the primary and its secondaries, behind an
 * injected workspace so the ordering and refusal rules are tested without the Pulumi CLI.
 *
 * Each cross-region link lives in one stack, and the secondaries read the primary's outputs and
 * join its global database; the links stack reads every other stack's outputs: deploy the primary
 * first, then each secondary, then links; destroy links first, then the secondaries (newest
 * first), then the primary. Destroying a stack under a live stack that depends on it (a primary
 * under its secondaries or links, a secondary under links, whose replication rule targets its
 * bucket) is refused unless forced.
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

/** The stacks an operation covers: the primary (if included), the secondaries in deploy order, and the links stack (if included). */
export interface StackOrder {
  readonly primary?: string;
  readonly secondaries: readonly string[];
  readonly links?: string;
}

export interface StackRole {
  readonly name: string;
  readonly role: "primary" | "secondary" | "links";
}

/** Orders stacks for an operation: the primary first, the secondaries in the order given, links last. At most one primary and one links stack. */
export function orderStacks(stacks: readonly StackRole[]): StackOrder {
  const primaries = stacks.filter((s) => s.role === "primary").map((s) => s.name);
  if (primaries.length > 1)
    throw new Error(`stacks ${primaries.join(" and ")} both have dr:role primary; a deployment has exactly one primary, so set dr:role secondary on the others`);
  const links = stacks.filter((s) => s.role === "links").map((s) => s.name);
  if (links.length > 1)
    throw new Error(`stacks ${links.join(" and ")} both have dr:role links; one links stack owns every cross-region link of a deployment, so keep one`);
  const seen = new Set<string>();
  for (const s of stacks) {
    if (seen.has(s.name)) throw new Error(`stack ${s.name} is named twice; name each stack once`);
    seen.add(s.name);
  }
  return { primary: primaries[0], secondaries: stacks.filter((s) => s.role === "secondary").map((s) => s.name), links: links[0] };
}

export function deployOrder(order: StackOrder): string[] {
  return [...(order.primary ? [order.primary] : []), ...order.secondaries, ...(order.links ? [order.links] : [])];
}

export function destroyOrder(order: StackOrder): string[] {
  return deployOrder(order).reverse();
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

/** Deploys the primary, then each secondary, then links; stops at the first failure. */
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
  /** Destroy even while a stack that depends on a target still has resources. */
  readonly force?: boolean;
  /** Stacks outside this run that depend on the primary: secondaries and links (checked before the primary goes). */
  readonly otherSecondaries?: readonly string[];
  /** Runs after the refusal check and before the first stack is destroyed (the preflight's flagged fixes). */
  readonly beforeDestroy?: () => Promise<void>;
  /** Links stacks outside this run: they depend on every secondary (checked before a secondary goes). */
  readonly otherLinks?: readonly string[];
}

/**
 * Destroys links, then the secondaries (last first), then the primary. Before touching anything,
 * refuses when a stack outside the run that depends on a target still has resources (any
 * dependent of the primary; a links stack, for a secondary). After destroying the targeted
 * dependents, checks them again before the primary goes. `force` skips every check.
 */
export async function destroyStacks(ws: StackWorkspace, order: StackOrder, options: DestroyOptions = {}, progress: Progress = quiet): Promise<StackOutcome[]> {
  const inRun = new Set(deployOrder(order));
  const others = (options.otherSecondaries ?? []).filter((s) => !inRun.has(s));
  const otherLinks = (options.otherLinks ?? []).filter((s) => !inRun.has(s));
  if (!options.force) {
    if (order.primary) await refuseIfLive(ws, `the primary stack ${order.primary}`, [...new Set([...others, ...otherLinks])], []);
    else if (order.secondaries.length) await refuseIfLive(ws, `secondary stack${order.secondaries.length === 1 ? "" : "s"} ${order.secondaries.join(", ")}`, otherLinks, []);
  }
  await options.beforeDestroy?.();
  const dependents = [...(order.links ? [order.links] : []), ...[...order.secondaries].reverse()];
  const dependentOutcomes = await runInOrder("destroy", dependents, (name) => destroyOne(ws, name, progress), progress);
  if (!order.primary) return dependentOutcomes;
  const done = dependentOutcomes.map((o) => o.stack);
  if (!options.force) await refuseIfLive(ws, `the primary stack ${order.primary}`, dependents, done);
  const primaryOutcome = await runInOrder("destroy", [order.primary], (name) => destroyOne(ws, name, progress), progress, done);
  return [...dependentOutcomes, ...primaryOutcome];
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

async function refuseIfLive(ws: StackWorkspace, target: string, dependents: readonly string[], completed: readonly string[]): Promise<void> {
  const live: string[] = [];
  for (const name of dependents) {
    const handle = await ws.select(name, false);
    const count = handle ? await handle.resourceCount() : 0;
    if (count > 0) live.push(`${name} (${count} resource${count === 1 ? "" : "s"})`);
  }
  if (live.length === 0) return;
  const names = live.map((l) => l.split(" ")[0]);
  throw new OrchestrationError("destroy", undefined, completed,
    `Refusing to destroy ${target}: stack${live.length === 1 ? "" : "s"} ${live.join(", ")} still ` +
    `${live.length === 1 ? "has" : "have"} resources that depend on it (global database membership, replica key, replication rules and their alarms). ` +
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
