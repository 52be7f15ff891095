import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { autoScalingServiceRoleArn, regionalKeyPolicy } from "./keyPolicy";
import { requireAwsProvider } from "../providers";

/** KMS's longest waiting period: a key scheduled for deletion by mistake can be recovered for 30 days. */
export const KEY_DELETION_WINDOW_DAYS = 30;

export interface MultiRegionKeyArgs {
  /** The region of the provider in opts: where the primary key lives. Required. */
  readonly region: string;
  /** Alias name without the "alias/" prefix, the same in every region. Required. */
  readonly alias: string;
  /**
   * A provider per replica region. Providers come in through args, not opts, because one component
   * spans several regions and `opts.provider` holds only one AWS provider. Required (may be empty).
   */
  readonly replicaProviders: Readonly<Record<string, aws.Provider>>;
  /**
   * ARN of the Auto Scaling service-linked role the key policies name, when the stack creates that
   * role: the keys then wait for it. Default: the account's AWSServiceRoleForAutoScaling, which must exist.
   */
  readonly autoScalingRoleArn?: pulumi.Input<string>;
}

/**
 * The platform's customer key: a KMS multi-region primary key with rotation on, and a replica in
 * each secondary region. The replicas share key material and key id, so data encrypted in one
 * region (secret replicas, replicated objects, copied AMIs) decrypts in the other after a failover
 * without re-encryption, and each replica is a regional key that survives the primary region's loss.
 */
export class MultiRegionKey extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  readonly keyId: pulumi.Output<string>;
  /** ARN of the replica key in each replica region. */
  readonly replicaKeyArns: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: MultiRegionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    validateMultiRegionKeyArgs(args);
    super("dr:security:MultiRegionKey", name, {}, opts);
    const provider = requireAwsProvider(this, `MultiRegionKey ${name}`);
    const accountId = aws.getCallerIdentityOutput({}, { parent: this, provider }).accountId;
    const policyFor = (region: string) => pulumi.all([accountId, args.autoScalingRoleArn]).apply(([id, roleArn]) => regionalKeyPolicy(id, region, roleArn ?? autoScalingServiceRoleArn(id)));
    // Snapshots, backups and copied AMIs stay encrypted under these keys after a destroy; deleting
    // the keys with the stack would make them unrestorable. Keys are deleted deliberately instead
    // (README: schedule-key-deletion, 7-30 day waiting period, replicas first).
    // https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
    const keep = { parent: this, retainOnDelete: true };

    const key = new aws.kms.Key(`${name}-key`, {
      description: `${args.alias}: multi-region customer key (primary in ${args.region})`,
      multiRegion: true,
      enableKeyRotation: true,
      deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
      policy: policyFor(args.region),
    }, keep);
    new aws.kms.Alias(`${name}-alias`, { name: `alias/${args.alias}`, targetKeyId: key.keyId }, { parent: this });

    const replicaKeyArns: Record<string, pulumi.Output<string>> = {};
    for (const [region, replicaProvider] of Object.entries(args.replicaProviders).sort(([a], [b]) => a.localeCompare(b))) {
      const replica = new aws.kms.ReplicaKey(`${name}-replica-${region}`, {
        description: `${args.alias}: replica of the multi-region key from ${args.region}`,
        primaryKeyArn: key.arn,
        deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
        // A replica has its own key policy; the regional service principals differ per region.
        policy: policyFor(region),
      }, { ...keep, provider: replicaProvider });
      new aws.kms.Alias(`${name}-alias-${region}`, { name: `alias/${args.alias}`, targetKeyId: replica.keyId }, { parent: this, provider: replicaProvider });
      replicaKeyArns[region] = replica.arn;
    }

    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.replicaKeyArns = replicaKeyArns;
    this.registerOutputs({ keyArn: this.keyArn, keyId: this.keyId, replicaKeyArns: this.replicaKeyArns });
  }
}

export function validateMultiRegionKeyArgs(args: MultiRegionKeyArgs): void {
  const problems: string[] = [];
  if (args.region in args.replicaProviders) problems.push(`replicaProviders names ${args.region}, the primary key's own region; a replica must be in another region`);
  if (!/^[a-zA-Z0-9/_-]{1,250}$/.test(args.alias) || args.alias.startsWith("aws/")) problems.push(`alias "${args.alias}" is not a valid customer alias; use letters, digits, / _ - and not the reserved aws/ prefix`);
  if (problems.length) throw new Error(`MultiRegionKey: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
