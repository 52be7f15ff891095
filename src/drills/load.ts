/**
 * Where a drill's inputs come from: the stack files in the project folder (configs, which stack is
 * primary, dr:activeRegion) and the stacks' outputs, from `--outputs <stack>=<file>`, from the
 * Automation API, or (simulation, or a dry-run with neither) derived from the stack files.
 */
import * as fs from "fs";
import { parseStackConfig, stackConfigSchema, StackConfig } from "../../stacks/configSchema";
import { activeRegionBehindWarning, referencesStack, resolveActiveRegion } from "../../stacks/stackSet";
import { ConfigError } from "../../stacks/configSchema";
import { readStackConfig } from "../engine/stackFiles";
import { scheduleIntervalSeconds } from "../../components/data/backupRules";
import { DrillInputError, DrillInputs, drillInputs, InputsNeed, RawOutputs, readOutputsFile, simulatedOutputs } from "./inputs";

export const ACTIVE_REGION_KEY = "dr:activeRegion";
/** The roles a drill moves traffic between. */
const PAIR_ROLES: readonly (string | undefined)[] = ["primary", "secondary"];

export interface ProjectStacks {
  /** The project folder holding Pulumi.yaml and the stack files. */
  readonly dir: string;
  readonly primary: { readonly stack: string; readonly config: StackConfig };
  /** The secondary that holds the SECONDARY failover record: the first of the primary's dr:replicaRegions, never file order. */
  readonly secondary: { readonly stack: string; readonly config: StackConfig };
  /** Further secondaries (three or more regions), in dr:replicaRegions order. */
  readonly others: readonly { readonly stack: string; readonly config: StackConfig }[];
  readonly stackNames: readonly string[];
  /** The active region by the stack files (stacks/stackSet.ts resolveActiveRegion, the rule `plan` uses too). */
  readonly activeRegion: string;
  /** Files that do not record it yet (mid-outage: the others than the recovery region's). */
  readonly activeRegionWarning?: string;
}

export function stackNamesIn(dir: string): string[] {
  return fs.readdirSync(dir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s).sort();
}

/**
 * Reads every stack file; the pair is the primary and the secondary that holds the SECONDARY
 * failover record: the first of the primary's dr:replicaRegions (stacks/dnsRoles.ts), whatever the
 * files are named. Files of other roles (the links stack) are not parsed here, but get the
 * dr:activeRegion commands too.
 */
export function readProjectStacks(dir: string): ProjectStacks {
  const names = stackNamesIn(dir);
  const activeByFile: { stack: string; activeRegion?: string }[] = [];
  const configs = names.flatMap((stack) => {
    const raw: Record<string, string> = readStackConfig(dir, stack);
    activeByFile.push({ stack, activeRegion: raw[ACTIVE_REGION_KEY] });
    // dr:activeRegion may be newer than this schema; the drill reads it either way.
    if (raw[ACTIVE_REGION_KEY] !== undefined && !("activeRegion" in stackConfigSchema.shape)) delete raw[ACTIVE_REGION_KEY];
    if (!PAIR_ROLES.includes(raw["dr:role"])) return [];
    return [{ stack, config: parseStackConfig(raw, `Pulumi.${stack}.yaml`) }];
  });
  const primary = configs.find((c) => c.config.role === "primary");
  const secondaries = primary ? configs.filter((c) => c.config.role === "secondary" && referencesStack(c.config.primaryStack ?? "", primary.stack)) : [];
  if (!primary || !secondaries.length)
    throw new DrillInputError([`the folder ${dir} needs a primary stack file and a secondary stack file that references it (found ${names.map((n) => `Pulumi.${n}.yaml`).join(", ") || "none"}); run the drill in the project folder or pass --cwd`]);
  const order = primary.config.replicaRegions ?? [];
  const rank = (c: (typeof secondaries)[number]) => (order.includes(c.config.region) ? order.indexOf(c.config.region) : order.length);
  const [secondary, ...others] = [...secondaries].sort((a, b) => rank(a) - rank(b));
  if (order.length && secondary.config.region !== order[0])
    throw new DrillInputError([`no secondary stack file in ${dir} is in ${order[0]}, the first of dr:replicaRegions of stack "${primary.stack}" and so the holder of the SECONDARY failover record; add its stack file or fix dr:replicaRegions`]);
  try {
    const { region, behind } = resolveActiveRegion(primary.config.region, activeByFile);
    const warning = activeRegionBehindWarning(region, behind);
    return { dir, primary, secondary, others, stackNames: names, activeRegion: region, ...(warning ? { activeRegionWarning: warning } : {}) };
  } catch (err) {
    if (err instanceof ConfigError) throw new DrillInputError([err.message]);
    throw err;
  }
}

/** Parses `--outputs primary=p.json` values into stack -> file. */
export function parseOutputsOption(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const m = /^([^=]+)=(.+)$/.exec(v);
    if (!m) throw new DrillInputError([`--outputs ${v} is not <stack>=<file>; write for example --outputs primary=primary.json --outputs secondary=secondary.json`]);
    out[m[1]] = m[2];
  }
  return out;
}

export type OutputsSource = "files" | "derived" | "automation";

/** Reads a stack's outputs through the Automation API (needs the Pulumi CLI and a login). */
export type StackOutputsReader = (projectDir: string, stack: string) => Promise<RawOutputs>;

/**
 * The project's pair as a backup-restore pair, for drills that need one (restore) but run on stack
 * files of another strategy without outputs (--simulate, or a dry-run without the Pulumi CLI): both
 * stacks get dr:strategy backup-restore (the strategy is shared), and the database RPO target becomes
 * what backup-restore can promise, one backup interval (dr:backup.schedule; the model's bound), so the
 * recovery-point-age gate judges the copies as a backup-restore stack file would. The RTO target is
 * kept: the report says how far a restore misses it. Undefined when the pair is backup-restore already.
 */
export function asBackupRestorePair(project: ProjectStacks): { project: ProjectStacks; note: string } | undefined {
  if (project.secondary.config.strategy === "backup-restore") return undefined;
  const interval = scheduleIntervalSeconds(project.primary.config.backup.schedule);
  const convert = (s: ProjectStacks["primary"]) => {
    const rpo = interval ?? s.config.objectives.rpoSeconds.database;
    return { stack: s.stack, config: { ...s.config, strategy: "backup-restore" as const, objectives: { ...s.config.objectives, rpoSeconds: { ...s.config.objectives.rpoSeconds, database: Math.max(rpo, s.config.objectives.rpoSeconds.database) } } } };
  };
  const primary = convert(project.primary);
  return {
    project: { ...project, primary, secondary: convert(project.secondary) },
    note: `# the stack files use dr:strategy ${project.secondary.config.strategy}; simulating them as a backup-restore pair (no cluster in ${project.secondary.config.region}, ` +
      `database RPO target ${primary.config.objectives.rpoSeconds.database} s = one backup interval of ${primary.config.backup.schedule}); pass --outputs of deployed backup-restore stacks for the real thing`,
  };
}

/**
 * `everySecondary`: the drill looks at further secondaries too (readiness), so with --outputs files
 * each needs one; other drills load them when given (or derived), and skip them otherwise.
 */
export async function loadInputs(project: ProjectStacks, source: OutputsSource, files: Record<string, string>, reader?: StackOutputsReader, need?: InputsNeed, everySecondary = false): Promise<DrillInputs> {
  const pick = async (s: { stack: string; config: StackConfig }): Promise<RawOutputs> => {
    if (source === "derived") return simulatedOutputs(s.config);
    if (source === "automation") {
      try {
        return await reader!(project.dir, s.stack);
      } catch (err) {
        throw new DrillInputError([`reading the outputs of stack "${s.stack}" through the Automation API failed (${(err as Error).message.split("\n")[0]}); check 'pulumi login' and 'pulumi stack ls', or pass --outputs ${s.stack}=<file> from 'pulumi stack output --json --stack ${s.stack}'`]);
      }
    }
    const file = files[s.stack];
    if (!file) throw new DrillInputError([`no --outputs for stack "${s.stack}"; add --outputs ${s.stack}=<file> (pulumi stack output --json --stack ${s.stack} > <file>)`]);
    return readOutputsFile(file);
  };
  const known = [project.primary, project.secondary, ...project.others].map((x) => x.stack);
  const unknown = Object.keys(files).filter((s) => !known.includes(s));
  if (unknown.length) throw new DrillInputError([`--outputs names stack(s) ${unknown.join(", ")}, but the region stacks are ${known.join(", ")}`]);
  const [p, s] = [await pick(project.primary), await pick(project.secondary)];
  const others = [];
  for (const o of project.others) {
    if (source === "files" && !files[o.stack] && !everySecondary) continue;
    others.push({ ...o, outputs: await pick(o) });
  }
  return drillInputs({ ...project.primary, outputs: p }, { ...project.secondary, outputs: s }, project.stackNames, need, { others, derived: source === "derived" });
}
