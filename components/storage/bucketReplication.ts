import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { requireAwsProvider } from "../providers";

/** Replication Time Control offers one threshold only: 99.99% of objects within 15 minutes. */
export const REPLICATION_TIME_MINUTES = 15;
/** Prefix of every replication rule id; the id names the direction (see replicationRuleId). */
export const DEFAULT_REPLICATION_RULE_ID = "dr-replication";
/** Replicas stay immediately readable after a failover; colder classes trade that for cost. */
export const DEFAULT_REPLICA_STORAGE_CLASS = "STANDARD";
/** AWS caps a replication rule id at 255 characters. */
const MAX_RULE_ID_LENGTH = 255;

/**
 * The id of the rule replicating a bucket in `source` to one in `destination`. It names both
 * regions, so rules of different source buckets into one destination (every secondary's rule back
 * to the primary) stay distinct wherever they meet: in CloudWatch dimensions and in alarm names.
 */
export function replicationRuleId(source: string, destination: string): string {
  return `${DEFAULT_REPLICATION_RULE_ID}-${source}-to-${destination}`;
}

/** Storage classes a replication destination accepts. */
export const REPLICA_STORAGE_CLASSES = [
  "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR",
] as const;
export type ReplicaStorageClass = typeof REPLICA_STORAGE_CLASSES[number];
/** Objects in these classes must be restored before an application can read them after failover. */
const ARCHIVE_STORAGE_CLASSES: readonly string[] = ["GLACIER", "DEEP_ARCHIVE"];

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/([A-Za-z0-9-]+)$/;
const S3_BUCKET_ARN = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;

/** The region of a KMS key ARN, or undefined when the text is not a key ARN (aliases are not keys). */
export function kmsKeyRegion(arn: string): string | undefined {
  return KMS_KEY_ARN.exec(arn)?.[1];
}

/** The bucket name of an S3 bucket ARN, or undefined when the text is not one. */
export function s3BucketNameOfArn(arn: string): string | undefined {
  return S3_BUCKET_ARN.exec(arn)?.[1];
}

/**
 * Problems with a KMS key ARN that must be a key (not an alias) in `region`. IAM scopes KMS
 * permissions by key ARN only, and S3 only uses a key from the bucket's own region.
 */
export function kmsKeyArnProblems(input: string, value: pulumi.Input<string>, region: string | undefined): string[] {
  if (typeof value !== "string") return [];
  const keyRegion = kmsKeyRegion(value);
  if (keyRegion === undefined) {
    return [`${input} is "${value}"; pass a KMS key ARN such as arn:aws:kms:<region>:<account>:key/<key-id> (not an alias or key id: IAM grants KMS use by key ARN)`];
  }
  if (region !== undefined && keyRegion !== region) {
    return [`${input} is "${value}", a key in ${keyRegion}; pass a key in ${region} (S3 uses only keys of the bucket's own region; for a multi-region key, its replica there)`];
  }
  return [];
}

/** One rule of the configuration: where replicas of every object go. */
export interface ReplicationDestination {
  /** ARN of the destination bucket, arn:aws:s3:::<name>. Required. */
  readonly bucketArn: pulumi.Input<string>;
  /** KMS key ARN replicas are encrypted with; must be a key in `region`. Required. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Region of the destination bucket; must differ from the source's and from every other destination's. Required. */
  readonly region: string;
  /** Id of the rule. Default replicationRuleId(sourceRegion, region). */
  readonly ruleId?: string;
  /** Storage class of the replicas. Default "STANDARD". */
  readonly storageClass?: ReplicaStorageClass;
}

export interface BucketReplicationArgs {
  /** Name of the source bucket (the bucket the replication configuration is attached to). Required. */
  readonly sourceBucketName: pulumi.Input<string>;
  /** ARN of the source bucket, arn:aws:s3:::<name>. Required. */
  readonly sourceBucketArn: pulumi.Input<string>;
  /** KMS key ARN that encrypts the source bucket's objects; must be in sourceRegion. Required. */
  readonly sourceKmsKeyArn: pulumi.Input<string>;
  /** Region of the source bucket; must be the region of the provider passed in opts. Required. */
  readonly sourceRegion: string;
  /**
   * One rule per destination bucket, in priority order. S3 keeps ONE replication configuration
   * per bucket (PutBucketReplication replaces it), so every destination of a bucket belongs in
   * this one list, never in a second BucketReplication on the same bucket. Required, at least one.
   */
  readonly destinations: readonly ReplicationDestination[];
}

/**
 * Cross-region replication of a versioned, KMS-encrypted bucket to one or more buckets: a
 * replication role limited to these buckets and keys, and the bucket's one replication
 * configuration with a rule per destination, each with Replication Time Control (15 minutes) and
 * its metrics, delete-marker replication, replication of KMS-encrypted objects re-encrypted under
 * the destination region's key, and replica-modification sync so that a reverse BucketReplication
 * keeps the buckets identical.
 *
 * Pass the provider of the SOURCE bucket's region in `opts.provider`, and in `opts.dependsOn` what
 * versions the buckets: the `BucketVersioning` of each bucket this stack creates
 * (DataBucket.versioning), or the stack reference of an earlier-deployed stack that versioned
 * its bucket. S3 rejects a replication configuration unless both buckets are versioned, and
 * nothing in the configuration's inputs refers to the versioning, so without `dependsOn` Pulumi
 * may create them in either order. `opts.dependsOn` is forwarded to the configuration itself.
 */
export class BucketReplication extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  /** Rule id per destination region. */
  readonly ruleIds: pulumi.Output<Record<string, string>>;
  readonly sourceBucketName: pulumi.Output<string>;
  readonly destinationBucketArns: pulumi.Output<string[]>;

  constructor(name: string, args: BucketReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    validateBucketReplicationArgs(args, opts?.dependsOn);
    super("dr:storage:BucketReplication", name, {}, opts);
    requireAwsProvider(this, `BucketReplication ${name}`);
    const destinations = args.destinations.map((d) => ({
      ...d,
      ruleId: d.ruleId ?? replicationRuleId(args.sourceRegion, d.region),
      storageClass: d.storageClass ?? DEFAULT_REPLICA_STORAGE_CLASS,
    }));
    for (const d of destinations.filter((x) => ARCHIVE_STORAGE_CLASSES.includes(x.storageClass))) {
      pulumi.log.warn(`replicas in ${d.region} go to ${d.storageClass}: after a failover every object must be restored before the application can read it; use STANDARD or STANDARD_IA for a warm standby`, this);
    }
    const versioningDeps = versioningDependencyWarning(opts?.dependsOn);
    if (versioningDeps) pulumi.log.warn(versioningDeps, this);

    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    // The configuration is created through the provider's region; a provider of the destination
    // region would attach it to a bucket S3 cannot find there. Fail the deployment instead.
    const providerRegion = aws.getRegionOutput({}, { parent: this }).region;
    const sourceBucket = pulumi.all([providerRegion, args.sourceBucketName]).apply(([region, bucket]) => {
      if (region !== args.sourceRegion) {
        throw new Error(`BucketReplication ${name}: the provider in opts is for ${region}, but sourceRegion is ${args.sourceRegion}; pass the provider of the source bucket's region`);
      }
      return bucket;
    });

    const role = new aws.iam.Role(`${name}-role`, {
      description: `Lets S3 replicate one ${args.sourceRegion} bucket to ${destinations.map((d) => d.region).join(", ")}`,
      assumeRolePolicy: account.apply((accountId) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow",
          Principal: { Service: "s3.amazonaws.com" },
          Action: "sts:AssumeRole",
          // Confused-deputy guard: only S3 acting for this account may assume the role.
          Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        }],
      })),
    }, { parent: this });

    const policy = new aws.iam.RolePolicy(`${name}-policy`, {
      role: role.id,
      policy: pulumi.all([args.sourceBucketArn, args.sourceKmsKeyArn, pulumi.all(destinations.map((d) => pulumi.all([d.bucketArn, d.kmsKeyArn])))])
        .apply(([sourceBucketArn, sourceKmsKeyArn, resolved]) => JSON.stringify(replicationRolePolicy({
          sourceBucketArn, sourceKmsKeyArn, sourceRegion: args.sourceRegion,
          destinations: resolved.map(([bucketArn, kmsKeyArn], i) => ({ bucketArn, kmsKeyArn, region: destinations[i].region })),
        }))),
    }, { parent: this });

    new aws.s3.BucketReplicationConfig(`${name}-config`, {
      bucket: sourceBucket,
      // Through the policy's id, so S3 gets the role only once it holds its permissions.
      role: pulumi.all([role.arn, policy.id]).apply(([arn]) => arn),
      rules: destinations.map((d, i) => ({
        id: d.ruleId,
        status: "Enabled",
        // S3 requires a distinct priority per rule once a configuration holds several.
        priority: i + 1,
        // An empty filter selects every object and opts into the current rule schema, which the
        // delete-marker, replica-modification and RTC settings below require.
        filter: {},
        // S3 replicates delete markers only when asked; without them a failover serves deleted objects.
        deleteMarkerReplication: { status: "Enabled" },
        sourceSelectionCriteria: {
          // SSE-KMS objects are skipped unless opted in.
          sseKmsEncryptedObjects: { status: "Enabled" },
          // Metadata changes made to replicas flow back, so a reverse rule keeps both sides equal.
          replicaModifications: { status: "Enabled" },
        },
        destination: {
          bucket: d.bucketArn,
          storageClass: d.storageClass,
          // The replica key must live in the destination region: KMS keys never leave their region.
          encryptionConfiguration: { replicaKmsKeyId: d.kmsKeyArn },
          replicationTime: { status: "Enabled", time: { minutes: REPLICATION_TIME_MINUTES } },
          // RTC is rejected without metrics; the metrics also feed the replication alarms.
          metrics: { status: "Enabled", eventThreshold: { minutes: REPLICATION_TIME_MINUTES } },
        },
      })),
    }, {
      parent: this,
      // What versions the buckets, from the caller (see the class comment).
      dependsOn: opts?.dependsOn,
    });

    this.roleArn = role.arn;
    this.ruleIds = pulumi.output(Object.fromEntries(destinations.map((d) => [d.region, d.ruleId])));
    this.sourceBucketName = pulumi.output(args.sourceBucketName);
    this.destinationBucketArns = pulumi.all(destinations.map((d) => d.bucketArn));
    this.registerOutputs({
      roleArn: this.roleArn,
      ruleIds: this.ruleIds,
      sourceBucketName: this.sourceBucketName,
      destinationBucketArns: this.destinationBucketArns,
    });
  }
}

export interface ReplicationPolicyInputs {
  readonly sourceBucketArn: string;
  readonly sourceKmsKeyArn: string;
  readonly sourceRegion: string;
  readonly destinations: readonly { readonly bucketArn: string; readonly kmsKeyArn: string; readonly region: string }[];
}

/**
 * The replication role's permissions, scoped to one source bucket and its destinations, one key
 * per bucket. KMS use is limited to S3 in each key's region (kms:ViaService) and to that bucket's
 * objects (encryption context); with S3 Bucket Keys on, the context is the bucket ARN rather than
 * the object ARN, so both forms are allowed.
 */
export function replicationRolePolicy(p: ReplicationPolicyInputs): { Version: string; Statement: Record<string, unknown>[] } {
  const objectsOf = (bucketArn: string) => `${bucketArn}/*`;
  const encryptionContext = (bucketArn: string) => ({ "kms:EncryptionContext:aws:s3:arn": [bucketArn, objectsOf(bucketArn)] });
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadSourceReplicationConfiguration",
        Effect: "Allow",
        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
        Resource: [p.sourceBucketArn],
      },
      {
        Sid: "ReadSourceObjectVersions",
        Effect: "Allow",
        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        Resource: [objectsOf(p.sourceBucketArn)],
      },
      {
        Sid: "WriteReplicas",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
        Resource: p.destinations.map((d) => objectsOf(d.bucketArn)),
      },
      {
        Sid: "DecryptSourceObjects",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [p.sourceKmsKeyArn],
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${p.sourceRegion}.amazonaws.com` },
          StringLike: encryptionContext(p.sourceBucketArn),
        },
      },
      // One statement per destination: each key may be used only through S3 of its own region.
      ...p.destinations.map((d) => ({
        Sid: `EncryptReplicas${d.region.replace(/-/g, "")}`,
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: [d.kmsKeyArn],
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${d.region}.amazonaws.com` },
          StringLike: encryptionContext(d.bucketArn),
        },
      })),
    ],
  };
}

/**
 * Checks the arguments a caller controls, and that some dependency was given at all; throws one
 * error naming every problem. Values that are still Outputs are checked by AWS at deployment.
 */
export function validateBucketReplicationArgs(args: BucketReplicationArgs, dependsOn?: pulumi.ResourceOptions["dependsOn"]): void {
  const problems: string[] = [];
  const regionOk = (input: string, value: string) => {
    if (REGION_PATTERN.test(value)) return true;
    problems.push(`${input} is "${value}"; pass an AWS region name such as us-east-1`);
    return false;
  };
  const sourceRegionOk = regionOk("sourceRegion", args.sourceRegion);
  problems.push(...kmsKeyArnProblems("sourceKmsKeyArn", args.sourceKmsKeyArn, sourceRegionOk ? args.sourceRegion : undefined));

  const bucketArnName = (input: string, value: pulumi.Input<string>): string | undefined => {
    if (typeof value !== "string") return undefined;
    const bucketName = s3BucketNameOfArn(value);
    if (bucketName === undefined) problems.push(`${input} is "${value}"; pass a bucket ARN of the form arn:aws:s3:::<bucket-name> (DataBucket.bucketArn)`);
    return bucketName;
  };
  const sourceName = bucketArnName("sourceBucketArn", args.sourceBucketArn);
  if (typeof args.sourceBucketName === "string" && sourceName !== undefined && args.sourceBucketName !== sourceName) {
    problems.push(`sourceBucketName is "${args.sourceBucketName}" but sourceBucketArn names "${sourceName}"; pass the name and ARN of the same bucket`);
  }

  if (args.destinations.length === 0) problems.push("destinations is empty; give at least one destination bucket in another region");
  const seenRegions = new Set<string>();
  const seenRuleIds = new Set<string>();
  args.destinations.forEach((d, i) => {
    const at = `destinations[${i}]`;
    const destinationRegionOk = regionOk(`${at}.region`, d.region);
    if (d.region === args.sourceRegion) {
      problems.push(`${at}.region is "${d.region}", the source region too; cross-region replication needs a destination bucket in another region (the DR region)`);
    }
    if (seenRegions.has(d.region)) problems.push(`${at}.region is "${d.region}", a region another destination already covers; replicate to one bucket per region`);
    seenRegions.add(d.region);
    problems.push(...kmsKeyArnProblems(`${at}.kmsKeyArn`, d.kmsKeyArn, destinationRegionOk ? d.region : undefined));
    const destinationName = bucketArnName(`${at}.bucketArn`, d.bucketArn);
    if (sourceName !== undefined && sourceName === destinationName) {
      problems.push(`${at}.bucketArn is "${d.bucketArn}", the source bucket itself; pass the other region's bucket`);
    }
    if (d.ruleId !== undefined && (d.ruleId.length === 0 || d.ruleId.length > MAX_RULE_ID_LENGTH)) {
      problems.push(`${at}.ruleId is "${d.ruleId}" (${d.ruleId.length} characters); use 1 to ${MAX_RULE_ID_LENGTH} characters`);
    }
    const ruleId = d.ruleId ?? replicationRuleId(args.sourceRegion, d.region);
    if (seenRuleIds.has(ruleId)) problems.push(`${at}.ruleId is "${ruleId}", the id of another rule; give each rule its own id`);
    seenRuleIds.add(ruleId);
    if (d.storageClass !== undefined && !(REPLICA_STORAGE_CLASSES as readonly string[]).includes(d.storageClass)) {
      problems.push(`${at}.storageClass is "${d.storageClass}"; use one of ${REPLICA_STORAGE_CLASSES.join(", ")}`);
    }
  });
  if (dependsOn === undefined || (Array.isArray(dependsOn) && dependsOn.length === 0)) {
    problems.push("opts.dependsOn is empty; pass the BucketVersioning of each bucket this stack creates (DataBucket.versioning), or the stack reference of the stack that versioned it, since S3 rejects replication to or from an unversioned bucket");
  }
  if (problems.length) throw new Error(`BucketReplication: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}

/** A warning when a plain dependsOn list holds no BucketVersioning (a bucket is not its versioning). */
export function versioningDependencyWarning(dependsOn: pulumi.ResourceOptions["dependsOn"]): string | undefined {
  if (!Array.isArray(dependsOn) || dependsOn.length === 0) return undefined;
  if (!dependsOn.every((d) => pulumi.Resource.isInstance(d))) return undefined;
  // A stack reference stands for an earlier-deployed stack, which versioned its bucket before it finished.
  if (dependsOn.some((d) => aws.s3.BucketVersioning.isInstance(d) || d instanceof pulumi.StackReference)) return undefined;
  return "opts.dependsOn holds no aws.s3.BucketVersioning; unless both buckets come from an earlier-deployed stack (pass its stack reference), pass DataBucket.versioning, because a bucket can exist before its versioning is on";
}
