/**
 * The hooks the `dr` commands call: the service-linked-role and strategy-switch checks before deploy
 * and preview, and the destroy preflight before destroy. Kept here so the command file only calls them.
 */
import { DrConfig, isLinksConfig } from "../../../stacks/configSchema";
import { StackWorkspace } from "../orchestrator";
import { PreflightAws } from "./awsPort";
import { EMPTY_BUCKETS_FLAG, FixFlag, LIFT_DELETION_PROTECTION_FLAG } from "./destroyBlockers";
import { applyFixes, checkDestroy } from "./destroyPreflight";
import { checkServiceLinkedRole } from "./serviceLinkedRole";
import { checkStrategySwitch } from "./strategySwitch";
import { parseOutputsOption, readOutputsFile, StackOutputValues, StackTargets, targetsFromOutputs } from "./targets";

/** The SDK adapter, loaded only when a command talks to AWS (plan and most tests never do). */
export async function sdkPreflightAws(): Promise<PreflightAws> {
  const { SdkPreflightAws } = await import("./awsAdapter");
  return new SdkPreflightAws();
}

/** The role check of `dr deploy` / `dr preview`: the message to print and exit 1 with, or undefined. */
export async function serviceLinkedRoleHook(aws: () => Promise<PreflightAws>, configs: readonly DrConfig[]): Promise<string | undefined> {
  return checkServiceLinkedRole(await aws(), configs);
}

/**
 * The strategy-switch check of `dr deploy` / `dr preview`: one message naming every secondary that
 * would meet a restored cluster, or undefined. Asks AWS only for a secondary configured with a
 * standing cluster whose deployed outputs show none.
 */
export async function strategySwitchHook(aws: () => Promise<PreflightAws>, ws: StackWorkspace, stacks: readonly { readonly stack: string; readonly config: DrConfig }[]): Promise<string | undefined> {
  const candidates = stacks.filter(({ config }) => config.role === "secondary" && !isLinksConfig(config) && config.strategy !== "backup-restore");
  if (candidates.length === 0) return undefined;
  const managesCluster = async (stack: string) => {
    const handle = await ws.select(stack, false);
    const outputs = handle?.outputs ? await handle.outputs() : undefined;
    return targetsFromOutputs(stack, outputs ?? {})?.clusterIdentifier !== undefined;
  };
  const problems = await checkStrategySwitch(await aws(), candidates, managesCluster);
  return problems.length ? problems.join("\n\n") : undefined;
}

/** The destroy options the preflight reads (commander's camel-cased flags). */
export interface DestroyPreflightOptions {
  readonly liftDeletionProtection?: boolean;
  readonly emptyBuckets?: boolean;
  /** `<stack>=<file>` entries of `pulumi stack output --json` files. */
  readonly outputs?: readonly string[];
  readonly cwd: string;
}

/** True when `--outputs` names a file for every stack: the preflight then needs neither the Pulumi CLI nor the state. */
export function outputsCoverEveryStack(opts: DestroyPreflightOptions, stacks: readonly string[]): boolean {
  const covered = parseOutputsOption(opts.outputs ?? [], opts.cwd);
  return stacks.every((s) => covered.has(s));
}

export function fixFlags(opts: DestroyPreflightOptions): Set<FixFlag> {
  const flags = new Set<FixFlag>();
  if (opts.liftDeletionProtection) flags.add(LIFT_DELETION_PROTECTION_FLAG);
  if (opts.emptyBuckets) flags.add(EMPTY_BUCKETS_FLAG);
  return flags;
}

/**
 * Each stack's targets, in destroy order: from its `--outputs` file when given, else from the
 * workspace (the Automation API). A stack that does not exist, or owns nothing regional (links), has none.
 */
export async function destroyTargets(ws: StackWorkspace, stacksInDestroyOrder: readonly string[], opts: DestroyPreflightOptions, out: (line: string) => void): Promise<StackTargets[]> {
  const files = parseOutputsOption(opts.outputs ?? [], opts.cwd);
  const unknown = [...files.keys()].filter((s) => !stacksInDestroyOrder.includes(s));
  if (unknown.length) throw new Error(`--outputs names stack(s) ${unknown.join(", ")} that this destroy does not cover (${stacksInDestroyOrder.join(", ")}); name them in --stacks or drop them from --outputs`);
  const targets: StackTargets[] = [];
  for (const stack of stacksInDestroyOrder) {
    let outputs: StackOutputValues | undefined;
    const file = files.get(stack);
    if (file) outputs = readOutputsFile(stack, file);
    else {
      const handle = await ws.select(stack, false);
      if (!handle) continue;
      outputs = handle.outputs ? await handle.outputs() : undefined;
      if (!outputs) out(`destroy preflight: no outputs known for stack ${stack}; pass --outputs ${stack}=<file> to check it`);
    }
    const t = outputs ? targetsFromOutputs(stack, outputs) : undefined;
    if (t) targets.push(t);
  }
  return targets;
}

/**
 * The destroy preflight: prints what would stop or trap the destroy. `ok` false: something blocks
 * that no given flag handles, and nothing was changed. `beforeDestroy` applies the flagged fixes;
 * the orchestrator runs it after its own refusal checks, right before the first stack goes.
 */
export async function destroyPreflightHook(
  aws: () => Promise<PreflightAws>,
  ws: StackWorkspace,
  stacksInDestroyOrder: readonly string[],
  opts: DestroyPreflightOptions,
  out: (line: string) => void,
): Promise<{ ok: boolean; beforeDestroy: () => Promise<void> }> {
  const targets = await destroyTargets(ws, stacksInDestroyOrder, opts, out);
  if (targets.length === 0) return { ok: true, beforeDestroy: async () => undefined };
  const client = await aws();
  const check = await checkDestroy(client, targets, fixFlags(opts), out);
  return { ok: check.ok, beforeDestroy: () => applyFixes(client, check.toFix, out) };
}
