/**
 * What the destroy preflight looks at, per stack and region, read from the stack's outputs: either
 * the Automation API's `stack.outputs()` or a `pulumi stack output --json` file given with
 * `--outputs <stack>=<file>`. Pure apart from reading the named files.
 */
import * as fs from "fs";
import * as path from "path";
import { finalSnapshotIdentifier } from "../../../components/data/dataPlacement";
import { REGION_SWITCH_CONTROL_REGION } from "../../../components/recovery/regionSwitchPlan";

/** One stack's resources that can stop or trap a destroy; everything named is in `region`. */
export interface StackTargets {
  readonly stack: string;
  readonly region: string;
  /** The VPC whose load balancers belong to the stack (web and app ALBs). */
  readonly vpcId?: string;
  /** Load balancers the outputs name (the web ALB); the VPC finds the rest. */
  readonly loadBalancerNames: readonly string[];
  readonly clusterIdentifier?: string;
  /** The cluster's DB instances in the stack's state (`regional.dbInstanceIdentifiers`); undefined when not exported. */
  readonly managedInstanceIdentifiers?: readonly string[];
  /** The identifier RDS gives the cluster's final snapshot on delete. */
  readonly finalSnapshotIdentifier?: string;
  /** The Aurora global database (the primary owns it). */
  readonly globalClusterIdentifier?: string;
  readonly bucketNames: readonly string[];
  /** Secrets whose deletion holds their name for the recovery window (the primary's DB secret; replicas are deleted at once). */
  readonly secretArns: readonly string[];
  /** Keys kept on delete (informational): the multi-region key and its replicas, each with its region. */
  readonly kmsKeys: ReadonlyArray<{ readonly arn: string; readonly region: string }>;
  /** The backup vault (`regional.backup.vaultName`), kept on destroy (informational for a redeploy). */
  readonly backupVaultName?: string;
  /** A backup-restore secondary's DB subnet group for restores (`regional.backup.restoreDbSubnetGroupName`): a restored cluster in it outlives the stack. */
  readonly restoreSubnetGroupName?: string;
}

/** Plain output values by name, as `pulumi stack output --json` prints them. */
export type StackOutputValues = Readonly<Record<string, unknown>>;

const KMS_ARN_REGION = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/;

function text(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 && v !== "[secret]" ? v : undefined;
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? v : undefined;
}

/**
 * The targets of one stack, or undefined for a stack that owns nothing that can stop a destroy.
 * The links stack owns no region, but its in-cloud Region switch plan writes execution reports into a
 * bucket in the plan's control-plane region: once a plan has run, that bucket holds objects and
 * S3 refuses to delete it (BucketNotEmpty), so the links stack, destroyed first, would stop there.
 * Throws naming the stack and the output when `regional` is there but lacks its region.
 */
export function targetsFromOutputs(stack: string, outputs: StackOutputValues): StackTargets | undefined {
  const regional = outputs.regional;
  if (regional === undefined || regional === null) return planReportTargets(stack, outputs);
  if (typeof regional !== "object") throw new Error(`stack ${stack}: output "regional" is ${JSON.stringify(regional)}, not an object; redeploy the stack with this version of the program, or pass its 'pulumi stack output --json' with --outputs ${stack}=<file>`);
  const r = regional as Record<string, unknown>;
  const region = text(r.region);
  if (!region) throw new Error(`stack ${stack}: output "regional.region" is missing; redeploy the stack with this version of the program, or pass its 'pulumi stack output --json' with --outputs ${stack}=<file>`);
  const clusterIdentifier = text(r.dbClusterIdentifier);
  const isPrimary = "globalClusterIdentifier" in outputs || "replicaKeyArns" in outputs;
  const keyArns = [text(r.kmsKeyArn), ...Object.values((outputs.replicaKeyArns ?? {}) as Record<string, unknown>).map(text)]
    .filter((a): a is string => a !== undefined);
  return {
    stack,
    region,
    vpcId: text(r.vpcId),
    loadBalancerNames: [text(r.webLoadBalancerName)].filter((n): n is string => n !== undefined),
    clusterIdentifier,
    ...(stringList(r.dbInstanceIdentifiers) ? { managedInstanceIdentifiers: stringList(r.dbInstanceIdentifiers) } : {}),
    finalSnapshotIdentifier: clusterIdentifier ? finalSnapshotIdentifier(clusterIdentifier) : undefined,
    globalClusterIdentifier: text(outputs.globalClusterIdentifier),
    bucketNames: [text(r.dataBucketName)].filter((n): n is string => n !== undefined),
    // A secondary's secret ARN is the primary's replica: deleting a replica frees it at once.
    secretArns: isPrimary ? [text(r.dbSecretArn)].filter((a): a is string => a !== undefined) : [],
    // Only the stack that created a key lists it: the primary (a secondary reads the replica's ARN).
    kmsKeys: isPrimary ? keyArns.map((arn) => ({ arn, region: KMS_ARN_REGION.exec(arn)?.[1] ?? region })) : [],
    // Every regional stack (primary and secondaries) owns a vault.
    backupVaultName: text((r.backup as Record<string, unknown> | null | undefined)?.vaultName),
    ...restoreGroup(r.backup),
  };
}

function planReportTargets(stack: string, outputs: StackOutputValues): StackTargets | undefined {
  const bucket = text((outputs.regionSwitchPlan as Record<string, unknown> | null | undefined)?.reportBucketName);
  return bucket ? { stack, region: REGION_SWITCH_CONTROL_REGION, loadBalancerNames: [], bucketNames: [bucket], secretArns: [], kmsKeys: [] } : undefined;
}

function restoreGroup(backup: unknown): { restoreSubnetGroupName?: string } {
  const name = text((backup as Record<string, unknown> | null | undefined)?.restoreDbSubnetGroupName);
  return name ? { restoreSubnetGroupName: name } : {};
}

/** Parses `--outputs primary=out/primary.json secondary=...` into stack -> file, naming a malformed entry. */
export function parseOutputsOption(entries: readonly string[], cwd: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of entries) {
    const m = /^([^=\s]+)=(.+)$/.exec(entry);
    if (!m) throw new Error(`--outputs "${entry}" is not <stack>=<file>; write it as primary=primary-outputs.json (from 'pulumi stack output --json --stack primary')`);
    if (files.has(m[1])) throw new Error(`--outputs names stack ${m[1]} twice; give one file per stack`);
    files.set(m[1], path.resolve(cwd, m[2]));
  }
  return files;
}

/** Reads a `pulumi stack output --json` file; throws naming the file and the fix. */
export function readOutputsFile(stack: string, file: string): StackOutputValues {
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch {
    throw new Error(`--outputs ${stack}=${file}: cannot read the file; write it with 'pulumi stack output --json --show-secrets --stack ${stack} > ${file}'`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`--outputs ${stack}=${file}: not JSON; write it with 'pulumi stack output --json --show-secrets --stack ${stack} > ${file}'`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`--outputs ${stack}=${file}: not a JSON object of outputs; write it with 'pulumi stack output --json --show-secrets --stack ${stack} > ${file}'`);
  return parsed as StackOutputValues;
}
