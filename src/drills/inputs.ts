/**
 * What a drill needs to know, parsed with zod from the stacks' outputs (`pulumi stack output --json`
 * of the primary and the secondary, or the Automation API) plus their stack files (capacity,
 * objectives, health-check path). One clear error names every missing or bad output and the fix.
 */
import * as fs from "fs";
import { z } from "zod";
import { backupVaultName, restoreSubnetGroupName } from "../../components/data/backupRules";
import { StackConfig } from "../../stacks/configSchema";
import { DrillError } from "./errors";
import { RegionSwitch, regionSwitches } from "./regionSwitch";

export const TIERS = ["web", "app"] as const;
export type Tier = (typeof TIERS)[number];

/** One region as the drill sees it. */
export interface DrillRegion {
  readonly stack: string;
  readonly region: string;
  readonly config: StackConfig;
  readonly dbClusterIdentifier: string;
  readonly dbClusterArn: string;
  readonly webLoadBalancerName: string;
  readonly webLoadBalancerDnsName: string;
  readonly groups: readonly { readonly tier: Tier; readonly name: string }[];
  readonly healthCheckId: string;
  readonly dataBucketName: string;
  readonly amiId: string;
  readonly dbSecretArn: string;
  readonly kmsKeyArn: string;
  /** The switch that takes this region out of DNS (./regionSwitch): its state lives outside this region. */
  readonly regionSwitch: RegionSwitch;
}

/**
 * Where a backup-restore recovery region restores its database (stack outputs regional.backup of the
 * secondary, stacks/contract.ts BackupExports) and what it restores (the primary's cluster).
 */
export interface RestoreInputs {
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly restoreRoleArn: string;
  readonly dbSubnetGroupName: string;
  readonly securityGroupId: string;
  /** The primary's Aurora cluster: the copies in the vault keep it as their source resource ARN. */
  readonly sourceClusterArn: string;
}

export interface DrillInputs {
  readonly appName: string;
  readonly domain: string;
  readonly hostedZoneId: string;
  readonly strategy: StackConfig["strategy"];
  /** The Aurora global database; empty for a backup-restore pair (only the restore drill loads one). */
  readonly globalClusterIdentifier: string;
  /** Present when the drill needs a backup-restore recovery region (the restore drill). */
  readonly restore?: RestoreInputs;
  /** The stack whose config role is primary, and the secondary. */
  readonly primary: DrillRegion;
  /** The secondary holding the SECONDARY failover record (the first of dr:replicaRegions): every drill's recovery region. */
  readonly secondary: DrillRegion;
  /** Further secondaries (three or more regions): no member of the failover record set; readiness checks them too. */
  readonly others: readonly DrillRegion[];
  /** Every stack file in the project (for the `pulumi config set dr:activeRegion` commands). */
  readonly stackNames: readonly string[];
  /** How long wait-database-cutover waits for the new writer (`--cutover-timeout`); default DEFAULT_CUTOVER_TIMEOUT_SECONDS. */
  readonly cutoverTimeoutSeconds?: number;
}

const regional = z.object({
  region: z.string().min(1),
  dbClusterIdentifier: z.string().min(1).nullable(),
  dbClusterArn: z.string().regex(/^arn:aws[a-z-]*:rds:/, { error: "must be an RDS cluster ARN" }).nullable().optional(),
  webLoadBalancerName: z.string().min(1).nullable(),
  webLoadBalancerDnsName: z.string().min(1).nullable(),
  autoScalingGroupNames: z.array(z.string()),
  healthCheckId: z.string().min(1).nullable(),
  dataBucketName: z.string().min(1),
  amiId: z.string().min(1),
  dbSecretArn: z.string().min(1),
  kmsKeyArn: z.string().min(1),
  // Optional for stacks deployed before AWS Backup; the restore drill requires it.
  backup: z.object({
    vaultName: z.string().min(1),
    vaultArn: z.string().regex(/^arn:aws[a-z-]*:backup:/, { error: "must be a backup vault ARN" }),
    restoreRoleArn: z.string().min(1).nullable().optional(),
    restoreDbSubnetGroupName: z.string().min(1).nullable().optional(),
    restoreSecurityGroupId: z.string().min(1).nullable().optional(),
  }).optional(),
});

const endpoints = z.array(z.object({ endpoint: z.string().min(1), region: z.string().min(1) }));
const regionSwitchOutput = z.object({
  mechanism: z.enum(["cloudwatch-alarm", "arc-routing-control"]),
  switches: z.record(z.string(), z.object({
    healthCheckId: z.string().nullable().optional(), hostRegion: z.string().nullable().optional(), alarmName: z.string().nullable().optional(), routingControlArn: z.string().nullable().optional(),
  })),
  clusterEndpoints: endpoints.nullable().optional(),
});

const primaryOutputs = z.object({
  regional,
  globalClusterIdentifier: z.string().min(1).nullable(),
  // Absent on stacks deployed before the region switch: the drill then places the switches from the stack files.
  regionSwitch: regionSwitchOutput.optional(),
  shared: z.object({ appName: z.string(), domain: z.string(), hostedZoneId: z.string(), strategy: z.string(), region: z.string() }),
});
const secondaryOutputs = z.object({ regional });

export type RawOutputs = Record<string, unknown>;

export class DrillInputError extends DrillError {
  constructor(readonly problems: readonly string[]) {
    super(`The drill cannot start; its inputs have ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "DrillInputError";
  }
}

/** Reads a `pulumi stack output --json` file. */
export function readOutputsFile(file: string): RawOutputs {
  if (!fs.existsSync(file)) throw new DrillInputError([`--outputs file ${file} does not exist; write it with 'pulumi stack output --json --show-secrets --stack <stack> > ${file}'`]);
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as RawOutputs;
  } catch {
    // fall through to the one error below
  }
  throw new DrillInputError([`--outputs file ${file} is not a JSON object of stack outputs; write it with 'pulumi stack output --json --stack <stack>'`]);
}

export interface StackSource {
  readonly stack: string;
  readonly config: StackConfig;
  readonly outputs: RawOutputs;
}

/** The cluster identifier each region's program gives its Aurora cluster (stacks/region.ts clusterIdentifier); a restore recreates it. */
export function clusterIdFor(config: Pick<StackConfig, "appName" | "environment" | "region">): string {
  return `${config.appName}-${config.environment}-${config.region}`;
}

/** What the drill needs of the pair: a global database, a backup-restore target, or only the switches (`drill switch`, any strategy). */
export type InputsNeed = "global-database" | "backup-restore" | "switch";

export interface InputsOptions {
  /** Further secondaries' sources (three or more regions). */
  readonly others?: readonly StackSource[];
  /** Outputs derived from the stack files (dry-run without outputs, simulation): placeholder switch identifiers are fine. */
  readonly derived?: boolean;
}

/** Builds the drill's inputs, or throws one DrillInputError naming each missing output and the fix. */
export function drillInputs(primary: StackSource, secondary: StackSource, stackNames: readonly string[], need: InputsNeed = "global-database", opts: InputsOptions = {}): DrillInputs {
  const problems: string[] = [];
  // reportInput: zod 4 leaves an issue's input out unless asked, and "missing" is told by it.
  const p = primaryOutputs.safeParse(primary.outputs, { reportInput: true });
  const s = secondaryOutputs.safeParse(secondary.outputs, { reportInput: true });
  const others = (opts.others ?? []).map((o) => ({ source: o, parsed: secondaryOutputs.safeParse(o.outputs, { reportInput: true }) }));
  const issues = (stack: string, r: { success: boolean; error?: z.ZodError }) =>
    r.success ? [] : r.error!.issues.map((i) => `output ${i.path.join(".") || "(root)"} of stack "${stack}" ${i.code === "invalid_type" && i.input === undefined ? "is missing" : `is invalid (${i.message})`}; redeploy "${stack}" with this version of the program ('pulumi up --stack ${stack}')`);
  problems.push(...issues(primary.stack, p), ...issues(secondary.stack, s), ...others.flatMap((o) => issues(o.source.stack, o.parsed)));
  if (!p.success || !s.success || others.some((o) => !o.parsed.success)) throw new DrillInputError(problems);
  const restore = need === "backup-restore" ? restoreInputs(secondary, s.data.regional, p.data.regional.dbClusterArn, problems) : undefined;
  // The restore recreates the cluster the region's program would name (in the vault's account); the drill's database steps address it so.
  const restored = restore && { id: clusterIdFor(secondary.config), arn: restore.vaultArn.replace(/:backup:([^:]*):(\d+):.*$/, `:rds:$1:$2:cluster:${clusterIdFor(secondary.config)}`) };
  if (p.data.globalClusterIdentifier === null && need === "global-database")
    problems.push(`stack "${primary.stack}" exports no globalClusterIdentifier: strategy ${primary.config.strategy} keeps no standing replica, so there is nothing to switch or fail over; use the restore drill`);
  const replicaRegions = primary.config.replicaRegions?.length ? primary.config.replicaRegions : [secondary.config.region, ...others.map((o) => o.source.config.region)];
  const switches = regionSwitches(
    { appName: primary.config.appName, environment: primary.config.environment, primaryRegion: primary.config.region, replicaRegions, mechanism: primary.config.regionSwitch.mechanism },
    p.data.regionSwitch, !opts.derived, primary.stack, problems,
  );
  // `drill switch` works on any pair, backup-restore included: it needs no database identifiers.
  const dbOptional = need === "switch";
  const region = (stack: string, config: StackConfig, r: z.infer<typeof regional>, cluster?: { id: string; arn: string }): DrillRegion | undefined => {
    const need = <T>(value: T | null | undefined, name: string, optional = false): T => {
      if (optional && (value === null || value === undefined)) return "" as T;
      if (value === null || value === undefined) problems.push(`output regional.${name} of stack "${stack}" is missing; redeploy "${stack}" with this version of the program ('pulumi up --stack ${stack}'), which exports it`);
      return value as T;
    };
    if (r.region !== config.region) problems.push(`output regional.region of stack "${stack}" is ${r.region} but its stack file says aws:region ${config.region}; pass the outputs of the right stack`);
    const groups = r.autoScalingGroupNames.map((name) => ({ name, tier: TIERS.find((t) => name.startsWith(`${config.appName}-${t}-`)) }));
    for (const g of groups.filter((x) => !x.tier)) problems.push(`Auto Scaling group ${g.name} of stack "${stack}" is neither ${config.appName}-web-* nor ${config.appName}-app-*; the drill cannot tell which tier to scale`);
    const out: DrillRegion = {
      stack, region: r.region, config,
      dbClusterIdentifier: need(cluster?.id ?? r.dbClusterIdentifier, "dbClusterIdentifier", dbOptional),
      dbClusterArn: need(cluster?.arn ?? r.dbClusterArn, "dbClusterArn", dbOptional),
      webLoadBalancerName: need(r.webLoadBalancerName, "webLoadBalancerName"),
      webLoadBalancerDnsName: need(r.webLoadBalancerDnsName, "webLoadBalancerDnsName"),
      groups: groups.filter((g) => g.tier).map((g) => ({ name: g.name, tier: g.tier! })),
      healthCheckId: need(r.healthCheckId, "healthCheckId"),
      dataBucketName: r.dataBucketName, amiId: r.amiId, dbSecretArn: r.dbSecretArn, kmsKeyArn: r.kmsKeyArn,
      regionSwitch: switches[r.region] ?? switches[config.region],
    };
    if (!out.regionSwitch) problems.push(`stack "${stack}" (${config.region}) is not among the primary's dr:replicaRegions (${replicaRegions.join(", ")}), so it has no region switch; add ${config.region} to dr:replicaRegions of stack "${primary.stack}"`);
    return out;
  };
  const pr = region(primary.stack, primary.config, p.data.regional);
  const sr = region(secondary.stack, secondary.config, s.data.regional, restored);
  const or = others.map((o) => region(o.source.stack, o.source.config, o.parsed.data!.regional, undefined));
  if (p.data.shared.region !== primary.config.region) problems.push(`stack "${primary.stack}" exports shared.region ${p.data.shared.region}, not its stack file's ${primary.config.region}`);
  if (problems.length) throw new DrillInputError(problems);
  return {
    appName: primary.config.appName, domain: primary.config.domain, hostedZoneId: primary.config.hostedZoneId, strategy: secondary.config.strategy,
    globalClusterIdentifier: p.data.globalClusterIdentifier ?? "", primary: pr!, secondary: sr!, others: or.map((x) => x!), stackNames, ...(restore ? { restore } : {}),
  };
}

/** The secondary's restore target (regional.backup) and the source cluster; pushes a problem for each missing piece. */
function restoreInputs(secondary: StackSource, r: z.infer<typeof regional>, sourceClusterArn: string | null | undefined, problems: string[]): RestoreInputs | undefined {
  const stack = secondary.stack;
  if (secondary.config.strategy !== "backup-restore" || r.dbClusterIdentifier !== null) {
    problems.push(`stack "${stack}" is a ${secondary.config.strategy} secondary${r.dbClusterIdentifier ? ` with a standing cluster ${r.dbClusterIdentifier}` : ""}; the restore drill restores into a backup-restore region (dr:strategy: backup-restore, no DB cluster). Use the failover drill, or simulate with 'drill restore --simulate' and no --outputs`);
    return undefined;
  }
  const b = r.backup;
  const missing = !b ? ["backup"] : (["restoreRoleArn", "restoreDbSubnetGroupName", "restoreSecurityGroupId"] as const).filter((k) => !b[k]).map((k) => `backup.${k}`);
  for (const name of missing) problems.push(`output regional.${name} of stack "${stack}" is missing; redeploy "${stack}" with this version of the program ('pulumi up --stack ${stack}'), which exports it for backup-restore`);
  if (!sourceClusterArn) problems.push("output regional.dbClusterArn of the primary stack is missing: the restore looks for copies of that cluster; redeploy the primary with this version of the program");
  if (missing.length || !b || !sourceClusterArn) return undefined;
  return { vaultName: b.vaultName, vaultArn: b.vaultArn, restoreRoleArn: b.restoreRoleArn!, dbSubnetGroupName: b.restoreDbSubnetGroupName!, securityGroupId: b.restoreSecurityGroupId!, sourceClusterArn };
}

/** The region of a stack in the pair, and the other one. */
export function regionOf(inputs: DrillInputs, region: string): DrillRegion {
  const r = [inputs.primary, inputs.secondary].find((x) => x.region === region);
  if (!r) throw new DrillInputError([`region ${region} is neither ${inputs.primary.region} (stack ${inputs.primary.stack}) nor ${inputs.secondary.region} (stack ${inputs.secondary.stack})`]);
  return r;
}

/** Every region of the deployment: the pair, then further secondaries. */
export function allRegions(inputs: DrillInputs): DrillRegion[] {
  return [inputs.primary, inputs.secondary, ...inputs.others];
}

/** How a drill names a region's stack role in step names (`switch-off-primary`): primary, secondary, or the further secondary's stack. */
export function roleName(inputs: DrillInputs, r: DrillRegion): string {
  return r === inputs.primary ? "primary" : r === inputs.secondary ? "secondary" : r.stack;
}

export function otherRegion(inputs: DrillInputs, region: string): DrillRegion {
  return regionOf(inputs, region) === inputs.primary ? inputs.secondary : inputs.primary;
}

/**
 * Outputs shaped like a deployed stack's, derived from its config: the simulator's built-in region
 * pair on a fresh clone (no deployment, no files named). Identifiers follow the programs' naming.
 */
export function simulatedOutputs(config: StackConfig, account = "111122223333"): RawOutputs {
  const cluster = clusterIdFor(config);
  // A backup-restore secondary builds no cluster, but a restore role and target (stacks/backup.ts).
  const restoreTarget = config.strategy === "backup-restore" && config.role !== "primary";
  const vaultName = backupVaultName(config.appName, config.environment, config.region);
  const regionalOut = {
    region: config.region, vpcId: "vpc-0sim", dbClusterIdentifier: restoreTarget ? null : cluster,
    dbClusterArn: restoreTarget ? null : `arn:aws:rds:${config.region}:${account}:cluster:${cluster}`,
    dbEndpoint: restoreTarget ? null : `${cluster}.cluster-sim.${config.region}.rds.amazonaws.com`,
    webLoadBalancerName: `${config.appName}-web-sim`, webLoadBalancerDnsName: `${config.appName}-web-sim.${config.region}.elb.amazonaws.com`,
    autoScalingGroupNames: TIERS.map((t) => `${config.appName}-${t}-asg-sim`),
    healthCheckId: `hc-${config.region}`, dataBucketName: `${config.appName}-data-${config.region}-sim`,
    dataBucketArn: `arn:aws:s3:::${config.appName}-data-${config.region}-sim`, alarmTopicArn: `arn:aws:sns:${config.region}:${account}:${config.appName}-alarms`,
    amiId: config.amiId ?? "ami-0fedcba9876543210", dbSecretArn: `arn:aws:secretsmanager:${config.region}:${account}:secret:${config.appName}-db-sim`,
    kmsKeyArn: `arn:aws:kms:${config.region}:${account}:key/mrk-sim`,
    backup: {
      vaultName, vaultArn: `arn:aws:backup:${config.region}:${account}:backup-vault:${vaultName}`,
      restoreRoleArn: config.role === "primary" ? null : `arn:aws:iam::${account}:role/${config.appName}-restore-role-sim`,
      restoreDbSubnetGroupName: restoreTarget ? restoreSubnetGroupName(cluster) : null, restoreSecurityGroupId: restoreTarget ? "sg-0sim-database" : null,
    },
  };
  if (config.role !== "primary") return { regional: regionalOut };
  return {
    regional: regionalOut, globalClusterIdentifier: config.strategy === "backup-restore" ? null : `${config.appName}-${config.environment}`,
    shared: { appName: config.appName, domain: config.domain, hostedZoneId: config.hostedZoneId, strategy: config.strategy, region: config.region, vpcCidr: config.vpcCidr, dbEngine: config.database.engine, replicaRegions: config.replicaRegions ?? [] },
    replicaKeyArns: {}, dbSecretReplicaArns: {},
  };
}
