/**
 * Checks that span stacks: a secondary must sit in another region, with a CIDR that does not
 * overlap its primary's, and agree with it on what the two regions share. Pure: used by `plan` on
 * the stack files and by the secondary stack on what the primary exports, before registering anything.
 */
import { overlaps, parseCidr } from "../components/network/cidrPlan";
import { ConfigError, ConfigProblem, DrConfig, isLinksConfig, LinksConfig, StackConfig } from "./configSchema";

/** What a secondary must agree on with its primary; the primary exports exactly this. */
export interface SharedSettings {
  readonly region: string;
  readonly vpcCidr: string;
  readonly appName: string;
  readonly strategy: StackConfig["strategy"];
  readonly domain: string;
  readonly hostedZoneId: string;
  readonly dbEngine: StackConfig["database"]["engine"];
  /** Regions the primary replicates its key and secret to (empty for a secondary). */
  readonly replicaRegions: readonly string[];
  /** dr:allowedRegions, sorted; empty when the stack sets no residency limit. Every stack of a set must agree. */
  readonly allowedRegions: readonly string[];
  /** The region serving traffic, as this stack was deployed with it (dr:activeRegion, resolved). */
  readonly activeRegion: string;
  /** dr:recovery.mode and .approval: the plan's trigger and the secondary's trigger alarm follow them. Absent from a primary deployed before they existed. */
  readonly recovery?: { readonly mode: StackConfig["recovery"]["mode"]; readonly approval: boolean };
}

/** `activeRegion` resolves dr:activeRegion: a secondary passes the primary's region as the default. */
export function sharedSettings(c: StackConfig, activeRegion = c.activeRegion ?? c.region): SharedSettings {
  return { region: c.region, vpcCidr: c.vpcCidr, appName: c.appName, strategy: c.strategy, domain: c.domain, hostedZoneId: c.hostedZoneId, dbEngine: c.database.engine, replicaRegions: c.replicaRegions ?? [], allowedRegions: [...(c.allowedRegions ?? [])].sort(), activeRegion, recovery: { mode: c.recovery.mode, approval: c.recovery.approval } };
}

/**
 * Problems with a stack FILE's dr:activeRegion against the primary's: it defaults to the primary's
 * region, must be a region of the deployment, and must be the same in every stack file, so the
 * drills and the alarms read one fact. Used on stack files (`plan`) and by the links stack, which
 * is deployed only while every region answers; a secondary deploying against the primary's
 * exports uses `secondaryActiveRegionCheck` instead.
 */
export function activeRegionProblems(own: string | undefined, primary: SharedSettings, primaryName: string): ConfigProblem[] {
  const outside = activeRegionOutside(own, primary);
  if (outside) return [outside];
  const resolved = own ?? primary.region;
  if (resolved !== primary.activeRegion)
    return [{ key: "dr:activeRegion", value: own, message: `resolves to ${resolved}, but stack ${primaryName} says ${primary.activeRegion}; set the same dr:activeRegion in every stack file (pulumi config set dr:activeRegion ${primary.activeRegion} --stack <stack>)` }];
  return [];
}

function activeRegionOutside(own: string | undefined, primary: SharedSettings): ConfigProblem | undefined {
  const regions = [primary.region, ...primary.replicaRegions];
  if (regions.includes(own ?? primary.region)) return undefined;
  return { key: "dr:activeRegion", value: own, message: `is not a region of this deployment (${regions.join(", ")}); set it to the region that serves traffic` };
}

/**
 * A secondary's dr:activeRegion against what the primary last exported. Only a region outside the
 * deployment is a problem. A disagreement is a warning, never a refusal: after a failover the
 * secondary's file names its own region while the primary, down with its region, still exports
 * its own, and static stability (README) needs the secondary's `pulumi up` to work then. No
 * Route 53 record depends on the value (stacks/dnsRoles.ts), so deploying it is safe.
 */
export function secondaryActiveRegionCheck(own: string | undefined, primary: SharedSettings, primaryName: string): { problems: ConfigProblem[]; warning?: string } {
  const outside = activeRegionOutside(own, primary);
  if (outside) return { problems: [outside] };
  const resolved = own ?? primary.region;
  if (resolved === primary.activeRegion) return { problems: [] };
  return {
    problems: [],
    warning: `dr:activeRegion is ${resolved} in this stack, but stack ${primaryName} was last deployed with ${primary.activeRegion}; ` +
      `deploying anyway (during an outage of ${primary.region} only this stack's file can be deployed, and the value moves no Route 53 record). ` +
      `Once ${primary.region} is back, set dr:activeRegion ${resolved} in the primary and links files (pulumi config set dr:activeRegion ${resolved} --stack <stack>) and deploy them, before any failback.`,
  };
}

/** One stack file's dr:activeRegion as written (undefined: not set). */
export interface ActiveRegionEntry {
  readonly stack: string;
  readonly activeRegion?: string;
}

/**
 * THE rule for which region serves, read from the stack files. `plan` (src/plan/stackSet.ts) and
 * the drills (src/drills/load.ts) both call this one function, so they never disagree:
 * - a file that leaves dr:activeRegion unset means the primary's region (what every stack resolves);
 * - a file naming another region records a recovery, and wins over files still at the primary's:
 *   during an outage only the recovery region's stack can be deployed, so its file is the one that
 *   changes first (or alone);
 * - files naming two different regions other than the primary's cannot both be right: refused,
 *   naming each file.
 * `behind` lists the files that say otherwise: record the region there once their region is back.
 */
export function resolveActiveRegion(primaryRegion: string, files: readonly ActiveRegionEntry[]): { region: string; behind: ActiveRegionEntry[] } {
  const recorded = [...new Set(files.map((f) => f.activeRegion).filter((r): r is string => !!r && r !== primaryRegion))];
  if (recorded.length > 1) {
    const each = files.map((f) => `Pulumi.${f.stack}.yaml says ${f.activeRegion ?? `nothing (${primaryRegion})`}`).join(", ");
    throw new ConfigError("the stack set", [{ key: "dr:activeRegion", value: recorded, message: `names more than one recovery region (${each}); set the region whose cluster writes now in every stack file (pulumi config set dr:activeRegion <region> --stack <stack>)` }]);
  }
  const region = recorded[0] ?? primaryRegion;
  return { region, behind: files.filter((f) => (f.activeRegion ?? primaryRegion) !== region) };
}

/** The warning for files that lag behind the active region, with the commands that record it. */
export function activeRegionBehindWarning(region: string, behind: readonly ActiveRegionEntry[]): string | undefined {
  if (!behind.length) return undefined;
  return `dr:activeRegion is ${region} (a file records it), but ${behind.map((f) => `Pulumi.${f.stack}.yaml says ${f.activeRegion ?? "nothing"}`).join(", ")}; ` +
    `record it there once that stack's region answers: ${behind.map((f) => `pulumi config set dr:activeRegion ${region} --stack ${f.stack}`).join("; ")}`;
}

const MUST_MATCH: ReadonlyArray<[keyof SharedSettings, string]> = [
  ["appName", "dr:appName"],
  ["strategy", "dr:strategy"],
  ["domain", "dr:domain"],
  ["hostedZoneId", "dr:hostedZoneId"],
  ["dbEngine", "dr:database.engine"],
];

/** Problems of one stack against another it must live beside (a primary and a secondary, or two secondaries). */
export function pairProblems(other: SharedSettings, otherName: string, self: SharedSettings, mustMatch = true): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (self.region === other.region)
    problems.push({ key: "aws:region", value: self.region, message: `is the region of stack ${otherName} too; a standby in the same region does not survive that region's loss, so choose another region` });
  const a = parseCidr(self.vpcCidr);
  const b = parseCidr(other.vpcCidr);
  if (a && b && overlaps(a, b))
    problems.push({ key: "dr:vpcCidr", value: self.vpcCidr, message: `overlaps ${other.vpcCidr} of stack ${otherName}; pick a range that does not, so the regions can be peered or routed later` });
  if (mustMatch && !other.replicaRegions.includes(self.region))
    problems.push({ key: "aws:region", value: self.region, message: `is not in dr:replicaRegions of stack ${otherName} (${other.replicaRegions.join(", ") || "none"}); add ${self.region} there and deploy ${otherName} first, so its key and secret are replicated here` });
  // A primary deployed before dr:allowedRegions existed exports no list: the same as none.
  const residency = (s: SharedSettings) => (s.allowedRegions ?? []).join(", ") || "(not set)";
  if (residency(self) !== residency(other))
    problems.push({ key: "dr:allowedRegions", value: self.allowedRegions ?? [], message: `differs from ${residency(other)} in stack ${otherName}; every stack of the set must list the same regions, or data could be replicated where another stack forbids it` });
  if (mustMatch && self.recovery && other.recovery) {
    for (const field of ["mode", "approval"] as const) {
      if (self.recovery[field] !== other.recovery[field])
        problems.push({ key: `dr:recovery.${field}`, value: self.recovery[field], message: `differs from ${JSON.stringify(other.recovery[field])} in stack ${otherName}; every region stack must say the same, since the in-cloud plan starts recovery one way for the whole set` });
    }
  }
  if (mustMatch) {
    for (const [field, key] of MUST_MATCH) {
      if (self[field] !== other[field])
        problems.push({ key, value: self[field], message: `differs from ${JSON.stringify(other[field])} in stack ${otherName}; both regions must use the same value` });
    }
  }
  return problems;
}

export interface NamedStackConfig {
  readonly stack: string;
  readonly config: DrConfig;
}

/** The stack a reference name names: "primary" of "primary", "proj/primary" and "org/proj/primary". */
export const referencedStack = (reference: string): string => reference.split("/").pop() ?? reference;

/** Whether a stack reference name ("primary", "proj/primary" and "org/proj/primary" all do) names the given stack. */
export function referencesStack(primaryStack: string, stack: string): boolean {
  return primaryStack === stack || referencedStack(primaryStack) === stack;
}

type Named<C> = { readonly stack: string; readonly config: C };

/**
 * Validates a whole deployment: one primary, each secondary pointing at it with distinct regions
 * and CIDRs, at most one links stack naming exactly the primary and secondaries of the set, and
 * one active region (resolveActiveRegion).
 */
export function validateStackSet(stacks: readonly NamedStackConfig[]): void {
  const errors: string[] = [];
  const regionStacks = stacks.filter((s): s is Named<StackConfig> => !isLinksConfig(s.config));
  const linksStacks = stacks.filter((s): s is Named<LinksConfig> => isLinksConfig(s.config));
  const primaries = regionStacks.filter((s) => s.config.role === "primary");
  if (primaries.length !== 1) {
    const names = primaries.map((p) => p.stack).join(", ") || "none";
    throw new ConfigError("the stack set", [{ key: "dr:role", value: names, message: "exactly one stack must have role primary; set dr:role to secondary on the others" }]);
  }
  if (linksStacks.length > 1)
    throw new ConfigError("the stack set", [{ key: "dr:role", value: linksStacks.map((l) => l.stack).join(", "), message: "more than one stack has role links; one links stack owns every cross-region link of a deployment, so keep one" }]);
  const primary = primaries[0];
  const switchProblem = regionSwitchProblem(regionStacks, primary.stack);
  if (switchProblem) errors.push(switchProblem);
  const roleProblem = serviceLinkedRoleProblem(regionStacks, primary.stack);
  if (roleProblem) errors.push(new ConfigError("the stack set", [roleProblem]).message);
  const primaryShared = sharedSettings(primary.config);
  const secondaries = regionStacks.filter((x) => x !== primary);
  const seen: Named<StackConfig>[] = [primary];
  for (const s of secondaries) {
    const problems: ConfigProblem[] = [];
    if (!referencesStack(s.config.primaryStack ?? "", primary.stack))
      problems.push({ key: "dr:primaryStack", value: s.config.primaryStack, message: `does not name the primary stack ${primary.stack}; set it to ${primary.stack}` });
    for (const earlier of seen) problems.push(...pairProblems(sharedSettings(earlier.config), earlier.stack, sharedSettings(s.config, primaryShared.activeRegion), earlier === primary));
    const outside = activeRegionOutside(s.config.activeRegion, primaryShared);
    if (outside) problems.push(outside);
    if (problems.length) errors.push(new ConfigError(`Pulumi.${s.stack}.yaml`, problems).message);
    seen.push(s);
  }
  for (const l of linksStacks) {
    const problems = linksProblems(l.config, primary, secondaries);
    const outside = activeRegionOutside(l.config.activeRegion, primaryShared);
    if (outside) problems.push(outside);
    if (problems.length) errors.push(new ConfigError(`Pulumi.${l.stack}.yaml`, problems).message);
  }
  // Files may disagree on dr:activeRegion mid-outage; only two recorded recovery regions are an error.
  try {
    resolveActiveRegion(primary.config.region, stacks.map((s) => ({ stack: s.stack, activeRegion: s.config.activeRegion })));
  } catch (err) {
    errors.push((err as Error).message);
  }
  if (errors.length) throw new Error(errors.join("\n\n"));
}

/**
 * Every region stack must name the same switch mechanism: the primary builds every region's
 * switch, and a secondary that expects another mechanism would find no switch of its kind.
 */
export function regionSwitchProblem(stacks: readonly Named<StackConfig>[], primaryStack: string): string | undefined {
  const mechanisms = new Set(stacks.map((s) => s.config.regionSwitch.mechanism));
  if (mechanisms.size <= 1) return undefined;
  const wanted = stacks.find((s) => s.stack === primaryStack)!.config.regionSwitch.mechanism;
  const lines = stacks.map((s) => `  - Pulumi.${s.stack}.yaml: dr:regionSwitch.mechanism is ${s.config.regionSwitch.mechanism}`);
  return `dr:regionSwitch differs between the stack files (the primary, stack ${primaryStack}, builds every region's switch, so all must name one mechanism):\n${lines.join("\n")}\n` +
    `Set the same value in every file, such as the primary's: dr:regionSwitch: { mechanism: ${wanted} } (pulumi config set --path dr:regionSwitch.mechanism ${wanted} --stack <stack>).`;
}

/**
 * The Auto Scaling service-linked role is one per account and creating it when it exists fails, so
 * at most one stack may create it, and that must be the primary: its KMS keys, created first, name it.
 */
export function serviceLinkedRoleProblem(stacks: readonly Named<StackConfig>[], primaryStack: string): ConfigProblem | undefined {
  const creators = stacks.filter((s) => s.config.createAutoScalingServiceLinkedRole).map((s) => s.stack);
  const key = "dr:createAutoScalingServiceLinkedRole";
  if (creators.length > 1)
    return { key, value: true, message: `is true in stacks ${creators.join(", ")}; the role is one per account and creating it twice fails, so set it only on ${primaryStack} (the primary, whose keys name it) and false elsewhere` };
  if (creators.length === 1 && creators[0] !== primaryStack)
    return { key, value: true, message: `is true in stack ${creators[0]}, but the KMS keys of the primary, stack ${primaryStack}, are created first and name the role; set it on ${primaryStack} instead and false on ${creators[0]}` };
  return undefined;
}

/** A links stack must name the set's primary and exactly its secondaries, under the same app name. */
function linksProblems(links: LinksConfig, primary: Named<StackConfig>, secondaries: readonly Named<StackConfig>[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!referencesStack(links.primaryStack, primary.stack))
    problems.push({ key: "dr:primaryStack", value: links.primaryStack, message: `does not name the primary stack ${primary.stack}; set it to ${primary.stack}` });
  const unknown = links.secondaryStacks.filter((ref) => !secondaries.some((s) => referencesStack(ref, s.stack)));
  if (unknown.length)
    problems.push({ key: "dr:secondaryStacks", value: links.secondaryStacks, message: `names ${unknown.join(", ")}, which ${unknown.length === 1 ? "is not a secondary stack" : "are not secondary stacks"} of this deployment (${secondaries.map((s) => s.stack).join(", ") || "none"}); list the secondary stacks` });
  const missing = secondaries.filter((s) => !links.secondaryStacks.some((ref) => referencesStack(ref, s.stack)));
  if (missing.length)
    problems.push({ key: "dr:secondaryStacks", value: links.secondaryStacks, message: `lacks ${missing.map((s) => s.stack).join(", ")}; add every secondary stack, since the primary bucket's one replication configuration needs a rule per secondary` });
  if (links.appName !== primary.config.appName)
    problems.push({ key: "dr:appName", value: links.appName, message: `differs from ${JSON.stringify(primary.config.appName)} in stack ${primary.stack}; every stack must use the same value` });
  return problems;
}
