import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { requireAwsProvider } from "../providers";

/** Long enough to make guessing pointless, short of Aurora's 41-character MySQL limit. */
export const PASSWORD_LENGTH = 40;
/** Aurora rejects "/", "@", '"' and spaces in master passwords. */
export const PASSWORD_SPECIALS = "!#$%^&*()-_=+[]{}<>:?";
/** A deleted secret stays recoverable for the longest window Secrets Manager allows. */
export const SECRET_RECOVERY_WINDOW_DAYS = 30;
/** Re-adding a replica after failback overwrites the promoted standalone secret of the same name (see below). */
export const FORCE_OVERWRITE_REPLICA_SECRET = true;

export interface DatabaseCredentialsArgs {
  /** Secret name, the same in every region. Required. */
  readonly secretName: string;
  /** Master user name. Required. */
  readonly username: string;
  /** Customer key for the secret in this (the primary) region. Required. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Replica key ARN per replica region; the secret is replicated to each, under that region's key. Required (may be empty). */
  readonly replicaKmsKeyArns: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * The database master credentials. Aurora's managed master password is not available for global
 * clusters, so the password is generated here and kept in a Secrets Manager secret that replicates
 * to every secondary region. Replicas are read-only: writes and rotation go to this region, and a
 * replica is promoted with StopReplicationToReplica in its own region during a regional outage.
 */
export class DatabaseCredentials extends pulumi.ComponentResource {
  readonly secretArn: pulumi.Output<string>;
  /** The secret's replica ARN in each replica region (same name and suffix, that region's ARN). */
  readonly replicaSecretArns: Readonly<Record<string, pulumi.Output<string>>>;
  readonly username: string;
  readonly password: pulumi.Output<string>;

  constructor(name: string, args: DatabaseCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    validateDatabaseCredentialsArgs(args);
    super("dr:security:DatabaseCredentials", name, {}, opts);
    requireAwsProvider(this, `DatabaseCredentials ${name}`);

    const password = new random.RandomPassword(`${name}-password`, {
      length: PASSWORD_LENGTH,
      special: true,
      overrideSpecial: PASSWORD_SPECIALS,
      minLower: 2,
      minUpper: 2,
      minNumeric: 2,
      minSpecial: 2,
    }, { parent: this });

    const regions = Object.keys(args.replicaKmsKeyArns).sort();
    const secret = new aws.secretsmanager.Secret(`${name}-secret`, {
      name: args.secretName,
      description: "Aurora master credentials; replicas are read-only, write and rotate in the primary region",
      kmsKeyId: args.kmsKeyArn,
      recoveryWindowInDays: SECRET_RECOVERY_WINDOW_DAYS,
      replicas: regions.map((region) => ({ region, kmsKeyId: args.replicaKmsKeyArns[region] })),
      // Failback trap: during an outage the replica is promoted with StopReplicationToReplica
      // (https://docs.aws.amazon.com/secretsmanager/latest/userguide/standalone-secret.html) and
      // becomes a standalone secret of the same name in that region. Re-adding the replica later
      // collides with it unless Secrets Manager may overwrite "a secret with the same name in the
      // destination Region" (ForceOverwriteReplicaSecret, which by default is off:
      // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ReplicateSecretToRegions.html).
      // The primary's value is the one to keep: it is the value the primary cluster was given.
      forceOverwriteReplicaSecret: FORCE_OVERWRITE_REPLICA_SECRET,
    }, { parent: this });

    new aws.secretsmanager.SecretVersion(`${name}-value`, {
      secretId: secret.id,
      secretString: pulumi.jsonStringify({ username: args.username, password: password.result }),
    }, { parent: this });

    this.secretArn = secret.arn;
    this.replicaSecretArns = Object.fromEntries(regions.map((region) => [region, secret.arn.apply((arn) => replicaArn(arn, region))]));
    this.username = args.username;
    this.password = password.result;
    this.registerOutputs({ secretArn: this.secretArn, replicaSecretArns: this.replicaSecretArns });
  }
}

/** A replica secret's ARN: the primary's ARN with the replica's region. */
export function replicaArn(primaryArn: string, region: string): string {
  const parts = primaryArn.split(":");
  if (parts.length < 7 || parts[2] !== "secretsmanager") throw new Error(`"${primaryArn}" is not a Secrets Manager secret ARN`);
  parts[3] = region;
  return parts.join(":");
}

export function validateDatabaseCredentialsArgs(args: DatabaseCredentialsArgs): void {
  const problems: string[] = [];
  if (!/^[a-zA-Z][a-zA-Z0-9_]{0,15}$/.test(args.username)) problems.push(`username "${args.username}" is not an Aurora master user name; use 1-16 letters, digits or underscores, starting with a letter`);
  if (!/^[a-zA-Z0-9/_+=.@-]{1,512}$/.test(args.secretName)) problems.push(`secretName "${args.secretName}" is not a valid secret name; use letters, digits and /_+=.@-`);
  for (const [region, arn] of Object.entries(args.replicaKmsKeyArns)) {
    if (typeof arn === "string" && arn.split(":")[3] !== region) problems.push(`replicaKmsKeyArns.${region} is "${arn}", a key of another region; a secret replica needs a key in its own region`);
  }
  if (problems.length) throw new Error(`DatabaseCredentials: invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
