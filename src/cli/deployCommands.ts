/**
 * `dr deploy`, `dr destroy` and `dr preview`: the ordered operations over the project's stacks.
 * Stack roles come from the stack files, so `--stacks secondary primary` still deploys the primary
 * first. Configs are validated offline before the preflight and before any cloud call.
 * Register on the `dr` program and run it with `parseAsync` (the actions are async).
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { DrConfig, parseDrConfig } from "../../stacks/configSchema";
import { validateStackSet } from "../../stacks/stackSet";
import { discoverStacks } from "../plan/stackSet";
import { readStackConfig } from "../engine/stackFiles";
import { automationWorkspace, preflight as realPreflight } from "../deploy/automation";
import { PreflightAws } from "../deploy/preflight/awsPort";
import { destroyPreflightHook, DestroyPreflightOptions, outputsCoverEveryStack, sdkPreflightAws, serviceLinkedRoleHook, strategySwitchHook } from "../deploy/preflight/hooks";
import { deployOrder, deployStacks, describeChanges, destroyOrder, destroyStacks, orderStacks, previewStacks, StackOrder, StackOutcome, StackRole, StackWorkspace } from "../deploy/orchestrator";

export interface DeployCommandDeps {
  /** The workspace over a project directory; default: the Pulumi Automation API. */
  readonly workspaceFor?: (projectDir: string) => StackWorkspace;
  /** A message when the Pulumi CLI or AWS credentials are missing; default: checks PATH, env and ~/.aws. */
  readonly preflight?: () => string | undefined;
  /** Where progress lines go; default: stdout. */
  readonly out?: (line: string) => void;
  /** Where errors go; default: stderr. */
  readonly err?: (line: string) => void;
  /** Sets the process exit status on failure; default: process.exitCode. */
  readonly setExitCode?: (code: number) => void;
  /** The AWS calls of the role check and the destroy preflight; default: the SDK v3 adapter. */
  readonly preflightAws?: () => Promise<PreflightAws>;
}

interface CommonOptions {
  /** --stacks, or (filled in by `run` when it is not given) every stack file of the project. */
  readonly stacks: string[];
  readonly cwd: string;
}

export function registerDeployCommands(program: Command, deps: DeployCommandDeps = {}): Command {
  const out = deps.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = deps.err ?? ((l: string) => process.stderr.write(`${l}\n`));
  const setExitCode = deps.setExitCode ?? ((c: number) => { process.exitCode = c; });
  const workspaceFor = deps.workspaceFor ?? ((dir: string) => automationWorkspace(dir));
  const preflight = deps.preflight ?? (() => realPreflight());
  const preflightAws = deps.preflightAws ?? sdkPreflightAws;

  const run = <O extends CommonOptions>(action: (opts: O) => Promise<void>) => async (opts: O) => {
    try {
      const cwd = path.resolve(opts.cwd);
      // Every stack file by default, as `plan` reads them: a region added by the README's recipe
      // (Pulumi.<stack>.yaml) is deployed and destroyed without naming it.
      await action({ ...opts, cwd, stacks: opts.stacks ?? discoverStacks(cwd) });
    } catch (e) {
      err(e instanceof Error ? e.message : String(e));
      setExitCode(1);
    }
  };
  const ready = (): boolean => {
    const problem = preflight();
    if (problem) {
      err(problem);
      setExitCode(1);
    }
    return !problem;
  };
  // Checked after the offline checks and before any stack is touched (issue 8, point 2).
  const roleReady = async (opts: CommonOptions): Promise<boolean> => {
    const problem = await serviceLinkedRoleHook(preflightAws, stackConfigs(opts.cwd, opts.stacks));
    if (problem) {
      err(problem);
      setExitCode(1);
    }
    return !problem;
  };
  // A backup-restore secondary switched to a standing cluster while a restored one exists (issue 17).
  const switchReady = async (opts: CommonOptions): Promise<boolean> => {
    const configs = stackConfigs(opts.cwd, opts.stacks).map((config, i) => ({ stack: opts.stacks[i], config }));
    const problem = await strategySwitchHook(preflightAws, workspaceFor(opts.cwd), configs);
    if (problem) {
      err(problem);
      setExitCode(1);
    }
    return !problem;
  };
  const common = (cmd: Command): Command =>
    cmd
      .option("--stacks <names...>", "stacks to act on, in any order: deploy runs primary, secondaries, links; destroy the reverse (default: every Pulumi.<stack>.yaml in the project directory)")
      .option("--cwd <dir>", "project directory holding Pulumi.yaml and the Pulumi.<stack>.yaml files", process.cwd());

  common(program.command("deploy"))
    .description("deploy the primary stack, then each secondary, then links, with the Pulumi CLI (needs AWS credentials)")
    .addHelpText("after", "\nStops at the first stack that fails and names what was already deployed.\nExample: dr deploy --stacks primary secondary links")
    .action(run(async (opts) => {
      const order = validatedOrder(opts.cwd, opts.stacks);
      if (!ready() || !(await roleReady(opts)) || !(await switchReady(opts))) return;
      out(`deploy order: ${deployOrder(order).join(" -> ")}`);
      report(out, "deployed", await deployStacks(workspaceFor(opts.cwd), order, out));
    }));

  common(program.command("preview"))
    .description("preview the changes to every stack in deploy order, with the Pulumi CLI (needs AWS credentials)")
    .addHelpText("after", "\nA secondary's preview reads the primary's outputs, and the links stack's every other stack's,\nso preview each after the stacks it reads are deployed.\nFor an offline view without credentials use: npm run plan")
    .action(run(async (opts) => {
      const order = validatedOrder(opts.cwd, opts.stacks);
      if (!ready() || !(await roleReady(opts)) || !(await switchReady(opts))) return;
      report(out, "previewed", await previewStacks(workspaceFor(opts.cwd), order, out));
    }));

  common(program.command("destroy"))
    .description("destroy the links stack, then the secondary stacks (last first), then the primary, with the Pulumi CLI (needs AWS credentials)")
    .option("--force", "destroy even while a stack that depends on a target still has resources", false)
    .option("--lift-deletion-protection", "before destroying, turn off deletion protection on the stacks' load balancers, Aurora clusters and global database (each is named first)", false)
    .option("--empty-buckets", "before destroying, delete every object version and delete marker in the stacks' data, access-log and Region switch report buckets (the data is gone for good)", false)
    .option("--outputs <stack=file...>", "read a stack's outputs from 'pulumi stack output --json' files instead of its state, e.g. primary=primary.json")
    .option("--check", "only run the preflight: list what would stop or trap the destroy, change nothing", false)
    .addHelpText("after", "\nRefuses to destroy the primary while any secondary or links stack (listed or not) still has resources,\nbecause it owns the global database and keys they depend on, and a secondary while a links stack\nstill replicates into its bucket; --force overrides that.\n" +
      "Before anything is destroyed, a preflight lists per stack and region what would stop or trap the destroy\n(deletion protection, non-empty buckets, an existing final snapshot, secret names held for the recovery window,\nretained KMS keys) with the flag or the exact AWS CLI steps for each; it exits 1 while a blocker is not handled.\n" +
      "Example: dr destroy --stacks links secondary primary --check")
    .action(run(async (opts: CommonOptions & DestroyPreflightOptions & { force?: boolean; check?: boolean }) => {
      const order = orderStacks(opts.stacks.map((name) => ({ name, role: roleOf(opts.cwd, name) })));
      const otherSecondaries = order.primary ? otherSecondaryStacks(opts.cwd, opts.stacks) : [];
      const otherLinks = otherLinksStacks(opts.cwd, opts.stacks);
      // --check over --outputs files reads no state, so it runs without the Pulumi CLI. The links
      // stack holds nothing the preflight checks (no data, no protection), so it needs no file.
      const regionStacks = [...(order.primary ? [order.primary] : []), ...order.secondaries];
      if (!(opts.check && outputsCoverEveryStack(opts, regionStacks)) && !ready()) return;
      const ws = workspaceFor(opts.cwd);
      const preflightRun = await destroyPreflightHook(preflightAws, ws, destroyOrder(order), opts, out);
      if (!preflightRun.ok) return setExitCode(1);
      if (opts.check) return;
      out(`destroy order: ${destroyOrder(order).join(" -> ")}${opts.force ? " (--force: no check for live dependent stacks)" : ""}`);
      report(out, "destroyed", await destroyStacks(ws, order, { force: opts.force === true, otherSecondaries, otherLinks, beforeDestroy: preflightRun.beforeDestroy }, out));
    }));
  return program;
}

/** Reads and validates every named stack file, then orders them; throws naming the file and key. */
export function validatedOrder(projectDir: string, stacks: readonly string[]): StackOrder {
  const configs = stackConfigs(projectDir, stacks).map((config, i) => ({ stack: stacks[i], config }));
  const order = orderStacks(configs.map((c): StackRole => ({ name: c.stack, role: c.config.role })));
  if (order.primary) validateStackSet(configs);
  return order;
}

/** Each named stack file's config, parsed and validated; throws naming the file and key. */
export function stackConfigs(projectDir: string, stacks: readonly string[]): DrConfig[] {
  return stacks.map((stack) => parseDrConfig(readStackConfig(projectDir, stack), `Pulumi.${stack}.yaml`));
}

/**
 * The role alone, without validating the rest: destroying must work even after a config went bad.
 * A missing or unknown role counts as secondary, the safe side for the refusal check.
 */
function roleOf(projectDir: string, stack: string): StackRole["role"] {
  const role = readStackConfig(projectDir, stack)["dr:role"];
  return role === "primary" || role === "links" ? role : "secondary";
}

/** Stack files in the project that are not in this run, with their roles (an unreadable file counts as secondary). */
function otherStacks(projectDir: string, listed: readonly string[]): StackRole[] {
  const names = fs.readdirSync(projectDir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((n): n is string => n !== undefined);
  return names.filter((n) => !listed.includes(n)).sort().map((name) => {
    try {
      return { name, role: roleOf(projectDir, name) };
    } catch {
      return { name, role: "secondary" as const };
    }
  });
}

/** Stack files not in this run that depend on the primary (secondaries and links): the refusal check covers them too. */
export function otherSecondaryStacks(projectDir: string, listed: readonly string[]): string[] {
  return otherStacks(projectDir, listed).filter((s) => s.role !== "primary").map((s) => s.name);
}

/** Links stack files not in this run: they depend on every secondary. */
export function otherLinksStacks(projectDir: string, listed: readonly string[]): string[] {
  return otherStacks(projectDir, listed).filter((s) => s.role === "links").map((s) => s.name);
}

function report(out: (l: string) => void, verb: string, outcomes: readonly StackOutcome[]): void {
  out(`${verb}: ${outcomes.map((o) => `${o.stack}${describeChanges(o.changes)}`).join(", ") || "nothing"}`);
}
