/**
 * The typed contract between the stacks: every output the primary exports, and the one way a
 * secondary reads them. Adding a cross-region link means adding its output here first.
 */
import * as pulumi from "@pulumi/pulumi";
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
  readonly dbEndpoint: string | null;
  readonly webLoadBalancerName: string | null;
  readonly webLoadBalancerDnsName: string | null;
  /** The name the web tier uses for the app tier: app.<region>.<domain>, the internal ALB's alias and certificate name. */
  readonly appEndpoint: string | null;
  readonly autoScalingGroupNames: readonly string[];
  readonly healthCheckId: string | null;
  readonly dataBucketName: string;
  readonly dataBucketArn: string;
  readonly alarmTopicArn: string;
  readonly amiId: string;
  readonly dbSecretArn: string;
  readonly kmsKeyArn: string;
  readonly backup: BackupExports;
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
}

/** The names of all outputs in the contract; a secondary reads each of them. */
export const PRIMARY_OUTPUT_NAMES = ["shared", "regional", "globalClusterIdentifier", "replicaKeyArns", "dbSecretReplicaArns"] as const satisfies readonly (keyof PrimaryExports)[];
type ContractComplete = Exclude<keyof PrimaryExports, (typeof PRIMARY_OUTPUT_NAMES)[number]> extends never ? true : never;
const contractComplete: ContractComplete = true;
void contractComplete;

/** A plain value as a program may return it: the value, an Output of it, or an object of such. */
export type Exported<T> = [T] extends [readonly unknown[]] ? pulumi.Input<T> : [T] extends [object] ? pulumi.Input<T> | { readonly [K in keyof T]: Exported<T[K]> } : pulumi.Input<T>;
/** The primary's program returns this. */
export type PrimaryStackOutputs = { readonly [K in keyof PrimaryExports]: Exported<PrimaryExports[K]> };
export type RegionStackOutputs = { readonly [K in keyof RegionExports]: Exported<RegionExports[K]> };

/** A missing output means the primary has not been deployed with this version of the program. */
export class MissingPrimaryOutputError extends Error {
  constructor(readonly primaryStack: string, readonly missing: readonly string[]) {
    super(`Stack reference to primary stack "${primaryStack}" lacks output(s) ${missing.map((m) => `"${m}"`).join(", ")}. ` +
      `Run 'pulumi up' on "${primaryStack}" with this version of the program first (deploy order: primary, then secondaries), ` +
      `and check dr:primaryStack names the right stack.`);
    this.name = "MissingPrimaryOutputError";
  }
}

/**
 * Reads the primary's exports through a stack reference and waits for their values, so a
 * secondary can validate itself against the primary before registering anything else.
 */
export async function readPrimaryExports(ref: pulumi.StackReference, primaryStack: string): Promise<PrimaryExports> {
  const details = await Promise.all(PRIMARY_OUTPUT_NAMES.map(async (name) => [name, await ref.getOutputDetails(name)] as const));
  const missing = details.filter(([, d]) => d.value === undefined && d.secretValue === undefined).map(([name]) => name);
  if (missing.length) throw new MissingPrimaryOutputError(primaryStack, missing);
  return Object.fromEntries(details.map(([name, d]) => [name, d.value ?? d.secretValue])) as unknown as PrimaryExports;
}

/** A value the primary keeps per replica region, for this region; fails naming the fix when absent. */
export function forRegion(map: Readonly<Record<string, string>>, region: string, output: string, primaryStack: string): string {
  const value = map[region];
  if (!value) throw new MissingPrimaryOutputError(primaryStack, [`${output}.${region}`]);
  return value;
}
