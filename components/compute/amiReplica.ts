import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { requireAwsProvider } from "../providers";

export interface AmiReplicaArgs {
  /** The golden AMI in the source region. Required. */
  readonly sourceAmiId: pulumi.Input<string>;
  /** Where the golden AMI lives. Required; must differ from `region`. */
  readonly sourceRegion: string;
  /** The region of the provider in opts, where the copy is made. Required. */
  readonly region: string;
  /** A customer key in `region` to encrypt the copy with. Required. */
  readonly kmsKeyArn: pulumi.Input<string>;
}

/**
 * The golden AMI copied into this region, encrypted with this region's key. An encrypted AMI cannot
 * be copied to an unencrypted one, and a copy must use a key of its destination region, so the copy
 * always names the regional key rather than relying on the account's default EBS key.
 */
export class AmiReplica extends pulumi.ComponentResource {
  readonly amiId: pulumi.Output<string>;

  constructor(name: string, args: AmiReplicaArgs, opts?: pulumi.ComponentResourceOptions) {
    validateAmiReplicaArgs(args);
    super("dr:compute:AmiReplica", name, {}, opts);
    requireAwsProvider(this, `AmiReplica ${name}`);
    const copy = new aws.ec2.AmiCopy(`${name}-copy`, {
      name: pulumi.interpolate`${name}-${args.sourceAmiId}`,
      description: pulumi.interpolate`Copy of ${args.sourceAmiId} from ${args.sourceRegion} for disaster recovery`,
      sourceAmiId: args.sourceAmiId,
      sourceAmiRegion: args.sourceRegion,
      encrypted: true,
      kmsKeyId: args.kmsKeyArn,
    }, { parent: this });
    this.amiId = copy.id;
    this.registerOutputs({ amiId: this.amiId });
  }
}

export function validateAmiReplicaArgs(args: AmiReplicaArgs): void {
  const problems: string[] = [];
  if (args.sourceRegion === args.region) problems.push(`sourceRegion is "${args.sourceRegion}", the copy's own region; copy from the primary region`);
  if (typeof args.kmsKeyArn === "string" && args.kmsKeyArn.split(":")[3] !== args.region) problems.push(`kmsKeyArn "${args.kmsKeyArn}" is not a key in ${args.region}; an AMI copy must be encrypted with a key of its destination region`);
  if (typeof args.sourceAmiId === "string" && !/^ami-[0-9a-f]{8,17}$/.test(args.sourceAmiId)) problems.push(`sourceAmiId "${args.sourceAmiId}" is not an AMI id`);
  if (problems.length) throw new Error(`AmiReplica: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
