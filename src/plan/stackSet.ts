/**
 * The stacks a plan covers: found from the project's `Pulumi.<stack>.yaml` files (or named), every
 * file read and parsed, and the set validated, all BEFORE anything is evaluated, so a bad file
 * fails the plan in milliseconds and names every problem at once.
 */
import * as fs from "fs";
import * as path from "path";
import { readStackConfig, stackFilePath } from "../engine/stackFiles";
import { DrConfig, isLinksConfig, parseDrConfig, StackConfig } from "../../stacks/configSchema";
import { activeRegionBehindWarning, resolveActiveRegion, validateStackSet } from "../../stacks/stackSet";
import { messageOf, PlanInputError } from "./errors";

const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/;

/** One stack of the plan: its name, file, raw config map (as the CLI hands it over) and parsed config. */
export interface PlannedStack {
  readonly stack: string;
  readonly file: string;
  readonly rawConfig: Readonly<Record<string, string>>;
  readonly config: DrConfig;
}

/** A planned region stack (primary or secondary). */
export interface PlannedRegionStack extends PlannedStack {
  readonly config: StackConfig;
}

/** What the plan shows as a links stack's region: it has none of its own, its resources sit where the links need them. */
export const LINKS_STACK_REGION = "multi-region";

export function stackRegion(config: DrConfig): string {
  return isLinksConfig(config) ? LINKS_STACK_REGION : config.region;
}

export function isRegionStack(s: PlannedStack): s is PlannedRegionStack {
  return !isLinksConfig(s.config);
}

/** Names of the stacks whose files sit in the project folder, sorted by name. */
export function discoverStacks(projectDir: string): string[] {
  if (!fs.existsSync(projectDir) || !fs.statSync(projectDir).isDirectory())
    throw new PlanInputError(`project folder ${projectDir} does not exist; pass --cwd <folder holding Pulumi.yaml and the stack files>`);
  const names = fs.readdirSync(projectDir).map((f) => STACK_FILE.exec(f)?.[1]).filter((s): s is string => s !== undefined).sort();
  if (names.length === 0)
    throw new PlanInputError(`no stack files (Pulumi.<stack>.yaml) in ${projectDir}; pass --cwd <project folder> or create Pulumi.primary.yaml`);
  return names;
}

/**
 * Reads and validates the named stacks (or every stack file). Collects the problems of all files
 * before failing, then checks the set (one primary, distinct regions and CIDRs, one links stack
 * naming them). Returns the stacks in the order they deploy in: the primary, the secondaries in
 * the order given, then the links stack (it reads every other stack's outputs).
 */
export function loadStackSet(projectDir: string, stacks?: readonly string[], warn?: (line: string) => void): PlannedStack[] {
  const names = stacks && stacks.length ? [...new Set(stacks)] : discoverStacks(projectDir);
  const loaded: PlannedStack[] = [];
  const problems: string[] = [];
  for (const stack of names) {
    const file = stackFilePath(projectDir, stack);
    try {
      const rawConfig = readStackConfig(projectDir, stack);
      const config = parseDrConfig(rawConfig, path.basename(file));
      loaded.push({ stack, file, rawConfig, config });
    } catch (err) {
      problems.push(messageOf(err));
    }
  }
  if (problems.length) throw new PlanInputError(problems.join("\n\n"));
  try {
    validateStackSet(loaded.map(({ stack, config }) => ({ stack, config })));
  } catch (err) {
    throw new PlanInputError(messageOf(err));
  }
  const rank = (s: PlannedStack) => (s.config.role === "primary" ? 0 : s.config.role === "secondary" ? 1 : 2);
  return withActiveRegion(loaded, warn).sort((a, b) => rank(a) - rank(b));
}

/**
 * The set's active region, by the one rule the drills use too (stacks/stackSet.ts resolveActiveRegion),
 * given to every stack: a plan made mid-outage, when only the recovery region's file records the
 * failover, shows the deployment as it serves (every stack evaluated with that region), not as each
 * file alone would deploy it.
 */
export function planActiveRegion(stacks: readonly PlannedStack[]): { region?: string; warning?: string } {
  const primary = stacks.find((s) => s.config.role === "primary");
  if (!primary || isLinksConfig(primary.config)) return {};
  const { region, behind } = resolveActiveRegion(primary.config.region, stacks.map((s) => ({ stack: s.stack, activeRegion: s.config.activeRegion })));
  return { region, warning: activeRegionBehindWarning(region, behind) };
}

function withActiveRegion(stacks: PlannedStack[], warn?: (line: string) => void): PlannedStack[] {
  const { region, warning } = planActiveRegion(stacks);
  if (warning) warn?.(`warning: ${warning}; planning every stack with ${region}`);
  const primary = stacks.find((s) => s.config.role === "primary");
  if (!region || !primary || isLinksConfig(primary.config)) return [...stacks];
  const primaryRegion = primary.config.region;
  return stacks.map((s) => ((s.config.activeRegion ?? primaryRegion) === region ? s
    : { ...s, rawConfig: { ...s.rawConfig, "dr:activeRegion": region }, config: { ...s.config, activeRegion: region } as DrConfig }));
}
