/**
 * The typed contract between the stacks: every output the primary and the secondaries export,
 * and the one way another stack reads them (a secondary reads the primary; the links stack reads
 * the primary and every secondary). Adding a cross-region link means adding its output here first.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./configSchema";
import type { SwitchMechanism } from "../components/dns/regionSwitch";
import { SharedSettings } from "./stackSet";

/** A region's backup vault and what backs up into it; the links stack and the restore runbook read it. */
export interface BackupExports {
  readonly vaultName: string;
  readonly vaultArn: string;
  /** The vault lock's retention range: a copy job into this vault fails unless its retention fits. */
  readonly lockMinRetentionDays: number;
  readonly lockMaxRetentionDays: number;
  /** The region's own backup plan (every stack since secondaries back up too; null from older primaries). */
  readonly planId: string | null;
  /** Role AWS Backup assumes to back up and copy (every stack; null from older primaries). */
  readonly backupRoleArn: string | null;
  /** Role AWS Backup assumes to restore (secondary: the restore runbook passes it), or null. */
  readonly restoreRoleArn: string | null;
  /** backup-restore secondary: the DB subnet group and security group a restored cluster uses, or null. */
  readonly restoreDbSubnetGroupName: string | null;
  readonly restoreSecurityGroupId: string | null;
  /** ARNs the region's plan selects (its Aurora cluster, if any, and its data bucket). */
  readonly protectedArns: readonly string[];
  /** dr:backup of the region: the links stack copies the primary's backups on this schedule, with these retentions. */
  readonly schedule: string;
  readonly retentionDays: number;
  readonly copyRetentionDays: number;
}

/** An alarm the in-cloud plan names: its name (the plan's mapBlockKey), ARN and region. */
export interface AlarmExport {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
}

/**
 * What a region built for the in-cloud ARC Region switch plan (components/recovery/recoveryActions.ts);
 * the links stack reads it to generate the plan from the drill steps. Null where the region takes no
 * part in a plan (backup-restore, active-active, a further secondary).
 */
export interface RecoveryExports {
  /** The stack's parsed config: the drill steps the plan is translated from are built from it. */
  readonly stackConfig: StackConfig;
  /** The custom-action Lambdas of the region, by action key (src/regionswitch/translate.ts lambdaKey). */
  readonly lambdaArns: Readonly<Record<string, string>>;
  /** The region's Auto Scaling groups by tier: the EC2AutoScaling block names them by ARN. */
  readonly autoScalingGroupArns: Readonly<Record<string, string>>;
  /** The web tier's 5xx-rate alarm: the plan's application-health alarm for this region. */
  readonly healthAlarm: AlarmExport | null;
  /** Recovery region with dr:recovery.mode alarm: the alarm whose transition to red starts the plan. */
  readonly triggerAlarm: AlarmExport | null;
}

/** What an operator needs of one region in an outage; both stacks export it (drills read it). */
export interface RegionExports {
  readonly region: string;
  readonly vpcId: string;
  readonly dbClusterIdentifier: string | null;
  /** The member cluster's ARN: TargetDbClusterIdentifier of FailoverGlobalCluster / SwitchoverGlobalCluster. */
  readonly dbClusterArn: string | null;
  /** The global database this member belongs to: GlobalClusterIdentifier of those calls (null without one). */
  readonly dbGlobalClusterIdentifier: string | null;
  /** The member cluster's DB instances this stack manages: the destroy preflight reports any other instance as unmanaged. */
  readonly dbInstanceIdentifiers: readonly string[];
  readonly dbEndpoint: string | null;
  readonly webLoadBalancerName: string | null;
  readonly webLoadBalancerDnsName: string | null;
  /** The name the web tier uses for the app tier: app.<region>.<domain>, the internal ALB's alias and certificate name. */
  readonly appEndpoint: string | null;
  readonly autoScalingGroupNames: readonly string[];
  /** The HTTPS endpoint check of the region's regional name. */
  readonly healthCheckId: string | null;
  /** The region's record health: the CALCULATED check, endpoint AND the region's switch (null without a web tier). */
  readonly recordHealthCheckId: string | null;
  /**
   * Whether the region serves traffic by design: its web tier runs instances, or it is the active
   * region. A pilot-light standby serves nothing, so its health check is unhealthy by design and
   * no alarm pages on it.
   */
  readonly servesTraffic: boolean;
  readonly dataBucketName: string;
  readonly dataBucketArn: string;
  readonly alarmTopicArn: string;
  /** Every alarm this stack created (its alarm catalogue): the ARN names the alarm and its region. */
  readonly alarmArns: readonly string[];
  /** The region's CloudWatch DR dashboard, drawn from the same catalogue. */
  readonly dashboardName: string;
  readonly amiId: string;
  readonly dbSecretArn: string;
  readonly kmsKeyArn: string;
  readonly backup: BackupExports;
  /** What the region built for the in-cloud plan, or null. */
  readonly recovery: RecoveryExports | null;
}

/** One region's switch, by the region it switches off. */
export interface RegionSwitchEntry {
  /** The switch's Route 53 check (CLOUDWATCH_METRIC or RECOVERY_CONTROL): a child of the region's record health. */
  readonly healthCheckId: string;
  /** cloudwatch-alarm: the region whose CloudWatch holds the alarm and metric (never the switched region). */
  readonly hostRegion?: string;
  /** cloudwatch-alarm: the alarm's name in hostRegion. */
  readonly alarmName?: string;
  /** arc-routing-control: the region's routing control. */
  readonly routingControlArn?: string;
}

/** Every region's switch (the primary builds them all; components/dns/regionSwitch.ts). */
export interface RegionSwitchExports {
  readonly mechanism: SwitchMechanism;
  readonly switches: Readonly<Record<string, RegionSwitchEntry>>;
  /** arc-routing-control: the cluster's regional data-plane endpoints (try each in turn). */
  readonly clusterEndpoints?: readonly { readonly endpoint: string; readonly region: string }[];
  /** arc-routing-control: the control panel holding the routing controls and the safety rule. */
  readonly controlPanelArn?: string;
  /** arc-routing-control: the cluster of the control panel (the Region switch plan's role may describe it). */
  readonly clusterArn?: string;
}

/** What the primary stack exports, as plain values once read. */
export interface PrimaryExports {
  /** Settings every region must agree on (region, CIDR, app, strategy, domain, zone, engine, replica regions). */
  readonly shared: SharedSettings;
  /** The primary region's operational identifiers. */
  readonly regional: RegionExports;
  /** The Aurora global database, or null where the strategy keeps no standing replica (backup-restore). */
  readonly globalClusterIdentifier: string | null;
  /** The multi-region key's replica ARN, per replica region. */
  readonly replicaKeyArns: Readonly<Record<string, string>>;
  /** The DB secret's read-only replica ARN, per replica region. */
  readonly dbSecretReplicaArns: Readonly<Record<string, string>>;
  /** Every region's switch; a secondary reads its own switch check here (static stability: nothing of it in another region). */
  readonly regionSwitch: RegionSwitchExports;
}

/** What a secondary stack exports, as plain values once read (the links stack reads it). */
export interface SecondaryExports {
  /** The primary stack this secondary joined (its dr:primaryStack). */
  readonly primaryStack: string;
  /** The secondary's own settings, active region resolved against the primary's. */
  readonly shared: SharedSettings;
  /** The secondary region's operational identifiers; kmsKeyArn is the replica key of its region. */
  readonly regional: RegionExports;
  /** The role S3 assumes to replicate this secondary's bucket back to the primary's. */
  readonly replicationRoleArn: string;
}

/** What the links stack exports: the cross-region pieces it owns, for drills and runbooks. */
export interface LinksExports {
  /** The region serving traffic, as every stack agreed on it. */
  readonly activeRegion: string;
  /** The one replication configuration on the primary bucket: its role and a rule id per secondary region. */
  readonly primaryReplication: { readonly roleArn: string; readonly ruleIds: Readonly<Record<string, string>> };
  /** Alarms in the primary region on S3 replication metrics published there, by name. */
  readonly replicationAlarmNames: readonly string[];
  /** Route 53 health-check alarms in us-east-1, by the region whose health check they watch. */
  readonly healthCheckAlarmNames: Readonly<Record<string, string>>;
  /** The SNS topics this stack created (us-east-1, one per watched region), by the region their alarm watches. */
  readonly alarmTopicArns: Readonly<Record<string, string>>;
  /** The plan in the primary's region that copies its backups into every secondary's vault. */
  readonly backupCopyPlanId: string;
  /** The in-cloud ARC Region switch plan (control plane us-east-1), or null where the strategy has none. */
  readonly regionSwitchPlan: RegionSwitchPlanExports | null;
}

/** The in-cloud plan as the CLI and runbooks need it. */
export interface RegionSwitchPlanExports {
  readonly planArn: string;
  readonly planName: string;
  readonly executionRoleArn: string;
  /** Assume it to approve a ManualApproval step. */
  readonly approvalRoleArn: string;
  readonly reportBucketName: string;
  /** By region (us-east-1 and the plan's regions), the SNS topic the plan's events page through there; subscribed to dr:alerts. */
  readonly alertTopicArns: Readonly<Record<string, string>>;
  /** Per activated region, the plan's top-level step names in order. */
  readonly workflows: Readonly<Record<string, readonly string[]>>;
  /** Drill steps the plan has no block for: check them before starting it, or do them after. */
  readonly unmapped: Readonly<Record<string, readonly string[]>>;
  /** Warnings ARC's plan evaluation will raise on this deployment, each paging once a day (src/regionswitch/planSpec.ts). */
  readonly evaluationWarnings: readonly string[];
}

/** The names of all outputs in the contract; a secondary reads each of them. */
export const PRIMARY_OUTPUT_NAMES = ["shared", "regional", "globalClusterIdentifier", "replicaKeyArns", "dbSecretReplicaArns", "regionSwitch"] as const satisfies readonly (keyof PrimaryExports)[];
/** The names of a secondary's outputs; the links stack reads each of them. */
export const SECONDARY_OUTPUT_NAMES = ["primaryStack", "shared", "regional", "replicationRoleArn"] as const satisfies readonly (keyof SecondaryExports)[];
type Complete<T, Names extends readonly PropertyKey[]> = Exclude<keyof T, Names[number]> extends never ? true : never;
const contractComplete: [Complete<PrimaryExports, typeof PRIMARY_OUTPUT_NAMES>, Complete<SecondaryExports, typeof SECONDARY_OUTPUT_NAMES>] = [true, true];
void contractComplete;

/** A plain value as a program may return it: the value, an Output of it, or an object of such. */
export type Exported<T> = null extends T ? pulumi.Input<T> | ExportedValue<NonNullable<T>> | null : ExportedValue<T>;
type ExportedValue<T> = [T] extends [readonly unknown[]] ? pulumi.Input<T> : [T] extends [object] ? pulumi.Input<T> | { readonly [K in keyof T]: Exported<T[K]> } : pulumi.Input<T>;
/** The primary's program returns this. */
export type PrimaryStackOutputs = { readonly [K in keyof PrimaryExports]: Exported<PrimaryExports[K]> };
export type RegionStackOutputs = { readonly [K in keyof RegionExports]: Exported<RegionExports[K]> };
export type SecondaryStackOutputs = { readonly [K in keyof SecondaryExports]: Exported<SecondaryExports[K]> };
export type LinksStackOutputs = { readonly [K in keyof LinksExports]: Exported<LinksExports[K]> };

/** A missing output means the referenced stack has not been deployed with this version of the program. */
export class MissingStackOutputError extends Error {
  constructor(readonly stack: string, readonly missing: readonly string[], kind: string, configKey: string) {
    super(`Stack reference to ${kind} stack "${stack}" lacks output(s) ${missing.map((m) => `"${m}"`).join(", ")}. ` +
      `Run 'pulumi up' on "${stack}" with this version of the program first (deploy order: primary, then each secondary, then links), ` +
      `and check ${configKey} names the right stack.`);
    this.name = "MissingStackOutputError";
  }
}

export class MissingPrimaryOutputError extends MissingStackOutputError {
  constructor(readonly primaryStack: string, missing: readonly string[]) {
    super(primaryStack, missing, "primary", "dr:primaryStack");
    this.name = "MissingPrimaryOutputError";
  }
}

/** Reads every named output through a stack reference and waits for the values; fails naming what is missing. */
async function readExports<T>(ref: pulumi.StackReference, names: readonly string[], missingError: (missing: string[]) => Error): Promise<T> {
  const details = await Promise.all(names.map(async (name) => [name, await ref.getOutputDetails(name)] as const));
  const missing = details.filter(([, d]) => d.value === undefined && d.secretValue === undefined).map(([name]) => name);
  if (missing.length) throw missingError(missing);
  return Object.fromEntries(details.map(([name, d]) => [name, d.value ?? d.secretValue])) as T;
}

/**
 * Reads the primary's exports through a stack reference and waits for their values, so a
 * secondary (or the links stack) can validate itself against the primary before registering anything else.
 */
export function readPrimaryExports(ref: pulumi.StackReference, primaryStack: string): Promise<PrimaryExports> {
  return readExports(ref, PRIMARY_OUTPUT_NAMES, (missing) => new MissingPrimaryOutputError(primaryStack, missing));
}

/** Reads a secondary's exports (the links stack does, for each secondary it joins). */
export function readSecondaryExports(ref: pulumi.StackReference, secondaryStack: string): Promise<SecondaryExports> {
  return readExports(ref, SECONDARY_OUTPUT_NAMES, (missing) => new MissingStackOutputError(secondaryStack, missing, "secondary", "dr:secondaryStacks"));
}

/** A value the primary keeps per replica region, for this region; fails naming the fix when absent. */
export function forRegion(map: Readonly<Record<string, string>>, region: string, output: string, primaryStack: string): string {
  const value = map[region];
  if (!value) throw new MissingPrimaryOutputError(primaryStack, [`${output}.${region}`]);
  return value;
}
